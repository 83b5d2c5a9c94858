// The month loop's vectorised kernels (model/month_kernels.h): the wide (AVX2, FMA) versions
// give the same bits as the baseline ones, and the illness words and thresholds give the same
// decisions as the scalar draw they replace.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "exit_assessment.h"
#include "income_process.h"
#include "month_kernels.h"
#include "random.h"
#include "test_support.h"

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

TEST_CASE("the tests can force each kernel version") {
  Restore restore;
  use_wide_month_kernels(false);
  CHECK(std::string(month_kernel_level()) == "x86-64 (baseline)");
  use_wide_month_kernels(true, false);
  const std::string v3 = month_kernel_level();
  CHECK((v3 == "x86-64-v3 (AVX2, FMA)" || v3 == "x86-64 (baseline)"));
  use_wide_month_kernels(true, true);
  const std::string widest = month_kernel_level();
  if (v3 == "x86-64 (baseline)") CHECK(widest == v3);
  else CHECK((widest == v3 || widest == "x86-64-v3 (AVX2, FMA) with AVX-512F"));
  MESSAGE("month kernels on this processor: " << widest);
}

TEST_CASE("illness words are word 0 of each household's illness draw, on either kernel") {
  Restore restore;
  const RandomKey key{20140101, 3};
  for (int level : {0, 1, 2}) {  // baseline, AVX2, AVX-512 Philox (where the processor has them)
    use_wide_month_kernels(level > 0, level > 1);
    std::vector<std::uint32_t> out(203);
    block_words(key, 1000, out.size(), Stream::illness, 17, out.data());
    for (std::size_t j = 0; j < out.size(); ++j)
      CHECK(out[j] == draw(key, static_cast<std::uint32_t>(1000 + j), Stream::illness, 17).v[0]);
  }
}

TEST_CASE("block draws are the four words of each entity's draw, on either kernel") {
  Restore restore;
  const RandomKey key{20150101, 2};
  for (int level : {0, 1, 2}) {  // baseline, AVX2, AVX-512 Philox (where the processor has them)
    use_wide_month_kernels(level > 0, level > 1);
    for (std::size_t n : {0u, 1u, 7u, 8u, 15u, 16u, 17u, 33u, 256u}) {
      std::vector<std::uint32_t> w0(n), w1(n), w2(n), w3(n);
      std::uint32_t* const w[4] = {w0.data(), w1.data(), w2.data(), w3.data()};
      block_draws(key, 0xFFFFFF80u, n, Stream::synthesis, 5, w);
      for (std::size_t j = 0; j < n; ++j) {
        const Draw4 d = draw(key, static_cast<std::uint32_t>(0xFFFFFF80u + j), Stream::synthesis, 5);
        CHECK(w0[j] == d.v[0]);
        CHECK(w1[j] == d.v[1]);
        CHECK(w2[j] == d.v[2]);
        CHECK(w3[j] == d.v[3]);
      }
    }
  }
}

TEST_CASE("block and listed words are words 0 and 1 of each entity's draw, on either kernel") {
  Restore restore;
  const RandomKey key{20160101, 5};
  for (int level : {0, 1, 2}) {  // baseline, AVX2, AVX-512 Philox (where the processor has them)
    use_wide_month_kernels(level > 0, level > 1);
    for (std::size_t n : {0u, 1u, 7u, 8u, 9u, 31u, 256u}) {
      std::vector<std::uint32_t> w0(n), w1(n);
      block_words(key, 512, n, Stream::housing, 23, w0.data(), w1.data());
      for (std::size_t j = 0; j < n; ++j) {
        const Draw4 d = draw(key, static_cast<std::uint32_t>(512 + j), Stream::housing, 23);
        CHECK(w0[j] == d.v[0]);
        CHECK(w1[j] == d.v[1]);
      }
      // Only word 0 asked for: word 1 is not written.
      std::vector<std::uint32_t> only(n);
      block_words(key, 512, n, Stream::insurance, 2, only.data());
      for (std::size_t j = 0; j < n; ++j)
        CHECK(only[j] == draw(key, static_cast<std::uint32_t>(512 + j), Stream::insurance, 2).v[0]);
    }
    // Listed households: every third and a few irregular ones, up to the block's last (255).
    std::vector<std::uint8_t> at;
    for (int j = 0; j < 256; j += 3) at.push_back(static_cast<std::uint8_t>(j));
    for (int j : {1, 2, 100, 254, 255}) at.push_back(static_cast<std::uint8_t>(j));
    for (std::size_t count : {std::size_t{0}, std::size_t{5}, std::size_t{8}, std::size_t{13}, at.size()}) {
      std::vector<std::uint32_t> w0(count, 0), w1(count, 0);
      listed_words(key, 0xFFFFFF00u, at.data(), count, Stream::education, 30, w0.data(), w1.data());
      for (std::size_t q = 0; q < count; ++q) {
        const Draw4 d = draw(key, 0xFFFFFF00u + at[q], Stream::education, 30);
        CHECK(w0[q] == d.v[0]);
        CHECK(w1[q] == d.v[1]);
      }
    }
  }
}

TEST_CASE("entity words are word 0 of each entity's draw with its index, on every kernel") {
  Restore restore;
  const RandomKey key{20160101, 4};
  for (int level : {0, 1, 2}) {
    use_wide_month_kernels(level > 0, level > 1);
    INFO(month_kernel_level());
    for (std::size_t n : {0u, 1u, 7u, 8u, 9u, 15u, 16u, 17u, 31u, 256u}) {
      std::vector<std::uint32_t> entity(n), index(n), with_index(n), without_index(n);
      for (std::size_t j = 0; j < n; ++j) {
        entity[j] = static_cast<std::uint32_t>(j * 7919u + (j % 3 ? 0u : 0xFFFF0000u));
        index[j] = static_cast<std::uint32_t>(j % 13);
      }
      entity_words(key, entity.data(), index.data(), n, Stream::allocation, 2, with_index.data());
      entity_words(key, entity.data(), nullptr, n, Stream::targeting, 1, without_index.data());
      for (std::size_t j = 0; j < n; ++j) {
        CHECK(with_index[j] == draw(key, entity[j], Stream::allocation, 2, index[j]).v[0]);
        CHECK(without_index[j] == draw(key, entity[j], Stream::targeting, 1).v[0]);
      }
    }
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
  auto run = [&](bool wide, bool avx512) {
    use_wide_month_kernels(wide, avx512);
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
  const Out narrow = run(false, false);
  for (bool avx512 : {false, true}) {  // the expf core 4 or 8 doubles at a time
    const Out wide = run(true, avx512);
    MESSAGE("month kernels on this processor: " << std::string(month_kernel_level()));
    for (std::size_t j = 0; j < n; ++j) {
      INFO("household " << j << ", AVX-512 " << avx512);
      CHECK(bits(narrow.dev[j]) == bits(wide.dev[j]));
      CHECK(bits(narrow.odev[j]) == bits(wide.odev[j]));
      CHECK(bits(narrow.wage_month[j]) == bits(wide.wage_month[j]));
      CHECK(bits(narrow.operating_year[j]) == bits(wide.operating_year[j]));
      CHECK(bits(narrow.year_income[j]) == bits(wide.year_income[j]));
    }
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
      for (bool avx512 : {false, true}) {  // the Philox words 8 or 16 at a time
        use_wide_month_kernels(true, avx512);
        income_normals(RandomKey{20161231, 2}, first, n, month, b[0], b[1], b[2], b[3]);
        for (int q = 0; q < 4; ++q)
          for (std::size_t j = 0; j < n; ++j) {
            INFO("month " << month << ", household " << first + j << ", normal " << q << ", AVX-512 " << avx512);
            CHECK(bits(a[q][j]) == bits(b[q][j]));
          }
      }
    }
  }
}

namespace {
// The ends of the words' range as the first 36 pairs of (w0, w1): the largest normals, and
// angles at 0 and 2 pi.
void put_range_ends(std::vector<std::uint32_t>& w0, std::vector<std::uint32_t>& w1) {
  const std::uint32_t ends[] = {0u, 1u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFEu, 0xFFFFFFFFu};
  for (std::size_t k = 0; k < 36; ++k) {
    w0[k] = ends[k % 6];
    w1[k] = ends[k / 6];
  }
}
}  // namespace

TEST_CASE("survey factors: exact on the baseline kernel, within a tiny fraction of exact on the wide one") {
  Restore restore;
  const RandomKey key{99, 0};
  constexpr std::size_t n = 4099;  // not a multiple of 4: the tail runs too
  std::vector<std::uint32_t> w0(n), w1(n);
  block_words(key, 0, n, Stream::survey, 1, w0.data(), w1.data());
  put_range_ends(w0, w1);
  for (double sd : {0.0, 0.05, 0.15, 1.0, 2.0}) {
    for (bool wide : {false, true}) {
      use_wide_month_kernels(wide);
      std::vector<double> f(n);
      const bool exact = survey_factors(sd, w0.data(), w1.data(), n, f.data());
      CHECK(exact == (!wide || !(sd > 0) || month_kernel_level() == std::string("x86-64 (baseline)")));
      double worst = 0;
      for (std::size_t j = 0; j < n; ++j) {
        const double want = survey_factor(sd, to_normal(w0[j], w1[j]));
        if (exact) CHECK(f[j] == want);
        worst = std::max(worst, std::abs(f[j] - want) / want);
      }
      INFO("sd = " << sd << ", wide = " << wide);
      CHECK(worst < survey_factor_tolerance * 1e-3);  // the tolerance keeps a margin of 1000
    }
  }
}

TEST_CASE("near_assessment_threshold flags every threshold of the verification and nothing far from them") {
  // The default scenario's rules (every field set: the identification probabilities and
  // require_guarantees are read too), with the margins of the test.
  Scenario::Assessment rules = load_default_scenario().scenario.assessment;
  rules.exit_margin = 0.084;
  rules.reentry_threshold = 1.2;
  const double line = 3146.0;
  for (double t : {line * (1.0 + rules.exit_margin), rules.reentry_threshold * line, line}) {
    CHECK(near_assessment_threshold(rules, line, t, 1e-9));
    CHECK(near_assessment_threshold(rules, line, t * (1 + 0.5e-9), 1e-9));
    CHECK(near_assessment_threshold(rules, line, t * (1 - 0.5e-9), 1e-9));
    CHECK_FALSE(near_assessment_threshold(rules, line, t * (1 + 2e-9), 1e-9));
    CHECK_FALSE(near_assessment_threshold(rules, line, t * (1 - 2e-9), 1e-9));
  }
  CHECK_FALSE(near_assessment_threshold(rules, line, 0.0, 1e-9));
  CHECK_FALSE(near_assessment_threshold(rules, line, 10 * line, 1e-9));
  // Every income at which assess_household's decision changes (found by scanning and bisection,
  // for each status, with and without the identification draw passing) is near a listed threshold.
  int changes = 0;
  for (auto status : {RegistryStatus::poor, RegistryStatus::exited, RegistryStatus::near_poor})
    for (double u : {0.0, 0.99})
      for (std::uint8_t met : {std::uint8_t{0}, guarantee::all}) {
        auto outcome = [&](double m) {
          const auto o = assess_household(rules, line, status, m, met, u);
          return static_cast<int>(o.status) * 16 + static_cast<int>(o.transition);
        };
        for (double m = 0.1 * line; m < 3 * line; m *= 1.001) {
          double lo = m, hi = m * 1.001;
          if (outcome(lo) == outcome(hi)) continue;
          while (hi - lo > 1e-12 * hi) {
            const double mid = 0.5 * (lo + hi);
            (outcome(mid) == outcome(lo) ? lo : hi) = mid;
          }
          ++changes;
          CHECK(near_assessment_threshold(rules, line, hi, 1e-9));
        }
      }
  CHECK(changes >= 3);
}

// The whole month loop and assessment with each kernel version: every table of the result the
// same, with every measure on, a flood (disaster damage) and the survey error. The baseline is
// the Release build's code for income_normals.cpp (see above): make sanitize leaves this out.
TEST_CASE("a run with every measure on gives the same results with every kernel version") {
  Restore restore;
  const LoadedScenario loaded = test::small_scenario(
      "[shocks]\nflood_year = 2016\nflood_village_share = 0.3\n", 6000, "", test::all_measures_on);
  REQUIRE(loaded.scenario.assessment.survey_error_sd > 0);
  std::vector<std::uint64_t> hashes;
  for (int level : {0, 1, 2}) {
    use_wide_month_kernels(level > 0, level > 1);
    hashes.push_back(test::hash_result(test::run(loaded.scenario, 2)));
  }
  MESSAGE("month kernels on this processor: " << std::string(month_kernel_level()));
  CHECK(hashes[0] == hashes[1]);
  CHECK(hashes[0] == hashes[2]);
}

// The bounds population synthesis relies on (population_synthesis.cpp,
// max_approximated_coefficient): libmvec's 4 ulp give at most about 7e-15 for a normal (the
// largest are 6.8) and 9e-16 for an exponential; a million draws and the words' ends measured
// 1.8e-15 and 4.7e-16.
TEST_CASE("approximate normals and exponentials: exact on the baseline kernels, within 1e-14 on the wide ones") {
  Restore restore;
  const RandomKey key{7, 0};
  constexpr std::size_t n = 1 << 20;  // not only a multiple of 4: the tail is checked below
  std::vector<std::uint32_t> w0(n), w1(n);
  block_words(key, 0, n, Stream::synthesis, 5, w0.data(), w1.data());
  put_range_ends(w0, w1);
  std::vector<double> x(n);
  for (std::size_t j = 0; j < n; ++j) x[j] = -60.0 + 120.0 * to_unit(w0[j] ^ w1[j]);  // exp over 1e-26 .. 1e26
  for (bool wide : {false, true}) {
    use_wide_month_kernels(wide);
    for (std::size_t count : {n, std::size_t{7}}) {
      std::vector<double> z(n), y(n);
      approximate_normals(w0.data(), w1.data(), count, z.data());
      approximate_exponentials(x.data(), count, y.data());
      double worst_z = 0, worst_y = 0;
      for (std::size_t j = 0; j < count; ++j) {
        const double want_z = to_normal(w0[j], w1[j]), want_y = std::exp(x[j]);
        worst_z = std::max(worst_z, std::abs(z[j] - want_z));
        worst_y = std::max(worst_y, std::abs(y[j] - want_y) / want_y);
      }
      if (!wide) {  // exact
        CHECK(worst_z == 0);
        CHECK(worst_y == 0);
      }
      // One entity's draws of consecutive indices, eight (or fewer) at a time.
      double worst_index = 0;
      for (std::uint32_t entity : {0u, 12345u, 0xFFFFFFFFu})
        for (std::uint32_t first : {0u, 1u, 9u, 57u, 0xFFFFFFF8u}) {
          double zi[8];
          approximate_index_normals(key, entity, Stream::synthesis, 7, first, count == n ? 8 : 5, zi);
          for (std::uint32_t q = 0; q < (count == n ? 8u : 5u); ++q) {
            const Draw4 d = draw(key, entity, Stream::synthesis, 7, first + q);
            worst_index = std::max(worst_index, std::abs(zi[q] - to_normal(d.v[0], d.v[1])));
          }
        }
      CHECK(worst_index <= (wide ? 1e-14 : 0.0));
      INFO("wide = " << wide << ", n = " << count << ", worst normal " << worst_z << ", worst exponential " << worst_y);
      CHECK(worst_z <= 1e-14);
      CHECK(worst_y <= 1e-15);
    }
  }
}
