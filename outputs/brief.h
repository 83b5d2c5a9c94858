#pragma once
// The brief (tuopin report): one self-contained HTML page for a meeting, in Chinese or English,
// from one comparison file or several result files. Per scenario: the key results (mean, 5-95%
// range and the paired difference from the baseline, as outputs/comparison.h computes them), the
// registered poor over time with bands, the target by county, spending by measure and source, and
// the parameters in which the scenarios differ. Charts are inline SVG; the page loads nothing
// (a Content-Security-Policy forbids it) and prints on A4. Every label comes from the
// translation table (translations.h); every text from a file is HTML-escaped and marked
// class="d" (data), so a test can tell labels from data.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "comparison.h"
#include "result_reader.h"
#include "summary.h"
#include "translations.h"

namespace tuopin {

// What the brief shows of one scenario, read from its file.
struct ScenarioBrief {
  ScenarioInFile scenario;
  std::string resolved;  // meta/scenario_resolved: the scenario after defaults and inheritance
  int first_year = 0, last_year = 0;
  // City registered poor people across replicates: [0] at the start of the first year, [1 + y]
  // at the end of year y.
  std::vector<Statistics> poor_stock;
  // Spending over the window in 万元 across replicates, by measure and by source of funds, with
  // the file's labels and Chinese names.
  std::vector<std::string> measures, measure_names_zh, sources, source_names_zh;
  std::vector<Statistics> spending_by_measure, spending_by_source;
  // The target by county (/target): labels, Chinese names, listed poverty county, P(exit by the
  // last year), registered poor at the end, comprehensive incidence at the end (a fraction),
  // re-entries over the window, and the share of replicates failing each criterion.
  std::vector<std::string> counties, counties_zh, criteria;
  std::vector<bool> poverty_county;
  std::vector<double> exit_probability;
  std::vector<Statistics> poor_end, incidence, reentries;
  std::vector<std::vector<double>> failing;  // [county][criterion]
};

struct BriefData {
  Comparison comparison;                 // compare_scenarios of the scenarios, in their order
  std::vector<ScenarioBrief> scenarios;  // same order
  std::vector<std::string> files;        // the files read, as given
  std::string made_with;                 // e.g. "tuopin 0.1.0 (abc123)"
};

// Reads everything the brief shows. InputError for files that lack a dataset or cannot be
// compared (different windows).
BriefData read_brief(const std::vector<ScenarioInFile>& scenarios, std::size_t baseline);

// The whole HTML page.
std::string render_brief(const BriefData& data, Language lang);

// Writes `html` through write_new_file: never half-written, never over a file without `force`.
void write_brief(const std::filesystem::path& path, bool force, const std::string& html);

// The key results of the headline, in their order (names of key_result_info()); the target
// probability (all_listed_counties_exit) only when the baseline lists a poverty county.
std::vector<std::size_t> headline_keys(const BriefData& data);

// Helpers, exposed for tests.
std::string html_escape(std::string_view text);           // & < > " '
std::string format_number(double value, int digits, bool sign = false);  // 1,234,567.8; "—" for NaN


struct ParameterDifference {
  std::string key;
  std::vector<std::optional<std::string>> values;  // one per scenario; nullopt: not set there
};
// The keys whose values differ among the texts (the top-level `description` left out), in order
// of first appearance.
std::vector<ParameterDifference> differing_parameters(const std::vector<std::string>& resolved_texts);

}  // namespace tuopin
