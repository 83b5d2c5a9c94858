// The households of each village (measure.h), built in parallel: on many threads a serial pass
// over every household at the start of a run held the whole run back.
#include <algorithm>

#include <tbb/parallel_for.h>

#include "measure.h"

namespace tuopin {

// A counting sort in G chunks of consecutive households: each chunk counts its households per
// village, the offsets are laid out village by village and, within a village, chunk by chunk,
// and each chunk then places its households in id order. So every village's ids are ascending,
// as a serial pass would leave them, whatever the number of threads. G is at most 64 and small
// enough that the (chunk, village) table holds at most a quarter as many entries as households.
void VillageIndex::build(const std::vector<std::uint32_t>& village_of, std::size_t villages) {
  const std::size_t n = village_of.size(), V = villages;
  const std::size_t G = std::clamp<std::size_t>(n / (4 * std::max<std::size_t>(V, 1)), 1, 64);
  const std::size_t chunk = (n + G - 1) / G;
  std::vector<std::uint32_t> offset(G * V, 0);  // [g * V + v]: counts, then the chunk's next position
  tbb::parallel_for(std::size_t{0}, G, [&](std::size_t g) {
    std::uint32_t* count = offset.data() + g * V;
    for (std::size_t i = g * chunk; i < std::min(n, (g + 1) * chunk); ++i) ++count[village_of[i]];
  });
  first.assign(V + 1, 0);
  std::uint32_t at = 0;
  for (std::size_t v = 0; v < V; ++v) {
    first[v] = at;
    for (std::size_t g = 0; g < G; ++g) {
      const std::uint32_t count = offset[g * V + v];
      offset[g * V + v] = at;
      at += count;
    }
  }
  first[V] = at;
  ids.resize(n);
  tbb::parallel_for(std::size_t{0}, G, [&](std::size_t g) {
    std::uint32_t* next = offset.data() + g * V;
    for (std::size_t i = g * chunk; i < std::min(n, (g + 1) * chunk); ++i)
      ids[next[village_of[i]]++] = static_cast<std::uint32_t>(i);
  });
}

}  // namespace tuopin
