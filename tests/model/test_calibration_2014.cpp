// Sanity check against the record: the 2014 registry run through 2014-2015 lands near the
// recorded stock at the end of 2015.
#include <doctest/doctest.h>

#include <string>

#include "test_support.h"

using namespace tuopin;

TEST_CASE("2014 to 2015: the simulated stock lands near the recorded 40.69万 (statistical)") {
  // scenarios/anqing-2014.toml starts from the 2014 registry (791,300 people) and has one
  // calibrated value (income.median_ratio_poor = 1.05), fitted to this record. Tolerance 3%:
  // the fit's step of 0.01 moves the stock by about 1.3%, so the fit itself is within 0.7%;
  // replicate noise is about 0.2% (5-95% range); the rest allows float-level changes of later
  // versions. A change of the dynamics that moves the stock by more than 3% should fail here
  // and be followed by a new calibration.
  const LoadedScenario loaded = load_scenario_file(std::string(TUOPIN_SOURCE_DIR) + "/scenarios/anqing-2014.toml");
  const Scenario& s = loaded.scenario;
  REQUIRE(s.first_year == 2014);
  REQUIRE(s.last_year == 2015);
  const SimulationResult r = test::run(s, 2);
  for (int k = 0; k < r.replicates; ++k) {
    CHECK(static_cast<double>(r.city_total(k, 0, Metric::poor_start_people)) == doctest::Approx(791300).epsilon(0.001));
    CHECK(static_cast<double>(r.city_total(k, 1, Metric::poor_end_people)) == doctest::Approx(406863).epsilon(0.03));
  }
}
