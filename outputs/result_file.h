#pragma once
// The HDF5 result file (layout: docs/outputs.md).
//
// Written to a temporary file in the destination folder and moved into place at the end, so a
// failed or interrupted run leaves no half-written result; an existing file is replaced only
// with `force`.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "scenario.h"
#include "simulation.h"

namespace tuopin {

struct RunInfo {
  std::string version;
  std::string git_commit;
  std::string command_line;
  std::string host;
  std::string created;  // ISO 8601, UTC
  int threads = 1;
  double wall_seconds = 0;
};

// Throws InputError if `path` exists and !force (checked before any work, and again when the
// file is moved into place, without overwriting).
void check_output_path(const std::filesystem::path& path, bool force);

// The temporary file a result is written to before it is moved to `path`.
std::filesystem::path temporary_path_for(const std::filesystem::path& path);

void write_result_file(const std::filesystem::path& path, bool force, const LoadedScenario& scenario,
                       const SimulationResult& result, const RunInfo& info);

// Reading back, for tests and tools.
struct Dataset {
  std::vector<std::size_t> shape;
  std::vector<double> values;  // row-major
  std::vector<std::string> dimensions;
};
Dataset read_dataset(const std::filesystem::path& file, const std::string& name);
std::string read_string(const std::filesystem::path& file, const std::string& name);
std::string read_string_attribute(const std::filesystem::path& file, const std::string& object,
                                  const std::string& attribute);

}  // namespace tuopin
