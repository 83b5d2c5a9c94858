#pragma once
// Small scenarios for fast tests: the embedded baseline with a scaled-down population.
#include <cstdint>
#include <string>
#include <utility>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <doctest/doctest.h>

#include "funding.h"
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

// One county, one village, households set by hand. Every household has the same modest income
// so the pools' order is decided by the rules under test, not by chance.
struct HandBuilt {
  Population pop;
  std::size_t add(LabourCapacity labour, RegistryStatus status, Cause cause, int adults, int children, int elderly) {
    Households& h = pop.households;
    const std::size_t i = h.count();
    h.resize(i + 1);
    h.county[i] = 0;
    h.village[i] = 0;
    h.size[i] = static_cast<std::uint8_t>(adults + children + elderly);
    h.members[0][i] = 0;
    h.members[1][i] = static_cast<std::uint8_t>(children);
    h.members[2][i] = static_cast<std::uint8_t>(adults);
    h.members[3][i] = static_cast<std::uint8_t>(elderly);
    h.labour[i] = labour;
    h.flags[i] = 0;
    h.cause_main[i] = cause;
    h.cause_secondary[i] = no_cause;
    h.land[i] = 1.0f;
    const float income = 1500.0f * h.size[i];  // yuan/year, half the line per member
    h.base_income[0][i] = 0.4f * income;
    h.base_income[1][i] = 0.4f * income;
    h.base_income[2][i] = 0.2f * income;
    h.base_income[3][i] = 0.0f;
    h.status0[i] = status;
    h.housing0[i] = HousingSafety::safe;
    h.entry_year[i] = status == RegistryStatus::near_poor ? 0 : 2014;
    return i;
  }
  HandBuilt() {
    pop.villages.resize(1);
    pop.villages.county[0] = 0;
    pop.villages.poor[0] = 1;
    pop.villages.remoteness[0] = 1;
    pop.villages.road[0] = 1;
    pop.villages.water[0] = 1;
    pop.villages.collective_income[0] = 0;
  }
};

// ---- reading results in tests ----

// A metric summed over every replicate, year and county.
inline std::int64_t total(const SimulationResult& r, Metric m) {
  std::int64_t sum = 0;
  for (int k = 0; k < r.replicates; ++k)
    for (int y = 0; y < r.years; ++y) sum += r.city_total(k, y, m);
  return sum;
}

// Index of a measure in the result's `measure` dimension (fails the test if absent).
inline int measure_index(const SimulationResult& r, std::string_view name) {
  for (int m = 0; m < r.measures; ++m)
    if (r.measure_names[m] == name) return m;
  FAIL("no measure " << name);
  return -1;
}

// Index of a measure metric (fails the test if absent).
inline int metric_index(const SimulationResult& r, std::string_view name) {
  for (int k = 0; k < r.extra_metrics; ++k)
    if (r.extra_metric_info[k].name == name) return k;
  FAIL("no metric " << name);
  return -1;
}

// Spending of a measure over every replicate, year and county (fen), from one source or all.
inline std::int64_t spend_total(const SimulationResult& r, int measure, int source = -1) {
  std::int64_t sum = 0;
  for (int k = 0; k < r.replicates; ++k)
    for (int y = 0; y < r.years; ++y)
      for (int c = 0; c < r.counties; ++c)
        for (int s = 0; s < fund_source_count; ++s)
          if (source < 0 || s == source) sum += r.spend(k, y, c, measure, s);
  return sum;
}

// Beneficiary households of a measure over every replicate and year.
inline std::int64_t beneficiaries_total(const SimulationResult& r, int measure) {
  std::int64_t sum = 0;
  for (int k = 0; k < r.replicates; ++k)
    for (int y = 0; y < r.years; ++y) sum += r.city_measure(r.beneficiary_households, k, y, measure);
  return sum;
}

// One household's trace over one replicate of the scenario (SimulationOptions::trace_household).
inline std::vector<TraceRow> trace_of(const Scenario& s, const Population& pop, std::size_t household) {
  std::vector<TraceRow> rows;
  SimulationOptions opt;
  opt.seed = s.seed;
  opt.trace_household = static_cast<std::int64_t>(household);
  opt.trace = &rows;
  simulate(s, pop, opt);
  return rows;
}

// The trace row of a year and month (13: the assessment); fails the test if absent.
inline const TraceRow& trace_row(const std::vector<TraceRow>& rows, int year, int month) {
  for (const auto& r : rows)
    if (r.year == year && r.month == month) return r;
  FAIL("no trace row " << year << "-" << month);
  return rows.front();
}

// One hash of every table of a result: counts, spending, beneficiaries, pools, measure metrics.
inline std::uint64_t hash_result(const SimulationResult& r) {
  std::uint64_t h = hash_values(r.values);
  for (const auto* t : {&r.spend_fen, &r.beneficiary_households, &r.beneficiary_people, &r.pool_available_fen,
                        &r.pool_spent_fen, &r.measure_metrics})
    h = hash_values(*t, h);
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
