// The simulation loop: invariants, accounting identities, determinism and common random numbers.
#include <doctest/doctest.h>
#include <chrono>

#include <tbb/global_control.h>

#include "test_support.h"

using namespace tuopin;

namespace {
using test::total;
}  // namespace

TEST_CASE("stocks and flows add up every year") {
  const LoadedScenario loaded = test::small_scenario();
  const SimulationResult r = test::run(loaded.scenario, 2);
  for (int k = 0; k < r.replicates; ++k)
    for (int y = 0; y < r.years; ++y)
      for (int c = 0; c < r.counties; ++c) {
        CAPTURE(k);
        CAPTURE(y);
        CAPTURE(c);
        const auto at = [&](Metric m) { return r.at(k, y, c, m); };
        CHECK(at(Metric::poor_end_people) == at(Metric::poor_start_people) - at(Metric::exit_people) +
                                                 at(Metric::reentry_people) + at(Metric::new_poor_people));
        CHECK(at(Metric::poor_end_households) ==
              at(Metric::poor_start_households) - at(Metric::exit_households) +
                  at(Metric::reentry_households) + at(Metric::new_poor_households));
        if (y + 1 < r.years) CHECK(r.at(k, y + 1, c, Metric::poor_start_people) == at(Metric::poor_end_people));
      }
  // The first year starts from the registry.
  const Population pop = synthesise_population(loaded.scenario);
  std::int64_t poor = 0;
  for (std::size_t i = 0; i < pop.households.count(); ++i)
    if (pop.households.status0[i] == RegistryStatus::poor) poor += pop.households.size[i];
  CHECK(r.city_total(0, 0, Metric::poor_start_people) == poor);
  // The baseline has every kind of flow.
  CHECK(total(r, Metric::exit_people) > 0);
  CHECK(total(r, Metric::reentry_people) > 0);
  CHECK(total(r, Metric::new_poor_people) > 0);
  CHECK(total(r, Metric::illness_episodes) > 0);
  CHECK(total(r, Metric::disaster_households) > 0);
}

TEST_CASE("invariant: a poverty line of 0 means nobody is poor") {
  // With guarantees not required, every registered poor household exits at the first
  // assessment and nobody enters: incomes are never negative.
  const LoadedScenario loaded = test::small_scenario(
      "[poverty_line]\nyuan = [0.0, 0.0, 0.0, 0.0, 0.0]\n[assessment]\nrequire_guarantees = false\n");
  const SimulationResult r = test::run(loaded.scenario, 2);
  for (int k = 0; k < r.replicates; ++k)
    for (int y = 0; y < r.years; ++y) {
      CHECK(r.city_total(k, y, Metric::poor_end_people) == 0);
      CHECK(r.city_total(k, y, Metric::new_poor_people) == 0);
      CHECK(r.city_total(k, y, Metric::reentry_people) == 0);
    }
  CHECK(r.city_total(0, 0, Metric::exit_people) == r.city_total(0, 0, Metric::poor_start_people));
}

TEST_CASE("invariant: with a line of 0, whoever stays poor lacks a guarantee") {
  const LoadedScenario loaded = test::small_scenario("[poverty_line]\nyuan = [0.0, 0.0, 0.0, 0.0, 0.0]\n");
  const SimulationResult r = test::run(loaded.scenario, 1);
  for (int y = 0; y < r.years; ++y) {
    CHECK(r.city_total(0, y, Metric::new_poor_people) == 0);
    CHECK(r.city_total(0, y, Metric::reentry_people) == 0);
    // Everybody is above a zero line: those who stay are exactly those blocked.
    CHECK(r.city_total(0, y, Metric::blocked_people) ==
          r.city_total(0, y, Metric::poor_start_people) - r.city_total(0, y, Metric::exit_people));
  }
}

TEST_CASE("invariant: no shocks and constant income means no re-entry") {
  const LoadedScenario loaded = test::small_scenario(
      "[poverty_line]\nyuan = [2952.0, 2952.0, 2952.0, 2952.0, 2952.0]\n"
      "[income]\nwage_growth = 0.0\noperating_growth = 0.0\npersistent_sd = 0.0\n"
      "wage_transitory_sd = 0.0\noperating_transitory_sd = 0.0\n"
      "[shocks]\nillness_rate = 0.0\ndisaster_rate = 0.0\n[assessment]\nsurvey_error_sd = 0.0\n");
  const SimulationResult r = test::run(loaded.scenario, 2);
  CHECK(total(r, Metric::reentry_people) == 0);
  CHECK(total(r, Metric::new_poor_people) == 0);  // near-poor start above the line
  CHECK(total(r, Metric::illness_episodes) == 0);
  CHECK(total(r, Metric::disaster_households) == 0);
  // Incomes carry no chance at all: the first year's income of the poor is the same in every
  // replicate (later years differ through who exits, which the guarantees' chance events decide).
  CHECK(r.city_total(0, 0, Metric::income_poor_yuan) == r.city_total(1, 0, Metric::income_poor_yuan));
}

TEST_CASE("results are bit-identical for 1, 2 and 8 threads") {
  const LoadedScenario loaded = test::small_scenario("", 20000);
  std::vector<std::vector<std::int64_t>> runs;
  for (int threads : {1, 2, 8}) {
    auto [r, seen] = test::with_threads(threads, [&] { return test::run(loaded.scenario, 2); });
    CHECK(seen == threads);  // a task_arena of 8 has 8 slots even on a 2-core machine
    runs.push_back(r.values);
  }
  CHECK(runs[0] == runs[1]);
  CHECK(runs[0] == runs[2]);
}

TEST_CASE("replicates differ, and a replicate can be run alone") {
  const LoadedScenario loaded = test::small_scenario();
  const Scenario& s = loaded.scenario;
  const Population pop = synthesise_population(s);
  SimulationOptions all;
  all.replicates = 3;
  all.seed = s.seed;
  const SimulationResult r = simulate(s, pop, all);
  CHECK(r.city_total(0, 0, Metric::exit_people) != r.city_total(1, 0, Metric::exit_people));
  SimulationOptions third = all;
  third.replicates = 1;
  third.first_replicate = 2;
  const SimulationResult alone = simulate(s, pop, third);
  for (int y = 0; y < r.years; ++y)
    for (int m = 0; m < metric_count; ++m)
      CHECK(alone.city_total(0, y, static_cast<Metric>(m)) == r.city_total(2, y, static_cast<Metric>(m)));
}

TEST_CASE("common random numbers: a rule change leaves the chance events alone") {
  // Stricter identification changes who is registered but not who falls ill or is struck.
  const LoadedScenario a = test::small_scenario();
  const LoadedScenario b = test::small_scenario("[assessment]\nnew_poor_identification = 0.2\n");
  const SimulationResult ra = test::run(a.scenario, 2), rb = test::run(b.scenario, 2);
  CHECK(total(ra, Metric::illness_episodes) == total(rb, Metric::illness_episodes));
  CHECK(total(ra, Metric::disaster_households) == total(rb, Metric::disaster_households));
  CHECK(total(rb, Metric::new_poor_people) < total(ra, Metric::new_poor_people));
}

TEST_CASE("switches set to zero give zero in their outputs") {
  const LoadedScenario loaded = test::small_scenario(
      "[shocks]\nillness_rate = 0.0\ndisaster_rate = 0.0\n"
      "[guarantees]\ndropout_rate = 0.0\n[assessment]\nreentry_identification = 0.0\nmonitored_identification = 0.0\n"
      "new_poor_identification = 0.0\n");
  const SimulationResult r = test::run(loaded.scenario, 1);
  CHECK(total(r, Metric::illness_episodes) == 0);
  CHECK(total(r, Metric::disaster_households) == 0);
  CHECK(total(r, Metric::fail_education_households) == 0);
  CHECK(total(r, Metric::reentry_people) == 0);
  CHECK(total(r, Metric::new_poor_people) == 0);
}

TEST_CASE("illness episodes follow the illness rate (statistical)") {
  // Expected episodes: sum over households of 12 x rate x (members' mean age risk) x
  // (multiplier if chronic) per year. With about 30,000 households x 36 months the count is
  // Poisson-like with mean near 11,000: a 5% tolerance is over 5 standard deviations (sd about
  // 1%).
  const LoadedScenario loaded =
      test::small_scenario("[shocks]\nillness_rate = 0.004\nillness_age_risk = [0.5, 0.25, 1.0, 3.0]\n", 30000);
  const Scenario& s = loaded.scenario;
  const Population pop = synthesise_population(s);
  const Households& h = pop.households;
  const double risk[] = {0.5, 0.25, 1.0, 3.0};
  double expected = 0;
  for (std::size_t i = 0; i < h.count(); ++i) {
    double mean_risk = 0;
    for (int b = 0; b < age_band_count; ++b) mean_risk += h.members[b][i] * risk[b];
    mean_risk /= h.size[i];
    expected += s.months() * s.shocks.illness_rate * mean_risk *
                ((h.flags[i] & household_flag::chronic_illness) ? s.shocks.chronic_illness_multiplier : 1.0);
  }
  SimulationOptions opt;
  opt.replicates = 1;
  opt.seed = s.seed;
  const SimulationResult r = simulate(s, pop, opt);
  CHECK(static_cast<double>(total(r, Metric::illness_episodes)) == doctest::Approx(expected).epsilon(0.05));
}

TEST_CASE("more income growth means more exits (monotone response)") {
  const LoadedScenario slow = test::small_scenario("[income]\nwage_growth = 0.0\n");
  const LoadedScenario fast = test::small_scenario("[income]\nwage_growth = 0.3\n");
  CHECK(total(test::run(fast.scenario), Metric::exit_people) > total(test::run(slow.scenario), Metric::exit_people));
}

TEST_CASE("the phase timings cover the run: plan phases only with a measure on") {
  for (const bool measures : {false, true}) {
    CAPTURE(measures);
    const LoadedScenario loaded =
        measures ? test::small_scenario("", 6000, "", test::all_measures_on) : test::small_scenario("", 6000);
    const Population pop = synthesise_population(loaded.scenario);
    SimulationOptions opt;
    opt.replicates = 2;
    opt.seed = loaded.scenario.seed;
    const auto start = std::chrono::steady_clock::now();
    const SimulationResult r = simulate(loaded.scenario, pop, opt);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double sum = 0;
    for (const double p : r.phase_seconds) {
      CHECK(p >= 0.0);
      sum += p;
    }
    // The laps follow one another from the start of simulate to its last year: together no
    // more than the call, and every phase that ran is counted.
    CHECK(sum <= wall);
    CHECK(r.phase_seconds[static_cast<int>(RunPhase::months)] > 0.0);
    CHECK(r.phase_seconds[static_cast<int>(RunPhase::assessment)] > 0.0);
    CHECK((r.phase_seconds[static_cast<int>(RunPhase::plan_requests)] > 0.0) == measures);
    CHECK((r.phase_seconds[static_cast<int>(RunPhase::plan_allocation)] > 0.0) == measures);
  }
}
