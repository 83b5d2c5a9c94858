#pragma once
// Population synthesis: Anqing's registered poor, exited and near-poor households and its
// villages, from public marginal totals and assumed parameters (docs/population.md).
//
// 1. A joint table of household counts over group (poor, exited, near-poor) x county x main
//    cause x labour capacity x size is fitted by iterative proportional fitting (ipf.h) to
//    three margins: households by group x county, by group x size, and by group x cause x
//    labour capacity; its seed carries the one assumed interaction (households without labour
//    are small).
// 2. The table is integerised by largest-remainder rounding down its hierarchy (group, county,
//    cause, labour, size), so every group and county total is exact and the other margins are
//    within a few households.
// 3. Members' age bands are dealt per (labour capacity, size) class from exact band totals, and
//    the other attributes (village, secondary cause, flags, land, income, housing) are drawn
//    per household from counter-based random numbers keyed by the scenario seed alone, so every
//    replicate simulates the same population and any thread count gives the same one.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "households.h"
#include "ipf.h"
#include "scenario.h"

namespace tuopin {

struct Population {
  Households households;
  Villages villages;
  // Households simulated per household of the scenario's counts (synthesis with --households;
  // 1 for a loaded population): scales the rural population, the denominator of incidence.
  double scale = 1.0;
};

struct SynthesisOptions {
  // 0: the scenario's counts. Otherwise the number of households wanted: every group is
  // scaled by the same factor (for performance work at other scales).
  std::size_t households = 0;
};

// One marginal target beside what the population achieved.
struct SynthesisTarget {
  std::string name;
  std::string unit;
  double target = 0;
  double achieved = 0;
  std::string source;        // calibration row or "assumed"
  bool lower_bound = false;  // the target is a lower bound ("over 60%")
  double relative_error() const;  // 0 when a lower bound is met
};

struct SynthesisReport {
  IpfResult ipf;
  std::vector<SynthesisTarget> targets;
  double max_relative_error() const;
};

Population synthesise_population(const Scenario& scenario, const SynthesisOptions& options = {},
                                 SynthesisReport* report = nullptr);

// For the tests: multiplies the nearly exact numbers synthesis computes land and incomes from
// first (population_synthesis.cpp, max_approximated_coefficient) by 1 + relative, to check that
// every decision and rounding they enter is checked (0: none, the default).
void perturb_synthesis_approximations(double relative);

// FNV-1a of every household and village column, in order: two populations with the same hash
// are the same population (stored in a result file's /meta as population_hash).
std::uint64_t population_hash(const Population& population);

// The targets of `scenario` (scaled like the population) compared with `population`.
std::vector<SynthesisTarget> synthesis_targets(const Scenario& scenario, const Population& population,
                                               double scale);

// Splits `total` into integers proportional to `weights` (largest remainder; ties to the
// lower index). The parts add up to `total` exactly.
std::vector<std::size_t> largest_remainder(std::size_t total, const std::vector<double>& weights);

// Index of the category whose cumulative share first exceeds u (u in [0, 1)).
template <typename Shares>
int categorical(const Shares& shares, double u) {
  double acc = 0;
  const int n = static_cast<int>(std::size(shares));
  for (int i = 0; i < n; ++i) {
    acc += shares[i];
    if (u < acc) return i;
  }
  return n - 1;
}

}  // namespace tuopin
