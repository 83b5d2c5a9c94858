#pragma once
// The parameter dictionary: one definition per scenario key (name, type, unit, range, default,
// source). Validation, docs/parameters.md (`tuopin params --markdown`) and `tuopin params` are
// all produced from this table, so they cannot drift apart.
#include <span>
#include <string>
#include <string_view>

namespace tuopin {

enum class ParamType { integer, real, boolean, string, integer_array, real_array, string_array };

std::string_view type_name(ParamType t);

// Array length rules (ParameterSpec::length).
inline constexpr int length_any = 0;           // any non-empty array
inline constexpr int length_counties = -1;     // as many as counties.names
inline constexpr int length_line_years = -2;   // as many as poverty_line.years
inline constexpr int length_any_or_none = -3;  // any array, the empty one included

struct ParameterSpec {
  std::string_view section;      // TOML table; "" for top-level keys
  std::string_view key;
  ParamType type;
  std::string_view unit;
  double min;                    // inclusive range of a number or of each array element
  double max;
  std::string_view default_toml; // the default, as a TOML value
  std::string_view source;       // a citation (../shared/data/calibration.csv key) or "assumed: why"
  std::string_view description;
  int length = length_any;       // arrays only
  bool sums_to_one = false;      // arrays of shares
  // Plausible range of an uncertain parameter, drawn per replicate with uncertainty.parameters
  // (model/uncertain_parameters.h); both 0: not uncertain. parameter_specs() fills these from
  // the table in model/uncertain_parameters.cpp.
  double uncertain_low = 0;
  double uncertain_high = 0;
  std::string_view uncertain_source = {};  // the range's reasoning, like `source`

  std::string path() const;      // "section.key"
  bool uncertain() const { return uncertain_low != 0 || uncertain_high != 0; }
};

std::span<const ParameterSpec> parameter_specs();
const ParameterSpec* find_parameter(std::string_view section, std::string_view key);

// The defaults of every key as one TOML document.
std::string defaults_toml();

// docs/parameters.md, generated.
std::string parameters_markdown();

}  // namespace tuopin
