#pragma once
// The simulation loop: replicates x years x households x months.
//
// For each replicate the household state is reset from the population. Each year, village
// disasters are drawn; then households are processed in parallel blocks, each household
// running its twelve months (income, illness, disaster damage, school drop-out, housing
// repair, insurance) and then the year-end assessment. Households interact only through
// village-level events, which are drawn before the block loop, so any split of households
// over threads gives identical results. Counts are integers summed exactly.
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "funding.h"
#include "metrics.h"
#include "population_synthesis.h"
#include "scenario.h"

namespace tuopin {

// The phases of a run, in the order they run (docs/model.md, 3. "Process overview and
// scheduling"), as timed in SimulationResult::phase_seconds. Phases with serial steps are what
// a run's parallel efficiency is lost to on many threads; `tuopin bench --phases` prints them.
enum class RunPhase : int {
  setup,            // columns, start counts, village index; per replicate the reset; per year the village disasters
  plan_requests,    // the pools opened, identification and each block's requests (parallel over blocks; per slice)
  plan_allocation,  // the pools' allocation (parallel over pools; per slice) and the awards (one measure after another)
  months,           // the twelve months (parallel over blocks)
  settle,           // year-end payments from pools (one measure after another)
  assessment,       // the year-end assessment (parallel over blocks)
  sums,             // the threads' counts summed, villages and counties assessed, ledgers added (mostly serial)
};
inline constexpr int run_phase_count = 7;
inline constexpr std::array<const char*, run_phase_count> run_phase_names{
    "setup", "plan requests", "plan allocation", "months", "settle", "assessment", "sums"};

struct SimulationResult {
  int replicates = 0;
  int first_replicate = 0;  // replicate index (Philox key word 1) of replicate 0 here
  int first_year = 0;
  int years = 0;
  int counties = 0;
  // values[((replicate * years + year) * counties + county) * metric_count + metric]
  std::vector<std::int64_t> values;

  // The plan and the measures (model/measures/), with a `measure` dimension in registry order
  // and a `source` dimension in FundSource order. Money in integer fen.
  int measures = 0;       // every measure of the registry, switched on or not
  int extra_metrics = 0;  // metrics declared by the measures, all measures together
  std::vector<std::string> measure_names;  // Chinese names: measure_registry()
  std::vector<MetricInfo> extra_metric_info;
  std::vector<std::int64_t> spend_fen;               // [(((r*Y + y)*C + c)*M + m)*S + s], S = fund_source_count
  std::vector<std::int64_t> beneficiary_households;  // [((r*Y + y)*C + c)*M + m]
  std::vector<std::int64_t> beneficiary_people;      // [((r*Y + y)*C + c)*M + m]
  std::vector<std::int64_t> pool_available_fen;      // [((r*Y + y)*C + c)*P + p], P = pool_source_count
  std::vector<std::int64_t> pool_spent_fen;          // [((r*Y + y)*C + c)*P + p]
  std::vector<std::int64_t> measure_metrics;         // [((r*Y + y)*C + c)*K + k]
  // Villages: the calendar year each poor village first met the exit criteria (0: not in the
  // window; always 0 for villages that are not poor). [replicate * villages + village]
  int villages = 0;
  std::vector<std::int16_t> village_exit_year;
  std::size_t state_bytes_per_household = 0;         // engine state + every enabled measure's columns
  // Wall time by phase over the whole run, seconds, indexed by RunPhase (the names in
  // run_phase_names): what `tuopin bench --phases` prints, to see which phase holds back a
  // run on many threads.
  std::array<double, run_phase_count> phase_seconds{};
  // With uncertainty.parameters (model/uncertainty.h): every uncertain parameter ("section.key",
  // dictionary order) and its value in each replicate, drawn or held: [replicate * P + p].
  std::vector<std::string> uncertain_parameters;
  std::vector<double> uncertain_values;

  std::size_t cell(int replicate, int year, int county) const {
    return (static_cast<std::size_t>(replicate) * years + year) * counties + county;
  }
  std::int64_t spend(int replicate, int year, int county, int measure, int source) const {
    return spend_fen[(cell(replicate, year, county) * measures + measure) * fund_source_count + source];
  }
  // City total of a per-(county, measure) table such as beneficiary_households.
  std::int64_t city_measure(const std::vector<std::int64_t>& table, int replicate, int year, int measure) const;
  // Spending of a replicate-year, all counties, measures and sources (fen).
  std::int64_t city_spend(int replicate, int year) const;

  std::int64_t at(int replicate, int year, int county, Metric m) const {
    return values[index(replicate, year, county, m)];
  }
  std::int64_t city_total(int replicate, int year, Metric m) const;
  std::size_t index(int replicate, int year, int county, Metric m) const {
    return ((static_cast<std::size_t>(replicate) * years + year) * counties + county) * metric_count +
           static_cast<int>(m);
  }
};

// One household's path through a run, month by month and at each assessment (tuopin run
// --trace, and the trace tests).
struct TraceRow {
  int replicate = 0;
  int year = 0;          // calendar year
  int month = 0;         // 1..12; 13 is the year-end assessment
  double wage = 0;       // the month's wage income, yuan (after illness and measures' wage factors)
  double income = 0;     // the month's income from every source, yuan (13: the year's, after top-ups)
  double measures = 0;   // of which measures' monthly transfers (industry, posts, dividends, aid)
  double benefit = 0;    // of which the constant 低保/五保 benefit (13: the year's top-up)
  double income_so_far = 0;  // the year's income so far, yuan
  double medical = 0;    // out-of-pocket medical cost of the year so far, yuan
  int status = 0;        // RegistryStatus (13: after the assessment)
  int pathway = 255;     // registry index of the year's pathway, 255: none
  int supported = 0;     // 0 not supported, 1 continuing support, 2 identified this year
  int assistance = 0;    // 低保/五保 bits
};

struct SimulationOptions {
  int replicates = 1;
  std::uint32_t seed = 0;
  int first_replicate = 0;  // replicate index of the first replicate run (key word 1)
  // Called after each replicate-year with (replicates done + fraction of the current one).
  std::function<void(double done, double total)> progress;
  // Records household `trace_household` (when >= 0) of every replicate into `trace`.
  std::int64_t trace_household = -1;
  std::vector<TraceRow>* trace = nullptr;
  // The plan runs in slices of whole counties of at most about this many households (plan.h,
  // plan_slices), so that only one slice's requests are held at a time. The results are the same
  // for any value: it sets memory only (a national run holds about 90 bytes per household of a
  // slice with every measure on).
  std::size_t plan_slice_households = 6'000'000;
};

SimulationResult simulate(const Scenario& scenario, const Population& population,
                          const SimulationOptions& options);

// Appends the replicates of `more` to `into` (model/simulation_result.cpp): `more` must start at
// the replicate after `into`'s last and have the same years, counties, measures and metrics.
// Every per-replicate table is replicate-major, so this is a concatenation; phase_seconds add up.
// An empty `into` (replicates = 0) takes `more` as it is.
void append_replicates(SimulationResult& into, const SimulationResult& more);

}  // namespace tuopin
