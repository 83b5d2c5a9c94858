// Policy agricultural insurance (model/measures/agri_insurance.cpp): zero budget spends nothing
// from the pools, no payout without disasters or price cover, a struck household's disaster
// loss repaid in full with full cover (a trace), premiums as entitlement spending, eligibility
// (supported households with operating income), supplementary medical and accident cover.
#include <doctest/doctest.h>

#include <cmath>

#include "measures/measure.h"
#include "test_support.h"

namespace tuopin {
namespace {

int ai_measure(const SimulationResult& r, std::string_view name) {
  for (int m = 0; m < r.measures; ++m)
    if (r.measure_names[m] == name) return m;
  FAIL("no measure " << name);
  return -1;
}

int ai_metric(const SimulationResult& r, std::string_view name) {
  for (int k = 0; k < r.extra_metrics; ++k)
    if (r.extra_metric_info[k].name == name) return k;
  FAIL("no metric " << name);
  return -1;
}

std::int64_t ai_total_metric(const SimulationResult& r, int k) {
  std::int64_t sum = 0;
  for (int rep = 0; rep < r.replicates; ++rep)
    for (int y = 0; y < r.years; ++y)
      for (int c = 0; c < r.counties; ++c) sum += r.measure_metrics[r.cell(rep, y, c) * r.extra_metrics + k];
  return sum;
}

std::int64_t ai_spend(const SimulationResult& r, int measure, int source = -1) {
  std::int64_t sum = 0;
  for (int k = 0; k < r.replicates; ++k)
    for (int y = 0; y < r.years; ++y)
      for (int c = 0; c < r.counties; ++c)
        for (int s = 0; s < fund_source_count; ++s)
          if (source < 0 || s == source) sum += r.spend(k, y, c, measure, s);
  return sum;
}

std::int64_t ai_beneficiaries(const SimulationResult& r, int measure) {
  std::int64_t sum = 0;
  for (int k = 0; k < r.replicates; ++k)
    for (int y = 0; y < r.years; ++y) sum += r.city_measure(r.beneficiary_households, k, y, measure);
  return sum;
}

const std::vector<std::string> ai_alone = {"measures.agri_insurance.enabled=true", "targeting.pathway_no_labour=none",
                                           "targeting.pathway_willing=none", "targeting.pathway_unwilling=none"};

// One county, one village, households set by hand (as in test_measures.cpp).
struct AiHandBuilt {
  Population pop;
  std::size_t add(LabourCapacity labour, RegistryStatus status, int adults, int elderly) {
    Households& h = pop.households;
    const std::size_t i = h.count();
    h.resize(i + 1);
    h.county[i] = 0;
    h.village[i] = 0;
    h.size[i] = static_cast<std::uint8_t>(adults + elderly);
    h.members[0][i] = 0;
    h.members[1][i] = 0;
    h.members[2][i] = static_cast<std::uint8_t>(adults);
    h.members[3][i] = static_cast<std::uint8_t>(elderly);
    h.labour[i] = labour;
    h.flags[i] = 0;
    h.cause_main[i] = Cause::lack_of_capital;
    h.cause_secondary[i] = no_cause;
    h.land[i] = 1.0f;
    const float income = 1500.0f * h.size[i];  // half the line per member
    h.base_income[0][i] = 0.4f * income;
    h.base_income[1][i] = 0.4f * income;
    h.base_income[2][i] = 0.2f * income;
    h.base_income[3][i] = 0.0f;
    h.status0[i] = status;
    h.housing0[i] = HousingSafety::safe;
    h.entry_year[i] = status == RegistryStatus::near_poor ? 0 : 2014;
    return i;
  }
  AiHandBuilt() {
    pop.villages.resize(1);
    pop.villages.county[0] = 0;
    pop.villages.poor[0] = 1;
    pop.villages.remoteness[0] = 1;
    pop.villages.road[0] = 1;
    pop.villages.water[0] = 1;
    pop.villages.collective_income[0] = 0;
  }
};

std::vector<TraceRow> ai_trace(const Scenario& s, const Population& pop, std::size_t household) {
  std::vector<TraceRow> rows;
  SimulationOptions opt;
  opt.seed = s.seed;
  opt.trace_household = static_cast<std::int64_t>(household);
  opt.trace = &rows;
  simulate(s, pop, opt);
  return rows;
}

const TraceRow& ai_row(const std::vector<TraceRow>& rows, int year, int month) {
  for (const auto& r : rows)
    if (r.year == year && r.month == month) return r;
  FAIL("no trace row " << year << "-" << month);
  return rows.front();
}

// No income noise, no illness unless `tables` sets it, no targeting error, no new registrations;
// `tables` adds whole tables ([shocks] among them, with its disaster_rate).
LoadedScenario ai_hand_scenario(const std::string& tables, const std::vector<std::string>& more = {}) {
  std::vector<std::string> settings = ai_alone;
  settings.insert(settings.end(), more.begin(), more.end());
  const std::string deterministic =
      "[income]\npersistent_sd = 0.0\nwage_transitory_sd = 0.0\noperating_transitory_sd = 0.0\n"
      "[targeting]\nexclusion_error = 0.0\ninclusion_error = 0.0\n[assessment]\nnew_poor_identification = 0.0\n";
  return test::small_scenario(deterministic + tables, 1000, "", settings);
}

}  // namespace

TEST_CASE("agricultural insurance: zero budget spends nothing from the pools; premiums are entitlements") {
  const LoadedScenario zero = test::small_scenario("[funding]\nlevel = 0.0\n", 6000, "", ai_alone);
  const SimulationResult r = test::run(zero.scenario, 2);
  const int m = ai_measure(r, "agri_insurance");
  CHECK(ai_spend(r, m) == ai_spend(r, m, static_cast<int>(FundSource::entitlement)));
  CHECK(ai_spend(r, m, static_cast<int>(FundSource::entitlement)) > 0);
  CHECK(ai_beneficiaries(r, m) > 0);
  for (auto v : r.pool_spent_fen) CHECK(v == 0);
}

TEST_CASE("agricultural insurance: no disasters and no price cover pay nothing; price cover pays shortfalls") {
  const LoadedScenario calm = test::small_scenario("[shocks]\ndisaster_rate = 0.0\n", 6000, "", ai_alone);
  const SimulationResult r = test::run(calm.scenario, 2);
  CHECK(ai_total_metric(r, ai_metric(r, "agri_insurance_payout_yuan")) == 0);
  CHECK(ai_beneficiaries(r, ai_measure(r, "agri_insurance")) > 0);
  // The same chance events with price cover: income noise leaves some below the deductible.
  const LoadedScenario priced = test::small_scenario("[shocks]\ndisaster_rate = 0.0\n[measures.agri_insurance]\nprice_cover = 0.5\n",
                                                     6000, "", ai_alone);
  const SimulationResult rp = test::run(priced.scenario, 2);
  CHECK(ai_total_metric(rp, ai_metric(rp, "agri_insurance_payout_yuan")) > 0);
  CHECK(test::hash_values(rp.values) != test::hash_values(r.values));
  // Disasters without price cover pay too.
  const LoadedScenario storms = test::small_scenario("[shocks]\ndisaster_rate = 0.05\n", 6000, "", ai_alone);
  const SimulationResult rs = test::run(storms.scenario, 2);
  CHECK(ai_total_metric(rs, ai_metric(rs, "agri_insurance_payout_yuan")) > 0);
}

TEST_CASE("agricultural insurance trace: with full disaster cover a struck household's loss is repaid") {
  // The only village is struck every month (disaster_rate 1): each month takes
  // disaster_operating_loss of a year's operating income.
  AiHandBuilt hb;
  const auto i = hb.add(LabourCapacity::normal, RegistryStatus::poor, 2, 0);
  const auto near_poor = hb.add(LabourCapacity::normal, RegistryStatus::near_poor, 2, 0);
  const std::vector<std::string> full = {"measures.agri_insurance.disaster_cover=1.0"};
  const LoadedScenario struck = ai_hand_scenario("[shocks]\nillness_rate = 0.0\ndisaster_rate = 1.0\n", full);
  const LoadedScenario calm = ai_hand_scenario("[shocks]\nillness_rate = 0.0\ndisaster_rate = 0.0\n", full);
  const LoadedScenario uncovered =
      ai_hand_scenario("[shocks]\nillness_rate = 0.0\ndisaster_rate = 1.0\n", {"measures.agri_insurance.disaster_cover=0.0"});
  // Price cover pays shortfalls of operating income other than the disasters' (here none: no
  // income noise), so with disaster cover 0 it pays nothing.
  const LoadedScenario priced = ai_hand_scenario(
      "[shocks]\nillness_rate = 0.0\ndisaster_rate = 1.0\n",
      {"measures.agri_insurance.disaster_cover=0.0", "measures.agri_insurance.price_cover=1.0",
       "measures.agri_insurance.deductible=0.0"});
  const int y0 = struck.scenario.first_year;
  const auto a = ai_trace(struck.scenario, hb.pop, i), b = ai_trace(calm.scenario, hb.pop, i),
             c = ai_trace(uncovered.scenario, hb.pop, i), d = ai_trace(priced.scenario, hb.pop, i);
  for (int y = y0; y < y0 + 3; ++y) {
    INFO(y);
    REQUIRE(ai_row(a, y, 1).supported != 0);
    // Month by month the disaster takes its loss; the year end pays it back.
    CHECK(ai_row(a, y, 12).income_so_far < ai_row(b, y, 12).income_so_far - 1000.0f);
    CHECK(ai_row(a, y, 13).income == doctest::Approx(ai_row(b, y, 13).income).epsilon(1e-5));
    CHECK(ai_row(c, y, 13).income < ai_row(b, y, 13).income - 1000.0f);
    CHECK(ai_row(d, y, 13).income == doctest::Approx(ai_row(c, y, 13).income).epsilon(1e-4));
  }
  // The payout is reported: a year's loss is 12 x 0.3 x the year's operating income.
  const Population& pop = hb.pop;
  SimulationOptions opt;
  opt.seed = struck.scenario.seed;
  const SimulationResult r = simulate(struck.scenario, pop, opt);
  const int k = ai_metric(r, "agri_insurance_payout_yuan");
  const double loss0 = 12 * 0.3 * 1200.0 * std::pow(1.05, 0.0);  // first month's growth factor is 1
  CHECK(static_cast<double>(r.measure_metrics[r.cell(0, 0, 0) * r.extra_metrics + k]) > loss0);
  // A household not supported is not insured.
  const auto n1 = ai_trace(struck.scenario, hb.pop, near_poor), n2 = ai_trace(calm.scenario, hb.pop, near_poor);
  CHECK(ai_row(n1, y0, 1).supported == 0);
  CHECK(ai_row(n1, y0, 13).income < ai_row(n2, y0, 13).income - 1000.0f);
}

TEST_CASE("agricultural insurance: premiums are the premium rate of expected operating income, for farm households") {
  AiHandBuilt hb;
  hb.add(LabourCapacity::normal, RegistryStatus::poor, 2, 0);
  const auto no_farm = hb.add(LabourCapacity::weak, RegistryStatus::poor, 1, 1);
  hb.pop.households.base_income[1][no_farm] = 0.0f;  // no operating income: nothing to insure
  const LoadedScenario loaded = ai_hand_scenario("[shocks]\nillness_rate = 0.0\ndisaster_rate = 0.0\n");
  SimulationOptions opt;
  opt.seed = loaded.scenario.seed;
  const SimulationResult r = simulate(loaded.scenario, hb.pop, opt);
  const int m = ai_measure(r, "agri_insurance");
  const double g = loaded.scenario.income.operating_growth;
  for (int y = 0; y < r.years; ++y) {
    double growth = 0;
    for (int mo = 0; mo < 12; ++mo) growth += std::pow(1.0 + g, (12.0 * y + mo) / 12.0) / 12.0;
    const double premium = 0.03 * (1200.0 * growth * 1.0);
    CHECK(r.spend(0, y, 0, m, static_cast<int>(FundSource::entitlement)) ==
          doctest::Approx(std::llround(premium * 100.0)).epsilon(1e-9));
    CHECK(r.city_measure(r.beneficiary_households, 0, y, m) == 1);
  }
}

TEST_CASE("agricultural insurance: supplementary medical lowers out-of-pocket cost, accident cover pays") {
  AiHandBuilt hb;
  const auto i = hb.add(LabourCapacity::normal, RegistryStatus::poor, 2, 0);
  const std::string shocks = "[shocks]\ndisaster_rate = 0.0\nillness_rate = 0.3\n[guarantees]\ninsurance_enrolment = 1.0\n";
  const LoadedScenario base = ai_hand_scenario(shocks);
  const LoadedScenario extra = ai_hand_scenario(
      shocks, {"measures.agri_insurance.supplementary_medical=0.5", "measures.agri_insurance.accident_cover=800.0",
               "measures.agri_insurance.personal_premium=20.0"});
  const auto a = ai_trace(base.scenario, hb.pop, i), b = ai_trace(extra.scenario, hb.pop, i);
  const int y0 = base.scenario.first_year;
  REQUIRE(ai_row(a, y0, 12).medical > 0);
  CHECK(ai_row(b, y0, 12).medical == doctest::Approx(0.5 * ai_row(a, y0, 12).medical).epsilon(1e-4));
  CHECK(ai_row(b, y0, 13).income == doctest::Approx(ai_row(a, y0, 13).income + 800.0).epsilon(1e-5));
  SimulationOptions opt;
  opt.seed = extra.scenario.seed;
  const SimulationResult r = simulate(extra.scenario, hb.pop, opt);
  CHECK(r.measure_metrics[r.cell(0, 0, 0) * r.extra_metrics + ai_metric(r, "agri_insurance_accident_yuan")] == 800);
  // Premiums: the farm policy plus 20 yuan per member.
  const int m = ai_measure(r, "agri_insurance");
  const SimulationResult rb = simulate(base.scenario, hb.pop, opt);
  CHECK(r.spend(0, 0, 0, m, static_cast<int>(FundSource::entitlement)) ==
        rb.spend(0, 0, 0, m, static_cast<int>(FundSource::entitlement)) + 2 * 20 * 100);
}

}  // namespace tuopin
