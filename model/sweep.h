#pragma once
// Parameter sweeps (tuopin sweep, docs/sweeps.md): a sweep file names a base scenario, the
// scenario keys to vary with their ranges, a design (model/sweep_design.h) and the replicates
// per point. Each point of the design is the base scenario with the point's values applied as
// --set assignments, validated like the file; every point runs on one population with the same
// seed, so replicate r of every point sees the same chance events (common random numbers) and
// the differences between points are the parameters', not noise.
//
//     description = "..."
//     base = "../anqing-plan.toml"      # relative to this file; omitted: the embedded baseline
//     design = "sobol"                  # grid, latin-hypercube, sobol, morris
//     samples = 64                      # LHS points; Sobol base sample N; Morris trajectories
//     replicates = 1                    # per point
//
//     [[parameter]]
//     key = "measures.industry.success_rate"
//     low = 0.5
//     high = 0.85                       # uniform by default; distribution = "log-uniform"
//
//     [[parameter]]
//     key = "measures.relocation.enabled"
//     values = [true, false]
//
//     [[parameter]]
//     key = "measures.relocation.return_rate"  # an array: every element times the factor
//     relative = true
//     low = 0.5
//     high = 2.0
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "parameters.h"
#include "scenario.h"
#include "sweep_design.h"

namespace tuopin {

// One swept key.
struct SweepParameter {
  std::string key;                     // "section.key" of the parameter dictionary
  const ParameterSpec* spec = nullptr;
  SweepDimension dimension;            // the range, or the number of listed values
  std::vector<std::string> values;     // a list: each value as TOML text ("0.1", "true", "\"uniform\"")
  // relative = true: the range (or the listed numbers) are factors of the base scenario's value,
  // applied to every element of an array (load_sweep_base fills base_values).
  bool relative = false;
  bool array = false;
  std::vector<double> base_values;
  int line = 0, column = 0;            // where its `key` is written

  // The key's value at unit coordinate `unit`, as TOML text (integers rounded; a list's entry;
  // relative: the base's value times the factor).
  std::string value_text(double unit) const;
  // The same as a number: the value of a numeric key (relative: the factor), or the index in the
  // list otherwise.
  double value_number(double unit) const;
};

struct SweepSpec {
  std::string file;                    // the sweep file as named
  std::string text;                    // as written
  std::string description;
  std::string base;                    // as written; "" for the embedded default
  std::filesystem::path base_path;     // relative to the sweep file's folder
  DesignSettings design;
  std::string design_name;             // as written: grid, latin-hypercube, sobol, morris
  int replicates = 1;
  std::optional<std::uint32_t> seed;   // the base scenario's seed when absent
  std::size_t max_points = 20000;
  int bootstrap = 1000;
  double confidence = 0.95;
  std::vector<SweepParameter> parameters;
  int samples_line = 0;                // where `samples` (or `design`) is written, for messages

  std::vector<SweepDimension> dimensions() const;
  std::size_t points() const { return design_point_count(design, dimensions()); }
};

// Reads and checks a sweep file (exit 2 on any problem, file:line:column first): unknown keys
// with a suggestion, a key that cannot be swept and why, empty or inverted ranges, ranges outside
// the key's [min, max], a design that needs more than max_points points.
SweepSpec load_sweep_file(const std::filesystem::path& path);
SweepSpec parse_sweep_text(const std::string& text, const std::string& name, const std::filesystem::path& base_dir);

// The base scenario (the sweep's seed set), checked: it must not draw uncertain parameters
// itself. Sets the design's seed to the sweep's. Every listed value and both ends of every range are applied to it once, so a value
// the scenario refuses fails here, at the parameter's line, before any work.
LoadedScenario load_sweep_base(SweepSpec& spec);

// The --set assignments of one point of the design.
std::vector<std::string> point_settings(const SweepSpec& spec, const Design& design, std::size_t point);

// The scenario of one point: the base with the point's assignments. An error names the sweep
// file, the point and the parameters' values.
LoadedScenario point_scenario(const SweepSpec& spec, const LoadedScenario& base, const Design& design,
                              std::size_t point);

// A 64-bit FNV-1a hash of what a sweep's results depend on besides the population (the base
// scenario as resolved, the parameters, the design, the seed, the replicates): a --resume checks it.
std::uint64_t sweep_hash(const SweepSpec& spec, const LoadedScenario& base);

std::string_view design_kind_name(DesignKind kind);

}  // namespace tuopin
