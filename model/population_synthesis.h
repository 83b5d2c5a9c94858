#pragma once
// Population synthesis: Anqing's registered poor, exited and near-poor households and its
// villages, drawn from the scenario's [population], [counties] and [income] keys.
//
// Counts are allocated deterministically (largest remainder) over county x group x household
// size, so those marginals are met exactly up to rounding; the other attributes are drawn per
// household from counter-based random numbers keyed by the scenario seed alone (not the
// replicate), so every replicate simulates the same population.
#include <cstddef>

#include "households.h"
#include "scenario.h"

namespace tuopin {

struct Population {
  Households households;
  Villages villages;
};

struct SynthesisOptions {
  // 0: the scenario's counts. Otherwise the number of households wanted: every group is
  // scaled by the same factor (for performance work at other scales).
  std::size_t households = 0;
};

Population synthesise_population(const Scenario& scenario, const SynthesisOptions& options = {});

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
