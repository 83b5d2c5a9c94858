#include "exit_assessment.h"

namespace tuopin {

AssessmentOutcome assess_household(const Scenario::Assessment& rules, double line,
                                   RegistryStatus status, double income_per_capita,
                                   std::uint8_t guarantees, double u_identification) {
  switch (status) {
    case RegistryStatus::poor:
    case RegistryStatus::reentered: {
      if (income_per_capita < line) return {status, Transition::stay};
      const bool guaranteed = (guarantees & guarantee::all) == guarantee::all;
      if (rules.require_guarantees && !guaranteed) return {status, Transition::blocked};
      return {RegistryStatus::exited, Transition::exit};
    }
    case RegistryStatus::exited:
      if (income_per_capita < rules.reentry_threshold * line &&
          u_identification < rules.reentry_identification)
        return {RegistryStatus::reentered, Transition::reentry};
      return {status, Transition::stay};
    case RegistryStatus::near_poor:
      if (income_per_capita < line && u_identification < rules.new_poor_identification)
        return {RegistryStatus::poor, Transition::new_poor};
      return {status, Transition::stay};
  }
  return {status, Transition::stay};
}

}  // namespace tuopin
