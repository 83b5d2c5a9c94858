#pragma once
// Running a scenario whose uncertain parameters are drawn per replicate (docs/model.md, 7.10;
// the draws themselves are in uncertain_parameters.h). The population is built once, from the
// scenario as loaded, and shared by every replicate: only keys the simulation reads are drawn.
#include <cstdint>
#include <string>
#include <vector>

#include "population_synthesis.h"
#include "scenario.h"
#include "simulation.h"

namespace tuopin {

// The scenario of one replicate (absolute index): the resolved scenario with that replicate's
// draws applied as --set assignments (uncertainty_settings). Without draws, a copy of `loaded`.
LoadedScenario replicate_scenario(const LoadedScenario& loaded, std::uint32_t seed, std::uint32_t replicate);

// Simulates options.replicates replicates from options.first_replicate. With
// uncertainty.parameters off this is `simulate(loaded.scenario, ...)`, bit for bit. With it on,
// each replicate r runs alone (replicates = 1, first_replicate = r) on replicate_scenario(r), and
// the blocks are merged (append_replicates); the result also holds every uncertain parameter's
// value in each replicate. The progress callback sees the whole run; trace rows accumulate.
SimulationResult simulate_replicates(const LoadedScenario& loaded, const Population& population,
                                     const SimulationOptions& options);

}  // namespace tuopin
