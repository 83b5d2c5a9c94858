#include "sweep_design.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <boost/random/sobol.hpp>

#include "random.h"

namespace tuopin {

namespace {

constexpr std::size_t size_max = std::numeric_limits<std::size_t>::max();

// Boost's default Sobol table holds 3667 dimensions; a Saltelli design takes 2 D of them.
constexpr std::size_t sobol_max_dimensions = 3667 / 2;

// Random counters are 32-bit words: a design's per-dimension or per-trajectory draw index must
// fit one.
constexpr std::size_t max_random_samples = std::numeric_limits<std::uint32_t>::max();

std::size_t saturating_multiply(std::size_t a, std::size_t b) {
  if (a != 0 && b > size_max / a) return size_max;
  return a * b;
}

std::size_t saturating_add(std::size_t a, std::size_t b) { return b > size_max - a ? size_max : a + b; }

[[noreturn]] void reject(const std::string& what) { throw std::invalid_argument("sweep design: " + what); }

std::string quoted(const SweepDimension& dim) { return "'" + dim.name + "'"; }

void check_dimension(const SweepDimension& dim) {
  if (dim.scale == SweepScale::values) {
    if (dim.value_count == 0) reject("dimension " + quoted(dim) + " lists no values");
    return;
  }
  if (!std::isfinite(dim.low) || !std::isfinite(dim.high))
    reject("dimension " + quoted(dim) + " has a range that is not finite");
  if (!(dim.low < dim.high)) reject("dimension " + quoted(dim) + " needs low below high");
  if (dim.scale == SweepScale::log_uniform && !(dim.low > 0))
    reject("dimension " + quoted(dim) + " is log_uniform and needs low above 0");
}

// The number of levels a grid gives a dimension.
std::size_t grid_levels(const SweepDimension& dim) {
  if (dim.scale == SweepScale::values) return dim.value_count;
  if (dim.levels < 2) reject("grid dimension " + quoted(dim) + " needs at least 2 levels");
  return static_cast<std::size_t>(dim.levels);
}

void check_settings(const DesignSettings& settings, std::span<const SweepDimension> dims) {
  if (dims.empty()) reject("no dimensions");
  for (const SweepDimension& dim : dims) check_dimension(dim);
  switch (settings.kind) {
    case DesignKind::grid:
      for (const SweepDimension& dim : dims) grid_levels(dim);
      break;
    case DesignKind::latin_hypercube:
      if (settings.samples < 1 || settings.samples > max_random_samples)
        reject("a latin hypercube needs between 1 and " + std::to_string(max_random_samples) + " samples");
      break;
    case DesignKind::sobol:
      if (settings.samples < 2) reject("a Sobol design needs a base sample of at least 2");
      if (settings.samples > max_random_samples)
        reject("a Sobol design's base sample is limited to " + std::to_string(max_random_samples));
      if (dims.size() > sobol_max_dimensions)
        reject("a Sobol design takes at most " + std::to_string(sobol_max_dimensions) + " dimensions");
      break;
    case DesignKind::morris:
      if (settings.samples < 1 || settings.samples > max_random_samples)
        reject("a Morris design needs between 1 and " + std::to_string(max_random_samples) + " trajectories");
      if (settings.morris_levels < 2 || settings.morris_levels % 2 != 0)
        reject("Morris levels must be even and at least 2, not " + std::to_string(settings.morris_levels));
      if (dims.size() > max_random_samples) reject("too many dimensions for a Morris design");
      break;
  }
}

std::size_t unchecked_point_count(const DesignSettings& settings, std::span<const SweepDimension> dims) {
  const std::size_t d = dims.size();
  switch (settings.kind) {
    case DesignKind::grid: {
      std::size_t count = 1;
      for (const SweepDimension& dim : dims) count = saturating_multiply(count, grid_levels(dim));
      return count;
    }
    case DesignKind::latin_hypercube:
      return settings.samples;
    case DesignKind::sobol:
      return saturating_multiply(settings.samples, saturating_add(d, 2));
    case DesignKind::morris:
      return saturating_multiply(settings.samples, saturating_add(d, 1));
  }
  return 0;
}

// The `index`-th random word of (entity, period) in the sweep_design stream.
class DesignDraws {
 public:
  DesignDraws(std::uint32_t seed, std::uint32_t entity, std::uint32_t period)
      : key_{seed, 0}, entity_(entity), period_(period) {}
  std::uint32_t word(std::size_t index) {
    const auto block = static_cast<std::uint32_t>(index / 4);
    if (!cached_ || block != block_) {
      words_ = draw(key_, entity_, Stream::sweep_design, period_, block);
      block_ = block;
      cached_ = true;
    }
    return words_.v[index % 4];
  }
  // Uniform integer in [0, bound), bound <= 2^32.
  std::size_t below(std::size_t index, std::size_t bound) {
    return static_cast<std::size_t>((static_cast<std::uint64_t>(word(index)) * bound) >> 32);
  }

 private:
  RandomKey key_;
  std::uint32_t entity_, period_;
  Draw4 words_{};
  std::uint32_t block_ = 0;
  bool cached_ = false;
};

// Fisher-Yates: step k swaps position n-1-k with a position drawn in [0, n-k).
std::vector<std::size_t> random_permutation(std::size_t n, DesignDraws draws) {
  std::vector<std::size_t> perm(n);
  std::iota(perm.begin(), perm.end(), std::size_t{0});
  for (std::size_t k = 0; k + 1 < n; ++k) {
    const std::size_t last = n - 1 - k;
    std::swap(perm[last], perm[draws.below(k, last + 1)]);
  }
  return perm;
}

constexpr std::uint32_t lhs_permutation_period = 0, lhs_position_period = 1;
constexpr std::uint32_t morris_base_period = 2, morris_sign_period = 3, morris_order_period = 4;

void fill_grid(Design& design, std::span<const SweepDimension> dims) {
  const std::size_t d_count = dims.size();
  std::vector<std::size_t> levels(d_count);
  for (std::size_t d = 0; d < d_count; ++d) levels[d] = grid_levels(dims[d]);
  const std::size_t points = design.samples;
  design.unit.resize(points * d_count);
  std::vector<std::size_t> index(d_count, 0);  // the current combination, an odometer
  for (std::size_t p = 0; p < points; ++p) {
    for (std::size_t d = 0; d < d_count; ++d) {
      const double n = static_cast<double>(levels[d]);
      const double i = static_cast<double>(index[d]);
      design.unit[p * d_count + d] = dims[d].scale == SweepScale::values ? (i + 0.5) / n : i / (n - 1);
    }
    for (std::size_t d = d_count; d-- > 0;) {
      if (++index[d] < levels[d]) break;
      index[d] = 0;
    }
  }
}

void fill_latin_hypercube(Design& design, std::uint32_t seed) {
  const std::size_t n = design.samples, d_count = design.dimensions;
  design.unit.resize(n * d_count);
  const double width = 1.0 / static_cast<double>(n);
  for (std::size_t d = 0; d < d_count; ++d) {
    const auto entity = static_cast<std::uint32_t>(d);
    const std::vector<std::size_t> stratum = random_permutation(n, DesignDraws(seed, entity, lhs_permutation_period));
    DesignDraws position(seed, entity, lhs_position_period);
    for (std::size_t i = 0; i < n; ++i) {
      // Computed as (k + v) / n rather than k / n + v / n so that floor(u n) is k.
      const double u = (static_cast<double>(stratum[i]) + to_unit(position.word(i))) * width;
      design.unit[i * d_count + d] = std::min(u, 1.0);
    }
  }
}

void fill_sobol(Design& design) {
  const std::size_t n = design.samples, d_count = design.dimensions;
  design.unit.resize(n * (d_count + 2) * d_count);
  boost::random::sobol sequence(2 * d_count);
  std::vector<double> row(2 * d_count);
  for (std::size_t j = 0; j < n; ++j) {
    for (double& x : row) x = static_cast<double>(sequence()) * 0x1p-64;
    for (std::size_t d = 0; d < d_count; ++d) {
      const double a = row[d], b = row[d_count + d];
      design.unit[j * d_count + d] = a;
      design.unit[(n + j) * d_count + d] = b;
      for (std::size_t i = 0; i < d_count; ++i)
        design.unit[((2 + i) * n + j) * d_count + d] = i == d ? b : a;
    }
  }
}

void fill_morris(Design& design, int levels, std::uint32_t seed) {
  const std::size_t r = design.samples, d_count = design.dimensions;
  const std::size_t half = static_cast<std::size_t>(levels) / 2;  // delta in grid steps
  const double grid_step = 1.0 / static_cast<double>(levels - 1);
  design.unit.resize(r * (d_count + 1) * d_count);
  std::vector<std::size_t> level(d_count);
  std::vector<bool> upward(d_count);
  for (std::size_t t = 0; t < r; ++t) {
    const auto entity = static_cast<std::uint32_t>(t);
    DesignDraws base(seed, entity, morris_base_period), sign(seed, entity, morris_sign_period);
    for (std::size_t d = 0; d < d_count; ++d) {
      const std::size_t lower = base.below(d, half);  // base + delta <= 1
      upward[d] = (sign.word(d) >> 31) == 0;
      level[d] = upward[d] ? lower : lower + half;
    }
    const std::vector<std::size_t> order = random_permutation(d_count, DesignDraws(seed, entity, morris_order_period));
    const std::size_t first = t * (d_count + 1);
    for (std::size_t s = 0; s <= d_count; ++s) {
      if (s > 0) {
        const std::size_t d = order[s - 1];
        level[d] = upward[d] ? level[d] + half : level[d] - half;
      }
      // Levels as k / (p - 1) with p - 1 exact: the top level is exactly 1.
      for (std::size_t d = 0; d < d_count; ++d)
        design.unit[(first + s) * d_count + d] =
            level[d] + 1 == static_cast<std::size_t>(levels) ? 1.0 : static_cast<double>(level[d]) * grid_step;
    }
  }
}

}  // namespace

std::size_t design_point_count(const DesignSettings& settings, std::span<const SweepDimension> dims) {
  if (dims.empty()) return 0;
  check_settings(settings, dims);
  return unchecked_point_count(settings, dims);
}

Design make_design(const DesignSettings& settings, std::span<const SweepDimension> dims) {
  check_settings(settings, dims);
  const std::size_t points = unchecked_point_count(settings, dims);
  if (points == size_max || saturating_multiply(points, dims.size()) == size_max)
    reject("the design's point count overflows");
  Design design;
  design.kind = settings.kind;
  design.dimensions = dims.size();
  design.samples = settings.kind == DesignKind::grid ? points : settings.samples;
  switch (settings.kind) {
    case DesignKind::grid: fill_grid(design, dims); break;
    case DesignKind::latin_hypercube: fill_latin_hypercube(design, settings.seed); break;
    case DesignKind::sobol: fill_sobol(design); break;
    case DesignKind::morris: fill_morris(design, settings.morris_levels, settings.seed); break;
  }
  return design;
}

double dimension_value(const SweepDimension& dim, double unit) {
  if (!(unit >= 0 && unit <= 1))
    throw std::invalid_argument("sweep dimension '" + dim.name + "': unit coordinate " + std::to_string(unit) +
                                " is outside [0, 1]");
  switch (dim.scale) {
    case SweepScale::uniform:
      if (unit == 1) return dim.high;
      return dim.low + unit * (dim.high - dim.low);
    case SweepScale::log_uniform: {
      if (!(dim.low > 0)) throw std::invalid_argument("sweep dimension '" + dim.name + "': log_uniform needs low above 0");
      // exp(log x) need not give x back: the ends are returned as written.
      if (unit == 0) return dim.low;
      if (unit == 1) return dim.high;
      const double log_low = std::log(dim.low);
      return std::exp(log_low + unit * (std::log(dim.high) - log_low));
    }
    case SweepScale::values: {
      if (dim.value_count == 0) throw std::invalid_argument("sweep dimension '" + dim.name + "' lists no values");
      const double n = static_cast<double>(dim.value_count);
      return std::min(n - 1, std::floor(unit * n));
    }
  }
  return 0;
}

double morris_delta(int levels) { return levels / (2.0 * (levels - 1)); }

std::vector<std::uint32_t> morris_changed_dimensions(const Design& design) {
  const std::size_t d_count = design.dimensions;
  if (design.kind != DesignKind::morris || d_count == 0 || design.points() % (d_count + 1) != 0 ||
      design.unit.size() != design.points() * d_count)
    throw std::invalid_argument("not a Morris design: expected trajectories of dimensions + 1 points");
  const std::size_t trajectories = design.points() / (d_count + 1);
  std::vector<std::uint32_t> changed(trajectories * d_count);
  for (std::size_t t = 0; t < trajectories; ++t)
    for (std::size_t s = 0; s < d_count; ++s) {
      const std::size_t before = t * (d_count + 1) + s;
      std::size_t count = 0;
      for (std::size_t d = 0; d < d_count; ++d)
        if (design.at(before, d) != design.at(before + 1, d)) {
          changed[t * d_count + s] = static_cast<std::uint32_t>(d);
          ++count;
        }
      if (count != 1)
        throw std::invalid_argument("Morris trajectory " + std::to_string(t) + " step " + std::to_string(s) +
                                    " changes " + std::to_string(count) + " coordinates, not one");
    }
  return changed;
}

}  // namespace tuopin
