#include "attribution.h"

#include "measures/measure.h"

namespace tuopin {

std::vector<std::string> ablation_settings(const Scenario& s, const std::string& name) {
  std::vector<std::string> out = {"measures." + name + ".enabled=false"};
  const Targeting& t = s.targeting;
  const std::pair<const char*, std::uint8_t> pathways[] = {{"pathway_no_labour", t.pathway_no_labour},
                                                          {"pathway_willing", t.pathway_willing},
                                                          {"pathway_unwilling", t.pathway_unwilling}};
  for (const auto& [key, index] : pathways)
    if (index != no_pathway && s.measures[index]->name() == name) out.push_back(std::string("targeting.") + key + "=none");
  return out;
}

Attribution attribute(const LoadedScenario& loaded, const std::vector<std::string>& settings,
                      const SimulationResult& full,
                      const std::function<SimulationResult(const LoadedScenario&)>& run) {
  const Scenario& s = loaded.scenario;
  Attribution a;
  a.replicates = full.replicates;
  a.years = full.years;
  a.first_year = full.first_year;
  for (const auto& m : s.measures)
    if (m->enabled()) a.measures.emplace_back(m->name());
  const std::size_t n = a.measures.size() * a.replicates * a.years;
  a.exit_people.assign(n, 0);
  a.reentry_people.assign(n, 0);
  a.poor_end_people.assign(n, 0);
  a.spending_fen.assign(n, 0);
  for (std::size_t k = 0; k < a.measures.size(); ++k) {
    std::vector<std::string> with = settings;
    for (auto& setting : ablation_settings(s, a.measures[k])) with.push_back(setting);
    // The resolved text already holds the run's --set values; the ablation's come after them.
    const LoadedScenario without = load_scenario_text(loaded.resolved_toml, "<ablation of " + a.measures[k] + ">", ".", with);
    const SimulationResult r = run(without);
    for (int rep = 0; rep < a.replicates; ++rep)
      for (int y = 0; y < a.years; ++y) {
        const std::size_t i = a.at(static_cast<int>(k), rep, y);
        a.exit_people[i] = full.city_total(rep, y, Metric::exit_people) - r.city_total(rep, y, Metric::exit_people);
        a.reentry_people[i] = full.city_total(rep, y, Metric::reentry_people) - r.city_total(rep, y, Metric::reentry_people);
        a.poor_end_people[i] = full.city_total(rep, y, Metric::poor_end_people) - r.city_total(rep, y, Metric::poor_end_people);
        a.spending_fen[i] = full.city_spend(rep, y) - r.city_spend(rep, y);
      }
  }
  return a;
}

}  // namespace tuopin
