#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include <tbb/global_control.h>

#include "commands.h"
#include "population_file.h"
#include "population_synthesis.h"
#include "registry_extract.h"
#include "scenario.h"

namespace po = boost::program_options;

namespace tuopin::cli {

namespace {

// Columns a string takes in a terminal: CJK characters take two.
std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t bytes = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    width += bytes >= 3 ? 2 : 1;
    i += bytes;
  }
  return width;
}

void print_report(std::ostream& out, const SynthesisReport& report) {
  out << "Synthesis targets (target, achieved, relative error):\n";
  std::size_t width = 0;
  for (const auto& t : report.targets) width = std::max(width, display_width(t.name));
  for (const auto& t : report.targets) {
    const bool share = t.unit == "share";
    out << "  " << t.name << std::string(width + 2 - display_width(t.name), ' ') << std::fixed;
    if (share) {
      out << std::setprecision(4) << std::setw(12) << t.target << std::setw(12) << t.achieved;
    } else {
      out << std::setprecision(t.target < 100 ? 2 : 0) << std::setw(12) << t.target << std::setw(12) << t.achieved;
    }
    out << std::setprecision(2) << std::setw(8) << 100 * t.relative_error() << "%"
        << (t.lower_bound ? "  (lower bound)" : "") << "  " << t.unit << "; " << t.source << "\n";
  }
  out << "IPF: " << report.ipf.iterations << " iterations, largest margin error " << std::scientific
      << std::setprecision(1) << report.ipf.max_relative_error << std::fixed << (report.ipf.converged ? "" : " (NOT converged)")
      << "\nLargest relative error over all targets: " << std::setprecision(3) << 100 * report.max_relative_error()
      << "% (the rule: at most 1%)" << (report.max_relative_error() <= 0.01 ? "" : "  EXCEEDED") << "\n";
}

}  // namespace

int synth_command(const std::vector<std::string>& args, const std::string& command_line) {
  po::options_description visible(
      "Usage: tuopin synth [SCENARIO] [options]\n\n"
      "Builds the synthetic population of SCENARIO (default: the embedded Anqing baseline):\n"
      "registered poor, exited and near-poor households and the villages, fitted to the\n"
      "scenario's marginal targets by iterative proportional fitting (docs/population.md).\n\n"
      "Options");
  std::string output;
  int threads = 0;
  std::int64_t households = 0;
  visible.add_options()
      ("help,h", "show this help")
      ("output,o", po::value(&output)->value_name("FILE"),
       "write the population: .h5 (for tuopin run --population) or .csv (the registry extract form)")
      ("report", "print every marginal target beside what the population achieved")
      ("households", po::value(&households)->value_name("N"),
       "synthesise N households (the scenario's groups scaled alike; up to 30000000)")
      ("threads", po::value(&threads)->default_value(0)->value_name("T"), "worker threads; 0 = every core")
      ("force", "replace FILE if it exists");
  std::string scenario_path;
  const po::variables_map vm = parse_options(args, visible, &scenario_path);
  if (vm.count("help")) {
    std::cout << visible << "\nExamples:\n  tuopin synth --report\n  tuopin synth -o results/population.h5\n"
              << "  tuopin synth --households 10000000 --report\n";
    return 0;
  }
  const bool force = vm.count("force") > 0;
  const std::size_t household_count = parse_households(vm, households);
  const int thread_count = resolve_threads(threads);
  const LoadedScenario loaded = scenario_path.empty() ? load_default_scenario() : load_scenario_file(scenario_path);
  const std::filesystem::path out_path(output);
  const bool csv = out_path.extension() == ".csv";
  if (!output.empty()) {
    if (!csv && out_path.extension() != ".h5")
      throw InputError("-o expects a .h5 or .csv file name, got '" + output + "'");
    check_output_path(out_path, force);
  }

  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(thread_count));
  const auto start = std::chrono::steady_clock::now();
  SynthesisReport report;
  const Population pop = synthesise_population(loaded.scenario, SynthesisOptions{household_count}, &report);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (!report.ipf.converged)
    std::cerr << "tuopin synth: warning: the population table did not converge (largest margin error "
              << report.ipf.max_relative_error << "); check that the scenario's margins are consistent\n";
  if (vm.count("report")) print_report(std::cout, report);
  std::cout << "Synthesised " << pop.households.count() << " households in " << pop.villages.count() << " villages ("
            << std::fixed << std::setprecision(2) << seconds << " s, " << thread_count << " threads).\n";
  if (!output.empty()) {
    if (csv) {
      write_new_file(out_path, force, [&](const std::filesystem::path& tmp) { write_registry_csv(tmp, pop, loaded.scenario); });
    } else {
      write_population_file(out_path, force, loaded, pop, run_info(command_line, thread_count, seconds, "synthesised"));
    }
    std::cout << "Wrote " << out_path.string() << ".\n";
  }
  return 0;
}

}  // namespace tuopin::cli
