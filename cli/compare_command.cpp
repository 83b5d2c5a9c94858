#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "comparison.h"
#include "result_reader.h"
#include "scenario.h"

namespace po = boost::program_options;

namespace tuopin::cli {

int compare_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "Usage: tuopin compare FILE.h5 [FILE.h5 ...] [--baseline NAME]\n\n"
      "Puts the scenarios of one comparison file (tuopin run A.toml B.toml ...) or of several result\n"
      "files side by side: for each key result (exits, re-entries, newly poor over the window; the\n"
      "registered poor and incidence at the end; spending and spending per exit; counties exited and\n"
      "the probability that every listed poverty county exits) each scenario's mean over replicates\n"
      "and its paired difference from the baseline, replicate by replicate, with its 5%-95% range.\n"
      "Separate files are compared too; a warning says when their populations or seeds differ (then\n"
      "differences include more than the policy).\n\n"
      "Options");
  std::string baseline;
  std::vector<std::string> files;
  visible.add_options()("help,h", "show this help")(
      "baseline", po::value(&baseline)->value_name("NAME"), "the scenario the others are compared with (default: the first)");
  const po::variables_map vm = parse_options(args, visible, files);
  if (vm.count("help")) {
    std::cout << visible << "\nExamples:\n"
              << "  tuopin compare results/compare.h5\n"
              << "  tuopin compare results/compare.h5 --baseline pathways\n"
              << "  tuopin compare results/anqing-baseline.h5 results/anqing-plan.h5\n";
    return 0;
  }
  if (files.empty()) throw InputError("give a result file to compare (tuopin compare FILE.h5 [FILE.h5 ...])");
  std::vector<std::filesystem::path> paths(files.begin(), files.end());
  const auto scenarios = scenarios_in(paths);
  if (scenarios.size() < 2)
    throw InputError(files[0] + " holds one scenario, '" + scenarios[0].name +
                     "'; give a comparison file (tuopin run A.toml B.toml) or several result files");
  const std::size_t base = baseline.empty() ? 0 : find_scenario(scenarios, baseline);
  print_comparison(std::cout, compare_scenarios(scenarios, base));
  return 0;
}

}  // namespace tuopin::cli
