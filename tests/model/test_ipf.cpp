// Iterative proportional fitting against small hand-computed examples.
#include <doctest/doctest.h>

#include <cmath>

#include "ipf.h"

using namespace tuopin;

TEST_CASE("IPF of a flat 2x2 seed gives the independence table") {
  // Rows (3, 7), columns (4, 6), seed all ones: x_ij = row_i x col_j / 10.
  Table t({2, 2});
  Eigen::ArrayXd rows(2), cols(2);
  rows << 3, 7;
  cols << 4, 6;
  const IpfResult r = fit(t, {{{0}, rows}, {{1}, cols}});
  CHECK(r.converged);
  CHECK(t.values[t.index({0, 0})] == doctest::Approx(1.2));
  CHECK(t.values[t.index({0, 1})] == doctest::Approx(1.8));
  CHECK(t.values[t.index({1, 0})] == doctest::Approx(2.8));
  CHECK(t.values[t.index({1, 1})] == doctest::Approx(4.2));
}

TEST_CASE("IPF keeps the seed's odds ratio") {
  // Seed [[1, 2], [3, 4]] (odds ratio 1x4 / 2x3 = 2/3), margins all 5. By symmetry the fit is
  // [[a, 5-a], [5-a, a]] with a^2 / (5-a)^2 = 2/3, so a = 5 sqrt(2/3) / (1 + sqrt(2/3)).
  Table t({2, 2});
  t.values << 1, 2, 3, 4;
  Eigen::ArrayXd five(2);
  five << 5, 5;
  const IpfResult r = fit(t, {{{0}, five}, {{1}, five}});
  CHECK(r.converged);
  const double a = 5 * std::sqrt(2.0 / 3.0) / (1 + std::sqrt(2.0 / 3.0));
  CHECK(a == doctest::Approx(2.2474487));
  CHECK(t.values[0] == doctest::Approx(a));
  CHECK(t.values[1] == doctest::Approx(5 - a));
  CHECK(t.values[2] == doctest::Approx(5 - a));
  CHECK(t.values[3] == doctest::Approx(a));
  CHECK(t.values[0] * t.values[3] / (t.values[1] * t.values[2]) == doctest::Approx(2.0 / 3.0));
}

TEST_CASE("IPF over three dimensions with a two-way margin") {
  // 2 x 2 x 3 table; margins: (dim0, dim1) and (dim2).
  Table t({2, 2, 3});
  Eigen::ArrayXd ab(4), c(3);
  ab << 10, 20, 30, 40;
  c << 50, 30, 20;
  const IpfResult r = fit(t, {{{0, 1}, ab}, {{2}, c}});
  CHECK(r.converged);
  CHECK((t.marginal({0, 1}) - ab).abs().maxCoeff() < 1e-8);
  CHECK((t.marginal({2}) - c).abs().maxCoeff() < 1e-8);
  // Flat seed: cell (1, 0, 2) = 30 x 20 / 100.
  CHECK(t.values[t.index({1, 0, 2})] == doctest::Approx(6.0));
  CHECK(t.coordinate(t.index({1, 0, 2}), 2) == 2);
}

TEST_CASE("IPF rejects inconsistent margins") {
  Table t({2, 2});
  Eigen::ArrayXd a(2), b(2);
  a << 1, 1;
  b << 1, 2;
  CHECK_THROWS_AS(fit(t, {{{0}, a}, {{1}, b}}), std::invalid_argument);
  Table zero({2, 2});
  zero.values << 0, 0, 1, 1;
  CHECK_THROWS_AS(fit(zero, {{{0}, a}}), std::invalid_argument);
}
