#pragma once
// The HDF5 result file (layout: docs/outputs.md): per-replicate series, summaries, the
// population it ran on (/population) and the metadata that reproduce the run (/meta).
// Written through write_new_file (output_file.h): never half-written, never overwritten
// without `force`.
#include <cstdint>
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include <hdf5.h>

#include "attribution.h"
#include "output_file.h"
#include "population_synthesis.h"
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
  std::string population_source;  // "synthesised", or the file it was loaded from
  // population_hash(population), when the caller has it or computes it on a thread of its own
  // (a serial pass over every column: tuopin run starts it beside the simulation, or beside the
  // writing of the population, which the writers do before they ask for the hash); when not
  // valid, the writer computes it.
  std::shared_future<std::uint64_t> population_hash;
};

// Writes /meta (program, run and scenario as written and resolved) into an open file.
void write_meta(hid_t file, const LoadedScenario& scenario, const RunInfo& info, int replicates);

// With `attribution` (tuopin run --ablate), the file also holds /attribution.
// Without `with_population` the file leaves out /population (its hash stays in /meta).
void write_result_file(const std::filesystem::path& path, bool force, const LoadedScenario& scenario,
                       const Population& population, const SimulationResult& result, const RunInfo& info,
                       const Attribution* attribution = nullptr, bool with_population = true);

// Several scenarios run on one population with the same random numbers (tuopin run A B C):
// /scenario (their names), /scenario_description, /scenario_resolved, /compare (the key results
// along a scenario dimension), /scenarios/<name>/ (each in the single-scenario layout, without
// the population) and /population once.
struct ScenarioRun {
  std::string name;  // unique in the file: the scenario file's stem
  const LoadedScenario* scenario = nullptr;
  const SimulationResult* result = nullptr;
  const Attribution* attribution = nullptr;
};
void write_comparison_file(const std::filesystem::path& path, bool force, const std::vector<ScenarioRun>& runs,
                           const Population& population, const RunInfo& info, bool with_population = true);

// Whether a result file holds /population; its /meta/population_hash ("" if absent); a hash
// as written there (16 hex digits).
bool result_has_population(const std::filesystem::path& file);
std::string population_hash_of(const std::filesystem::path& file);
std::string hex_hash(std::uint64_t hash);

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
