#pragma once
// Scenarios side by side (tuopin compare): each scenario's key results per replicate, and the
// paired difference against a baseline scenario, replicate by replicate. The scenarios of one
// comparison file (or separate files run with the same seed and population) share their random
// numbers, so a paired difference is the policy, not chance; its 5-95% range is over replicates.
#include <ostream>
#include <string>
#include <vector>

#include "result_reader.h"
#include "scenario.h"
#include "simulation.h"
#include "summary.h"

namespace tuopin {

// The key results, in the order printed (name, units, what).
struct KeyResultInfo {
  std::string name, units, label, label_zh;
};
const std::vector<KeyResultInfo>& key_result_info();

struct ScenarioResults {
  ScenarioInFile scenario;
  int first_year = 0, last_year = 0, replicates = 0;
  std::vector<int> replicate_ids;
  std::vector<std::vector<double>> values;  // [key][replicate]
};

// What the key results of one replicate are computed from (the city's series per year).
struct KeyResultInputs {
  std::vector<double> exit, reentry, new_poor, spending_yuan;  // per year
  double poor_end = 0, incidence_end = 0;                      // the last year's
  std::vector<bool> county_exited, poverty_county;             // per county, at the end of the last year
};
// The key results of one replicate, in key_result_info()'s order.
std::vector<double> key_results(const KeyResultInputs& inputs);
// The same from a run in memory (tuopin sweep), for replicate `replicate` of `result`.
std::vector<double> key_results(const SimulationResult& result, const Scenario& scenario, int replicate);

// Reads the key results of a scenario from its file (InputError if a dataset is missing).
ScenarioResults read_key_results(const ScenarioInFile& scenario);

struct Comparison {
  std::vector<ScenarioResults> scenarios;
  std::size_t baseline = 0;
  bool paired = true;                 // same replicates: differences are taken replicate by replicate
  std::vector<std::string> warnings;  // populations or seeds that differ
  // Statistics of each scenario's values, and of its paired difference from the baseline.
  std::vector<std::vector<Statistics>> value;       // [scenario][key]
  std::vector<std::vector<Statistics>> difference;  // [scenario][key]
};

// Throws InputError when the scenarios cannot be compared (different windows or replicates).
Comparison compare_scenarios(const std::vector<ScenarioInFile>& scenarios, std::size_t baseline);

void print_comparison(std::ostream& out, const Comparison& c);

}  // namespace tuopin
