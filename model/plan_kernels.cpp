// Vectorised random words of the plan phase (plan_kernels.h).
#include "plan_kernels.h"

#include <immintrin.h>

namespace tuopin {

namespace {

void listed_first_words_baseline(const Philox::key_type k, const std::uint32_t* entity, const std::uint32_t* index,
                                 std::size_t n, std::uint32_t stream, std::uint32_t period, std::uint32_t* out) {
  for (std::size_t j = 0; j < n; ++j) {
    Philox rng;
    const Philox::ctr_type c = {{entity[j], stream, period, index ? index[j] : 0u}};
    out[j] = rng(c, k).v[0];
  }
}

// Random123's philox4x32 (10 rounds) on eight counters {c0, c1, c2, c3}: the 32x32-bit products
// take two vpmuludq per multiplier (even and odd lanes). Returns word 0.
__attribute__((target("avx2"))) inline void mulhilo8(__m256i x, __m256i m, __m256i& lo, __m256i& hi) {
  const __m256i even = _mm256_mul_epu32(x, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

__attribute__((target("avx2"))) inline __m256i philox8_word0(const Philox::key_type& k, __m256i c0, __m256i c1,
                                                             __m256i c2, __m256i c3) {
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(0xD2511F53u));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(0xCD9E8D57u));
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
  return c0;
}

__attribute__((target("avx2"))) void listed_first_words_wide(const Philox::key_type k, const std::uint32_t* entity,
                                                             const std::uint32_t* index, std::size_t n,
                                                             std::uint32_t stream, std::uint32_t period,
                                                             std::uint32_t* out) {
  const __m256i c1 = _mm256_set1_epi32(static_cast<int>(stream));
  const __m256i c2 = _mm256_set1_epi32(static_cast<int>(period));
  std::size_t j = 0;
  for (; j + 8 <= n; j += 8) {
    const __m256i c0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(entity + j));
    const __m256i c3 = index ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(index + j)) : _mm256_setzero_si256();
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j), philox8_word0(k, c0, c1, c2, c3));
  }
  if (j < n) listed_first_words_baseline(k, entity + j, index ? index + j : nullptr, n - j, stream, period, out + j);
}

bool detect_wide() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}
const bool cpu_wide = detect_wide();
bool wide = cpu_wide;

}  // namespace

void listed_first_words(const RandomKey& key, const std::uint32_t* entity, const std::uint32_t* index, std::size_t n,
                        Stream stream, std::uint32_t period, std::uint32_t* out) {
  if (wide) listed_first_words_wide(key.key(), entity, index, n, static_cast<std::uint32_t>(stream), period, out);
  else listed_first_words_baseline(key.key(), entity, index, n, static_cast<std::uint32_t>(stream), period, out);
}

const char* plan_kernel_level() { return wide ? "x86-64-v3 (AVX2)" : "x86-64 (baseline)"; }

void use_wide_plan_kernels(bool w) { wide = w && cpu_wide; }

}  // namespace tuopin
