#pragma once
// The plan phase's money: pools per county and source, and the allocation of their money to
// the measures' candidates.
//
// Allocation is deterministic and independent of threads: candidates are grouped by pool
// (county x source); within a pool they are sorted by a strict total order
//   (priority descending, tie-break draw ascending, household id ascending, measure ascending)
// and funded greedily while the pool's money lasts (integer fen; a pool is never overspent).
// The tie-break is a draw from the household's own `allocation` stream for the year, never
// the household id, whose order follows county > group > cause > labour > size.
// Pools run in parallel; each pool's result depends on its own candidates only.
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "funding.h"
#include "households.h"

namespace tuopin {

inline constexpr std::uint32_t no_limit_key = std::numeric_limits<std::uint32_t>::max();

struct Candidate {
  std::uint32_t household = 0;
  std::uint32_t tiebreak = 0;      // a draw of the household's allocation stream
  std::uint32_t limit_key = no_limit_key;  // e.g. the village, for a per-village cap
  std::uint16_t limit = 0;         // at most this many funded per (measure, limit_key); 0: no cap
  std::uint8_t measure = 0;        // registry index
  FundSource source = FundSource::central_special;
  std::uint8_t option = 0;         // measure-specific (a mode, a placement)
  std::uint8_t cause_match = 0;    // 1: the measure addresses the household's main cause
  std::uint8_t tier = 1;           // a lower tier is funded first whatever the priority rule:
                                   // 0 for commitments and urgent needs (a loan's later interest
                                   // subsidies, D-grade houses, poor villages' basic projects),
                                   // 1 for everything else (the default)
  std::int64_t cost_fen = 0;
  float gap = 0;                   // line - assessed per-capita income, yuan/person/year
  float gain = 0;                  // expected yearly income gain per member, yuan/person/year
};

class PoolBook {
 public:
  explicit PoolBook(int counties = 0);
  void reset();  // a new replicate: no carry-over
  // Fresh money of window year t plus last year's carry-over. `factor_share[c]` is the county's
  // share of city-level money.
  void open_year(const Funding& f, int t, const std::vector<double>& factor_share);
  void close_year(bool rollover);
  std::int64_t available(int county, FundSource s) const { return available_[at(county, s)]; }
  std::int64_t spent(int county, FundSource s) const { return spent_[at(county, s)]; }
  std::int64_t remaining(int county, FundSource s) const { return available(county, s) - spent(county, s); }
  // Spends `fen` if the pool holds it; returns false (and spends nothing) otherwise.
  bool try_spend(int county, FundSource s, std::int64_t fen);
  int counties() const { return counties_; }

 private:
  std::size_t at(int county, FundSource s) const {
    return static_cast<std::size_t>(county) * pool_source_count + static_cast<std::size_t>(s);
  }
  int counties_;
  std::vector<std::int64_t> available_, spent_, carry_;
};

double candidate_priority(const Candidate& c, PriorityRule rule, bool uniform);

// The arrays allocate() groups a year's candidates into (an entry per candidate: its pointer,
// what the walk reads of it, its sort key) and the funded candidates it returns. A run keeps
// one from year to year, so that each year writes pages already mapped instead of faulting in
// fresh ones (hundreds of MB a year for a national population); they only grow.
class AllocationWorkspace {
 public:
  AllocationWorkspace();
  ~AllocationWorkspace();
  AllocationWorkspace(AllocationWorkspace&&) noexcept;
  AllocationWorkspace& operator=(AllocationWorkspace&&) noexcept;
  struct Arrays;  // plan.cpp

 private:
  friend std::span<const Candidate> allocate(std::span<const std::vector<Candidate>> lists, PoolBook& pools,
                                             const Funding& funding, bool uniform,
                                             const std::vector<CountyIndex>& county, AllocationWorkspace& workspace);
  std::unique_ptr<Arrays> arrays_;
};

// Funds the candidates from `pools`; returns the funded ones grouped by pool (county-major,
// then source) and in funding order within a pool. `county` maps household -> county. The
// candidates come in lists (one per block of households, in block order) and are not copied:
// each pool sorts compact keys (priority, tie-break, household, position) pointing into them.
// The result lies in `workspace` and is valid until its next use.
std::span<const Candidate> allocate(std::span<const std::vector<Candidate>> lists, PoolBook& pools,
                                    const Funding& funding, bool uniform,
                                    const std::vector<CountyIndex>& county, AllocationWorkspace& workspace);
// The plan's slices of households: cut points 0 = cuts[0] < cuts[1] < ... < cuts[k] = n, such
// that no county has households in two slices [cuts[j], cuts[j + 1]). A pool is a county's, so
// planning slice after slice (its requests, then its pools' allocation) funds exactly what one
// plan of every household funds, and holds the requests of one slice at a time: this is what
// keeps a national run's plan in memory. Each slice is cut at the last county boundary that
// keeps it at most `target` households; where the first county of a slice alone is larger, at
// the first boundary after it. A population of at most `target` households is one slice. The
// population need not be sorted by county: a cut is only made where every county before it has
// no household after it (one serial pass over the county column when n > target).
std::vector<std::size_t> plan_slices(const std::vector<CountyIndex>& county, std::size_t target);

// The same with a workspace of its own, for a single allocation.
std::vector<Candidate> allocate(std::span<const std::vector<Candidate>> lists, PoolBook& pools,
                                const Funding& funding, bool uniform,
                                const std::vector<CountyIndex>& county);

}  // namespace tuopin
