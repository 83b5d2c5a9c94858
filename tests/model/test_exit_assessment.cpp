// The registry's year-end rules on hand-built cases: households, then villages and counties.
#include <cmath>

#include <doctest/doctest.h>

#include "area_exit.h"
#include "exit_assessment.h"

using namespace tuopin;

namespace {
Scenario::Assessment rules(bool require = true) { return {require, 1.0, 0.9, 0.7, 0.0, 0.0, 2, 0.95}; }
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

TEST_CASE("a monitored exited household is found with the monitored probability") {
  // u between reentry_identification (0.9) and monitored_identification (0.95).
  CHECK(assess_household(rules(), line, RegistryStatus::exited, 2000.0, guarantee::all, 0.93, true).transition ==
        Transition::reentry);
  CHECK(assess_household(rules(), line, RegistryStatus::exited, 2000.0, guarantee::all, 0.93, false).transition ==
        Transition::stay);
  CHECK(assess_household(rules(), line, RegistryStatus::exited, 2000.0, guarantee::all, 0.96, true).transition ==
        Transition::stay);
}

TEST_CASE("the survey factor has mean one and is exactly one without error") {
  CHECK(survey_factor(0.0, 2.5) == 1.0);
  CHECK(survey_factor(0.15, 0.0) == doctest::Approx(std::exp(-0.5 * 0.15 * 0.15)));
  // E[exp(sd z - sd^2/2)] = 1: a quadrature over z on a fine grid.
  double sum = 0, weight = 0;
  for (int k = -8000; k <= 8000; ++k) {
    const double z = k / 1000.0, w = std::exp(-0.5 * z * z);
    sum += w * survey_factor(0.3, z);
    weight += w;
  }
  CHECK(sum / weight == doctest::Approx(1.0).epsilon(1e-9));
}

namespace {
Scenario::VillageExit village_rules() { return {0.02, 50000.0, true, true}; }
Scenario::CountyExit county_rules() { return {0.02, 0.02, 0.02, 1.0, 0.95, 0.9}; }
}  // namespace

TEST_CASE("comprehensive incidence counts the registered, wrongly exited and missed poor") {
  AreaCounts a;
  a.poor_people = 10;
  a.wrongly_exited_people = 5;
  a.missed_people = 5;
  a.exited_people = 100;  // exited correctly: not in the numerator
  CHECK(comprehensive_incidence(a, 1000.0) == doctest::Approx(0.02));
  CHECK(comprehensive_incidence(a, 0.0) == 0.0);
}

TEST_CASE("a poor village exits only when every criterion holds") {
  AreaCounts a;
  a.poor_people = 19;  // 1.9% of 1000
  const VillageFacts ok{1000.0, 50000.0, true, true};
  CHECK(village_meets_exit(village_rules(), a, ok));
  AreaCounts high = a;
  high.missed_people = 1;  // 2.0%: not below the limit
  CHECK_FALSE(village_meets_exit(village_rules(), high, ok));
  VillageFacts poor_collective = ok;
  poor_collective.collective_income = 49999.0;
  CHECK_FALSE(village_meets_exit(village_rules(), a, poor_collective));
  VillageFacts no_road = ok, no_water = ok;
  no_road.road = false;
  no_water.water = false;
  CHECK_FALSE(village_meets_exit(village_rules(), a, no_road));
  CHECK_FALSE(village_meets_exit(village_rules(), a, no_water));
  auto lenient = village_rules();
  lenient.require_road = lenient.require_water = false;
  lenient.collective_income_min = 0;
  CHECK(village_meets_exit(lenient, a, VillageFacts{1000.0, 0.0, false, false}));
}

TEST_CASE("each of the county's criteria alone blocks its exit") {
  AreaCounts a;
  a.poor_people = 100;             // 1% of 10,000
  a.exited_people = 1000;
  a.wrongly_exited_people = 19;    // 1.9% of the exited
  a.registered_people = 1100;
  a.missed_people = 0;
  const CountyFacts facts{10000.0, 4, 4};
  CHECK(county_exit_criteria(county_rules(), a, facts) == county_criterion::all);

  AreaCounts incidence = a;
  incidence.poor_people = 200;  // 2.0% incidence with the 19 wrongly exited: 2.19%
  CHECK(county_exit_criteria(county_rules(), incidence, facts) == (county_criterion::all & ~county_criterion::incidence));

  AreaCounts wrong = a;
  wrong.wrongly_exited_people = 20;  // 2.0% of the exited
  CHECK(county_exit_criteria(county_rules(), wrong, facts) == (county_criterion::all & ~county_criterion::wrong_exit));

  AreaCounts missed = a;
  missed.missed_people = 1;  // incidence still below 2%: 1.2%
  auto strict = county_rules();
  strict.missed_max = 1.0 / (10000.0 - 1100.0);  // one missed person reaches the limit
  CHECK(county_exit_criteria(strict, missed, facts) == (county_criterion::all & ~county_criterion::missed));

  CHECK(county_exit_criteria(county_rules(), a, CountyFacts{10000.0, 4, 3}) ==
        (county_criterion::all & ~county_criterion::villages));
  auto disapproved = county_rules();
  disapproved.public_approval = 0.89;
  CHECK(county_exit_criteria(disapproved, a, facts) == (county_criterion::all & ~county_criterion::approval));
}

TEST_CASE("a county without poor villages or exited people is not blocked by them") {
  AreaCounts a;
  a.registered_people = 0;
  CHECK(county_exit_criteria(county_rules(), a, CountyFacts{1000.0, 0, 0}) == county_criterion::all);
}
