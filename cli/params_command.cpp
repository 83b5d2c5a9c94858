#include <boost/program_options.hpp>
#include <iostream>

#include "commands.h"
#include "parameters.h"

namespace po = boost::program_options;

namespace tuopin::cli {

int params_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "Usage: tuopin params [options]\n\n"
      "Lists every scenario key with its type, unit, range, default and source (a row of the\n"
      "calibration data, or \"assumed\" with the reasoning).\n\nOptions");
  visible.add_options()
      ("help,h", "show this help")
      ("markdown", "print docs/parameters.md (the generated parameter dictionary)")
      ("defaults", "print the defaults as a complete scenario file");
  const po::variables_map vm = parse_options(args, visible);
  if (vm.count("help")) {
    std::cout << visible;
    return 0;
  }
  if (vm.count("markdown")) {
    std::cout << parameters_markdown();
    return 0;
  }
  if (vm.count("defaults")) {
    std::cout << "# Every tuopin scenario key at its default (tuopin params --defaults)\n" << defaults_toml();
    return 0;
  }
  for (const auto& s : parameter_specs()) {
    std::cout << s.path() << " = " << s.default_toml << "\n    " << type_name(s.type) << ", " << s.unit
              << "; " << s.description << "\n    source: " << s.source << "\n";
    if (s.uncertain())
      std::cout << "    uncertain: " << s.uncertain_low << " .. " << s.uncertain_high << "; " << s.uncertain_source
                << "\n";
  }
  return 0;
}

}  // namespace tuopin::cli
