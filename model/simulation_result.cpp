// Merging blocks of replicates of one run (uncertain parameters run one replicate at a time;
// a run split over processes would merge the same way).
#include <stdexcept>

#include "simulation.h"

namespace tuopin {

#if defined(__GLIBCXX__) && defined(__x86_64__)
// A reminder, not a rule of the model: a field added to SimulationResult must be merged below.
static_assert(sizeof(SimulationResult) == 392, "SimulationResult changed: update append_replicates");
#endif

namespace {
template <typename V>
void concatenate(V& into, const V& more) {
  into.insert(into.end(), more.begin(), more.end());
}
}  // namespace

void append_replicates(SimulationResult& into, const SimulationResult& more) {
  if (into.replicates == 0) {
    into = more;
    return;
  }
  auto mismatch = [](const std::string& what) {
    throw std::logic_error("append_replicates: the blocks differ in " + what);
  };
  if (more.first_replicate != into.first_replicate + into.replicates)
    mismatch("replicates (the block does not follow the last one)");
  if (more.first_year != into.first_year || more.years != into.years) mismatch("years");
  if (more.counties != into.counties) mismatch("counties");
  if (more.measures != into.measures || more.measure_names != into.measure_names) mismatch("measures");
  if (more.extra_metrics != into.extra_metrics || more.extra_metric_info.size() != into.extra_metric_info.size())
    mismatch("measure metrics");
  for (std::size_t k = 0; k < more.extra_metric_info.size(); ++k)
    if (more.extra_metric_info[k].name != into.extra_metric_info[k].name) mismatch("measure metrics");
  if (more.uncertain_parameters != into.uncertain_parameters) mismatch("uncertain parameters");
  if (more.villages != into.villages) mismatch("villages");

  into.replicates += more.replicates;
  concatenate(into.values, more.values);
  concatenate(into.spend_fen, more.spend_fen);
  concatenate(into.beneficiary_households, more.beneficiary_households);
  concatenate(into.beneficiary_people, more.beneficiary_people);
  concatenate(into.pool_available_fen, more.pool_available_fen);
  concatenate(into.pool_spent_fen, more.pool_spent_fen);
  concatenate(into.measure_metrics, more.measure_metrics);
  concatenate(into.uncertain_values, more.uncertain_values);
  concatenate(into.village_exit_year, more.village_exit_year);
  for (std::size_t p = 0; p < into.phase_seconds.size(); ++p) into.phase_seconds[p] += more.phase_seconds[p];
  // state_bytes_per_household: the first block's (every block runs the same measures).
}

}  // namespace tuopin
