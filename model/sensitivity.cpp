#include "sensitivity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "random.h"

namespace tuopin {

namespace {

constexpr double not_defined = std::numeric_limits<double>::quiet_NaN();

void check_bootstrap(int bootstrap, double confidence) {
  if (bootstrap < 0) throw std::invalid_argument("sensitivity: the number of bootstrap resamples is negative");
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument("sensitivity: confidence " + std::to_string(confidence) + " is not inside (0, 1)");
}

// Resample b: `count` units (rows or trajectories) drawn with replacement.
void resample(std::uint32_t seed, int b, std::size_t count, std::vector<std::size_t>& units) {
  units.resize(count);
  const RandomKey key{seed, 0};
  Draw4 words{};
  for (std::size_t k = 0; k < count; ++k) {
    if (k % 4 == 0) words = draw(key, static_cast<std::uint32_t>(b), Stream::sweep_bootstrap, 0, static_cast<std::uint32_t>(k / 4));
    units[k] = static_cast<std::size_t>((static_cast<std::uint64_t>(words.v[k % 4]) * count) >> 32);
  }
}

// The percentile interval of the resampled values (column `column` of a resamples x columns
// matrix), leaving out undefined ones.
Estimate with_interval(double value, const std::vector<double>& resampled, std::size_t columns, std::size_t column,
                       double confidence) {
  Estimate e{value, value, value};
  const std::size_t count = columns ? resampled.size() / columns : 0;
  if (count == 0 || std::isnan(value)) return e;
  std::vector<double> sorted;
  sorted.reserve(count);
  for (std::size_t b = 0; b < count; ++b) {
    const double x = resampled[b * columns + column];
    if (!std::isnan(x)) sorted.push_back(x);
  }
  if (sorted.empty()) return {value, not_defined, not_defined};
  std::sort(sorted.begin(), sorted.end());
  const auto quantile = [&](double q) {
    const double position = q * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
  };
  e.low = quantile((1 - confidence) / 2);
  e.high = quantile((1 + confidence) / 2);
  return e;
}

// Sobol estimators over the base rows `rows` (all N rows, or a resample of them). Writes the
// first-order indices to out[0..D) and the total ones to out[D..2D); returns {mean, variance}.
struct Moments {
  double mean, variance;
};
Moments sobol_estimate(std::span<const double> y, std::size_t n, std::size_t d_count,
                       std::span<const std::size_t> rows, std::span<double> out) {
  const double* a = y.data();
  const double* b = y.data() + n;
  double sum = 0;
  for (const std::size_t j : rows) sum += a[j] + b[j];
  const double count = static_cast<double>(rows.size());
  const double mean = sum / (2 * count);
  double squares = 0;
  for (const std::size_t j : rows) squares += (a[j] - mean) * (a[j] - mean) + (b[j] - mean) * (b[j] - mean);
  const double variance = squares / (2 * count);
  for (std::size_t i = 0; i < d_count; ++i) {
    const double* ab = y.data() + (2 + i) * n;
    double first = 0, total = 0;
    for (const std::size_t j : rows) {
      first += (b[j] - mean) * (ab[j] - a[j]);
      total += (a[j] - ab[j]) * (a[j] - ab[j]);
    }
    // A constant output has no variance to apportion.
    out[i] = variance > 0 ? first / count / variance : not_defined;
    out[d_count + i] = variance > 0 ? total / count / (2 * variance) : not_defined;
  }
  return {mean, variance};
}

}  // namespace

SobolIndices sobol_indices(std::span<const double> y, std::size_t samples, std::size_t dimensions, int bootstrap,
                           double confidence, std::uint32_t seed) {
  check_bootstrap(bootstrap, confidence);
  if (samples < 2 || dimensions == 0)
    throw std::invalid_argument("sobol_indices: needs a base sample of at least 2 and at least one dimension");
  if (samples > std::numeric_limits<std::uint32_t>::max() || y.size() / (dimensions + 2) != samples ||
      y.size() % (dimensions + 2) != 0)
    throw std::invalid_argument("sobol_indices: " + std::to_string(y.size()) + " outputs for N = " +
                                std::to_string(samples) + " and D = " + std::to_string(dimensions) +
                                ", expected N (D + 2)");
  const std::size_t columns = 2 * dimensions;
  std::vector<std::size_t> all_rows(samples);
  for (std::size_t j = 0; j < samples; ++j) all_rows[j] = j;
  std::vector<double> estimate(columns);
  const Moments moments = sobol_estimate(y, samples, dimensions, all_rows, estimate);

  std::vector<double> resampled(static_cast<std::size_t>(bootstrap) * columns);
  tbb::parallel_for(tbb::blocked_range<int>(0, bootstrap), [&](const tbb::blocked_range<int>& range) {
    std::vector<std::size_t> rows;
    for (int b = range.begin(); b != range.end(); ++b) {
      resample(seed, b, samples, rows);
      sobol_estimate(y, samples, dimensions, rows,
                     std::span<double>(resampled).subspan(static_cast<std::size_t>(b) * columns, columns));
    }
  });

  SobolIndices indices;
  indices.mean = moments.mean;
  indices.variance = moments.variance;
  for (std::size_t i = 0; i < dimensions; ++i) {
    indices.first.push_back(with_interval(estimate[i], resampled, columns, i, confidence));
    indices.total.push_back(with_interval(estimate[dimensions + i], resampled, columns, dimensions + i, confidence));
  }
  return indices;
}

MorrisIndices morris_indices(const Design& design, std::span<const double> y, int bootstrap, double confidence,
                             std::uint32_t seed) {
  check_bootstrap(bootstrap, confidence);
  const std::vector<std::uint32_t> changed = morris_changed_dimensions(design);  // checks the design
  if (y.size() != design.points())
    throw std::invalid_argument("morris_indices: " + std::to_string(y.size()) + " outputs for a design of " +
                                std::to_string(design.points()) + " points");
  const std::size_t d_count = design.dimensions;
  const std::size_t trajectories = design.points() / (d_count + 1);

  // effect[t * D + d]: the elementary effect of dimension d in trajectory t.
  std::vector<double> effect(trajectories * d_count);
  for (std::size_t t = 0; t < trajectories; ++t)
    for (std::size_t s = 0; s < d_count; ++s) {
      const std::size_t before = t * (d_count + 1) + s;
      const std::uint32_t d = changed[t * d_count + s];
      // The coordinates' own difference (+-delta up to rounding) as the divisor, so a linear
      // output gives its slope exactly.
      effect[t * d_count + d] = (y[before + 1] - y[before]) / (design.at(before + 1, d) - design.at(before, d));
    }

  MorrisIndices indices;
  indices.mu.assign(d_count, 0);
  indices.mu_star.assign(d_count, 0);
  indices.sigma.assign(d_count, not_defined);
  const double r = static_cast<double>(trajectories);
  for (std::size_t d = 0; d < d_count; ++d) {
    double sum = 0, absolute = 0;
    for (std::size_t t = 0; t < trajectories; ++t) {
      sum += effect[t * d_count + d];
      absolute += std::abs(effect[t * d_count + d]);
    }
    indices.mu[d] = sum / r;
    indices.mu_star[d] = absolute / r;
    if (trajectories > 1) {
      double squares = 0;
      for (std::size_t t = 0; t < trajectories; ++t)
        squares += (effect[t * d_count + d] - indices.mu[d]) * (effect[t * d_count + d] - indices.mu[d]);
      indices.sigma[d] = std::sqrt(squares / (r - 1));
    }
  }

  std::vector<double> resampled(static_cast<std::size_t>(bootstrap) * d_count);
  tbb::parallel_for(tbb::blocked_range<int>(0, bootstrap), [&](const tbb::blocked_range<int>& range) {
    std::vector<std::size_t> drawn;
    for (int b = range.begin(); b != range.end(); ++b) {
      resample(seed, b, trajectories, drawn);
      for (std::size_t d = 0; d < d_count; ++d) {
        double absolute = 0;
        for (const std::size_t t : drawn) absolute += std::abs(effect[t * d_count + d]);
        resampled[static_cast<std::size_t>(b) * d_count + d] = absolute / r;
      }
    }
  });
  for (std::size_t d = 0; d < d_count; ++d)
    indices.mu_star_ci.push_back(with_interval(indices.mu_star[d], resampled, d_count, d, confidence));
  return indices;
}

}  // namespace tuopin
