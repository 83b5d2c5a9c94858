// Scenario loading: validation messages, inheritance, and the parameter dictionary.
#include <doctest/doctest.h>

#include <filesystem>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include <toml++/toml.h>

#include "embedded_scenarios.h"
#include "parameters.h"
#include "scenario.h"

using namespace tuopin;

namespace {
std::string error_of(const std::string& text, const std::string& name = "bad.toml") {
  try {
    load_scenario_text(text, name, ".");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("the embedded baseline loads and is the dictionary's defaults") {
  const LoadedScenario b = load_default_scenario();
  CHECK(b.scenario.first_year == 2016);
  CHECK(b.scenario.last_year == 2018);
  CHECK(b.scenario.counties.size() == 11);
  CHECK(b.scenario.poverty_line(2016) == doctest::Approx(2952.0));
  CHECK(b.scenario.population.poor_people == doctest::Approx(406863.0));
  // Every key of the baseline file equals its dictionary default, so docs/parameters.md
  // describes the Anqing baseline.
  const LoadedScenario d = load_scenario_text("", "empty.toml", ".");
  toml::table baseline = toml::parse(b.resolved_toml);
  toml::table defaults = toml::parse(d.resolved_toml);
  baseline.erase("description");
  defaults.erase("description");
  CHECK(baseline == defaults);
}

TEST_CASE("an unknown key names file, line, column, key and the closest valid key") {
  const std::string e = error_of("[shocks]\nilness_rate = 0.1\n");
  CHECK(e == "bad.toml:2:1: unknown key 'ilness_rate' in [shocks]; did you mean 'illness_rate'?");
}

TEST_CASE("an unknown table suggests the closest table") {
  CHECK(error_of("[shock]\nillness_rate = 0.1\n") ==
        "bad.toml:1:2: unknown table [shock]; did you mean '[shocks]'?");
}

TEST_CASE("a key in the wrong table says where it belongs") {
  CHECK(error_of("[income]\nillness_rate = 0.1\n") ==
        "bad.toml:2:1: unknown key 'illness_rate' in [income]; 'illness_rate' belongs in [shocks]");
}

TEST_CASE("a wrong type names the expected type and range") {
  CHECK(error_of("[shocks]\nillness_rate = \"high\"\n") ==
        "bad.toml:2:16: 'shocks.illness_rate' expects number in [0, 1], got a string");
  CHECK(error_of("[window]\nfirst_year = 2016.5\n") ==
        "bad.toml:2:14: 'window.first_year' expects integer in [2000, 2100], got a number");
}

TEST_CASE("an out-of-range value names the range") {
  CHECK(error_of("[shocks]\nillness_rate = 1.5\n") ==
        "bad.toml:2:16: 'shocks.illness_rate' is 1.5, outside the allowed range: expected number in [0, 1]");
  CHECK(error_of("[poverty_line]\nyuan = [1.0, -2.0, 3.0, 4.0, 5.0]\n").find("entry 2 is -2") != std::string::npos);
}

TEST_CASE("shares must sum to one and arrays must have their length") {
  CHECK(error_of("[population]\nhousehold_size_shares = [0.5, 0.4]\n").find("must sum to 1") != std::string::npos);
  CHECK(error_of("[population]\ndibao_rate_by_labour = [0.1, 0.2]\n") ==
        "bad.toml:2:24: 'population.dibao_rate_by_labour' expects 3 entries, got 2");
  const std::string e = error_of("[counties]\nnames = [\"A\", \"B\"]\n");
  CHECK(e.find("one per county") != std::string::npos);
}

TEST_CASE("every simulated year needs a poverty line") {
  const std::string e = error_of("[window]\nlast_year = 2019\n");
  CHECK(e.find("lacks 2019") != std::string::npos);
  CHECK(error_of("[window]\nfirst_year = 2018\nlast_year = 2016\n").find("must not be before") != std::string::npos);
}

TEST_CASE("malformed TOML reports the parser's position") {
  CHECK(error_of("[shocks\nillness_rate = 0.1\n").rfind("bad.toml:1:", 0) == 0);
}

TEST_CASE("inheritance: a child overrides its parent key by key") {
  const auto dir = std::filesystem::temp_directory_path() / "tuopin_test_inherits";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "parent.toml") << "inherits = \"anqing-baseline.toml\"\n[shocks]\nillness_rate = 0.01\ndisaster_rate = 0.02\n";
    std::ofstream(dir / "child.toml") << "inherits = \"parent.toml\"\n[shocks]\nillness_rate = 0.03\n";
  }
  const LoadedScenario s = load_scenario_file(dir / "child.toml");
  CHECK(s.scenario.shocks.illness_rate == doctest::Approx(0.03));
  CHECK(s.scenario.shocks.disaster_rate == doctest::Approx(0.02));
  CHECK(s.scenario.population.poor_people == doctest::Approx(406863.0));  // from the baseline
  REQUIRE(s.sources.size() == 3);  // embedded baseline, parent, child
  CHECK(s.sources.back().name == (dir / "child.toml").string());
  CHECK(toml::parse(s.resolved_toml)["shocks"]["illness_rate"].value<double>() == 0.03);
  CHECK(s.resolved_toml.find("inherits") == std::string::npos);
  // The resolved text is a complete scenario that loads to the same values.
  const LoadedScenario again = load_scenario_text(s.resolved_toml, "resolved.toml", ".");
  CHECK(again.scenario.shocks.disaster_rate == doctest::Approx(0.02));

  std::ofstream(dir / "loop.toml") << "inherits = \"loop.toml\"\n";
  std::string e;
  try {
    load_scenario_file(dir / "loop.toml");
  } catch (const InputError& err) {
    e = err.what();
  }
  CHECK(e.find("cycle") != std::string::npos);

  std::ofstream(dir / "orphan.toml") << "inherits = \"missing.toml\"\n";
  try {
    load_scenario_file(dir / "orphan.toml");
    FAIL("expected an error");
  } catch (const InputError& err) {
    CHECK(std::string(err.what()).find("orphan.toml:1:") != std::string::npos);
    CHECK(std::string(err.what()).find("missing.toml") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("the scenario files shipped in scenarios/ load") {
  for (const auto& entry : std::filesystem::directory_iterator(std::string(TUOPIN_SOURCE_DIR) + "/scenarios"))
    if (entry.path().extension() == ".toml") {
      CAPTURE(entry.path().string());
      CHECK_NOTHROW(load_scenario_file(entry.path()));
    }
}

TEST_CASE("every parameter has a unit, a default and a source") {
  for (const auto& p : parameter_specs()) {
    CAPTURE(p.path());
    CHECK(!p.unit.empty());
    CHECK(!p.default_toml.empty());
    CHECK(!p.source.empty());
    CHECK(!p.description.empty());
  }
}

TEST_CASE("closest_match finds near misses only") {
  CHECK(closest_match("ilness_rate", {"illness_rate", "disaster_rate"}) == "illness_rate");
  CHECK(closest_match("zzzzzz", {"illness_rate", "disaster_rate"}).empty());
}

TEST_CASE("command-line overrides reach the resolved text") {
  LoadedScenario s = load_default_scenario();
  set_simulation_key(s, "seed", 99);
  set_simulation_key(s, "replicates", 3);
  CHECK(s.scenario.seed == 99u);
  CHECK(s.scenario.replicates == 3);
  const LoadedScenario again = load_scenario_text(s.resolved_toml, "resolved.toml", ".");
  CHECK(again.scenario.seed == 99u);
  CHECK(again.scenario.replicates == 3);
}

// ---- the plan's keys: [funding], [targeting], [measures.<name>] and --set ----

namespace {
std::string error_with(const std::vector<std::string>& settings, const std::string& text = "") {
  try {
    load_scenario_text(text, "plan.toml", ".", settings);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("measure sections are dotted tables, validated like the others") {
  CHECK(error_of("[measures.industri]\nenabled = true\n") ==
        "bad.toml:1:11: unknown table [measures.industri]; did you mean '[measures.industry]'?");
  CHECK(error_of("[measures.industry]\ngrnat = 1.0\n") ==
        "bad.toml:2:1: unknown key 'grnat' in [measures.industry]; did you mean 'grant'?");
  CHECK(error_of("[measures.industry]\ngrant = -1.0\n") ==
        "bad.toml:2:9: 'measures.industry.grant' is -1, outside the allowed range: expected number in [0, 1000000]");
  CHECK(error_of("[measures.industry]\nmode_shares = [0.5, 0.2, 0.2]\n").find("must sum to 1") != std::string::npos);
  CHECK(error_of("[funding.central_specal]\nyuan = 1.0\n") ==
        "bad.toml:1:10: unknown table [funding.central_specal]; did you mean '[funding.central_special]'?");
}

TEST_CASE("cross-key rules are errors with a position: sources, pathways, counties") {
  CHECK(error_of("[measures.industry]\nenabled = true\nsource = \"central_specal\"\n") ==
        "bad.toml:3:10: 'measures.industry.source' has 'central_specal'; expected one of \"central_special\", "
        "\"provincial_special\", \"municipal_special\", \"county_revenue\", \"integrated_agri\", \"hardship_fund\", \"social_help\", \"relocation_fund\", \"pv_fund\"; "
        "did you mean 'central_special'?");
  // A pathway that names a measure switched off, once a pathway measure is on.
  const std::string e = error_of("[measures.industry]\nenabled = true\n[targeting]\npathway_unwilling = \"employment\"\n"
                                 "pathway_no_labour = \"none\"\n");
  CHECK(e.find("bad.toml:4:21: 'targeting.pathway_unwilling' names the measure 'employment', which is switched off") == 0);
  CHECK(error_of("[targeting]\npathway_willing = \"industri\"\n").find("did you mean 'industry'?") != std::string::npos);
  CHECK(error_of("[measures.industry]\nenabled = true\n[targeting]\npathway_unwilling = \"none\"\npathway_no_labour = \"none\"\n"
                 "[funding.county_revenue]\nkey_counties = [\"Yuexii\"]\n")
            .find("'funding.county_revenue.key_counties' has 'Yuexii'; expected a county of counties.names; did you "
                  "mean 'Yuexi'?") != std::string::npos);
  CHECK(error_of("[measures.asset_income]\nenabled = true\npilot_only = true\npilot_counties = [\"Taihu\", \"Tiahu\"]\n")
            .find("did you mean 'Taihu'?") != std::string::npos);
}

TEST_CASE("--set assigns any key after the file, validated like the file") {
  const LoadedScenario s = load_scenario_text("", "plan.toml", ".",
                                              {"funding.level=1.5", "measures.industry.enabled=true",
                                               "targeting.mode=uniform", "targeting.pathway_no_labour=none",
                                               "targeting.pathway_unwilling = none"});
  CHECK(s.scenario.funding.level == doctest::Approx(1.5));
  CHECK(s.scenario.enabled("industry"));
  CHECK(s.scenario.targeting.mode == TargetingMode::uniform);
  CHECK(s.resolved_toml.find("level = 1.5") != std::string::npos);
  CHECK(error_with({"funding.levle=1.2"}) ==
        "--set 'funding.levle=1.2':1:9: unknown key 'levle' in [funding]; did you mean 'level'?");
  CHECK(error_with({"funding.level=-1"}) ==
        "--set 'funding.level=-1':1:17: 'funding.level' is -1, outside the allowed range: expected number in [0, 100]");
  CHECK(error_with({"funding.level"}).find("expected section.key=value") != std::string::npos);
  // A later --set wins over an earlier one and over the file.
  const LoadedScenario t = load_scenario_text("[funding]\nlevel = 0.5\n", "plan.toml", ".",
                                              {"funding.level=0.8", "funding.level=1.2"});
  CHECK(t.scenario.funding.level == doctest::Approx(1.2));
}

TEST_CASE("every scenario file in scenarios/ loads") {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(TUOPIN_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".toml") continue;
    INFO(entry.path().string());
    const LoadedScenario s = load_scenario_file(entry.path());
    CHECK(!s.scenario.description.empty());
    ++files;
  }
  CHECK(files >= 10);
}

TEST_CASE("every source that names a data row names one that exists") {
  // "calibration: KEY" and "measures: KEY" in a parameter's source must be rows of
  // ../shared/data/calibration.csv and measures.csv (beside the checkout, as in CI).
  const std::filesystem::path data = std::filesystem::path(TUOPIN_SOURCE_DIR) / ".." / "shared" / "data";
  REQUIRE_MESSAGE(std::filesystem::exists(data / "measures.csv"), "the shared data is beside the checkout");
  auto keys_of_file = [](const std::filesystem::path& p) {
    std::set<std::string> keys;
    std::ifstream in(p);
    for (std::string line; std::getline(in, line);) keys.insert(line.substr(0, line.find(',')));
    return keys;
  };
  const std::map<std::string, std::set<std::string>> files = {
      {"calibration", keys_of_file(data / "calibration.csv")}, {"measures", keys_of_file(data / "measures.csv")}};
  int cited = 0;
  for (const auto& spec : parameter_specs()) {
    const std::string source(spec.source);
    // Not a structured binding: INFO captures `file` in a lambda, which clang 14 refuses for a
    // binding (make sanitize-ci builds this file with clang).
    for (const auto& entry : files) {
      const std::string& file = entry.first;
      const std::set<std::string>& keys = entry.second;
      const std::string tag = file + ": ";
      for (std::size_t at = source.find(tag); at != std::string::npos; at = source.find(tag, at + 1)) {
        std::size_t end = at + tag.size();
        while (end < source.size() && (std::isalnum(static_cast<unsigned char>(source[end])) || source[end] == '_')) ++end;
        const std::string key = source.substr(at + tag.size(), end - at - tag.size());
        INFO(spec.path() << " cites " << file << ": " << key);
        CHECK(keys.count(key) == 1);
        ++cited;
      }
    }
  }
  CHECK(cited > 30);
}
