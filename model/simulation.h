#pragma once
// The simulation loop: replicates x years x households x months.
//
// For each replicate the household state is reset from the population. Each year, village
// disasters are drawn; then households are processed in parallel blocks, each household
// running its twelve months (income, illness, disaster damage, school drop-out, housing
// repair, insurance) and then the year-end assessment. Households interact only through
// village-level events, which are drawn before the block loop, so any split of households
// over threads gives identical results. Counts are integers summed exactly.
#include <cstdint>
#include <functional>
#include <vector>

#include "metrics.h"
#include "population_synthesis.h"
#include "scenario.h"

namespace tuopin {

struct SimulationResult {
  int replicates = 0;
  int first_replicate = 0;  // replicate index (Philox key word 1) of replicate 0 here
  int first_year = 0;
  int years = 0;
  int counties = 0;
  // values[((replicate * years + year) * counties + county) * metric_count + metric]
  std::vector<std::int64_t> values;

  std::int64_t at(int replicate, int year, int county, Metric m) const {
    return values[index(replicate, year, county, m)];
  }
  std::int64_t city_total(int replicate, int year, Metric m) const;
  std::size_t index(int replicate, int year, int county, Metric m) const {
    return ((static_cast<std::size_t>(replicate) * years + year) * counties + county) * metric_count +
           static_cast<int>(m);
  }
};

struct SimulationOptions {
  int replicates = 1;
  std::uint32_t seed = 0;
  int first_replicate = 0;  // replicate index of the first replicate run (key word 1)
  // Called after each replicate-year with (replicates done + fraction of the current one).
  std::function<void(double done, double total)> progress;
};

SimulationResult simulate(const Scenario& scenario, const Population& population,
                          const SimulationOptions& options);

}  // namespace tuopin
