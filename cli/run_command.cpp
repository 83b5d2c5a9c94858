#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include <tbb/global_control.h>
#include <tbb/info.h>

#include "build_info.h"
#include "commands.h"
#include "population_synthesis.h"
#include "result_file.h"
#include "scenario.h"
#include "simulation.h"
#include "summary.h"

namespace po = boost::program_options;

namespace tuopin::cli {

int resolve_threads(int requested) {
  if (requested < 0) throw InputError("--threads must be at least 1 (or 0 for every core), got " + std::to_string(requested));
  return requested == 0 ? tbb::info::default_concurrency() : requested;
}

namespace {

// The temporary result file, removed if the run is interrupted (async-signal-safe unlink).
char interrupted_tmp[4096] = {0};

extern "C" void remove_tmp_and_exit(int sig) {
  if (interrupted_tmp[0]) ::unlink(interrupted_tmp);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  void update(double done, double total) {
    if (!enabled_) return;
    const int width = 40;
    const double f = total > 0 ? done / total : 1.0;
    const int filled = static_cast<int>(f * width + 0.5);
    std::fprintf(stderr, "\r[%.*s%*s] %3d%%", filled, "========================================",
                 width - filled, "", static_cast<int>(f * 100 + 0.5));
    std::fflush(stderr);
  }
  void finish() {
    if (enabled_) std::fprintf(stderr, "\r%60s\r", "");
  }

 private:
  bool enabled_;
};

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string host_name() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

}  // namespace

int run_command(const std::vector<std::string>& args, const std::string& command_line) {
  po::options_description visible(
      "Usage: tuopin run [SCENARIO] [options]\n\n"
      "Simulates SCENARIO (a TOML file; without one, the embedded default Anqing 2016-2018\n"
      "baseline), prints a summary per year on stdout and writes an HDF5 result file\n"
      "(layout: docs/outputs.md). A progress bar goes to stderr when it is a terminal.\n\n"
      "Options");
  std::string output;
  int replicates = 0, threads = 0;
  std::int64_t seed = -1;
  visible.add_options()
      ("help,h", "show this help")
      ("output,o", po::value(&output)->value_name("FILE"),
       "result file (default: results/<scenario name>.h5)")
      ("replicates", po::value(&replicates)->value_name("N"),
       "number of replicates (overrides simulation.replicates)")
      ("seed", po::value(&seed)->value_name("S"),
       "random seed, 0 .. 4294967295 (overrides simulation.seed)")
      ("threads", po::value(&threads)->default_value(0)->value_name("T"),
       "worker threads; 0 = every core. Results do not depend on it.")
      ("force", "replace FILE if it exists (otherwise an existing file is an error)");
  po::options_description hidden;
  std::string scenario_path;
  hidden.add_options()("scenario", po::value(&scenario_path));
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).style(strict_style).positional(pos).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << visible << "\nExample:\n  tuopin run scenarios/anqing-baseline.toml -o results/base.h5 --replicates 50\n";
    return 0;
  }
  const bool force = vm.count("force") > 0;
  if (vm.count("replicates") && replicates < 1)
    throw InputError("--replicates must be at least 1, got " + std::to_string(replicates));
  if (vm.count("seed") && (seed < 0 || seed > 4294967295LL))
    throw InputError("--seed must be in 0 .. 4294967295, got " + std::to_string(seed));
  const int thread_count = resolve_threads(threads);

  LoadedScenario loaded = scenario_path.empty() ? load_default_scenario() : load_scenario_file(scenario_path);
  Scenario& s = loaded.scenario;
  // Command-line overrides go into the resolved scenario too, so the file reproduces the run.
  if (vm.count("replicates")) set_simulation_key(loaded, "replicates", replicates);
  if (vm.count("seed")) set_simulation_key(loaded, "seed", seed);

  if (output.empty()) {
    const std::string stem = scenario_path.empty() ? "anqing-baseline"
                                                   : std::filesystem::path(scenario_path).stem().string();
    std::filesystem::create_directories("results");
    output = "results/" + stem + ".h5";
  }
  const std::filesystem::path out_path(output);
  check_output_path(out_path, force);  // fail before the work, not after

  const std::string tmp = temporary_path_for(out_path).string();
  std::strncpy(interrupted_tmp, tmp.c_str(), sizeof interrupted_tmp - 1);
  std::signal(SIGINT, remove_tmp_and_exit);
  std::signal(SIGTERM, remove_tmp_and_exit);

  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(thread_count));
  const auto start = std::chrono::steady_clock::now();
  const Population population = synthesise_population(s);
  ProgressBar bar(::isatty(STDERR_FILENO) != 0);
  SimulationOptions options;
  options.replicates = s.replicates;
  options.seed = s.seed;
  options.progress = [&](double done, double total) { bar.update(done, total); };
  const SimulationResult result = simulate(s, population, options);
  bar.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  RunInfo info{TUOPIN_VERSION, TUOPIN_GIT_COMMIT, command_line, host_name(), utc_now(), thread_count, seconds};
  print_summary(std::cout, s, result);
  write_result_file(out_path, force, loaded, result, info);
  interrupted_tmp[0] = 0;
  std::cout << "Wrote " << out_path.string() << " (" << population.households.count() << " households, "
            << s.replicates << " replicates, " << thread_count << " threads, " << std::fixed;
  std::cout.precision(1);
  std::cout << seconds << " s).\n";
  return 0;
}

}  // namespace tuopin::cli
