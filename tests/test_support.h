#pragma once
// Small scenarios for fast tests: the embedded baseline with a scaled-down population.
#include <cstdint>
#include <string>
#include <utility>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include "population_synthesis.h"
#include "scenario.h"
#include "simulation.h"

namespace tuopin::test {

// The baseline with about `people` registered poor (and proportional exited and near-poor)
// plus any extra TOML keys (`extra` must not repeat the [population] table header).
inline LoadedScenario small_scenario(const std::string& extra = "", double people = 20000,
                                     const std::string& population_extra = "",
                                     const std::vector<std::string>& settings = {}) {
  const std::string text = "inherits = \"anqing-baseline.toml\"\n" + extra +
                           "\n[population]\npoor_people = " + std::to_string(people) +
                           "\nexited_people = " + std::to_string(people * 0.9) +
                           "\nnear_poor_people = " + std::to_string(people * 0.5) + "\n" +
                           population_extra;
  return load_scenario_text(text, "test.toml", ".", settings);
}

// Every measure switched on, as --set assignments (so a test's text may still open any
// [measures.<name>] table).
inline const std::vector<std::string> all_measures_on = {
    "measures.safety_net.enabled=true", "measures.industry.enabled=true", "measures.employment.enabled=true",
    "measures.asset_income.enabled=true", "measures.education_aid.enabled=true", "measures.health.enabled=true"};

// Every measure of the registry switched on (Measures I and II).
inline std::vector<std::string> every_measure_on() {
  std::vector<std::string> out = all_measures_on;
  for (const char* m : {"relocation", "housing_renovation", "photovoltaic", "microcredit", "agri_insurance",
                        "collective_economy", "cadre_pairing"})
    out.push_back(std::string("measures.") + m + ".enabled=true");
  return out;
}

// The city's money scaled to a small test population of `people` registered poor: the pools
// are city totals in yuan, so a small population would never exhaust them.
inline std::string funding_level_for(double level, double people) {
  return std::to_string(level * people / 406863.0);
}

// Runs f() on exactly `threads` threads: a task_arena of that size (global_control alone is
// capped by the machine's cores; the arena is not) with the global limit raised to match.
// Returns f's result and the arena's concurrency as seen from inside.
template <typename F>
auto with_threads(int threads, F f) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  tbb::task_arena arena(threads);
  int seen = 0;
  auto out = arena.execute([&] {
    seen = tbb::this_task_arena::max_concurrency();
    return f();
  });
  return std::make_pair(std::move(out), seen);
}

// FNV-1a over the 8 bytes of every value, in order.
inline std::uint64_t hash_values(const std::vector<std::int64_t>& values, std::uint64_t h = 1469598103934665603ull) {
  for (const std::int64_t v : values) {
    auto u = static_cast<std::uint64_t>(v);
    for (int b = 0; b < 8; ++b) {
      h ^= (u >> (8 * b)) & 0xFF;
      h *= 1099511628211ull;
    }
  }
  return h;
}

inline SimulationResult run(const Scenario& s, int replicates = 2) {
  const Population pop = synthesise_population(s);
  SimulationOptions opt;
  opt.replicates = replicates;
  opt.seed = s.seed;
  return simulate(s, pop, opt);
}

}  // namespace tuopin::test
