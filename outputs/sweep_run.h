#pragma once
// Running a sweep's (point, replicate) pairs into its file, on one process or on several (MPI
// ranks, cli/sweep_ranks.cpp), and the sensitivity indices of the finished sweep.
//
// Rank 0 holds the file. The pairs not yet done (all of them, or the rest after --resume) are
// taken in batches of ranks x pairs_per_rank; within a batch, rank k evaluates its own
// consecutive share, its pairs running concurrently on its threads, and rank 0 gathers the rows
// in rank order and writes them with their done flags. A pair's result depends only on the pair
// (its point's scenario and its replicate's random numbers), never on which rank or thread ran
// it, so the file is the same bit for bit for any number of ranks, threads and resumptions.
#include <atomic>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "sensitivity.h"
#include "sweep.h"
#include "sweep_file.h"

namespace tuopin {

// How the pairs are shared among processes. The default is one process.
class SweepRanks {
 public:
  virtual ~SweepRanks() = default;
  virtual int rank() const { return 0; }
  virtual int size() const { return 1; }
  // Rank 0's `values`, on every rank.
  virtual void broadcast(std::vector<std::uint64_t>& values) { (void)values; }
  // Each rank's `mine` (the same size on every rank) concatenated in rank order, on rank 0.
  virtual std::vector<double> gather(const std::vector<double>& mine) { return mine; }
  // Whether `flag` is set on any rank.
  virtual bool any(bool flag) { return flag; }
};

// The row of one pair (row_width doubles); called concurrently from several threads.
using SweepEvaluator = std::function<std::vector<double>(std::size_t point, int replicate)>;

struct SweepRunOptions {
  std::size_t pairs_per_rank = 1;  // pairs a rank runs concurrently between two writes
  // On rank 0 after each write: pairs done (of the whole sweep), pairs in the sweep, pairs that
  // were done before this run (a resumed sweep).
  std::function<void(std::size_t done, std::size_t total, std::size_t done_before)> progress;
  const std::atomic<bool>* stop = nullptr;  // set by a signal: stop after the current batch
};

// Runs every pair whose done flag is 0 in `file` (rank 0; nullptr on the other ranks). Returns
// the pairs still not done when it stopped (0 unless `stop` was set).
std::size_t run_sweep_pairs(SweepFile* file, std::size_t pairs, int replicates, std::size_t row_width,
                            const SweepEvaluator& evaluate, SweepRanks& ranks, const SweepRunOptions& options);

// The sensitivity of each result (its mean over a point's replicates) to each parameter: Sobol
// indices for a sobol design, Morris's for a morris design, none for the others.
struct SweepSensitivity {
  std::vector<std::string> results, units, parameters;
  std::vector<SobolIndices> sobol;    // one per result (sobol design)
  std::vector<MorrisIndices> morris;  // one per result (morris design)
  // Spearman's rank correlation of each result with each parameter, [result][parameter], for every design.
  std::vector<std::vector<double>> rank_correlation;
  // The result over the points: minimum, median, maximum.
  std::vector<std::array<double, 3>> spread;
};
SweepSensitivity sweep_sensitivity(const SweepSpec& spec, const Design& design, const SweepOutputs& outputs,
                                   const std::vector<double>& results);

// The indices as tables, one per result, parameters by importance.
void print_sensitivity(std::ostream& out, const SweepSpec& spec, const SweepSensitivity& s);

}  // namespace tuopin
