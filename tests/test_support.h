#pragma once
// Small scenarios for fast tests: the embedded baseline with a scaled-down population.
#include <string>

#include "population_synthesis.h"
#include "scenario.h"
#include "simulation.h"

namespace tuopin::test {

// The baseline with about `people` registered poor (and proportional exited and near-poor)
// plus any extra TOML keys (`extra` must not repeat the [population] table header).
inline LoadedScenario small_scenario(const std::string& extra = "", double people = 20000,
                                     const std::string& population_extra = "") {
  const std::string text = "inherits = \"anqing-baseline.toml\"\n" + extra +
                           "\n[population]\npoor_people = " + std::to_string(people) +
                           "\nexited_people = " + std::to_string(people * 0.9) +
                           "\nnear_poor_people = " + std::to_string(people * 0.5) + "\n" +
                           population_extra;
  return load_scenario_text(text, "test.toml", ".");
}

// Every measure switched on (each [measures.<name>] section), as the extra text of small_scenario.
inline const std::string all_measures_on =
    "[measures.safety_net]\nenabled = true\n[measures.industry]\nenabled = true\n"
    "[measures.employment]\nenabled = true\n[measures.asset_income]\nenabled = true\n"
    "[measures.education_aid]\nenabled = true\n[measures.health]\nenabled = true\n";

inline SimulationResult run(const Scenario& s, int replicates = 2) {
  const Population pop = synthesise_population(s);
  SimulationOptions opt;
  opt.replicates = replicates;
  opt.seed = s.seed;
  return simulate(s, pop, opt);
}

}  // namespace tuopin::test
