#pragma once
// Attribution of outcomes to measures by ablation (tuopin run --ablate): the scenario is run
// again once per measure switched on, with that measure alone switched off and the same seed
// and replicates (so the same chance events), and each measure's share is the difference
//     attributable(m) = outcome(scenario) - outcome(scenario without m)
// per replicate and year. A pathway that names the ablated measure names "none" in the ablated
// run (its households get no pathway, as the measure is gone). Differences are not additive
// across measures: measures interact (they compete for the pools and lift the same households),
// so the shares need not sum to the scenario's effect against the baseline.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "population_synthesis.h"
#include "scenario.h"
#include "simulation.h"

namespace tuopin {

struct Attribution {
  std::vector<std::string> measures;  // the ablated measures (those switched on), registry order
  int replicates = 0, years = 0, first_year = 0;
  // [(measure * replicates + replicate) * years + year]: scenario minus scenario without it
  std::vector<std::int64_t> exit_people, reentry_people, poor_end_people, spending_fen;

  std::size_t at(int measure, int replicate, int year) const {
    return (static_cast<std::size_t>(measure) * replicates + replicate) * years + year;
  }
};

// The scenario without measure `name`, as --set assignments to add to the scenario's own.
std::vector<std::string> ablation_settings(const Scenario& s, const std::string& name);

// Runs the ablations (`run` simulates a loaded scenario on the population with the full run's
// options) and returns the differences against `full`. `run` gets the ablated scenario loaded,
// resolved text included, so that with uncertainty.parameters it draws the same values in each
// replicate as the full run (simulate_replicates, model/uncertainty.h).
Attribution attribute(const LoadedScenario& loaded, const std::vector<std::string>& settings,
                      const SimulationResult& full,
                      const std::function<SimulationResult(const LoadedScenario&)>& run);

}  // namespace tuopin
