#include "area_exit.h"

namespace tuopin {

double comprehensive_incidence(const AreaCounts& a, double rural_population) {
  if (rural_population <= 0) return 0.0;
  return static_cast<double>(a.poor_people + a.wrongly_exited_people + a.missed_people) / rural_population;
}

bool village_meets_exit(const Scenario::VillageExit& rules, const AreaCounts& a, const VillageFacts& v) {
  if (!(comprehensive_incidence(a, v.rural_population) < rules.incidence_max)) return false;
  if (v.collective_income < rules.collective_income_min) return false;
  if (rules.require_road && !v.road) return false;
  if (rules.require_water && !v.water) return false;
  return true;
}

std::uint8_t county_exit_criteria(const Scenario::CountyExit& rules, const AreaCounts& a, const CountyFacts& c) {
  std::uint8_t met = 0;
  if (comprehensive_incidence(a, c.rural_population) < rules.incidence_max) met |= county_criterion::incidence;
  // No exited people: nobody can have exited wrongly.
  const double wrong = a.exited_people > 0 ? static_cast<double>(a.wrongly_exited_people) / a.exited_people : 0.0;
  if (wrong < rules.wrong_exit_max) met |= county_criterion::wrong_exit;
  const double outside = c.rural_population - static_cast<double>(a.registered_people);
  const double missed = outside > 0 ? static_cast<double>(a.missed_people) / outside : 0.0;
  if (missed < rules.missed_max) met |= county_criterion::missed;
  const double exited_share =
      c.poor_villages > 0 ? static_cast<double>(c.poor_villages_exited) / c.poor_villages : 1.0;
  if (exited_share >= rules.poor_villages_exited_min) met |= county_criterion::villages;
  if (rules.public_approval >= rules.approval_min) met |= county_criterion::approval;
  return met;
}

}  // namespace tuopin
