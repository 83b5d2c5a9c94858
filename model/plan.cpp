#include "plan.h"

#include <algorithm>
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

std::vector<Candidate> allocate(std::vector<Candidate> candidates, PoolBook& pools,
                                const Funding& funding, bool uniform,
                                const std::vector<std::uint8_t>& county) {
  const int C = pools.counties();
  std::vector<std::vector<Candidate>> by_pool(static_cast<std::size_t>(C) * pool_source_count);
  for (Candidate& c : candidates) {
    c.priority = candidate_priority(c, funding.priority, uniform);
    by_pool[static_cast<std::size_t>(county[c.household]) * pool_source_count +
            static_cast<std::size_t>(c.source)]
        .push_back(c);
  }
  std::vector<std::vector<Candidate>> funded(by_pool.size());
  tbb::parallel_for(std::size_t{0}, by_pool.size(), [&](std::size_t p) {
    auto& list = by_pool[p];
    if (list.empty()) return;
    std::sort(list.begin(), list.end(), [](const Candidate& a, const Candidate& b) {
      if (a.priority != b.priority) return a.priority > b.priority;
      if (a.tiebreak != b.tiebreak) return a.tiebreak < b.tiebreak;
      if (a.household != b.household) return a.household < b.household;
      return a.measure < b.measure;
    });
    const int c = static_cast<int>(p / pool_source_count);
    const auto src = static_cast<FundSource>(p % pool_source_count);
    std::map<std::pair<std::uint8_t, std::uint32_t>, int> used;  // per pool, not per household
    for (const Candidate& cand : list) {
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
      if (!funding.skip_unaffordable) break;
    }
  });
  std::vector<Candidate> out;
  for (auto& f : funded) out.insert(out.end(), f.begin(), f.end());
  return out;
}

}  // namespace tuopin
