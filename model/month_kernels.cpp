// Vectorised kernels of the month loop and of the plan's draws (month_kernels.h). Built with
// -O3 -ffp-contract=off (model/CMakeLists.txt): no multiply-add is ever fused behind the
// code's back, so the baseline, AVX2 and AVX-512F versions round every operation the same way.
// The only fused multiply-adds are the explicit ones of the expf below, which are glibc's. The
// one kernel that is not exact, the survey factors, says so and how its caller makes up for it.
#include "month_kernels.h"

#include "exit_assessment.h"
#include "income_process.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include <immintrin.h>

namespace tuopin {

namespace {

// Which kernels this processor runs (the tests can force the narrower ones).
bool detect_wide() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
bool detect_512() {
  __builtin_cpu_init();
  return detect_wide() && __builtin_cpu_supports("avx512f");
}
const bool cpu_wide = detect_wide();
const bool cpu_512 = detect_512();
bool wide = cpu_wide;
bool avx512 = cpu_512;

// --- Philox4x32-10, 8 counters at a time ---------------------------------------------------
// Random123's philox4x32 (10 rounds) with counters {entity, stream, period, index}, one entity
// and index per lane: the same words as `draw`. The 32x32-bit products take two vpmuludq per multiplier (even and odd lanes).
struct Words8 {
  __m256i v[4];
};

__attribute__((target("avx2,fma"))) inline void mulhilo8(__m256i x, __m256i m, __m256i& lo, __m256i& hi) {
  const __m256i even = _mm256_mul_epu32(x, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

__attribute__((target("avx2,fma"))) inline Words8 philox8(const Philox::key_type& k, __m256i entity,
                                                          std::uint32_t stream, std::uint32_t period,
                                                          __m256i index) {
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(0xD2511F53u));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(0xCD9E8D57u));
  __m256i c0 = entity;
  __m256i c1 = _mm256_set1_epi32(static_cast<int>(stream));
  __m256i c2 = _mm256_set1_epi32(static_cast<int>(period));
  __m256i c3 = index;
  std::uint32_t k0 = k.v[0], k1 = k.v[1];
  for (int round = 0; round < 10; ++round) {
    __m256i lo0, hi0, lo1, hi1;
    mulhilo8(c0, m0, lo0, hi0);
    mulhilo8(c2, m1, lo1, hi1);
    const __m256i n0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32(static_cast<int>(k0)));
    const __m256i n2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32(static_cast<int>(k1)));
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  return {{c0, c1, c2, c3}};
}

// Counters {first + lane, stream, period, 0}: eight consecutive entities.
__attribute__((target("avx2,fma"))) inline Words8 philox8(const Philox::key_type& k, std::uint32_t first,
                                                          std::uint32_t stream, std::uint32_t period) {
  const __m256i entity =
      _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(first)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  return philox8(k, entity, stream, period, _mm256_setzero_si256());
}

// --- Philox4x32-10, 16 counters at a time (AVX-512F) ----------------------------------------
// The same rounds on 512-bit registers: the same words as philox8 and `draw`. Used only where
// the processor has AVX-512F.
struct Words16 {
  __m512i v[4];
};

__attribute__((target("avx512f"))) inline void mulhilo16(__m512i x, __m512i m, __m512i& lo, __m512i& hi) {
  // The zero-masked forms with every lane selected: the plain ones pass GCC 12 an undefined
  // register that -Wmaybe-uninitialized reports.
  const __m512i even = _mm512_maskz_mul_epu32(0xFF, x, m);
  const __m512i odd = _mm512_maskz_mul_epu32(0xFF, _mm512_maskz_srli_epi64(0xFF, x, 32), m);
  lo = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_maskz_slli_epi64(0xFF, odd, 32));
  hi = _mm512_mask_blend_epi32(0xAAAA, _mm512_maskz_srli_epi64(0xFF, even, 32), odd);
}

__attribute__((target("avx512f"))) inline Words16 philox16(const Philox::key_type& k, __m512i entity,
                                                           std::uint32_t stream, std::uint32_t period,
                                                           __m512i index = _mm512_setzero_si512()) {
  const __m512i m0 = _mm512_set1_epi32(static_cast<int>(0xD2511F53u));
  const __m512i m1 = _mm512_set1_epi32(static_cast<int>(0xCD9E8D57u));
  __m512i c0 = entity;
  __m512i c1 = _mm512_set1_epi32(static_cast<int>(stream));
  __m512i c2 = _mm512_set1_epi32(static_cast<int>(period));
  __m512i c3 = index;
  std::uint32_t k0 = k.v[0], k1 = k.v[1];
  for (int round = 0; round < 10; ++round) {
    __m512i lo0, hi0, lo1, hi1;
    mulhilo16(c0, m0, lo0, hi0);
    mulhilo16(c2, m1, lo1, hi1);
    const __m512i n0 = _mm512_xor_si512(_mm512_xor_si512(hi1, c1), _mm512_set1_epi32(static_cast<int>(k0)));
    const __m512i n2 = _mm512_xor_si512(_mm512_xor_si512(hi0, c3), _mm512_set1_epi32(static_cast<int>(k1)));
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  return {{c0, c1, c2, c3}};
}

__attribute__((target("avx512f"))) inline __m512i consecutive16(std::uint32_t first) {
  return _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(first)),
                          _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}

// --- words of a stream -----------------------------------------------------------------------

// Words 0 and 1 (w1 may be null) of one draw, into w0[at] and w1[at]: the scalar tail of every
// kernel below.
inline void words_one(const Philox::key_type& k, std::uint32_t entity, std::uint32_t stream, std::uint32_t period,
                      std::uint32_t* w0, std::uint32_t* w1, std::size_t at, std::uint32_t index = 0) {
  Philox rng;
  const Philox::ctr_type c = {{entity, stream, period, index}};
  const Philox::ctr_type r = rng(c, k);
  w0[at] = r.v[0];
  if (w1) w1[at] = r.v[1];
}

void block_words_baseline(const Philox::key_type k, std::uint32_t first, std::size_t n, std::uint32_t stream,
                          std::uint32_t period, std::uint32_t* w0, std::uint32_t* w1) {
  for (std::size_t j = 0; j < n; ++j) words_one(k, first + static_cast<std::uint32_t>(j), stream, period, w0, w1, j);
}

__attribute__((target("avx2,fma"))) void block_words_wide(const Philox::key_type k, std::uint32_t first,
                                                          std::size_t n, std::uint32_t stream, std::uint32_t period,
                                                          std::uint32_t* w0, std::uint32_t* w1) {
  std::size_t j = 0;
  for (; j + 8 <= n; j += 8) {
    const Words8 w = philox8(k, first + static_cast<std::uint32_t>(j), stream, period);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(w0 + j), w.v[0]);
    if (w1) _mm256_storeu_si256(reinterpret_cast<__m256i*>(w1 + j), w.v[1]);
  }
  for (; j < n; ++j) words_one(k, first + static_cast<std::uint32_t>(j), stream, period, w0, w1, j);
}

// All four words of the draws of consecutive entities (population synthesis).
void block_draws_baseline(const Philox::key_type k, std::uint32_t first, std::size_t n, std::uint32_t stream,
                          std::uint32_t period, std::uint32_t* const w[4]) {
  Philox rng;
  for (std::size_t j = 0; j < n; ++j) {
    const Philox::ctr_type r = rng({{first + static_cast<std::uint32_t>(j), stream, period, 0}}, k);
    for (int q = 0; q < 4; ++q) w[q][j] = r.v[q];
  }
}

__attribute__((target("avx2,fma"))) void block_draws_wide(const Philox::key_type k, std::uint32_t first,
                                                          std::size_t n, std::uint32_t stream, std::uint32_t period,
                                                          std::uint32_t* const w[4]) {
  std::size_t j = 0;
  for (; j + 8 <= n; j += 8) {
    const Words8 r = philox8(k, first + static_cast<std::uint32_t>(j), stream, period);
    for (int q = 0; q < 4; ++q) _mm256_storeu_si256(reinterpret_cast<__m256i*>(w[q] + j), r.v[q]);
  }
  std::uint32_t* const tail[4] = {w[0] + j, w[1] + j, w[2] + j, w[3] + j};
  block_draws_baseline(k, first + static_cast<std::uint32_t>(j), n - j, stream, period, tail);
}

void listed_words_baseline(const Philox::key_type k, std::uint32_t first, const std::uint8_t* at, std::size_t count,
                           std::uint32_t stream, std::uint32_t period, std::uint32_t* w0, std::uint32_t* w1) {
  for (std::size_t q = 0; q < count; ++q) words_one(k, first + at[q], stream, period, w0, w1, q);
}

__attribute__((target("avx2,fma"))) void listed_words_wide(const Philox::key_type k, std::uint32_t first,
                                                           const std::uint8_t* at, std::size_t count,
                                                           std::uint32_t stream, std::uint32_t period,
                                                           std::uint32_t* w0, std::uint32_t* w1) {
  std::size_t q = 0;
  const __m256i base = _mm256_set1_epi32(static_cast<int>(first));
  for (; q + 8 <= count; q += 8) {
    std::uint64_t offsets;
    std::memcpy(&offsets, at + q, 8);
    const __m256i entity =
        _mm256_add_epi32(base, _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(offsets))));
    const Words8 w = philox8(k, entity, stream, period, _mm256_setzero_si256());
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(w0 + q), w.v[0]);
    if (w1) _mm256_storeu_si256(reinterpret_cast<__m256i*>(w1 + q), w.v[1]);
  }
  for (; q < count; ++q) words_one(k, first + at[q], stream, period, w0, w1, q);
}

__attribute__((target("avx512f"))) void block_words_512(const Philox::key_type k, std::uint32_t first, std::size_t n,
                                                         std::uint32_t stream, std::uint32_t period, std::uint32_t* w0,
                                                         std::uint32_t* w1) {
  std::size_t j = 0;
  for (; j + 16 <= n; j += 16) {
    const Words16 w = philox16(k, consecutive16(first + static_cast<std::uint32_t>(j)), stream, period);
    _mm512_storeu_si512(w0 + j, w.v[0]);
    if (w1) _mm512_storeu_si512(w1 + j, w.v[1]);
  }
  for (; j < n; ++j) words_one(k, first + static_cast<std::uint32_t>(j), stream, period, w0, w1, j);
}

__attribute__((target("avx512f"))) void listed_words_512(const Philox::key_type k, std::uint32_t first,
                                                          const std::uint8_t* at, std::size_t count,
                                                          std::uint32_t stream, std::uint32_t period,
                                                          std::uint32_t* w0, std::uint32_t* w1) {
  std::size_t q = 0;
  const __m512i base = _mm512_set1_epi32(static_cast<int>(first));
  for (; q + 16 <= count; q += 16) {
    const __m512i entity =
        _mm512_add_epi32(base, _mm512_maskz_cvtepu8_epi32(0xFFFF, _mm_loadu_si128(reinterpret_cast<const __m128i*>(at + q))));
    const Words16 w = philox16(k, entity, stream, period);
    _mm512_storeu_si512(w0 + q, w.v[0]);
    if (w1) _mm512_storeu_si512(w1 + q, w.v[1]);
  }
  for (; q < count; ++q) words_one(k, first + at[q], stream, period, w0, w1, q);
}

__attribute__((target("avx512f"))) void block_draws_512(const Philox::key_type k, std::uint32_t first, std::size_t n,
                                                         std::uint32_t stream, std::uint32_t period,
                                                         std::uint32_t* const w[4]) {
  std::size_t j = 0;
  for (; j + 16 <= n; j += 16) {
    const Words16 r = philox16(k, consecutive16(first + static_cast<std::uint32_t>(j)), stream, period);
    for (int q = 0; q < 4; ++q) _mm512_storeu_si512(w[q] + j, r.v[q]);
  }
  std::uint32_t* const tail[4] = {w[0] + j, w[1] + j, w[2] + j, w[3] + j};
  block_draws_baseline(k, first + static_cast<std::uint32_t>(j), n - j, stream, period, tail);
}

// The four income words of `count` consecutive households (a multiple of 16), word q of
// household j in w[q][j].
__attribute__((target("avx512f"))) void income_words_512(const Philox::key_type& k, std::uint32_t first,
                                                          std::size_t count, std::uint32_t month,
                                                          std::uint32_t (*w)[256]) {
  for (std::size_t j = 0; j < count; j += 16) {
    const Words16 r = philox16(k, consecutive16(first + static_cast<std::uint32_t>(j)),
                               static_cast<std::uint32_t>(Stream::income), month);
    for (int q = 0; q < 4; ++q) _mm512_store_si512(w[q] + j, r.v[q]);
  }
}

// Word 0 of the draws of any entities with any draw indices (the plan's tie-breaks).
void entity_words_baseline(const Philox::key_type k, const std::uint32_t* entity, const std::uint32_t* index,
                           std::size_t n, std::uint32_t stream, std::uint32_t period, std::uint32_t* out) {
  for (std::size_t j = 0; j < n; ++j) words_one(k, entity[j], stream, period, out, nullptr, j, index ? index[j] : 0u);
}

__attribute__((target("avx2,fma"))) void entity_words_wide(const Philox::key_type k, const std::uint32_t* entity,
                                                           const std::uint32_t* index, std::size_t n,
                                                           std::uint32_t stream, std::uint32_t period,
                                                           std::uint32_t* out) {
  std::size_t j = 0;
  for (; j + 8 <= n; j += 8) {
    const __m256i e = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(entity + j));
    const __m256i d = index ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(index + j)) : _mm256_setzero_si256();
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j), philox8(k, e, stream, period, d).v[0]);
  }
  entity_words_baseline(k, entity + j, index ? index + j : nullptr, n - j, stream, period, out + j);
}

__attribute__((target("avx512f"))) void entity_words_512(const Philox::key_type k, const std::uint32_t* entity,
                                                         const std::uint32_t* index, std::size_t n,
                                                         std::uint32_t stream, std::uint32_t period,
                                                         std::uint32_t* out) {
  std::size_t j = 0;
  for (; j + 16 <= n; j += 16) {
    const __m512i e = _mm512_loadu_si512(entity + j);
    const __m512i d = index ? _mm512_loadu_si512(index + j) : _mm512_setzero_si512();
    _mm512_storeu_si512(out + j, philox16(k, e, stream, period, d).v[0]);
  }
  entity_words_baseline(k, entity + j, index ? index + j : nullptr, n - j, stream, period, out + j);
}

// --- expf ----------------------------------------------------------------------------------
// glibc's expf (sysdeps/ieee754/flt-32/e_expf.c, the FMA build that glibc selects on a
// processor with AVX2 and FMA): x / ln2 * 32 = k + r, exp(x) = 2^(k/32) 2^(r/32) with a table
// of 2^(i/32) and a cubic in double, rounded once to float. The constants are glibc's
// __exp2f_data. Inputs with |x| >= 88 (or NaN) take glibc's own expf.
alignas(32) constexpr std::uint64_t exp2f_table[32] = {
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51, 0x3fef72b83c7d517b,
    0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1, 0x3fef06fe0a31b715, 0x3feef1a7373aa9cb,
    0x3feedea64c123422, 0x3feece086061892d, 0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429,
    0x3feea47eb03a5585, 0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d, 0x3feee89f995ad3ad,
    0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069, 0x3fef5818dcfba487, 0x3fef7c97337b9b5f,
    0x3fefa4afa2a490da, 0x3fefd0765b6e4540};
constexpr double exp_invln2n = 0x1.71547652b82fep+0 * 32;
constexpr double exp_shift = 0x1.8p+52;
constexpr double exp_c0 = 0x1.c6af84b912394p-5 / 32 / 32 / 32;
constexpr double exp_c1 = 0x1.ebfce50fac4f3p-3 / 32 / 32;
constexpr double exp_c2 = 0x1.62e42ff0c52d6p-1 / 32;

__attribute__((target("avx2,fma"))) inline __m256d exp_core(__m256d xd) {
  const __m256d invln2n = _mm256_set1_pd(exp_invln2n), shift = _mm256_set1_pd(exp_shift);
  const __m256d kd_shifted = _mm256_fmadd_pd(invln2n, xd, shift);
  const __m256i ki = _mm256_castpd_si256(kd_shifted);
  const __m256d kd = _mm256_sub_pd(kd_shifted, shift);
  const __m256d r = _mm256_fmsub_pd(invln2n, xd, kd);
  const __m256i index = _mm256_and_si256(ki, _mm256_set1_epi64x(31));
  __m256i t = _mm256_i64gather_epi64(reinterpret_cast<const long long*>(exp2f_table), index, 8);
  t = _mm256_add_epi64(t, _mm256_slli_epi64(ki, 47));
  const __m256d s = _mm256_castsi256_pd(t);
  const __m256d z = _mm256_fmadd_pd(r, _mm256_set1_pd(exp_c0), _mm256_set1_pd(exp_c1));
  const __m256d r2 = _mm256_mul_pd(r, r);
  __m256d y = _mm256_fmadd_pd(r, _mm256_set1_pd(exp_c2), _mm256_set1_pd(1.0));
  y = _mm256_fmadd_pd(z, r2, y);
  return _mm256_mul_pd(y, s);
}

// glibc's special cases: lanes whose top 12 bits of |x| are above those of 88.0f (overflow,
// underflow, NaN) take glibc's own expf; `y` holds the table-and-cubic result of the others.
__attribute__((target("avx2,fma"))) inline __m256 expf_special_lanes(__m256 x, __m256 y) {
  const __m256i top = _mm256_and_si256(_mm256_srli_epi32(_mm256_castps_si256(x), 20), _mm256_set1_epi32(0x7ff));
  const int special = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(top, _mm256_set1_epi32(0x42a))));
  if (special) [[unlikely]] {
    alignas(32) float xs[8], ys[8];
    _mm256_store_ps(xs, x);
    _mm256_store_ps(ys, y);
    for (int l = 0; l < 8; ++l)
      if (special & (1 << l)) ys[l] = std::exp(xs[l]);
    y = _mm256_load_ps(ys);
  }
  return y;
}

__attribute__((target("avx2,fma"))) inline __m256 expf8(__m256 x) {
  const __m128 lo = _mm256_cvtpd_ps(exp_core(_mm256_cvtps_pd(_mm256_castps256_ps128(x))));
  const __m128 hi = _mm256_cvtpd_ps(exp_core(_mm256_cvtps_pd(_mm256_extractf128_ps(x, 1))));
  return expf_special_lanes(x, _mm256_set_m128(hi, lo));
}

// The same expf with the double-precision core 8 lanes wide on AVX-512F: one gather and one
// polynomial for 8 floats instead of two of each. Fused multiply-adds round the same way at any
// width, so the bits are expf8's. (The zero-masked forms with every lane selected: the plain
// intrinsics pass GCC 12 an undefined register that -Wmaybe-uninitialized reports.)
__attribute__((target("avx512f,avx2,fma"))) inline __m512d exp_core512(__m512d xd) {
  const __m512d invln2n = _mm512_set1_pd(exp_invln2n), shift = _mm512_set1_pd(exp_shift);
  const __m512d kd_shifted = _mm512_fmadd_pd(invln2n, xd, shift);
  const __m512i ki = _mm512_castpd_si512(kd_shifted);
  const __m512d kd = _mm512_sub_pd(kd_shifted, shift);
  const __m512d r = _mm512_fmsub_pd(invln2n, xd, kd);
  const __m512i index = _mm512_and_si512(ki, _mm512_set1_epi64(31));
  __m512i t = _mm512_mask_i64gather_epi64(_mm512_setzero_si512(), 0xFF, index, exp2f_table, 8);
  t = _mm512_add_epi64(t, _mm512_maskz_slli_epi64(0xFF, ki, 47));
  const __m512d s = _mm512_castsi512_pd(t);
  const __m512d z = _mm512_fmadd_pd(r, _mm512_set1_pd(exp_c0), _mm512_set1_pd(exp_c1));
  const __m512d r2 = _mm512_mul_pd(r, r);
  __m512d y = _mm512_fmadd_pd(r, _mm512_set1_pd(exp_c2), _mm512_set1_pd(1.0));
  y = _mm512_fmadd_pd(z, r2, y);
  return _mm512_mul_pd(y, s);
}

__attribute__((target("avx512f,avx2,fma"))) inline __m256 expf8_512(__m256 x) {
  return expf_special_lanes(x, _mm512_maskz_cvtpd_ps(0xFF, exp_core512(_mm512_maskz_cvtps_pd(0xFF, x))));
}

struct Expf8 {
  __attribute__((target("avx2,fma"))) static __m256 of(__m256 x) { return expf8(x); }
};
struct Expf8Avx512 {
  __attribute__((target("avx512f,avx2,fma"))) static __m256 of(__m256 x) { return expf8_512(x); }
};

// --- Box-Muller normals -----------------------------------------------------------------
// income_normals (income_normals.cpp) is built for baseline x86-64 with -ffast-math: GCC turns
// it into 4-lane SSE code that calls glibc's libmvec _ZGVbN4v_logf / _ZGVbN4v_cosf (their
// SSE4.1 variants on any processor with AVX2), takes the square root as rsqrtps and one Newton
// step, and folds 2 pi 2^-32 into one constant. The version below does the same operations, in
// the same order and rounding, 8 lanes at a time: the libmvec variants' own algorithms (their
// constants are glibc's __svml_slog_data and __svml_s_trig_data) and the compiled kernel's
// constants. Lanes outside those algorithms' main range (never reached by uniforms in (0, 1)
// and angles in [-pi/2, 2 pi)) take libmvec itself.
extern "C" __m128 _ZGVbN4v_logf(__m128);
extern "C" __m128 _ZGVbN4v_cosf(__m128);

__attribute__((target("avx2,fma"))) inline __m256 f32(std::uint32_t bits) {
  return _mm256_castsi256_ps(_mm256_set1_epi32(static_cast<int>(bits)));
}

__attribute__((target("avx2,fma"))) inline __m256 logf8(__m256 x) {
  const __m256i xi = _mm256_castps_si256(x);
  const __m256i special = _mm256_cmpgt_epi32(_mm256_set1_epi32(0x01000000),
                                             _mm256_add_epi32(xi, _mm256_set1_epi32(0x00800000)));
  const __m256i t = _mm256_sub_epi32(xi, _mm256_set1_epi32(0x3f2aaaab));
  const __m256i m = _mm256_add_epi32(_mm256_and_si256(t, _mm256_set1_epi32(0x007fffff)), _mm256_set1_epi32(0x3f2aaaab));
  const __m256 e = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_srai_epi32(t, 23)), f32(0x3f317218));
  const __m256 r = _mm256_sub_ps(_mm256_castsi256_ps(m), f32(0x3f800000));
  __m256 p = _mm256_mul_ps(f32(0xbe1b6a22), r);
  p = _mm256_mul_ps(_mm256_add_ps(p, f32(0x3e2db86b)), r);
  p = _mm256_mul_ps(_mm256_add_ps(p, f32(0xbe289358)), r);
  p = _mm256_mul_ps(_mm256_add_ps(p, f32(0x3e4afb81)), r);
  p = _mm256_mul_ps(_mm256_add_ps(p, f32(0xbe80061d)), r);
  p = _mm256_mul_ps(_mm256_add_ps(p, f32(0x3eaaaee7)), r);
  p = _mm256_mul_ps(_mm256_add_ps(p, f32(0xbf000000)), r);
  p = _mm256_mul_ps(p, r);
  __m256 y = _mm256_add_ps(_mm256_add_ps(r, p), e);
  if (_mm256_movemask_ps(_mm256_castsi256_ps(special))) [[unlikely]]
    y = _mm256_set_m128(_ZGVbN4v_logf(_mm256_extractf128_ps(x, 1)), _ZGVbN4v_logf(_mm256_castps256_ps128(x)));
  return y;
}

__attribute__((target("avx2,fma"))) inline __m256 cosf8(__m256 x) {
  const __m256 shifter = f32(0x4b400000);
  const __m256 n1 = _mm256_add_ps(_mm256_mul_ps(_mm256_add_ps(f32(0x3fc90fdb), x), f32(0x3ea2f983)), shifter);
  const __m256 sign = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(n1), 31));
  const __m256 n = _mm256_sub_ps(_mm256_sub_ps(n1, shifter), f32(0x3f000000));
  const __m256 special = _mm256_cmp_ps(_mm256_and_ps(x, f32(0x7fffffff)), f32(0x461c4000), _CMP_NLE_UQ);
  __m256 r = _mm256_sub_ps(x, _mm256_mul_ps(f32(0x40490000), n));
  r = _mm256_sub_ps(r, _mm256_mul_ps(f32(0x3a7da000), n));
  r = _mm256_sub_ps(r, _mm256_mul_ps(f32(0x34222000), n));
  r = _mm256_sub_ps(r, _mm256_mul_ps(n, f32(0x2cb4611a)));
  const __m256 r2 = _mm256_mul_ps(r, r);
  r = _mm256_xor_ps(r, sign);
  __m256 p = _mm256_mul_ps(f32(0x362edef8), r2);
  p = _mm256_mul_ps(_mm256_add_ps(p, f32(0xb94fb7ff)), r2);
  p = _mm256_mul_ps(_mm256_add_ps(p, f32(0x3c08876a)), r2);
  p = _mm256_add_ps(p, f32(0xbe2aaaa6));
  __m256 y = _mm256_add_ps(r, _mm256_mul_ps(_mm256_mul_ps(r2, p), r));
  if (_mm256_movemask_ps(special)) [[unlikely]]
    y = _mm256_set_m128(_ZGVbN4v_cosf(_mm256_extractf128_ps(x, 1)), _ZGVbN4v_cosf(_mm256_castps256_ps128(x)));
  return y;
}

// sqrt(v) as the compiled baseline kernel takes it: rsqrtps (0 where v is 0), one Newton step.
__attribute__((target("avx2,fma"))) inline __m256 sqrt8(__m256 v) {
  const __m256 nonzero = _mm256_cmp_ps(_mm256_setzero_ps(), v, _CMP_NEQ_UQ);
  const __m256 r = _mm256_and_ps(_mm256_rsqrt_ps(v), nonzero);
  const __m256 a = _mm256_mul_ps(v, r);
  const __m256 b = _mm256_add_ps(_mm256_mul_ps(a, r), f32(0xc0400000));
  return _mm256_mul_ps(b, _mm256_mul_ps(a, f32(0xbf000000)));
}

__attribute__((target("avx2,fma"))) inline __m256 unit24(__m256i w) {
  return _mm256_mul_ps(_mm256_add_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(w, 8)), f32(0x3f000000)), f32(0x33800000));
}

__attribute__((target("avx2,fma"))) inline __m256 angle(__m256i w) {
  const __m256 lo = _mm256_cvtepi32_ps(_mm256_and_si256(w, _mm256_set1_epi32(0xffff)));
  const __m256 hi = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(w, 16)), f32(0x47800000));
  return _mm256_mul_ps(_mm256_add_ps(lo, hi), f32(0x30c90fdb));  // 2 pi 2^-32, folded as GCC did
}

__attribute__((target("avx2,fma"))) void income_normals_wide(const RandomKey& key, std::uint32_t first,
                                                             std::size_t n, std::uint32_t month, float* z0,
                                                             float* z1, float* z2, float* z3) {
  n = (n + income_normals_width - 1) / income_normals_width * income_normals_width;
  const Philox::key_type k = key.key();
  constexpr std::size_t chunk = 256;
  alignas(64) std::uint32_t w[4][chunk];
  for (std::size_t base = 0; base < n; base += chunk) {
    const std::size_t m = std::min(chunk, n - base);
    for (std::size_t j = 0; j < m; j += 8) {  // m is a multiple of income_normals_width (16)
      const Words8 r = philox8(k, first + static_cast<std::uint32_t>(base + j), static_cast<std::uint32_t>(Stream::income), month);
      for (int q = 0; q < 4; ++q) _mm256_store_si256(reinterpret_cast<__m256i*>(w[q] + j), r.v[q]);
    }
    const __m256 minus_half_pi = f32(0xbfc90fdb), minus_two = f32(0xc0000000);
    for (std::size_t j = 0; j < m; j += 8) {
      const __m256i w0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(w[0] + j));
      const __m256i w1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(w[1] + j));
      const __m256i w2 = _mm256_load_si256(reinterpret_cast<const __m256i*>(w[2] + j));
      const __m256i w3 = _mm256_load_si256(reinterpret_cast<const __m256i*>(w[3] + j));
      const __m256 a = sqrt8(_mm256_mul_ps(logf8(unit24(w0)), minus_two));
      const __m256 b = sqrt8(_mm256_mul_ps(logf8(unit24(w2)), minus_two));
      const __m256 t1 = angle(w1), t3 = angle(w3);
      _mm256_storeu_ps(z0 + base + j, _mm256_mul_ps(cosf8(t1), a));
      _mm256_storeu_ps(z1 + base + j, _mm256_mul_ps(cosf8(_mm256_add_ps(t1, minus_half_pi)), a));
      _mm256_storeu_ps(z2 + base + j, _mm256_mul_ps(cosf8(t3), b));
      _mm256_storeu_ps(z3 + base + j, _mm256_mul_ps(cosf8(_mm256_add_ps(t3, minus_half_pi)), b));
    }
  }
}

// The same normals 16 lanes at a time on AVX-512F: the same operations in the same order on
// wider registers, so the same bits, except the square root's rsqrtps, whose AVX-512 form
// (vrsqrt14ps) is more precise and would round differently: it stays 8 lanes wide. (Logical
// operations on floats go through the integer forms, which need only AVX-512F; the zero-masked
// forms with every lane selected avoid GCC 12's -Wmaybe-uninitialized on the plain ones.)
__attribute__((target("avx512f,avx2,fma"))) inline __m512 f32x16(std::uint32_t bits) {
  return _mm512_castsi512_ps(_mm512_set1_epi32(static_cast<int>(bits)));
}

__attribute__((target("avx512f,avx2,fma"))) inline __m512 to_float16(__m512i v) {
  return _mm512_maskz_cvtepi32_ps(0xFFFF, v);
}

// libmvec's 4-lane function on each quarter of x (lanes outside the kernels' main range).
__attribute__((target("avx512f,avx2,fma"))) inline __m512 by_quarters(__m512 x, __m128 (*f)(__m128)) {
  alignas(64) float v[16];
  _mm512_store_ps(v, x);
  for (int q = 0; q < 4; ++q) _mm_store_ps(v + 4 * q, f(_mm_load_ps(v + 4 * q)));
  return _mm512_load_ps(v);
}

__attribute__((target("avx512f,avx2,fma"))) inline __m512 logf16(__m512 x) {
  const __m512i xi = _mm512_castps_si512(x);
  const __mmask16 special = _mm512_cmpgt_epi32_mask(_mm512_set1_epi32(0x01000000),
                                                    _mm512_add_epi32(xi, _mm512_set1_epi32(0x00800000)));
  const __m512i t = _mm512_sub_epi32(xi, _mm512_set1_epi32(0x3f2aaaab));
  const __m512i m = _mm512_add_epi32(_mm512_and_si512(t, _mm512_set1_epi32(0x007fffff)), _mm512_set1_epi32(0x3f2aaaab));
  const __m512 e = _mm512_mul_ps(to_float16(_mm512_maskz_srai_epi32(0xFFFF, t, 23)), f32x16(0x3f317218));
  const __m512 r = _mm512_sub_ps(_mm512_castsi512_ps(m), f32x16(0x3f800000));
  __m512 p = _mm512_mul_ps(f32x16(0xbe1b6a22), r);
  p = _mm512_mul_ps(_mm512_add_ps(p, f32x16(0x3e2db86b)), r);
  p = _mm512_mul_ps(_mm512_add_ps(p, f32x16(0xbe289358)), r);
  p = _mm512_mul_ps(_mm512_add_ps(p, f32x16(0x3e4afb81)), r);
  p = _mm512_mul_ps(_mm512_add_ps(p, f32x16(0xbe80061d)), r);
  p = _mm512_mul_ps(_mm512_add_ps(p, f32x16(0x3eaaaee7)), r);
  p = _mm512_mul_ps(_mm512_add_ps(p, f32x16(0xbf000000)), r);
  p = _mm512_mul_ps(p, r);
  const __m512 y = _mm512_add_ps(_mm512_add_ps(r, p), e);
  if (special) [[unlikely]]
    return by_quarters(x, _ZGVbN4v_logf);
  return y;
}

__attribute__((target("avx512f,avx2,fma"))) inline __m512 cosf16(__m512 x) {
  const __m512 shifter = f32x16(0x4b400000);
  const __m512 n1 = _mm512_add_ps(_mm512_mul_ps(_mm512_add_ps(f32x16(0x3fc90fdb), x), f32x16(0x3ea2f983)), shifter);
  const __m512i sign = _mm512_maskz_slli_epi32(0xFFFF, _mm512_castps_si512(n1), 31);
  const __m512 n = _mm512_sub_ps(_mm512_sub_ps(n1, shifter), f32x16(0x3f000000));
  const __m512 magnitude = _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(0x7fffffff)));
  const __mmask16 special = _mm512_cmp_ps_mask(magnitude, f32x16(0x461c4000), _CMP_NLE_UQ);
  __m512 r = _mm512_sub_ps(x, _mm512_mul_ps(f32x16(0x40490000), n));
  r = _mm512_sub_ps(r, _mm512_mul_ps(f32x16(0x3a7da000), n));
  r = _mm512_sub_ps(r, _mm512_mul_ps(f32x16(0x34222000), n));
  r = _mm512_sub_ps(r, _mm512_mul_ps(n, f32x16(0x2cb4611a)));
  const __m512 r2 = _mm512_mul_ps(r, r);
  r = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(r), sign));
  __m512 p = _mm512_mul_ps(f32x16(0x362edef8), r2);
  p = _mm512_mul_ps(_mm512_add_ps(p, f32x16(0xb94fb7ff)), r2);
  p = _mm512_mul_ps(_mm512_add_ps(p, f32x16(0x3c08876a)), r2);
  p = _mm512_add_ps(p, f32x16(0xbe2aaaa6));
  const __m512 y = _mm512_add_ps(r, _mm512_mul_ps(_mm512_mul_ps(r2, p), r));
  if (special) [[unlikely]]
    return by_quarters(x, _ZGVbN4v_cosf);
  return y;
}

__attribute__((target("avx512f,avx2,fma"))) inline __m512 unit24_16(__m512i w) {
  return _mm512_mul_ps(_mm512_add_ps(to_float16(_mm512_maskz_srli_epi32(0xFFFF, w, 8)), f32x16(0x3f000000)),
                       f32x16(0x33800000));
}

__attribute__((target("avx512f,avx2,fma"))) inline __m512 angle16(__m512i w) {
  const __m512 lo = to_float16(_mm512_and_si512(w, _mm512_set1_epi32(0xffff)));
  const __m512 hi = _mm512_mul_ps(to_float16(_mm512_maskz_srli_epi32(0xFFFF, w, 16)), f32x16(0x47800000));
  return _mm512_mul_ps(_mm512_add_ps(lo, hi), f32x16(0x30c90fdb));
}

// sqrt8 on each 8-lane half of v, in registers.
__attribute__((target("avx512f,avx2,fma"))) inline __m512 sqrt_halves(__m512 v) {
  const __m512d d = _mm512_castps_pd(v);
  const __m256 lo = sqrt8(_mm256_castpd_ps(_mm512_maskz_extractf64x4_pd(0xF, d, 0)));
  const __m256 hi = sqrt8(_mm256_castpd_ps(_mm512_maskz_extractf64x4_pd(0xF, d, 1)));
  const __m512d low = _mm512_maskz_insertf64x4(0xFF, _mm512_setzero_pd(), _mm256_castps_pd(lo), 0);
  return _mm512_castpd_ps(_mm512_maskz_insertf64x4(0xFF, low, _mm256_castps_pd(hi), 1));
}

__attribute__((target("avx512f,avx2,fma"))) void income_normals_512(const RandomKey& key, std::uint32_t first,
                                                                    std::size_t n, std::uint32_t month, float* z0,
                                                                    float* z1, float* z2, float* z3) {
  n = (n + income_normals_width - 1) / income_normals_width * income_normals_width;
  const Philox::key_type k = key.key();
  constexpr std::size_t chunk = 256;
  alignas(64) std::uint32_t w[4][chunk];
  const __m512 minus_half_pi = f32x16(0xbfc90fdb), minus_two = f32x16(0xc0000000);
  for (std::size_t base = 0; base < n; base += chunk) {
    const std::size_t m = std::min(chunk, n - base);  // a multiple of income_normals_width (16)
    income_words_512(k, first + static_cast<std::uint32_t>(base), m, month, w);
    for (std::size_t j = 0; j < m; j += 16) {
      const __m512i w0 = _mm512_load_si512(w[0] + j), w1 = _mm512_load_si512(w[1] + j);
      const __m512i w2 = _mm512_load_si512(w[2] + j), w3 = _mm512_load_si512(w[3] + j);
      const __m512 a = sqrt_halves(_mm512_mul_ps(logf16(unit24_16(w0)), minus_two));
      const __m512 b = sqrt_halves(_mm512_mul_ps(logf16(unit24_16(w2)), minus_two));
      const __m512 t1 = angle16(w1), t3 = angle16(w3);
      _mm512_storeu_ps(z0 + base + j, _mm512_mul_ps(cosf16(t1), a));
      _mm512_storeu_ps(z1 + base + j, _mm512_mul_ps(cosf16(_mm512_add_ps(t1, minus_half_pi)), a));
      _mm512_storeu_ps(z2 + base + j, _mm512_mul_ps(cosf16(t3), b));
      _mm512_storeu_ps(z3 + base + j, _mm512_mul_ps(cosf16(_mm512_add_ps(t3, minus_half_pi)), b));
    }
  }
}

// --- income ---------------------------------------------------------------------------------

inline void income_one(const IncomeMonth& a, std::size_t j, float (*exp_fn)(float)) {
  const float wd = a.persistence * a.wage_dev[j] + a.persistent_sd * a.z0[j];
  const float od = a.persistence * a.op_dev[j] + a.persistent_sd * a.z2[j];
  a.wage_dev[j] = wd;
  a.op_dev[j] = od;
  const float sick = a.illness_left[j] > 0 ? a.illness_factor : 1.0f;
  const float employed = a.month < a.job_lost[j] ? 0.0f : 1.0f;
  const float wage = a.base_wage[j] * a.gw * exp_fn(wd + a.pc + a.wage_sd * a.z1[j] + a.wage_correction) * sick *
                     employed * a.wage_factor[j];
  a.wage_month[j] = wage;
  const float operating = a.base_operating[j] * a.go *
                          exp_fn(od + a.pc + a.operating_sd * a.z3[j] + a.operating_correction) *
                          a.operating_factor[j];
  a.operating_year[j] += operating;
  const float fixed = (a.base_transfer[j] + a.base_property[j]) * (1.0f / 12.0f) + a.benefit[j] + a.extra[j];
  a.year_income[j] += wage + operating + fixed;
}

float libm_expf(float x) { return std::exp(x); }

void income_month_baseline(const IncomeMonth& a, std::size_t n) {
  for (std::size_t j = 0; j < n; ++j) income_one(a, j, libm_expf);
}

__attribute__((target("avx2,fma"))) float expf1(float x) {
  alignas(32) float v[8] = {x, 0, 0, 0, 0, 0, 0, 0};
  _mm256_store_ps(v, expf8(_mm256_load_ps(v)));
  return v[0];
}

// The income kernel 8 households at a time; Exp::of is expf8 or, on AVX-512F, expf8_512 (the
// same bits). Inlined into each caller below, which carries the instruction set.
template <typename Exp>
__attribute__((target("avx2,fma"), always_inline)) inline void income_month_lanes(const IncomeMonth& a, std::size_t n) {
  const __m256 persistence = _mm256_set1_ps(a.persistence), persistent_sd = _mm256_set1_ps(a.persistent_sd);
  const __m256 wage_sd = _mm256_set1_ps(a.wage_sd), operating_sd = _mm256_set1_ps(a.operating_sd);
  const __m256 wage_corr = _mm256_set1_ps(a.wage_correction), op_corr = _mm256_set1_ps(a.operating_correction);
  const __m256 gw = _mm256_set1_ps(a.gw), go = _mm256_set1_ps(a.go), pc = _mm256_set1_ps(a.pc);
  const __m256 illness_factor = _mm256_set1_ps(a.illness_factor), one = _mm256_set1_ps(1.0f);
  const __m256 twelfth = _mm256_set1_ps(1.0f / 12.0f);
  const __m256i month = _mm256_set1_epi32(a.month);
  const __m256i zero_i = _mm256_setzero_si256();
  std::size_t j = 0;
  for (; j + 8 <= n; j += 8) {
    const __m256 wd = _mm256_add_ps(_mm256_mul_ps(persistence, _mm256_loadu_ps(a.wage_dev + j)),
                                    _mm256_mul_ps(persistent_sd, _mm256_loadu_ps(a.z0 + j)));
    const __m256 od = _mm256_add_ps(_mm256_mul_ps(persistence, _mm256_loadu_ps(a.op_dev + j)),
                                    _mm256_mul_ps(persistent_sd, _mm256_loadu_ps(a.z2 + j)));
    _mm256_storeu_ps(a.wage_dev + j, wd);
    _mm256_storeu_ps(a.op_dev + j, od);
    std::uint64_t ill8, lost8;
    std::memcpy(&ill8, a.illness_left + j, 8);
    std::memcpy(&lost8, a.job_lost + j, 8);
    const __m256i ill = _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(ill8)));
    const __m256i lost = _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(lost8)));
    const __m256 is_ill = _mm256_castsi256_ps(_mm256_cmpgt_epi32(ill, zero_i));
    const __m256 sick = _mm256_blendv_ps(one, illness_factor, is_ill);
    const __m256 is_lost = _mm256_castsi256_ps(_mm256_cmpgt_epi32(lost, month));  // month < job_lost
    const __m256 employed = _mm256_andnot_ps(is_lost, one);
    const __m256 wage_arg =
        _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(wd, pc), _mm256_mul_ps(wage_sd, _mm256_loadu_ps(a.z1 + j))),
                      wage_corr);
    __m256 wage = _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(a.base_wage + j), gw), Exp::of(wage_arg));
    wage = _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(wage, sick), employed), _mm256_loadu_ps(a.wage_factor + j));
    _mm256_storeu_ps(a.wage_month + j, wage);
    const __m256 op_arg =
        _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(od, pc), _mm256_mul_ps(operating_sd, _mm256_loadu_ps(a.z3 + j))),
                      op_corr);
    __m256 operating = _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(a.base_operating + j), go), Exp::of(op_arg));
    operating = _mm256_mul_ps(operating, _mm256_loadu_ps(a.operating_factor + j));
    _mm256_storeu_ps(a.operating_year + j, _mm256_add_ps(_mm256_loadu_ps(a.operating_year + j), operating));
    const __m256 fixed = _mm256_add_ps(
        _mm256_add_ps(_mm256_mul_ps(_mm256_add_ps(_mm256_loadu_ps(a.base_transfer + j), _mm256_loadu_ps(a.base_property + j)),
                                    twelfth),
                      _mm256_loadu_ps(a.benefit + j)),
        _mm256_loadu_ps(a.extra + j));
    _mm256_storeu_ps(a.year_income + j,
                     _mm256_add_ps(_mm256_loadu_ps(a.year_income + j), _mm256_add_ps(_mm256_add_ps(wage, operating), fixed)));
  }
  for (; j < n; ++j) income_one(a, j, expf1);
}

__attribute__((target("avx2,fma"))) void income_month_wide(const IncomeMonth& a, std::size_t n) {
  income_month_lanes<Expf8>(a, n);
}

__attribute__((target("avx512f,avx2,fma"))) void income_month_512(const IncomeMonth& a, std::size_t n) {
  income_month_lanes<Expf8Avx512>(a, n);
}

// --- survey factors ---------------------------------------------------------------------------

inline double survey_factor_exact(double sd, std::uint32_t w0, std::uint32_t w1) {
  return survey_factor(sd, to_normal(w0, w1));
}

void survey_factors_baseline(double sd, const std::uint32_t* w0, const std::uint32_t* w1, std::size_t n, double* f) {
  for (std::size_t j = 0; j < n; ++j) f[j] = survey_factor_exact(sd, w0[j], w1[j]);
}

// glibc's libmvec, 4 doubles at a time (AVX2): a few ulp from the correctly rounded value.
// Declared with the AVX2 target, as clang requires of a function passing __m256d by value.
extern "C" __attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_log(__m256d);
extern "C" __attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_cos(__m256d);
extern "C" __attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_exp(__m256d);

// Standard normals by Box-Muller, exact (baseline) or with libmvec (wide, 4 at a time; the
// tail exact): the survey factors' and population synthesis's.
void normals_baseline(const std::uint32_t* w0, const std::uint32_t* w1, std::size_t n, double* z) {
  for (std::size_t j = 0; j < n; ++j) z[j] = to_normal(w0[j], w1[j]);
}

__attribute__((target("avx2,fma"))) void normals_wide(const std::uint32_t* w0, const std::uint32_t* w1, std::size_t n,
                                                      double* z) {
  constexpr double two_pi = 6.283185307179586476925286766559;
  const __m256d minus_two = _mm256_set1_pd(-2.0);
  std::size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    alignas(32) double u[4], angle[4];
    for (int l = 0; l < 4; ++l) {
      u[l] = to_unit(w0[j + l]);
      angle[l] = two_pi * to_unit(w1[j + l]);
    }
    const __m256d r = _mm256_sqrt_pd(_mm256_mul_pd(minus_two, _ZGVdN4v_log(_mm256_load_pd(u))));
    _mm256_storeu_pd(z + j, _mm256_mul_pd(r, _ZGVdN4v_cos(_mm256_load_pd(angle))));
  }
  for (; j < n; ++j) z[j] = to_normal(w0[j], w1[j]);
}

__attribute__((target("avx2,fma"))) void survey_factors_wide(double sd, const std::uint32_t* w0,
                                                             const std::uint32_t* w1, std::size_t n, double* f) {
  normals_wide(w0, w1, n, f);  // the normals first, in f
  const __m256d sdv = _mm256_set1_pd(sd), half_var = _mm256_set1_pd(0.5 * sd * sd);
  std::size_t j = 0;
  for (; j + 4 <= n; j += 4)
    _mm256_storeu_pd(f + j, _ZGVdN4v_exp(_mm256_sub_pd(_mm256_mul_pd(sdv, _mm256_loadu_pd(f + j)), half_var)));
  for (; j < n; ++j) f[j] = survey_factor(sd, f[j]);  // the tail exactly, as its normals are
}

// --- the rejections' normals and exponentials (population synthesis) ---------------------------

// Words 0 and 1 of draws first_index .. first_index + 7 of one entity, then their normals.
__attribute__((target("avx2,fma"))) void index_normals_wide(const Philox::key_type& k, std::uint32_t entity,
                                                            std::uint32_t stream, std::uint32_t period,
                                                            std::uint32_t first_index, std::size_t n, double* z) {
  const __m256i index = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(first_index)),
                                         _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  const Words8 r = philox8(k, _mm256_set1_epi32(static_cast<int>(entity)), stream, period, index);
  alignas(32) std::uint32_t w0[8], w1[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(w0), r.v[0]);
  _mm256_store_si256(reinterpret_cast<__m256i*>(w1), r.v[1]);
  normals_wide(w0, w1, n, z);
}

void exponentials_baseline(const double* x, std::size_t n, double* y) {
  for (std::size_t j = 0; j < n; ++j) y[j] = std::exp(x[j]);
}

__attribute__((target("avx2,fma"))) void exponentials_wide(const double* x, std::size_t n, double* y) {
  std::size_t j = 0;
  for (; j + 4 <= n; j += 4) _mm256_storeu_pd(y + j, _ZGVdN4v_exp(_mm256_loadu_pd(x + j)));
  for (; j < n; ++j) y[j] = std::exp(x[j]);
}

}  // namespace

void approximate_normals(const std::uint32_t* w0, const std::uint32_t* w1, std::size_t n, double* z) {
  if (wide) normals_wide(w0, w1, n, z);
  else normals_baseline(w0, w1, n, z);
}

void approximate_exponentials(const double* x, std::size_t n, double* y) {
  if (wide) exponentials_wide(x, n, y);
  else exponentials_baseline(x, n, y);
}

void approximate_index_normals(const RandomKey& key, std::uint32_t entity, Stream stream, std::uint32_t period,
                               std::uint32_t first_index, std::size_t n, double* z) {
  if (n > 8) throw std::logic_error("approximate_index_normals: at most 8 draws");
  if (wide) index_normals_wide(key.key(), entity, static_cast<std::uint32_t>(stream), period, first_index, n, z);
  else
    for (std::size_t j = 0; j < n; ++j) {
      const Draw4 d = draw(key, entity, stream, period, first_index + static_cast<std::uint32_t>(j));
      z[j] = to_normal(d.v[0], d.v[1]);
    }
}

void block_words(const RandomKey& key, std::uint32_t first, std::size_t n, Stream stream, std::uint32_t period,
                 std::uint32_t* w0, std::uint32_t* w1) {
  if (avx512) block_words_512(key.key(), first, n, static_cast<std::uint32_t>(stream), period, w0, w1);
  else if (wide) block_words_wide(key.key(), first, n, static_cast<std::uint32_t>(stream), period, w0, w1);
  else block_words_baseline(key.key(), first, n, static_cast<std::uint32_t>(stream), period, w0, w1);
}

void block_draws(const RandomKey& key, std::uint32_t first, std::size_t n, Stream stream, std::uint32_t period,
                 std::uint32_t* const w[4]) {
  if (avx512) block_draws_512(key.key(), first, n, static_cast<std::uint32_t>(stream), period, w);
  else if (wide) block_draws_wide(key.key(), first, n, static_cast<std::uint32_t>(stream), period, w);
  else block_draws_baseline(key.key(), first, n, static_cast<std::uint32_t>(stream), period, w);
}

void listed_words(const RandomKey& key, std::uint32_t first, const std::uint8_t* at, std::size_t count, Stream stream,
                  std::uint32_t period, std::uint32_t* w0, std::uint32_t* w1) {
  if (avx512) listed_words_512(key.key(), first, at, count, static_cast<std::uint32_t>(stream), period, w0, w1);
  else if (wide) listed_words_wide(key.key(), first, at, count, static_cast<std::uint32_t>(stream), period, w0, w1);
  else listed_words_baseline(key.key(), first, at, count, static_cast<std::uint32_t>(stream), period, w0, w1);
}

void income_normals(const RandomKey& key, std::uint32_t first, std::size_t n, std::uint32_t month, float* z0,
                    float* z1, float* z2, float* z3) {
  if (avx512) income_normals_512(key, first, n, month, z0, z1, z2, z3);
  else if (wide) income_normals_wide(key, first, n, month, z0, z1, z2, z3);
  else income_normals_baseline(key, first, n, month, z0, z1, z2, z3);
}

void income_month(const IncomeMonth& a, std::size_t n) {
  if (avx512) income_month_512(a, n);
  else if (wide) income_month_wide(a, n);
  else income_month_baseline(a, n);
}

bool survey_factors(double sd, const std::uint32_t* w0, const std::uint32_t* w1, std::size_t n, double* f) {
  if (!(sd > 0)) {
    std::fill_n(f, n, 1.0);
    return true;
  }
  if (wide) {
    survey_factors_wide(sd, w0, w1, n, f);
    return false;
  }
  survey_factors_baseline(sd, w0, w1, n, f);
  return true;
}

void entity_words(const RandomKey& key, const std::uint32_t* entity, const std::uint32_t* index, std::size_t n,
                  Stream stream, std::uint32_t period, std::uint32_t* out) {
  const auto st = static_cast<std::uint32_t>(stream);
  if (avx512) entity_words_512(key.key(), entity, index, n, st, period, out);
  else if (wide) entity_words_wide(key.key(), entity, index, n, st, period, out);
  else entity_words_baseline(key.key(), entity, index, n, st, period, out);
}

const char* month_kernel_level() {
  return avx512 ? "x86-64-v3 (AVX2, FMA) with AVX-512F"
         : wide    ? "x86-64-v3 (AVX2, FMA)"
                   : "x86-64 (baseline)";
}

void use_wide_month_kernels(bool w, bool w512) {
  wide = w && cpu_wide;
  avx512 = wide && w512 && cpu_512;
}

}  // namespace tuopin
