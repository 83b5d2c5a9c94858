#pragma once
// Monthly income by source. Wage and operating income each follow
//
//   income_month = base / 12 * growth^(t/12) * exp(d_t + e_t - sd_e^2 / 2)
//   d_t = persistence * d_{t-1} + persistent_sd * z_t      (persistent log deviation)
//   e_t = transitory_sd * z'_t                              (transitory log deviation)
//
//   (the exponent also carries -var(d_t)/2, so both deviations are mean-corrected)
// with z, z' standard normals from the household's `income` stream and d_0 = 0 (the
// population's expected income is the income when last assessed). Expected income is therefore
// base x growth. Transfers and property income are constant; 低保 and 五保 benefits are paid
// per member.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "households.h"
#include "random.h"
#include "scenario.h"

namespace tuopin {

struct IncomeProcess {
  float persistence, persistent_sd;
  float wage_sd, operating_sd;
  float wage_correction, operating_correction;  // -sd^2/2
  std::vector<float> wage_growth;               // growth factor per month index of the window
  std::vector<float> operating_growth;
  // -var(d_t)/2 per month index: the persistent deviation starts at 0 and its variance grows
  // towards persistent_sd^2 / (1 - persistence^2); this keeps expected income on its growth path.
  std::vector<float> persistent_correction;
  float dibao_monthly, wubao_monthly;            // per member

  explicit IncomeProcess(const Scenario& s);

  // Transfers, property income and social-assistance benefits of one month.
  float fixed_monthly(float base_transfer, float base_property, std::uint8_t flags,
                      std::uint8_t size) const {
    float benefit = 0;
    if (flags & household_flag::wubao) benefit = wubao_monthly;
    else if (flags & household_flag::dibao) benefit = dibao_monthly;
    return (base_transfer + base_property) * (1.0f / 12.0f) + benefit * static_cast<float>(size);
  }
};

// Four standard normals per household for month `month` of the window: for households
// first..first+n-1, z[0..3][i] (wage persistent, wage transitory, operating persistent,
// operating transitory). Vectorised; bit-identical for a household whatever block it is in.
// The arrays must be 64-byte aligned and hold n rounded up to income_normals_width entries
// (the extra entries are computed for the following household ids and are scratch).
inline constexpr std::size_t income_normals_width = 16;
// Dispatches (month_kernels.cpp) to income_normals_baseline (income_normals.cpp, SSE with
// libmvec) or, on x86-64-v3, to an AVX2 version that gives the same bits.
void income_normals(const RandomKey& key, std::uint32_t first, std::size_t n, std::uint32_t month,
                    float* z0, float* z1, float* z2, float* z3);
void income_normals_baseline(const RandomKey& key, std::uint32_t first, std::size_t n, std::uint32_t month,
                             float* z0, float* z1, float* z2, float* z3);

}  // namespace tuopin
