#pragma once
// The registry's year-end verification (一年一核查) for one household:
//   * a poor (or re-entered) household exits when its per-capita annual net income is at or
//     above the year's line and, if require_guarantees, it meets 两不愁三保障; above the line
//     but short of a guarantee it stays poor ("blocked");
//   * an exited household whose per-capita income falls below reentry_threshold x line is
//     registered again (返贫) if the verification finds it (reentry_identification);
//   * a never-registered near-poor household below the line becomes newly poor if found
//     (new_poor_identification).
// Net income follows the registry's definition (纯收入): medical spending is not deducted from
// it; it acts through the food-and-clothing and medical guarantees.
#include <cstdint>

#include "households.h"
#include "scenario.h"

namespace tuopin {

enum class Transition : std::uint8_t { stay, exit, blocked, reentry, new_poor };

struct AssessmentOutcome {
  RegistryStatus status;
  Transition transition;
};

AssessmentOutcome assess_household(const Scenario::Assessment& rules, double line,
                                   RegistryStatus status, double income_per_capita,
                                   std::uint8_t guarantees, double u_identification);

}  // namespace tuopin
