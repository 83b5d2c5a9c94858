// The pools' allocation (model/plan.h) against a plain reference: every pool's candidates fully
// sorted by (tier, priority descending, tie-break draw, household, position in the input) and
// funded greedily with a map of caps. The funded lists must be equal, element by element, for
// every priority rule, uniform targeting, both skip rules, several tiers, caps, and ties.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include "amounts.h"
#include "plan.h"

using namespace tuopin;

namespace {

constexpr int counties = 3, sources = 3;

Funding test_funding(double yuan) {
  Funding f;
  for (int s = 0; s < sources; ++s) f.sources[s].yuan = yuan * (s + 1);
  f.county_revenue_yuan.assign(counties, 0.0);
  f.key_county.assign(counties, 0);
  return f;
}

std::vector<Candidate> reference(const std::vector<std::vector<Candidate>>& lists, PoolBook& pools,
                                 const Funding& funding, bool uniform, const std::vector<CountyIndex>& county) {
  struct Entry {
    const Candidate* c;
    std::size_t at;
  };
  std::vector<std::vector<Entry>> by_pool(static_cast<std::size_t>(counties) * pool_source_count);
  std::size_t at = 0;
  for (const auto& list : lists)
    for (const Candidate& c : list)
      by_pool[static_cast<std::size_t>(county[c.household]) * pool_source_count + static_cast<std::size_t>(c.source)]
          .push_back({&c, at++});
  std::vector<Candidate> out;
  for (std::size_t p = 0; p < by_pool.size(); ++p) {
    auto& e = by_pool[p];
    std::sort(e.begin(), e.end(), [&](const Entry& a, const Entry& b) {
      const double pa = candidate_priority(*a.c, funding.priority, uniform);
      const double pb = candidate_priority(*b.c, funding.priority, uniform);
      if (a.c->tier != b.c->tier) return a.c->tier < b.c->tier;
      if (pa != pb) return pa > pb;
      if (std::signbit(pa) != std::signbit(pb)) return !std::signbit(pa);  // +0 before -0, as the bits order them
      return std::tie(a.c->tiebreak, a.c->household, a.at) < std::tie(b.c->tiebreak, b.c->household, b.at);
    });
    const int c = static_cast<int>(p / pool_source_count);
    const auto src = static_cast<FundSource>(p % pool_source_count);
    std::map<std::pair<int, std::uint32_t>, int> used;
    for (const Entry& x : e) {
      const Candidate& k = *x.c;
      if (k.limit > 0 && used[{k.measure, k.limit_key}] >= k.limit) continue;
      if (pools.try_spend(c, src, k.cost_fen)) {
        if (k.limit > 0) ++used[{k.measure, k.limit_key}];
        out.push_back(k);
        continue;
      }
      if (!funding.skip_unaffordable) break;
    }
  }
  return out;
}

bool same(const Candidate& a, const Candidate& b) {
  return a.household == b.household && a.measure == b.measure && a.option == b.option && a.cost_fen == b.cost_fen &&
         a.tiebreak == b.tiebreak && a.tier == b.tier;
}

}  // namespace

TEST_CASE("allocate funds what a full sort of each pool funds, in the same order") {
  std::mt19937 rng(20161231);
  const std::uint32_t households = 30000;
  std::vector<CountyIndex> county(households);
  for (std::uint32_t i = 0; i < households; ++i) county[i] = static_cast<CountyIndex>(i % counties);
  const std::vector<double> share(counties, 1.0 / counties);
  const float gaps[] = {-500.0f, -0.0f, 0.0f, 1.5f, 100.0f, 100.0f, 2300.25f, 1e-30f, 4000.0f};
  const std::int64_t costs[] = {0, 100, 250, 1000, 5000, 120000};
  AllocationWorkspace workspace;  // kept from trial to trial, as a run keeps one from year to year
  for (int trial = 0; trial < 24; ++trial) {
    const bool uniform = trial % 8 == 7;
    Funding funding = test_funding(trial % 2 ? 3e5 : 4e6);
    funding.priority = static_cast<PriorityRule>(trial % 3);
    funding.skip_unaffordable = (trial / 3) % 2 == 0;
    const bool continuous_gaps = trial % 4 == 1;
    const std::size_t per_list = trial % 5 == 0 ? 40 : 700;
    std::vector<std::vector<Candidate>> lists(60);
    std::uint32_t next_household = 0;
    for (auto& list : lists) {
      // Some trials leave two lists in three empty: chunks of lists of uneven sizes.
      const std::size_t size = trial % 6 == 2 && (next_household / 300) % 3 != 0 ? 0 : per_list;
      for (std::size_t q = 0; q < size; ++q) {
        Candidate k;
        k.household = (next_household + static_cast<std::uint32_t>(rng() % 300)) % households;
        k.measure = static_cast<std::uint8_t>(rng() % 4);
        k.source = static_cast<FundSource>(rng() % sources);
        k.option = static_cast<std::uint8_t>(q % 2);
        k.tier = static_cast<std::uint8_t>(rng() % 5 == 0 ? rng() % 3 : 1);
        k.cost_fen = costs[rng() % std::size(costs)];
        k.gap = continuous_gaps ? static_cast<float>(rng() % 100000) / 7.0f : gaps[rng() % std::size(gaps)];
        k.gain = static_cast<float>(rng() % 2000);
        k.cause_match = static_cast<std::uint8_t>(rng() % 2);
        // Few distinct draws: ties on the draw, and a household's requests to two measures of
        // one pool with equal draws (separated by their position).
        k.tiebreak = static_cast<std::uint32_t>(rng() % (trial % 2 ? 4 : 1u << 31));
        if (rng() % 3 == 0) {
          k.limit = static_cast<std::uint16_t>(1 + rng() % 40);
          k.limit_key = static_cast<std::uint32_t>(rng() % 6);
        }
        list.push_back(k);
        if (rng() % 4 == 0) {  // the same household again, another measure
          Candidate again = k;
          again.measure = static_cast<std::uint8_t>((k.measure + 1) % 4);
          list.push_back(again);
        }
      }
      next_household += 300;
    }
    PoolBook pools(counties), expected_pools(counties), kept_pools(counties);
    pools.open_year(funding, 0, share);
    expected_pools.open_year(funding, 0, share);
    kept_pools.open_year(funding, 0, share);
    const std::vector<Candidate> got =
        allocate(std::span<const std::vector<Candidate>>(lists), pools, funding, uniform, county);
    const std::vector<Candidate> want = reference(lists, expected_pools, funding, uniform, county);
    const std::span<const Candidate> kept =
        allocate(std::span<const std::vector<Candidate>>(lists), kept_pools, funding, uniform, county, workspace);
    INFO("trial " << trial);
    REQUIRE(got.size() == want.size());
    REQUIRE(kept.size() == want.size());
    CHECK(!want.empty());
    for (std::size_t j = 0; j < got.size(); ++j) REQUIRE(same(got[j], want[j]));
    for (std::size_t j = 0; j < kept.size(); ++j) REQUIRE(same(kept[j], want[j]));
    for (int c = 0; c < counties; ++c)
      for (int s = 0; s < sources; ++s)
        CHECK(pools.spent(c, static_cast<FundSource>(s)) == expected_pools.spent(c, static_cast<FundSource>(s)));
  }
}

TEST_CASE("allocate with no lists, or only empty ones, funds nothing") {
  const std::vector<CountyIndex> county(10, 0);
  const std::vector<double> share(counties, 1.0 / counties);
  const Funding funding = test_funding(1e6);
  PoolBook pools(counties);
  pools.open_year(funding, 0, share);
  AllocationWorkspace workspace;
  CHECK(allocate(std::span<const std::vector<Candidate>>(), pools, funding, false, county, workspace).empty());
  const std::vector<std::vector<Candidate>> empty(5);
  CHECK(allocate(std::span<const std::vector<Candidate>>(empty), pools, funding, false, county, workspace).empty());
  CHECK(allocate(std::span<const std::vector<Candidate>>(empty), pools, funding, true, county).empty());
}

TEST_CASE("round_amount is std::llround: halves away from zero, at every magnitude") {
  std::vector<double> xs = {0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
                            4503599627370495.5, -4503599627370495.5, 4503599627370496.0, 9007199254740993.0,
                            4.6e18, -4.6e18, 1e-300, -1e-300};
  for (double h = 0.5; h < 1e15; h = h * 3 + 0.5) {  // halves and whole numbers by turns, and their neighbours
    for (double x : {h, -h}) {
      xs.push_back(x);
      xs.push_back(std::nextafter(x, 0.0));
      xs.push_back(std::nextafter(x, 2 * x));
    }
  }
  std::mt19937_64 gen(7);
  for (double scale : {1.0, 100.0, 1e4, 1e7, 1e12, 1e17}) {
    std::uniform_real_distribution<double> u(-scale, scale);
    for (int k = 0; k < 20000; ++k) xs.push_back(u(gen));
  }
  for (int k = 0; k < 20000; ++k) xs.push_back(std::round(std::uniform_real_distribution<double>(-1e6, 1e6)(gen)) + 0.5);
  int wrong = 0;
  for (double x : xs)
    if (round_amount(x) != std::llround(x)) {
      if (++wrong < 5) MESSAGE("x = " << x << ": " << round_amount(x) << " against " << std::llround(x));
    }
  CHECK(wrong == 0);
  CHECK(xs.size() > 140000);
}
