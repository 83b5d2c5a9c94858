#include <boost/program_options.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <tbb/global_control.h>
#include <tbb/info.h>

#include "commands.h"
#include "measures/registry.h"
#include "month_kernels.h"
#include "population_synthesis.h"
#include "scenario.h"
#include "simulation.h"

namespace po = boost::program_options;

namespace tuopin::cli {

namespace {

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

// CPU time of the whole process, every thread: on a machine shared with other work it moves
// less than the wall time (time-slicing does not count), so it is the steadier comparison.
double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

}  // namespace

int bench_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "Usage: tuopin bench [options]\n\n"
      "Times the run loop (simulate: every household through every month of the default\n"
      "scenario's window, one replicate) on the default Anqing population scaled to each\n"
      "size, with no measure (the baseline) and with every measure on (the pathways), and\n"
      "reports household-months per second, the median of the repeats (wall time; the CPU\n"
      "seconds of every thread beside it), and the plan phase's share of the time. Then\n"
      "times population synthesis (tuopin synth) at the --synth sizes. With --phases, each\n"
      "row is followed by the median run's seconds in each phase of the run (setup, the\n"
      "plan's requests and allocation, months, settle, assessment, sums), to see which\n"
      "phase holds a run back on many threads.\n\nOptions");
  std::string households = "250000,5000000", threads = "1,all", synth = "10000000", measures = "none,all";
  int repeats = 5;
  visible.add_options()
      ("help,h", "show this help")
      ("households", po::value(&households)->value_name("N,N,..."), "population sizes (default 250000,5000000)")
      ("threads", po::value(&threads)->value_name("T,T,..."), "thread counts; 'all' = every core (default 1,all)")
      ("synth", po::value(&synth)->value_name("N,N,..."), "population sizes to time synthesis at (default 10000000; 0 = none)")
      ("measures", po::value(&measures)->value_name("none,all"),
       "'none' (the baseline), 'all' (every measure of the registry on, funding at the plan's\n"
       "level), or both (default)")
      ("repeats", po::value(&repeats)->value_name("K"), "timed runs per setting (default 5)")
      ("phases", "after each row, the median run's seconds in each phase of the run");
  const po::variables_map vm = parse_options(args, visible);
  if (vm.count("help")) {
    std::cout << visible;
    return 0;
  }
  if (repeats < 1) throw InputError("--repeats must be at least 1");
  auto parse_sizes = [](const std::string& list, const char* option, bool allow_zero) {
    std::vector<std::size_t> out;
    for (const auto& h : split(list)) {
      char* end = nullptr;
      const unsigned long long v = std::strtoull(h.c_str(), &end, 10);
      if (*end || (v == 0 && !allow_zero) || v > 30'000'000ULL)
        throw InputError(std::string(option) + " expects sizes in 1 .. 30000000, got '" + h + "'");
      if (v > 0) out.push_back(v);
    }
    return out;
  };
  const std::vector<std::size_t> sizes = parse_sizes(households, "--households", false);
  const std::vector<std::size_t> synth_sizes = parse_sizes(synth, "--synth", true);
  std::vector<int> thread_counts;
  for (const auto& t : split(threads)) {
    if (t == "all") thread_counts.push_back(tbb::info::default_concurrency());
    else {
      char* end = nullptr;
      const long v = std::strtol(t.c_str(), &end, 10);
      if (*end || v < 1) throw InputError("--threads expects positive counts or 'all', got '" + t + "'");
      thread_counts.push_back(static_cast<int>(v));
    }
  }

  std::vector<std::pair<std::string, LoadedScenario>> variants;
  for (const auto& m : split(measures)) {
    if (m == "none") variants.emplace_back(m, load_default_scenario());
    else if (m == "all") {
      std::vector<std::string> on;
      for (const auto& entry : measure_registry()) on.push_back("measures." + std::string(entry.name) + ".enabled=true");
      variants.emplace_back(m, load_default_scenario(on));
    }
    else throw InputError("--measures expects 'none', 'all' or 'none,all', got '" + m + "'");
  }
  if (variants.empty()) throw InputError("--measures expects 'none', 'all' or 'none,all'");
  const Scenario& s = variants.front().second.scenario;
  std::cout << "tuopin bench: " << cpu_model() << ", " << tbb::info::default_concurrency()
            << " cores available; month kernels " << month_kernel_level() << "; " << s.months()
            << " months, 1 replicate, median of " << repeats << "\n";
  std::cout << std::setw(12) << "households" << std::setw(10) << "measures" << std::setw(9) << "threads"
            << std::setw(12) << "seconds" << std::setw(14) << "CPU seconds" << std::setw(24) << "household-months/s"
            << std::setw(14) << "plan share"
            << "\n";
  for (std::size_t n : sizes) {
    const Population pop = synthesise_population(s, SynthesisOptions{n});
    for (const auto& [label, variant] : variants)
    for (int t : thread_counts) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(t));
      std::vector<std::pair<double, std::array<double, run_phase_count>>> seconds;  // (total, by phase)
      std::vector<double> cpu;
      for (int k = 0; k < repeats; ++k) {
        SimulationOptions opt;
        opt.replicates = 1;
        opt.seed = s.seed;
        const double cpu_start = process_cpu_seconds();
        const auto start = std::chrono::steady_clock::now();
        const SimulationResult r = simulate(variant.scenario, pop, opt);
        seconds.emplace_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                             r.phase_seconds);
        cpu.push_back(process_cpu_seconds() - cpu_start);
        if (r.values.empty()) return 1;
      }
      std::sort(seconds.begin(), seconds.end());
      std::sort(cpu.begin(), cpu.end());
      const auto& [median, phase] = seconds[seconds.size() / 2];
      const double plan = phase[static_cast<int>(RunPhase::plan_requests)] +
                          phase[static_cast<int>(RunPhase::plan_allocation)];
      const double rate = static_cast<double>(pop.households.count()) * s.months() / median;
      std::cout << std::setw(12) << pop.households.count() << std::setw(10) << label << std::setw(9) << t
                << std::setw(12) << std::fixed << std::setprecision(3) << median << std::setw(14)
                << cpu[cpu.size() / 2] << std::setw(22) << std::setprecision(1) << rate / 1e6 << " M"
                << std::setw(13) << std::setprecision(1) << 100.0 * plan / median << "%\n";
      if (vm.count("phases")) {
        std::cout << std::setw(31) << "phases (s):";
        for (int p = 0; p < run_phase_count; ++p)
          std::cout << " " << run_phase_names[p] << " " << std::setprecision(3) << phase[p] << (p + 1 < run_phase_count ? ";" : "\n");
      }
    }
  }
  if (!synth_sizes.empty())
    std::cout << "\n" << std::setw(12) << "households" << std::setw(9) << "threads" << std::setw(12) << "seconds"
              << std::setw(26) << "households synthesised/s" << "\n";
  for (std::size_t n : synth_sizes)
    for (int t : thread_counts) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(t));
      std::vector<double> seconds;
      for (int k = 0; k < repeats; ++k) {
        const auto start = std::chrono::steady_clock::now();
        const Population pop = synthesise_population(s, SynthesisOptions{n});
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        if (pop.households.count() != n) return 1;
      }
      std::sort(seconds.begin(), seconds.end());
      const double median = seconds[seconds.size() / 2];
      std::cout << std::setw(12) << n << std::setw(9) << t << std::setw(12) << std::fixed << std::setprecision(3)
                << median << std::setw(26) << std::setprecision(1) << static_cast<double>(n) / median / 1e6 << " M\n";
    }
  return 0;
}

}  // namespace tuopin::cli
