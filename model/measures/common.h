#pragma once
// Helpers shared by the measure files.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "../amounts.h"
#include "../funding.h"
#include "../parameter_reader.h"
#include "../households.h"
#include "../random.h"
#include "../scenario.h"
#include "measure.h"

namespace tuopin::measure_support {

// Values of YearContext::supported.
inline constexpr std::uint8_t not_supported = 0;
inline constexpr std::uint8_t continuing = 1;  // keeps the measures it has (exited within the support years)
inline constexpr std::uint8_t targeted = 2;    // identified this year: may be enrolled in new measures

// A pool source named by a measure's `source` key, or another key ("entitlement" is not a pool).
inline FundSource read_pool_source(ParameterReader& r, std::string_view section, std::string_view key = "source") {
  std::vector<std::string> names;
  for (int k = 0; k < pool_source_count; ++k) names.emplace_back(fund_source_names[k]);
  return static_cast<FundSource>(r.choice(section, key, names));
}

// Whether household i takes up a measure offered this year (one draw of the measure's stream,
// draw index take_up_draw; none when take_up is 1).
// A household paired with a cadre takes up more (Targeting::paired_take_up_gain).
inline bool takes_up(const YearContext& c, std::size_t i, Stream stream, double take_up) {
  if (c.st.paired[i]) take_up = std::min(1.0, take_up + c.s.targeting.paired_take_up_gain);
  if (take_up >= 1.0) return true;
  return to_unit(draw(c.key, static_cast<std::uint32_t>(i), stream, static_cast<std::uint32_t>(c.year_index),
                      take_up_draw).v[0]) < take_up;
}

inline std::int64_t fen(double yuan) { return round_amount(yuan * 100.0); }

// Mean-one log-normal factor from a uniform pair.
inline double lognormal_factor(double sd, std::uint32_t a, std::uint32_t b) {
  return std::exp(sd * to_normal(a, b) - 0.5 * sd * sd);
}

}  // namespace tuopin::measure_support
