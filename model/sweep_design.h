#pragma once
// Experimental designs for parameter sweeps (`tuopin sweep`, docs/sweeps.md, "Designs").
//
// A design is a matrix of unit coordinates: one row per point, one column per swept parameter,
// every entry in [0, 1]. `dimension_value` turns a coordinate into the parameter's value, so the
// designs know nothing about parameters and the sensitivity analysis (sensitivity.h) works on the
// unit coordinates alone.
//
// * grid: the full factorial, last dimension fastest. A `values` dimension with n values takes
//   u = (i + 0.5) / n, i = 0..n-1 (dimension_value gives index i); a uniform or log_uniform one
//   takes u = i / (levels - 1), i = 0..levels-1, both ends included. Points: the product of the
//   dimensions' level counts. `samples` is set to that product.
// * latin_hypercube: `samples` = n points. Each dimension is cut into n equal intervals
//   [k/n, (k+1)/n) and each interval holds exactly one point: point i of dimension d lies in
//   interval perm_d(i) at u = (perm_d(i) + v) / n, perm_d a random permutation (Fisher-Yates) and
//   v in (0, 1) a random position.
// * sobol: Saltelli (2010). `samples` = N >= 2 base rows; points N (D + 2). Row j of a
//   2D-dimensional Sobol sequence (Boost's sobol, Joe and Kuo 2008 direction numbers, whose
//   generator already skips the all-zero first point) gives A_j (its first D coordinates) and B_j
//   (its last D). Rows: A_0..A_{N-1}, B_0..B_{N-1}, then for i = 0..D-1 the block AB_i: A with
//   column i taken from B. The 64-bit integers are divided by 2^64 exactly (a point j < 2^32 has
//   at most 32 significant bits). D is at most 1833 (Boost's table holds 3667 dimensions).
// * morris: Morris (1991) trajectories as in Campolongo et al. (2007), without their selection
//   of spread-out trajectories. `samples` = r trajectories of D + 1 points; points r (D + 1).
//   p = `morris_levels` (even, >= 2) levels {0, 1/(p-1), ..., 1}, step delta = p / (2 (p - 1)),
//   i.e. p/2 levels. A trajectory draws a base level in {0, ..., p/2 - 1} per dimension (so the
//   base plus delta stays <= 1), a sign per dimension and an order of the dimensions. A dimension
//   with sign + starts at its base and moves up by delta at its step; one with sign - starts at
//   base + delta and moves down to the base. Point s + 1 of a trajectory differs from point s in
//   exactly one coordinate (the dimension `morris_changed_dimensions` recovers), by delta.
//
// Randomness (latin_hypercube, morris) comes from the project's Philox (random.h), key
// {seed, 0}, Stream::sweep_design, counter (entity, stream, period, draw index / 4), word
// (draw index % 4); no two uses share a counter:
//     latin_hypercube: entity = dimension d; period 0 the permutation (draw k: the swap at
//                      Fisher-Yates step k), period 1 the positions v (draw i: point i);
//     morris:          entity = trajectory t; period 2 the base levels (draw d), period 3 the
//                      signs (draw d), period 4 the order (draw k: the swap at step k).
// A random integer in [0, m) is floor(word * m / 2^32). A design is a pure function of its
// settings and dimensions (the names aside), the same on any machine and thread count.
//
// Settings that make no design (no dimensions, a grid dimension with fewer than 2 levels, a
// `values` dimension with no values, a range with low >= high or log_uniform with low <= 0,
// samples out of range, odd or too few Morris levels) throw std::invalid_argument naming the
// dimension; the sweep file's reader is expected to report them at their place in the file
// first.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace tuopin {

// How a swept parameter's unit coordinate u in [0, 1] becomes a value.
enum class SweepScale { uniform, log_uniform, values };

struct SweepDimension {
  std::string name;             // "section.key" (only for messages)
  SweepScale scale = SweepScale::uniform;
  double low = 0, high = 1;     // uniform / log_uniform (log_uniform needs 0 < low)
  std::size_t value_count = 0;  // values: the number of listed values; the design gives an index
  int levels = 0;               // grid only, uniform/log_uniform: number of evenly spaced levels incl. both ends (>= 2)
};

enum class DesignKind { grid, latin_hypercube, sobol, morris };

struct DesignSettings {
  DesignKind kind = DesignKind::latin_hypercube;
  std::size_t samples = 0;  // latin_hypercube: points; sobol: base sample N (points = N * (D + 2)); morris: trajectories r (points = r * (D + 1)); grid: ignored
  int morris_levels = 4;    // p, even, >= 2; step delta = p / (2 (p - 1))
  std::uint32_t seed = 0;   // LHS permutations and jitter, Morris starting points and orders
};

struct Design {
  DesignKind kind{};
  std::size_t dimensions = 0;
  std::size_t samples = 0;   // as in DesignSettings (grid: number of points)
  std::vector<double> unit;  // [point * dimensions + d], each in [0, 1]
  std::size_t points() const { return dimensions ? unit.size() / dimensions : 0; }
  double at(std::size_t point, std::size_t d) const { return unit[point * dimensions + d]; }
};

// Number of points the design would have, without building it (grid: product of levels/value
// counts), saturating at SIZE_MAX on overflow; callers check it against a limit before
// make_design. Zero without dimensions. Throws std::invalid_argument for settings make_design
// would reject, so a caller checks them before building anything.
std::size_t design_point_count(const DesignSettings& settings, std::span<const SweepDimension> dims);

Design make_design(const DesignSettings& settings, std::span<const SweepDimension> dims);

// The parameter value for a unit coordinate: uniform low + u (high - low); log_uniform
// exp(log low + u (log high - log low)); both exactly low at u = 0 and high at u = 1; values:
// the index min(n - 1, floor(u n)) as a double. A coordinate outside [0, 1] (or NaN) throws
// std::invalid_argument.
double dimension_value(const SweepDimension& dim, double unit);

// The Morris step delta = p / (2 (p - 1)) for p levels.
double morris_delta(int levels);

// For a morris Design: the dimension that changes at each step, [trajectory * D + step],
// recovered from the unit coordinates (so a design read back from a file needs nothing else).
// Throws std::invalid_argument if a step changes no coordinate or more than one.
std::vector<std::uint32_t> morris_changed_dimensions(const Design& design);

}  // namespace tuopin
