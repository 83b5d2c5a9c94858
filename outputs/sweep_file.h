#pragma once
// The HDF5 file of a parameter sweep (tuopin sweep; layout in docs/sweeps.md and
// docs/outputs.md). While the sweep runs it is FILE.partial: every dataset is created at its
// full size when the sweep starts (chunked along the point dimension, space allocated at once,
// unwritten results NaN), and each completed (point, replicate) pair's results are written and
// flushed before its `done` flag. Writing a result then changes no HDF5 metadata, only data in
// place, so a sweep killed at any moment (kill -9 included) leaves a file that opens, whose done
// flags name exactly the pairs whose results are on disk: `--resume` runs only the others. When
// every pair is done the sensitivity indices are added and FILE.partial becomes FILE.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <hdf5.h>

#include "hdf5_io.h"
#include "population_synthesis.h"
#include "result_file.h"
#include "scenario.h"
#include "sensitivity.h"
#include "sweep.h"

namespace tuopin {

// What one (point, replicate) pair yields, as the file stores it. A row of doubles:
// [results (R)] [a per-year block: series (Y x S), year-major]. Counts are exact in a double.
struct SweepOutputs {
  struct Named {
    std::string name, units, long_name, long_name_zh;
  };
  std::vector<Named> results;  // one value per pair (the key results)
  std::vector<Named> series;   // one value per pair and year (the city's metrics, spending)
  int first_year = 0, years = 0;
  std::size_t row_width() const { return results.size() + static_cast<std::size_t>(years) * series.size(); }
};

// The outputs of a simulated sweep: the key results (outputs/comparison.h) and, per year, every
// city metric (model/metrics.h) and the spending of every measure in yuan.
SweepOutputs simulation_sweep_outputs(int first_year, int years);

// The row of replicate `replicate` of a run, in simulation_sweep_outputs' order.
std::vector<double> simulation_sweep_row(const SimulationResult& result, const Scenario& scenario, int replicate);

// What a sweep file records besides the results.
struct SweepHeader {
  const SweepSpec* spec = nullptr;
  const LoadedScenario* base = nullptr;
  const Design* design = nullptr;
  SweepOutputs outputs;
  std::uint64_t hash = 0;             // sweep_hash(spec, base) (resume checks it)
  std::string population_hash;        // 16 hex digits
  std::string program;                // version and git commit (resume checks it)
  RunInfo info;
  int ranks = 1;                      // processes (MPI ranks) that ran it
};

// FILE.partial, where a sweep into FILE is written until it is complete.
std::filesystem::path partial_sweep_path(const std::filesystem::path& path);

class SweepFile {
 public:
  // Creates `path` (replacing it) with every dataset at full size, and /population unless null.
  static SweepFile create(const std::filesystem::path& path, const SweepHeader& header, const Population* population);
  // Opens a partial sweep to resume it: InputError if it is not one, or if its hash, population
  // hash or program (version and git commit) differ from these: the sweep file, its base, the
  // population or the model changed, and the results would mix two sweeps.
  static SweepFile resume(const std::filesystem::path& path, std::uint64_t hash, const std::string& population_hash,
                          const std::string& program);

  std::size_t points() const { return points_; }
  int replicates() const { return replicates_; }
  std::size_t pairs() const { return points_ * static_cast<std::size_t>(replicates_); }
  // One flag per pair (point * replicates + replicate): 1 when its results are on disk.
  std::vector<std::uint8_t> done() const;
  // Writes the rows of `count` consecutive pairs from `first` (row_width doubles each), then,
  // after a flush, their done flags, then flushes again.
  void write(std::size_t first, std::size_t count, const std::vector<double>& rows);
  // The results of every pair, [pair * results + k] (NaN where not done).
  std::vector<double> results() const;
  // Adds /sensitivity, the wall time and ranks to /meta, and marks the sweep complete.
  // `sobol` or `morris` (one per result, or null) as the design allows.
  void finish(const std::vector<std::string>& result_names, const std::vector<std::string>& parameter_names,
              const std::vector<SobolIndices>* sobol, const std::vector<MorrisIndices>* morris, double wall_seconds,
              int ranks);
  void close();

 private:
  SweepFile() = default;
  void open_datasets();
  hdf5::Handle file_;
  hdf5::Handle results_, series_, done_;
  std::size_t points_ = 0, width_results_ = 0, width_series_ = 0;
  int replicates_ = 0;
};

}  // namespace tuopin
