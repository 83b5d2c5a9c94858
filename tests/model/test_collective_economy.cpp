// Village collective economy and infrastructure (model/measures/collective_economy.cpp):
// switched off it changes nothing, no money buys no project, spending equals the projects'
// costs, the per-village cap and the poor-village rule hold, and hand-built villages show a
// road's wage effect, the posts and dividends paid from collective income, and a failed project.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "measures/measure.h"
#include "measures/registry.h"
#include "test_support.h"

namespace tuopin {
namespace {

// A measure metric of one replicate-year (county -1: the city).
std::int64_t metric(const SimulationResult& r, std::string_view name, int rep, int year, int county = -1) {
  const int k = test::metric_index(r, name);
  std::int64_t sum = 0;
  for (int c = 0; c < r.counties; ++c)
    if (county < 0 || c == county) sum += r.measure_metrics[r.cell(rep, year, c) * r.extra_metrics + k];
  return sum;
}

std::int64_t spend_of(const SimulationResult& r, int measure, int rep, int year, int county, int source = -1) {
  std::int64_t sum = 0;
  for (int s = 0; s < fund_source_count; ++s)
    if (source < 0 || s == source) sum += r.spend(rep, year, county, measure, s);
  return sum;
}

std::int64_t total_spend(const SimulationResult& r, int measure) {
  std::int64_t sum = 0;
  for (int k = 0; k < r.replicates; ++k)
    for (int y = 0; y < r.years; ++y)
      for (int c = 0; c < r.counties; ++c) sum += spend_of(r, measure, k, y, c);
  return sum;
}

const std::vector<std::string> collective_on = {"measures.collective_economy.enabled=true"};

// Villages and households set by hand, all in county 0 (Yuexi, a key county: the integrated
// funds reach it).
struct HandBuilt {
  Population pop;
  std::size_t village(bool poor, bool road, bool water, float collective_income) {
    Villages& v = pop.villages;
    const std::size_t k = v.count();
    v.resize(k + 1);
    v.county[k] = 0;
    v.poor[k] = poor;
    v.remoteness[k] = 1;
    v.road[k] = road;
    v.water[k] = water;
    v.collective_income[k] = collective_income;
    return k;
  }
  // `per_person`: expected income per member, yuan/year (1500: half the line).
  std::size_t add(std::size_t village, LabourCapacity labour, RegistryStatus status, float per_person = 1500.0f) {
    Households& h = pop.households;
    const std::size_t i = h.count();
    h.resize(i + 1);
    h.county[i] = 0;
    h.village[i] = static_cast<std::uint32_t>(village);
    h.size[i] = 2;
    h.members[0][i] = 0;
    h.members[1][i] = 0;
    h.members[2][i] = labour == LabourCapacity::none ? 0 : 2;
    h.members[3][i] = labour == LabourCapacity::none ? 2 : 0;
    h.labour[i] = labour;
    h.flags[i] = 0;
    h.cause_main[i] = Cause::lack_of_capital;
    h.cause_secondary[i] = no_cause;
    h.land[i] = 1.0f;
    const float income = per_person * h.size[i];
    h.base_income[0][i] = 0.4f * income;
    h.base_income[1][i] = 0.4f * income;
    h.base_income[2][i] = 0.2f * income;
    h.base_income[3][i] = 0.0f;
    h.status0[i] = status;
    h.housing0[i] = HousingSafety::safe;
    h.entry_year[i] = status == RegistryStatus::near_poor ? 0 : 2014;
    return i;
  }
};

struct Traced {
  SimulationResult result;
  std::vector<TraceRow> rows;
};

Traced trace_of(const Scenario& s, const Population& pop, std::size_t household) {
  Traced t;
  SimulationOptions opt;
  opt.seed = s.seed;
  opt.trace_household = static_cast<std::int64_t>(household);
  opt.trace = &t.rows;
  t.result = simulate(s, pop, opt);
  return t;
}

// Chance out of the way: no shocks, no income noise, no targeting error, plenty of money.
const std::string deterministic =
    "[shocks]\nillness_rate = 0.0\ndisaster_rate = 0.0\n"
    "[income]\npersistent_sd = 0.0\nwage_transitory_sd = 0.0\noperating_transitory_sd = 0.0\n"
    "[targeting]\nexclusion_error = 0.0\ninclusion_error = 0.0\n"
    "[funding]\nlevel = 100.0\n";

}  // namespace

TEST_CASE("invariant: collective economy and cadre pairing switched off change no result bit") {
  // Their sections present with other values but enabled = false: the golden counts exactly,
  // no spending, no beneficiaries, no metric.
  const std::string off =
      "[funding]\nlevel = 3.0\n[funding.integrated_agri]\nhousehold_share = 1.0\n"
      "[measures.collective_economy]\nenabled = false\nsource = \"central_special\"\npoor_villages_only = false\n"
      "build_years = 0\nproject_cost = 1000.0\nroad_wage_factor = 3.0\ndividend_share = 0.7\nbaseline_pays = true\n"
      "[measures.cadre_pairing]\nenabled = false\ncadres = [100000, 100000, 100000]\nexclusion_factor = 0.0\n"
      "willingness_factor = 5.0\ntake_up_gain = 1.0\n";
  const LoadedScenario loaded = test::small_scenario(off, 8000);
  CHECK(loaded.scenario.targeting.pairing_coverage == 0.0);
  const SimulationResult r = test::run(loaded.scenario, 3);
  CHECK(test::hash_values(r.values) == 8365212318039984426ull);  // test_golden.cpp
  for (const char* name : {"collective_economy", "cadre_pairing"}) {
    CHECK(total_spend(r, test::measure_index(r, name)) == 0);
    CHECK(test::beneficiaries_total(r, test::measure_index(r, name)) == 0);
  }
  for (auto v : r.measure_metrics) CHECK(v == 0);
}

TEST_CASE("collective economy: zero budget gives no spending, no project and no pay-out") {
  const LoadedScenario loaded = test::small_scenario("[funding]\nlevel = 0.0\n", 6000, "", collective_on);
  const SimulationResult r = test::run(loaded.scenario, 2);
  const int me = test::measure_index(r, "collective_economy");
  CHECK(total_spend(r, me) == 0);
  CHECK(test::beneficiaries_total(r, me) == 0);
  for (int k = 0; k < r.replicates; ++k)
    for (int y = 0; y < r.years; ++y) {
      CHECK(metric(r, "collective_projects", k, y) == 0);
      CHECK(metric(r, "village_road_projects", k, y) == 0);
      CHECK(metric(r, "village_water_projects", k, y) == 0);
      CHECK(metric(r, "collective_posts", k, y) == 0);
      CHECK(metric(r, "collective_payout_yuan", k, y) == 0);
      // The villages' income is the synthesis's, every year.
      CHECK(metric(r, "collective_income_yuan", k, y) == metric(r, "collective_income_yuan", k, 0));
      CHECK(metric(r, "collective_income_villages", k, y) > 0);
    }
}

TEST_CASE("collective economy: spending is the funded projects' cost, from its source, in key counties only") {
  const LoadedScenario loaded = test::small_scenario("", 10000, "", collective_on);
  const Scenario& s = loaded.scenario;
  const SimulationResult r = test::run(s, 2);
  const int me = test::measure_index(r, "collective_economy");
  const int source = static_cast<int>(FundSource::integrated_agri);
  std::int64_t projects = 0, roads = 0;
  for (int k = 0; k < r.replicates; ++k)
    for (int y = 0; y < r.years; ++y)
      for (int c = 0; c < r.counties; ++c) {
        INFO("replicate " << k << " year " << y << " county " << c);
        const std::int64_t p = metric(r, "collective_projects", k, y, c);
        const std::int64_t road = metric(r, "village_road_projects", k, y, c);
        const std::int64_t water = metric(r, "village_water_projects", k, y, c);
        CHECK(spend_of(r, me, k, y, c, source) == p * 98500000 + road * 70000000 + water * 30000000);
        CHECK(spend_of(r, me, k, y, c) == spend_of(r, me, k, y, c, source));
        if (!s.funding.key_county[c]) CHECK(p + road + water == 0);
        projects += p;
        roads += road;
      }
  CHECK(projects > 0);
  CHECK(roads > 0);
  CHECK(test::beneficiaries_total(r, me) > 0);
  // Income projects raise the villages' collective income and pay posts and dividends.
  CHECK(metric(r, "collective_income_yuan", 0, 2) > metric(r, "collective_income_yuan", 0, 0));
  CHECK(metric(r, "collective_income_villages", 0, 2) > metric(r, "collective_income_villages", 0, 0));
  CHECK(metric(r, "collective_posts", 0, 2) > 0);
  CHECK(metric(r, "collective_payout_yuan", 0, 2) > 0);
  CHECK(metric(r, "collective_payout_yuan", 0, 0) == 0);  // nothing finished in the first year
}

TEST_CASE("collective economy: one project per village and year with the cap, poor villages only") {
  HandBuilt hb;
  const auto poor = hb.village(true, false, false, 0.0f);    // needs income, road and water
  const auto other = hb.village(false, false, false, 0.0f);  // not a poor village
  const auto a = hb.add(poor, LabourCapacity::normal, RegistryStatus::poor);
  hb.add(other, LabourCapacity::normal, RegistryStatus::poor);
  const LoadedScenario loaded = test::small_scenario(
      deterministic + "[measures.collective_economy]\nenabled = true\nprojects_per_village = 1\nfailure_rate = 0.0\n",
      1000);
  const Traced t = trace_of(loaded.scenario, hb.pop, a);
  const SimulationResult& r = t.result;
  REQUIRE(r.years == 3);
  // In order: the income project, then the road, then the water supply; nothing in the other village.
  const std::int64_t expected[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  for (int y = 0; y < 3; ++y) {
    INFO("year " << y);
    CHECK(metric(r, "collective_projects", 0, y) == expected[y][0]);
    CHECK(metric(r, "village_road_projects", 0, y) == expected[y][1]);
    CHECK(metric(r, "village_water_projects", 0, y) == expected[y][2]);
  }
  CHECK(spend_of(r, test::measure_index(r, "collective_economy"), 0, 0, 0) == 98500000);
}

TEST_CASE("collective economy trace: a road built in a village raises its households' wages from the year after funding") {
  HandBuilt hb;
  const auto no_road = hb.village(true, false, true, 100000.0f);  // only the road is missing
  const auto with_road = hb.village(true, true, true, 100000.0f);
  const auto a = hb.add(no_road, LabourCapacity::normal, RegistryStatus::poor);
  const auto b = hb.add(with_road, LabourCapacity::normal, RegistryStatus::poor);
  const std::string on = deterministic + "[measures.collective_economy]\nenabled = true\nroad_wage_factor = 1.25\n";
  const LoadedScenario with = test::small_scenario(on, 1000);
  const LoadedScenario without = test::small_scenario(deterministic, 1000);
  const int y0 = with.scenario.first_year;
  for (const auto i : {a, b}) {
    INFO("household " << i);
    const Traced t1 = trace_of(with.scenario, hb.pop, i), t0 = trace_of(without.scenario, hb.pop, i);
    const double factor = i == a ? 1.25 : 1.0;
    for (int m = 1; m <= 12; ++m) {
      CHECK(test::trace_row(t1.rows, y0, m).wage == doctest::Approx(test::trace_row(t0.rows, y0, m).wage).epsilon(1e-6));  // being built
      CHECK(test::trace_row(t1.rows, y0 + 1, m).wage == doctest::Approx(factor * test::trace_row(t0.rows, y0 + 1, m).wage).epsilon(1e-6));
      CHECK(test::trace_row(t1.rows, y0 + 2, m).wage == doctest::Approx(factor * test::trace_row(t0.rows, y0 + 2, m).wage).epsilon(1e-6));
      CHECK(test::trace_row(t1.rows, y0 + 1, m).measures == 0.0);  // no income project: income above the target
    }
    CHECK(metric(t1.result, "village_road_projects", 0, 0) == 1);
    CHECK(metric(t1.result, "collective_projects", 0, 0) == 0);
  }
}

TEST_CASE("collective economy trace: collective income pays public-welfare posts and dividends to supported households") {
  HandBuilt hb;
  const auto v = hb.village(true, true, true, 0.0f);  // an empty-shell poor village
  const auto a = hb.add(v, LabourCapacity::normal, RegistryStatus::poor);
  const auto b = hb.add(v, LabourCapacity::none, RegistryStatus::poor);
  const auto c = hb.add(v, LabourCapacity::normal, RegistryStatus::near_poor, 20000.0f);  // not supported
  const auto d = hb.add(v, LabourCapacity::weak, RegistryStatus::poor);
  const std::string keys = deterministic + "[measures.collective_economy]\nenabled = true\nfailure_rate = 0.0\n";
  const LoadedScenario loaded = test::small_scenario(keys, 1000);
  const int y0 = loaded.scenario.first_year;
  // One project finished in the second year: 66,750 a year. Three supported households share
  // half of it; floor(0.3 x 66750 / 4800) = 4 posts, capped by the two supported households
  // with labour (a and d).
  const double dividend = 0.5 * 66750.0 / 3 / 12;
  const double expected[4] = {dividend + 400.0, dividend, 0.0, dividend + 400.0};
  const std::size_t ids[4] = {a, b, c, d};
  for (int k = 0; k < 4; ++k) {
    INFO("household " << k);
    const Traced t = trace_of(loaded.scenario, hb.pop, ids[k]);
    CHECK(test::trace_row(t.rows, y0, 6).measures == 0.0);
    for (int y = y0 + 1; y <= y0 + 2; ++y)
      for (int m = 1; m <= 12; ++m) CHECK(test::trace_row(t.rows, y, m).measures == doctest::Approx(expected[k]).epsilon(1e-5));
    CHECK(metric(t.result, "collective_projects", 0, 0) == 1);
    CHECK(metric(t.result, "collective_posts", 0, 1) == 2);
    CHECK(metric(t.result, "collective_payout_yuan", 0, 1) == 2 * 4800 + 33375);
    CHECK(metric(t.result, "collective_income_yuan", 0, 1) == 66750);
    CHECK(t.result.city_measure(t.result.beneficiary_households, 0, 1, test::measure_index(t.result, "collective_economy")) == 3);
  }
  // One post only: exactly one of the two households with labour holds it.
  const LoadedScenario one_post = test::small_scenario(keys + "max_posts = 1\n", 1000);
  const double paid = test::trace_row(trace_of(one_post.scenario, hb.pop, a).rows, y0 + 1, 1).measures +
                      test::trace_row(trace_of(one_post.scenario, hb.pop, d).rows, y0 + 1, 1).measures;
  CHECK(paid == doctest::Approx(2 * dividend + 400.0).epsilon(1e-5));
  // All collective income pays out with baseline_pays: a village that had 120,000 a year pays
  // dividends without any project (income above the target: none is funded).
  HandBuilt rich;
  const auto w = rich.village(true, true, true, 120000.0f);
  const auto e = rich.add(w, LabourCapacity::none, RegistryStatus::poor);
  const LoadedScenario all = test::small_scenario(keys + "baseline_pays = true\npost_share = 0.0\n", 1000);
  CHECK(test::trace_row(trace_of(all.scenario, rich.pop, e).rows, y0, 1).measures == doctest::Approx(0.5 * 120000.0 / 12).epsilon(1e-5));
  CHECK(test::trace_row(trace_of(loaded.scenario, rich.pop, e).rows, y0, 1).measures == 0.0);
}

TEST_CASE("collective economy trace: a failed income project stops paying and the village asks again") {
  HandBuilt hb;
  const auto v = hb.village(true, true, true, 0.0f);
  const auto a = hb.add(v, LabourCapacity::none, RegistryStatus::poor);
  const std::string keys = deterministic + "[measures.collective_economy]\nenabled = true\nbuild_years = 0\n";
  const LoadedScenario fails = test::small_scenario(keys + "failure_rate = 1.0\n", 1000);
  const LoadedScenario lasts = test::small_scenario(keys + "failure_rate = 0.0\n", 1000);
  const int y0 = fails.scenario.first_year;
  const double dividend = 0.5 * 66750.0 / 12;
  const Traced f = trace_of(fails.scenario, hb.pop, a), l = trace_of(lasts.scenario, hb.pop, a);
  // Finished in the year it is funded (build_years = 0); failed at the next year's plan, when
  // the village still had the income and asked for nothing; funded again the year after.
  CHECK(test::trace_row(f.rows, y0, 3).measures == doctest::Approx(dividend).epsilon(1e-5));
  CHECK(test::trace_row(f.rows, y0 + 1, 3).measures == 0.0);
  CHECK(test::trace_row(f.rows, y0 + 2, 3).measures == doctest::Approx(dividend).epsilon(1e-5));
  for (int y = 0; y < 3; ++y) {
    CHECK(metric(f.result, "collective_projects", 0, y) == (y == 1 ? 0 : 1));
    CHECK(metric(l.result, "collective_projects", 0, y) == (y == 0 ? 1 : 0));
    CHECK(test::trace_row(l.rows, y0 + y, 3).measures == doctest::Approx(dividend).epsilon(1e-5));
  }
}

TEST_CASE("collective economy and cadre pairing: every output identical on 1, 2 and 8 threads") {
  std::vector<std::string> on = test::all_measures_on;
  on.push_back("measures.collective_economy.enabled=true");
  on.push_back("measures.cadre_pairing.enabled=true");
  on.push_back("measures.cadre_pairing.cadres=[1000, 4000, 8000]");  // partial coverage: the draw matters
  const LoadedScenario loaded = test::small_scenario(
      "[funding]\nlevel = " + test::funding_level_for(0.8, 10000) + "\n", 10000, "", on);
  CHECK(loaded.scenario.targeting.pairing_coverage > 0.2);
  CHECK(loaded.scenario.targeting.pairing_coverage < 1.0);
  std::vector<std::uint64_t> hashes;
  for (int threads : {1, 2, 8}) {
    auto [r, seen] = test::with_threads(threads, [&] { return test::run(loaded.scenario, 2); });
    CHECK(seen == threads);
    hashes.push_back(test::hash_result(r));
  }
  CHECK(hashes[0] == hashes[1]);
  CHECK(hashes[0] == hashes[2]);
}

TEST_CASE("collective economy: post_share + dividend_share above 1 is an error") {
  CHECK_THROWS_WITH_AS(test::small_scenario("[measures.collective_economy]\npost_share = 0.6\ndividend_share = 0.5\n", 1000),
                       doctest::Contains("expected at most 1"), InputError);
}

}  // namespace tuopin
