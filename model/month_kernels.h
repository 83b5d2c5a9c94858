#pragma once
// Vectorised kernels of the month loop (simulation.cpp), besides the Box-Muller normals of
// income_process.h, and the Philox words of the plan phase's and population synthesis's draws.
// Each has a baseline x86-64 version and, on a processor with AVX2 and FMA (x86-64-v3), a wider
// one chosen at run time (with AVX-512F as well, the Philox words are computed 16 at a time and
// expf's core 8 doubles at a time); all give the same bits for every household
// (tests/model/test_month_kernels.cpp), so results do not depend on which one runs.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "random.h"

namespace tuopin {

// Words 0 and 1 of the draws of a block of consecutive entities, for a yearly or monthly
// decision drawn for (nearly) every household:
//   w0[j] = draw(key, first + j, stream, period).v[0], w1[j] = its v[1]   for j < n
// (w1 may be null). The illness onset uses word 0 of each household's illness draw; the episode's
// cost (words 1 and 2) is drawn again, scalar, for the households that fall ill.
void block_words(const RandomKey& key, std::uint32_t first, std::size_t n, Stream stream, std::uint32_t period,
                 std::uint32_t* w0, std::uint32_t* w1 = nullptr);

// All four words of the draws of consecutive entities, draw index 0 (population synthesis):
//   w[q][j] = draw(key, first + j, stream, period).v[q]   for q < 4, j < n.
void block_draws(const RandomKey& key, std::uint32_t first, std::size_t n, Stream stream, std::uint32_t period,
                 std::uint32_t* const w[4]);

// The same for the listed households of a block only (a decision drawn where it can happen):
//   w0[q] = draw(key, first + at[q], stream, period).v[0], w1[q] = its v[1]   for q < count.
void listed_words(const RandomKey& key, std::uint32_t first, const std::uint8_t* at, std::size_t count, Stream stream,
                  std::uint32_t period, std::uint32_t* w0, std::uint32_t* w1 = nullptr);

// Word 0 of the draws of any entities, with any draw indices (the plan's tie-breaks, one per
// request of a measure: entity = household, index = measure):
//   out[j] = draw(key, entity[j], stream, period, index[j]).v[0]   for j < n   (index null: 0).
void entity_words(const RandomKey& key, const std::uint32_t* entity, const std::uint32_t* index, std::size_t n,
                  Stream stream, std::uint32_t period, std::uint32_t* out);

// Survey factors of the year-end verification for a block (exit_assessment.h):
//   f[j] ~ survey_factor(sd, to_normal(w0[j], w1[j]))   for j < n.
// Returns true when every f[j] is exactly that value (the baseline kernel, and sd <= 0). The
// wide kernel computes them with glibc's vectorised double log, cos and exp (libmvec, within a
// few ulp of the correctly rounded values) and returns false: each factor is then within a
// relative survey_factor_tolerance of the exact one (tests/model/test_month_kernels.cpp), and
// the caller recomputes the exact factor where that could change a decision.
inline constexpr double survey_factor_tolerance = 1e-9;
bool survey_factors(double sd, const std::uint32_t* w0, const std::uint32_t* w1, std::size_t n, double* f);

// The smallest word w with to_unit(w) >= p: to_unit(w) < p exactly when w < illness_threshold(p).
// (to_unit(w) = (w + 0.5) 2^-32 is exact in double, so w + 0.5 < p 2^32, i.e. w < ceil(p 2^32 - 0.5).)
inline std::uint64_t unit_threshold(double p) {
  if (!(p > 0)) return 0;
  if (p >= 1) return 0x100000000ull;
  const double t = std::ceil(p * 0x1p32 - 0.5);
  return t <= 0 ? 0 : static_cast<std::uint64_t>(t);
}

// One month of wage and operating income for a block of n households (simulation.cpp's income
// loop). Per household j, in float, in this order of operations:
//   wd = persistence * wage_dev[j] + persistent_sd * z0[j]      (stored back in wage_dev)
//   od = persistence * op_dev[j] + persistent_sd * z2[j]        (stored back in op_dev)
//   wage = base_wage[j] * gw * expf(wd + pc + wage_sd * z1[j] + wage_correction)
//          * (ill[j] ? illness_factor : 1) * (month < job_lost[j] ? 0 : 1) * wage_factor[j]
//   operating = base_operating[j] * go * expf(od + pc + operating_sd * z3[j] + operating_correction)
//               * operating_factor[j]
//   wage_month[j] = wage;  operating_year[j] += operating
//   year_income[j] += wage + operating + ((transfer[j] + property[j]) / 12 + benefit[j] + extra[j])
// where expf is glibc's (on x86-64-v3, its FMA variant, which the wide kernel reproduces bit
// for bit).
struct IncomeMonth {
  float persistence, persistent_sd, wage_sd, operating_sd, wage_correction, operating_correction;
  float gw, go, pc, illness_factor;
  int month;
  float* wage_dev;
  float* op_dev;
  const float *base_wage, *base_operating, *base_transfer, *base_property;
  const std::uint8_t* illness_left;
  const std::uint8_t* job_lost;
  const float *wage_factor, *operating_factor, *benefit, *extra;
  const float *z0, *z1, *z2, *z3;
  float* wage_month;
  float* operating_year;
  float* year_income;
};
void income_month(const IncomeMonth& a, std::size_t n);

// Standard normals and exponentials for a block, nearly exact (population synthesis's land
// and incomes, which checks every decision and every rounding to float they enter and
// recomputes exactly where either could change: population_synthesis.cpp):
//   z[j] ~ to_normal(w0[j], w1[j]),   y[j] ~ std::exp(x[j])   for j < n.
// The baseline kernels compute exactly those values. The wide ones use glibc's vectorised double
// log, cos and exp (libmvec, at most 4 ulp from the correctly rounded values): each z[j]
// within 1e-14 of the exact normal and each y[j] within a relative 1e-15 of the exact
// exponential (tests/model/test_month_kernels.cpp checks both on a million draws).
void approximate_normals(const std::uint32_t* w0, const std::uint32_t* w1, std::size_t n, double* z);
void approximate_exponentials(const double* x, std::size_t n, double* y);
// The same normals from one entity's draws of consecutive indices (rejection sampling's
// further draws), n <= 8:
//   z[j] ~ to_normal(d.v[0], d.v[1]),  d = draw(key, entity, stream, period, first_index + j).
void approximate_index_normals(const RandomKey& key, std::uint32_t entity, Stream stream, std::uint32_t period,
                               std::uint32_t first_index, std::size_t n, double* z);

// Which version runs on this processor: "x86-64-v3 (AVX2, FMA) with AVX-512F" (where the
// processor has AVX-512F: the Philox words 16 at a time and the income's expf core 8 doubles
// at a time), "x86-64-v3 (AVX2, FMA)" or "x86-64 (baseline)". Every version gives the same
// bits.
const char* month_kernel_level();
// For the tests: force the baseline version (wide false), AVX2 without AVX-512 (avx512 false),
// or the widest the processor has (both true).
void use_wide_month_kernels(bool wide, bool avx512 = true);

}  // namespace tuopin
