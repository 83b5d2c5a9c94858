// Registry extracts (建档立卡) from CSV: the exact round trip of a population through
// write_registry_csv and load_registry_csv, and one test per kind of error message.
#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "population_synthesis.h"
#include "registry_extract.h"
#include "test_support.h"

using namespace tuopin;

namespace {

// A directory of this test process's own (ctest runs test cases in parallel), removed when
// the process ends.
struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("tuopin_test_registry_" + std::to_string(::getpid()));
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

std::filesystem::path temp_path(const std::string& name) {
  static const TempDir dir;
  return dir.path / name;
}

std::filesystem::path write_text(const std::string& text, const std::string& name = "households.csv") {
  const auto path = temp_path(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const Scenario& scenario() {
  static const LoadedScenario loaded = test::small_scenario();
  return loaded.scenario;
}

Population load_text(const std::string& text) {
  return load_registry_csv(write_text(text), scenario());
}

// The message of the InputError that loading `text` throws, with the temporary directory
// taken out so that messages read as they would for ./households.csv.
std::string load_error(const std::string& text) {
  const auto path = write_text(text);
  try {
    load_registry_csv(path, scenario());
  } catch (const InputError& e) {
    std::string m = e.what();
    const std::string prefix = path.string();
    for (std::size_t at; (at = m.find(prefix)) != std::string::npos;)
      m.replace(at, prefix.size(), "households.csv");
    return m;
  }
  FAIL("no InputError for:\n" << text);
  return "";
}

const std::vector<std::string> columns = {
    "household_id", "county", "village", "poor_village", "remoteness", "road", "water",
    "collective_income", "size", "age_0_5", "age_6_15", "age_16_59", "age_60_plus", "labour",
    "disability", "chronic_illness", "cause_main", "cause_secondary", "land", "housing",
    "income_wage", "income_operating", "income_transfer", "income_property", "status", "dibao",
    "wubao", "entry_year"};

using Row = std::map<std::string, std::string>;

// A valid registered poor household of three in a remote poor village of Yuexi.
Row valid_row(const std::string& id = "h1") {
  return {{"household_id", id},        {"county", "Yuexi"},          {"village", "Yuexi-v001"},
          {"poor_village", "1"},       {"remoteness", "remote"},     {"road", "1"},
          {"water", "0"},              {"collective_income", "20000"}, {"size", "3"},
          {"age_0_5", "0"},            {"age_6_15", "1"},            {"age_16_59", "2"},
          {"age_60_plus", "0"},        {"labour", "normal"},         {"disability", "0"},
          {"chronic_illness", "1"},    {"cause_main", "illness"},    {"cause_secondary", "lack_of_capital"},
          {"land", "2.5"},             {"housing", "safe"},          {"income_wage", "4000"},
          {"income_operating", "2000"}, {"income_transfer", "500"},  {"income_property", "0"},
          {"status", "poor"},          {"dibao", "0"},               {"wubao", "0"},
          {"entry_year", "2014"}};
}

Row with(Row row, const std::map<std::string, std::string>& changes) {
  for (const auto& [k, v] : changes) row[k] = v;
  return row;
}

// A CSV text with the given header and rows (values written as they are: quote them yourself).
std::string csv(const std::vector<Row>& rows, const std::vector<std::string>& header = columns) {
  std::string out;
  for (std::size_t c = 0; c < header.size(); ++c) out += (c ? "," : "") + header[c];
  out += "\n";
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < header.size(); ++c) {
      const auto it = row.find(header[c]);
      out += (c ? "," : "") + (it == row.end() ? std::string() : it->second);
    }
    out += "\n";
  }
  return out;
}

// Villages renumbered in order of first appearance among the households, empty villages
// dropped: the form in which a population comes back from a CSV file (a file lists
// households, so a village exists in it only through its first household).
Population by_first_appearance(const Population& p) {
  Population out;
  out.households = p.households;
  std::vector<std::int64_t> renumbered(p.villages.count(), -1);
  for (std::size_t i = 0; i < p.households.count(); ++i) {
    const std::uint32_t v = p.households.village[i];
    if (renumbered[v] < 0) {
      renumbered[v] = static_cast<std::int64_t>(out.villages.count());
      out.villages.county.push_back(p.villages.county[v]);
      out.villages.poor.push_back(p.villages.poor[v]);
      out.villages.remoteness.push_back(p.villages.remoteness[v]);
      out.villages.road.push_back(p.villages.road[v]);
      out.villages.water.push_back(p.villages.water[v]);
      out.villages.collective_income.push_back(p.villages.collective_income[v]);
    }
    out.households.village[i] = static_cast<std::uint32_t>(renumbered[v]);
  }
  return out;
}

// Checks two columns are equal, naming the first row that differs.
template <typename T>
void check_column(const char* name, const std::vector<T>& a, const std::vector<T>& b) {
  INFO("column " << name);
  REQUIRE(a.size() == b.size());
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  INFO("first difference at index " << i);
  CHECK(i == a.size());
}

void check_same(const Population& a, const Population& b) {
  const Households& x = a.households;
  const Households& y = b.households;
  check_column("county", x.county, y.county);
  check_column("village", x.village, y.village);
  check_column("size", x.size, y.size);
  for (int k = 0; k < age_band_count; ++k) check_column("members", x.members[k], y.members[k]);
  check_column("labour", x.labour, y.labour);
  check_column("flags", x.flags, y.flags);
  check_column("cause_main", x.cause_main, y.cause_main);
  check_column("cause_secondary", x.cause_secondary, y.cause_secondary);
  check_column("land", x.land, y.land);
  for (int k = 0; k < income_source_count; ++k) check_column("base_income", x.base_income[k], y.base_income[k]);
  check_column("status0", x.status0, y.status0);
  check_column("housing0", x.housing0, y.housing0);
  check_column("entry_year", x.entry_year, y.entry_year);
  check_column("villages.county", a.villages.county, b.villages.county);
  check_column("villages.poor", a.villages.poor, b.villages.poor);
  check_column("villages.remoteness", a.villages.remoteness, b.villages.remoteness);
  check_column("villages.road", a.villages.road, b.villages.road);
  check_column("villages.water", a.villages.water, b.villages.water);
  check_column("villages.collective_income", a.villages.collective_income, b.villages.collective_income);
}

}  // namespace

TEST_CASE("a population written to CSV loads back exactly") {
  Population p = synthesise_population(scenario());
  REQUIRE(p.households.count() > 1000);
  Households& h = p.households;
  // Village infrastructure varied whatever synthesis sets, so that every column is exercised.
  for (std::size_t v = 0; v < p.villages.count(); ++v) {
    p.villages.road[v] = static_cast<std::uint8_t>(v % 2);
    p.villages.water[v] = static_cast<std::uint8_t>(v % 3 == 0);
    p.villages.collective_income[v] = v % 5 == 0 ? 0.0f : 1234.5678f * static_cast<float>(v);
  }
  // Floats that are hard to print: tiny, huge, and the float just above a round number.
  h.land[0] = 0.0f;
  h.land[1] = 1e-7f;
  h.land[2] = FLT_MAX;
  h.base_income[0][3] = std::nextafter(5000.0f, 6000.0f);
  h.base_income[3][4] = FLT_TRUE_MIN;
  // Synthesis starts no household as re-entered; the file must carry that status too.
  for (std::size_t i = 0; i < h.count(); ++i)
    if (h.status0[i] == RegistryStatus::exited) {
      h.status0[i] = RegistryStatus::reentered;
      break;
    }

  const auto first = temp_path("round_trip_1.csv");
  write_registry_csv(first, p, scenario());
  const Population loaded = load_registry_csv(first, scenario());
  check_same(loaded, by_first_appearance(p));

  // A loaded population is already in file order: a second trip changes nothing, and a third
  // writes the same text as the second (the first differs in its village codes, which follow
  // the synthetic villages' numbering).
  const auto second = temp_path("round_trip_2.csv");
  write_registry_csv(second, loaded, scenario());
  const Population reloaded = load_registry_csv(second, scenario());
  check_same(reloaded, loaded);
  const auto third = temp_path("round_trip_3.csv");
  write_registry_csv(third, reloaded, scenario());
  const bool same_text = read_text(second) == read_text(third);  // not printed: 2 MB
  CHECK(same_text);

  // The file's first lines, as documented.
  std::istringstream text(read_text(first));
  std::string header, row;
  std::getline(text, header);
  std::getline(text, row);
  CHECK(header == csv({}).substr(0, csv({}).size() - 1));
  CHECK(row.starts_with("h000001," + scenario().counties[h.county[0]].name + "," +
                        scenario().counties[h.county[0]].name + "-v"));
}

TEST_CASE("a valid file loads into households and villages") {
  // Columns in any order; Chinese and pinyin county names name the same county; villages are
  // numbered in order of first appearance; quoted fields may hold commas and doubled quotes.
  std::vector<std::string> reversed(columns.rbegin(), columns.rend());
  const std::string text = csv(
      {valid_row("h1"),
       with(valid_row("\"h,2\""), {{"county", "Taihu"}, {"village", "\"Taihu, 北中镇 \"\"v1\"\"\""},
                                   {"poor_village", "0"}, {"remoteness", "very_remote"},
                                   {"collective_income", "0"}, {"cause_secondary", ""},
                                   {"status", "near_poor"}, {"entry_year", "0"}, {"land", "\"1.25\""}}),
       with(valid_row("\"h,3\""), {{"county", "岳西县"}, {"status", "exited"}, {"dibao", "1"}}),
       with(valid_row("h4"), {{"county", "Taihu"}, {"village", "\"Taihu, 北中镇 \"\"v1\"\"\""},
                              {"poor_village", "0"}, {"remoteness", "very_remote"},
                              {"collective_income", "0.0"}, {"status", "reentered"}, {"size", "1"},
                              {"age_6_15", "0"}, {"age_16_59", "0"}, {"age_60_plus", "1"},
                              {"labour", "none"}, {"wubao", "1"}, {"cause_main", "lack_of_labour"},
                              {"housing", "dangerous"}})},
      reversed);
  const Population p = load_text(text);
  const Households& h = p.households;
  REQUIRE(h.count() == 4);
  REQUIRE(p.villages.count() == 2);
  const CountyIndex yuexi = 0, taihu = 2;
  CHECK(scenario().counties[yuexi].name == "Yuexi");
  CHECK(scenario().counties[taihu].name == "Taihu");
  CHECK(h.county == std::vector<CountyIndex>{yuexi, taihu, yuexi, taihu});
  CHECK(h.village == std::vector<std::uint32_t>{0, 1, 0, 1});
  CHECK(p.villages.county == std::vector<CountyIndex>{yuexi, taihu});
  CHECK(p.villages.poor == std::vector<std::uint8_t>{1, 0});
  CHECK(p.villages.remoteness == std::vector<std::uint8_t>{1, 2});
  CHECK(p.villages.road == std::vector<std::uint8_t>{1, 1});
  CHECK(p.villages.water == std::vector<std::uint8_t>{0, 0});
  CHECK(p.villages.collective_income == std::vector<float>{20000.0f, 0.0f});

  CHECK(h.size[0] == 3);
  CHECK(h.members[1][0] == 1);
  CHECK(h.members[2][0] == 2);
  CHECK(h.labour[0] == LabourCapacity::normal);
  CHECK(h.flags[0] == household_flag::chronic_illness);
  CHECK(h.cause_main[0] == Cause::illness);
  CHECK(h.cause_secondary[0] == static_cast<std::uint8_t>(Cause::lack_of_capital));
  CHECK(h.land[0] == 2.5f);
  CHECK(h.housing0[0] == HousingSafety::safe);
  CHECK(h.base_income[0][0] == 4000.0f);
  CHECK(h.base_income[1][0] == 2000.0f);
  CHECK(h.base_income[2][0] == 500.0f);
  CHECK(h.base_income[3][0] == 0.0f);
  CHECK(h.status0[0] == RegistryStatus::poor);
  CHECK(h.entry_year[0] == 2014);

  CHECK(h.cause_secondary[1] == no_cause);
  CHECK(h.land[1] == 1.25f);
  CHECK(h.status0[1] == RegistryStatus::near_poor);
  CHECK(h.entry_year[1] == 0);
  CHECK(h.status0[2] == RegistryStatus::exited);
  CHECK(h.flags[2] == (household_flag::chronic_illness | household_flag::dibao));
  CHECK(h.status0[3] == RegistryStatus::reentered);
  CHECK(h.flags[3] == (household_flag::chronic_illness | household_flag::wubao));
  CHECK(h.labour[3] == LabourCapacity::none);
  CHECK(h.members[3][3] == 1);
  CHECK(h.housing0[3] == HousingSafety::dangerous);
}

TEST_CASE("CRLF line ends, a UTF-8 byte-order mark and a missing final newline are accepted") {
  std::string text = "\xEF\xBB\xBF" + csv({valid_row("h1"), valid_row("h2")});
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  crlf.erase(crlf.size() - 2);
  CHECK(load_text(crlf).households.count() == 2);
}

TEST_CASE("a bad category names the expected values") {
  CHECK(load_error(csv({with(valid_row(), {{"labour", "strong"}})})) ==
        "households.csv:2: column 'labour': got 'strong'; expected one of normal, weak, none");
  CHECK(load_error(csv({with(valid_row(), {{"status", "Poor"}})})) ==
        "households.csv:2: column 'status': got 'Poor'; expected one of poor, exited, reentered, near_poor");
  CHECK(load_error(csv({with(valid_row(), {{"remoteness", "far"}})})) ==
        "households.csv:2: column 'remoteness': got 'far'; expected one of near, remote, very_remote");
  CHECK(load_error(csv({with(valid_row(), {{"housing", "C"}})})) ==
        "households.csv:2: column 'housing': got 'C'; expected one of safe, unsafe, dangerous");
  CHECK(load_error(csv({with(valid_row(), {{"dibao", "yes"}})})) ==
        "households.csv:2: column 'dibao': got 'yes'; expected one of 0, 1");
  CHECK(load_error(csv({with(valid_row(), {{"cause_main", "ilness"}})})) ==
        "households.csv:2: column 'cause_main': got 'ilness'; expected one of illness, disability, "
        "education, disaster, marriage, lack_of_land, lack_of_water, lack_of_skills, "
        "lack_of_capital, lack_of_labour, poor_transport, low_motivation");
  // A quoted value is reported without its quotes, commas and all.
  CHECK(load_error(csv({with(valid_row(), {{"labour", "\"weak, mostly\""}})})) ==
        "households.csv:2: column 'labour': got 'weak, mostly'; expected one of normal, weak, none");
}

TEST_CASE("numbers out of range or not numbers") {
  CHECK(load_error(csv({with(valid_row(), {{"size", "25"}})})) ==
        "households.csv:2: column 'size': got '25'; expected an integer in 1 .. 20");
  CHECK(load_error(csv({with(valid_row(), {{"age_0_5", "-1"}})})) ==
        "households.csv:2: column 'age_0_5': got '-1'; expected an integer in 0 .. 20");
  CHECK(load_error(csv({with(valid_row(), {{"age_0_5", "0.0"}})})) ==
        "households.csv:2: column 'age_0_5': got '0.0'; expected an integer in 0 .. 20");
  CHECK(load_error(csv({with(valid_row(), {{"land", "-0.5"}})})) ==
        "households.csv:2: column 'land': got '-0.5'; expected a number >= 0");
  // Unquoted, a thousands separator splits the field in two.
  CHECK(load_error(csv({with(valid_row(), {{"income_wage", "4,000"}})})) ==
        "households.csv:2: got 29 fields; expected 28 (one per header column)");
  CHECK(load_error(csv({with(valid_row(), {{"income_wage", "\"4,000\""}})})) ==
        "households.csv:2: column 'income_wage': got '4,000'; expected a number >= 0");
  CHECK(load_error(csv({with(valid_row(), {{"income_transfer", "nan"}})})) ==
        "households.csv:2: column 'income_transfer': got 'nan'; expected a number >= 0");
  CHECK(load_error(csv({with(valid_row(), {{"collective_income", ""}})})) ==
        "households.csv:2: column 'collective_income': got ''; expected a number >= 0");
  CHECK(load_error(csv({with(valid_row(), {{"entry_year", "14"}})})) ==
        "households.csv:2: column 'entry_year': got '14'; expected 0 (never registered) or a year "
        "in 2000 .. 2100");
}

TEST_CASE("rules between columns of a row") {
  CHECK(load_error(csv({with(valid_row(), {{"size", "4"}})})) ==
        "households.csv:2: column 'size': got '4'; expected the number of members in the age "
        "columns (3: 0 + 1 + 2 + 0)");
  CHECK(load_error(csv({with(valid_row(), {{"cause_secondary", "illness"}})})) ==
        "households.csv:2: column 'cause_secondary': got 'illness'; expected a cause other than "
        "cause_main, or empty");
  CHECK(load_error(csv({with(valid_row(), {{"dibao", "1"}, {"wubao", "1"}})})) ==
        "households.csv:2: column 'wubao': got '1'; expected 0 when dibao is 1 (a household has "
        "低保 or 五保, not both)");
  CHECK(load_error(csv({with(valid_row(), {{"status", "near_poor"}})})) ==
        "households.csv:2: column 'entry_year': got '2014'; expected 0 for status 'near_poor' "
        "(never registered)");
  CHECK(load_error(csv({with(valid_row(), {{"status", "exited"}, {"entry_year", "0"}})})) ==
        "households.csv:2: column 'entry_year': got '0'; expected the year first registered "
        "(2000 .. 2100) for status 'exited'");
}

TEST_CASE("rules between rows: unique ids, consistent villages") {
  CHECK(load_error(csv({valid_row("h1"), valid_row("h2"), valid_row("h1")})) ==
        "households.csv:4: column 'household_id': got 'h1'; expected a unique id (already used "
        "on row 2)");
  CHECK(load_error(csv({with(valid_row(), {{"household_id", ""}})})) ==
        "households.csv:2: column 'household_id': got ''; expected a non-empty household id");
  CHECK(load_error(csv({valid_row("h1"), with(valid_row("h2"), {{"road", "0"}})})) ==
        "households.csv:3: column 'road': got '0'; expected '1' as on row 2, the first row of "
        "village 'Yuexi-v001' in Yuexi");
  // Amounts compare by value, not by text.
  CHECK(load_text(csv({valid_row("h1"), with(valid_row("h2"), {{"collective_income", "2e4"}})}))
            .villages.count() == 1);
  // Every disagreeing column of a row is named.
  CHECK(load_error(csv({valid_row("h1"), with(valid_row("h2"), {{"poor_village", "0"},
                                                                {"collective_income", "1"}})})) ==
        "households.csv:3: column 'poor_village': got '0'; expected '1' as on row 2, the first "
        "row of village 'Yuexi-v001' in Yuexi\n"
        "households.csv:3: column 'collective_income': got '1'; expected '20000' as on row 2, the "
        "first row of village 'Yuexi-v001' in Yuexi");
  // The same code in another county is another village.
  CHECK(load_text(csv({valid_row("h1"), with(valid_row("h2"), {{"county", "Susong"}, {"road", "0"}})}))
            .villages.count() == 2);
}

TEST_CASE("a repeated id is found among many, with the row it was first used on") {
  // Enough ids for the loader's id table to grow several times.
  std::vector<Row> rows;
  for (int i = 0; i < 5000; ++i) rows.push_back(valid_row("h" + std::to_string(i)));
  rows.push_back(valid_row("h17"));
  rows.push_back(valid_row("h4999"));
  rows.push_back(valid_row("h4999 "));  // another id
  CHECK(load_error(csv(rows)) ==
        "households.csv:5002: column 'household_id': got 'h17'; expected a unique id (already "
        "used on row 19)\n"
        "households.csv:5003: column 'household_id': got 'h4999'; expected a unique id (already "
        "used on row 5001)");
}

TEST_CASE("an unknown county lists the scenario's names") {
  const std::string m = load_error(csv({with(valid_row(), {{"county", "Yuexii"}})}));
  CHECK(m ==
        "households.csv:2: column 'county': got 'Yuexii'; expected one of Yuexi, Qianshan, Taihu, "
        "Susong, Wangjiang, Huaining, Tongcheng, Zongyang, Yingjiang, Daguan, Yixiu, 岳西县, "
        "潜山县, 太湖县, 宿松县, 望江县, 怀宁县, 桐城市, 枞阳县, 迎江区, 大观区, 宜秀区; "
        "did you mean 'Yuexi'?");
}

TEST_CASE("header problems: missing, unknown and repeated columns") {
  std::vector<std::string> without_water;
  for (const auto& c : columns)
    if (c != "water") without_water.push_back(c);
  CHECK(load_error(csv({valid_row()}, without_water)) == "households.csv:1: missing column 'water'");

  // A misspelt column is reported once, with its correct name (not also as missing).
  std::vector<std::string> misspelt = columns;
  misspelt[20] = "income_wages";
  CHECK(load_error(csv({valid_row()}, misspelt)) ==
        "households.csv:1: unknown column 'income_wages'; did you mean 'income_wage'?");

  std::vector<std::string> extra = columns;
  extra.push_back("remarks");
  CHECK(load_error(csv({valid_row()}, extra)).starts_with(
      "households.csv:1: unknown column 'remarks'; expected one of household_id, county, "));

  std::vector<std::string> twice = columns;
  twice.push_back("land");
  CHECK(load_error(csv({valid_row()}, twice)) ==
        "households.csv:1: column 'land' appears twice (columns 19 and 29)");
}

TEST_CASE("CSV syntax errors") {
  const std::string header = csv({});
  CHECK(load_error(csv({with(valid_row(), {{"county", "\"Yuexi\"x"}})})) ==
        "households.csv:2: a quoted field must end at its closing '\"' (put the whole field in "
        "quotes and double any '\"' inside it)");
  CHECK(load_error(csv({with(valid_row(), {{"village", "Yuexi \"v1\""}})})) ==
        "households.csv:2: a '\"' inside an unquoted field (put the whole field in quotes and "
        "double any '\"' inside it)");
  CHECK(load_error(csv({valid_row("h1")}) + "h2,\"Yuexi\n") ==
        "households.csv:3: the quoted field opened on line 3 is never closed");
  CHECK(load_error(csv({valid_row("h1")}) + "\n" + csv({valid_row("h2")}).substr(header.size())) ==
        "households.csv:3: empty line; expected a household row");
  CHECK(load_error(header + "# a comment\n" + csv({valid_row()}).substr(header.size())) ==
        "households.csv:2: comment lines are not allowed; expected a household row");
  // A record continues over a quoted line end; the next record's row is its first line.
  CHECK(load_error(csv({with(valid_row("h1"), {{"village", "\"Yuexi\nv1\""}}),
                        with(valid_row("h2"), {{"labour", "x"}})})) ==
        "households.csv:4: column 'labour': got 'x'; expected one of normal, weak, none");
}

TEST_CASE("empty files and files without households are errors") {
  CHECK(load_error("").starts_with(
      "households.csv:1: the file is empty; expected a header row naming the columns "
      "(household_id, county, village, "));
  CHECK(load_error(csv({})) ==
        "households.csv:2: no household rows after the header; expected one row per household");
  CHECK(load_error("\n" + csv({valid_row()})) ==
        "households.csv:1: the first line is empty; expected a header row naming the columns");
}

TEST_CASE("a file that is not UTF-8 is reported once, with the fix") {
  // "岳西县" in GB18030.
  CHECK(load_error(csv({valid_row("h1"), with(valid_row("h2"), {{"county", "\xD4\xC0\xCE\xF7\xCF\xD8"}})})) ==
        "households.csv:3: the text is not UTF-8; expected a UTF-8 file (convert one saved as "
        "GBK/GB18030 with: iconv -f GB18030 -t UTF-8)");
}

TEST_CASE("every problem of a file is reported in one message, in file order") {
  const std::string m = load_error(csv({
      with(valid_row("h1"), {{"labour", "strong"}, {"size", "0"}}),
      valid_row("h2"),
      with(valid_row("h3"), {{"county", "Anqing"}}),
      valid_row("h2"),
  }));
  CHECK(m ==
        "households.csv:2: column 'size': got '0'; expected an integer in 1 .. 20\n"
        "households.csv:2: column 'labour': got 'strong'; expected one of normal, weak, none\n"
        "households.csv:4: column 'county': got 'Anqing'; expected one of Yuexi, Qianshan, Taihu, "
        "Susong, Wangjiang, Huaining, Tongcheng, Zongyang, Yingjiang, Daguan, Yixiu, 岳西县, "
        "潜山县, 太湖县, 宿松县, 望江县, 怀宁县, 桐城市, 枞阳县, 迎江区, 大观区, 宜秀区\n"
        "households.csv:5: column 'household_id': got 'h2'; expected a unique id (already used "
        "on row 3)");

  // After 50 the rest are counted, not listed.
  std::vector<Row> rows;
  for (int i = 0; i < 60; ++i) rows.push_back(with(valid_row("h" + std::to_string(i)), {{"housing", "?"}}));
  const std::string many = load_error(csv(rows));
  CHECK(std::count(many.begin(), many.end(), '\n') == 50);
  CHECK(many.find("households.csv:51: column 'housing'") != std::string::npos);
  CHECK(many.find("households.csv:52:") == std::string::npos);
  CHECK(many.ends_with("\n... and 10 more errors (60 in all)"));
}

TEST_CASE("the template in scenarios/data loads with the default scenario") {
  const LoadedScenario loaded = load_default_scenario();
  const Population p = load_registry_csv(
      std::filesystem::path(TUOPIN_SOURCE_DIR) / "scenarios/data/registry-template.csv",
      loaded.scenario);
  const Households& h = p.households;
  CHECK(h.count() == 8);
  // It shows every status, a 五保 one-person elderly household and an empty secondary cause.
  for (auto s : {RegistryStatus::poor, RegistryStatus::exited, RegistryStatus::reentered,
                 RegistryStatus::near_poor})
    CHECK(std::count(h.status0.begin(), h.status0.end(), s) >= 1);
  bool wubao_elderly = false, no_secondary = false;
  for (std::size_t i = 0; i < h.count(); ++i) {
    wubao_elderly |= (h.flags[i] & household_flag::wubao) && h.size[i] == 1 && h.members[3][i] == 1;
    no_secondary |= h.cause_secondary[i] == no_cause;
  }
  CHECK(wubao_elderly);
  CHECK(no_secondary);
}

namespace {

// What loading a text gives: the population, or the message of the InputError (with the
// temporary directory taken out, as load_error does).
struct Loaded {
  Population population;
  std::string error;
};

Loaded load_in_chunks(const std::filesystem::path& path, std::size_t chunk_bytes) {
  Loaded out;
  try {
    out.population = load_registry_csv(path, scenario(), RegistryReadOptions{chunk_bytes});
  } catch (const InputError& e) {
    out.error = e.what();
    const std::string prefix = path.string();
    for (std::size_t at; (at = out.error.find(prefix)) != std::string::npos;)
      out.error.replace(at, prefix.size(), "households.csv");
  }
  return out;
}

// Loads `text` whole and then in chunks of every size from 1 to 64 bytes, so that a chunk ends
// at every byte of it (inside a quoted field, between '\r' and '\n', inside a doubled quote, a
// UTF-8 sequence or the byte-order mark); every reading must give what the whole one gives.
Loaded load_every_way(const std::string& text) {
  const auto path = write_text(text, "chunked.csv");
  Loaded whole = load_in_chunks(path, RegistryReadOptions{}.chunk_bytes);
  for (std::size_t chunk = 1; chunk <= 64; ++chunk) {
    INFO("chunks of " << chunk << " bytes");
    const Loaded part = load_in_chunks(path, chunk);
    REQUIRE(part.error == whole.error);
    REQUIRE(part.population.households.count() == whole.population.households.count());
    check_same(part.population, whole.population);
  }
  return whole;
}

// `text` with every line end made CRLF.
std::string crlf(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

}  // namespace

TEST_CASE("a file read in chunks of any size loads as when read whole") {
  // A byte-order mark, CRLF line ends, quoted fields holding line ends (LF and CRLF), commas and
  // doubled quotes, Chinese county names (three-byte UTF-8), no final newline.
  const std::string village = "\"Yuexi \"\"v1\"\",\nnorth\"";
  const std::string valid =
      "\xEF\xBB\xBF" +
      crlf(csv({with(valid_row("\"h\"\"1\""), {{"village", village}}),
                with(valid_row("h2"), {{"village", village}, {"county", "岳西县"}}),
                with(valid_row("\"h\n3\""), {{"county", "Taihu"}, {"village", "\"a\r\nb\""}}),
                with(valid_row("h4"), {{"village", "\"\"\"\"\"\""}, {"land", "\"1.25\""}})}));
  const std::string no_final_newline = valid.substr(0, valid.size() - 2);
  for (const std::string& text : {valid, no_final_newline}) {
    const Loaded loaded = load_every_way(text);
    REQUIRE(loaded.error == "");
    const Households& h = loaded.population.households;
    REQUIRE(h.count() == 4);
    // Rows 1 and 2 are one village (the same code, a field over two lines); "a\r\nb" and '""'
    // are two more.
    CHECK(h.village == std::vector<std::uint32_t>{0, 0, 1, 2});
    CHECK(loaded.population.villages.count() == 3);
    CHECK(h.land[3] == 1.25f);
    CHECK(h.entry_year[3] == 2014);
  }

  // Values read across chunk ends appear whole in the messages, and a record after a quoted line
  // end keeps its first line's number; the last row has an error and no final newline.
  const std::string with_errors =
      "\xEF\xBB\xBF" +
      crlf(csv({with(valid_row("h1"), {{"village", village}}),
                with(valid_row("h2"), {{"labour", "\"we\"\"ak\nly\""}}),
                with(valid_row("h1"), {{"county", "岳西"}}),
                with(valid_row("h3"), {{"village", "Yuexi \"v1\""}}),
                with(valid_row("h4"), {{"size", "0"}})}));
  const std::string expected =
      "households.csv:4: column 'labour': got 'we\"ak\r\nly'; expected one of normal, weak, none\n"
      "households.csv:6: column 'household_id': got 'h1'; expected a unique id (already used on "
      "row 2)\n"
      "households.csv:6: column 'county': got '岳西'; expected one of Yuexi, Qianshan, Taihu, "
      "Susong, Wangjiang, Huaining, Tongcheng, Zongyang, Yingjiang, Daguan, Yixiu, 岳西县, "
      "潜山县, 太湖县, 宿松县, 望江县, 怀宁县, 桐城市, 枞阳县, 迎江区, 大观区, 宜秀区\n"
      "households.csv:7: a '\"' inside an unquoted field (put the whole field in quotes and "
      "double any '\"' inside it)\n"
      "households.csv:8: column 'size': got '0'; expected an integer in 1 .. 20";
  CHECK(load_every_way(with_errors).error == expected);
  CHECK(load_every_way(with_errors.substr(0, with_errors.size() - 2)).error == expected);

  // A quoted field never closed, a quote after a closing quote, an empty line.
  CHECK(load_every_way(csv({valid_row("h1")}) + "h2,\"Yuexi\r\n\"\"").error ==
        "households.csv:3: the quoted field opened on line 3 is never closed");
  CHECK(load_every_way(crlf(csv({with(valid_row("h1"), {{"county", "\"Yuexi\"x"}})})) + "\r\n").error ==
        "households.csv:2: a quoted field must end at its closing '\"' (put the whole field in "
        "quotes and double any '\"' inside it)\n"
        "households.csv:3: empty line; expected a household row");
  // A '\r' not before '\n' is part of the value.
  CHECK(load_every_way(csv({with(valid_row("h1"), {{"labour", "weak\r"}})})).error ==
        "households.csv:2: column 'labour': got 'weak\r'; expected one of normal, weak, none");

  // A file that is not UTF-8 is reported alone, whichever chunk holds the bad byte, even after
  // a header error; a UTF-8 sequence cut short by the end of the file is not UTF-8 either.
  const std::string gb18030_county = "\xD4\xC0\xCE\xF7\xCF\xD8";
  CHECK(load_every_way(csv({valid_row("h1"), with(valid_row("h2"), {{"county", gb18030_county}})})).error ==
        "households.csv:3: the text is not UTF-8; expected a UTF-8 file (convert one saved as "
        "GBK/GB18030 with: iconv -f GB18030 -t UTF-8)");
  std::vector<std::string> misspelt = columns;
  misspelt[20] = "income_wages";
  CHECK(load_every_way(csv({valid_row("h1"), with(valid_row("h2"), {{"county", gb18030_county}})}, misspelt))
            .error == "households.csv:3: the text is not UTF-8; expected a UTF-8 file (convert one "
                      "saved as GBK/GB18030 with: iconv -f GB18030 -t UTF-8)");
  CHECK(load_every_way(csv({valid_row("h1")}) + "\xE5\xB2").error ==
        "households.csv:3: the text is not UTF-8; expected a UTF-8 file (convert one saved as "
        "GBK/GB18030 with: iconv -f GB18030 -t UTF-8)");
  // The byte-order mark alone, or cut short.
  CHECK(load_every_way("\xEF\xBB\xBF").error.starts_with("households.csv:1: the file is empty;"));
  CHECK(load_every_way("\xEF\xBB").error == "households.csv:1: the text is not UTF-8; expected a "
                                            "UTF-8 file (convert one saved as GBK/GB18030 with: "
                                            "iconv -f GB18030 -t UTF-8)");
}

TEST_CASE("a registry extract is read from a pipe (a FIFO), which cannot seek") {
  const auto fifo = temp_path("households.fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string text = crlf(csv({valid_row("h1"), with(valid_row("h2"), {{"county", "Taihu"}})}));
  for (const std::size_t chunk : {std::size_t{7}, RegistryReadOptions{}.chunk_bytes}) {
    // The writer blocks until the loader opens the FIFO; the text fits in the pipe's buffer.
    std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << text; });
    const Loaded loaded = load_in_chunks(fifo, chunk);
    writer.join();
    CHECK(loaded.error == "");
    CHECK(loaded.population.households.county == std::vector<CountyIndex>{0, 2});
  }
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << csv({valid_row("h1"), valid_row("h1")}); });
  const Loaded loaded = load_in_chunks(fifo, 5);
  writer.join();
  CHECK(loaded.error == "households.csv:3: column 'household_id': got 'h1'; expected a unique id "
                        "(already used on row 2)");
}
