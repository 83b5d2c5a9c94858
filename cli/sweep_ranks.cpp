// The processes of a sweep (sweep_ranks.h): MPI ranks when built with -DTUOPIN_MPI=ON and started
// by mpirun, else one process. Only rank 0 touches the HDF5 file (through the serial HDF5
// library), so no parallel HDF5 is needed: the other ranks send it their rows.
#include "sweep_ranks.h"

#include <cstdlib>
#include <cstdio>

#ifdef TUOPIN_MPI
#include <mpi.h>
#endif

namespace tuopin::cli {

namespace {

#ifdef TUOPIN_MPI
// Started by mpirun (Open MPI, or a PMI launcher such as Slurm's srun): a singleton MPI_Init
// outside mpirun is avoided, as it may start daemons.
bool launched_by_mpirun() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(v)) return true;
  return false;
}

class MpiRanks final : public SweepRanks {
 public:
  MpiRanks() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void broadcast(std::vector<std::uint64_t>& values) override {
    unsigned long long n = values.size();
    MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    values.resize(n);
    // In pieces: an MPI count is an int.
    for (std::size_t at = 0; at < n; at += 1u << 26) {
      const int count = static_cast<int>(std::min<std::size_t>(1u << 26, n - at));
      MPI_Bcast(values.data() + at, count, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    }
  }
  std::vector<double> gather(const std::vector<double>& mine) override {
    std::vector<double> all(rank_ == 0 ? mine.size() * static_cast<std::size_t>(size_) : 0);
    MPI_Gather(mine.data(), static_cast<int>(mine.size()), MPI_DOUBLE, all.data(), static_cast<int>(mine.size()),
               MPI_DOUBLE, 0, MPI_COMM_WORLD);
    return all;
  }
  bool any(bool flag) override {
    int in = flag ? 1 : 0, out = 0;
    MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
    return out != 0;
  }

 private:
  int rank_ = 0, size_ = 1;
};
#endif

}  // namespace

bool built_with_mpi() {
#ifdef TUOPIN_MPI
  return true;
#else
  return false;
#endif
}

SweepProcesses::SweepProcesses() {
#ifdef TUOPIN_MPI
  if (launched_by_mpirun()) {
    int provided = 0;
    // Only the main thread calls MPI; TBB's workers never do.
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    mpi_ = true;
    ranks_ = std::make_unique<MpiRanks>();
    return;
  }
#endif
  ranks_ = std::make_unique<SweepRanks>();
}

SweepProcesses::~SweepProcesses() {
#ifdef TUOPIN_MPI
  if (mpi_) MPI_Finalize();
#endif
}

void SweepProcesses::abort(int code) {
  std::fflush(stdout);
  std::fflush(stderr);
#ifdef TUOPIN_MPI
  if (mpi_) MPI_Abort(MPI_COMM_WORLD, code);
#endif
  std::_Exit(code);
}

}  // namespace tuopin::cli
