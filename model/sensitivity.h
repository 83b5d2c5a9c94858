#pragma once
// Sensitivity indices from the model outputs at a design's points (docs/sweeps.md,
// "Sensitivity indices"). Everything here works in the design's unit coordinates.
//
// Sobol indices (a sobol Design: rows A, B, AB_0..AB_{D-1}, N each). With f centred on the mean
// of the 2N outputs of A and B (which leaves the estimators' expectations unchanged and removes
// noise proportional to the mean, as SALib does) and V their variance (divided by 2N):
//     first order  S_i  = (1/N) sum_j f(B)_j (f(AB_i)_j - f(A)_j) / V   Saltelli et al. (2010)
//     total        ST_i = (1/N) sum_j (f(A)_j - f(AB_i)_j)^2 / (2 V)    Jansen (1999)
// V = 0 (a constant output) leaves the indices undefined: NaN, as are their intervals.
//
// Morris (a morris Design, r trajectories of D + 1 points): the elementary effect of the
// dimension changed at a step is (f(after) - f(before)) / (u_after - u_before), the change of its
// unit coordinate being +-delta. Per dimension: mu the mean of its r effects, mu_star the mean of
// their absolute values (Campolongo et al. 2007), sigma their sample standard deviation (r - 1;
// NaN for r = 1).
//
// Bootstrap confidence intervals: resample b (b = 0..bootstrap-1) draws N rows j (Sobol; the
// same j for A, B and every AB_i, recomputing the mean and V) or r trajectories (Morris) with
// replacement and recomputes the indices; the interval is the percentile interval at
// `confidence`: the (1 - confidence)/2 and (1 + confidence)/2 quantiles of the resampled values
// (linear interpolation between order statistics). Row k of resample b is
// floor(w n / 2^32), w word k % 4 of draw({seed, 0}, b, Stream::sweep_bootstrap, 0, k / 4), so a
// resample is fixed by (seed, b) and the resamples run in parallel with the same result for any
// thread count. Resamples whose index is undefined (a resample of constant outputs) are left out
// of the quantiles. bootstrap = 0 gives low = high = value.
//
// Arguments that do not fit (y of the wrong length, a design of another kind, bootstrap < 0,
// confidence outside (0, 1)) throw std::invalid_argument.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sweep_design.h"

namespace tuopin {

struct Estimate {
  double value = 0, low = 0, high = 0;  // point estimate and bootstrap confidence interval
};

struct SobolIndices {
  double mean = 0, variance = 0;        // of f over A and B together
  std::vector<Estimate> first, total;   // one per dimension
};

// y: the model output at each point of a sobol Design, in the design's row order (A, B, AB_1..AB_D).
SobolIndices sobol_indices(std::span<const double> y, std::size_t samples, std::size_t dimensions, int bootstrap,
                           double confidence, std::uint32_t seed);

struct MorrisIndices {
  std::vector<double> mu, mu_star, sigma;  // per dimension; elementary effects in unit coordinates: (f(x + delta e_i) - f(x)) / (+-delta)
  std::vector<Estimate> mu_star_ci;        // bootstrap over trajectories, like the Sobol intervals
};

MorrisIndices morris_indices(const Design& design, std::span<const double> y, int bootstrap, double confidence,
                             std::uint32_t seed);

}  // namespace tuopin
