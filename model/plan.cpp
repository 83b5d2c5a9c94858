#include "plan.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>
#include <stdexcept>

#include <tbb/parallel_for.h>

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

// A candidate's place in its pool's order, as two integers compared lexicographically:
// `order` is the priority mapped to an unsigned integer that sorts descending priorities first
// (IEEE-754 bits made monotone), `tie` the tie-break draw and the household id; `at` (the
// candidate's position in the block-ordered input, where a household's requests follow the
// registry's order) separates a household's requests to two measures of one pool with equal
// draws, so the order is strict and total.
struct Key {
  std::uint64_t tier;
  std::uint64_t order;
  std::uint64_t tie;
  const Candidate* candidate;
  std::uint64_t at;
};

std::uint64_t descending(double priority) {
  std::uint64_t bits;
  static_assert(sizeof bits == sizeof priority);
  std::memcpy(&bits, &priority, sizeof bits);
  // Monotone map of doubles to unsigned integers (negatives reversed), then inverted so that a
  // larger priority gives a smaller key.
  const std::uint64_t monotone = (bits >> 63) ? ~bits : bits | (1ull << 63);
  return ~monotone;
}

}  // namespace

std::vector<Candidate> allocate(std::span<const std::vector<Candidate>> lists, PoolBook& pools,
                                const Funding& funding, bool uniform,
                                const std::vector<CountyIndex>& county) {
  const int C = pools.counties();
  const std::size_t P = static_cast<std::size_t>(C) * pool_source_count;
  auto pool_of = [&](const Candidate& c) {
    return static_cast<std::size_t>(county[c.household]) * pool_source_count + static_cast<std::size_t>(c.source);
  };
  // Keys grouped by pool with a parallel counting sort over the lists: count per (list, pool),
  // prefix offsets in list order, then each list scatters its keys to its own offsets. The
  // result is the same as one serial pass in list order.
  const std::size_t L = lists.size();
  std::vector<std::size_t> counts(L * P, 0);
  tbb::parallel_for(std::size_t{0}, L, [&](std::size_t l) {
    for (const Candidate& c : lists[l]) ++counts[l * P + pool_of(c)];
  });
  std::vector<std::size_t> sizes(P, 0), offset(L * P, 0), start(L, 0);
  for (std::size_t p = 0; p < P; ++p)
    for (std::size_t l = 0; l < L; ++l) {
      offset[l * P + p] = sizes[p];
      sizes[p] += counts[l * P + p];
    }
  for (std::size_t l = 1; l < L; ++l) start[l] = start[l - 1] + lists[l - 1].size();
  std::vector<std::vector<Key>> by_pool(P);
  for (std::size_t p = 0; p < P; ++p) by_pool[p].resize(sizes[p]);
  tbb::parallel_for(std::size_t{0}, L, [&](std::size_t l) {
    std::uint64_t at = start[l];
    std::size_t* next = offset.data() + l * P;
    for (const Candidate& c : lists[l]) {
      const std::size_t p = pool_of(c);
      by_pool[p][next[p]++] = {c.tier, descending(candidate_priority(c, funding.priority, uniform)),
                               (static_cast<std::uint64_t>(c.tiebreak) << 32) | c.household, &c, at++};
    }
  });
  std::vector<std::vector<Candidate>> funded(P);
  tbb::parallel_for(std::size_t{0}, P, [&](std::size_t p) {
    auto& keys = by_pool[p];
    if (keys.empty()) return;
    const auto before = [](const Key& a, const Key& b) {
      if (a.tier != b.tier) return a.tier < b.tier;
      if (a.order != b.order) return a.order < b.order;
      if (a.tie != b.tie) return a.tie < b.tie;
      return a.at < b.at;
    };
    const int c = static_cast<int>(p / pool_source_count);
    const auto src = static_cast<FundSource>(p % pool_source_count);
    std::int64_t cheapest = std::numeric_limits<std::int64_t>::max();
    for (const Key& k : keys) cheapest = std::min(cheapest, k.candidate->cost_fen);
    std::map<std::pair<std::uint8_t, std::uint32_t>, int> used;  // per pool, not per household
    // The pool's order is walked in sorted chunks: each chunk is the next best `chunk` keys
    // (nth_element), sorted, so the walk sees exactly the fully sorted order, but a pool that
    // runs dry sorts only what it could fund. A chunk is sized by what the money left could buy.
    std::size_t done = 0;
    bool open = true;
    while (open && done < keys.size()) {
      const std::int64_t left = pools.remaining(c, src);
      if (cheapest > 0 && left < cheapest) break;  // nothing more can be paid
      std::size_t chunk = keys.size() - done;
      if (cheapest > 0)
        chunk = std::min<std::size_t>(chunk, std::max<std::size_t>(4096, static_cast<std::size_t>(left / cheapest) + 1024));
      const auto first = keys.begin() + static_cast<std::ptrdiff_t>(done);
      const auto last = first + static_cast<std::ptrdiff_t>(chunk);
      if (last != keys.end()) std::nth_element(first, last, keys.end(), before);
      std::sort(first, last, before);
      for (auto it = first; it != last; ++it) {
        const Candidate& cand = *it->candidate;
        if (cand.limit > 0) {
          int& n = used[{cand.measure, cand.limit_key}];
          if (n >= cand.limit) continue;
          if (pools.try_spend(c, src, cand.cost_fen)) {
            ++n;
            funded[p].push_back(cand);
            continue;
          }
        } else if (pools.try_spend(c, src, cand.cost_fen)) {
          funded[p].push_back(cand);
          continue;
        }
        if (!funding.skip_unaffordable) {
          open = false;
          break;
        }
      }
      done += chunk;
    }
  });
  std::vector<Candidate> out;
  for (auto& f : funded) out.insert(out.end(), f.begin(), f.end());
  return out;
}

}  // namespace tuopin
