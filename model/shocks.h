#pragma once
// Illness, disaster and downturn shocks.
//   Illness: each month a household has a serious episode with probability illness_rate times
//   its members' mean relative risk by age band (illness_age_risk), times
//   chronic_illness_multiplier if a member is chronically ill. The episode costs a log-normal
//   amount with mean illness_cost_mean, of which insurance pays medical_reimbursement if the
//   household is insured, and cuts wage income by illness_wage_loss for illness_work_months
//   months.
//   Disaster: each month a village is struck with probability disaster_rate (a village-level
//   draw, shared by its households); in the flood month of the flood year each village is
//   struck besides with probability flood_village_share. A struck household loses
//   disaster_operating_loss of a year's expected operating income, and a safe house becomes
//   unsafe with probability disaster_housing_damage.
//   Downturn: in the downturn year a household with wage income loses its wages for the first
//   downturn_months months with probability downturn_job_loss (a migrant job lost).
#include <cmath>
#include <cstdint>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "households.h"
#include "random.h"
#include "scenario.h"

namespace tuopin {

inline double illness_probability(const Scenario::Shocks& s, const Households& h, std::size_t i) {
  double risk = 0;
  for (int b = 0; b < age_band_count; ++b) risk += h.members[b][i] * s.illness_age_risk[b];
  const double rate = s.illness_rate * (h.size[i] > 0 ? risk / h.size[i] : 1.0);
  return (h.flags[i] & household_flag::chronic_illness) ? rate * s.chronic_illness_multiplier : rate;
}

// Cost of an episode before insurance from a standard normal z (mean illness_cost_mean).
inline double illness_cost(const Scenario::Shocks& s, double z) {
  const double sd = s.illness_cost_dispersion;
  return s.illness_cost_mean * std::exp(sd * z - 0.5 * sd * sd);
}

// Village disasters of one calendar year: struck[v * 12 + calendar_month - 1].
inline void village_disasters(const Scenario::Shocks& s, const RandomKey& key,
                              std::size_t villages, int first_month_index, int calendar_year,
                              std::vector<std::uint8_t>& struck) {
  struck.assign(villages * 12, 0);
  const bool flood = s.flood_year == calendar_year && s.flood_village_share > 0;
  if (s.disaster_rate <= 0 && !flood) return;
  // In parallel over villages (a national population has about 700,000): each village's draws
  // depend only on its index, so the result does not depend on the split.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, villages, 4096), [&](const auto& r) {
    for (std::size_t v = r.begin(); v != r.end(); ++v)
      for (int m = 0; m < 12; ++m) {
        const Draw4 d = draw(key, static_cast<std::uint32_t>(v), Stream::disaster,
                             static_cast<std::uint32_t>(first_month_index + m));
        struck[v * 12 + m] = to_unit(d.v[0]) < s.disaster_rate ||
                             (flood && m == s.flood_month - 1 && to_unit(d.v[1]) < s.flood_village_share);
      }
  });
}

// Months of the year without wages after a job lost in the downturn year (0: none).
inline int downturn_months_lost(const Scenario::Shocks& s, const RandomKey& key, std::size_t i, int year_index,
                                int calendar_year, float wage_income) {
  if (s.downturn_year != calendar_year || wage_income <= 0 || s.downturn_job_loss <= 0) return 0;
  const Draw4 d = draw(key, static_cast<std::uint32_t>(i), Stream::shock, static_cast<std::uint32_t>(year_index));
  return to_unit(d.v[0]) < s.downturn_job_loss ? s.downturn_months : 0;
}

}  // namespace tuopin
