#pragma once
// Shared by the sweep tests: dimensions and design settings written in one line, and the
// Ishigami function with its Sobol indices in closed form.
#include <cmath>
#include <cstdint>
#include <numbers>

#include "sweep_design.h"

namespace tuopin::test {

inline SweepDimension uniform(const char* name, double low, double high, int levels = 0) {
  SweepDimension d;
  d.name = name;
  d.scale = SweepScale::uniform;
  d.low = low;
  d.high = high;
  d.levels = levels;
  return d;
}

inline SweepDimension listed(const char* name, std::size_t count) {
  SweepDimension d;
  d.name = name;
  d.scale = SweepScale::values;
  d.value_count = count;
  return d;
}

inline DesignSettings settings_for(DesignKind kind, std::size_t samples, std::uint32_t seed = 0, int morris_levels = 4) {
  DesignSettings s;
  s.kind = kind;
  s.samples = samples;
  s.seed = seed;
  s.morris_levels = morris_levels;
  return s;
}

// Ishigami and Homma (1990) with a = 7, b = 0.1 on [-pi, pi]^3, and its indices in closed form:
// V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = 8 b^2 pi^8 / 225, V = V1 + V2 + V13.
inline constexpr double ishigami_a = 7, ishigami_b = 0.1;
inline double ishigami(double x1, double x2, double x3) {
  const double s2 = std::sin(x2);
  return std::sin(x1) + ishigami_a * s2 * s2 + ishigami_b * std::pow(x3, 4) * std::sin(x1);
}
struct IshigamiIndices {
  double first[3], total[3], variance;
};
inline IshigamiIndices ishigami_indices() {
  const double pi = std::numbers::pi;
  const double v1 = 0.5 * std::pow(1 + ishigami_b * std::pow(pi, 4) / 5, 2);
  const double v2 = ishigami_a * ishigami_a / 8;
  const double v13 = 8 * ishigami_b * ishigami_b * std::pow(pi, 8) / 225;
  const double v = v1 + v2 + v13;
  return {{v1 / v, v2 / v, 0}, {(v1 + v13) / v, v2 / v, v13 / v}, v};
}

}  // namespace tuopin::test
