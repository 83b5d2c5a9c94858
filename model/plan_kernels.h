#pragma once
// Vectorised random words of the plan phase (simulation.cpp's plan block): the targeting draw
// of every household of a block and the pools' tie-break draw of every candidate. Like the
// month kernels (month_kernels.h), a baseline x86-64 version and, on a processor with AVX2, a
// version computing eight Philox4x32-10 counters at a time, chosen at run time; both give the
// words of `draw` bit for bit (tests/model/test_plan_kernels.cpp), so results do not depend on
// which one runs.
#include <cstddef>
#include <cstdint>

#include "random.h"

namespace tuopin {

// Word 0 of listed draws:
//   out[j] = draw(key, entity[j], stream, period, index[j]).v[0]   for j < n
// (index null: draw index 0).
void listed_first_words(const RandomKey& key, const std::uint32_t* entity, const std::uint32_t* index, std::size_t n,
                        Stream stream, std::uint32_t period, std::uint32_t* out);

// Which version runs on this processor: "x86-64-v3 (AVX2)" or "x86-64 (baseline)".
const char* plan_kernel_level();
// For the tests: force the baseline version (false) or the detected one (true).
void use_wide_plan_kernels(bool wide);

}  // namespace tuopin
