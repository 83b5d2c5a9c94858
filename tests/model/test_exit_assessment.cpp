// The registry's year-end rules on hand-built cases.
#include <doctest/doctest.h>

#include "exit_assessment.h"

using namespace tuopin;

namespace {
Scenario::Assessment rules(bool require = true) { return {require, 1.0, 0.9, 0.7}; }
constexpr double line = 3000;
}  // namespace

TEST_CASE("a poor household exits with income at the line and all four guarantees") {
  const auto out = assess_household(rules(), line, RegistryStatus::poor, 3000.0, guarantee::all, 0.5);
  CHECK(out.status == RegistryStatus::exited);
  CHECK(out.transition == Transition::exit);
}

TEST_CASE("below the line a poor household stays") {
  const auto out = assess_household(rules(), line, RegistryStatus::poor, 2999.99, guarantee::all, 0.5);
  CHECK(out.status == RegistryStatus::poor);
  CHECK(out.transition == Transition::stay);
}

TEST_CASE("a missing guarantee blocks exit unless guarantees are not required") {
  for (std::uint8_t missing : {guarantee::food_clothing, guarantee::education, guarantee::medical, guarantee::housing}) {
    const std::uint8_t met = guarantee::all & ~missing;
    const auto blocked = assess_household(rules(), line, RegistryStatus::reentered, 5000.0, met, 0.5);
    CHECK(blocked.status == RegistryStatus::reentered);
    CHECK(blocked.transition == Transition::blocked);
    const auto free = assess_household(rules(false), line, RegistryStatus::reentered, 5000.0, met, 0.5);
    CHECK(free.transition == Transition::exit);
  }
}

TEST_CASE("an exited household re-enters below the threshold when identified") {
  CHECK(assess_household(rules(), line, RegistryStatus::exited, 2000.0, guarantee::all, 0.89).transition ==
        Transition::reentry);
  CHECK(assess_household(rules(), line, RegistryStatus::exited, 2000.0, guarantee::all, 0.91).transition ==
        Transition::stay);  // not found by the verification
  CHECK(assess_household(rules(), line, RegistryStatus::exited, 3000.0, guarantee::all, 0.0).transition ==
        Transition::stay);  // at the line is not below it
  auto strict = rules();
  strict.reentry_threshold = 1.2;
  CHECK(assess_household(strict, line, RegistryStatus::exited, 3500.0, 0, 0.0).status == RegistryStatus::reentered);
}

TEST_CASE("a near-poor household below the line becomes newly poor when identified") {
  const auto out = assess_household(rules(), line, RegistryStatus::near_poor, 100.0, 0, 0.69);
  CHECK(out.status == RegistryStatus::poor);
  CHECK(out.transition == Transition::new_poor);
  CHECK(assess_household(rules(), line, RegistryStatus::near_poor, 100.0, 0, 0.71).transition == Transition::stay);
  CHECK(assess_household(rules(), line, RegistryStatus::near_poor, 3001.0, 0, 0.0).transition == Transition::stay);
}

TEST_CASE("a poverty line of zero lets every poor household with the guarantees exit") {
  const auto out = assess_household(rules(), 0.0, RegistryStatus::poor, 0.0, guarantee::all, 0.0);
  CHECK(out.transition == Transition::exit);
  CHECK(assess_household(rules(), 0.0, RegistryStatus::near_poor, 0.0, 0, 0.0).transition == Transition::stay);
  CHECK(assess_household(rules(), 0.0, RegistryStatus::exited, 0.0, 0, 0.0).transition == Transition::stay);
}
