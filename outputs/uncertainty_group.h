#pragma once
// /uncertainty of a result file: the uncertain parameters' values in each replicate
// (uncertainty.parameters, docs/outputs.md).
#include <hdf5.h>

#include "scenario.h"
#include "simulation.h"

namespace tuopin {

// Writes /uncertainty when the result holds uncertain parameters (nothing otherwise).
void write_uncertainty(hid_t file, const Scenario& scenario, const SimulationResult& result);

}  // namespace tuopin
