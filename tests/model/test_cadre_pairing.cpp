// Cadre pairing (model/measures/cadre_pairing.cpp): the coverage from cadres by rank, and what
// pairing does through targeting: fewer registered households missed, more willing to develop
// an industry, more take-up; beneficiaries are the supported households paired.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "measures/measure.h"
#include "measures/registry.h"
#include "test_support.h"

namespace tuopin {
namespace {

std::int64_t beneficiaries(const SimulationResult& r, std::string_view name, int year, int rep = 0) {
  return r.city_measure(r.beneficiary_households, rep, year, test::measure_index(r, name));
}

SimulationResult run_on(const Scenario& s, const Population& pop, int replicates = 1) {
  SimulationOptions opt;
  opt.seed = s.seed;
  opt.replicates = replicates;
  return simulate(s, pop, opt);
}

// Industry as the only pathway, for every registered household with labour, funded in full
// (100 times the city's money for a small population) and without errors of inclusion.
// The text ends in [targeting]: a test adds keys of that table.
const std::string industry_only =
    "[funding]\nlevel = 100.0\n"
    "[targeting]\ninclusion_error = 0.0\npathway_no_labour = \"none\"\npathway_unwilling = \"none\"\n";
const std::vector<std::string> industry_on = {"measures.industry.enabled=true"};
std::vector<std::string> with_pairing(std::vector<std::string> v) {
  v.push_back("measures.cadre_pairing.enabled=true");
  return v;
}

}  // namespace

TEST_CASE("cadre pairing: coverage is the cadres' capacity over the poor households, capped at 1") {
  // Defaults: 4000 x 5 + 16000 x 4 + 26000 x 3 = 162,000 places for 159,000 households.
  const LoadedScenario full = test::small_scenario("", 1000, "", with_pairing({}));
  const Targeting& t = full.scenario.targeting;
  CHECK(t.pairing_coverage == 1.0);
  CHECK(t.paired_exclusion_factor == doctest::Approx(0.5));
  CHECK(t.paired_willingness_factor == doctest::Approx(1.2));
  CHECK(t.paired_take_up_gain == doctest::Approx(0.1));
  const LoadedScenario part = test::small_scenario(
      "[measures.cadre_pairing]\ncadres = [100, 200, 1000]\nhouseholds_per_cadre = [5.0, 2.5, 1.0]\n"
      "poor_households = 4000\n", 1000, "", with_pairing({}));
  CHECK(part.scenario.targeting.pairing_coverage == doctest::Approx((500.0 + 500.0 + 1000.0) / 4000.0));
  // Switched off, targeting keeps its neutral values whatever the section says.
  const LoadedScenario off = test::small_scenario("[measures.cadre_pairing]\nexclusion_factor = 0.0\n", 1000);
  CHECK(off.scenario.targeting.pairing_coverage == 0.0);
  CHECK(off.scenario.targeting.paired_exclusion_factor == 1.0);
  CHECK(off.scenario.targeting.paired_willingness_factor == 1.0);
  CHECK(off.scenario.targeting.paired_take_up_gain == 0.0);
}

TEST_CASE("cadre pairing: with full coverage and exclusion factor 0 no registered household is missed") {
  // Everyone willing, so the industry projects of the first year are the identified registered
  // households with labour: with pairing they must equal a run without exclusion error, exactly.
  const std::string all_willing =
      "willingness_base = 1.0\nlow_motivation_factor = 1.0\nelderly_factor = 1.0\nweak_labour_factor = 1.0\n";
  const std::string keys = industry_only + all_willing;
  const LoadedScenario none = test::small_scenario(keys + "exclusion_error = 0.0\n", 10000, "", industry_on);
  const LoadedScenario half = test::small_scenario(keys + "exclusion_error = 0.5\n", 10000, "", industry_on);
  const LoadedScenario paired = test::small_scenario(
      keys + "exclusion_error = 0.5\n[measures.cadre_pairing]\nexclusion_factor = 0.0\nwillingness_factor = 1.0\n"
             "take_up_gain = 0.0\n",
      10000, "", with_pairing(industry_on));
  const Population pop = synthesise_population(none.scenario);
  const std::int64_t all = beneficiaries(run_on(none.scenario, pop), "industry", 0);
  const std::int64_t with = beneficiaries(run_on(paired.scenario, pop), "industry", 0);
  const std::int64_t without = beneficiaries(run_on(half.scenario, pop), "industry", 0);
  MESSAGE("identified with labour: " << all << "; exclusion 0.5 unpaired " << without << ", paired " << with);
  REQUIRE(all > 1000);
  CHECK(with == all);
  // Unpaired, each is missed with probability 0.5 (binomial; tolerance 4 standard deviations).
  CHECK(std::abs(static_cast<double>(without) - 0.5 * all) <= 4.0 * std::sqrt(0.25 * all));
}

TEST_CASE("cadre pairing: the willingness factor raises the industry pathway's share (statistical)") {
  // Every registered household with labour identified (no exclusion error) and funded at once:
  // the first year's industry projects count the willing ones. Their number must be within 4
  // standard deviations of the sum of the households' willingness probabilities, unpaired and
  // paired (factor 1.5 on a base of 0.5); the paired count must be higher.
  const std::string keys = industry_only + "exclusion_error = 0.0\nwillingness_base = 0.5\n";
  const LoadedScenario base = test::small_scenario(keys, 20000, "", industry_on);
  const LoadedScenario paired = test::small_scenario(
      keys + "[measures.cadre_pairing]\nwillingness_factor = 1.5\nexclusion_factor = 1.0\ntake_up_gain = 0.0\n",
      20000, "", with_pairing(industry_on));
  REQUIRE(paired.scenario.targeting.pairing_coverage == 1.0);
  const Population pop = synthesise_population(base.scenario);
  const Households& h = pop.households;
  double e0 = 0, v0 = 0, e1 = 0, v1 = 0, labour = 0;
  for (std::size_t i = 0; i < h.count(); ++i) {
    if (!counts_as_poor(h.status0[i]) || h.labour[i] == LabourCapacity::none) continue;
    const double p0 = base.scenario.targeting.willingness_probability(h, i, false);
    const double p1 = paired.scenario.targeting.willingness_probability(h, i, true);
    e0 += p0;
    v0 += p0 * (1 - p0);
    e1 += p1;
    v1 += p1 * (1 - p1);
    labour += 1;
  }
  const auto n0 = static_cast<double>(beneficiaries(run_on(base.scenario, pop), "industry", 0));
  const auto n1 = static_cast<double>(beneficiaries(run_on(paired.scenario, pop), "industry", 0));
  MESSAGE("industry share of registered households with labour: unpaired " << n0 / labour << " (expected "
                                                                         << e0 / labour << "), paired " << n1 / labour
                                                                         << " (expected " << e1 / labour << ")");
  CHECK(std::abs(n0 - e0) <= 4.0 * std::sqrt(v0));
  CHECK(std::abs(n1 - e1) <= 4.0 * std::sqrt(v1));
  CHECK(e1 > 1.3 * e0);
  CHECK(n1 > n0);
}

TEST_CASE("cadre pairing: the take-up gain is added to a measure's take-up") {
  // Industry offered with take-up 0.5: paired households with a gain of 0.5 all take it, as
  // unpaired ones do at take-up 1.
  const std::string keys = industry_only + "exclusion_error = 0.0\n";
  const LoadedScenario sure = test::small_scenario(keys, 10000, "", industry_on);
  const LoadedScenario half = test::small_scenario(keys + "[measures.industry]\ntake_up = 0.5\n", 10000, "", industry_on);
  const LoadedScenario helped = test::small_scenario(
      keys + "[measures.industry]\ntake_up = 0.5\n[measures.cadre_pairing]\ntake_up_gain = 0.5\nwillingness_factor = 1.0\n"
             "exclusion_factor = 1.0\n",
      10000, "", with_pairing(industry_on));
  const Population pop = synthesise_population(sure.scenario);
  const std::int64_t n_sure = beneficiaries(run_on(sure.scenario, pop), "industry", 0);
  const std::int64_t n_half = beneficiaries(run_on(half.scenario, pop), "industry", 0);
  const std::int64_t n_helped = beneficiaries(run_on(helped.scenario, pop), "industry", 0);
  REQUIRE(n_sure > 500);
  CHECK(n_helped == n_sure);
  CHECK(std::abs(static_cast<double>(n_half) - 0.5 * n_sure) <= 4.0 * std::sqrt(0.25 * n_sure));
}

TEST_CASE("cadre pairing: beneficiaries are the supported households that are paired") {
  // Health reaches every supported household from 2016: with full coverage the two counts are
  // equal; with a quarter, each supported household is paired with probability 0.25
  // (binomial; tolerance 4 standard deviations). No money is spent.
  const std::vector<std::string> on = {"measures.health.enabled=true", "measures.cadre_pairing.enabled=true"};
  const std::string neutral = "[measures.cadre_pairing]\nexclusion_factor = 1.0\nwillingness_factor = 1.0\n";
  const LoadedScenario full = test::small_scenario(neutral, 10000, "", on);
  const LoadedScenario quarter = test::small_scenario(
      neutral + "cadres = [0, 0, 39750]\nhouseholds_per_cadre = [0.0, 0.0, 1.0]\n", 10000, "", on);
  CHECK(quarter.scenario.targeting.pairing_coverage == doctest::Approx(0.25));
  const Population pop = synthesise_population(full.scenario);
  const SimulationResult rf = run_on(full.scenario, pop, 2), rq = run_on(quarter.scenario, pop, 2);
  for (int k = 0; k < 2; ++k)
    for (int y = 0; y < rf.years; ++y) {
      const std::int64_t supported = beneficiaries(rf, "health", y, k);
      REQUIRE(supported > 1000);
      CHECK(beneficiaries(rf, "cadre_pairing", y, k) == supported);
      const double q = static_cast<double>(beneficiaries(rq, "cadre_pairing", y, k));
      const double n = static_cast<double>(beneficiaries(rq, "health", y, k));
      CHECK(std::abs(q - 0.25 * n) <= 4.0 * std::sqrt(n * 0.25 * 0.75));
    }
  const int me = test::measure_index(rf, "cadre_pairing");
  for (int k = 0; k < 2; ++k)
    for (int y = 0; y < rf.years; ++y)
      for (int c = 0; c < rf.counties; ++c)
        for (int s = 0; s < fund_source_count; ++s) CHECK(rf.spend(k, y, c, me, s) == 0);
}

}  // namespace tuopin
