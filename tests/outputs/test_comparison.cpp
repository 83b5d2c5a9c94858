// Comparison files and tuopin compare: the file's scenarios, and paired differences computed
// replicate by replicate from the results themselves.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "comparison.h"
#include "result_file.h"
#include "result_reader.h"
#include "test_support.h"

using namespace tuopin;

namespace {
std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("tuopin_cmp_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

double window(const SimulationResult& r, int k, Metric m) {
  double sum = 0;
  for (int y = 0; y < r.years; ++y) sum += static_cast<double>(r.city_total(k, y, m));
  return sum;
}
}  // namespace

TEST_CASE("a comparison file holds each scenario, and compare pairs them replicate by replicate") {
  const LoadedScenario base = test::small_scenario("description = \"the base, with a comma\"\n", 4000);
  const LoadedScenario more = test::small_scenario(
      "description = \"more growth\"\n[income]\nwage_growth = 0.12\n", 4000);
  const Population pop = synthesise_population(base.scenario);
  REQUIRE(population_hash(pop) == population_hash(synthesise_population(more.scenario)));
  const SimulationResult rb = test::run(base.scenario, 3), rm = test::run(more.scenario, 3);
  const auto path = scratch("cmp.h5");
  std::filesystem::remove(path);
  write_comparison_file(path, false, {{"base", &base, &rb, nullptr}, {"more", &more, &rm, nullptr}}, pop,
                        RunInfo{"v", "c", "cmd", "h", "t", 2, 1.0, "synthesised", {}});

  const auto scenarios = scenarios_in(path);
  REQUIRE(scenarios.size() == 2);
  CHECK(scenarios[0].name == "base");
  CHECK(scenarios[1].group == "/scenarios/more");
  CHECK(scenarios[0].description == "the base, with a comma");
  CHECK(scenarios[0].population_hash == hex_hash(population_hash(pop)));
  CHECK(find_scenario(scenarios, "more") == 1);
  CHECK_THROWS_AS(find_scenario(scenarios, "mor"), InputError);

  const Comparison c = compare_scenarios(scenarios, 0);
  CHECK(c.paired);
  CHECK(c.warnings.empty());
  // Exits over the window (key 0): values and paired differences from the results themselves.
  std::vector<double> diff;
  for (int k = 0; k < 3; ++k) {
    CHECK(c.scenarios[1].values[0][k] == window(rm, k, Metric::exit_people));
    diff.push_back(window(rm, k, Metric::exit_people) - window(rb, k, Metric::exit_people));
  }
  const Statistics d = summarise(diff);
  CHECK(c.difference[1][0].mean == doctest::Approx(d.mean));
  CHECK(c.difference[1][0].p05 == doctest::Approx(d.p05));
  CHECK(c.difference[1][0].p95 == doctest::Approx(d.p95));
  // The baseline against itself: zero, exactly.
  for (const Statistics& s : c.difference[0]) {
    CHECK(s.mean == 0.0);
    CHECK(s.p95 == 0.0);
  }
  // Faster wage growth: more exits in every replicate.
  CHECK(c.difference[1][0].p05 > 0);
  // The same scenarios as separate files are compared the same way.
  const auto a = scratch("a.h5"), b = scratch("b.h5");
  std::filesystem::remove(a);
  std::filesystem::remove(b);
  write_result_file(a, false, base, pop, rb, RunInfo{"v", "c", "cmd", "h", "t", 2, 1.0, "synthesised", {}});
  write_result_file(b, false, more, pop, rm, RunInfo{"v", "c", "cmd", "h", "t", 2, 1.0, "synthesised", {}}, nullptr,
                    false);
  const auto separate = scenarios_in(std::vector<std::filesystem::path>{a, b});
  REQUIRE(separate.size() == 2);
  CHECK(separate[0].group.empty());
  CHECK(separate[0].name != separate[1].name);  // both are "test": made unique
  const Comparison cs = compare_scenarios(separate, 0);
  CHECK(cs.warnings.empty());
  CHECK(cs.difference[1][0].mean == doctest::Approx(d.mean));
  CHECK_FALSE(result_has_population(b));
  CHECK(population_hash_of(b) == hex_hash(population_hash(pop)));
  std::filesystem::remove_all(path.parent_path());
}
