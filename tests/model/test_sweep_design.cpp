// Experimental designs of parameter sweeps (model/sweep_design.h): the mapping of unit
// coordinates to values, and the grid, Latin hypercube, Sobol (Saltelli) and Morris designs.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>
#include <vector>

#include "sweep_design.h"
#include "sweep_examples.h"

using namespace tuopin;
using namespace tuopin::test;

namespace {

bool on_morris_grid(double u, int levels) {
  const double k = u * (levels - 1);
  return std::abs(k - std::round(k)) < 1e-12;
}

}  // namespace

TEST_CASE("sweep design: dimension_value maps unit coordinates, ends exact") {
  const SweepDimension linear = uniform("funding.level", 0.6, 1.4);
  CHECK(dimension_value(linear, 0) == 0.6);
  CHECK(dimension_value(linear, 1) == 1.4);
  CHECK(dimension_value(linear, 0.5) == doctest::Approx(1.0).epsilon(1e-15));

  SweepDimension log_scale = uniform("shocks.illness_rate", 0.003, 0.07);
  log_scale.scale = SweepScale::log_uniform;
  // exp(log(0.003)) is not 0.003 in floating point: the ends must come back as written.
  CHECK(dimension_value(log_scale, 0) == 0.003);
  CHECK(dimension_value(log_scale, 1) == 0.07);
  CHECK(dimension_value(log_scale, 0.5) == doctest::Approx(std::sqrt(0.003 * 0.07)).epsilon(1e-14));

  const SweepDimension choices = listed("measures.industry.mode", 3);
  CHECK(dimension_value(choices, 0) == 0);
  CHECK(dimension_value(choices, 1.0 / 3 - 1e-12) == 0);
  CHECK(dimension_value(choices, 1.0 / 3) == 1);
  CHECK(dimension_value(choices, 0.9) == 2);
  CHECK(dimension_value(choices, 1) == 2);  // floor(u n) = n at u = 1: the last value

  CHECK_THROWS_AS(dimension_value(linear, 1.5), std::invalid_argument);
  CHECK_THROWS_AS(dimension_value(linear, std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  log_scale.low = 0;
  CHECK_THROWS_AS(dimension_value(log_scale, 0.5), std::invalid_argument);
}

TEST_CASE("sweep design: grid enumerates every combination once, last dimension fastest") {
  const std::vector<SweepDimension> dims = {uniform("a.x", 10, 20, 3), listed("a.mode", 4), uniform("a.y", -1, 1, 2)};
  const Design g = make_design(settings_for(DesignKind::grid, 0), dims);
  REQUIRE(g.points() == 3 * 4 * 2);
  CHECK(g.samples == 24);
  CHECK(g.dimensions == 3);
  std::set<std::vector<double>> seen;
  for (std::size_t p = 0; p < g.points(); ++p)
    seen.insert({dimension_value(dims[0], g.at(p, 0)), dimension_value(dims[1], g.at(p, 1)),
                 dimension_value(dims[2], g.at(p, 2))});
  CHECK(seen.size() == 24);  // no combination twice
  for (const double x : {10.0, 15.0, 20.0})
    for (const double mode : {0.0, 1.0, 2.0, 3.0})
      for (const double y : {-1.0, 1.0}) CHECK(seen.count({x, mode, y}) == 1);
  // Last dimension fastest: the first points vary y, then the mode.
  CHECK(g.at(0, 2) == 0);
  CHECK(g.at(1, 2) == 1);
  CHECK(g.at(1, 1) == g.at(0, 1));
  CHECK(g.at(2, 1) == 0.375);  // values: u = (i + 0.5) / n, i = 1, n = 4
  CHECK(g.at(2, 0) == 0);
  CHECK(g.at(8, 0) == 0.5);    // second level of x after 4 x 2 points
  CHECK(g.at(23, 0) == 1);
}

TEST_CASE("sweep design: design_point_count equals points() and saturates on overflow") {
  const std::vector<SweepDimension> dims = {uniform("a.x", 0, 1, 5), listed("a.mode", 3), uniform("a.y", 1, 2, 2),
                                            uniform("a.z", 0, 4, 7)};
  for (const DesignKind kind : {DesignKind::grid, DesignKind::latin_hypercube, DesignKind::sobol, DesignKind::morris}) {
    const DesignSettings s = settings_for(kind, 16, 3);
    CAPTURE(static_cast<int>(kind));
    CHECK(design_point_count(s, dims) == make_design(s, dims).points());
  }
  CHECK(design_point_count(settings_for(DesignKind::grid, 0), dims) == 5 * 3 * 2 * 7);
  CHECK(design_point_count(settings_for(DesignKind::sobol, 16), dims) == 16 * 6);
  CHECK(design_point_count(settings_for(DesignKind::morris, 16), dims) == 16 * 5);

  // 20 dimensions of 2^20 levels: 2^400 points.
  const std::vector<SweepDimension> huge(20, uniform("a.x", 0, 1, 1 << 20));
  CHECK(design_point_count(settings_for(DesignKind::grid, 0), huge) == std::numeric_limits<std::size_t>::max());
  CHECK(design_point_count(settings_for(DesignKind::sobol, std::size_t{1} << 31), huge) ==
        (std::size_t{1} << 31) * 22);
  const std::vector<SweepDimension> many(1000, uniform("a.x", 0, 1));
  DesignSettings morris = settings_for(DesignKind::morris, std::numeric_limits<std::uint32_t>::max());
  CHECK(design_point_count(morris, many) == std::size_t{std::numeric_limits<std::uint32_t>::max()} * 1001);
  CHECK_THROWS_AS(make_design(settings_for(DesignKind::grid, 0), huge), std::invalid_argument);
  CHECK(design_point_count(settings_for(DesignKind::grid, 0), std::span<const SweepDimension>{}) == 0);
}

TEST_CASE("sweep design: invalid settings are rejected") {
  const std::vector<SweepDimension> dims = {uniform("a.x", 0, 1, 3)};
  CHECK_THROWS_AS(make_design(settings_for(DesignKind::latin_hypercube, 10), std::span<const SweepDimension>{}),
                  std::invalid_argument);
  CHECK_THROWS_AS(make_design(settings_for(DesignKind::grid, 0), std::vector{uniform("a.x", 0, 1, 1)}),
                  std::invalid_argument);
  CHECK_THROWS_AS(make_design(settings_for(DesignKind::grid, 0), std::vector{listed("a.m", 0)}), std::invalid_argument);
  CHECK_THROWS_AS(make_design(settings_for(DesignKind::latin_hypercube, 4), std::vector{uniform("a.x", 2, 1)}),
                  std::invalid_argument);
  SweepDimension log_scale = uniform("a.x", 0, 1);
  log_scale.scale = SweepScale::log_uniform;
  CHECK_THROWS_AS(make_design(settings_for(DesignKind::latin_hypercube, 4), std::vector{log_scale}),
                  std::invalid_argument);
  CHECK_THROWS_AS(make_design(settings_for(DesignKind::latin_hypercube, 0), dims), std::invalid_argument);
  CHECK_THROWS_AS(make_design(settings_for(DesignKind::sobol, 1), dims), std::invalid_argument);
  CHECK_THROWS_AS(make_design(settings_for(DesignKind::morris, 4, 0, 3), dims), std::invalid_argument);
  CHECK_THROWS_AS(make_design(settings_for(DesignKind::morris, 0), dims), std::invalid_argument);
  CHECK_THROWS_AS(design_point_count(settings_for(DesignKind::morris, 4, 0, 5), dims), std::invalid_argument);
  try {
    make_design(settings_for(DesignKind::grid, 0), std::vector{uniform("funding.level", 0, 1, 1)});
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("'funding.level'") != std::string::npos);
  }
}

TEST_CASE("sweep design: latin hypercube has one point per stratum per dimension; the seed decides it") {
  const std::vector<SweepDimension> dims = {uniform("a.x", 0, 1), uniform("a.y", 5, 6), listed("a.mode", 7)};
  const std::size_t n = 97;
  const Design lhs = make_design(settings_for(DesignKind::latin_hypercube, n, 11), dims);
  REQUIRE(lhs.points() == n);
  CHECK(lhs.samples == n);
  for (std::size_t d = 0; d < dims.size(); ++d) {
    std::vector<int> per_stratum(n, 0);
    for (std::size_t p = 0; p < n; ++p) {
      const double u = lhs.at(p, d);
      REQUIRE(u >= 0);
      REQUIRE(u < 1);
      ++per_stratum[static_cast<std::size_t>(std::floor(u * static_cast<double>(n)))];
    }
    CHECK(std::all_of(per_stratum.begin(), per_stratum.end(), [](int c) { return c == 1; }));
  }
  // Not the identity: the strata of two dimensions are paired at random, and positions jitter.
  int same_stratum = 0, at_centre = 0;
  for (std::size_t p = 0; p < n; ++p) {
    same_stratum += std::floor(lhs.at(p, 0) * n) == std::floor(lhs.at(p, 1) * n);
    at_centre += std::abs(lhs.at(p, 0) * n - std::floor(lhs.at(p, 0) * n) - 0.5) < 1e-9;
  }
  CHECK(same_stratum < 10);
  CHECK(at_centre == 0);

  const Design again = make_design(settings_for(DesignKind::latin_hypercube, n, 11), dims);
  CHECK(again.unit == lhs.unit);
  const Design other = make_design(settings_for(DesignKind::latin_hypercube, n, 12), dims);
  REQUIRE(other.unit.size() == lhs.unit.size());
  std::size_t differ = 0;
  for (std::size_t k = 0; k < lhs.unit.size(); ++k) differ += other.unit[k] != lhs.unit[k];
  CHECK(differ > lhs.unit.size() * 9 / 10);
}

TEST_CASE("sweep design: sobol rows are A, B, then AB_i = A with column i from B") {
  const std::vector<SweepDimension> dims = {uniform("a.x", 0, 1), uniform("a.y", 0, 1), listed("a.mode", 3)};
  const std::size_t n = 64, d_count = dims.size();
  const Design s = make_design(settings_for(DesignKind::sobol, n), dims);
  REQUIRE(s.points() == n * (d_count + 2));
  CHECK(s.samples == n);
  for (std::size_t j = 0; j < n; ++j) {
    bool all_zero = true;
    for (std::size_t d = 0; d < d_count; ++d) all_zero = all_zero && s.at(j, d) == 0 && s.at(n + j, d) == 0;
    CHECK_FALSE(all_zero);  // the Sobol sequence's first point (all zeros) is skipped
    for (std::size_t i = 0; i < d_count; ++i)
      for (std::size_t d = 0; d < d_count; ++d)
        CHECK(s.at((2 + i) * n + j, d) == (d == i ? s.at(n + j, d) : s.at(j, d)));
  }
  // The first rows of the 6-dimensional sequence: 1/2 everywhere, then 3/4 and 1/4 in the
  // first two dimensions (Joe and Kuo's direction numbers).
  for (std::size_t d = 0; d < d_count; ++d) {
    CHECK(s.at(0, d) == 0.5);
    CHECK(s.at(n, d) == 0.5);
  }
  CHECK(s.at(1, 0) == 0.75);
  CHECK(s.at(1, 1) == 0.25);
  // The sequence's first 64 points (the skipped zero and rows 0..62) put exactly one value of
  // each coordinate in each interval [k/64, (k+1)/64): rows 0..62 fill every interval but the
  // zero's.
  std::vector<int> per_interval(64, 0);
  for (std::size_t j = 0; j + 1 < n; ++j) ++per_interval[static_cast<std::size_t>(s.at(j, 0) * 64)];
  CHECK(per_interval[0] == 0);
  CHECK(std::count(per_interval.begin(), per_interval.end(), 1) == 63);
}

TEST_CASE("sweep design: morris trajectories on the p-level grid, one coordinate changes by delta per step") {
  const std::vector<SweepDimension> dims = {uniform("a.x", 0, 1), uniform("a.y", 0, 1), listed("a.mode", 5),
                                            uniform("a.z", 0, 1)};
  const std::size_t r = 50, d_count = dims.size();
  for (const int levels : {2, 4, 6}) {
    CAPTURE(levels);
    const double delta = morris_delta(levels);
    const Design m = make_design(settings_for(DesignKind::morris, r, 5, levels), dims);
    REQUIRE(m.points() == r * (d_count + 1));
    CHECK(m.samples == r);
    for (const double u : m.unit) {
      CHECK(u >= 0);
      CHECK(u <= 1);
      CHECK(on_morris_grid(u, levels));
    }
    const std::vector<std::uint32_t> changed = morris_changed_dimensions(m);
    int up = 0, down = 0;
    for (std::size_t t = 0; t < r; ++t) {
      std::set<std::uint32_t> dims_changed;
      for (std::size_t s = 0; s < d_count; ++s) {
        const std::size_t p = t * (d_count + 1) + s;
        int count = 0;
        for (std::size_t d = 0; d < d_count; ++d) {
          const double step = m.at(p + 1, d) - m.at(p, d);
          if (step == 0) continue;
          ++count;
          CHECK(std::abs(std::abs(step) - delta) < 1e-12);
          CHECK(changed[t * d_count + s] == d);
          (step > 0 ? up : down) += 1;
        }
        CHECK(count == 1);
        dims_changed.insert(changed[t * d_count + s]);
      }
      CHECK(dims_changed.size() == d_count);  // each dimension once per trajectory
    }
    // Both signs occur (about half each).
    CHECK(up > static_cast<int>(r * d_count) / 4);
    CHECK(down > static_cast<int>(r * d_count) / 4);
  }
  // Base levels spread over the lower half: with p = 6 (levels 0, 0.2, ..., 1; delta 0.6) the
  // points of a trajectory cover all six levels across trajectories.
  const Design m6 = make_design(settings_for(DesignKind::morris, r, 5, 6), dims);
  std::set<long> levels_seen;
  for (std::size_t p = 0; p < m6.points(); ++p) levels_seen.insert(std::lround(m6.at(p, 0) * 5));
  CHECK(levels_seen.size() == 6);
  CHECK(make_design(settings_for(DesignKind::morris, r, 6, 6), dims).unit != m6.unit);
  CHECK(make_design(settings_for(DesignKind::morris, r, 5, 6), dims).unit == m6.unit);

  Design no_step = m6;  // the second point of trajectory 0 made equal to the first
  std::copy_n(no_step.unit.begin(), d_count, no_step.unit.begin() + static_cast<std::ptrdiff_t>(d_count));
  CHECK_THROWS_AS(morris_changed_dimensions(no_step), std::invalid_argument);
  Design two_steps = m6;  // its first step changing a second coordinate as well
  const std::uint32_t first_changed = morris_changed_dimensions(m6)[0];
  const std::size_t other = (first_changed + 1) % d_count;
  two_steps.unit[d_count + other] = two_steps.unit[other] == 0 ? 0.2 : 0.0;
  CHECK_THROWS_AS(morris_changed_dimensions(two_steps), std::invalid_argument);
}
