#pragma once
// Subcommands of the tuopin program. Each parses its own options and returns the exit code:
// 0 success, 1 a failure of the program, 2 bad input.
#include <boost/program_options/cmdline.hpp>
#include <string>
#include <vector>

namespace tuopin::cli {

int run_command(const std::vector<std::string>& args, const std::string& command_line);
int params_command(const std::vector<std::string>& args);
int bench_command(const std::vector<std::string>& args);

// Options must be spelled in full: a misspelled or shortened option is an error, never a guess.
inline constexpr int strict_style = boost::program_options::command_line_style::default_style &
                                    ~boost::program_options::command_line_style::allow_guessing;

// Threads to use: 0 means every core this process may use.
int resolve_threads(int requested);

}  // namespace tuopin::cli
