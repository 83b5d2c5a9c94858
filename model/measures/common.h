#pragma once
// Helpers shared by the measure files.
#include <cmath>
#include <cstdint>
#include <string>

#include "../funding.h"
#include "../parameter_reader.h"
#include "../random.h"

namespace tuopin::measure_support {

// Values of YearContext::supported.
inline constexpr std::uint8_t not_supported = 0;
inline constexpr std::uint8_t continuing = 1;  // keeps the measures it has (exited within the support years)
inline constexpr std::uint8_t targeted = 2;    // identified this year: may be enrolled in new measures

// A pool source named by a measure's `source` key ("entitlement" is not a pool).
inline FundSource read_pool_source(ParameterReader& r, std::string_view section) {
  std::vector<std::string> names;
  for (int k = 0; k < pool_source_count; ++k) names.emplace_back(fund_source_names[k]);
  return static_cast<FundSource>(r.choice(section, "source", names));
}

inline std::int64_t fen(double yuan) { return std::llround(yuan * 100.0); }

// Mean-one log-normal factor from a uniform pair.
inline double lognormal_factor(double sd, std::uint32_t a, std::uint32_t b) {
  return std::exp(sd * to_normal(a, b) - 0.5 * sd * sd);
}

}  // namespace tuopin::measure_support
