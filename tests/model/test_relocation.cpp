// Relocation, housing renovation and photovoltaic (model/measures/relocation.cpp,
// housing_renovation.cpp, photovoltaic.cpp): switched off nobody moves, capacities are never
// exceeded, a relocated household reads its destination's parameters (a trace), D-grade houses
// first, PV roll-out within its capacity; and attribution by ablation.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "attribution.h"
#include "measures/measure.h"
#include "test_support.h"

namespace tuopin {
namespace {

std::int64_t metric(const SimulationResult& r, std::string_view name, int replicate, int year, int county = -1) {
  for (int k = 0; k < r.extra_metrics; ++k)
    if (r.extra_metric_info[k].name == name) {
      std::int64_t sum = 0;
      for (int c = 0; c < r.counties; ++c)
        if (county < 0 || c == county) sum += r.measure_metrics[r.cell(replicate, year, c) * r.extra_metrics + k];
      return sum;
    }
  FAIL("no metric " << name);
  return 0;
}

// One village of one county, hand-built households, chance out of the way.
struct OneVillage {
  Population pop;
  explicit OneVillage(std::uint8_t remoteness, std::uint8_t road) {
    pop.villages.resize(1);
    pop.villages.county[0] = 0;
    pop.villages.poor[0] = 1;
    pop.villages.remoteness[0] = remoteness;
    pop.villages.road[0] = road;
    pop.villages.water[0] = 1;
    pop.villages.collective_income[0] = 0;
  }
  std::size_t add(LabourCapacity labour, RegistryStatus status, HousingSafety house, float wage, float operating) {
    Households& h = pop.households;
    const std::size_t i = h.count();
    h.resize(i + 1);
    h.county[i] = 0;
    h.village[i] = 0;
    h.size[i] = 2;
    h.members[0][i] = 0;
    h.members[1][i] = 0;
    h.members[2][i] = 2;
    h.members[3][i] = 0;
    h.labour[i] = labour;
    h.flags[i] = 0;
    h.cause_main[i] = Cause::poor_transport;
    h.cause_secondary[i] = no_cause;
    h.land[i] = 2.0f;
    h.base_income[0][i] = wage;
    h.base_income[1][i] = operating;
    h.base_income[2][i] = 0.0f;
    h.base_income[3][i] = 0.0f;
    h.status0[i] = status;
    h.housing0[i] = house;
    h.entry_year[i] = 2014;
    return i;
  }
};

const std::string quiet =
    "[shocks]\nillness_rate = 0.0\ndisaster_rate = 0.0\n"
    "[income]\npersistent_sd = 0.0\nwage_transitory_sd = 0.0\noperating_transitory_sd = 0.0\n"
    "[targeting]\nexclusion_error = 0.0\ninclusion_error = 0.0\npathway_no_labour = \"none\"\n"
    "pathway_willing = \"none\"\npathway_unwilling = \"none\"\n[funding]\nlevel = 100.0\n";

}  // namespace

TEST_CASE("relocation: switched off nobody moves; on, capacities are never exceeded") {
  const LoadedScenario off = test::small_scenario("[measures.relocation]\ncapacity = [9, 9, 9, 9]\n", 20000);
  const SimulationResult ro = test::run(off.scenario, 2);
  for (int k = 0; k < 2; ++k)
    for (int y = 0; y < ro.years; ++y) CHECK(metric(ro, "relocated_households", k, y) == 0);
  CHECK(test::spend_total(ro, test::measure_index(ro, "relocation")) == 0);

  const LoadedScenario on = test::small_scenario(
      "[measures.relocation]\ncapacity = [3, 2, 4, 5]\nwillingness = 1.0\nbuild_years = 0\n[funding]\nlevel = 100.0\n",
      20000, "", {"measures.relocation.enabled=true"});
  const SimulationResult r = test::run(on.scenario, 2);
  std::int64_t moved = 0;
  for (int k = 0; k < 2; ++k)
    for (int y = 0; y < r.years; ++y)
      for (int c = 0; c < r.counties; ++c) {
        const std::int64_t n = metric(r, "relocated_households", k, y, c);
        CHECK(n <= 3 + 2 + 4 + 5);  // every destination's capacity of the county and year
        moved += n;
      }
  CHECK(moved > 0);
  CHECK(test::spend_total(r, test::measure_index(r, "relocation")) > 0);
}

TEST_CASE("relocation trace: a moved household reads its destination's parameters") {
  OneVillage v(2, 1);  // very remote, with a road
  const auto mover = v.add(LabourCapacity::normal, RegistryStatus::poor, HousingSafety::dangerous, 1200.0f, 1000.0f);
  const LoadedScenario loaded = test::small_scenario(
      quiet +
          "[measures.relocation]\nwillingness = 1.0\nchoice = \"planner\"\ncapacity = [0, 5, 0, 0]\n"
          "wage_factor = [1.0, 1.5, 1.0, 1.0]\njob_probability = [0.0, 1.0, 0.0, 0.0]\njob_wage = 600.0\n"
          "job_months = 12\nfarm_kept = [1.0, 0.25, 1.0, 1.0]\nland_transfer_rate = 0.0\nreturn_rate = [0.0, 0.0, 0.0, 0.0]\n"
          "living_cost = [0.0, 400.0, 0.0, 0.0]\nhomestead_exit_share = 0.0\nbuild_years = 1\n",
      1000, "", {"measures.relocation.enabled=true"});
  const Scenario& s = loaded.scenario;
  const auto rows = test::trace_of(s, v.pop, mover);
  const int y0 = s.first_year;
  // Funded in the first year, built that year: no destination effect yet, the house still unsafe.
  CHECK(test::trace_row(rows, y0, 6).measures == 0.0);
  // Moved in the next January: the destination job pays 600 a month...
  CHECK(test::trace_row(rows, y0 + 1, 1).measures == doctest::Approx(600.0));
  // ...wages are 1.5 times the origin's (same month, same growth) and farm income a quarter.
  const double wage_before = test::trace_row(rows, y0, 3).wage, wage_after = test::trace_row(rows, y0 + 1, 3).wage;
  const double growth = std::pow(1.0 + s.income.wage_growth, 1.0);
  CHECK(wage_after == doctest::Approx(1.5 * wage_before * growth).epsilon(1e-4));
  const double op_before = test::trace_row(rows, y0, 3).income - test::trace_row(rows, y0, 3).wage;
  const double op_after = test::trace_row(rows, y0 + 1, 3).income - test::trace_row(rows, y0 + 1, 3).wage - 600.0;
  const double op_growth = std::pow(1.0 + s.income.operating_growth, 1.0);
  CHECK(op_after == doctest::Approx(0.25 * op_before * op_growth).epsilon(1e-4));
}

TEST_CASE("housing renovation: D-grade houses are funded before C-grade, whatever the priority") {
  OneVillage v(0, 1);
  // The C-grade household is far poorer (it would come first by gap); the pool pays one house.
  v.add(LabourCapacity::normal, RegistryStatus::poor, HousingSafety::unsafe, 100.0f, 100.0f);
  const auto d_grade = v.add(LabourCapacity::normal, RegistryStatus::poor, HousingSafety::dangerous, 2000.0f, 2000.0f);
  const LoadedScenario loaded = test::small_scenario(
      quiet + "[measures.housing_renovation]\ntake_up = 1.0\nsubsidy_unsafe = 8500.0\nsubsidy_dangerous = 8500.0\n"
              "build_months = 3\n[guarantees]\nrepair_rate = 0.0\n",
      1000, "",
      {"measures.housing_renovation.enabled=true",
       // exactly one subsidy of 8500 yuan (26562.5 x 0.32) in the county's central pool
       "funding.level=1.0", "funding.central_special.yuan=26562.5", "funding.central_special.growth=0.0",
       "funding.central_special.household_share=0.32", "funding.county_split=\"weights\"",
       "counties.weights=[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]"});
  const Scenario& s = loaded.scenario;
  const auto d_rows = test::trace_of(s, v.pop, d_grade);
  // The D-grade house is rebuilt in the first year (safe from March: the guarantee holds at the
  // year end); the C-grade one waits.
  CHECK(test::trace_row(d_rows, s.first_year, 13).status == static_cast<int>(RegistryStatus::poor));
  SimulationOptions opt;
  opt.seed = s.seed;
  const SimulationResult r = simulate(s, v.pop, opt);
  CHECK(metric(r, "renovated_households", 0, 0) == 1);
  CHECK(metric(r, "renovated_dangerous_households", 0, 0) == 1);
  CHECK(r.city_total(0, 0, Metric::fail_housing_households) == 1);  // the C-grade house is still unsafe
}

TEST_CASE("photovoltaic: the roll-out never exceeds its yearly capacity per county") {
  const LoadedScenario loaded = test::small_scenario(
      "[measures.photovoltaic]\nsystems_per_county = 7\nstations_per_county = 1\ntake_up = 1.0\n[funding]\nlevel = 100.0\n",
      20000, "", {"measures.photovoltaic.enabled=true"});
  const SimulationResult r = test::run(loaded.scenario, 2);
  std::int64_t systems = 0, stations = 0;
  for (int k = 0; k < 2; ++k)
    for (int y = 0; y < r.years; ++y)
      for (int c = 0; c < r.counties; ++c) {
        CHECK(metric(r, "pv_household_systems", k, y, c) <= 7);
        CHECK(metric(r, "pv_village_stations", k, y, c) <= 1);
        systems += metric(r, "pv_household_systems", k, y, c);
        stations += metric(r, "pv_village_stations", k, y, c);
      }
  CHECK(systems > 0);
  CHECK(stations > 0);
  CHECK(metric(r, "pv_income_yuan", 0, 2) > 0);
}

TEST_CASE("attribution: ablating a measure equals running without it, and a measure that is off adds nothing") {
  const LoadedScenario loaded = test::small_scenario("", 6000, "", test::all_measures_on);
  const Population pop = synthesise_population(loaded.scenario);
  SimulationOptions opt;
  opt.replicates = 2;
  opt.seed = loaded.scenario.seed;
  const SimulationResult full = simulate(loaded.scenario, pop, opt);
  const Attribution a = attribute(loaded, test::all_measures_on, full,
                                  [&](const LoadedScenario& without) { return simulate(without.scenario, pop, opt); });
  REQUIRE(a.measures.size() == 6);
  // Industry's share equals the difference to a scenario written without industry.
  std::vector<std::string> no_industry = test::all_measures_on;
  no_industry.push_back("measures.industry.enabled=false");
  no_industry.push_back("targeting.pathway_willing=none");
  const LoadedScenario without = test::small_scenario("", 6000, "", no_industry);
  const SimulationResult rw = simulate(without.scenario, pop, opt);
  int industry = -1;
  for (std::size_t m = 0; m < a.measures.size(); ++m)
    if (a.measures[m] == "industry") industry = static_cast<int>(m);
  REQUIRE(industry >= 0);
  for (int k = 0; k < 2; ++k)
    for (int y = 0; y < full.years; ++y)
      CHECK(a.exit_people[a.at(industry, k, y)] ==
            full.city_total(k, y, Metric::exit_people) - rw.city_total(k, y, Metric::exit_people));
  std::int64_t industry_exits = 0;
  for (int k = 0; k < 2; ++k)
    for (int y = 0; y < full.years; ++y) industry_exits += a.exit_people[a.at(industry, k, y)];
  CHECK(industry_exits > 0);
}

}  // namespace tuopin

namespace tuopin {

TEST_CASE("every measure, source and measure metric is documented in docs/outputs.md and docs/model.md") {
  auto read = [](const std::string& name) {
    std::ifstream in(std::string(TUOPIN_SOURCE_DIR) + "/docs/" + name);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  const std::string outputs = read("outputs.md"), model = read("model.md");
  REQUIRE(!outputs.empty());
  const LoadedScenario loaded = test::small_scenario("", 500, "", test::all_measures_on);
  for (const auto& m : loaded.scenario.measures) {
    INFO(m->name());
    CHECK(model.find("`" + std::string(m->name()) + ".cpp`") != std::string::npos);
    CHECK(outputs.find("`" + std::string(m->name()) + "`") != std::string::npos);
    for (const auto& info : m->metrics()) {
      INFO(info.name);
      CHECK(outputs.find("`" + std::string(info.name) + "`") != std::string::npos);
    }
  }
  for (const auto& source : fund_source_names) CHECK(outputs.find("`" + std::string(source) + "`") != std::string::npos);
}

}  // namespace tuopin
