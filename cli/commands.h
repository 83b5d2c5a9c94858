#pragma once
// Subcommands of the tuopin program. Each parses its own options and returns the exit code:
// 0 success, 1 a failure of the program, 2 bad input.
#include <string>
#include <vector>

namespace tuopin::cli {

int run_command(const std::vector<std::string>& args, const std::string& command_line);
int params_command(const std::vector<std::string>& args);
int bench_command(const std::vector<std::string>& args);

// Threads to use: 0 means every core this process may use.
int resolve_threads(int requested);

}  // namespace tuopin::cli
