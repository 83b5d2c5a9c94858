#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "brief.h"
#include "build_info.h"
#include "commands.h"
#include "output_file.h"
#include "result_reader.h"
#include "scenario.h"

namespace po = boost::program_options;

namespace tuopin::cli {

namespace {

// Without -o: beside the first file, <stem>-brief.html (Chinese) or <stem>-brief-en.html.
std::filesystem::path default_output(const std::string& first_file, Language lang) {
  const std::filesystem::path f(first_file);
  return f.parent_path() / (f.stem().string() + (lang == Language::zh ? "-brief.html" : "-brief-en.html"));
}

}  // namespace

int report_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "Usage: tuopin report FILE.h5 [FILE.h5 ...] [-o BRIEF.html] [--lang zh|en] [--baseline NAME] [--force]\n\n"
      "Writes the brief: one self-contained HTML page (charts inline, nothing loaded from the network)\n"
      "for a meeting, to read on screen or print on A4. For the scenarios of a comparison file\n"
      "(tuopin run A.toml B.toml ...) or of several result files it gives the key results (exits,\n"
      "remaining poor, re-entries, spending, spending per exit, the probability that every listed\n"
      "poverty county exits) with their 5%-95% range and the paired difference from the baseline; the\n"
      "registered poor over time with bands; a table by county; spending by measure and by source of\n"
      "funds; the parameters in which the scenarios differ; and a note on the methods. Chinese by\n"
      "default, English with --lang en. Without -o the page goes beside the first file as\n"
      "<stem>-brief.html (or <stem>-brief-en.html); an existing file is replaced only with --force.\n\n"
      "Options");
  std::string output, lang_text = "zh", baseline;
  bool force = false;
  std::vector<std::string> files;
  visible.add_options()("help,h", "show this help")(
      "output,o", po::value(&output)->value_name("FILE"), "the HTML file to write")(
      "lang", po::value(&lang_text)->value_name("zh|en"), "language of the brief: zh (Chinese, default) or en")(
      "baseline", po::value(&baseline)->value_name("NAME"),
      "the scenario the others are compared with (default: the first)")(
      "force", po::bool_switch(&force), "replace an existing output file");
  const po::variables_map vm = parse_options(args, visible, files);
  if (vm.count("help")) {
    std::cout << visible << "\nExamples:\n"
              << "  tuopin run scenarios/anqing-baseline.toml scenarios/anqing-plan.toml -o results/compare.h5\n"
              << "  tuopin report results/compare.h5 -o results/brief.html\n"
              << "  tuopin report results/compare.h5 -o results/brief-en.html --lang en --baseline anqing-plan\n"
              << "  tuopin report results/anqing-baseline.h5 results/anqing-plan.h5 -o results/brief.html\n"
              << "Print it from a browser, or: chromium --headless --no-sandbox --print-to-pdf=brief.pdf brief.html\n";
    return 0;
  }
  const Language lang = parse_language(lang_text);
  if (files.empty()) throw InputError("give a result file to report on (tuopin report FILE.h5 [FILE.h5 ...] -o BRIEF.html)");
  const std::filesystem::path out = vm.count("output") ? std::filesystem::path(output) : default_output(files[0], lang);
  check_output_path(out, force);
  const std::vector<std::filesystem::path> paths(files.begin(), files.end());
  const auto scenarios = scenarios_in(paths);
  const std::size_t base = baseline.empty() ? 0 : find_scenario(scenarios, baseline);
  BriefData data = read_brief(scenarios, base);
  data.made_with = std::string("tuopin ") + TUOPIN_VERSION + " (" + TUOPIN_GIT_COMMIT + ")";
  write_brief(out, force, render_brief(data, lang));
  std::cout << "Wrote " << out.string() << " (" << language_code(lang) << ", " << scenarios.size() << " scenario"
            << (scenarios.size() == 1 ? "" : "s") << ", baseline '" << scenarios[base].name << "').\n";
  return 0;
}

}  // namespace tuopin::cli
