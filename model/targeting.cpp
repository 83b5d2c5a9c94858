#include "targeting.h"

#include <algorithm>

namespace tuopin {
namespace {

using T = ParamType;

const std::array specs = std::to_array<ParameterSpec>({
    {"targeting", "mode", T::string, "-", 0, 0, R"("precise")",
     "seed proposal: 改变以往的“大水漫灌”为“精准滴灌”",
     "\"precise\": pathways by household type and pools funding by priority; \"uniform\": every "
     "identified household gets the willing pathway and pools fund in random order."},
    {"targeting", "willingness_base", T::real, "probability", 0, 1, "0.75",
     "assumed: industry take-up was high where offered (measures: "
     "industry_household_project_coverage, 94% of Anhui's poor households had a project by 2017)",
     "Probability that a household with normal labour, no elderly-only membership and no "
     "low-motivation cause is willing to develop an industry."},
    {"targeting", "low_motivation_factor", T::real, "factor", 0, 1, "0.3", "assumed",
     "Multiplier of willingness when a cause is 自身发展动力不足 (low motivation)."},
    {"targeting", "elderly_factor", T::real, "factor", 0, 1, "0.6", "assumed",
     "Multiplier of willingness when no member is aged 16-59."},
    {"targeting", "weak_labour_factor", T::real, "factor", 0, 1, "0.7", "assumed",
     "Multiplier of willingness when labour capacity is weak."},
    {"targeting", "exclusion_error", T::real, "probability", 0, 1, "0.05",
     "assumed: the proposal's information platform (一户一对策) aims at full coverage",
     "Probability that a registered poor household is missed by a year's plan (gets no measure "
     "that year)."},
    {"targeting", "inclusion_error", T::real, "probability", 0, 1, "0.01", "assumed",
     "Probability that an exited or never-registered household is supported by mistake in a "
     "year (it gets a pathway and the conditional measures as if registered)."},
    {"targeting", "pathway_no_labour", T::string, "-", 0, 0, R"("asset_income")",
     "seed proposal: 没有劳动能力也没有发展产业意愿的 … 参与合作经营,从中获取分红收入",
     "Measure for identified households without labour capacity (a measure name or \"none\")."},
    {"targeting", "pathway_willing", T::string, "-", 0, 0, R"("industry")",
     "seed proposal: 对有劳动能力和意愿的贫困人口,提供一定的产业帮扶资金",
     "Measure for households with labour that are willing (a measure name or \"none\")."},
    {"targeting", "pathway_unwilling", T::string, "-", 0, 0, R"("employment")",
     "seed proposal: 对有劳动能力但没有发展产业意愿的 … 免费提供各种就业培训,就业服务",
     "Measure for households with labour that are not willing (a measure name or \"none\")."},
    {"targeting", "support_after_exit_years", T::integer, "years", -1, 100, "3",
     "assumed: 脱贫不脱政策 kept support through the plan period; 0 stops it at exit",
     "Years an exited household keeps its measures after exit (0: they stop at exit; -1: for "
     "ever). Stopping removes the measures' income, which shows up as re-entry risk."},
});

}  // namespace

std::span<const ParameterSpec> targeting_specs() { return specs; }

double Targeting::willingness_probability(const Households& h, std::size_t i, bool paired) const {
  double p = willingness_base * (paired ? paired_willingness_factor : 1.0);
  const bool low = h.cause_main[i] == Cause::low_motivation ||
                   h.cause_secondary[i] == static_cast<std::uint8_t>(Cause::low_motivation);
  if (low) p *= low_motivation_factor;
  if (h.members[2][i] == 0) p *= elderly_factor;
  if (h.labour[i] == LabourCapacity::weak) p *= weak_labour_factor;
  return std::min(1.0, p);
}

Targeting read_targeting(ParameterReader& r, const std::vector<std::string>& measure_names,
                         const std::vector<bool>& enabled) {
  Targeting t;
  t.mode = static_cast<TargetingMode>(
      r.choice("targeting", "mode", {targeting_mode_names.begin(), targeting_mode_names.end()}));
  t.willingness_base = r.real("targeting", "willingness_base");
  t.low_motivation_factor = r.real("targeting", "low_motivation_factor");
  t.elderly_factor = r.real("targeting", "elderly_factor");
  t.weak_labour_factor = r.real("targeting", "weak_labour_factor");
  t.exclusion_error = r.real("targeting", "exclusion_error");
  t.inclusion_error = r.real("targeting", "inclusion_error");
  t.support_after_exit_years = static_cast<int>(r.integer("targeting", "support_after_exit_years"));
  std::vector<std::string> choices = measure_names;
  choices.push_back("none");
  const std::array<std::string_view, 3> keys = {"pathway_no_labour", "pathway_willing",
                                                "pathway_unwilling"};
  std::array<std::uint8_t*, 3> out = {&t.pathway_no_labour, &t.pathway_willing, &t.pathway_unwilling};
  for (int k = 0; k < 3; ++k) {
    const int c = r.choice("targeting", keys[k], choices);
    *out[k] = c == static_cast<int>(measure_names.size()) ? no_pathway : static_cast<std::uint8_t>(c);
  }
  // A pathway that names a measure switched off is an error once any pathway measure is on:
  // the households of that type would silently get nothing.
  bool any_on = false;
  for (auto* p : out)
    if (*p != no_pathway && enabled[*p]) any_on = true;
  if (any_on)
    for (int k = 0; k < 3; ++k)
      if (*out[k] != no_pathway && !enabled[*out[k]])
        r.fail("targeting", keys[k],
               "'targeting." + std::string(keys[k]) + "' names the measure '" + measure_names[*out[k]] +
                   "', which is switched off; expected an enabled measure or \"none\" (set [measures." +
                   measure_names[*out[k]] + "] enabled = true, or name another pathway)");
  return t;
}

}  // namespace tuopin
