// Microcredit with the guarantee fund (model/measures/microcredit.cpp): switched off changes
// nothing, zero budget lends nothing, eligibility and loan income on hand-built households, the
// interest subsidy and its absence, no new loan after a default, the county fund never pays
// more than it holds, loans never exceed the county's lending capacity, and threads.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <sstream>

#include "measures/measure.h"
#include "test_support.h"

namespace tuopin {
namespace {

std::int64_t mc_value(const SimulationResult& r, int rep, int y, int c, int k) {
  return r.measure_metrics[r.cell(rep, y, c) * r.extra_metrics + k];
}

std::int64_t mc_city(const SimulationResult& r, int rep, int y, int k) {
  std::int64_t sum = 0;
  for (int c = 0; c < r.counties; ++c) sum += mc_value(r, rep, y, c, k);
  return sum;
}

std::int64_t mc_total(const SimulationResult& r, int k) {
  std::int64_t sum = 0;
  for (int rep = 0; rep < r.replicates; ++rep)
    for (int y = 0; y < r.years; ++y) sum += mc_city(r, rep, y, k);
  return sum;
}

// Microcredit alone: no pathway measure.
const std::vector<std::string> mc_alone = {"measures.microcredit.enabled=true", "targeting.pathway_no_labour=none",
                                           "targeting.pathway_willing=none", "targeting.pathway_unwilling=none"};

// One county, one village, households set by hand (as in test_measures.cpp).

SimulationResult mc_simulate(const Scenario& s, const Population& pop) {
  SimulationOptions opt;
  opt.seed = s.seed;
  return simulate(s, pop, opt);
}

// Chance out of the way: no shocks, no income noise, no targeting error, no new registrations
// (a near-poor household stays near-poor).
const std::string mc_deterministic =
    "[shocks]\nillness_rate = 0.0\ndisaster_rate = 0.0\n"
    "[income]\npersistent_sd = 0.0\nwage_transitory_sd = 0.0\noperating_transitory_sd = 0.0\n"
    "[targeting]\nexclusion_error = 0.0\ninclusion_error = 0.0\n[assessment]\nnew_poor_identification = 0.0\n";

}  // namespace

TEST_CASE("invariant: microcredit and agricultural insurance switched off change no result bit") {
  // test_measures.cpp's text with the sections of microcredit and agricultural insurance added,
  // altered and off.
  const std::string off =
      "[funding]\nlevel = 3.0\npriority = \"cause_first\"\n[targeting]\nmode = \"uniform\"\nexclusion_error = 0.5\n"
      "[measures.safety_net]\nenabled = false\ntwo_lines_merged = true\npayment = \"top_up\"\n"
      "[measures.industry]\nenabled = false\ngrant = 9000.0\n[measures.employment]\nenabled = false\n"
      "posts_per_village = 50\n[measures.asset_income]\nenabled = false\nreturn_rate = 0.5\n"
      "[measures.education_aid]\nenabled = false\n[measures.health]\nenabled = false\noop_cap = 10.0\n"
      "[measures.microcredit]\nenabled = false\nloan = 20000.0\ntake_up = 1.0\nfund_yuan_per_county = 1.0\n"
      "leverage = 50.0\ndefault_rate_own = 0.9\nself_use_share = 1.0\nown_return = 3.0\nsource = \"central_special\"\n"
      "[measures.agri_insurance]\nenabled = false\ndisaster_cover = 1.0\nprice_cover = 1.0\ndeductible = 0.0\n"
      "supplementary_medical = 0.9\naccident_cover = 5000.0\npersonal_premium = 100.0\npremium_rate = 0.5\n";
  const LoadedScenario loaded = test::small_scenario(off, 8000);
  const SimulationResult r = test::run(loaded.scenario, 3);
  CHECK(test::hash_values(r.values) == 8365212318039984426ull);  // test_golden.cpp
  for (const char* name : {"microcredit", "agri_insurance"}) {
    const int m = test::measure_index(r, name);
    CHECK(test::spend_total(r, m) == 0);
    CHECK(test::beneficiaries_total(r, m) == 0);
  }
  for (auto v : r.measure_metrics) CHECK(v == 0);
}

TEST_CASE("microcredit: zero budget lends nothing and spends nothing from the pools") {
  // funding.level = 0: no pool money and no fund.
  const LoadedScenario zero = test::small_scenario("[funding]\nlevel = 0.0\n", 6000, "", mc_alone);
  const SimulationResult r = test::run(zero.scenario, 2);
  const int m = test::measure_index(r, "microcredit");
  CHECK(test::spend_total(r, m) == 0);
  CHECK(test::beneficiaries_total(r, m) == 0);
  CHECK(mc_total(r, test::metric_index(r, "microcredit_issued_yuan")) == 0);
  // A fund but an empty pool: the interest subsidy cannot be paid, so no loan is made.
  const LoadedScenario no_pool = test::small_scenario(
      "[funding.provincial_special]\nscale = 0.0\n[funding]\nunspent = \"lapse\"\n", 6000, "", mc_alone);
  const SimulationResult rp = test::run(no_pool.scenario, 2);
  CHECK(test::spend_total(rp, m) == 0);
  CHECK(mc_total(rp, test::metric_index(rp, "microcredit_issued_yuan")) == 0);
  // The same with the pool: loans are made and their subsidies paid from it, and only from it.
  const LoadedScenario with_pool = test::small_scenario("", 6000, "", mc_alone);
  const SimulationResult rw = test::run(with_pool.scenario, 2);
  CHECK(mc_total(rw, test::metric_index(rw, "microcredit_issued_yuan")) > 0);
  CHECK(test::spend_total(rw, m) > 0);
  CHECK(test::spend_total(rw, m) == test::spend_total(rw, m, static_cast<int>(FundSource::provincial_special)));
}

TEST_CASE("microcredit eligibility: a loan's income for a household with labour, none without labour") {
  test::HandBuilt hb;
  const auto normal = hb.add(LabourCapacity::normal, RegistryStatus::poor, Cause::lack_of_capital, 2, 0, 0);
  const auto weak = hb.add(LabourCapacity::weak, RegistryStatus::poor, Cause::lack_of_capital, 1, 0, 1);
  const auto none = hb.add(LabourCapacity::none, RegistryStatus::poor, Cause::lack_of_capital, 0, 0, 2);
  const auto near_poor = hb.add(LabourCapacity::normal, RegistryStatus::near_poor, Cause::lack_of_capital, 2, 0, 0);
  std::vector<std::string> settings = mc_alone;
  for (const char* s : {"measures.microcredit.take_up=1.0", "measures.microcredit.self_use_share=1.0",
                        "measures.microcredit.own_return=0.02", "measures.microcredit.default_rate_own=0.0"})
    settings.emplace_back(s);
  const LoadedScenario loaded = test::small_scenario(mc_deterministic, 1000, "", settings);
  const Scenario& s = loaded.scenario;
  const int y0 = s.first_year;
  const double own = 0.02 * 50000.0 / 12.0;  // own_return x loan, per month
  for (const auto i : {normal, weak}) {
    const auto rows = test::trace_of(s, hb.pop, i);
    for (int y = y0; y < y0 + 3; ++y)
      for (int m = 1; m <= 12; ++m) CHECK(test::trace_row(rows, y, m).measures == doctest::Approx(own));
  }
  for (const auto i : {none, near_poor}) {
    INFO("household " << i);
    const auto rows = test::trace_of(s, hb.pop, i);
    for (const auto& row : rows) CHECK(row.measures == 0.0);
  }
  // Two loans of 50,000 issued in the first year, outstanding until the end of their term; the
  // subsidy (0.0435 x 50,000 a year each) paid from the provincial pool every year.
  const SimulationResult r = mc_simulate(s, hb.pop);
  const int m = test::measure_index(r, "microcredit");
  const int issued = test::metric_index(r, "microcredit_issued_yuan"), outstanding = test::metric_index(r, "microcredit_outstanding_yuan");
  CHECK(mc_city(r, 0, 0, issued) == 100000);
  CHECK(mc_city(r, 0, 1, issued) == 0);
  CHECK(mc_city(r, 0, 0, outstanding) == 100000);
  CHECK(mc_city(r, 0, 1, outstanding) == 100000);
  CHECK(mc_city(r, 0, 2, outstanding) == 0);  // repaid at the end of the third year
  for (int y = 0; y < 3; ++y) {
    CHECK(r.spend(0, y, 0, m, static_cast<int>(FundSource::provincial_special)) == 2 * 217500);
    CHECK(r.city_measure(r.beneficiary_households, 0, y, m) == 2);
  }
  // Lent on to an enterprise: the dividend instead.
  settings.emplace_back("measures.microcredit.self_use_share=0.0");
  settings.emplace_back("measures.microcredit.default_rate_enterprise=0.0");
  const LoadedScenario ent = test::small_scenario(mc_deterministic, 1000, "", settings);
  const auto rows = test::trace_of(ent.scenario, hb.pop, normal);
  CHECK(test::trace_row(rows, y0 + 1, 6).measures == doctest::Approx(0.08 * 50000.0 / 12.0));
}

TEST_CASE("microcredit: a loan whose subsidy the pool cannot pay costs its borrower the interest") {
  // The provincial pool holds 3,000 yuan in the first year (a subsidy is 2,175) and half as much
  // in each later year, nothing carried over.
  test::HandBuilt hb;
  const auto i = hb.add(LabourCapacity::normal, RegistryStatus::poor, Cause::lack_of_capital, 2, 0, 0);
  std::vector<std::string> settings = mc_alone;
  for (const char* s : {"measures.microcredit.take_up=1.0", "measures.microcredit.self_use_share=1.0",
                        "measures.microcredit.own_return=0.02", "measures.microcredit.default_rate_own=0.0"})
    settings.emplace_back(s);
  const LoadedScenario loaded = test::small_scenario(
      mc_deterministic +
          "[funding]\nunspent = \"lapse\"\n[funding.provincial_special]\nyuan = 3000.0\ngrowth = -0.5\nhousehold_share = 1.0\n",
      1000, "", settings);
  const Scenario& s = loaded.scenario;
  const auto rows = test::trace_of(s, hb.pop, i);
  const int y0 = s.first_year;
  CHECK(test::trace_row(rows, y0, 3).measures == doctest::Approx(1000.0 / 12.0));
  CHECK(test::trace_row(rows, y0 + 1, 3).measures == doctest::Approx((1000.0 - 2175.0) / 12.0));
  const SimulationResult r = mc_simulate(s, hb.pop);
  const int unsubsidised = test::metric_index(r, "microcredit_interest_unsubsidised_yuan");
  CHECK(mc_city(r, 0, 0, unsubsidised) == 0);
  CHECK(mc_city(r, 0, 1, unsubsidised) == 2175);
  CHECK(mc_city(r, 0, 2, unsubsidised) == 2175);
  const int m = test::measure_index(r, "microcredit");
  CHECK(r.spend(0, 0, 0, m, static_cast<int>(FundSource::provincial_special)) == 217500);
  CHECK(r.spend(0, 1, 0, m, static_cast<int>(FundSource::provincial_special)) == 0);
}

TEST_CASE("microcredit: no new loan to a household in default, and the fund pays its balance") {
  // Every loan defaults in its first year. Without the rule the household, still poor and
  // identified, would borrow again every year.
  test::HandBuilt hb;
  const auto i = hb.add(LabourCapacity::normal, RegistryStatus::poor, Cause::lack_of_capital, 2, 0, 0);
  hb.add(LabourCapacity::weak, RegistryStatus::poor, Cause::lack_of_capital, 1, 0, 1);
  std::vector<std::string> settings = mc_alone;
  for (const char* s : {"measures.microcredit.take_up=1.0", "measures.microcredit.default_rate_own=1.0",
                        "measures.microcredit.default_rate_enterprise=1.0"})
    settings.emplace_back(s);
  const LoadedScenario loaded = test::small_scenario(mc_deterministic, 1000, "", settings);
  const Scenario& s = loaded.scenario;
  const SimulationResult r = mc_simulate(s, hb.pop);
  const int issued = test::metric_index(r, "microcredit_issued_yuan"), paid = test::metric_index(r, "microcredit_default_paid_yuan");
  CHECK(mc_city(r, 0, 0, issued) == 100000);
  CHECK(mc_city(r, 0, 1, issued) == 0);
  CHECK(mc_city(r, 0, 2, issued) == 0);
  CHECK(mc_city(r, 0, 0, paid) == 100000);
  CHECK(mc_city(r, 0, 0, test::metric_index(r, "microcredit_outstanding_yuan")) == 0);
  // The defaulting household earns nothing from its loan.
  for (const auto& row : test::trace_of(s, hb.pop, i)) CHECK(row.measures == 0.0);
  // No default: it keeps its one loan (no second loan while one is outstanding).
  settings.emplace_back("measures.microcredit.default_rate_own=0.0");
  settings.emplace_back("measures.microcredit.default_rate_enterprise=0.0");
  const LoadedScenario ok = test::small_scenario(mc_deterministic, 1000, "", settings);
  const SimulationResult rk = mc_simulate(ok.scenario, hb.pop);
  CHECK(mc_total(rk, issued) == 100000);
  CHECK(mc_total(rk, paid) == 0);
}

TEST_CASE("microcredit: the fund never pays more than it holds and the counties never lend beyond capacity") {
  std::mt19937 rng(20161024);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int binding = 0, drained = 0;
  for (int trial = 0; trial < 24; ++trial) {
    std::ostringstream extra;
    const double people = 1500 + 2500 * u(rng);
    const double level = trial % 4 == 0 ? 1.0 : 0.2 + 1.5 * u(rng);
    const double fund = trial % 3 == 0 ? 100000.0 * u(rng) : 1e6 * u(rng);
    const double leverage = 1 + 20 * u(rng);
    extra << "[funding]\nlevel = " << level << "\n[measures.microcredit]\ntake_up = " << 0.2 + 0.8 * u(rng)
          << "\nfund_yuan_per_county = " << fund << "\nleverage = " << leverage
          << "\nloan = " << 10000 + 40000 * u(rng) << "\ndefault_rate_own = " << u(rng)
          << "\ndefault_rate_enterprise = " << 0.5 * u(rng) << "\nterm_years = " << 1 + trial % 3 << "\n";
    INFO(extra.str());
    const LoadedScenario loaded = test::small_scenario(extra.str(), people, "", mc_alone);
    const SimulationResult r = test::run(loaded.scenario, 1);
    const int issued = test::metric_index(r, "microcredit_issued_yuan"), outstanding = test::metric_index(r, "microcredit_outstanding_yuan");
    const int paid = test::metric_index(r, "microcredit_default_paid_yuan"), unpaid = test::metric_index(r, "microcredit_default_unpaid_yuan");
    const double fund0 = fund * level;
    for (int c = 0; c < r.counties; ++c) {
      double fund_left = fund0;
      std::int64_t before = 0;  // outstanding at the start of the year
      for (int y = 0; y < r.years; ++y) {
        INFO("county " << c << " year " << y);
        const std::int64_t capacity = static_cast<std::int64_t>(fund_left * leverage);
        // Metrics are whole yuan: allow their rounding, scaled by the leverage.
        // New loans only within the capacity left (a fund drained by defaults recalls no loan).
        const std::int64_t tolerance = 2 + static_cast<std::int64_t>(2 * leverage * (y + 1));
        CHECK(mc_value(r, 0, y, c, issued) <= std::max<std::int64_t>(0, capacity - before) + tolerance);
        if (mc_value(r, 0, y, c, issued) > 0 && before + mc_value(r, 0, y, c, issued) > capacity / 2) ++binding;
        CHECK(mc_value(r, 0, y, c, paid) <= fund_left + 2);
        fund_left -= static_cast<double>(mc_value(r, 0, y, c, paid));
        CHECK(fund_left >= -2.0);
        if (mc_value(r, 0, y, c, unpaid) > 0) {
          ++drained;
          CHECK(fund_left < 2.0);  // unpaid only once the fund is empty
        }
        before = mc_value(r, 0, y, c, outstanding);
      }
    }
  }
  MESSAGE("county-years near capacity: " << binding << ", with unpaid defaults: " << drained);
  CHECK(binding > 0);
  CHECK(drained > 0);
}

TEST_CASE("microcredit: a binding capacity lends exactly what the fund allows") {
  // 100,000 yuan of fund at leverage 1: two loans of 50,000 per county, though many more ask.
  const LoadedScenario loaded = test::small_scenario(
      "[funding]\nlevel = 1.0\n[measures.microcredit]\ntake_up = 1.0\nfund_yuan_per_county = 100000.0\n"
      "leverage = 1.0\ndefault_rate_own = 0.0\ndefault_rate_enterprise = 0.0\n",
      4000, "", mc_alone);
  const SimulationResult r = test::run(loaded.scenario, 1);
  const int issued = test::metric_index(r, "microcredit_issued_yuan"), outstanding = test::metric_index(r, "microcredit_outstanding_yuan");
  for (int c = 0; c < r.counties; ++c) {
    CHECK(mc_value(r, 0, 0, c, issued) == 100000);
    CHECK(mc_value(r, 0, 1, c, issued) == 0);  // still outstanding: no room
    CHECK(mc_value(r, 0, 1, c, outstanding) == 100000);
  }
}

TEST_CASE("microcredit: identical results on 1 and 4 threads") {
  const LoadedScenario loaded = test::small_scenario(
      "[measures.microcredit]\nfund_yuan_per_county = 200000.0\ndefault_rate_own = 0.3\n"
      "default_rate_enterprise = 0.2\n[measures.agri_insurance]\nprice_cover = 0.5\n",
      6000, "", {"measures.microcredit.enabled=true", "measures.agri_insurance.enabled=true",
                 "measures.industry.enabled=true", "measures.employment.enabled=true",
                 "measures.asset_income.enabled=true", "measures.health.enabled=true"});
  std::vector<std::uint64_t> hashes;
  for (int threads : {1, 4}) {
    auto [r, seen] = test::with_threads(threads, [&] { return test::run(loaded.scenario, 2); });
    CHECK(seen == threads);
    hashes.push_back(test::hash_result(r));
    CHECK(mc_total(r, test::metric_index(r, "microcredit_issued_yuan")) > 0);
  }
  CHECK(hashes[0] == hashes[1]);
}

}  // namespace tuopin
