#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <optional>
#include <thread>

#include <tbb/global_control.h>
#include <tbb/info.h>

#include "attribution.h"
#include "comparison.h"
#include "build_info.h"
#include "commands.h"
#include "progress_bar.h"
#include "population_file.h"
#include "population_synthesis.h"
#include "registry_extract.h"
#include "result_file.h"
#include "result_reader.h"
#include "scenario.h"
#include "simulation.h"
#include "measures/measure.h"
#include "summary.h"
#include "uncertainty.h"

namespace po = boost::program_options;

namespace tuopin::cli {

po::variables_map parse_options(const std::vector<std::string>& args, const po::options_description& visible,
                               std::string* scenario) {
  po::options_description all;
  all.add(visible);
  po::positional_options_description positional;
  if (scenario) {
    all.add_options()("scenario", po::value(scenario));
    positional.add("scenario", 1);
  }
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).style(strict_style).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

po::variables_map parse_options(const std::vector<std::string>& args, const po::options_description& visible,
                               std::vector<std::string>& positional_values) {
  po::options_description all;
  all.add(visible);
  all.add_options()("positional", po::value(&positional_values));
  po::positional_options_description positional;
  positional.add("positional", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).style(strict_style).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

int resolve_threads(int requested) {
  if (requested < 0) throw InputError("--threads must be at least 1 (or 0 for every core), got " + std::to_string(requested));
  return requested == 0 ? tbb::info::default_concurrency() : requested;
}

namespace {


std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string read_scenario_of(const std::string& result_file) {
  const auto scenarios = scenarios_in(result_file);  // a clear error for a file that is not a result
  if (scenarios.size() > 1 || !scenarios[0].group.empty())
    throw InputError(result_file + " is a comparison file of " + std::to_string(scenarios.size()) +
                     " scenarios; --replay re-runs a single-scenario result file (run the scenarios again with "
                     "tuopin run A.toml B.toml ... --population " + result_file + ")");
  try {
    return read_string(result_file, "/meta/scenario_resolved");
  } catch (const std::runtime_error&) {
    throw InputError(result_file + ": cannot read /meta/scenario_resolved; expected a result file of 'tuopin run'");
  }
}

// What the ranges above include when uncertain parameters are drawn.
void print_uncertainty_note(std::ostream& out, const Uncertainty& u) {
  std::vector<std::string> held;
  for (const auto& p : u.list)
    if (p.held) held.push_back(p.path);
  out << "\nUncertain parameters: " << u.list.size() - held.size()
      << " drawn in each replicate from their ranges (docs/parameters.md), so the ranges above include what is not "
         "known";
  if (!held.empty()) {
    out << "; held at the scenario's value: ";
    for (std::size_t k = 0; k < held.size(); ++k) out << (k ? ", " : "") << held[k];
  }
  out << ".\n";
}

std::string host_name() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

}  // namespace

// The population a run or synth starts from: a registry extract (.csv), a saved population or
// result file (.h5), or synthesised from the scenario (scaled to --households if given).
Population obtain_population(const Scenario& s, const std::string& population_path, std::size_t households,
                             std::string& source) {
  if (population_path.empty()) {
    source = "synthesised";
    return synthesise_population(s, SynthesisOptions{households});
  }
  source = population_path;
  const std::filesystem::path p(population_path);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec)) throw InputError(population_path + ": no such file (--population)");
  if (p.extension() == ".csv") return load_registry_csv(p, s);
  if (p.extension() == ".h5" || p.extension() == ".hdf5") return read_population_file(p, s);
  throw InputError("--population expects a registry extract (.csv) or a population or result file (.h5), got '" +
                   population_path + "'");
}

RunInfo run_info(const std::string& command_line, int threads, double seconds, const std::string& population_source,
                 std::shared_future<std::uint64_t> population_hash) {
  return RunInfo{TUOPIN_VERSION, TUOPIN_GIT_COMMIT, command_line, host_name(), utc_now(), threads, seconds,
                 population_source, std::move(population_hash)};
}

// The population's hash (/meta/population_hash) is one serial pass over every column (about
// 0.1 s for 2 million households, 1-2 s for 30 million): computed on a thread of its own, beside
// the simulation (which reads the same population and never writes it) or, when the result file
// copies the population, beside that writing, which comes before the hash in the file and would
// otherwise leave the second core idle.
namespace {
std::shared_future<std::uint64_t> hash_alongside(const Population& population) {
  return std::async(std::launch::async, [&population] { return population_hash(population); }).share();
}
}  // namespace

std::size_t parse_households(const po::variables_map& vm, std::int64_t households) {
  if (!vm.count("households")) return 0;
  if (households < 1 || households > 30'000'000)
    throw InputError("--households must be in 1 .. 30000000, got " + std::to_string(households));
  return static_cast<std::size_t>(households);
}

// Several scenarios on one population with the same seed and replicates, into one comparison
// file (write_comparison_file), with each one's summary and the comparison against the first.
int run_scenarios(const std::vector<std::string>& paths, const std::vector<std::string>& settings,
                  const po::variables_map& vm, std::string output, const std::string& population_path,
                  std::size_t household_count, int thread_count, bool force, const std::string& command_line,
                  bool with_population) {
  std::vector<LoadedScenario> loaded;
  std::vector<std::string> names;
  for (const auto& path : paths) {
    loaded.push_back(load_scenario_file(path, settings));
    const std::string name = std::filesystem::path(path).stem().string();
    for (const auto& other : names)
      if (other == name)
        throw InputError("two scenarios are named '" + name + "' (" + path +
                         "); a comparison names each by its file name, so rename one");
    names.push_back(name);
  }
  // One seed and one number of replicates for all: the first scenario's, or the command line's.
  for (auto& l : loaded) {
    set_simulation_key(l, "replicates", vm.count("replicates") ? vm["replicates"].as<int>() : loaded[0].scenario.replicates);
    set_simulation_key(l, "seed", vm.count("seed") ? vm["seed"].as<std::int64_t>() : loaded[0].scenario.seed);
  }
  const Scenario& first = loaded[0].scenario;
  for (std::size_t k = 1; k < loaded.size(); ++k) {
    const Scenario& s = loaded[k].scenario;
    if (s.first_year != first.first_year || s.last_year != first.last_year || s.counties.size() != first.counties.size())
      throw InputError(paths[k] + ": its window or counties differ from " + paths[0] +
                       "'s; scenarios in one comparison share the window and the counties (run it separately)");
  }
  if (output.empty()) {
    std::filesystem::create_directories("results");
    output = "results/compare.h5";
  }
  const std::filesystem::path out_path(output);
  check_output_path(out_path, force);

  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(thread_count));
  const auto start = std::chrono::steady_clock::now();
  std::string population_source;
  const Population population = obtain_population(first, population_path, household_count, population_source);
  const std::shared_future<std::uint64_t> hash_of_population = hash_alongside(population);
  if (population_path.empty()) {
    // Every scenario must describe the same population: one population, stored once.
    const std::uint64_t hash = hash_of_population.get();
    for (std::size_t k = 1; k < loaded.size(); ++k)
      if (population_hash(synthesise_population(loaded[k].scenario, SynthesisOptions{household_count})) != hash)
        throw InputError(paths[k] + ": its population keys ([population], [counties], [income] levels) give another "
                         "population than " + paths[0] + "'s; a comparison runs every scenario on one population "
                         "(run it separately, or give --population)");
  }
  ProgressBar bar(::isatty(STDERR_FILENO) != 0);
  std::vector<SimulationResult> results(loaded.size());
  std::vector<std::optional<Attribution>> attributions(loaded.size());
  for (std::size_t k = 0; k < loaded.size(); ++k) {
    SimulationOptions options;
    options.replicates = loaded[k].scenario.replicates;
    options.seed = loaded[k].scenario.seed;
    const double n = static_cast<double>(loaded.size());
    options.progress = [&, k](double done, double total) { bar.update(k + done / total, n); };
    results[k] = simulate_replicates(loaded[k], population, options);
    if (vm.count("ablate")) {
      SimulationOptions plain;
      plain.replicates = options.replicates;
      plain.seed = options.seed;
      attributions[k] = attribute(loaded[k], settings, results[k], [&](const LoadedScenario& without) {
        return simulate_replicates(without, population, plain);
      });
      if (attributions[k]->measures.empty()) attributions[k].reset();
    }
  }
  bar.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<ScenarioRun> runs;
  for (std::size_t k = 0; k < loaded.size(); ++k) {
    std::cout << (k ? "\n" : "") << "==== " << names[k] << " (" << paths[k] << ") ====\n";
    print_summary(std::cout, loaded[k].scenario, results[k]);
    if (attributions[k]) print_attribution(std::cout, *attributions[k]);
    runs.push_back({names[k], &loaded[k], &results[k], attributions[k] ? &*attributions[k] : nullptr});
  }
  write_comparison_file(out_path, force, runs, population,
                        run_info(command_line, thread_count, seconds, population_source, hash_of_population),
                        with_population);
  std::cout << "\n";
  print_comparison(std::cout, compare_scenarios(scenarios_in(out_path), 0));
  std::cout << "\nWrote " << out_path.string() << " (" << loaded.size() << " scenarios, "
            << population.households.count() << " households, " << first.replicates << " replicates, "
            << thread_count << " threads, " << std::fixed;
  std::cout.precision(1);
  std::cout << seconds << " s).\n";
  return 0;
}

int run_command(const std::vector<std::string>& args, const std::string& command_line) {
  po::options_description visible(
      "Usage: tuopin run [SCENARIO ...] [options]\n\n"
      "Simulates SCENARIO (a TOML file; without one, the embedded default Anqing 2016-2018\n"
      "baseline), prints a summary per year on stdout and writes an HDF5 result file\n"
      "(layout: docs/outputs.md) holding the series, summaries, the population and the\n"
      "resolved scenario. A progress bar goes to stderr when it is a terminal.\n\n"
      "Options");
  std::string output, population_path, replay;
  std::vector<std::string> settings;
  int replicates = 0, threads = 0;
  std::int64_t seed = -1, households = 0, trace = -1;
  visible.add_options()
      ("help,h", "show this help")
      ("output,o", po::value(&output)->value_name("FILE"),
       "result file (default: results/<scenario name>.h5)")
      ("replicates", po::value(&replicates)->value_name("N"),
       "number of replicates (overrides simulation.replicates)")
      ("seed", po::value(&seed)->value_name("S"),
       "random seed, 0 .. 4294967295 (overrides simulation.seed)")
      ("threads", po::value(&threads)->default_value(0)->value_name("T"),
       "worker threads; 0 = every core. Results do not depend on it.")
      ("population", po::value(&population_path)->value_name("FILE"),
       "start from this population instead of synthesising one: a registry extract (.csv,\n"
       "docs/population.md) or a population or result file (.h5)")
      ("households", po::value(&households)->value_name("N"),
       "synthesise N households (the scenario's groups scaled alike; up to 30000000)")
      ("set", po::value(&settings)->composing()->value_name("KEY=VALUE"),
       "set any scenario key after the file and its parents, e.g. --set funding.level=1.2 or\n"
       "--set measures.industry.enabled=true (repeatable; validated like the file)")
      ("replay", po::value(&replay)->value_name("FILE"),
       "re-run a result file's run: its resolved scenario and its population (for a file written\n"
       "with --no-population, give the same population with --population; its hash is checked)")
      ("no-population", "leave the population out of the result file (its hash stays in /meta); a\n"
                        "--replay of the file then needs the population given with --population")
      ("trace", po::value(&trace)->value_name("ID"),
       "also write household ID's path month by month, every replicate, to FILE with\n"
       "'.trace-ID.csv' in place of '.h5' (docs/outputs.md)")
      ("ablate", "attribution: run the scenario again once per measure switched on, with that measure\n"
                 "alone off (same random numbers), and report and store what each measure adds")
      ("uncertain", "draw every uncertain parameter afresh in each replicate from its range "
                    "(docs/parameters.md), so the ranges also reflect what is not known; the same as "
                    "--set uncertainty.parameters=true (uncertainty.hold keeps some at the scenario's value)")
      ("force", "replace FILE if it exists (otherwise an existing file is an error)");
  std::vector<std::string> scenario_paths;
  const po::variables_map vm = parse_options(args, visible, scenario_paths);
  const std::string scenario_path = scenario_paths.empty() ? "" : scenario_paths[0];
  if (vm.count("help")) {
    std::cout << visible << "\nSeveral scenarios (tuopin run A.toml B.toml C.toml) run on one population with the same\n"
              << "seed and replicates (common random numbers) into one comparison file: /scenarios/<name>\n"
              << "for each, /compare with the key results along a scenario dimension, the population once\n"
              << "(docs/outputs.md); the summary ends with the comparison against the first (tuopin compare).\n"
              << "\nExamples:\n"
              << "  tuopin run scenarios/anqing-baseline.toml scenarios/pathways.toml scenarios/anqing-plan.toml "
                 "-o results/compare.h5\n"
              << "  tuopin run scenarios/anqing-baseline.toml -o results/base.h5 --replicates 50\n"
              << "  tuopin run --population scenarios/data/registry-template.csv -o results/extract.h5\n"
              << "  tuopin run --replay results/base.h5 -o results/again.h5\n"
              << "  tuopin run scenarios/pathways.toml --set funding.level=0.8 -o results/low.h5\n"
              << "  tuopin run scenarios/pathways.toml --uncertain -o results/pathways-uncertain.h5\n";
    return 0;
  }
  const bool force = vm.count("force") > 0;
  if (vm.count("output") && output.empty()) throw InputError("-o is empty; expected -o FILE");
  if (vm.count("replicates") && replicates < 1)
    throw InputError("--replicates must be at least 1, got " + std::to_string(replicates));
  if (vm.count("seed") && (seed < 0 || seed > 4294967295LL))
    throw InputError("--seed must be in 0 .. 4294967295, got " + std::to_string(seed));
  const std::size_t household_count = parse_households(vm, households);
  if (household_count && !population_path.empty())
    throw InputError("--households scales a synthesised population; it cannot be used with --population");
  if (!replay.empty() && (!scenario_path.empty() || household_count))
    throw InputError("--replay takes the scenario and the population from the result file; give no SCENARIO or "
                     "--households with it");
  const bool with_population = vm.count("no-population") == 0;
  const int thread_count = resolve_threads(threads);
  if (vm.count("uncertain")) settings.push_back("uncertainty.parameters=true");
  if (scenario_paths.size() > 1) {
    if (!replay.empty()) throw InputError("--replay re-runs one result file; give no SCENARIO with it");
    if (vm.count("trace")) throw InputError("--trace follows a household through one scenario; run that scenario alone");
    return run_scenarios(scenario_paths, settings, vm, output, population_path, household_count, thread_count, force,
                         command_line, with_population);
  }

  LoadedScenario loaded;
  if (!replay.empty()) {
    const std::string text = read_scenario_of(replay);
    loaded = load_scenario_text(text, replay + ":/meta/scenario_resolved", ".", settings);
    const bool has_population = result_has_population(replay);
    if (!population_path.empty() && has_population)
      throw InputError("--replay takes the population from " + replay + ", which holds one; give no --population");
    if (population_path.empty() && !has_population)
      throw InputError(replay + " holds no population (written with --no-population); give the population it ran on "
                       "with --replay " + replay + " --population FILE (its hash " + population_hash_of(replay) +
                       " is checked)");
    if (population_path.empty()) population_path = replay;
  } else {
    loaded = scenario_path.empty() ? load_default_scenario(settings) : load_scenario_file(scenario_path, settings);
  }
  // Command-line overrides go into the resolved scenario too, so the file reproduces the run.
  if (vm.count("replicates")) set_simulation_key(loaded, "replicates", replicates);
  if (vm.count("seed")) set_simulation_key(loaded, "seed", seed);
  const Scenario& s = loaded.scenario;

  if (output.empty()) {
    const std::string stem = !replay.empty() ? std::filesystem::path(replay).stem().string() + "-replay"
                             : scenario_path.empty() ? "anqing-baseline"
                                                     : std::filesystem::path(scenario_path).stem().string();
    std::filesystem::create_directories("results");
    output = "results/" + stem + ".h5";
  }
  const std::filesystem::path out_path(output);
  check_output_path(out_path, force);  // fail before the work, not after
  std::filesystem::path trace_path;
  if (vm.count("trace")) {
    trace_path = out_path;
    trace_path.replace_extension(".trace-" + std::to_string(trace) + ".csv");
    check_output_path(trace_path, force);
  }


  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(thread_count));
  const auto start = std::chrono::steady_clock::now();
  std::string population_source;
  const Population population = obtain_population(s, population_path, household_count, population_source);
  // Needed before the run to check a replay's population; else started where it costs least.
  const bool check_replay = !replay.empty() && population_path != replay;
  std::shared_future<std::uint64_t> hash_of_population;
  if (check_replay || !with_population) hash_of_population = hash_alongside(population);
  if (check_replay) {
    const std::string want = population_hash_of(replay), got = hex_hash(hash_of_population.get());
    if (!want.empty() && want != got)
      throw InputError(population_path + ": not the population " + replay + " ran on (population hash " + got +
                       ", the file's " + want + ")");
  }
  if (vm.count("trace") && (trace < 0 || static_cast<std::size_t>(trace) >= population.households.count()))
    throw InputError("--trace expects a household id in 0 .. " + std::to_string(population.households.count() - 1) +
                     ", got " + std::to_string(trace));
  std::vector<TraceRow> trace_rows;
  ProgressBar bar(::isatty(STDERR_FILENO) != 0);
  SimulationOptions options;
  options.replicates = s.replicates;
  options.seed = s.seed;
  options.progress = [&](double done, double total) { bar.update(done, total); };
  if (vm.count("trace")) {
    options.trace_household = trace;
    options.trace = &trace_rows;
  }
  const SimulationResult result = simulate_replicates(loaded, population, options);
  std::optional<Attribution> attribution;
  if (vm.count("ablate")) {
    SimulationOptions plain;
    plain.replicates = s.replicates;
    plain.seed = s.seed;
    attribution = attribute(loaded, settings, result,
                            [&](const LoadedScenario& without) { return simulate_replicates(without, population, plain); });
  }
  bar.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  print_summary(std::cout, s, result);
  if (attribution && attribution->measures.empty()) {
    std::cout << "\n--ablate: no measure is switched on in this scenario, so there is nothing to attribute.\n";
    attribution.reset();
  }
  if (attribution) print_attribution(std::cout, *attribution);
  if (s.uncertainty.parameters) print_uncertainty_note(std::cout, s.uncertainty);
  if (!hash_of_population.valid()) hash_of_population = hash_alongside(population);
  write_result_file(out_path, force, loaded, population, result,
                    run_info(command_line, thread_count, seconds, population_source, hash_of_population),
                    attribution ? &*attribution : nullptr, with_population);
  if (vm.count("trace")) {
    write_new_file(trace_path, force, [&](const std::filesystem::path& trace_tmp) {
      std::ofstream csv(trace_tmp);
      csv << "replicate,year,month,wage,income,measures,benefit,income_so_far,medical,status,pathway,supported,"
             "assistance\n";
      csv.precision(10);
      for (const TraceRow& t : trace_rows)
        csv << t.replicate << ',' << t.year << ',' << t.month << ',' << t.wage << ',' << t.income << ','
            << t.measures << ',' << t.benefit << ',' << t.income_so_far << ',' << t.medical << ','
            << registry_status_names[t.status] << ','
            << (t.pathway < static_cast<int>(s.measures.size()) ? std::string(s.measures[t.pathway]->name()) : "none")
            << ',' << t.supported << ',' << t.assistance << '\n';
      csv.flush();
      if (!csv) throw std::runtime_error("cannot write " + trace_tmp.string());
    });
    std::cout << "Wrote " << trace_path.string() << " (household " << trace << ", " << trace_rows.size() << " rows).\n";
  }
  std::cout << "Wrote " << out_path.string() << " (" << population.households.count() << " households, "
            << s.replicates << " replicates, " << thread_count << " threads, " << std::fixed;
  std::cout.precision(1);
  std::cout << seconds << " s).\n";
  return 0;
}

}  // namespace tuopin::cli
