// Golden test: the exact counts of a small scenario, pinned as one hash.
//
// It guards refactors of the engine (the year split into phases, the measure framework): a
// change that moves any count of any replicate, year, county or metric changes the hash. A
// deliberate change of the model's behaviour must update the pinned value in the same commit
// and say why. Measures switched off must leave it untouched (test_measures.cpp).
#include <doctest/doctest.h>

#include <cstdint>

#include "test_support.h"

namespace tuopin {

inline std::uint64_t hash_counts(const SimulationResult& r) { return test::hash_values(r.values); }

TEST_CASE("golden: the baseline's counts for a small population are pinned") {
  const LoadedScenario loaded = test::small_scenario("", 8000);
  const SimulationResult r = test::run(loaded.scenario, 3);
  const std::uint64_t h = hash_counts(r);
  MESSAGE("golden hash: " << h);
  CHECK(h == 8365212318039984426ull);
}

}  // namespace tuopin
