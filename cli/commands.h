#pragma once
// Subcommands of the tuopin program. Each parses its own options and returns the exit code:
// 0 success, 1 a failure of the program, 2 bad input.
#include <boost/program_options/cmdline.hpp>
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>
#include <cstdint>
#include <future>
#include <string>
#include <vector>

#include "population_synthesis.h"
#include "result_file.h"
#include "scenario.h"

namespace tuopin::cli {

int run_command(const std::vector<std::string>& args, const std::string& command_line);
int synth_command(const std::vector<std::string>& args, const std::string& command_line);
int params_command(const std::vector<std::string>& args);
int bench_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);
int export_command(const std::vector<std::string>& args);
int report_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args, const std::string& command_line);

// Options must be spelled in full: a misspelled or shortened option is an error, never a guess.
inline constexpr int strict_style = boost::program_options::command_line_style::default_style &
                                    ~boost::program_options::command_line_style::allow_guessing;

// Parses a subcommand's options strictly; with `scenario`, one positional SCENARIO argument
// goes there.
boost::program_options::variables_map parse_options(const std::vector<std::string>& args,
                                                    const boost::program_options::options_description& visible,
                                                    std::string* scenario = nullptr);

// The same, with any number of positional arguments (SCENARIO ... or FILE ...) into `positional`.
boost::program_options::variables_map parse_options(const std::vector<std::string>& args,
                                                    const boost::program_options::options_description& visible,
                                                    std::vector<std::string>& positional);

// Threads to use: 0 means every core this process may use.
int resolve_threads(int requested);

// --households N, checked (0 when not given).
std::size_t parse_households(const boost::program_options::variables_map& vm, std::int64_t households);

// The population a run starts from: a registry extract (.csv), a population or result file
// (.h5), or synthesised (scaled to `households` if non-zero). `source` says which.
Population obtain_population(const Scenario& s, const std::string& population_path, std::size_t households,
                             std::string& source);

RunInfo run_info(const std::string& command_line, int threads, double seconds, const std::string& population_source,
                 std::shared_future<std::uint64_t> population_hash = {});

}  // namespace tuopin::cli
