// The month loop's vectorised kernels (model/month_kernels.h): the wide (AVX2, FMA) versions
// give the same bits as the baseline ones, and the illness words and thresholds give the same
// decisions as the scalar draw they replace.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "income_process.h"
#include "month_kernels.h"
#include "random.h"

using namespace tuopin;

namespace {

struct Restore {
  ~Restore() { use_wide_month_kernels(true); }
};

std::uint32_t bits(float x) {
  std::uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

}  // namespace

TEST_CASE("illness words are word 0 of each household's illness draw, on either kernel") {
  Restore restore;
  const RandomKey key{20140101, 3};
  for (bool wide : {false, true}) {
    use_wide_month_kernels(wide);
    std::vector<std::uint32_t> out(203);
    illness_words(key, 1000, out.size(), 17, out.data());
    for (std::size_t j = 0; j < out.size(); ++j)
      CHECK(out[j] == draw(key, static_cast<std::uint32_t>(1000 + j), Stream::illness, 17).v[0]);
  }
}

TEST_CASE("the illness threshold decides exactly as to_unit(word) < p") {
  const double ps[] = {0.0, 1e-12, 0x1p-33, 0x1p-32, 1.5 * 0x1p-32, 0.001, 0.0123f, 0.5, 0.999999, 1.0, 1.5, -0.1};
  for (double p : ps) {
    const std::uint64_t t = unit_threshold(p);
    // Around the threshold and at the ends of the range.
    std::vector<std::uint64_t> words = {0, 1, 2, 0xFFFFFFFFu, 0xFFFFFFFEu};
    for (std::int64_t d = -3; d <= 3; ++d) {
      const std::int64_t w = static_cast<std::int64_t>(t) + d;
      if (w >= 0 && w <= 0xFFFFFFFFll) words.push_back(static_cast<std::uint64_t>(w));
    }
    for (std::uint64_t w : words) {
      INFO("p = " << p << ", word = " << w);
      CHECK((to_unit(static_cast<std::uint32_t>(w)) < p) == (w < t));
    }
  }
}

TEST_CASE("the wide income kernel gives the baseline's bits") {
  Restore restore;
  constexpr std::size_t n = 253;  // not a multiple of 8: the tail runs too
  const RandomKey key{7, 1};
  std::vector<float> z[4], base[4], wage_factor(n), operating_factor(n), benefit(n), extra(n);
  std::vector<std::uint8_t> ill(n), lost(n);
  std::vector<float> dev0(n), odev0(n);
  for (auto& v : z) v.resize(n);
  for (auto& v : base) v.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    const Draw4 a = draw(key, static_cast<std::uint32_t>(j), Stream::income, 0);
    const Draw4 b = draw(key, static_cast<std::uint32_t>(j), Stream::income, 1);
    for (int k = 0; k < 4; ++k) z[k][j] = static_cast<float>(to_normal(a.v[k], b.v[k]) * (j % 17 == 0 ? 30.0 : 1.0));
    for (int k = 0; k < 4; ++k) base[k][j] = static_cast<float>(to_unit(b.v[k]) * 40000.0);
    ill[j] = static_cast<std::uint8_t>(a.v[0] % 3);
    lost[j] = static_cast<std::uint8_t>(j % 5 == 0 ? 6 : 0);
    wage_factor[j] = j % 7 == 0 ? 1.3f : 1.0f;
    operating_factor[j] = j % 11 == 0 ? 0.5f : 1.0f;
    benefit[j] = j % 4 == 0 ? 300.0f : 0.0f;
    extra[j] = j % 9 == 0 ? 55.5f : 0.0f;
    dev0[j] = static_cast<float>(to_normal(a.v[1], a.v[2]) * 0.3);
    odev0[j] = static_cast<float>(to_normal(a.v[3], a.v[0]) * 0.3);
  }
  // Huge deviations reach glibc's special cases (overflow to infinity, underflow to zero).
  dev0[3] = 200.0f;
  odev0[5] = -300.0f;
  struct Out {
    std::vector<float> dev, odev, wage_month, operating_year, year_income;
  };
  auto run = [&](bool wide) {
    use_wide_month_kernels(wide);
    Out o{dev0, odev0, std::vector<float>(n), std::vector<float>(n, 10.0f), std::vector<float>(n, 100.0f)};
    for (int m = 0; m < 12; ++m) {
      IncomeMonth a;
      a.persistence = 0.8f;
      a.persistent_sd = 0.15f;
      a.wage_sd = 0.3f;
      a.operating_sd = 0.4f;
      a.wage_correction = -0.045f;
      a.operating_correction = -0.08f;
      a.gw = 1.01f / 12;
      a.go = 1.02f / 12;
      a.pc = -0.01f * static_cast<float>(m);
      a.illness_factor = 0.3f;
      a.month = m;
      a.wage_dev = o.dev.data();
      a.op_dev = o.odev.data();
      a.base_wage = base[0].data();
      a.base_operating = base[1].data();
      a.base_transfer = base[2].data();
      a.base_property = base[3].data();
      a.illness_left = ill.data();
      a.job_lost = lost.data();
      a.wage_factor = wage_factor.data();
      a.operating_factor = operating_factor.data();
      a.benefit = benefit.data();
      a.extra = extra.data();
      a.z0 = z[0].data();
      a.z1 = z[1].data();
      a.z2 = z[2].data();
      a.z3 = z[3].data();
      a.wage_month = o.wage_month.data();
      a.operating_year = o.operating_year.data();
      a.year_income = o.year_income.data();
      income_month(a, n);
    }
    return o;
  };
  const Out narrow = run(false), wide = run(true);
  MESSAGE("month kernels on this processor: " << std::string(month_kernel_level()));
  for (std::size_t j = 0; j < n; ++j) {
    INFO("household " << j);
    CHECK(bits(narrow.dev[j]) == bits(wide.dev[j]));
    CHECK(bits(narrow.odev[j]) == bits(wide.odev[j]));
    CHECK(bits(narrow.wage_month[j]) == bits(wide.wage_month[j]));
    CHECK(bits(narrow.operating_year[j]) == bits(wide.operating_year[j]));
    CHECK(bits(narrow.year_income[j]) == bits(wide.year_income[j]));
  }
}

// The baseline here is the code GCC makes of income_normals.cpp with -ffast-math in the Release
// build (libmvec calls, rsqrtps and a Newton step, folded constants), which the v3 kernel
// reproduces; make sanitize's instrumented build compiles it differently and leaves this out.
TEST_CASE("the wide Box-Muller kernel gives the baseline's bits") {
  Restore restore;
  constexpr std::size_t n = 256;
  for (std::uint32_t month : {0u, 7u, 35u}) {
    for (std::uint32_t first : {0u, 256u, 4000000000u}) {
      alignas(64) float a[4][n], b[4][n];
      use_wide_month_kernels(false);
      income_normals(RandomKey{20161231, 2}, first, n, month, a[0], a[1], a[2], a[3]);
      use_wide_month_kernels(true);
      income_normals(RandomKey{20161231, 2}, first, n, month, b[0], b[1], b[2], b[3]);
      for (int q = 0; q < 4; ++q)
        for (std::size_t j = 0; j < n; ++j) {
          INFO("month " << month << ", household " << first + j << ", normal " << q);
          CHECK(bits(a[q][j]) == bits(b[q][j]));
        }
    }
  }
}
