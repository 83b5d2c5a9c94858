// tuopin: simulation and planning model for a city's three-year poverty-exit plan.
#include <boost/program_options/errors.hpp>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "build_info.h"
#include "commands.h"
#include "output_file.h"
#include "scenario.h"

namespace {

constexpr const char* usage = R"(tuopin - poverty-exit plan simulation (脱贫攻坚规划模拟)

Usage: tuopin <command> [options]

Commands:
  run [SCENARIO ...]    simulate a scenario (default: the embedded Anqing 2016-2018 baseline)
                        and write an HDF5 result file; several scenarios share one population
                        and the random numbers in one comparison file
  compare FILE ...      the scenarios of a comparison file or of result files side by side:
                        paired differences against a baseline with their 5%-95% range
  export FILE ... --csv DIR
                        tidy CSV tables for spreadsheets (UTF-8 with BOM) and a README.txt
  report FILE ...       the brief: one HTML page (Chinese, or --lang en) to read or print on A4
  sweep SWEEP.toml      a parameter sweep (grid, Latin hypercube, Sobol, Morris) with sensitivity
                        indices; resumable, and shared among processes with mpirun
  synth [SCENARIO]      build the synthetic population (IPF to public marginals); --report
                        compares every target with what was achieved
  params                list every scenario key with unit, range, default and source
  bench                 measure the run loop's speed (household-months per second)

  tuopin <command> --help   options of one command
  tuopin --version          program version and git commit

Exit codes: 0 success, 1 program failure, 2 bad input (scenario, options, output path).
)";

}  // namespace

// After a failed write the HDF5 library may hold a file it cannot close; its exit handler
// would then crash. Leave without exit handlers once the streams are flushed.
int quit(int code) {
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(code);
}

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "tuopin " << TUOPIN_VERSION << " (" << TUOPIN_GIT_COMMIT << ")\n";
    return 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "run") return tuopin::cli::run_command(args, command_line);
    if (command == "synth") return tuopin::cli::synth_command(args, command_line);
    if (command == "params") return tuopin::cli::params_command(args);
    if (command == "bench") return tuopin::cli::bench_command(args);
    if (command == "compare") return tuopin::cli::compare_command(args);
    if (command == "export") return tuopin::cli::export_command(args);
    if (command == "report") return tuopin::cli::report_command(args);
    if (command == "sweep") return tuopin::cli::sweep_command(args, command_line);
    std::string hint = tuopin::closest_match(command, {"run", "synth", "params", "bench", "compare", "export", "report", "sweep"});
    std::cerr << "tuopin: unknown command '" << command << "'"
              << (hint.empty() ? "" : "; did you mean '" + hint + "'?") << "\n"
              << "Run 'tuopin --help' for the list of commands.\n";
    return 2;
  } catch (const tuopin::InputError& e) {
    std::cerr << "tuopin: " << e.what() << "\n";
    return 2;
  } catch (const boost::program_options::error& e) {
    std::cerr << "tuopin " << command << ": " << e.what() << "\nRun 'tuopin " << command
              << " --help' for its options.\n";
    return 2;
  } catch (const tuopin::EnvironmentError& e) {
    std::cerr << "tuopin: " << e.what() << "\n";
    return quit(1);
  } catch (const std::exception& e) {
    std::cerr << "tuopin: internal error: " << e.what() << "\n";
    return quit(1);
  }
}
