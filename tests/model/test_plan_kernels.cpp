// The plan phase's vectorised random words (model/plan_kernels.h): the wide (AVX2) version gives
// word 0 of the scalar draw, as the baseline does, for any count (the tail included).
#include <doctest/doctest.h>

#include <vector>

#include "plan_kernels.h"
#include "random.h"

using namespace tuopin;

namespace {

struct Restore {
  ~Restore() { use_wide_plan_kernels(true); }
};

}  // namespace

TEST_CASE("listed first words are word 0 of each listed draw, on either kernel") {
  Restore restore;
  const RandomKey key{20160101, 4};
  for (bool wide : {false, true}) {
    use_wide_plan_kernels(wide);
    INFO(plan_kernel_level());
    for (std::size_t n : {0u, 1u, 7u, 8u, 9u, 31u, 256u}) {
      std::vector<std::uint32_t> entity(n), index(n), with_index(n), without_index(n);
      for (std::size_t j = 0; j < n; ++j) {
        entity[j] = static_cast<std::uint32_t>(j * 7919u + (j % 3 ? 0u : 0xFFFF0000u));
        index[j] = static_cast<std::uint32_t>(j % 13);
      }
      listed_first_words(key, entity.data(), index.data(), n, Stream::allocation, 2, with_index.data());
      listed_first_words(key, entity.data(), nullptr, n, Stream::targeting, 1, without_index.data());
      for (std::size_t j = 0; j < n; ++j) {
        CHECK(with_index[j] == draw(key, entity[j], Stream::allocation, 2, index[j]).v[0]);
        CHECK(without_index[j] == draw(key, entity[j], Stream::targeting, 1).v[0]);
      }
    }
  }
}
