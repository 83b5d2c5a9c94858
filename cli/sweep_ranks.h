#pragma once
// The processes of a sweep. Built with -DTUOPIN_MPI=ON and started by mpirun, they are the MPI
// ranks (cli/sweep_ranks.cpp); otherwise, and whenever the program was not started by
// mpirun, one process.
#include <memory>

#include "sweep_run.h"

namespace tuopin::cli {

// Initialises MPI when this process was started by mpirun (and the build has MPI); finalises it
// when destroyed. `ranks()` is then the communicator; otherwise a single process.
class SweepProcesses {
 public:
  SweepProcesses();
  ~SweepProcesses();
  SweepProcesses(const SweepProcesses&) = delete;
  SweepProcesses& operator=(const SweepProcesses&) = delete;
  SweepRanks& ranks() { return *ranks_; }
  bool mpi() const { return mpi_; }
  // Ends every process at once after an error on one of them (MPI_Abort), with `code`.
  [[noreturn]] void abort(int code);

 private:
  std::unique_ptr<SweepRanks> ranks_;
  bool mpi_ = false;
};

// Whether the build has MPI (-DTUOPIN_MPI=ON).
bool built_with_mpi();

}  // namespace tuopin::cli
