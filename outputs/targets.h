#pragma once
// The plan's target per county and for the city (贫困县摘帽): across replicates, the probability
// that a county has met every exit criterion by the window's last year, the first year it does,
// its remaining poor, incidence, error rates and re-entries, and the money spent on it. Read by
// the run summary and written to the result file's /target group (docs/outputs.md).
#include <array>
#include <ostream>
#include <string_view>
#include <vector>

#include "scenario.h"
#include "simulation.h"
#include "summary.h"

namespace tuopin {

// The county criteria of area_exit.h, in county_criterion bit order.
inline constexpr std::array<std::string_view, 5> criterion_names = {"incidence", "wrong_exit", "missed", "villages",
                                                                     "approval"};

// Rates of a county (or, with county = -1, the whole city) at the end of a replicate-year.
double comprehensive_incidence(const SimulationResult& r, int replicate, int year, int county);
double wrong_exit_rate(const SimulationResult& r, int replicate, int year, int county);
double missed_rate(const SimulationResult& r, int replicate, int year, int county);

struct CountyTarget {
  bool poverty_county = false;
  double exit_probability = 0;       // share of replicates that met every criterion by the last year
  std::vector<int> first_exit_year;  // per replicate; 0: not by the last year
  // Across replicates, at the end of the window's last year unless said otherwise.
  Statistics poor_end, incidence, wrong_exit, missed, villages_exited;
  Statistics reentries;              // re-entries over the window, persons
  Statistics reentry_rate;           // re-entries over exits, both over the window
  Statistics spending_yuan;          // spending of every measure over the window
  std::array<double, criterion_names.size()> failing{};  // share of replicates failing each criterion in the last year
  int poor_villages = 0;
};

struct Targets {
  int first_year = 0, last_year = 0;
  std::vector<CountyTarget> counties;
  int poverty_counties = 0;
  double all_poverty_counties_probability = 0;  // every listed poverty county exited by the last year
  Statistics counties_exited;                   // counties (of all) exited by the last year
  Statistics poor_end, incidence, reentries, reentry_rate, spending_yuan;  // the city
};

Targets compute_targets(const Scenario& s, const SimulationResult& r);

// The county table of `tuopin run`.
void print_targets(std::ostream& out, const Scenario& s, const Targets& t);

}  // namespace tuopin
