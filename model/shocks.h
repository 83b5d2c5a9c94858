#pragma once
// Illness and disaster shocks.
//   Illness: each month a household has a serious episode with probability illness_rate
//   (x chronic_illness_multiplier if a member is chronically ill). The episode costs a
//   log-normal amount with mean illness_cost_mean, of which insurance pays
//   medical_reimbursement if the household is insured, and cuts wage income by
//   illness_wage_loss for illness_work_months months.
//   Disaster: each month a village is struck with probability disaster_rate (a village-level
//   draw, shared by its households); a struck household loses disaster_operating_loss of a
//   year's expected operating income, and a safe house becomes unsafe with probability
//   disaster_housing_damage.
#include <cmath>
#include <cstdint>
#include <vector>

#include "households.h"
#include "random.h"
#include "scenario.h"

namespace tuopin {

inline double illness_probability(const Scenario::Shocks& s, std::uint8_t flags) {
  return (flags & household_flag::chronic_illness) ? s.illness_rate * s.chronic_illness_multiplier
                                                   : s.illness_rate;
}

// Cost of an episode before insurance from a standard normal z (mean illness_cost_mean).
inline double illness_cost(const Scenario::Shocks& s, double z) {
  const double sd = s.illness_cost_dispersion;
  return s.illness_cost_mean * std::exp(sd * z - 0.5 * sd * sd);
}

// Village disasters of one year: struck[v * 12 + calendar_month - 1].
inline void village_disasters(const Scenario::Shocks& s, const RandomKey& key,
                              std::size_t villages, int first_month_index,
                              std::vector<std::uint8_t>& struck) {
  struck.assign(villages * 12, 0);
  if (s.disaster_rate <= 0) return;
  for (std::size_t v = 0; v < villages; ++v)
    for (int m = 0; m < 12; ++m) {
      const Draw4 d = draw(key, static_cast<std::uint32_t>(v), Stream::disaster,
                           static_cast<std::uint32_t>(first_month_index + m));
      struck[v * 12 + m] = to_unit(d.v[0]) < s.disaster_rate;
    }
}

}  // namespace tuopin
