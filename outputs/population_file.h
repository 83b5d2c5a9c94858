#pragma once
// The population in HDF5: the /population group (one dataset per household and village
// column, codes documented as attributes; docs/population.md), written into result files
// and into the files of `tuopin synth -o`, and read back by `tuopin run --population`.
#include <filesystem>

#include <hdf5.h>

#include "population_synthesis.h"
#include "result_file.h"
#include "scenario.h"

namespace tuopin {

// Writes /population into an open file.
void write_population_group(hid_t file, const Population& population, const Scenario& scenario);

// A population file: /population and /meta (scenario as written and resolved, version, seed).
void write_population_file(const std::filesystem::path& path, bool force, const LoadedScenario& scenario,
                           const Population& population, const RunInfo& info);

// Reads /population from a population or result file and checks it against the scenario's
// counties. Throws InputError naming the file and what does not fit.
Population read_population_file(const std::filesystem::path& path, const Scenario& scenario);

}  // namespace tuopin
