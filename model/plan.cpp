#include "plan.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <numeric>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

namespace tuopin {

PoolBook::PoolBook(int counties)
    : counties_(counties),
      available_(static_cast<std::size_t>(counties) * pool_source_count, 0),
      spent_(available_.size(), 0), carry_(available_.size(), 0) {}

void PoolBook::reset() {
  std::fill(available_.begin(), available_.end(), 0);
  std::fill(spent_.begin(), spent_.end(), 0);
  std::fill(carry_.begin(), carry_.end(), 0);
}

void PoolBook::open_year(const Funding& f, int t, const std::vector<double>& factor_share) {
  for (int c = 0; c < counties_; ++c)
    for (int s = 0; s < pool_source_count; ++s) {
      const auto src = static_cast<FundSource>(s);
      available_[at(c, src)] = f.fresh_fen(src, c, t, factor_share[c]) + carry_[at(c, src)];
      spent_[at(c, src)] = 0;
    }
}

void PoolBook::close_year(bool rollover) {
  for (std::size_t k = 0; k < carry_.size(); ++k) carry_[k] = rollover ? available_[k] - spent_[k] : 0;
}

bool PoolBook::try_spend(int county, FundSource s, std::int64_t fen) {
  if (static_cast<int>(s) >= pool_source_count) throw std::logic_error("entitlements are not a pool");
  const std::size_t k = at(county, s);
  if (fen < 0 || available_[k] - spent_[k] < fen) return false;
  spent_[k] += fen;
  return true;
}

double candidate_priority(const Candidate& c, PriorityRule rule, bool uniform) {
  if (uniform) return 0.0;
  switch (rule) {
    case PriorityRule::gap: return c.gap;
    case PriorityRule::exits_per_yuan: {
      // Expected exits per yuan: the chance the gain closes the gap, per yuan of cost.
      const double p = c.gap <= 0 ? 1.0 : std::min(1.0, static_cast<double>(c.gain) / c.gap);
      return p / std::max<double>(1.0, static_cast<double>(c.cost_fen) / 100.0);
    }
    case PriorityRule::cause_first: return (c.cause_match ? 1e9 : 0.0) + c.gap;
  }
  return 0.0;
}

namespace {

// A candidate's place in its pool's order. Each pool holds its candidates in `at` order (the
// position in the block-ordered input, where a household's requests follow the registry's
// order), so a candidate's index in its pool stands for `at`: it separates a household's
// requests to two measures of one pool with equal draws, and the order is strict and total.
// The tier is compared first: each pool's keys are grouped by tier and every tier sorted alone.
//
// `order` is the priority mapped to an unsigned integer that sorts descending priorities first
// (IEEE-754 bits made monotone). Two layouts of the same order:
// * ShortKey, where the priority is a float (the gap) or constant (uniform): 32 bits of order,
//   the draw, the household and the index, compared as two 64-bit words;
// * LongKey, for a priority computed in double: 64 bits of order, then (draw, household), then
//   the index.
struct ShortKey {
  std::uint64_t hi;  // order << 32 | tie-break draw
  std::uint64_t lo;  // household << 32 | index in the pool
  std::uint32_t index() const { return static_cast<std::uint32_t>(lo); }
  friend bool operator<(const ShortKey& a, const ShortKey& b) { return a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo; }
};

struct LongKey {
  std::uint64_t order;
  std::uint64_t tie;  // tie-break draw << 32 | household
  std::uint32_t at;   // index in the pool
  std::uint32_t index() const { return at; }
  friend bool operator<(const LongKey& a, const LongKey& b) {
    if (a.order != b.order) return a.order < b.order;
    if (a.tie != b.tie) return a.tie < b.tie;
    return a.at < b.at;
  }
};

// Monotone map of a float or double to an unsigned integer of its width (negatives reversed),
// then inverted so that a larger priority gives a smaller key. For every float that is not a
// NaN, descending(f) < descending(g) exactly when descending(double(f)) < descending(double(g))
// (widening is exact and monotone), so the short keys (float) sort as the long keys (double).
template <typename Real>
auto descending(Real priority) {
  using Bits = std::conditional_t<sizeof(Real) == 8, std::uint64_t, std::uint32_t>;
  static_assert(sizeof(Bits) == sizeof(Real));
  Bits bits;
  std::memcpy(&bits, &priority, sizeof bits);
  constexpr Bits sign = Bits{1} << (8 * sizeof(Bits) - 1);
  const Bits monotone = (bits & sign) ? static_cast<Bits>(~bits) : static_cast<Bits>(bits | sign);
  return static_cast<Bits>(~monotone);
}

ShortKey short_key(const Candidate& c, bool constant, std::uint32_t index) {
  const std::uint32_t order = constant ? descending(0.0f) : descending(c.gap);
  return {static_cast<std::uint64_t>(order) << 32 | c.tiebreak, static_cast<std::uint64_t>(c.household) << 32 | index};
}

LongKey long_key(const Candidate& c, PriorityRule rule, bool uniform, std::uint32_t index) {
  return {descending(candidate_priority(c, rule, uniform)), static_cast<std::uint64_t>(c.tiebreak) << 32 | c.household,
          index};
}

// What the walk of a pool reads of a candidate, stored in the pool's own order (index), so that
// the walk does not chase candidates across every block's list.
struct Request {
  std::int64_t cost_fen;
  std::uint32_t limit_key;
  std::uint16_t limit;
  std::uint8_t measure;
  std::uint8_t tier;
};
static_assert(sizeof(Request) == 16);

// The caps of a pool's requests: each (measure, limit_key) with a limit is a group, numbered in
// order of first appearance through a small open-addressing table. A group's requests are all
// skipped once its count reaches the largest limit among them, so a pool whose remaining
// requests all belong to such groups can fund nothing more.
class CapGroups {
 public:
  std::uint32_t group_of(const Request& c) {
    const std::uint64_t key = static_cast<std::uint64_t>(c.measure) << 32 | c.limit_key;
    if (2 * (used_.size() + 1) > slots_.size()) grow();
    std::size_t h = slot(key);
    while (slots_[h].key != empty) {
      if (slots_[h].key == key) return slots_[h].group;
      h = (h + 1) & (slots_.size() - 1);
    }
    const auto g = static_cast<std::uint32_t>(used_.size());
    slots_[h] = {key, g};
    used_.push_back(0);
    largest_.push_back(0);
    unvisited_.push_back(0);
    return g;
  }
  std::vector<int> used_;            // requests funded
  std::vector<int> largest_;         // the largest limit of the group's requests
  std::vector<std::size_t> unvisited_;  // requests not yet walked

 private:
  static constexpr std::uint64_t empty = ~0ull;  // never a key: measure < 256
  struct Slot {
    std::uint64_t key = empty;
    std::uint32_t group = 0;
  };
  std::size_t slot(std::uint64_t key) const { return (key * 0x9E3779B97F4A7C15ull >> 20) & (slots_.size() - 1); }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(16, 2 * old.size()), Slot{});
    for (const Slot& s : old)
      if (s.key != empty) {
        std::size_t h = slot(s.key);
        while (slots_[h].key != empty) h = (h + 1) & (slots_.size() - 1);
        slots_[h] = s;
      }
  }
  std::vector<Slot> slots_;
};

// Sorts a chunk of short keys as operator< does: an LSD radix sort on `hi` (8-bit digits; a
// pass is skipped where every key has the same digit), stable, then each run of keys with equal
// `hi` (the same priority and draw: rare) sorted by `lo`. `buffer` is scratch.
void sort_keys(ShortKey* first, ShortKey* last, std::vector<ShortKey>& buffer) {
  const auto n = static_cast<std::size_t>(last - first);
  if (n < 512) {
    std::sort(first, last);
    return;
  }
  std::size_t count[8][256] = {};
  for (const ShortKey* k = first; k != last; ++k)
    for (int d = 0; d < 8; ++d) ++count[d][(k->hi >> (8 * d)) & 0xFF];
  buffer.resize(n);
  ShortKey* from = first;
  ShortKey* to = buffer.data();
  for (int d = 0; d < 8; ++d) {
    if (count[d][(first->hi >> (8 * d)) & 0xFF] == n) continue;  // one digit for all: order kept
    std::size_t next[256];
    std::size_t sum = 0;
    for (int b = 0; b < 256; ++b) {
      next[b] = sum;
      sum += count[d][b];
    }
    for (const ShortKey* k = from; k != from + n; ++k) to[next[(k->hi >> (8 * d)) & 0xFF]++] = *k;
    std::swap(from, to);
  }
  if (from != first) std::copy(from, from + n, first);
  for (ShortKey* run = first; run != last;) {
    ShortKey* end = run + 1;
    while (end != last && end->hi == run->hi) ++end;
    if (end - run > 1) std::sort(run, end);
    run = end;
  }
}

void sort_keys(LongKey* first, LongKey* last, std::vector<LongKey>&) { std::sort(first, last); }

// Funds one pool from its keys (in index order) and its candidates (by index): the keys are
// grouped by tier, and each tier is walked in sorted chunks: each chunk is the next best
// `chunk` keys (nth_element), sorted, so the walk sees exactly the fully sorted order, but a
// pool that runs dry sorts only what it could fund. A chunk is sized by what the money left
// could buy, and by how many requests the caps still allow.
template <typename Key>
void fund_pool(std::span<Key> keys, const Request* request, const Candidate* const* cand, PoolBook& pools, int county,
               FundSource src, bool skip_unaffordable, std::vector<Candidate>& funded) {
  const std::size_t N = keys.size();
  std::int64_t cheapest = std::numeric_limits<std::int64_t>::max();
  std::array<std::size_t, 257> tier_start{};  // counts, then the first position of each tier
  CapGroups caps;
  std::vector<std::uint32_t> group;  // by index: a capped request's group
  std::size_t unlimited = 0;         // requests without a cap not yet walked
  for (std::size_t i = 0; i < N; ++i) {
    const Request& c = request[i];
    cheapest = std::min(cheapest, c.cost_fen);
    ++tier_start[c.tier + 1];
    if (c.limit > 0) {
      if (group.empty()) group.resize(N);
      const std::uint32_t g = caps.group_of(c);
      group[i] = g;
      caps.largest_[g] = std::max<int>(caps.largest_[g], c.limit);
      ++caps.unvisited_[g];
    } else {
      ++unlimited;
    }
  }
  // `live`: requests not yet walked that a cap does not rule out; `allowed`: how many more the
  // caps allow to be funded, at most (requests without a cap count one each).
  std::size_t live = N, allowed = unlimited;
  for (std::size_t g = 0; g < caps.used_.size(); ++g) allowed += static_cast<std::size_t>(caps.largest_[g]);
  const bool one_tier = *std::max_element(tier_start.begin(), tier_start.end()) == N;
  for (int t = 0; t < 256; ++t) tier_start[t + 1] += tier_start[t];
  if (!one_tier) {
    // Group the keys by tier in place (a cycle of swaps per misplaced key, no copy of the pool):
    // the order within a tier does not matter, since the chunks below are chosen and sorted by
    // the keys' strict total order.
    std::array<std::size_t, 257> next = tier_start;
    for (int t = 0; t < 256; ++t)
      while (next[t] < tier_start[t + 1]) {
        const std::uint8_t kt = request[keys[next[t]].index()].tier;
        if (kt == t) ++next[t];
        else std::swap(keys[next[t]], keys[next[kt]++]);
      }
  }
  std::vector<Key> buffer;
  for (int t = 0; t < 256; ++t) {
    std::size_t done = tier_start[t];
    const std::size_t end = tier_start[t + 1];
    while (done < end) {
      const std::int64_t left = pools.remaining(county, src);
      if ((cheapest > 0 && left < cheapest) || live == 0) return;  // nothing more can be paid
      std::size_t chunk = end - done;
      std::size_t want = allowed;
      if (cheapest > 0) want = std::min<std::size_t>(want, static_cast<std::size_t>(left / cheapest));
      if (want < chunk) chunk = std::min(chunk, std::max<std::size_t>(4096, want + 1024));
      Key* const first = keys.data() + done;
      Key* const last = first + chunk;
      Key* const tier_end = keys.data() + end;
      if (last != tier_end) std::nth_element(first, last, tier_end);
      sort_keys(first, last, buffer);
      for (auto it = first; it != last; ++it) {
        const std::uint32_t i = it->index();
        const Request& c = request[i];
        if (c.limit > 0) {
          const std::uint32_t g = group[i];
          int& n = caps.used_[g];
          const bool was_open = n < caps.largest_[g];
          --caps.unvisited_[g];
          if (was_open) --live;
          if (n >= c.limit) continue;
          if (pools.try_spend(county, src, c.cost_fen)) {
            ++n;
            --allowed;
            if (n >= caps.largest_[g]) live -= caps.unvisited_[g];  // the group is full
            funded.push_back(*cand[i]);
            continue;
          }
        } else {
          --live;
          --unlimited;
          --allowed;
          if (pools.try_spend(county, src, c.cost_fen)) {
            funded.push_back(*cand[i]);
            continue;
          }
        }
        if (!skip_unaffordable) return;
      }
      done += chunk;
    }
  }
}

}  // namespace

struct AllocationWorkspace::Arrays {
  // An array that only grows and is never value-initialised: allocate() writes every entry it
  // reads.
  template <typename T>
  struct Grown {
    std::unique_ptr<T[]> data;
    std::size_t capacity = 0;
    T* at_least(std::size_t n) {
      if (n > capacity) {
        capacity = n + n / 4;  // room for next year's growth
        data.reset(new T[capacity]);
      }
      return data.get();
    }
  };
  Grown<const Candidate*> cand;
  Grown<Request> requests;
  Grown<ShortKey> short_keys;
  Grown<LongKey> long_keys;
  std::vector<std::vector<Candidate>> funded_by_pool;
  std::vector<Candidate> funded;  // only grows: its first entries are the result
};

AllocationWorkspace::AllocationWorkspace() : arrays_(std::make_unique<Arrays>()) {}
AllocationWorkspace::~AllocationWorkspace() = default;
AllocationWorkspace::AllocationWorkspace(AllocationWorkspace&&) noexcept = default;
AllocationWorkspace& AllocationWorkspace::operator=(AllocationWorkspace&&) noexcept = default;

std::span<const Candidate> allocate(std::span<const std::vector<Candidate>> lists, PoolBook& pools,
                                    const Funding& funding, bool uniform,
                                    const std::vector<CountyIndex>& county, AllocationWorkspace& workspace) {
  AllocationWorkspace::Arrays& w = *workspace.arrays_;
  const int C = pools.counties();
  const std::size_t P = static_cast<std::size_t>(C) * pool_source_count;
  auto pool_of = [&](const Candidate& c) {
    return static_cast<std::size_t>(county[c.household]) * pool_source_count + static_cast<std::size_t>(c.source);
  };
  // Candidates grouped by pool with a parallel counting sort over chunks of consecutive lists:
  // count per (chunk, pool), prefix offsets in chunk order, then each chunk scatters its lists'
  // keys, list after list, to its own offsets. The result is the same as one serial pass in list
  // order, so a candidate's index in its pool follows `at`. The chunks (a few per thread, of
  // about equal numbers of candidates) keep the tables small: a list per block of households
  // would make them lists x pools, filled serially. A gap that is a NaN (never in the model)
  // takes the double layout.
  const std::size_t L = lists.size();
  std::vector<std::size_t> before(L + 1, 0);  // candidates in the lists before l
  for (std::size_t l = 0; l < L; ++l) before[l + 1] = before[l] + lists[l].size();
  const std::size_t total = before[L];
  const std::size_t G =
      std::min(L, 4 * static_cast<std::size_t>(std::max(1, tbb::this_task_arena::max_concurrency())));
  std::vector<std::size_t> chunk_first(G + 1, L);  // chunk g holds lists [chunk_first[g], chunk_first[g + 1])
  for (std::size_t g = 0; g < G; ++g)
    chunk_first[g] = static_cast<std::size_t>(std::lower_bound(before.begin(), before.end(), g * total / G) - before.begin());
  std::vector<std::size_t> counts(G * P);  // then offset[g][p]: pool p's candidates in the chunks before g
  std::vector<std::uint8_t> nan_gap(G, 0);
  tbb::parallel_for(std::size_t{0}, G, [&](std::size_t g) {
    std::size_t* count = counts.data() + g * P;
    std::fill(count, count + P, std::size_t{0});
    bool nan = false;
    for (std::size_t l = chunk_first[g]; l < chunk_first[g + 1]; ++l)
      for (const Candidate& c : lists[l]) {
        ++count[pool_of(c)];
        nan |= std::isnan(c.gap);
      }
    nan_gap[g] = nan;
  });
  const bool short_keys =
      uniform || (funding.priority == PriorityRule::gap && std::find(nan_gap.begin(), nan_gap.end(), 1) == nan_gap.end());
  // Counts become offsets in place; sizes[p] ends as the pool's total.
  std::vector<std::size_t> sizes(P, 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, P, 64), [&](const auto& range) {
    for (std::size_t p = range.begin(); p != range.end(); ++p) {
      std::size_t sum = 0;
      for (std::size_t g = 0; g < G; ++g) sum += std::exchange(counts[g * P + p], sum);
      sizes[p] = sum;
    }
  });
  // One array of each kind for every pool, pool p at [pool_start[p], pool_start[p + 1]); every
  // entry is written by the scatter below, so none is initialised first.
  std::vector<std::size_t> pool_start(P + 1, 0);
  for (std::size_t p = 0; p < P; ++p) pool_start[p + 1] = pool_start[p] + sizes[p];
  const Candidate** const cand = w.cand.at_least(total);
  Request* const requests = w.requests.at_least(total);
  ShortKey* const short_keys_of = short_keys ? w.short_keys.at_least(total) : nullptr;
  LongKey* const long_keys_of = short_keys ? nullptr : w.long_keys.at_least(total);
  tbb::parallel_for(std::size_t{0}, G, [&](std::size_t g) {
    std::size_t* next = counts.data() + g * P;  // the chunk's own row of offsets
    for (std::size_t l = chunk_first[g]; l < chunk_first[g + 1]; ++l)
      for (const Candidate& c : lists[l]) {
        const std::size_t p = pool_of(c);
        const auto at = static_cast<std::uint32_t>(next[p]++);
        const std::size_t k = pool_start[p] + at;
        cand[k] = &c;
        requests[k] = {c.cost_fen, c.limit_key, c.limit, c.measure, c.tier};
        if (short_keys) short_keys_of[k] = short_key(c, uniform, at);
        else long_keys_of[k] = long_key(c, funding.priority, uniform, at);
      }
  });
  // The pools are walked largest first, each thread taking the next one left: the largest
  // pools (a county's main sources, a twentieth of all candidates each) then start at once
  // instead of sharing a range of neighbouring pools with another. Each pool's result depends
  // on its own candidates only, whoever walks it.
  std::vector<std::size_t> largest_first(P);
  std::iota(largest_first.begin(), largest_first.end(), std::size_t{0});
  std::stable_sort(largest_first.begin(), largest_first.end(),
                   [&](std::size_t a, std::size_t b) { return sizes[a] > sizes[b]; });
  std::vector<std::vector<Candidate>>& funded = w.funded_by_pool;
  funded.resize(P);
  std::atomic<std::size_t> taken{0};
  const auto walkers = std::min(P, static_cast<std::size_t>(std::max(1, tbb::this_task_arena::max_concurrency())));
  tbb::parallel_for(
      std::size_t{0}, walkers,
      [&](std::size_t) {
        for (std::size_t q = taken++; q < P; q = taken++) {
          const std::size_t p = largest_first[q];
          funded[p].clear();
          const std::size_t first = pool_start[p], size = sizes[p];
          if (size == 0) continue;
          const int c = static_cast<int>(p / pool_source_count);
          const auto src = static_cast<FundSource>(p % pool_source_count);
          if (short_keys)
            fund_pool(std::span<ShortKey>(short_keys_of + first, size), requests + first, cand + first, pools, c, src,
                      funding.skip_unaffordable, funded[p]);
          else
            fund_pool(std::span<LongKey>(long_keys_of + first, size), requests + first, cand + first, pools, c, src,
                      funding.skip_unaffordable, funded[p]);
        }
      },
      tbb::simple_partitioner{});
  // The pools' funded candidates one after another, copied side by side.
  std::vector<std::size_t> out_start(P + 1, 0);
  for (std::size_t p = 0; p < P; ++p) out_start[p + 1] = out_start[p] + funded[p].size();
  if (w.funded.size() < out_start[P]) w.funded.resize(out_start[P]);
  tbb::parallel_for(std::size_t{0}, P, [&](std::size_t p) {
    std::copy(funded[p].begin(), funded[p].end(), w.funded.begin() + static_cast<std::ptrdiff_t>(out_start[p]));
  });
  return {w.funded.data(), out_start[P]};
}

std::vector<std::size_t> plan_slices(const std::vector<CountyIndex>& county, std::size_t target) {
  const std::size_t n = county.size();
  if (n <= target) return {0, n};
  // Where a cut keeps every county whole: after household i when no household up to i has its
  // county's last household beyond i.
  std::vector<std::size_t> last;
  for (std::size_t i = 0; i < n; ++i) {
    if (county[i] >= last.size()) last.resize(static_cast<std::size_t>(county[i]) + 1, 0);
    last[county[i]] = i;
  }
  std::vector<std::size_t> valid;  // increasing; ends with n
  std::size_t reach = 0;
  for (std::size_t i = 0; i < n; ++i) {
    reach = std::max(reach, last[county[i]]);
    if (reach == i) valid.push_back(i + 1);
  }
  std::vector<std::size_t> cuts{0};
  std::size_t k = 0;  // the first valid cut after the slice's start
  while (cuts.back() < n) {
    const std::size_t start = cuts.back();
    std::size_t next = k;  // the last valid cut within target, or the first after start
    while (next + 1 < valid.size() && valid[next + 1] - start <= target) ++next;
    cuts.push_back(valid[next]);
    k = next + 1;
  }
  return cuts;
}

std::vector<Candidate> allocate(std::span<const std::vector<Candidate>> lists, PoolBook& pools,
                                const Funding& funding, bool uniform,
                                const std::vector<CountyIndex>& county) {
  AllocationWorkspace workspace;
  const std::span<const Candidate> funded = allocate(lists, pools, funding, uniform, county, workspace);
  return {funded.begin(), funded.end()};
}

}  // namespace tuopin
