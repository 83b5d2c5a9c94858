#include "uncertainty.h"

namespace tuopin {

LoadedScenario replicate_scenario(const LoadedScenario& loaded, std::uint32_t seed, std::uint32_t replicate) {
  const std::vector<std::string> settings = uncertainty_settings(loaded.scenario.uncertainty, seed, replicate);
  if (settings.empty()) return loaded;
  // The resolved text has no `inherits` left, so the folder it would be read from does not matter.
  LoadedScenario out = load_scenario_text(loaded.resolved_toml, "<replicate " + std::to_string(replicate) + ">", ".",
                                          settings);
  out.sources = loaded.sources;
  return out;
}

SimulationResult simulate_replicates(const LoadedScenario& loaded, const Population& population,
                                     const SimulationOptions& options) {
  const Uncertainty& u = loaded.scenario.uncertainty;
  if (!u.parameters) return simulate(loaded.scenario, population, options);

  std::vector<std::string> names;
  for (const auto& p : u.list) names.push_back(p.path);
  auto record = [&](SimulationResult& r, int first, int count) {
    r.uncertain_parameters = names;
    r.uncertain_values.clear();
    for (int k = 0; k < count; ++k)
      for (double v : uncertain_values(u, options.seed, static_cast<std::uint32_t>(first + k)))
        r.uncertain_values.push_back(v);
  };
  if (!u.any_drawn()) {  // every uncertain parameter held: one run, as without uncertainty
    SimulationResult r = simulate(loaded.scenario, population, options);
    record(r, options.first_replicate, options.replicates);
    return r;
  }

  SimulationResult all;
  for (int k = 0; k < options.replicates; ++k) {
    const int r = options.first_replicate + k;
    const LoadedScenario one = replicate_scenario(loaded, options.seed, static_cast<std::uint32_t>(r));
    SimulationOptions opt = options;
    opt.replicates = 1;
    opt.first_replicate = r;
    if (options.progress)
      opt.progress = [&, k](double done, double) { options.progress(k + done, options.replicates); };
    SimulationResult block = simulate(one.scenario, population, opt);
    record(block, r, 1);
    append_replicates(all, block);
  }
  return all;
}

}  // namespace tuopin
