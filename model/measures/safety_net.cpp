// Safety net (社会保障兜底): 低保 and 五保 as a yearly means-tested entitlement.
//
// Switched off, the engine keeps the baseline's rule: 低保/五保 flags fixed at synthesis and a
// constant benefit per member (income.dibao_benefit, income.wubao_benefit) paid every month.
// Switched on, this measure owns both:
//   * the 低保 standard of window year t is standard x (1 + standard_growth)^t, and with
//     two_lines_merged (两线合一) at least the year's poverty line;
//   * at each year end (the yearly review, just before the registry's test) a household is
//     eligible when its labour capacity is in eligible_labour and its per-capita income of the
//     year, before this top-up, is below the standard. An eligible household is covered unless
//     missed (exclusion_error); a covered household that is no longer eligible stays on with
//     probability inclusion_error (coverage errors, one draw a year from its stream);
//   * a covered household is paid for the year: the top-up to the standard (补差,
//     ceil(standard x size - income)) or a flat amount per member (payment = "flat");
//   * 五保 households (flag from synthesis) get the 五保 support standard per member, growing
//     alike; they stay 五保.
// Payments are entitlements (never from a pool): spending source `entitlement`.
#include <algorithm>
#include <cmath>

#include "../households.h"
#include "../population_synthesis.h"
#include "../scenario.h"
#include "common.h"
#include "registry.h"

namespace tuopin {
namespace {

using T = ParamType;
using namespace measure_support;
constexpr std::string_view section = "measures.safety_net";

const std::array specs = std::to_array<ParameterSpec>({
    {section, "enabled", T::boolean, "-", 0, 0, "false", "not a model parameter",
     "Switch the measure on; off, 低保/五保 stay as synthesised with constant benefits."},
    {section, "standard", T::real, "yuan/person/year", 0, 1e6, "2600.0",
     "assumed: Anhui's rural 低保 standard by year is not in the data (measures README); below "
     "the 2016 line of 2952, as the proposal asks to raise it year by year towards the line",
     "Rural 低保 standard in the first year of the window."},
    {section, "standard_growth", T::real, "1/year", -0.5, 2, "0.1",
     "assumed: the proposal's 逐年提高低保标准", "Yearly rise of the 低保 standard."},
    {section, "two_lines_merged", T::boolean, "-", 0, 0, "false",
     "seed proposal: 实现低保线和脱贫标准线“两线合一”",
     "Raise the 低保 standard to at least the year's poverty line (两线合一)."},
    {section, "payment", T::string, "-", 0, 0, R"("flat")",
     "assumed: flat keeps the baseline's benefit (income.dibao_benefit), so switching the "
     "measure on changes who is covered, not what they get; 两线合一 scenarios use \"top_up\" (补差)",
     "\"top_up\": the difference between the standard and the household's income (补差); "
     "\"flat\": flat_benefit per member."},
    {section, "flat_benefit", T::real, "yuan/person/year", 0, 1e6, "1800.0",
     "assumed: as income.dibao_benefit", "Payment per member when payment = \"flat\"."},
    {section, "wubao_standard", T::real, "yuan/person/year", 0, 1e6, "4000.0",
     "assumed: 五保 support is above 低保 (as income.wubao_benefit)",
     "五保 support standard in the first year; it grows with standard_growth."},
    {section, "eligible_labour", T::string, "-", 0, 0, R"("weak_or_none")",
     "seed proposal: 对低保户、五保户等丧失劳动能力的贫困人口 … 实行政府“兜底”",
     "Labour capacities eligible for 低保: \"none\", \"weak_or_none\" or \"any\"."},
    {section, "exclusion_error", T::real, "probability", 0, 1, "0.1",
     "assumed: means tests miss some eligible households",
     "Probability that an eligible household is not covered in a year."},
    {section, "inclusion_error", T::real, "probability", 0, 1, "0.05", "assumed",
     "Probability that a covered household that is no longer eligible stays covered."},
});

class SafetyNet final : public Measure {
 public:
  SafetyNet(ParameterReader& r, int index)
      : Measure("safety_net", index, r.boolean(section, "enabled")) {
    standard_ = r.real(section, "standard");
    growth_ = r.real(section, "standard_growth");
    merged_ = r.boolean(section, "two_lines_merged");
    flat_ = r.choice(section, "payment", {"top_up", "flat"}) == 1;
    flat_benefit_ = r.real(section, "flat_benefit");
    wubao_ = r.real(section, "wubao_standard");
    eligible_ = r.choice(section, "eligible_labour", {"none", "weak_or_none", "any"});
    exclusion_ = r.real(section, "exclusion_error");
    inclusion_ = r.real(section, "inclusion_error");
  }

  double standard(int year_index, double line) const {
    const double s = standard_ * std::pow(1.0 + growth_, year_index);
    return merged_ ? std::max(s, line) : s;
  }

  void begin_year(const YearContext&, BlockFrame& f) const override {
    // The measure pays at the year-end review: no constant monthly benefit.
    std::fill(f.benefit_monthly, f.benefit_monthly + (f.end - f.begin), 0.0f);
  }

  void before_assessment(const YearContext& c, BlockFrame& f) const override {
    const Households& h = c.pop.households;
    const double std_pc = standard(c.year_index, c.line);
    const double wubao_pc = wubao_ * std::pow(1.0 + growth_, c.year_index);
    for (std::size_t i = f.begin; i < f.end; ++i) {
      const double size = h.size[i];
      const double income = std::max(0.0f, c.st.year_income[i]);
      std::int64_t pay_fen = 0;
      std::uint8_t& a = c.st.assistance[i];
      if (a & household_flag::wubao) {
        pay_fen = fen(wubao_pc * size);
      } else {
        const int labour = static_cast<int>(h.labour[i]);  // 0 normal, 1 weak, 2 none
        const bool labour_ok = eligible_ == 2 || (eligible_ == 1 && labour >= 1) || labour == 2;
        const bool eligible = labour_ok && income < std_pc * size;
        const bool covered = a & household_flag::dibao;
        const bool need_draw = eligible ? exclusion_ > 0 : (covered && inclusion_ > 0);
        const double u = need_draw ? to_unit(draw(c.key, static_cast<std::uint32_t>(i), Stream::safety_net,
                                                  static_cast<std::uint32_t>(c.year_index)).v[0])
                                   : 1.0;
        const bool on = eligible ? u >= exclusion_ : (covered && u < inclusion_);
        a = on ? household_flag::dibao : 0;
        if (covered && !on) c.st.events[i] |= household_event::measure_ended;  // 低保 withdrawn at the review
        if (on) pay_fen = flat_ ? fen(flat_benefit_ * size)
                                : 100 * static_cast<std::int64_t>(std::max(0.0, std::ceil(std_pc * size - income)));
      }
      if (!a) continue;
      // The top-up must lift the float income to the standard, whatever its rounding.
      while (!flat_ && !(a & household_flag::wubao) &&
             static_cast<double>(c.st.year_income[i] + static_cast<float>(pay_fen / 100.0)) < std_pc * size)
        pay_fen += 100;
      c.st.year_income[i] += static_cast<float>(pay_fen / 100.0);
      f.ledger->spend(h.county[i], index(), FundSource::entitlement, pay_fen);
      f.ledger->beneficiary(h.county[i], index(), h.size[i]);
    }
  }

 private:
  double standard_, growth_, flat_benefit_, wubao_, exclusion_, inclusion_;
  bool merged_, flat_;
  int eligible_;
};

}  // namespace

std::span<const ParameterSpec> safety_net_specs() { return specs; }
std::shared_ptr<Measure> make_safety_net(ParameterReader& r, const Scenario&, int index) {
  return std::make_shared<SafetyNet>(r, index);
}

}  // namespace tuopin
