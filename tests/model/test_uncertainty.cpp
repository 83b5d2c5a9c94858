// Uncertainty beyond chance (docs/model.md, 7.9): the dictionary's ranges, the per-replicate
// draws, running and merging replicates, ablation with the same draws.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "attribution.h"
#include "random.h"
#include "result_file.h"
#include "test_support.h"
#include "uncertain_parameters.h"
#include "uncertainty.h"

using namespace tuopin;

namespace {

const std::vector<std::string> uncertain_on = {"uncertainty.parameters=true"};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

SimulationOptions options_for(const Scenario& s, int replicates, int first = 0) {
  SimulationOptions opt;
  opt.replicates = replicates;
  opt.first_replicate = first;
  opt.seed = s.seed;
  return opt;
}

// FNV-1a over the bytes of a column.
template <typename V>
std::uint64_t hash_column(const V& column, std::uint64_t h) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(column.data());
  for (std::size_t k = 0; k < column.size() * sizeof(column[0]); ++k) {
    h ^= bytes[k];
    h *= 1099511628211ull;
  }
  return h;
}

std::uint64_t hash_population(const Population& pop) {
  const Households& h = pop.households;
  std::uint64_t x = 1469598103934665603ull;
  x = hash_column(h.county, x);
  x = hash_column(h.village, x);
  x = hash_column(h.size, x);
  for (int k = 0; k < age_band_count; ++k) x = hash_column(h.members[k], x);
  x = hash_column(h.labour, x);
  x = hash_column(h.flags, x);
  x = hash_column(h.cause_main, x);
  x = hash_column(h.cause_secondary, x);
  x = hash_column(h.land, x);
  for (int k = 0; k < income_source_count; ++k) x = hash_column(h.base_income[k], x);
  x = hash_column(h.status0, x);
  x = hash_column(h.housing0, x);
  x = hash_column(h.entry_year, x);
  x = hash_column(pop.villages.county, x);
  x = hash_column(pop.villages.poor, x);
  x = hash_column(pop.villages.remoteness, x);
  x = hash_column(pop.villages.road, x);
  x = hash_column(pop.villages.water, x);
  x = hash_column(pop.villages.collective_income, x);
  return x;
}

const UncertainParameter& parameter(const Scenario& s, std::string_view path) {
  for (const auto& p : s.uncertainty.list)
    if (p.path == path) return p;
  FAIL("no uncertain parameter " << path);
  return s.uncertainty.list.front();
}

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// City exits over the window in each replicate.
std::vector<double> window_exits(const SimulationResult& r) {
  std::vector<double> out;
  for (int k = 0; k < r.replicates; ++k) {
    std::int64_t sum = 0;
    for (int y = 0; y < r.years; ++y) sum += r.city_total(k, y, Metric::exit_people);
    out.push_back(static_cast<double>(sum));
  }
  return out;
}

double standard_deviation(const std::vector<double>& v) {
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

}  // namespace

TEST_CASE("uncertain ranges: inside each key's valid range, holding its default, never a synthesis key") {
  const std::vector<std::string> problems = uncertain_range_problems();
  for (const auto& p : problems) INFO(p);
  CHECK(problems.empty());
  int count = 0;
  for (const auto& s : parameter_specs()) {
    if (!s.uncertain()) continue;
    ++count;
    INFO(s.path());
    CHECK((s.type == ParamType::real || s.type == ParamType::integer));
    CHECK(s.min <= s.uncertain_low);
    CHECK(s.uncertain_low < s.uncertain_high);
    CHECK(s.uncertain_high <= s.max);
    const double d = std::stod(std::string(s.default_toml));
    CHECK(s.uncertain_low <= d);
    CHECK(d <= s.uncertain_high);
    CHECK(!s.uncertain_source.empty());
    CHECK(!synthesis_only_parameter(s.section, s.key));
  }
  CHECK(count == static_cast<int>(uncertain_ranges().size()));
  // Named by the brief of the feature: the assumed behavioural rates and effect sizes.
  for (const char* path : {"shocks.illness_rate", "shocks.illness_cost_mean", "shocks.disaster_rate",
                           "shocks.disaster_operating_loss", "income.wage_growth", "income.operating_growth",
                           "income.persistent_sd", "income.wage_transitory_sd", "income.operating_transitory_sd",
                           "guarantees.dropout_rate", "guarantees.repair_rate", "guarantees.medical_reimbursement",
                           "assessment.reentry_identification", "assessment.new_poor_identification",
                           "measures.industry.success_rate", "measures.employment.training_success"}) {
    INFO(path);
    CHECK(std::any_of(uncertain_ranges().begin(), uncertain_ranges().end(),
                      [&](const UncertainRange& u) { return u.path == path; }));
  }
}

TEST_CASE("uncertain ranges: a bad table is rejected, a synthesis key above all") {
  auto problem_of = [](const UncertainRange& u) {
    const UncertainRange table[] = {u};
    const auto p = uncertain_range_problems(table);
    return p.empty() ? std::string() : p.front();
  };
  CHECK(problem_of({"population.disability_rate", 0.05, 0.1, "assumed"}).find("population synthesis") !=
        std::string::npos);
  CHECK(problem_of({"income.dispersion", 0.3, 0.4, "assumed"}).find("population synthesis") != std::string::npos);
  CHECK(problem_of({"counties.road_access", 0.5, 0.9, "assumed"}).find("only a number") != std::string::npos);
  CHECK(problem_of({"shocks.illness_rate", 0.005, 0.006, "assumed"}).find("does not hold the default") !=
        std::string::npos);
  CHECK(problem_of({"shocks.illness_rate", 0.0, 1.5, "assumed"}).find("[min, max]") != std::string::npos);
  CHECK(problem_of({"shocks.ilness_rate", 0.001, 0.01, "assumed"}).find("not a key") != std::string::npos);
  CHECK(problem_of({"shocks.illness_rate", 0.001, 0.01, ""}).find("no reasoning") != std::string::npos);
  CHECK(problem_of({"shocks.illness_rate", 0.001, 0.01, "assumed"}).empty());
  const UncertainRange twice[] = {{"shocks.illness_rate", 0.001, 0.01, "assumed"},
                                  {"shocks.illness_rate", 0.002, 0.01, "assumed"}};
  CHECK(uncertain_range_problems(twice).size() == 1);
  // The documented synthesis keys (docs/model.md, section 5).
  CHECK(synthesis_only_parameter("population", "poor_people"));
  CHECK(!synthesis_only_parameter("population", "rural_population"));
  CHECK(synthesis_only_parameter("counties", "weights"));
  CHECK(synthesis_only_parameter("income", "median_ratio_poor"));
  CHECK(synthesis_only_parameter("income", "source_shares_none"));
  CHECK(!synthesis_only_parameter("income", "wage_growth"));
}

TEST_CASE("uncertain parameters do not reach the population synthesis, which every replicate shares") {
  const LoadedScenario base = test::small_scenario("", 3000);
  const std::uint64_t reference = hash_population(synthesise_population(base.scenario));
  for (const auto& p : base.scenario.uncertainty.list) {
    for (const double v : {p.spec->uncertain_low, p.spec->uncertain_high}) {
      const std::string setting =
          p.path + "=" + (p.spec->type == ParamType::integer ? std::to_string(std::llround(v)) : number(v));
      INFO(setting);
      const LoadedScenario changed = test::small_scenario("", 3000, "", {setting});
      CHECK(hash_population(synthesise_population(changed.scenario)) == reference);
    }
  }
  // The check can fail: a synthesis key does change the population.
  const LoadedScenario synthesis_key = test::small_scenario("", 3000, "", {"income.dispersion=0.5"});
  CHECK(hash_population(synthesise_population(synthesis_key.scenario)) != reference);
}

TEST_CASE("[uncertainty]: off by default; hold and scenario values keep a parameter; the baseline holds none") {
  const LoadedScenario plain = test::small_scenario();
  CHECK(!plain.scenario.uncertainty.parameters);
  CHECK(plain.scenario.uncertainty.list.size() == uncertain_ranges().size());
  CHECK(uncertainty_settings(plain.scenario.uncertainty, 1, 0).empty());

  // Every uncertain key of the embedded baseline is at the dictionary's default, so none is held.
  const LoadedScenario baseline = load_default_scenario(uncertain_on);
  for (const auto& p : baseline.scenario.uncertainty.list) {
    INFO(p.path);
    CHECK(!p.held);
  }
  CHECK(uncertainty_settings(baseline.scenario.uncertainty, 1, 0).size() == uncertain_ranges().size());

  const LoadedScenario held = test::small_scenario(
      "[uncertainty]\nparameters = true\nhold = [\"shocks.illness_rate\", \"measures.industry.success_rate\"]\n"
      "[income]\nwage_growth = 0.09\n[shocks]\ndisaster_rate = 0.005\n");
  const Uncertainty& u = held.scenario.uncertainty;
  CHECK(parameter(held.scenario, "shocks.illness_rate").held);
  CHECK(parameter(held.scenario, "measures.industry.success_rate").held);
  CHECK(parameter(held.scenario, "income.wage_growth").held);  // set away from the default
  CHECK(parameter(held.scenario, "income.wage_growth").value == 0.09);
  CHECK(!parameter(held.scenario, "shocks.disaster_rate").held);  // set, but to the default
  CHECK(!parameter(held.scenario, "income.operating_growth").held);
  const auto settings = uncertainty_settings(u, held.scenario.seed, 3);
  CHECK(settings.size() == u.list.size() - 3);
  for (const auto& s : settings) {
    INFO(s);
    CHECK(s.rfind("shocks.illness_rate=", 0) != 0);
    CHECK(s.rfind("income.wage_growth=", 0) != 0);
  }
  // Held values are the scenario's in every replicate; a draw does not depend on what is held.
  const LoadedScenario free = test::small_scenario("", 20000, "", uncertain_on);
  for (std::uint32_t r : {0u, 5u}) {
    const auto a = uncertain_values(u, held.scenario.seed, r);
    const auto b = uncertain_values(free.scenario.uncertainty, free.scenario.seed, r);
    REQUIRE(a.size() == b.size());
    for (std::size_t p = 0; p < a.size(); ++p) {
      INFO(u.list[p].path);
      if (u.list[p].held)
        CHECK(a[p] == u.list[p].value);
      else
        CHECK(a[p] == b[p]);
    }
  }
}

TEST_CASE("[uncertainty]: a hold naming an unknown or certain key fails at its position with a suggestion") {
  auto message_of = [](const std::string& hold) {
    try {
      test::small_scenario("[uncertainty]\nparameters = true\nhold = [" + hold + "]\n");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string misspelt = message_of("\"shocks.ilness_rate\"");
  CHECK(misspelt.find("test.toml:4:8: 'uncertainty.hold' names 'shocks.ilness_rate', which is not a scenario key") !=
        std::string::npos);
  CHECK(misspelt.find("did you mean 'shocks.illness_rate'?") != std::string::npos);
  const std::string certain = message_of("\"population.poor_people\"");
  CHECK(certain.find("'population.poor_people', which has no uncertain range") != std::string::npos);
  const std::string certain_close = message_of("\"shocks.illness_cost_dispersion\"");
  CHECK(certain_close.find("has no uncertain range") != std::string::npos);
  CHECK(certain_close.find("did you mean 'shocks.illness_cost_mean'?") != std::string::npos);
  CHECK(message_of("\"shocks.illness_rate\"") == "no error");
  CHECK(message_of("") == "no error");  // an empty list is allowed
}

TEST_CASE("uncertainty off: simulate_replicates is simulate, bit for bit") {
  const LoadedScenario loaded = test::small_scenario("", 6000, "", test::all_measures_on);
  const Population pop = synthesise_population(loaded.scenario);
  const SimulationOptions opt = options_for(loaded.scenario, 3, 2);
  const SimulationResult a = simulate(loaded.scenario, pop, opt);
  const SimulationResult b = simulate_replicates(loaded, pop, opt);
  CHECK(test::hash_result(a) == test::hash_result(b));
  CHECK(b.replicates == 3);
  CHECK(b.first_replicate == 2);
  CHECK(b.uncertain_parameters.empty());
  CHECK(b.uncertain_values.empty());
  // Switched on with every parameter held: the same numbers again, with the values recorded.
  std::string hold;
  for (const auto& u : uncertain_ranges()) hold += (hold.empty() ? "\"" : ", \"") + std::string(u.path) + "\"";
  const LoadedScenario all_held =
      test::small_scenario("[uncertainty]\nparameters = true\nhold = [" + hold + "]\n", 6000, "", test::all_measures_on);
  const SimulationResult c = simulate_replicates(all_held, pop, opt);
  CHECK(test::hash_result(c) == test::hash_result(a));
  CHECK(c.uncertain_values.size() == 3 * uncertain_ranges().size());
}

TEST_CASE("uncertainty on: draws inside their ranges, the same for the same seed and replicate, new in each replicate") {
  const LoadedScenario loaded = test::small_scenario("", 6000, "", with(test::all_measures_on, uncertain_on));
  const Scenario& s = loaded.scenario;
  const Population pop = synthesise_population(s);
  const SimulationResult r = simulate_replicates(loaded, pop, options_for(s, 4));
  const std::size_t P = s.uncertainty.list.size();
  REQUIRE(r.uncertain_parameters.size() == P);
  REQUIRE(r.uncertain_values.size() == 4 * P);
  for (std::size_t p = 0; p < P; ++p) {
    const UncertainParameter& u = s.uncertainty.list[p];
    INFO(u.path);
    CHECK(r.uncertain_parameters[p] == u.path);
    for (int k = 0; k < 4; ++k) {
      const double v = r.uncertain_values[k * P + p];
      CHECK(v >= u.spec->uncertain_low);
      CHECK(v <= u.spec->uncertain_high);
      if (u.spec->type == ParamType::integer) CHECK(v == std::round(v));
      // The draw is a function of (seed, replicate, key) alone.
      CHECK(v == uncertain_draw(*u.spec, s.seed, static_cast<std::uint32_t>(k)));
      const double u01 = to_unit(draw(RandomKey{s.seed, static_cast<std::uint32_t>(k)}, fnv1a32(u.path),
                                      Stream::uncertainty, 0).v[0]);
      if (u.spec->type == ParamType::real)
        CHECK(v == u.spec->uncertain_low + (u.spec->uncertain_high - u.spec->uncertain_low) * u01);
    }
    if (u.spec->type == ParamType::real) {  // continuous: equal draws in two replicates have probability 2^-32
      CHECK(r.uncertain_values[0 * P + p] != r.uncertain_values[1 * P + p]);
      CHECK(r.uncertain_values[2 * P + p] != r.uncertain_values[3 * P + p]);
    }
  }
  // Another seed draws other values.
  CHECK(uncertain_draw(*s.uncertainty.list[0].spec, s.seed + 1, 0) != r.uncertain_values[0]);

  // Each replicate ran on its own draws: the replicate's scenario reads them back exactly.
  for (std::uint32_t k : {0u, 3u}) {
    const LoadedScenario one = replicate_scenario(loaded, s.seed, k);
    for (std::size_t p = 0; p < P; ++p) {
      INFO(s.uncertainty.list[p].path);
      CHECK(one.scenario.uncertainty.list[p].value == r.uncertain_values[k * P + p]);
    }
    const std::size_t illness = static_cast<std::size_t>(&parameter(s, "shocks.illness_rate") - s.uncertainty.list.data());
    CHECK(one.scenario.shocks.illness_rate == r.uncertain_values[k * P + illness]);
  }
  // Replicate 3 alone (first_replicate = 3) is replicate 3 of the run.
  const SimulationResult alone = simulate_replicates(loaded, pop, options_for(s, 1, 3));
  CHECK(alone.first_replicate == 3);
  CHECK(std::equal(alone.uncertain_values.begin(), alone.uncertain_values.end(), r.uncertain_values.begin() + 3 * P));
  for (int y = 0; y < r.years; ++y)
    for (int c = 0; c < r.counties; ++c)
      for (int m = 0; m < metric_count; ++m)
        CHECK(alone.at(0, y, c, static_cast<Metric>(m)) == r.at(3, y, c, static_cast<Metric>(m)));
  // ... and the same as simulate on replicate 3's scenario.
  const SimulationResult direct = simulate(replicate_scenario(loaded, s.seed, 3).scenario, pop, options_for(s, 1, 3));
  CHECK(test::hash_result(direct) == test::hash_result(alone));
  // The draws changed the outcome: the replicate differs from replicate 3 without uncertainty.
  const LoadedScenario off = test::small_scenario("", 6000, "", test::all_measures_on);
  CHECK(test::hash_result(simulate(off.scenario, pop, options_for(s, 1, 3))) != test::hash_result(alone));
}

TEST_CASE("uncertainty on: identical for 1 and 4 threads, and replicates 0-3 are 0-1 and 2-3 merged") {
  const LoadedScenario loaded = test::small_scenario("", 6000, "", with(test::all_measures_on, uncertain_on));
  const Population pop = synthesise_population(loaded.scenario);
  const SimulationOptions opt = options_for(loaded.scenario, 4);
  const auto [one, seen1] = test::with_threads(1, [&] { return simulate_replicates(loaded, pop, opt); });
  const auto [four, seen4] = test::with_threads(4, [&] { return simulate_replicates(loaded, pop, opt); });
  CHECK(seen1 == 1);
  CHECK(seen4 == 4);
  CHECK(test::hash_result(one) == test::hash_result(four));
  CHECK(one.uncertain_values == four.uncertain_values);

  SimulationResult merged = simulate_replicates(loaded, pop, options_for(loaded.scenario, 2, 0));
  append_replicates(merged, simulate_replicates(loaded, pop, options_for(loaded.scenario, 2, 2)));
  CHECK(merged.replicates == 4);
  CHECK(merged.first_replicate == 0);
  CHECK(test::hash_result(merged) == test::hash_result(one));
  CHECK(merged.uncertain_values == one.uncertain_values);
  CHECK(merged.values.size() == one.values.size());
  // A block that does not follow is refused.
  SimulationResult gap = simulate_replicates(loaded, pop, options_for(loaded.scenario, 1, 0));
  CHECK_THROWS_AS(append_replicates(gap, simulate_replicates(loaded, pop, options_for(loaded.scenario, 1, 2))),
                  std::logic_error);
}

TEST_CASE("append_replicates merges plain runs too: replicates 0-2 equal 0 and 1-2") {
  const LoadedScenario loaded = test::small_scenario("", 6000, "", test::all_measures_on);
  const Population pop = synthesise_population(loaded.scenario);
  const SimulationResult whole = simulate(loaded.scenario, pop, options_for(loaded.scenario, 3));
  SimulationResult merged;
  append_replicates(merged, simulate(loaded.scenario, pop, options_for(loaded.scenario, 1, 0)));
  append_replicates(merged, simulate(loaded.scenario, pop, options_for(loaded.scenario, 2, 1)));
  CHECK(merged.replicates == 3);
  CHECK(test::hash_result(merged) == test::hash_result(whole));
}

TEST_CASE("uncertainty on: progress covers the whole run and the trace every replicate") {
  const LoadedScenario loaded = test::small_scenario("", 3000, "", uncertain_on);
  const Population pop = synthesise_population(loaded.scenario);
  std::vector<double> done;
  std::vector<TraceRow> trace;
  SimulationOptions opt = options_for(loaded.scenario, 3, 1);
  opt.progress = [&](double d, double total) {
    CHECK(total == 3.0);
    done.push_back(d);
  };
  opt.trace_household = 5;
  opt.trace = &trace;
  const SimulationResult r = simulate_replicates(loaded, pop, opt);
  REQUIRE(done.size() == static_cast<std::size_t>(3 * r.years));
  CHECK(std::is_sorted(done.begin(), done.end()));
  CHECK(done.front() > 0.0);
  CHECK(done.back() == doctest::Approx(3.0));
  REQUIRE(trace.size() == static_cast<std::size_t>(3 * r.years * 13));
  CHECK(trace.front().replicate == 1);
  CHECK(trace.back().replicate == 3);
}

TEST_CASE("uncertainty on widens the across-replicate spread of the city's exits") {
  // 16 replicates of about 42,000 households. Without uncertain parameters the spread of
  // three-year exits is chance alone; with them it adds the effect of wage growth, illness,
  // identification and the rest varying over their ranges, an effect that grows with the
  // population (chance grows with its square root). The numbers are fixed by the seed, so the
  // test is deterministic; when written the sd was 134 people without and 783 with (5.8x). It
  // asks for 3x. Were the seed drawn at random, the log of the ratio of two sds on 15 degrees of
  // freedom each has an sd of about 0.26, so 3x is 2.6 sds below 5.8x (a miss about 1 time in
  // 200), while without any effect a ratio of 3 (F = 9 on 15 and 15) comes less than 1 time in 10,000.
  const LoadedScenario off = test::small_scenario("", 45000);
  const LoadedScenario on = test::small_scenario("", 45000, "", uncertain_on);
  const Population pop = synthesise_population(off.scenario);
  const SimulationOptions opt = options_for(off.scenario, 16);
  const double sd_off = standard_deviation(window_exits(simulate_replicates(off, pop, opt)));
  const double sd_on = standard_deviation(window_exits(simulate_replicates(on, pop, opt)));
  MESSAGE("sd of three-year exits: " << sd_off << " without, " << sd_on << " with uncertain parameters");
  CHECK(sd_off > 0);
  CHECK(sd_on > 3.0 * sd_off);
}

TEST_CASE("ablation with uncertain parameters uses the full run's draws in each replicate") {
  const LoadedScenario loaded = test::small_scenario("", 6000, "", with(test::all_measures_on, uncertain_on));
  const Population pop = synthesise_population(loaded.scenario);
  const SimulationOptions opt = options_for(loaded.scenario, 2);
  const SimulationResult full = simulate_replicates(loaded, pop, opt);
  int runs = 0;
  const Attribution a = attribute(loaded, with(test::all_measures_on, uncertain_on), full, [&](const LoadedScenario& without) {
    const SimulationResult r = simulate_replicates(without, pop, opt);
    CHECK(r.uncertain_values == full.uncertain_values);
    ++runs;
    return r;
  });
  CHECK(runs == 6);
  // Industry's share equals the difference to the scenario written without industry, drawn alike.
  const LoadedScenario without = test::small_scenario(
      "", 6000, "",
      with(with(test::all_measures_on, uncertain_on), {"measures.industry.enabled=false", "targeting.pathway_willing=none"}));
  const SimulationResult rw = simulate_replicates(without, pop, opt);
  CHECK(rw.uncertain_values == full.uncertain_values);
  const auto it = std::find(a.measures.begin(), a.measures.end(), "industry");
  REQUIRE(it != a.measures.end());
  const int industry = static_cast<int>(it - a.measures.begin());
  for (int k = 0; k < 2; ++k)
    for (int y = 0; y < full.years; ++y)
      CHECK(a.exit_people[a.at(industry, k, y)] ==
            full.city_total(k, y, Metric::exit_people) - rw.city_total(k, y, Metric::exit_people));
}

TEST_CASE("the result file holds the uncertain parameters' values, and nothing of them without uncertainty") {
  const auto dir = std::filesystem::temp_directory_path() / ("tuopin_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const LoadedScenario loaded = test::small_scenario("[uncertainty]\nhold = [\"income.wage_growth\"]\n", 3000, "",
                                                     uncertain_on);
  const Population pop = synthesise_population(loaded.scenario);
  const SimulationResult r = simulate_replicates(loaded, pop, options_for(loaded.scenario, 2, 4));
  const auto path = dir / "uncertain.h5";
  std::filesystem::remove(path);
  write_result_file(path, false, loaded, pop, r, RunInfo{"test", "none", "test", "host", "now", 1, 0.0, "synthesised", {}});
  const Dataset value = read_dataset(path, "/uncertainty/value");
  const std::size_t P = uncertain_ranges().size();
  REQUIRE(value.shape == std::vector<std::size_t>{2, P});
  CHECK(value.dimensions == std::vector<std::string>{"replicate", "parameter"});
  CHECK(value.values == r.uncertain_values);
  CHECK(read_dataset(path, "/uncertainty/replicate").values == std::vector<double>{4, 5});
  const Dataset held = read_dataset(path, "/uncertainty/held");
  const Dataset low = read_dataset(path, "/uncertainty/low");
  for (std::size_t p = 0; p < P; ++p) {
    CHECK(held.values[p] == (loaded.scenario.uncertainty.list[p].path == "income.wage_growth" ? 1.0 : 0.0));
    CHECK(low.values[p] == loaded.scenario.uncertainty.list[p].spec->uncertain_low);
  }

  const LoadedScenario plain = test::small_scenario("", 3000);
  const auto plain_path = dir / "plain.h5";
  std::filesystem::remove(plain_path);
  write_result_file(plain_path, false, plain, pop, simulate_replicates(plain, pop, options_for(plain.scenario, 1)),
                    RunInfo{"test", "none", "test", "host", "now", 1, 0.0, "synthesised", {}});
  CHECK_THROWS(read_dataset(plain_path, "/uncertainty/value"));
}
