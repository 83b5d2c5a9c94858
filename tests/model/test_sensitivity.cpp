// Sensitivity indices of parameter sweeps (model/sensitivity.h): Sobol indices checked on the
// Ishigami function, Morris indices on a function with known effects, the bootstrap intervals.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

#include <tbb/global_control.h>

#include "sensitivity.h"
#include "sweep_design.h"
#include "sweep_examples.h"

using namespace tuopin;
using namespace tuopin::test;

namespace {

std::vector<double> ishigami_outputs(const Design& design, std::span<const SweepDimension> dims) {
  std::vector<double> y(design.points());
  for (std::size_t p = 0; p < design.points(); ++p)
    y[p] = ishigami(dimension_value(dims[0], design.at(p, 0)), dimension_value(dims[1], design.at(p, 1)),
                    dimension_value(dims[2], design.at(p, 2)));
  return y;
}

}  // namespace

TEST_CASE("sensitivity: Sobol indices of the Ishigami function") {
  const IshigamiIndices exact = ishigami_indices();
  // The literature's values (e.g. Saltelli et al. 2008, Global Sensitivity Analysis, 4.6).
  CHECK(exact.first[0] == doctest::Approx(0.3139).epsilon(3e-4));
  CHECK(exact.first[1] == doctest::Approx(0.4424).epsilon(3e-4));
  CHECK(exact.total[0] == doctest::Approx(0.5576).epsilon(3e-4));
  CHECK(exact.total[2] == doctest::Approx(0.2437).epsilon(3e-4));

  const double pi = std::numbers::pi;
  const std::vector<SweepDimension> dims = {uniform("x1", -pi, pi), uniform("x2", -pi, pi), uniform("x3", -pi, pi)};
  const std::size_t n = 8192;
  const Design design = make_design(settings_for(DesignKind::sobol, n), dims);
  const std::vector<double> y = ishigami_outputs(design, dims);
  const SobolIndices s = sobol_indices(y, n, 3, 500, 0.95, 2024);
  REQUIRE(s.first.size() == 3);
  REQUIRE(s.total.size() == 3);
  // Mean a/2 = 3.5; variance V = 13.84 (the closed form's sum).
  CHECK(s.mean == doctest::Approx(3.5).epsilon(0.01));
  CHECK(s.variance == doctest::Approx(13.8446).epsilon(0.01));

  // Tolerance 0.01. The bootstrap treats the rows as independent, so its intervals describe
  // plain Monte Carlo: at N = 8192 their 95% half-widths are about 0.02 (first order) and 0.01 to
  // 0.03 (total). Sobol-sequence rows converge faster; the errors here are at most 0.0015
  // (0.02 at N = 1024), so 0.01 leaves a wide margin and still fails an estimator off by one
  // interval half-width.
  int covered = 0;
  for (int i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(std::abs(s.first[i].value - exact.first[i]) < 0.01);
    CHECK(std::abs(s.total[i].value - exact.total[i]) < 0.01);
    CHECK(s.first[i].low < s.first[i].value);
    CHECK(s.first[i].value < s.first[i].high);
    CHECK(s.total[i].low < s.total[i].value);
    CHECK(s.total[i].value < s.total[i].high);
    CHECK(s.first[i].high - s.first[i].low < 0.06);
    CHECK(s.total[i].high - s.total[i].low < 0.08);
    covered += s.first[i].low <= exact.first[i] && exact.first[i] <= s.first[i].high;
    covered += s.total[i].low <= exact.total[i] && exact.total[i] <= s.total[i].high;
  }
  CHECK(covered >= 5);
  // Ranking: x1 and x2 matter alone, x3 only through its interaction with x1.
  CHECK(s.total[2].value > s.first[2].value + 0.15);
  CHECK(s.first[1].value > s.first[0].value);
}

TEST_CASE("sensitivity: a constant output gives NaN Sobol indices; no bootstrap gives value == low == high") {
  const std::size_t n = 16, d_count = 2;
  const std::vector<double> constant(n * (d_count + 2), 4.25);
  const SobolIndices flat = sobol_indices(constant, n, d_count, 50, 0.9, 1);
  CHECK(flat.mean == 4.25);
  CHECK(flat.variance == 0);
  for (std::size_t i = 0; i < d_count; ++i) {
    CHECK(std::isnan(flat.first[i].value));
    CHECK(std::isnan(flat.total[i].value));
    CHECK(std::isnan(flat.first[i].low));
    CHECK(std::isnan(flat.total[i].high));
  }

  // f = u_0 (linear in the first coordinate only): S_0 = ST_0 = 1 up to sampling, S_1 = ST_1 = 0.
  const std::vector<SweepDimension> dims = {uniform("a.x", 0, 1), uniform("a.y", 0, 1)};
  const Design design = make_design(settings_for(DesignKind::sobol, 256), dims);
  std::vector<double> y(design.points());
  for (std::size_t p = 0; p < design.points(); ++p) y[p] = design.at(p, 0);
  const SobolIndices once = sobol_indices(y, 256, 2, 0, 0.95, 1);
  for (const auto& e : {once.first[0], once.first[1], once.total[0], once.total[1]}) {
    CHECK(e.low == e.value);
    CHECK(e.high == e.value);
  }
  CHECK(once.first[0].value == doctest::Approx(1).epsilon(0.02));
  CHECK(once.total[0].value == doctest::Approx(1).epsilon(0.02));
  CHECK(once.first[1].value == 0);  // f(AB_1) = f(A) row by row
  CHECK(once.total[1].value == 0);

  CHECK_THROWS_AS(sobol_indices(std::span<const double>(y).first(y.size() - 1), 256, 2, 0, 0.95, 1),
                  std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices(y, 256, 2, -1, 0.95, 1), std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices(y, 256, 2, 10, 1.0, 1), std::invalid_argument);
}

TEST_CASE("sensitivity: Morris indices of 2 x1 + x2^2 + 0 x3 - 3 x4") {
  const std::vector<SweepDimension> dims = {uniform("x1", 0, 1), uniform("x2", 0, 1), uniform("x3", 0, 1),
                                            uniform("x4", 0, 1)};
  const std::size_t r = 40;
  const Design design = make_design(settings_for(DesignKind::morris, r, 9, 4), dims);
  std::vector<double> y(design.points());
  for (std::size_t p = 0; p < design.points(); ++p) {
    const double x1 = design.at(p, 0), x2 = design.at(p, 1), x4 = design.at(p, 3);
    y[p] = 2 * x1 + x2 * x2 - 3 * x4;
  }
  const MorrisIndices m = morris_indices(design, y, 200, 0.95, 3);
  REQUIRE(m.mu_star.size() == 4);
  // A linear term's effect is its slope at every step (up to the rounding of the other terms
  // in y, whence 1e-12; the next block checks exactness with x1 alone).
  CHECK(m.mu_star[0] == doctest::Approx(2).epsilon(1e-12));
  CHECK(m.mu[0] == doctest::Approx(2).epsilon(1e-12));
  CHECK(m.sigma[0] < 1e-12);
  CHECK(m.mu_star[2] == 0);  // x3 does nothing
  CHECK(m.sigma[2] == 0);
  CHECK(m.mu[3] == doctest::Approx(-3).epsilon(1e-12));  // a decreasing term: mu keeps the sign
  CHECK(m.mu_star[3] == doctest::Approx(3).epsilon(1e-12));
  // x2^2 with p = 4 (delta 2/3, base 0 or 1/3): effects 2 x + delta, i.e. 2/3 or 4/3.
  CHECK(m.mu_star[1] > 2.0 / 3 - 1e-12);
  CHECK(m.mu_star[1] < 4.0 / 3 + 1e-12);
  CHECK(m.sigma[1] > 0.1);  // nonlinear: its effect depends on where it is measured
  CHECK(m.mu_star[3] > m.mu_star[0]);
  CHECK(m.mu_star[0] > m.mu_star[1]);
  CHECK(m.mu_star[1] > m.mu_star[2]);
  // Every resample of a constant effect gives it back.
  CHECK(m.mu_star_ci[0].low == doctest::Approx(2).epsilon(1e-12));
  CHECK(m.mu_star_ci[0].high == doctest::Approx(2).epsilon(1e-12));
  CHECK(m.mu_star_ci[1].low < m.mu_star[1]);
  CHECK(m.mu_star[1] < m.mu_star_ci[1].high);
  CHECK(m.mu_star_ci[1].low >= 2.0 / 3 - 1e-12);

  // f = 2 x1 alone: (2 a - 2 b) / (a - b) is exactly 2 in floating point.
  std::vector<double> y_linear(design.points());
  for (std::size_t p = 0; p < design.points(); ++p) y_linear[p] = 2 * design.at(p, 0);
  const MorrisIndices linear = morris_indices(design, y_linear, 0, 0.95, 3);
  CHECK(linear.mu_star[0] == 2);
  CHECK(linear.sigma[0] == 0);
  CHECK(linear.mu_star_ci[0].low == 2);
  CHECK(linear.mu_star[1] == 0);

  const Design one = make_design(settings_for(DesignKind::morris, 1, 9, 4), dims);
  std::vector<double> y_one(one.points());
  for (std::size_t p = 0; p < one.points(); ++p) y_one[p] = 2 * one.at(p, 0);
  const MorrisIndices single = morris_indices(one, y_one, 0, 0.95, 3);
  CHECK(single.mu_star[0] == 2);
  CHECK(std::isnan(single.sigma[0]));  // one trajectory: no spread to estimate

  const Design lhs = make_design(settings_for(DesignKind::latin_hypercube, 10), dims);
  CHECK_THROWS_AS(morris_indices(lhs, std::vector<double>(10), 0, 0.95, 3), std::invalid_argument);
}

TEST_CASE("sensitivity: bootstrap intervals are the same for 1 thread and many") {
  const double pi = std::numbers::pi;
  const std::vector<SweepDimension> dims = {uniform("x1", -pi, pi), uniform("x2", -pi, pi), uniform("x3", -pi, pi)};
  const std::size_t n = 1024;
  const Design design = make_design(settings_for(DesignKind::sobol, n), dims);
  const std::vector<double> y = ishigami_outputs(design, dims);
  const Design morris = make_design(settings_for(DesignKind::morris, 64, 2), dims);
  const std::vector<double> y_morris = ishigami_outputs(morris, dims);

  const auto run = [&] {
    const SobolIndices s = sobol_indices(y, n, 3, 300, 0.9, 77);
    const MorrisIndices m = morris_indices(morris, y_morris, 300, 0.9, 77);
    std::vector<double> all;
    for (int i = 0; i < 3; ++i)
      for (const Estimate& e : {s.first[i], s.total[i], m.mu_star_ci[i]}) all.insert(all.end(), {e.value, e.low, e.high});
    return all;
  };
  std::vector<double> serial;
  {
    const tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
    serial = run();
  }
  const std::vector<double> parallel = run();
  CHECK(parallel == serial);
  // Another seed resamples other rows: the intervals move, the point estimates do not.
  const SobolIndices other = sobol_indices(y, n, 3, 300, 0.9, 78);
  CHECK(other.first[0].value == serial[0]);
  CHECK(other.first[0].low != serial[1]);
}
