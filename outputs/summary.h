#pragma once
// Summaries across replicates (mean and quantiles) and the run summary printed on stdout.
#include <ostream>
#include <string>
#include <vector>

#include "attribution.h"
#include "scenario.h"
#include "simulation.h"

namespace tuopin {

inline constexpr std::array<std::string_view, 4> statistic_names = {"mean", "p05", "p50", "p95"};

struct Statistics {
  double mean = 0, p05 = 0, p50 = 0, p95 = 0;
  double operator[](std::size_t k) const { return k == 0 ? mean : k == 1 ? p05 : k == 2 ? p50 : p95; }
};

// Quantile q in [0, 1] of `values` by linear interpolation between order statistics
// (Hyndman and Fan type 7, the default of R and NumPy).
double quantile(std::vector<double> values, double q);
Statistics summarise(const std::vector<double>& values);

// Poverty incidence of the city: registered poor people at the end of the year / rural
// population (scaled like the population).
double incidence(const SimulationResult& r, int replicate, int year);

// A table with a header row and a rule under it, columns two spaces apart and right-aligned (the
// first left-aligned with `first_left`); widths in display columns (a CJK character takes two).
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows, bool first_left = false);

// The table printed by `tuopin run`: per year, the mean and 5-95% range of each count.
void print_summary(std::ostream& out, const Scenario& s, const SimulationResult& r);
// What each measure adds by ablation, over the window: mean [5%-95%] over replicates.
void print_attribution(std::ostream& out, const Attribution& a);
// Spending per year and per exit, and per measure (printed by print_summary when a measure is on).
void print_spending(std::ostream& out, const Scenario& s, const SimulationResult& r);

}  // namespace tuopin
