// The income process: expected income follows the growth path (statistical), and the
// deterministic parts are exact.
#include <doctest/doctest.h>

#include <cmath>

#include "income_process.h"
#include "test_support.h"

using namespace tuopin;

TEST_CASE("growth factors and the persistent-variance correction") {
  const LoadedScenario loaded = test::small_scenario("[income]\nwage_growth = 0.1\npersistence = 0.5\npersistent_sd = 0.2\n");
  const IncomeProcess p(loaded.scenario);
  CHECK(p.wage_growth[0] == doctest::Approx(1.0));
  CHECK(p.wage_growth[12] == doctest::Approx(1.1));
  CHECK(p.wage_growth[24] == doctest::Approx(1.21));
  // var_0 = 0.04; var_1 = 0.25 x 0.04 + 0.04 = 0.05; limit 0.04 / 0.75.
  CHECK(p.persistent_correction[0] == doctest::Approx(-0.02));
  CHECK(p.persistent_correction[1] == doctest::Approx(-0.025));
  CHECK(p.persistent_correction[35] == doctest::Approx(-0.5 * 0.04 / 0.75));
}

TEST_CASE("social assistance is paid per member") {
  const LoadedScenario loaded = test::small_scenario("[income]\ndibao_benefit = 1200.0\nwubao_benefit = 2400.0\n");
  const IncomeProcess p(loaded.scenario);
  CHECK(p.fixed_monthly(120.0f, 24.0f, 0, 3) == doctest::Approx(12.0));
  CHECK(p.fixed_monthly(0.0f, 0.0f, household_flag::dibao, 3) == doctest::Approx(300.0));
  CHECK(p.fixed_monthly(0.0f, 0.0f, household_flag::wubao, 1) == doctest::Approx(200.0));
}

TEST_CASE("expected income stays on its growth path (statistical)") {
  // Nobody enters or leaves the registry (a line no one reaches, no identification), so the
  // poor at the start of each year are the initial poor, and their simulated income can be
  // compared with base x growth summed over the year. With about 7,800 households and a
  // per-household sd of annual income near 25%, the relative standard error of the total is
  // about 0.3%: 1% is over 3 standard errors, and it is below the 2-3% drift an uncorrected
  // persistent deviation would add by the third year.
  const LoadedScenario loaded = test::small_scenario(
      "[poverty_line]\nyuan = [1e6, 1e6, 1e6, 1e6, 1e6]\n"
      "[assessment]\nreentry_identification = 0.0\nnew_poor_identification = 0.0\n"
      "[shocks]\nillness_rate = 0.0\ndisaster_rate = 0.0\n"
      "[income]\nmedian_ratio_poor = 0.002\n");  // incomes near 2,000 yuan, far below the line
  const Scenario& s = loaded.scenario;
  const Population pop = synthesise_population(s);
  const IncomeProcess p(s);
  const Households& h = pop.households;
  SimulationOptions opt;
  opt.replicates = 1;
  opt.seed = s.seed;
  const SimulationResult r = simulate(s, pop, opt);
  for (int y = 0; y < s.years(); ++y) {
    double expected = 0;
    for (std::size_t i = 0; i < h.count(); ++i) {
      if (h.status0[i] != RegistryStatus::poor) continue;
      for (int m = 0; m < 12; ++m) {
        const int t = 12 * y + m;
        expected += h.base_income[0][i] * p.wage_growth[t] / 12.0 + h.base_income[1][i] * p.operating_growth[t] / 12.0 +
                    p.fixed_monthly(h.base_income[2][i], h.base_income[3][i], h.flags[i], h.size[i]);
      }
    }
    CAPTURE(y);
    CHECK(static_cast<double>(r.city_total(0, y, Metric::income_poor_yuan)) == doctest::Approx(expected).epsilon(0.01));
  }
}
