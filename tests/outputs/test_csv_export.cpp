// tuopin export --csv: tidy tables with a byte-order mark, RFC 4180 quoting, every row of the
// file's series, values equal to the HDF5's, a README that names every column.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "csv_export.h"
#include "metrics.h"
#include "result_file.h"
#include "result_reader.h"
#include "test_support.h"

using namespace tuopin;

namespace {

std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("tuopin_csv_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// An RFC 4180 reader: rows of fields (quoted fields may hold commas, quotes and line breaks).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field += ch;
      }
      continue;
    }
    if (ch == '"') {
      quoted = true;
      any = true;
    } else if (ch == ',') {
      row.push_back(field);
      field.clear();
    } else if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      ++i;
    } else {
      field += ch;
      any = true;
    }
  }
  if (any && (!field.empty() || !row.empty())) {
    row.push_back(field);
    rows.push_back(row);
  }
  return rows;
}

// The table without its BOM, parsed; checks the BOM and the header on the way.
std::vector<std::vector<std::string>> read_table(const std::filesystem::path& dir, const CsvTableInfo& info) {
  const std::string text = slurp(dir / info.file);
  REQUIRE(text.size() >= 3);
  CHECK(text.substr(0, 3) == std::string(utf8_bom));
  auto rows = parse_csv(text.substr(3));
  REQUIRE(!rows.empty());
  std::vector<std::string> header;
  for (const auto& c : info.columns) header.push_back(c.name);
  CHECK(rows[0] == header);
  for (std::size_t k = 1; k < rows.size(); ++k) CHECK(rows[k].size() == header.size());
  return rows;
}

const CsvTableInfo& table(const std::string& file) {
  for (const auto& t : csv_tables())
    if (t.file == file) return t;
  throw std::logic_error("no table " + file);
}

std::size_t column(const CsvTableInfo& t, const std::string& name) {
  for (std::size_t k = 0; k < t.columns.size(); ++k)
    if (t.columns[k].name == name) return k;
  throw std::logic_error("no column " + name);
}

}  // namespace

TEST_CASE("csv fields: RFC 4180 quoting, yuan with two decimals, reals without trailing zeros") {
  CHECK(csv_field("Yuexi") == "Yuexi");
  CHECK(csv_field("岳西县") == "岳西县");
  CHECK(csv_field("a, b") == "\"a, b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("") == "");
  CHECK(csv_yuan(1234.5) == "1234.50");
  CHECK(csv_yuan(0.004) == "0.00");
  CHECK(csv_yuan(-0.001) == "0.00");
  CHECK(csv_yuan(-12.345) == "-12.35");
  CHECK(csv_yuan(std::nan("")) == "");
  CHECK(csv_yuan(60528412345.67) == "60528412345.67");
  CHECK(csv_real(0.0739) == "0.0739");
  CHECK(csv_real(1.0) == "1");
  CHECK(csv_real(0.0) == "0");
  CHECK(csv_real(2017.5) == "2017.5");
  CHECK(csv_real(1.0 / 3.0) == "0.3333333333");
  CHECK(csv_real(std::nan("")) == "");
}

TEST_CASE("tuopin export --csv: a comparison file as tidy tables") {
  const std::string description = "Plan, with \"quotes\", a comma\nand a second line (脱贫)";
  const LoadedScenario plan =
      test::small_scenario("description = \"\"\"" + description + "\"\"\"\n", 3000, "", test::all_measures_on);
  const LoadedScenario base = test::small_scenario("", 3000);
  const Population pop = synthesise_population(base.scenario);
  SimulationOptions opt;
  opt.replicates = 2;
  opt.seed = base.scenario.seed;
  const SimulationResult rb = simulate(base.scenario, pop, opt);
  const SimulationResult rp = simulate(plan.scenario, pop, opt);
  const auto file = scratch("cmp.h5");
  std::filesystem::remove(file);
  const RunInfo info{"test", "none", "test", "host", "now", 1, 0.0, "synthesised", {}};
  write_comparison_file(file, false, {{"base", &base, &rb, nullptr}, {"plan", &plan, &rp, nullptr}}, pop, info);

  const auto scenarios = scenarios_in(file);
  REQUIRE(scenarios.size() == 2);
  const auto dir = scratch("csv");
  std::filesystem::remove_all(dir);
  const CsvExportResult result = export_csv(scenarios, dir);
  CHECK(result.files.size() == csv_tables().size() + 1);
  CHECK(result.files.back().name == "README.txt");

  // Every table: BOM, the header of csv_tables(), as many fields in each row.
  std::map<std::string, std::vector<std::vector<std::string>>> rows;
  for (const auto& t : csv_tables()) rows[t.file] = read_table(dir, t);
  for (const auto& f : result.files)
    if (f.name != "README.txt") CHECK(rows[f.name].size() == f.rows + 1);

  const std::size_t S = 2, R = 2, Y = static_cast<std::size_t>(rb.years), C = static_cast<std::size_t>(rb.counties);
  CHECK(rows["scenarios.csv"].size() == 1 + S);
  CHECK(rows["registry.csv"].size() == 1 + S * R * Y * C);
  CHECK(rows["measure_results.csv"].size() == 1 + S * R * Y * C);
  CHECK(rows["city.csv"].size() == 1 + S * R * Y);
  CHECK(rows["target.csv"].size() == 1 + S * C);
  CHECK(rows["compare.csv"].size() > 1);
  CHECK(rows["parameters.csv"].size() > 1 + 2 * 100);

  // The description with a comma, quotes and a line break is quoted, and reads back whole.
  const auto& sc = table("scenarios.csv");
  CHECK(rows["scenarios.csv"][1][column(sc, "scenario")] == "base");
  CHECK(rows["scenarios.csv"][2][column(sc, "scenario")] == "plan");
  CHECK(rows["scenarios.csv"][2][column(sc, "description")] == description);
  CHECK(slurp(dir / "scenarios.csv").find("\"Plan, with \"\"quotes\"\", a comma\nand a second line (脱贫)\"") !=
        std::string::npos);

  // Values round-trip from the HDF5: exits of plan, replicate 1, last year, last county.
  const auto& reg = table("registry.csv");
  const Dataset exits = read_scenario_dataset(scenarios[1], "exit_people");
  const std::size_t k = 1, y = Y - 1, c = C - 1;
  const auto& row = rows["registry.csv"][1 + ((1 * R + k) * Y + y) * C + c];
  CHECK(row[column(reg, "scenario")] == "plan");
  CHECK(row[column(reg, "replicate")] == "1");
  CHECK(row[column(reg, "year")] == std::to_string(rb.first_year + static_cast<int>(y)));
  CHECK(row[column(reg, "county")] == plan.scenario.counties[c].name);
  CHECK(row[column(reg, "county_zh")] == plan.scenario.counties[c].name_zh);
  CHECK(row[column(reg, "exit_people")] == std::to_string(static_cast<std::int64_t>(exits.values[(k * Y + y) * C + c])));
  // Sums: the county rows of a metric add up to the city's, for every metric.
  const auto& city = table("city.csv");
  for (const auto& mi : metric_info) {
    std::int64_t counties = 0, total = 0;
    for (std::size_t i = 1; i < rows["registry.csv"].size(); ++i)
      counties += std::stoll(rows["registry.csv"][i][column(reg, std::string(mi.name))]);
    for (std::size_t i = 1; i < rows["city.csv"].size(); ++i)
      total += std::stoll(rows["city.csv"][i][column(city, "city_" + std::string(mi.name))]);
    CHECK_MESSAGE(counties == total, mi.name);
  }

  // Spending: rows only where money was spent (none for the baseline), to the fen.
  const auto& sp = table("spending.csv");
  double spent = 0;
  for (std::size_t i = 1; i < rows["spending.csv"].size(); ++i) {
    CHECK(rows["spending.csv"][i][0] == "plan");
    const std::string& v = rows["spending.csv"][i][column(sp, "yuan")];
    CHECK(v.size() > 3);
    CHECK(v[v.size() - 3] == '.');
    spent += std::stod(v);
  }
  const Dataset total = read_scenario_dataset(scenarios[1], "city_spending_total");
  double expected = 0;
  for (double v : total.values) expected += v;
  CHECK(expected > 0);
  CHECK(spent == doctest::Approx(expected).epsilon(1e-9));

  // Parameters: the measures switched on differ, the seed does not.
  const auto& pa = table("parameters.csv");
  bool safety_net_differs = false, seed_same = false;
  for (const auto& r : rows["parameters.csv"]) {
    if (r[column(pa, "key")] == "measures.safety_net.enabled") safety_net_differs = r[column(pa, "differs")] == "1";
    if (r[column(pa, "key")] == "simulation.seed") seed_same = r[column(pa, "differs")] == "0";
  }
  CHECK(safety_net_differs);
  CHECK(seed_same);

  // README.txt: BOM, every file and every column.
  const std::string readme = slurp(dir / "README.txt");
  CHECK(readme.substr(0, 3) == std::string(utf8_bom));
  for (const auto& t : csv_tables()) {
    CHECK(readme.find(t.file + ": ") != std::string::npos);
    for (const auto& col : t.columns) CHECK(readme.find("  " + col.name) != std::string::npos);
  }
  CHECK(readme.find("年末贫困人口") != std::string::npos);

  // Existing files are kept without force; replaced with it; no temporary file is left.
  const std::string before = slurp(dir / "registry.csv");
  CHECK_THROWS_AS(export_csv({scenarios[0]}, dir), InputError);
  CHECK(slurp(dir / "registry.csv") == before);
  CsvExportOptions force;
  force.force = true;
  const CsvExportResult again = export_csv({scenarios[0]}, dir, force);
  CHECK(parse_csv(slurp(dir / "registry.csv").substr(3)).size() == 1 + R * Y * C);
  for (const auto& e : std::filesystem::directory_iterator(dir))
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);

  // A single-scenario file exports the same way.
  const auto single = scratch("single.h5");
  std::filesystem::remove(single);
  write_result_file(single, false, base, pop, rb, info);
  const auto dir1 = scratch("csv1");
  std::filesystem::remove_all(dir1);
  export_csv(scenarios_in(single), dir1);
  const auto base_rows = read_table(dir1, reg);
  CHECK(base_rows.size() == 1 + R * Y * C);
  // Same population, same seed: the baseline's numbers are those of the comparison file's.
  for (std::size_t i = 1; i < base_rows.size(); ++i)
    for (std::size_t col = 1; col < reg.columns.size(); ++col) CHECK(base_rows[i][col] == rows["registry.csv"][i][col]);

  // Not a result file: an input error, nothing written.
  const auto junk = scratch("junk.h5");
  std::ofstream(junk) << "not hdf5";
  CHECK_THROWS_AS(scenarios_in(junk), InputError);
  std::filesystem::remove_all(dir.parent_path());
}

TEST_CASE("docs/outputs.md lists every table of tuopin export") {
  std::ifstream in(std::string(TUOPIN_SOURCE_DIR) + "/docs/outputs.md");
  std::ostringstream text;
  text << in.rdbuf();
  REQUIRE(!text.str().empty());
  for (const auto& t : csv_tables()) CHECK_MESSAGE(text.str().find("| `" + t.file + "` |") != std::string::npos, t.file);
}
