#pragma once
// Who gets which measure: the proposal's "precise drip irrigation" (精准滴灌, section 二.3)
// against "flood irrigation" (大水漫灌), and who keeps support after exit (脱贫不脱政策).
//
// Each year's plan phase first identifies the households the plan will support (targeting):
// every household registered poor, less an exclusion error; plus, by an inclusion error, some
// households that are not (exited or never registered). Each identified household is given
// one income pathway by its type:
//   no labour capacity                    -> pathway_no_labour  (default asset_income; the
//                                            safety net 兜底 covers them by its own means test)
//   labour (normal or weak), willing      -> pathway_willing    (default industry)
//   labour, unwilling                     -> pathway_unwilling  (default employment)
// "uniform" targeting gives every identified household the willing pathway whatever its type,
// and the pools fund them in random order (no priority): the same amount per household.
// Willingness (发展产业意愿) is a household attribute drawn once per replicate:
//   P(willing) = willingness_base x (low_motivation factor if the main or secondary cause is
//                自身发展动力不足) x (elderly factor if no member is 16-59) x (weak-labour
//                factor if labour capacity is weak)
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "households.h"
#include "parameter_reader.h"
#include "parameters.h"

namespace tuopin {

inline constexpr std::uint8_t no_pathway = 0xFF;

enum class TargetingMode : std::uint8_t { precise = 0, uniform };
inline constexpr std::array<std::string_view, 2> targeting_mode_names = {"precise", "uniform"};

struct Targeting {
  TargetingMode mode = TargetingMode::precise;
  double willingness_base = 0.75, low_motivation_factor = 0.3, elderly_factor = 0.6,
         weak_labour_factor = 0.7;
  double exclusion_error = 0.05, inclusion_error = 0.01;
  // Registry indices of the pathway measures (no_pathway: none).
  std::uint8_t pathway_no_labour = no_pathway, pathway_willing = no_pathway,
               pathway_unwilling = no_pathway;
  int support_after_exit_years = 3;  // -1: for ever
  // Cadre pairing (结对帮扶), set by the cadre_pairing measure when it is on: the share of
  // households paired with a cadre (drawn once per replicate), and what pairing does for them.
  double pairing_coverage = 0;          // 0: nobody paired
  double paired_exclusion_factor = 1;   // multiplier of exclusion_error
  double paired_willingness_factor = 1; // multiplier of P(willing), capped at 1
  double paired_take_up_gain = 0;       // added to a measure's take-up, capped at 1

  double willingness_probability(const Households& h, std::size_t i, bool paired = false) const;
  // The pathway for an identified household of this labour capacity and willingness.
  std::uint8_t pathway(LabourCapacity labour, bool willing) const {
    if (mode == TargetingMode::uniform) return pathway_willing;
    if (labour == LabourCapacity::none) return pathway_no_labour;
    return willing ? pathway_willing : pathway_unwilling;
  }
};

std::span<const ParameterSpec> targeting_specs();
// `measure_names` in registry order; `enabled` says which are switched on.
Targeting read_targeting(ParameterReader& r, const std::vector<std::string>& measure_names,
                         const std::vector<bool>& enabled);

}  // namespace tuopin
