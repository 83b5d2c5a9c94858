#pragma once
// The registry's year-end verification (一年一核查) for one household. The registry sees the
// *measured* per-capita annual net income (true income times a survey error, see
// Scenario::Assessment::survey_error_sd); the guarantees are observed without error:
//   * a poor (or re-entered) household exits when its measured income is at or above the
//     year's line and, if require_guarantees, it meets 两不愁三保障; above the line but short of
//     a guarantee it stays poor ("blocked"). An exit whose true income is below the line is a
//     wrong exit (错退), decided by the caller;
//   * an exited household whose measured income falls below reentry_threshold x line is
//     registered again (返贫) if the verification finds it: with monitored_identification while
//     it is monitored (within monitoring_years of its exit), reentry_identification otherwise;
//   * a never-registered near-poor household measured below the line becomes newly poor if
//     found (new_poor_identification). One not found is missed (漏评) and is counted by the
//     caller from its true income.
// Net income follows the registry's definition (纯收入): medical spending is not deducted from
// it; it acts through the food-and-clothing and medical guarantees.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "households.h"
#include "scenario.h"

namespace tuopin {

enum class Transition : std::uint8_t { stay, exit, blocked, reentry, new_poor };

struct AssessmentOutcome {
  RegistryStatus status;
  Transition transition;
};

// `measured_income` per capita; `monitored`: an exited household within its monitoring years.
AssessmentOutcome assess_household(const Scenario::Assessment& rules, double line, RegistryStatus status,
                                   double measured_income, std::uint8_t guarantees, double u_identification,
                                   bool monitored = false);

// Whether a measured income within a relative `tolerance` of `measured` could be on the other
// side of one of the thresholds the verification compares it with (assess_household's, and the
// caller's test for drawing identification, line x max(1, reentry_threshold)). Where it is not,
// every decision is the same for any value in that interval.
inline bool near_assessment_threshold(const Scenario::Assessment& rules, double line, double measured,
                                      double tolerance) {
  const double thresholds[] = {line * (1.0 + rules.exit_margin), rules.reentry_threshold * line, line,
                               line * std::max(1.0, rules.reentry_threshold)};
  for (double t : thresholds)
    if (std::abs(measured - t) <= tolerance * std::abs(t)) return true;
  return false;
}

// Measured over true income for a standard normal z: exp(sd z - sd^2 / 2), mean 1; exactly 1
// when sd is 0.
inline double survey_factor(double sd, double z) { return sd > 0 ? std::exp(sd * z - 0.5 * sd * sd) : 1.0; }

}  // namespace tuopin
