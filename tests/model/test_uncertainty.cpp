// Uncertainty beyond chance (docs/model.md, 7.9): the dictionary's ranges and the per-replicate
// draws.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "test_support.h"
#include "uncertain_parameters.h"

using namespace tuopin;

namespace {

const std::vector<std::string> uncertain_on = {"uncertainty.parameters=true"};

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

