#pragma once
// Reading tuopin result files back for the tools that compare, report and export them: which
// scenarios a file holds and where, with clear errors for files that are not results.
//   A single-scenario file (tuopin run A) holds one scenario at its root.
//   A comparison file (tuopin run A B C) holds each under /scenarios/<name>.
// Errors (not HDF5, truncated, not a tuopin result, an unknown scenario) are InputError: exit
// code 2 with the file named.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "hdf5_io.h"
#include "result_file.h"

namespace tuopin {

struct ScenarioInFile {
  std::filesystem::path file;
  std::string name;         // the scenario's name: its file stem, or the name in a comparison file
  std::string group;        // "" (the root) or "/scenarios/<name>"
  std::string description;
  std::string population_hash;  // hex, "" in files written before it was recorded
  std::int64_t seed = 0;
  // `group + "/" + dataset`, the full path of a dataset of this scenario.
  std::string path(const std::string& dataset) const { return group + "/" + dataset; }
};

// Opens an HDF5 file given as input, or throws InputError naming it and what is wrong: missing,
// a folder, not HDF5 (by its signature), empty, truncated or corrupt. `expected` ends the
// message ("a result file of 'tuopin run'").
hdf5::Handle open_input_file(const std::filesystem::path& file, const std::string& expected);

// The scenarios of one result file, in the file's order. Throws InputError for a file that
// cannot be opened as HDF5 or is not a tuopin result file.
std::vector<ScenarioInFile> scenarios_in(const std::filesystem::path& file);

// The scenarios of several files, in order; names made unique by prefixing the file's stem
// when two files give the same name.
std::vector<ScenarioInFile> scenarios_in(const std::vector<std::filesystem::path>& files);

// A dataset of one scenario, as doubles (InputError if the file lacks it).
Dataset read_scenario_dataset(const ScenarioInFile& s, const std::string& name);

// The index of `name` in `scenarios`, or an InputError listing the names with a suggestion.
std::size_t find_scenario(const std::vector<ScenarioInFile>& scenarios, const std::string& name);

}  // namespace tuopin
