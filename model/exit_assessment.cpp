#include "exit_assessment.h"

namespace tuopin {

AssessmentOutcome assess_household(const Scenario::Assessment& rules, double line, RegistryStatus status,
                                   double measured_income, std::uint8_t guarantees, double u_identification,
                                   bool monitored) {
  switch (status) {
    case RegistryStatus::poor:
    case RegistryStatus::reentered: {
      if (measured_income < line * (1.0 + rules.exit_margin)) return {status, Transition::stay};
      const bool guaranteed = (guarantees & guarantee::all) == guarantee::all;
      if (rules.require_guarantees && !guaranteed) return {status, Transition::blocked};
      return {RegistryStatus::exited, Transition::exit};
    }
    case RegistryStatus::exited: {
      const double found = monitored ? rules.monitored_identification : rules.reentry_identification;
      if (measured_income < rules.reentry_threshold * line && u_identification < found)
        return {RegistryStatus::reentered, Transition::reentry};
      return {status, Transition::stay};
    }
    case RegistryStatus::near_poor:
      if (measured_income < line && u_identification < rules.new_poor_identification)
        return {RegistryStatus::poor, Transition::new_poor};
      return {status, Transition::stay};
  }
  return {status, Transition::stay};
}

}  // namespace tuopin
