// tuopin sweep: a parameter sweep (docs/sweeps.md).
#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <optional>
#include <thread>
#include <csignal>
#include <filesystem>
#include <iostream>

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "build_info.h"
#include "commands.h"
#include "output_file.h"
#include "progress_bar.h"
#include "result_file.h"
#include "simulation.h"
#include "sweep.h"
#include "sweep_file.h"
#include "sweep_ranks.h"
#include "sweep_run.h"

namespace po = boost::program_options;

namespace tuopin::cli {

namespace {

std::atomic<bool> stop_requested{false};

// The first SIGINT, SIGTERM or SIGHUP stops the sweep after the pairs running now; their results
// are written and FILE.partial stays for --resume. A second one ends the process at once (the
// partial file is still resumable: see sweep_file.h).
extern "C" void request_stop(int sig) {
  if (stop_requested.exchange(true)) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
}

struct StopOnSignal {
  StopOnSignal() {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, request_stop);
  }
  ~StopOnSignal() {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, SIG_DFL);
  }
};

std::string seconds_text(double s) {
  char buf[64];
  if (s >= 60) std::snprintf(buf, sizeof buf, "%.0f min %.0f s", std::floor(s / 60), std::fmod(s, 60.0));
  else std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

// Moves the finished FILE.partial to FILE: over an existing FILE only with --force.
void publish(const std::filesystem::path& partial, const std::filesystem::path& path, bool force) {
  if (force) {
    std::filesystem::rename(partial, path);
    return;
  }
  if (::link(partial.c_str(), path.c_str()) != 0) {
    if (errno == EEXIST)
      throw InputError(path.string() + ": appeared while the sweep ran; the results are in " + partial.string() +
                       " (rename it, or run again with --resume --force)");
    throw std::runtime_error("cannot create " + path.string() + ": " + std::strerror(errno));
  }
  std::filesystem::remove(partial);
}

// Every point's scenario is built once before anything runs, so a point the scenario refuses is
// an input error before any work (in parallel; the first refused point in design order is named).
void check_points(const SweepSpec& spec, const LoadedScenario& base, const Design& design, int threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  std::vector<std::string> errors(design.points());
  tbb::parallel_for(std::size_t{0}, design.points(), [&](std::size_t p) {
    try {
      (void)point_scenario(spec, base, design, p);
    } catch (const InputError& e) {
      errors[p] = e.what();
    }
  });
  for (const auto& e : errors)
    if (!e.empty()) throw InputError(e);
}

int sweep(SweepProcesses& processes, const std::vector<std::string>& args, const std::string& command_line) {
  SweepRanks& ranks = processes.ranks();
  const bool root = ranks.rank() == 0;
  po::options_description visible(
      "Usage: tuopin sweep SWEEP.toml [options]\n\n"
      "Runs a parameter sweep: the base scenario of SWEEP.toml at every point of its design\n"
      "(grid, latin-hypercube, sobol or morris), each point with the same replicates' random\n"
      "numbers and on one population, and writes FILE (HDF5: the design, every pair's key results\n"
      "and city series, the sensitivity indices; docs/sweeps.md). Results are written as the\n"
      "points complete, to FILE.partial until the sweep is done: after an interruption (Ctrl-C,\n"
      "kill -9, a lost node) the same command with --resume runs only the missing points.\n"
      "Sobol designs give first-order and total Sobol indices, Morris designs mu* and sigma, every\n"
      "design Spearman rank correlations; they are printed and stored. With MPI (built with\n"
      "-DTUOPIN_MPI=ON), mpirun -np K tuopin sweep ... shares the points among K processes and\n"
      "writes the same file bit for bit. A progress bar with the time left goes to stderr when it\n"
      "is a terminal.\n\n"
      "Options");
  std::string sweep_path, output, population_path;
  int threads = 0;
  std::int64_t households = 0;
  visible.add_options()
      ("help,h", "show this help")
      ("output,o", po::value(&output)->value_name("FILE"), "sweep file (default: results/<sweep name>.h5)")
      ("resume", "continue the interrupted sweep in FILE.partial: run only the points not yet done (the\n"
                 "sweep file, its base scenario and the population must be the same)")
      ("threads", po::value(&threads)->default_value(0)->value_name("T"),
       "worker threads per process; 0 = every core. Results do not depend on it.")
      ("population", po::value(&population_path)->value_name("FILE"),
       "run every point on this population: a registry extract (.csv) or a population or\n"
       "result file (.h5); otherwise the base scenario's population is synthesised")
      ("households", po::value(&households)->value_name("N"),
       "synthesise N households (the base scenario's groups scaled alike; up to 30000000)")
      ("no-population", "leave the population out of FILE (its hash stays in /meta)")
      ("force", "replace FILE (and start a FILE.partial left by an interrupted sweep afresh)");
  const po::variables_map vm = parse_options(args, visible, &sweep_path);
  if (vm.count("help")) {
    if (root) {
      std::cout << visible << "\nExamples:\n"
                << "  tuopin sweep scenarios/sweeps/plan-uncertain.toml -o results/plan-sobol.h5\n"
                << "  tuopin sweep scenarios/sweeps/plan-uncertain.toml -o results/plan-sobol.h5 --resume\n"
                << "  mpirun -np 4 tuopin sweep scenarios/sweeps/plan-uncertain.toml -o results/plan-sobol.h5\n";
    }
    return 0;
  }
  if (sweep_path.empty()) throw InputError("tuopin sweep needs a sweep file: tuopin sweep SWEEP.toml (docs/sweeps.md)");
  const int thread_count = resolve_threads(threads);
  const std::size_t household_count = parse_households(vm, households);
  const bool resume = vm.count("resume") > 0, force = vm.count("force") > 0;

  // Every rank reads and checks the same input: bad input fails alike everywhere, before any work.
  SweepSpec spec = load_sweep_file(sweep_path);
  const LoadedScenario base = load_sweep_base(spec);
  const Design design = make_design(spec.design, spec.dimensions());
  check_points(spec, base, design, thread_count);

  const bool default_output = output.empty();
  if (default_output) output = "results/" + std::filesystem::path(sweep_path).stem().string() + ".h5";
  const std::filesystem::path out_path(output), partial = partial_sweep_path(out_path);
  // The output path is rank 0's business; the others learn whether to go on.
  std::vector<std::uint64_t> verdict{0};
  if (root) {
    try {
      if (default_output) std::filesystem::create_directories("results");
      check_output_path(out_path, force);
      std::error_code ec;
      const bool partial_exists = std::filesystem::exists(partial, ec);
      if (resume && !partial_exists)
        throw InputError(partial.string() + ": no interrupted sweep to resume (run without --resume to start it)");
      if (!resume && partial_exists && !force)
        throw InputError(partial.string() + ": an interrupted sweep is there; continue it with --resume, or start "
                         "afresh with --force");
    } catch (const std::exception& e) {
      // The other ranks wait for the verdict: tell them before reporting.
      verdict[0] = dynamic_cast<const InputError*>(&e) ? 2 : 1;
      ranks.broadcast(verdict);
      throw;
    }
  }
  ranks.broadcast(verdict);
  if (verdict[0] != 0) return static_cast<int>(verdict[0]);

  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(thread_count));
  const auto start = std::chrono::steady_clock::now();
  std::string population_source;
  const Population population = obtain_population(base.scenario, population_path, household_count, population_source);
  const std::uint64_t hash = sweep_hash(spec, base);
  const SweepOutputs outputs = simulation_sweep_outputs(base.scenario.first_year, base.scenario.years());

  std::optional<SweepFile> file;
  if (root) {
    try {
      const std::string population_hex = hex_hash(population_hash(population));
      const std::string program = std::string("tuopin ") + TUOPIN_VERSION + " (" + TUOPIN_GIT_COMMIT + ")";
      if (resume) {
        file.emplace(SweepFile::resume(partial, hash, population_hex, program));
      } else {
        SweepHeader header;
        header.spec = &spec;
        header.base = &base;
        header.design = &design;
        header.outputs = outputs;
        header.hash = hash;
        header.population_hash = population_hex;
        header.program = program;
        header.info = run_info(command_line, thread_count, 0.0, population_source);
        header.ranks = ranks.size();
        file.emplace(SweepFile::create(partial, header, vm.count("no-population") ? nullptr : &population));
      }
      verdict[0] = 0;
    } catch (const std::exception& e) {
      const int err = errno;
      verdict[0] = dynamic_cast<const InputError*>(&e) ? 2 : 1;
      ranks.broadcast(verdict);
      if (!resume) {  // a sweep that did not start leaves nothing behind
        file.reset();
        std::error_code ec;
        std::filesystem::remove(partial, ec);
      }
      if (verdict[0] == 1) throw_if_disk_full(partial, err, "the sweep did not start; nothing was written");
      throw;
    }
  }
  ranks.broadcast(verdict);
  if (verdict[0] != 0) return static_cast<int>(verdict[0]);

  const std::size_t pairs = design.points() * static_cast<std::size_t>(spec.replicates);
  if (root)
    std::cout << (resume ? "Resuming" : "Running") << " the " << spec.design_name << " sweep " << sweep_path << ": "
              << design.points() << " points x " << spec.replicates << (spec.replicates == 1 ? " replicate" : " replicates") << " of "
              << base.sources.back().name << ", " << spec.parameters.size() << " parameters, "
              << population.households.count() << " households, " << ranks.size()
              << (ranks.size() == 1 ? " process" : " processes") << " x " << thread_count << " threads.\n"
              << std::flush;
  ProgressBar bar(root && ::isatty(STDERR_FILENO) != 0, true);
  SweepRunOptions options;
  options.pairs_per_rank = static_cast<std::size_t>(thread_count);
  options.stop = &stop_requested;
  options.progress = [&](std::size_t done, std::size_t total, std::size_t done_before) {
    bar.update(static_cast<double>(done), static_cast<double>(total), static_cast<double>(done_before));
  };
  const SweepEvaluator evaluate = [&](std::size_t point, int replicate) {
    const LoadedScenario one = point_scenario(spec, base, design, point);
    SimulationOptions opt;
    opt.replicates = 1;
    opt.first_replicate = replicate;  // the same random numbers at every point
    opt.seed = base.scenario.seed;
    const SimulationResult r = simulate(one.scenario, population, opt);
    return simulation_sweep_row(r, one.scenario, 0);
  };
  const StopOnSignal on_signal;
  std::size_t left = 0;
  try {
    left = run_sweep_pairs(root ? &*file : nullptr, pairs, spec.replicates, outputs.row_width(), evaluate, ranks, options);
  } catch (const std::exception& e) {
    // One process failing ends them all (MPI_Abort); what is on disk stays resumable.
    const int err = errno;
    std::string message = e.what();
    if (root) {
      try {
        throw_if_disk_full(partial, err, "the results so far are in " + partial.string() + " (--resume)");
      } catch (const EnvironmentError& full) {
        message = full.what();
      }
    }
    std::cerr << "tuopin" << (ranks.size() > 1 ? " (rank " + std::to_string(ranks.rank()) + ")" : std::string())
              << ": " << message << "\n";
    processes.abort(1);
  }
  bar.finish();
  if (!root) return 0;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (left > 0) {
    file->close();
    std::cerr << "tuopin: sweep interrupted with " << pairs - left << " of " << pairs << " pairs done; they are in "
              << partial.string() << ": run the same command with --resume to finish it\n";
    return 1;
  }
  const SweepSensitivity s = sweep_sensitivity(spec, design, outputs, file->results());
  file->finish(s.results, s.parameters, s.sobol.empty() ? nullptr : &s.sobol, s.morris.empty() ? nullptr : &s.morris,
               seconds, ranks.size());
  file->close();
  publish(partial, out_path, force);
  print_sensitivity(std::cout, spec, s);
  std::cout << "\nWrote " << out_path.string() << " (" << design.points() << " points x " << spec.replicates
            << (spec.replicates == 1 ? " replicate, " : " replicates, ") << ranks.size() << (ranks.size() == 1 ? " process" : " processes") << " x "
            << thread_count << " threads, " << seconds_text(seconds) << ").\n";
  return 0;
}

}  // namespace

int sweep_command(const std::vector<std::string>& args, const std::string& command_line) {
  SweepProcesses processes;
  if (!processes.mpi()) return sweep(processes, args, command_line);  // main reports errors
  try {
    return sweep(processes, args, command_line);
  } catch (const std::exception& e) {
    // Every rank reads the same input, so a bad one fails on all: rank 0 reports it once, the
    // others leave quietly a moment later (mpirun ends the job when the first rank exits).
    const bool input = dynamic_cast<const InputError*>(&e) || dynamic_cast<const po::error*>(&e);
    if (processes.ranks().rank() == 0) {
      std::cerr << "tuopin: " << (input || dynamic_cast<const EnvironmentError*>(&e) ? "" : "internal error: ")
                << e.what() << std::endl;
    } else {
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    return input ? 2 : 1;
  }
}

}  // namespace tuopin::cli
