#include "uncertain_parameters.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "random.h"
#include "scenario.h"

namespace tuopin {
namespace {

using T = ParamType;

const std::array specs = std::to_array<ParameterSpec>({
    {"uncertainty", "parameters", T::boolean, "-", 0, 0, "false",
     "not a model parameter: how the run treats what is not known (tuopin run --uncertain sets it)",
     "Draw every uncertain parameter (those whose range is marked uncertain) afresh in each replicate, "
     "uniformly in its range, so that the ranges across replicates reflect what is not known as "
     "well as chance (docs/model.md, 7.10). A parameter the scenario sets to another value than "
     "its default keeps that value."},
    {"uncertainty", "hold", T::string_array, "-", 0, 0, "[]", "not a model parameter",
     "Uncertain parameters (\"section.key\") kept at the scenario's value when parameters = true.",
     length_any_or_none},
});

// The plausible ranges. Only behavioural rates and effect sizes that are assumed (or that a
// cited figure gives a range for) are here; never a key only the population synthesis reads.
// Each range holds the default and lies inside the key's [min, max] (uncertain_range_problems).
const std::array ranges = std::to_array<UncertainRange>({
    // ---- income ----
    {"income.wage_growth", 0.05, 0.11,
     "assumed: 3 points either side of the default's 8% a year; no rural wage series for Anqing is in the data"},
    {"income.operating_growth", 0.0, 0.08,
     "assumed: from flat farm and business income to growth near the wage growth"},
    {"income.persistent_sd", 0.04, 0.08,
     "assumed: a stationary sd of the persistent log deviation from about 0.16 to 0.33 (default 0.25)"},
    {"income.wage_transitory_sd", 0.2, 0.4, "assumed: a third either side of the default"},
    {"income.operating_transitory_sd", 0.25, 0.55,
     "assumed: above the wage's, as harvests and prices make farm income noisier"},
    // ---- shocks ----
    {"shocks.illness_rate", 0.0025, 0.006,
     "assumed: about 3% to 7% of households a year with a costly illness episode (default 5%)"},
    {"shocks.illness_cost_mean", 5000.0, 12000.0,
     "assumed: no public figure for the cost of an episode; two thirds to one and a half times the default"},
    {"shocks.illness_work_months", 2, 4, "assumed: one month either side of the default"},
    {"shocks.illness_wage_loss", 0.3, 0.7, "assumed: from 30% to 70% of the wage lost"},
    {"shocks.disaster_rate", 0.002, 0.01,
     "assumed: a village struck about once in 9 to 40 years (default about once in 17)"},
    {"shocks.disaster_operating_loss", 0.15, 0.5, "assumed: half to one and two thirds of the default"},
    // ---- guarantees ----
    {"guarantees.medical_reimbursement", 0.4, 0.62,
     "assumed; the upper end is the inpatient share of ordinary insured people implied by measures: "
     "health_inpatient_reimbursement (Anhui 2017: 92.48% for the poor, about 30 points above "
     "ordinary insured people); outpatient cost is reimbursed less"},
    {"guarantees.dropout_rate", 0.001, 0.006, "assumed: a third to twice the default"},
    {"guarantees.repair_rate", 0.01, 0.04, "assumed: half to twice the default"},
    // ---- assessment ----
    {"assessment.reentry_identification", 0.75, 1.0,
     "assumed: from three relapses in four recorded to every one"},
    {"assessment.new_poor_identification", 0.5, 0.9,
     "assumed: yearly re-identification finds from half to most new cases"},
    {"assessment.monitored_identification", 0.8, 1.0,
     "assumed: a monitored household is visited every year; from four relapses in five found to "
     "every one"},
    {"shocks.flood_village_share", 0.15, 0.5,
     "assumed: no count of struck villages is in the data; from a sixth to half of the villages "
     "(it acts only in a flood year)"},
    {"shocks.downturn_job_loss", 0.05, 0.3,
     "assumed: from one wage earner in twenty to almost a third losing work (it acts only in a "
     "downturn year)"},
    // ---- the plan ----
    {"targeting.willingness_base", 0.6, 0.9,
     "assumed: 15 points either side of the default"},
    {"targeting.exclusion_error", 0.02, 0.1, "assumed: from near full coverage to one poor household in ten missed"},
    // ---- measures ----
    {"measures.safety_net.exclusion_error", 0.05, 0.2, "assumed: half to twice the default"},
    {"measures.safety_net.inclusion_error", 0.02, 0.1, "assumed: half to twice the default"},
    {"measures.industry.gain_per_person", 974.5, 1949.0,
     "measures: industry_income_effect (Anhui 2020-H1: 1,949 per person from projects that had "
     "matured) is an upper value for 2016-2018; the lower end, half of it, is assumed"},
    {"measures.industry.success_rate", 0.5, 0.85, "assumed: from half of the projects to most of them"},
    {"measures.industry.retained_share", 0.25, 0.75, "assumed: 25 points either side of the default"},
    {"measures.employment.training_success", 0.5, 0.85, "assumed: as industry.success_rate"},
    {"measures.employment.wage_gain", 0.1, 0.4, "assumed: from a tenth to two fifths more pay"},
    {"measures.employment.job_loss_rate", 0.05, 0.2, "assumed: half to twice the default"},
    {"measures.employment.post_wage", 300.0, 800.0,
     "measures: public_post_wage (Anhui: 300 a month in Xuancheng-Xuanzhou 2020, 400 in "
     "Xuancheng-Jixi 2020, about 800 in Xuancheng-Jingde 2018-2020)"},
    {"measures.asset_income.return_rate", 0.068, 0.08,
     "measures: asset_return_on_fiscal_capital (Chizhou-Qingyang 2020, 6.8% realised) to "
     "asset_contract_return (Fuyang-Yingzhou 2018, 8% contracted)"},
    {"measures.asset_income.failure_rate", 0.02, 0.1, "assumed: less than half to twice the default"},
    {"measures.health.oop_cap", 3000.0, 10000.0,
     "assumed: the \"351\" caps reported by hospital level, 3,000 to 10,000 (measures: "
     "health_351_start_year note: no text of them was found)"},
    {"measures.relocation.willingness", 0.4, 0.8, "assumed: 20 points either side of the default"},
    {"measures.housing_renovation.take_up", 0.75, 1.0, "assumed: from three in four to every household"},
    {"measures.photovoltaic.realised_share", 0.6, 0.97,
     "measures: pv_household_income_observed (Anqing-Yuexi 2016: about 2,900 a year annualised against "
     "the nominal 3,000 of 3 kW at revenue_per_kw) and pv_realised_revenue_per_kw (Anhui 2020: 967 per kW) give the upper end; the lower "
     "end, for years when subsidies lag (calibration: pv_realised_price), is assumed"},
    {"measures.microcredit.own_return", 0.08, 0.24,
     "assumed; the upper end is measures: microcredit_income_effect (Ningxia-Yanchi 2016: 12,000 "
     "a year, 0.24 of a 5万 loan, an upper-end case)"},
    {"measures.microcredit.default_rate_own", 0.0026, 0.03,
     "assumed; the lower end is measures: microcredit_overdue_rate (Chongqing 2019-06: 0.26% of "
     "the balance overdue)"},
    {"measures.collective_economy.failure_rate", 0.02, 0.1, "assumed: as asset_income.failure_rate"},
    {"measures.collective_economy.road_wage_factor", 1.0, 1.0 / 0.85,
     "assumed: from no effect to a near village's wages (income.remoteness_wage_factor: 0.85 "
     "remote, 1.0 near)"},
    {"measures.collective_economy.post_wage", 300.0, 800.0, "measures: public_post_wage (as employment.post_wage)"},
    {"measures.cadre_pairing.exclusion_factor", 0.25, 0.75, "assumed: 25 points either side of the default"},
    {"measures.cadre_pairing.willingness_factor", 1.0, 1.4, "assumed: from no effect to twice the default's rise"},
    {"measures.cadre_pairing.take_up_gain", 0.0, 0.2, "assumed: from no effect to twice the default"},
});

double default_value(const ParameterSpec& spec) { return std::strtod(std::string(spec.default_toml).c_str(), nullptr); }

}  // namespace

std::span<const ParameterSpec> uncertainty_specs() { return specs; }
std::span<const UncertainRange> uncertain_ranges() { return ranges; }

bool synthesis_only_parameter(std::string_view section, std::string_view key) {
  if (section == "population") return key != "rural_population";
  if (section == "counties") return key != "names" && key != "names_zh";
  if (section == "income")
    return key.starts_with("median_ratio_") || key == "dispersion" || key.starts_with("source_shares_") ||
           key == "remoteness_wage_factor" || key == "land_elasticity";
  return false;
}

std::vector<std::string> uncertain_range_problems(std::span<const UncertainRange> table) {
  std::vector<std::string> out;
  std::vector<std::string> seen;
  std::vector<std::uint32_t> hashes;
  for (const UncertainRange& u : table) {
    const std::string path(u.path);
    if (std::find(seen.begin(), seen.end(), path) != seen.end()) {
      out.push_back(path + ": listed twice");
      continue;
    }
    seen.push_back(path);
    const std::size_t dot = path.rfind('.');
    const ParameterSpec* spec =
        dot == std::string::npos ? nullptr : find_parameter(path.substr(0, dot), path.substr(dot + 1));
    if (!spec) {
      out.push_back(path + ": not a key of the dictionary");
      continue;
    }
    if (spec->type != T::real && spec->type != T::integer)
      out.push_back(path + ": only a number or an integer can be uncertain");
    if (synthesis_only_parameter(spec->section, spec->key))
      out.push_back(path + ": read only by the population synthesis, which is shared by all replicates");
    if (!(u.low < u.high)) out.push_back(path + ": the range is empty (low must be below high)");
    if (u.low < spec->min || u.high > spec->max) out.push_back(path + ": the range leaves the key's [min, max]");
    const double d = default_value(*spec);
    if (d < u.low || d > u.high) out.push_back(path + ": the range does not hold the default");
    if (u.source.empty()) out.push_back(path + ": no reasoning for the range");
    const std::uint32_t h = fnv1a32(path);
    if (std::find(hashes.begin(), hashes.end(), h) != hashes.end())
      out.push_back(path + ": its name's hash equals another's, so both would draw the same number");
    hashes.push_back(h);
  }
  return out;
}

bool Uncertainty::any_drawn() const {
  if (!parameters) return false;
  for (const auto& p : list)
    if (!p.held) return true;
  return false;
}

Uncertainty read_uncertainty(ParameterReader& r) {
  Uncertainty u;
  u.parameters = r.boolean("uncertainty", "parameters");
  u.hold = r.strings("uncertainty", "hold");
  std::vector<std::string> all, uncertain;
  for (const auto& spec : parameter_specs()) {
    all.push_back(spec.path());
    if (spec.uncertain()) uncertain.push_back(spec.path());
  }
  for (const std::string& name : u.hold) {
    if (std::find(uncertain.begin(), uncertain.end(), name) != uncertain.end()) continue;
    const bool known = std::find(all.begin(), all.end(), name) != all.end();
    std::string message = "'uncertainty.hold' names '" + name + "', which " +
                          (known ? "has no uncertain range" : "is not a scenario key") +
                          "; expected an uncertain parameter as section.key (tuopin params lists their ranges)";
    const std::string m = closest_match(name, uncertain);
    if (!m.empty()) message += "; did you mean '" + m + "'?";
    r.fail("uncertainty", "hold", message);
  }
  for (const auto& spec : parameter_specs()) {
    if (!spec.uncertain()) continue;
    UncertainParameter p;
    p.spec = &spec;
    p.path = spec.path();
    p.value = spec.type == T::integer ? static_cast<double>(r.integer(spec.section, spec.key))
                                      : r.real(spec.section, spec.key);
    p.held = std::find(u.hold.begin(), u.hold.end(), p.path) != u.hold.end() || p.value != default_value(spec);
    u.list.push_back(std::move(p));
  }
  return u;
}

double uncertain_draw(const ParameterSpec& spec, std::uint32_t seed, std::uint32_t replicate) {
  const RandomKey key{seed, replicate};
  const double u = to_unit(draw(key, fnv1a32(spec.path()), Stream::uncertainty, 0).v[0]);
  const double v = spec.uncertain_low + (spec.uncertain_high - spec.uncertain_low) * u;
  return spec.type == T::integer ? std::round(v) : v;
}

std::vector<double> uncertain_values(const Uncertainty& u, std::uint32_t seed, std::uint32_t replicate) {
  std::vector<double> out;
  for (const auto& p : u.list)
    out.push_back(u.parameters && !p.held ? uncertain_draw(*p.spec, seed, replicate) : p.value);
  return out;
}

std::vector<std::string> uncertainty_settings(const Uncertainty& u, std::uint32_t seed, std::uint32_t replicate) {
  std::vector<std::string> out;
  if (!u.parameters) return out;
  for (const auto& p : u.list)
    if (!p.held)
      out.push_back(p.path + "=" + toml_number(uncertain_draw(*p.spec, seed, replicate), p.spec->type == T::integer));
  return out;
}

std::string uncertain_parameters_markdown() {
  std::ostringstream out;
  out << "\n## Uncertain parameters\n\n"
      << "Drawn in each replicate, uniformly in the range (integers rounded), when "
         "`uncertainty.parameters = true`, unless the scenario holds them: listed in "
         "`uncertainty.hold`, or set to another value than the default. Not a key read only by "
         "the population synthesis: the population is built once per run and shared by all "
         "replicates.\n\n"
      << "| key | default | range | reasoning |\n|---|---|---|---|\n";
  for (const auto& s : parameter_specs()) {
    if (!s.uncertain()) continue;
    out << "| `" << s.path() << "` | `" << s.default_toml << "` | " << s.uncertain_low << " .. " << s.uncertain_high
        << " | ";
    for (char c : s.uncertain_source) out << (c == '|' ? std::string("\\|") : std::string(1, c));
    out << " |\n";
  }
  return out.str();
}

}  // namespace tuopin
