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

std::int64_t ai_total_metric(const SimulationResult& r, int k) {
  std::int64_t sum = 0;
  for (int rep = 0; rep < r.replicates; ++rep)
    for (int y = 0; y < r.years; ++y)
      for (int c = 0; c < r.counties; ++c) sum += r.measure_metrics[r.cell(rep, y, c) * r.extra_metrics + k];
  return sum;
}

const std::vector<std::string> ai_alone = {"measures.agri_insurance.enabled=true", "targeting.pathway_no_labour=none",
                                           "targeting.pathway_willing=none", "targeting.pathway_unwilling=none"};

// One county, one village, households set by hand (as in test_measures.cpp).

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
  const int m = test::measure_index(r, "agri_insurance");
  CHECK(test::spend_total(r, m) == test::spend_total(r, m, static_cast<int>(FundSource::entitlement)));
  CHECK(test::spend_total(r, m, static_cast<int>(FundSource::entitlement)) > 0);
  CHECK(test::beneficiaries_total(r, m) > 0);
  for (auto v : r.pool_spent_fen) CHECK(v == 0);
}

TEST_CASE("agricultural insurance: no disasters and no price cover pay nothing; price cover pays shortfalls") {
  const LoadedScenario calm = test::small_scenario("[shocks]\ndisaster_rate = 0.0\n", 6000, "", ai_alone);
  const SimulationResult r = test::run(calm.scenario, 2);
  CHECK(ai_total_metric(r, test::metric_index(r, "agri_insurance_payout_yuan")) == 0);
  CHECK(test::beneficiaries_total(r, test::measure_index(r, "agri_insurance")) > 0);
  // The same chance events with price cover: income noise leaves some below the deductible.
  const LoadedScenario priced = test::small_scenario("[shocks]\ndisaster_rate = 0.0\n[measures.agri_insurance]\nprice_cover = 0.5\n",
                                                     6000, "", ai_alone);
  const SimulationResult rp = test::run(priced.scenario, 2);
  CHECK(ai_total_metric(rp, test::metric_index(rp, "agri_insurance_payout_yuan")) > 0);
  CHECK(test::hash_values(rp.values) != test::hash_values(r.values));
  // Disasters without price cover pay too.
  const LoadedScenario storms = test::small_scenario("[shocks]\ndisaster_rate = 0.05\n", 6000, "", ai_alone);
  const SimulationResult rs = test::run(storms.scenario, 2);
  CHECK(ai_total_metric(rs, test::metric_index(rs, "agri_insurance_payout_yuan")) > 0);
}

TEST_CASE("agricultural insurance trace: with full disaster cover a struck household's loss is repaid") {
  // The only village is struck every month (disaster_rate 1): each month takes
  // disaster_operating_loss of a year's operating income.
  test::HandBuilt hb;
  const auto i = hb.add(LabourCapacity::normal, RegistryStatus::poor, Cause::lack_of_capital, 2, 0, 0);
  const auto near_poor = hb.add(LabourCapacity::normal, RegistryStatus::near_poor, Cause::lack_of_capital, 2, 0, 0);
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
  const auto a = test::trace_of(struck.scenario, hb.pop, i), b = test::trace_of(calm.scenario, hb.pop, i),
             c = test::trace_of(uncovered.scenario, hb.pop, i), d = test::trace_of(priced.scenario, hb.pop, i);
  for (int y = y0; y < y0 + 3; ++y) {
    INFO(y);
    REQUIRE(test::trace_row(a, y, 1).supported != 0);
    // Month by month the disaster takes its loss; the year end pays it back.
    CHECK(test::trace_row(a, y, 12).income_so_far < test::trace_row(b, y, 12).income_so_far - 1000.0f);
    CHECK(test::trace_row(a, y, 13).income == doctest::Approx(test::trace_row(b, y, 13).income).epsilon(1e-5));
    CHECK(test::trace_row(c, y, 13).income < test::trace_row(b, y, 13).income - 1000.0f);
    CHECK(test::trace_row(d, y, 13).income == doctest::Approx(test::trace_row(c, y, 13).income).epsilon(1e-4));
  }
  // The payout is reported: a year's loss is 12 x 0.3 x the year's operating income.
  const Population& pop = hb.pop;
  SimulationOptions opt;
  opt.seed = struck.scenario.seed;
  const SimulationResult r = simulate(struck.scenario, pop, opt);
  const int k = test::metric_index(r, "agri_insurance_payout_yuan");
  const double loss0 = 12 * 0.3 * 1200.0 * std::pow(1.05, 0.0);  // first month's growth factor is 1
  CHECK(static_cast<double>(r.measure_metrics[r.cell(0, 0, 0) * r.extra_metrics + k]) > loss0);
  // A household not supported is not insured.
  const auto n1 = test::trace_of(struck.scenario, hb.pop, near_poor), n2 = test::trace_of(calm.scenario, hb.pop, near_poor);
  CHECK(test::trace_row(n1, y0, 1).supported == 0);
  CHECK(test::trace_row(n1, y0, 13).income < test::trace_row(n2, y0, 13).income - 1000.0f);
}

TEST_CASE("agricultural insurance: premiums are the premium rate of expected operating income, for farm households") {
  test::HandBuilt hb;
  hb.add(LabourCapacity::normal, RegistryStatus::poor, Cause::lack_of_capital, 2, 0, 0);
  const auto no_farm = hb.add(LabourCapacity::weak, RegistryStatus::poor, Cause::lack_of_capital, 1, 0, 1);
  hb.pop.households.base_income[1][no_farm] = 0.0f;  // no operating income: nothing to insure
  const LoadedScenario loaded = ai_hand_scenario("[shocks]\nillness_rate = 0.0\ndisaster_rate = 0.0\n");
  SimulationOptions opt;
  opt.seed = loaded.scenario.seed;
  const SimulationResult r = simulate(loaded.scenario, hb.pop, opt);
  const int m = test::measure_index(r, "agri_insurance");
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
  test::HandBuilt hb;
  const auto i = hb.add(LabourCapacity::normal, RegistryStatus::poor, Cause::lack_of_capital, 2, 0, 0);
  const std::string shocks = "[shocks]\ndisaster_rate = 0.0\nillness_rate = 0.3\nillness_age_risk = [1.0, 1.0, 1.0, 1.0]\n[guarantees]\ninsurance_enrolment = 1.0\n";
  const LoadedScenario base = ai_hand_scenario(shocks);
  const LoadedScenario extra = ai_hand_scenario(
      shocks, {"measures.agri_insurance.supplementary_medical=0.5", "measures.agri_insurance.accident_cover=800.0",
               "measures.agri_insurance.personal_premium=20.0"});
  const auto a = test::trace_of(base.scenario, hb.pop, i), b = test::trace_of(extra.scenario, hb.pop, i);
  const int y0 = base.scenario.first_year;
  REQUIRE(test::trace_row(a, y0, 12).medical > 0);
  CHECK(test::trace_row(b, y0, 12).medical == doctest::Approx(0.5 * test::trace_row(a, y0, 12).medical).epsilon(1e-4));
  CHECK(test::trace_row(b, y0, 13).income == doctest::Approx(test::trace_row(a, y0, 13).income + 800.0).epsilon(1e-5));
  SimulationOptions opt;
  opt.seed = extra.scenario.seed;
  const SimulationResult r = simulate(extra.scenario, hb.pop, opt);
  CHECK(r.measure_metrics[r.cell(0, 0, 0) * r.extra_metrics + test::metric_index(r, "agri_insurance_accident_yuan")] == 800);
  // Premiums: the farm policy plus 20 yuan per member.
  const int m = test::measure_index(r, "agri_insurance");
  const SimulationResult rb = simulate(base.scenario, hb.pop, opt);
  CHECK(r.spend(0, 0, 0, m, static_cast<int>(FundSource::entitlement)) ==
        rb.spend(0, 0, 0, m, static_cast<int>(FundSource::entitlement)) + 2 * 20 * 100);
}

}  // namespace tuopin
