#include "sweep.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <toml++/toml.h>

#include "uncertain_parameters.h"

namespace tuopin {

namespace {

constexpr std::size_t max_points_limit = 1'000'000;
constexpr int max_replicates = 1000;

[[noreturn]] void fail_at(const toml::node& node, const std::string& file, const std::string& message) {
  const auto& s = node.source();
  throw InputError(file, static_cast<int>(s.begin.line), static_cast<int>(s.begin.column), message);
}

std::string plain(double v) {
  std::ostringstream o;
  o.precision(15);
  o << v;
  return o.str();
}

// Why `spec` cannot be swept, or "" if it can be.
std::string not_sweepable(const ParameterSpec& spec) {
  if (spec.section.empty()) return "it is not a model parameter";
  if (spec.section == "simulation")
    return "the sweep sets the seed and the replicates itself (seed, replicates in the sweep file), and the window "
           "is the base scenario's";
  if (spec.section == "uncertainty")
    return "it switches the per-replicate draws of uncertain parameters; a sweep varies the parameters itself";
  if (synthesis_only_parameter(spec.section, spec.key))
    return "only the population synthesis reads it, and a sweep runs every point on one population (sweep it with "
           "one sweep per population, each given with --population)";
  if (spec.type == ParamType::string_array) return "it is a list of names";
  return "";
}

std::vector<std::string> dictionary_paths() {
  std::vector<std::string> out;
  for (const auto& s : parameter_specs()) out.push_back(s.path());
  return out;
}

const ParameterSpec* find_path(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  if (dot == std::string::npos) return find_parameter("", path);
  return find_parameter(path.substr(0, dot), path.substr(dot + 1));
}

std::string toml_text(const toml::node& n) {
  std::ostringstream o;
  if (auto s = n.value_exact<std::string>()) {
    o << toml::value<std::string>(*s);
  } else if (auto d = n.value_exact<double>()) {
    return toml_number(*d, false);
  } else {
    n.visit([&](const auto& v) { o << v; });
  }
  return o.str();
}

const std::vector<std::string>& top_keys() {
  static const std::vector<std::string> k = {"description", "base",      "design",    "samples",    "morris_levels",
                                             "replicates",  "seed",      "max_points", "bootstrap", "confidence",
                                             "parameter"};
  return k;
}
const std::vector<std::string>& parameter_keys() {
  static const std::vector<std::string> k = {"key", "low", "high", "distribution", "values", "levels", "relative"};
  return k;
}

void check_keys(const toml::table& t, const std::vector<std::string>& allowed, const std::string& file,
                const std::string& where) {
  for (const auto& [k, node] : t) {
    const std::string key(k.str());
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    const std::string m = closest_match(key, allowed);
    fail_at(node, file, "unknown key '" + key + "'" + where + (m.empty() ? "" : "; did you mean '" + m + "'?") +
                            " (docs/sweeps.md lists the keys)");
  }
}

// An integer key in [lo, hi].
std::int64_t integer_at(const toml::table& t, const std::string& key, std::int64_t fallback, std::int64_t lo,
                        std::int64_t hi, const std::string& file) {
  const toml::node* n = t.get(key);
  if (!n) return fallback;
  const auto v = n->value_exact<std::int64_t>();
  if (!v) fail_at(*n, file, "'" + key + "' must be a whole number in " + std::to_string(lo) + " .. " + std::to_string(hi));
  if (*v < lo || *v > hi)
    fail_at(*n, file, "'" + key + "' must be in " + std::to_string(lo) + " .. " + std::to_string(hi) + ", got " +
                          std::to_string(*v));
  return *v;
}

double number_at(const toml::node& n, const std::string& what, const std::string& file) {
  if (auto d = n.value_exact<double>()) {
    if (!std::isfinite(*d)) fail_at(n, file, "'" + what + "' must be a finite number");
    return *d;
  }
  if (auto i = n.value_exact<std::int64_t>()) return static_cast<double>(*i);
  fail_at(n, file, "'" + what + "' must be a number");
}

SweepParameter read_parameter(const toml::table& t, const toml::node& where, const std::string& file,
                              DesignKind design, const std::vector<SweepParameter>& before) {
  check_keys(t, parameter_keys(), file, " in a [[parameter]]");
  SweepParameter p;
  const toml::node* key = t.get("key");
  if (!key) fail_at(where, file, "a [[parameter]] needs key = \"section.key\" (a key of docs/parameters.md)");
  const auto name = key->value_exact<std::string>();
  if (!name) fail_at(*key, file, "'key' must be a string such as \"funding.level\"");
  p.key = *name;
  p.line = static_cast<int>(key->source().begin.line);
  p.column = static_cast<int>(key->source().begin.column);
  p.spec = find_path(p.key);
  if (!p.spec) {
    const std::string m = closest_match(p.key, dictionary_paths());
    fail_at(*key, file, "'" + p.key + "' is not a scenario key" + (m.empty() ? "" : "; did you mean '" + m + "'?") +
                            " (tuopin params lists them)");
  }
  if (const std::string why = not_sweepable(*p.spec); !why.empty())
    fail_at(*key, file, "'" + p.key + "' cannot be swept: " + why);
  for (const auto& b : before)
    if (b.key == p.key) fail_at(*key, file, "'" + p.key + "' is swept twice (first at line " + std::to_string(b.line) + ")");

  p.array = p.spec->type == ParamType::integer_array || p.spec->type == ParamType::real_array;
  if (const toml::node* rel = t.get("relative")) {
    const auto r = rel->value_exact<bool>();
    if (!r) fail_at(*rel, file, "'relative' must be true or false");
    p.relative = *r;
  }
  if (p.array && !p.relative)
    fail_at(*key, file, "'" + p.key + "' is an array; sweep it relative to the base scenario: relative = true, with "
                            "low and high (or values) as factors of every element");
  const bool numeric = p.spec->type == ParamType::integer || p.spec->type == ParamType::real || p.array;
  if (p.relative && !numeric)
    fail_at(*key, file, "'relative' needs a number or an array of numbers; '" + p.key + "' is a " +
                            std::string(type_name(p.spec->type)));
  const toml::node* values = t.get("values");
  const toml::node* low = t.get("low");
  const toml::node* high = t.get("high");
  const toml::node* dist = t.get("distribution");
  const toml::node* levels = t.get("levels");
  if (values) {
    if (low || high || dist || levels)
      fail_at(*values, file, "'" + p.key + "': give either values = [...] or a range (low, high), not both");
    const toml::array* list = values->as_array();
    if (!list || list->empty())
      fail_at(*values, file, "'values' of '" + p.key + "' must be a non-empty list such as [0.8, 1.0, 1.2]");
    for (const auto& v : *list) {
      if (v.is_array() || v.is_table()) fail_at(v, file, "'values' of '" + p.key + "' must list single values");
      if (p.relative && !v.is_number()) fail_at(v, file, "relative values of '" + p.key + "' are factors (numbers)");
      const std::string text = toml_text(v);
      if (std::find(p.values.begin(), p.values.end(), text) != p.values.end())
        fail_at(v, file, "'values' of '" + p.key + "' lists " + text + " twice");
      p.values.push_back(text);
    }
    p.dimension.scale = SweepScale::values;
    p.dimension.value_count = p.values.size();
  } else {
    if (!numeric)
      fail_at(*key, file, "'" + p.key + "' is a " + std::string(type_name(p.spec->type)) +
                              "; list its values: values = [...]");
    if (!low || !high) fail_at(*key, file, "'" + p.key + "' needs a range (low = ..., high = ...) or values = [...]");
    p.dimension.low = number_at(*low, "low", file);
    p.dimension.high = number_at(*high, "high", file);
    if (!(p.dimension.low < p.dimension.high))
      fail_at(*high, file, "the range of '" + p.key + "' is empty or inverted: low = " + plain(p.dimension.low) +
                               ", high = " + plain(p.dimension.high) + "; low must be below high");
    if (p.relative) {
      if (p.dimension.low < 0) fail_at(*low, file, "relative factors of '" + p.key + "' must be 0 or more");
    } else if (p.dimension.low < p.spec->min || p.dimension.high > p.spec->max)
      fail_at(p.dimension.low < p.spec->min ? *low : *high, file,
              "the range of '" + p.key + "' leaves the key's range " + plain(p.spec->min) + " .. " +
                  plain(p.spec->max) + " (" + std::string(p.spec->unit) + ")");
    p.dimension.scale = SweepScale::uniform;
    if (dist) {
      const auto d = dist->value_exact<std::string>();
      const std::vector<std::string> kinds = {"uniform", "log-uniform"};
      if (!d || std::find(kinds.begin(), kinds.end(), *d) == kinds.end()) {
        const std::string m = d ? closest_match(*d, kinds) : "";
        fail_at(*dist, file, "'distribution' must be \"uniform\" or \"log-uniform\"" +
                                 (m.empty() ? "" : "; did you mean '" + m + "'?"));
      }
      if (*d == "log-uniform") {
        if (p.dimension.low <= 0)
          fail_at(*low, file, "a log-uniform range needs low > 0 ('" + p.key + "' has low = " + plain(p.dimension.low) + ")");
        p.dimension.scale = SweepScale::log_uniform;
      }
    }
    if (!p.relative && p.spec->type == ParamType::integer && std::round(p.dimension.high) == std::round(p.dimension.low))
      fail_at(*high, file, "'" + p.key + "' is a whole number and its range holds only one: widen it");
    if (levels) {
      if (design != DesignKind::grid)
        fail_at(*levels, file, "'levels' applies to the grid design only (the other designs choose their own values)");
      p.dimension.levels = static_cast<int>(integer_at(t, "levels", 0, 2, 1000, file));
    } else if (design == DesignKind::grid) {
      fail_at(*key, file, "the grid design needs levels = N (2 or more, both ends included) or values = [...] for '" +
                              p.key + "'");
    }
  }
  return p;
}

}  // namespace

std::string SweepParameter::value_text(double unit) const {
  if (relative) {
    const double f = value_number(unit);
    const bool integer = spec->type == ParamType::integer || spec->type == ParamType::integer_array;
    std::string out = array ? "[" : "";
    for (std::size_t k = 0; k < base_values.size(); ++k) out += (k ? ", " : "") + toml_number(base_values[k] * f, integer);
    return array ? out + "]" : out;
  }
  const double v = dimension_value(dimension, unit);
  if (dimension.scale == SweepScale::values) return values[static_cast<std::size_t>(v)];
  return toml_number(v, spec->type == ParamType::integer);
}

double SweepParameter::value_number(double unit) const {
  const double v = dimension_value(dimension, unit);
  if (dimension.scale == SweepScale::values) {
    const std::string& text = values[static_cast<std::size_t>(v)];
    if (relative || spec->type == ParamType::integer || spec->type == ParamType::real)
      return std::strtod(text.c_str(), nullptr);
    return v;
  }
  return spec->type == ParamType::integer && !relative ? std::round(v) : v;
}

std::vector<SweepDimension> SweepSpec::dimensions() const {
  std::vector<SweepDimension> out;
  for (const auto& p : parameters) out.push_back(p.dimension);
  return out;
}

std::string_view design_kind_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::grid: return "grid";
    case DesignKind::latin_hypercube: return "latin-hypercube";
    case DesignKind::sobol: return "sobol";
    case DesignKind::morris: return "morris";
  }
  return "?";
}

SweepSpec parse_sweep_text(const std::string& text, const std::string& name, const std::filesystem::path& base_dir) {
  toml::table t;
  try {
    t = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    const auto& s = e.source();
    throw InputError(name, static_cast<int>(s.begin.line), static_cast<int>(s.begin.column),
                     "not valid TOML: " + std::string(e.description()));
  }
  check_keys(t, top_keys(), name, " in a sweep file");
  SweepSpec spec;
  spec.file = name;
  spec.text = text;
  if (const toml::node* d = t.get("description")) {
    const auto s = d->value_exact<std::string>();
    if (!s) fail_at(*d, name, "'description' must be a string");
    spec.description = *s;
  }
  if (const toml::node* b = t.get("base")) {
    const auto s = b->value_exact<std::string>();
    if (!s || s->empty()) fail_at(*b, name, "'base' must name the base scenario file, e.g. base = \"../anqing-plan.toml\"");
    spec.base = *s;
    spec.base_path = base_dir / *s;
  }
  const toml::node* design = t.get("design");
  if (!design)
    throw InputError(name, 1, 1, "a sweep needs design = \"grid\", \"latin-hypercube\", \"sobol\" or \"morris\"");
  {
    const auto d = design->value_exact<std::string>();
    const std::vector<std::string> kinds = {"grid", "latin-hypercube", "sobol", "morris"};
    const auto it = d ? std::find(kinds.begin(), kinds.end(), *d) : kinds.end();
    if (it == kinds.end()) {
      const std::string m = d ? closest_match(*d, kinds) : "";
      fail_at(*design, name, "'design' must be \"grid\", \"latin-hypercube\", \"sobol\" or \"morris\"" +
                                 (m.empty() ? "" : "; did you mean '" + m + "'?"));
    }
    spec.design_name = *d;
    spec.design.kind = static_cast<DesignKind>(it - kinds.begin());
  }
  spec.samples_line = static_cast<int>(design->source().begin.line);
  const toml::node* samples = t.get("samples");
  if (spec.design.kind == DesignKind::grid) {
    if (samples) fail_at(*samples, name, "the grid design takes no 'samples': its points are every combination of levels");
  } else {
    if (!samples)
      fail_at(*design, name, "the " + spec.design_name + " design needs samples = N (" +
                                 (spec.design.kind == DesignKind::latin_hypercube ? "points"
                                  : spec.design.kind == DesignKind::sobol        ? "the base sample; N (k + 2) points"
                                                                                  : "trajectories; r (k + 1) points") +
                                 ")");
    const std::int64_t lo = spec.design.kind == DesignKind::latin_hypercube ? 1 : 2;
    spec.design.samples = static_cast<std::size_t>(integer_at(t, "samples", 0, lo, 1'000'000, name));
    spec.samples_line = static_cast<int>(samples->source().begin.line);
  }
  if (const toml::node* levels = t.get("morris_levels")) {
    if (spec.design.kind != DesignKind::morris) fail_at(*levels, name, "'morris_levels' applies to the morris design only");
    const std::int64_t p = integer_at(t, "morris_levels", 4, 2, 100, name);
    if (p % 2 != 0) fail_at(*levels, name, "'morris_levels' must be even (Morris's step is p / (2 (p - 1)))");
    spec.design.morris_levels = static_cast<int>(p);
  }
  spec.replicates = static_cast<int>(integer_at(t, "replicates", 1, 1, max_replicates, name));
  if (t.get("seed")) spec.seed = static_cast<std::uint32_t>(integer_at(t, "seed", 0, 0, 4294967295LL, name));
  spec.max_points = static_cast<std::size_t>(integer_at(t, "max_points", 20000, 1, max_points_limit, name));
  spec.bootstrap = static_cast<int>(integer_at(t, "bootstrap", 1000, 0, 100000, name));
  if (const toml::node* c = t.get("confidence")) {
    spec.confidence = number_at(*c, "confidence", name);
    if (!(spec.confidence > 0 && spec.confidence < 1))
      fail_at(*c, name, "'confidence' must be between 0 and 1 (e.g. 0.95), got " + plain(spec.confidence));
  }

  const toml::node* params = t.get("parameter");
  if (!params)
    throw InputError(name, 1, 1,
                     "a sweep needs at least one [[parameter]] with key = \"section.key\" and a range or values");
  const toml::array* list = params->as_array();
  if (!list || !list->is_array_of_tables() || list->empty())
    fail_at(*params, name, "'parameter' must be written as [[parameter]] tables");
  for (const auto& node : *list)
    spec.parameters.push_back(read_parameter(*node.as_table(), node, name, spec.design.kind, spec.parameters));

  std::size_t points = 0;
  try {
    points = spec.points();
  } catch (const std::invalid_argument& e) {
    throw InputError(name, spec.samples_line, 1, "the " + spec.design_name + " design cannot be built: " + e.what());
  }
  if (points > spec.max_points) {
    std::string how;
    const std::size_t k = spec.parameters.size();
    switch (spec.design.kind) {
      case DesignKind::grid: how = "the product of the parameters' levels"; break;
      case DesignKind::latin_hypercube: how = "samples"; break;
      case DesignKind::sobol: how = "samples x (parameters + 2) = " + std::to_string(spec.design.samples) + " x " + std::to_string(k + 2); break;
      case DesignKind::morris: how = "samples x (parameters + 1) = " + std::to_string(spec.design.samples) + " x " + std::to_string(k + 1); break;
    }
    throw InputError(name, spec.samples_line, 1,
                     "the " + spec.design_name + " design needs " +
                         (points == SIZE_MAX ? std::string("more than ") + std::to_string(max_points_limit)
                                             : std::to_string(points)) +
                         " points (" + how + "), more than max_points = " + std::to_string(spec.max_points) +
                         "; use fewer samples or levels, or raise max_points (at most " +
                         std::to_string(max_points_limit) + ")");
  }
  return spec;
}

SweepSpec load_sweep_file(const std::filesystem::path& path) {
  std::string problem;
  const std::string text = read_scenario_source(path, problem);
  if (!problem.empty()) {
    if (problem.starts_with("is empty"))
      problem = "is empty; a sweep names its base scenario, a design and [[parameter]] tables (docs/sweeps.md)";
    else if (problem.find("scenario") != std::string::npos)
      problem = problem.substr(0, problem.find("; expected")) + "; expected a sweep file (.toml)";
    throw InputError(path.string() + ": " + problem);
  }
  return parse_sweep_text(text, path.string(), path.parent_path());
}

LoadedScenario load_sweep_base(SweepSpec& spec) {
  LoadedScenario base;
  try {
    base = spec.base.empty() ? load_default_scenario() : load_scenario_file(spec.base_path);
  } catch (const InputError& e) {
    if (e.line() == 0 && e.file().empty() && !spec.base.empty())
      throw InputError(spec.file + ": base '" + spec.base + "': " + e.what());
    throw;
  }
  if (base.scenario.uncertainty.parameters)
    throw InputError(spec.base.empty() ? spec.file : spec.base_path.string(), 0, 0,
                     "the base scenario draws uncertain parameters per replicate (uncertainty.parameters = true); a "
                     "sweep varies the parameters itself and keeps the others at the base's values: switch it off in "
                     "the base scenario");
  set_simulation_key(base, "seed", spec.seed ? *spec.seed : base.scenario.seed);
  set_simulation_key(base, "replicates", spec.replicates);
  spec.design.seed = base.scenario.seed;
  const auto keys = flatten_scenario(base.resolved_toml);
  for (auto& p : spec.parameters) {
    if (!p.relative) continue;
    const auto it = std::find_if(keys.begin(), keys.end(), [&](const auto& kv) { return kv.first == p.key; });
    if (it == keys.end()) throw std::logic_error("sweep: the base scenario has no " + p.key);
    p.base_values.clear();
    std::string text = it->second;
    for (char& c : text)
      if (c == '[' || c == ']' || c == ',') c = ' ';
    std::istringstream in(text);
    for (double v; in >> v;) p.base_values.push_back(v);
    if (p.base_values.empty() || (!p.array && p.base_values.size() != 1))
      throw InputError(spec.file, p.line, p.column, "'" + p.key + "': the base scenario's value '" + it->second +
                                                        "' is not a number or an array of numbers");
  }
  // Every listed value and both ends of every range, each alone: a value the scenario refuses
  // fails here, before any work.
  for (const auto& p : spec.parameters) {
    std::vector<std::string> texts;
    if (p.values.empty()) {
      texts = {p.value_text(0.0), p.value_text(1.0)};
    } else {  // the middle of each listed value's share of [0, 1] (sweep_design.h)
      for (std::size_t i = 0; i < p.values.size(); ++i)
        texts.push_back(p.value_text((static_cast<double>(i) + 0.5) / static_cast<double>(p.values.size())));
    }
    for (const auto& v : texts) {
      try {
        (void)load_scenario_text(base.resolved_toml, "<base>", ".", {p.key + "=" + v});
      } catch (const InputError& e) {
        std::string why = e.what();
        if (const auto at = why.find(": "); at != std::string::npos && why.starts_with("--set")) why = why.substr(at + 2);
        throw InputError(spec.file, p.line, p.column, "'" + p.key + "' = " + v + " is refused by the base scenario: " + why);
      }
    }
  }
  return base;
}

std::vector<std::string> point_settings(const SweepSpec& spec, const Design& design, std::size_t point) {
  std::vector<std::string> out;
  for (std::size_t d = 0; d < spec.parameters.size(); ++d)
    out.push_back(spec.parameters[d].key + "=" + spec.parameters[d].value_text(design.at(point, d)));
  return out;
}

LoadedScenario point_scenario(const SweepSpec& spec, const LoadedScenario& base, const Design& design,
                              std::size_t point) {
  const std::vector<std::string> settings = point_settings(spec, design, point);
  try {
    LoadedScenario out = load_scenario_text(base.resolved_toml, "<point " + std::to_string(point) + ">", ".", settings);
    out.sources = base.sources;
    return out;
  } catch (const InputError& e) {
    std::string values;
    for (const auto& s : settings) values += (values.empty() ? "" : ", ") + s;
    throw InputError(spec.file + ": point " + std::to_string(point) + " (" + values + ") is refused: " + e.what());
  }
}

std::uint64_t sweep_hash(const SweepSpec& spec, const LoadedScenario& base) {
  std::ostringstream o;
  o << base.resolved_toml << "\n#sweep\n"
    << design_kind_name(spec.design.kind) << ' ' << spec.design.samples << ' ' << spec.design.morris_levels << ' '
    << spec.design.seed << ' ' << spec.replicates << ' ' << base.scenario.seed << '\n';
  for (const auto& p : spec.parameters) {
    o << p.key << ' ' << static_cast<int>(p.dimension.scale) << ' ' << toml_number(p.dimension.low, false) << ' '
      << toml_number(p.dimension.high, false) << ' ' << p.dimension.levels << ' ' << p.relative;
    for (const auto& v : p.values) o << ' ' << v;
    o << '\n';
  }
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : o.str()) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace tuopin
