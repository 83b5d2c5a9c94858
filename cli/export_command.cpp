#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "csv_export.h"
#include "result_reader.h"
#include "scenario.h"

namespace po = boost::program_options;

namespace tuopin::cli {

int export_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "Usage: tuopin export FILE.h5 [FILE.h5 ...] --csv DIR [--force] [--baseline NAME]\n\n"
      "Writes the scenarios of result files (tuopin run) or comparison files (tuopin run A B C) as tidy\n"
      "CSV tables for spreadsheets (Excel, WPS) and notebooks: UTF-8 with a byte-order mark so that Chinese\n"
      "names show correctly, RFC 4180 quoting, a dot as decimal separator, money in yuan with 2 decimals.\n"
      "DIR gets scenarios.csv, registry.csv (every count per scenario, replicate, year and county),\n"
      "measure_results.csv, city.csv, spending.csv, beneficiaries.csv, pools.csv, target.csv (the\n"
      "county exit target), summary.csv, villages.csv, parameters.csv (every scenario key; 'differs'\n"
      "marks those that set the scenarios apart), compare.csv (key results and paired differences\n"
      "against the baseline), attribution.csv (--ablate), uncertainty.csv (--uncertain) and a README.txt\n"
      "that explains every column. DIR is created if missing; files in it are replaced only with --force.\n\n"
      "Options");
  std::string csv, baseline;
  std::vector<std::string> files;
  visible.add_options()("help,h", "show this help")("csv", po::value(&csv)->value_name("DIR"),
                                                    "write the CSV tables into folder DIR")(
      "force", "replace the tables of an earlier export in DIR")(
      "baseline", po::value(&baseline)->value_name("NAME"),
      "the scenario compare.csv takes differences against (default: the first)");
  const po::variables_map vm = parse_options(args, visible, files);
  if (vm.count("help")) {
    std::cout << visible << "\nExamples:\n"
              << "  tuopin export results/anqing-baseline.h5 --csv results/baseline-csv\n"
              << "  tuopin run scenarios/anqing-baseline.toml scenarios/pathways.toml -o results/compare.h5\n"
              << "  tuopin export results/compare.h5 --csv results/compare-csv --baseline anqing-baseline\n"
              << "  tuopin export results/anqing-baseline.h5 results/anqing-plan.h5 --csv results/csv --force\n"
              << "In Python: pandas.read_csv(\"results/compare-csv/registry.csv\", encoding=\"utf-8-sig\")\n";
    return 0;
  }
  if (files.empty()) throw InputError("give a result file to export (tuopin export FILE.h5 [FILE.h5 ...] --csv DIR)");
  if (csv.empty()) throw InputError("say where the tables go: --csv DIR (tuopin export FILE.h5 --csv DIR)");
  std::vector<std::filesystem::path> paths(files.begin(), files.end());
  const auto scenarios = scenarios_in(paths);
  CsvExportOptions options;
  options.force = vm.count("force") > 0;
  if (!baseline.empty()) options.baseline = find_scenario(scenarios, baseline);
  const CsvExportResult r = export_csv(scenarios, csv, options);
  for (const auto& w : r.warnings) std::cerr << "tuopin export: warning: " << w << "\n";
  std::cout << "Wrote " << r.files.size() << " files to " << csv << " (" << scenarios.size()
            << (scenarios.size() == 1 ? " scenario" : " scenarios") << "):\n";
  for (const auto& f : r.files) {
    std::cout << "  " << f.name;
    if (f.name != "README.txt") std::cout << " (" << f.rows << (f.rows == 1 ? " row" : " rows") << ")";
    std::cout << "\n";
  }
  std::cout << "README.txt says what every column is.\n";
  return 0;
}

}  // namespace tuopin::cli
