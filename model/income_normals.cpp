// The one vectorised kernel of the run loop: Philox words to normals (Box-Muller).
// Compiled with -ffast-math (model/CMakeLists.txt) so that log, sqrt and cos vectorise; the
// second variate of each pair is cos(theta - pi/2) rather than sin(theta), which lets GCC
// vectorise instead of fusing into a scalar sincos. Fast math changes the last bits of a
// normal, never which household or counter it belongs to: results stay identical for any
// number of threads.
#include <cmath>

#include "income_process.h"

namespace tuopin {

void income_normals_baseline(const RandomKey& key, std::uint32_t first, std::size_t n, std::uint32_t month,
                    float* z0_out, float* z1_out, float* z2_out, float* z3_out) {
  // Whole vectors only: n is rounded up to income_normals_width, so no household goes through
  // a scalar remainder loop (whose math differs in the last bits from the vector one).
  n = (n + income_normals_width - 1) / income_normals_width * income_normals_width;
  float* __restrict z0 = static_cast<float*>(__builtin_assume_aligned(z0_out, 64));
  float* __restrict z1 = static_cast<float*>(__builtin_assume_aligned(z1_out, 64));
  float* __restrict z2 = static_cast<float*>(__builtin_assume_aligned(z2_out, 64));
  float* __restrict z3 = static_cast<float*>(__builtin_assume_aligned(z3_out, 64));
  constexpr float two_pi = 6.283185307179586f;
  constexpr float half_pi = 1.5707963267948966f;
  constexpr float scale = 0x1p-32f;
  const Philox::key_type k = key.key();
  for (std::size_t i = 0; i < n; ++i) {
    Philox rng;
    const Philox::ctr_type c = {{first + static_cast<std::uint32_t>(i),
                                 static_cast<std::uint32_t>(Stream::income), month, 0u}};
    const Philox::ctr_type r = rng(c, k);
    const float u0 = (static_cast<float>(r.v[0] >> 8) + 0.5f) * 0x1p-24f;
    const float u2 = (static_cast<float>(r.v[2] >> 8) + 0.5f) * 0x1p-24f;
    const float t1 = two_pi * (static_cast<float>(r.v[1]) * scale);
    const float t3 = two_pi * (static_cast<float>(r.v[3]) * scale);
    const float a = std::sqrt(-2.0f * std::log(u0));
    const float b = std::sqrt(-2.0f * std::log(u2));
    z0[i] = a * std::cos(t1);
    z1[i] = a * std::cos(t1 - half_pi);
    z2[i] = b * std::cos(t3);
    z3[i] = b * std::cos(t3 - half_pi);
  }
}

}  // namespace tuopin
