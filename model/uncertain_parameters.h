#pragma once
// Uncertainty beyond chance (docs/model.md, 7.10): the parameters whose values are not known,
// each with a plausible range in the parameter dictionary, and the [uncertainty] switch that
// draws them afresh in every replicate.
//
// With `uncertainty.parameters = true`, replicate r (its absolute index, Philox key word 1) runs
// with every uncertain parameter p set to
//     low_p + (high_p - low_p) * u,   u = to_unit(draw({seed, r}, fnv1a32("section.key"),
//                                                       Stream::uncertainty, 0).v[0])
// (integers rounded), except the parameters the scenario holds: those listed in
// `uncertainty.hold`, and those the scenario sets to another value than the dictionary's
// default (its own choice, e.g. a recommendation's lever). A draw depends on (seed, replicate,
// key name) only, so it is the same for any thread count, split of replicates or order of keys,
// and for a scenario and its ablations.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parameter_reader.h"
#include "parameters.h"

namespace tuopin {

// FNV-1a, 32 bits: the entity word of a parameter's draw.
constexpr std::uint32_t fnv1a32(std::string_view text) {
  std::uint32_t h = 2166136261u;
  for (const char c : text) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 16777619u;
  }
  return h;
}

// The [uncertainty] keys.
std::span<const ParameterSpec> uncertainty_specs();

// The plausible ranges, by "section.key" (applied to the dictionary by parameter_specs()).
struct UncertainRange {
  std::string_view path;
  double low, high;
  std::string_view source;
};
std::span<const UncertainRange> uncertain_ranges();

// Problems with a table of ranges (an unknown key, a key that is not a number, a key only the
// population synthesis reads, a range outside [min, max] or without the default, a key listed
// twice or whose name's hash equals another's): empty when the table is sound. The tests require
// it empty for the dictionary's own table.
std::vector<std::string> uncertain_range_problems(std::span<const UncertainRange> table = uncertain_ranges());

// The last table of docs/parameters.md: every uncertain parameter with its range and reasoning.
std::string uncertain_parameters_markdown();

// Keys read only by the population synthesis (docs/model.md, section 5): the population is
// built once per run and shared by all replicates, so drawing them per replicate would do
// nothing.
bool synthesis_only_parameter(std::string_view section, std::string_view key);

// One uncertain parameter of a scenario.
struct UncertainParameter {
  const ParameterSpec* spec = nullptr;
  std::string path;   // "section.key"
  double value = 0;   // the scenario's value
  bool held = false;  // kept at `value`: listed in uncertainty.hold or set away from the default
};

// The scenario's [uncertainty] section, resolved.
struct Uncertainty {
  bool parameters = false;                  // draw the uncertain parameters per replicate
  std::vector<std::string> hold;            // as written
  std::vector<UncertainParameter> list;     // every uncertain parameter, dictionary order
  bool any_drawn() const;                   // parameters and at least one not held
};

// Reads [uncertainty] and the scenario's values of the uncertain parameters; an unknown or
// certain key in `hold` fails at its position with a suggestion.
Uncertainty read_uncertainty(ParameterReader& r);

// The value of an uncertain parameter in replicate `replicate` (absolute index).
double uncertain_draw(const ParameterSpec& spec, std::uint32_t seed, std::uint32_t replicate);

// The values every uncertain parameter takes in a replicate: drawn, or the scenario's if held.
std::vector<double> uncertain_values(const Uncertainty& u, std::uint32_t seed, std::uint32_t replicate);

// The --set assignments ("section.key=value") of a replicate's draws: one per parameter not
// held; empty when uncertainty.parameters is off. Values round-trip exactly.
std::vector<std::string> uncertainty_settings(const Uncertainty& u, std::uint32_t seed, std::uint32_t replicate);

}  // namespace tuopin
