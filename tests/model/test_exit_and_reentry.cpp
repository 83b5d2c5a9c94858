// The registry's verification with survey error, re-entry and its causes, and village and
// county exit, through the simulation (issue: exit, re-entry and the three-year target).
#include <doctest/doctest.h>

#include <cmath>

#include "exit_assessment.h"
#include "income_process.h"
#include "metrics.h"
#include "test_support.h"

namespace tuopin {

namespace {

using test::total;

// No chance in incomes and no shocks: each household's income is its expected income.
const std::string no_chance =
    "[income]\nwage_growth = 0.0\noperating_growth = 0.0\npersistent_sd = 0.0\n"
    "wage_transitory_sd = 0.0\noperating_transitory_sd = 0.0\n"
    "[shocks]\nillness_rate = 0.0\ndisaster_rate = 0.0\n";

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

}  // namespace

TEST_CASE("survey error zero gives no wrong exits, and some with error") {
  const LoadedScenario exact = test::small_scenario("[assessment]\nsurvey_error_sd = 0.0\n", 8000);
  const SimulationResult r0 = test::run(exact.scenario, 2);
  CHECK(total(r0, Metric::exit_people) > 0);
  CHECK(total(r0, Metric::wrong_exit_people) == 0);
  CHECK(total(r0, Metric::fall_wrong_exit_people) == 0);
  const LoadedScenario noisy = test::small_scenario("[assessment]\nsurvey_error_sd = 0.3\n", 8000);
  const SimulationResult r1 = test::run(noisy.scenario, 2);
  CHECK(total(r1, Metric::wrong_exit_people) > 0);
  CHECK(total(r1, Metric::fall_wrong_exit_people) > 0);
  // A wrong exit is an exit: never more people than exited.
  CHECK(total(r1, Metric::wrong_exit_people) <= total(r1, Metric::exit_people));
}

TEST_CASE("exits under survey error follow the normal law (statistical)") {
  // Incomes without chance, no shocks, the income test alone: a poor household of per-capita
  // income y exits in the first year with probability P(y exp(sd z - sd^2/2) >= L) =
  // Phi((ln(y / L) - sd^2 / 2) / sd). The expected first-year exits are the sum of these over
  // the population's registered poor (log-normal incomes, truncated by the registry's measure);
  // the count's variance is the sum of p(1 - p). Over 4 replicates the simulated count must lie
  // within 4 standard deviations (a false alarm once in about 16,000 runs).
  const double sd = 0.2;
  const LoadedScenario loaded =
      test::small_scenario(no_chance + "[assessment]\nrequire_guarantees = false\nsurvey_error_sd = 0.2\n", 20000);
  const Scenario& s = loaded.scenario;
  const Population pop = synthesise_population(s);
  const IncomeProcess income(s);
  const Households& h = pop.households;
  const double line = s.poverty_line(s.first_year);
  double expected = 0, variance = 0;
  for (std::size_t i = 0; i < h.count(); ++i) {
    if (h.status0[i] != RegistryStatus::poor) continue;
    const double y = (h.base_income[0][i] + h.base_income[1][i] +
                      12.0 * income.fixed_monthly(h.base_income[2][i], h.base_income[3][i], h.flags[i], h.size[i])) /
                     h.size[i];
    const double p = y > 0 ? normal_cdf((std::log(y / line) - 0.5 * sd * sd) / sd) : 0.0;
    expected += p;
    variance += p * (1 - p);
  }
  const int replicates = 4;
  SimulationOptions opt;
  opt.replicates = replicates;
  opt.seed = s.seed;
  const SimulationResult r = simulate(s, pop, opt);
  double simulated = 0;
  for (int k = 0; k < replicates; ++k) simulated += static_cast<double>(r.city_total(k, 0, Metric::exit_households));
  const double mean = simulated / replicates;
  const double se = std::sqrt(variance / replicates);
  MESSAGE("first-year exits: simulated " << mean << ", expected " << expected << " (se " << se << ")");
  CHECK(expected > 100);  // the test has power: a real number of exits is expected
  CHECK(std::fabs(mean - expected) < 4 * se);
}

TEST_CASE("re-entry is counted once per fall, and each fall again after a new exit") {
  // One exited household at half the line, with the line moved around it: below in 2016 (a
  // fall), above in 2017 (an exit), below in 2018 (a second fall). Incomes and verification are
  // exact and the verification finds every case.
  test::HandBuilt hb;
  hb.add(LabourCapacity::normal, RegistryStatus::exited, Cause::lack_of_capital, 2, 0, 0);
  const std::string keys = no_chance +
                           "[assessment]\nrequire_guarantees = false\nsurvey_error_sd = 0.0\n"
                           "reentry_identification = 1.0\nmonitored_identification = 1.0\n";
  SimulationOptions opt;
  opt.replicates = 1;
  {
    const LoadedScenario loaded = test::small_scenario(
        keys + "[poverty_line]\nyuan = [2800.0, 2855.0, 3000.0, 3000.0, 3000.0]\n", 1000);
    const SimulationResult r = simulate(loaded.scenario, hb.pop, opt);
    CHECK(r.city_total(0, 0, Metric::reentry_households) == 1);
    CHECK(r.city_total(0, 1, Metric::reentry_households) == 0);  // still below: the same fall
    CHECK(r.city_total(0, 2, Metric::reentry_households) == 0);
    CHECK(r.city_total(0, 2, Metric::poor_end_households) == 1);
  }
  {
    const LoadedScenario loaded = test::small_scenario(
        keys + "[poverty_line]\nyuan = [2800.0, 2855.0, 3000.0, 1000.0, 3000.0]\n", 1000);
    const SimulationResult r = simulate(loaded.scenario, hb.pop, opt);
    CHECK(r.city_total(0, 0, Metric::reentry_households) == 1);
    CHECK(r.city_total(0, 1, Metric::exit_households) == 1);
    CHECK(r.city_total(0, 2, Metric::reentry_households) == 1);
    CHECK(total(r, Metric::reentry_people) == 4);
    // No event was recorded in either year: both falls are income drift.
    CHECK(total(r, Metric::fall_no_event_people) == 4);
  }
}

TEST_CASE("a fall is recorded under the year's events") {
  test::HandBuilt hb;
  hb.add(LabourCapacity::normal, RegistryStatus::exited, Cause::lack_of_capital, 2, 0, 0);
  SimulationOptions opt;
  opt.replicates = 1;
  const LoadedScenario loaded = test::small_scenario(
      "[income]\nwage_growth = 0.0\noperating_growth = 0.0\npersistent_sd = 0.0\n"
      "wage_transitory_sd = 0.0\noperating_transitory_sd = 0.0\n"
      "[shocks]\nillness_rate = 0.3\nchronic_illness_multiplier = 1.0\ndisaster_rate = 0.0\n"
      "[assessment]\nrequire_guarantees = false\nsurvey_error_sd = 0.0\nreentry_identification = 1.0\n",
      1000);
  const SimulationResult r = simulate(loaded.scenario, hb.pop, opt);
  // Monthly illness with probability 0.3: an episode in 2016 is all but certain (1 - 0.7^12).
  REQUIRE(r.city_total(0, 0, Metric::illness_episodes) > 0);
  CHECK(r.city_total(0, 0, Metric::reentry_people) == 2);
  CHECK(r.city_total(0, 0, Metric::fall_illness_people) == 2);
  CHECK(r.city_total(0, 0, Metric::fall_no_event_people) == 0);
  CHECK(r.city_total(0, 0, Metric::fall_disaster_people) == 0);
}

TEST_CASE("with nobody poor and every guarantee met, every poor village and county exits in the first year") {
  // A line of zero, the income test alone, safe housing, universal insurance, no shocks.
  const std::string keys =
      "[poverty_line]\nyuan = [0.0, 0.0, 0.0, 0.0, 0.0]\n"
      "[assessment]\nrequire_guarantees = false\n"
      "[guarantees]\ninsurance_enrolment = 1.0\n"
      "[shocks]\nillness_rate = 0.0\ndisaster_rate = 0.0\n"
      "[village_exit]\nrequire_road = false\nrequire_water = false\ncollective_income_min = 0.0\n";
  const std::string safe = "housing_shares_poor = [1.0, 0.0, 0.0]\nhousing_shares_other = [1.0, 0.0, 0.0]\n";
  const LoadedScenario loaded = test::small_scenario(keys, 4000, safe);
  const SimulationResult r = test::run(loaded.scenario, 2);
  const int C = r.counties;
  for (int k = 0; k < r.replicates; ++k) {
    CHECK(r.city_total(k, 0, Metric::county_exited) == C);
    CHECK(r.city_total(k, 0, Metric::poor_villages_exited) == r.city_total(k, 0, Metric::poor_villages));
    CHECK(r.city_total(k, 0, Metric::villages_exiting) == r.city_total(k, 0, Metric::poor_villages));
    CHECK(r.city_total(k, 1, Metric::villages_exiting) == 0);  // exit is permanent: counted once
    CHECK(r.city_total(k, 2, Metric::county_exited) == C);
    for (int v = 0; v < r.villages; ++v) {
      const int year = r.village_exit_year[static_cast<std::size_t>(k) * r.villages + v];
      CHECK((year == 0 || year == r.first_year));
    }
  }
  // The same with an approval below the limit: no county ever exits; villages still do.
  const LoadedScenario disapproved = test::small_scenario(keys + "[county_exit]\npublic_approval = 0.8\n", 4000, safe);
  const SimulationResult rd = test::run(disapproved.scenario, 1);
  CHECK(rd.city_total(0, 2, Metric::county_exited) == 0);
  CHECK(rd.city_total(0, 2, Metric::county_fails_approval) == C);
  CHECK(rd.city_total(0, 0, Metric::poor_villages_exited) == rd.city_total(0, 0, Metric::poor_villages));
  // And with the village criteria back on, villages without a road or water, or with too little
  // collective income, stay; so does every county (all poor villages must exit).
  const LoadedScenario strict = test::small_scenario(
      "[poverty_line]\nyuan = [0.0, 0.0, 0.0, 0.0, 0.0]\n[assessment]\nrequire_guarantees = false\n"
      "[guarantees]\ninsurance_enrolment = 1.0\n[shocks]\nillness_rate = 0.0\ndisaster_rate = 0.0\n",
      4000, safe);
  const SimulationResult rs = test::run(strict.scenario, 1);
  CHECK(rs.city_total(0, 2, Metric::poor_villages_exited) < rs.city_total(0, 2, Metric::poor_villages));
  CHECK(rs.city_total(0, 2, Metric::county_fails_villages) > 0);
}

TEST_CASE("the registry's start: registered poor are measured below the line before the window") {
  // With poor_measured_below_line and no survey error, every registered poor household's
  // expected income with benefits is below the 2015 line, except 五保 households whose support
  // alone reaches it; without the truncation a good share start above it.
  const LoadedScenario exact = test::small_scenario("[assessment]\nsurvey_error_sd = 0.0\n", 20000);
  const LoadedScenario untruncated =
      test::small_scenario("[assessment]\nsurvey_error_sd = 0.0\n", 20000, "poor_measured_below_line = false\n");
  auto above = [](const Scenario& s) {
    const Population pop = synthesise_population(s);
    const IncomeProcess income(s);
    const Households& h = pop.households;
    const double line_2015 = 2855.0;
    std::size_t n = 0, poor = 0;
    for (std::size_t i = 0; i < h.count(); ++i) {
      if (h.status0[i] != RegistryStatus::poor) continue;
      ++poor;
      const double y = h.base_income[0][i] + h.base_income[1][i] +
                       12.0 * income.fixed_monthly(h.base_income[2][i], h.base_income[3][i], h.flags[i], h.size[i]);
      if (y >= line_2015 * h.size[i] && !(h.flags[i] & household_flag::wubao)) ++n;
    }
    return static_cast<double>(n) / static_cast<double>(poor);
  };
  CHECK(above(exact.scenario) < 1e-3);  // float rounding of the sources at most
  CHECK(above(untruncated.scenario) > 0.1);
}

TEST_CASE("village and county counts add up and are thread-count invariant") {
  const LoadedScenario loaded = test::small_scenario("", 6000, "", test::every_measure_on());
  const Scenario& s = loaded.scenario;
  const Population pop = synthesise_population(s);
  SimulationOptions opt;
  opt.replicates = 2;
  opt.seed = s.seed;
  const auto [r1, t1] = test::with_threads(1, [&] { return simulate(s, pop, opt); });
  const auto [r4, t4] = test::with_threads(4, [&] { return simulate(s, pop, opt); });
  CHECK(t1 == 1);
  CHECK(t4 == 4);
  CHECK(r1.values == r4.values);
  CHECK(r1.village_exit_year == r4.village_exit_year);
  for (int k = 0; k < r1.replicates; ++k)
    for (int y = 0; y < r1.years; ++y) {
      CHECK(r1.city_total(k, y, Metric::registered_people_end) ==
            r1.city_total(k, y, Metric::poor_end_people) + r1.city_total(k, y, Metric::exited_people_end));
      CHECK(r1.city_total(k, y, Metric::wrongly_exited_people) <= r1.city_total(k, y, Metric::exited_people_end));
      CHECK(r1.city_total(k, y, Metric::poor_villages_exited) <= r1.city_total(k, y, Metric::poor_villages));
      const std::int64_t falls = r1.city_total(k, y, Metric::reentry_people) + r1.city_total(k, y, Metric::new_poor_people);
      // Every fall is counted under at least one cause (several events count several times).
      std::int64_t by_cause = 0;
      for (Metric m : {Metric::fall_illness_people, Metric::fall_disaster_people, Metric::fall_job_loss_people,
                       Metric::fall_measure_ended_people, Metric::fall_relocation_return_people,
                       Metric::fall_price_fall_people, Metric::fall_wrong_exit_people, Metric::fall_no_event_people})
        by_cause += r1.city_total(k, y, m);
      CHECK(by_cause >= falls);
      CHECK(r1.city_total(k, y, Metric::fall_no_event_people) <= falls);
    }
}

}  // namespace tuopin

namespace tuopin {

TEST_CASE("a flood year strikes about flood_village_share of the villages in its month (statistical)") {
  // Without ordinary disasters, the flood of 2017 is the only disaster: disaster events happen in
  // 2017 only, and the share of households struck is near the share of villages struck (1,640
  // villages at 0.3: the count of struck villages has sd about 1.1 points, so 0.3 +- 0.06 is
  // over 5 sd; households weight villages unevenly, which the wide band also covers).
  const LoadedScenario loaded = test::small_scenario(
      "[shocks]\ndisaster_rate = 0.0\nflood_year = 2017\nflood_month = 6\nflood_village_share = 0.3\n", 8000);
  const SimulationResult r = test::run(loaded.scenario, 1);
  CHECK(r.city_total(0, 0, Metric::disaster_households) == 0);
  CHECK(r.city_total(0, 2, Metric::disaster_households) == 0);
  const Population pop = synthesise_population(loaded.scenario);
  const double share = static_cast<double>(r.city_total(0, 1, Metric::disaster_households)) /
                       static_cast<double>(pop.households.count());
  CHECK(share == doctest::Approx(0.3).epsilon(0.2));
}

TEST_CASE("a downturn year takes wages away and its falls are recorded as job loss") {
  // Everybody with wages loses them for the whole of 2017: re-entries and new poor of 2017 are
  // all recorded under job loss; wage income lost lowers the poor's income that year.
  const std::string exact =
      "[income]\nwage_growth = 0.0\noperating_growth = 0.0\npersistent_sd = 0.0\n"
      "wage_transitory_sd = 0.0\noperating_transitory_sd = 0.0\n"
      "[shocks]\nillness_rate = 0.0\ndisaster_rate = 0.0\n[assessment]\nsurvey_error_sd = 0.0\n";
  const LoadedScenario calm = test::small_scenario(exact, 8000);
  const LoadedScenario hit = test::small_scenario(
      exact, 8000, "", {"shocks.downturn_year=2017", "shocks.downturn_job_loss=1.0", "shocks.downturn_months=12"});
  const SimulationResult rc = test::run(calm.scenario, 1), rh = test::run(hit.scenario, 1);
  CHECK(rh.city_total(0, 0, Metric::income_poor_yuan) == rc.city_total(0, 0, Metric::income_poor_yuan));
  CHECK(rh.city_total(0, 1, Metric::income_poor_yuan) < rc.city_total(0, 1, Metric::income_poor_yuan));
  const std::int64_t falls = rh.city_total(0, 1, Metric::reentry_people) + rh.city_total(0, 1, Metric::new_poor_people);
  CHECK(falls > rc.city_total(0, 1, Metric::reentry_people) + rc.city_total(0, 1, Metric::new_poor_people));
  // Households without wages can fall for other reasons (none here: no shocks, no chance), so
  // every fall of 2017 is a household that lost its wages.
  CHECK(rh.city_total(0, 1, Metric::fall_job_loss_people) == falls);
  CHECK(rh.city_total(0, 0, Metric::fall_job_loss_people) == 0);
}

}  // namespace tuopin
