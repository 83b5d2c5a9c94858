#include "scenario.h"

#include <algorithm>
#include <charconv>
#include <iomanip>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "embedded_scenarios.h"
#include "measures/registry.h"
#include "parameters.h"

namespace tuopin {

namespace {
std::string format_position(const std::string& file, int line, int column,
                            const std::string& message) {
  std::ostringstream o;
  o << file;
  if (line > 0) o << ":" << line << ":" << std::max(column, 1);
  o << ": " << message;
  return o.str();
}
}  // namespace

InputError::InputError(std::string file, int line, int column, const std::string& message)
    : std::runtime_error(format_position(file, line, column, message)),
      file_(std::move(file)), line_(line), column_(column) {}

InputError::InputError(const std::string& message) : std::runtime_error(message) {}

std::string scenario_description(const std::string& resolved_toml) {
  try {
    const toml::table t = toml::parse(resolved_toml);
    return t["description"].value_or(std::string());
  } catch (const std::exception&) {
    return "";
  }
}

namespace {

std::string toml_value_text(const toml::node& node, bool inside_list) {
  if (const auto* s = node.as_string()) return inside_list ? "\"" + s->get() + "\"" : s->get();
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
  if (const auto* f = node.as_floating_point()) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, f->get());
    std::string text(buf, r.ptr);
    if (text.find_first_of(".eEn") == std::string::npos) text += ".0";  // a float stays a float
    return text;
  }
  if (const auto* a = node.as_array()) {
    std::string out = "[";
    for (std::size_t k = 0; k < a->size(); ++k) out += (k ? ", " : "") + toml_value_text(*a->get(k), true);
    return out + "]";
  }
  std::ostringstream os;
  node.visit([&](const auto& v) { os << v; });
  return os.str();
}

}  // namespace

std::vector<std::pair<std::string, std::string>> flatten_scenario(const std::string& resolved_toml) {
  toml::table t;
  try {
    t = toml::parse(resolved_toml);
  } catch (const toml::parse_error& e) {
    throw InputError("the resolved scenario is not valid TOML: " + std::string(e.description()));
  }
  std::vector<std::pair<std::string, std::string>> out;
  auto walk = [&](auto& self, const toml::node& node, const std::string& prefix) -> void {
    if (const toml::table* table = node.as_table()) {
      for (auto&& [k, v] : *table)
        self(self, v, prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str()));
      return;
    }
    if (const toml::array* array = node.as_array(); array && !array->empty() && array->is_array_of_tables()) {
      for (std::size_t i = 0; i < array->size(); ++i) self(self, *array->get(i), prefix + "[" + std::to_string(i) + "]");
      return;
    }
    out.emplace_back(prefix, toml_value_text(node, false));
  };
  walk(walk, t, "");
  return out;
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    return row[b.size()];
  };
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

void ParameterReader::fail_choice(std::string_view section, std::string_view key, const std::string& word,
                                  const std::vector<std::string>& candidates, const std::string& expected) {
  const std::string path = std::string(section) + "." + std::string(key);
  const std::string m = closest_match(word, candidates);
  fail(section, key, "'" + path + "' has '" + word + "'; expected " + expected +
                         (m.empty() ? "" : "; did you mean '" + m + "'?"));
  throw std::logic_error("ParameterReader::fail returned");
}

int ParameterReader::choice(std::string_view section, std::string_view key, const std::vector<std::string>& choices) {
  const std::string word = string(section, key);
  for (std::size_t k = 0; k < choices.size(); ++k)
    if (choices[k] == word) return static_cast<int>(k);
  std::string list;
  for (std::size_t k = 0; k < choices.size(); ++k) list += (k ? ", \"" : "\"") + choices[k] + "\"";
  fail_choice(section, key, word, choices, "one of " + list);
}

bool Scenario::enabled(std::string_view measure) const {
  for (const auto& m : measures)
    if (m->name() == measure) return m->enabled();
  throw std::logic_error("no measure " + std::string(measure));
}

bool Scenario::any_measure() const {
  for (const auto& m : measures)
    if (m->enabled()) return true;
  return false;
}

double Scenario::poverty_line(int year) const {
  for (std::size_t i = 0; i < line_years.size(); ++i)
    if (line_years[i] == year) return line_yuan[i];
  throw std::logic_error("no poverty line for year " + std::to_string(year));
}

namespace {

constexpr std::string_view defaults_name = "<defaults>";

std::string source_name(const toml::node& n, const std::string& fallback) {
  const auto& path = n.source().path;
  return path ? std::string(*path) : fallback;
}

[[noreturn]] void fail_at(const toml::node& n, const std::string& fallback_file,
                          const std::string& message) {
  const auto& s = n.source();
  const std::string file = source_name(n, fallback_file);
  if (file == defaults_name)  // a default the scenario did not set conflicts with one it did
    throw InputError(fallback_file, 0, 0, message + " (the value in conflict is a default: set "
                                          "it in the scenario too)");
  throw InputError(file, static_cast<int>(s.begin.line), static_cast<int>(s.begin.column),
                   message);
}

// Errors about a key itself point at the key, not its value.
[[noreturn]] void fail_at_key(const toml::key& k, const toml::node& value, const std::string& file,
                              const std::string& message) {
  const auto& s = k.source();
  if (s.begin.line == 0) fail_at(value, file, message);
  throw InputError(s.path ? std::string(*s.path) : file, static_cast<int>(s.begin.line),
                   static_cast<int>(s.begin.column), message);
}

std::vector<std::string> section_names() {
  std::vector<std::string> out;
  for (const auto& s : parameter_specs())
    if (!s.section.empty() &&
        std::find(out.begin(), out.end(), std::string(s.section)) == out.end())
      out.emplace_back(s.section);
  return out;
}

std::vector<std::string> keys_of(std::string_view section) {
  std::vector<std::string> out;
  for (const auto& s : parameter_specs())
    if (s.section == section) out.emplace_back(s.key);
  return out;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates,
                         std::string_view prefix = "", std::string_view suffix = "") {
  const std::string m = closest_match(word, candidates);
  if (m.empty()) return "";
  return "; did you mean '" + std::string(prefix) + m + std::string(suffix) + "'?";
}

// A number as a person writes it: whole numbers in full (4294967295, not 4.29497e+09), others
// with the digits they need.
std::string plain_number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::ostringstream o;
  if (std::fabs(v) < 1e15 && v == std::floor(v)) {
    o << std::fixed << std::setprecision(0) << v;
  } else {
    o << std::setprecision(15) << v;
  }
  return o.str();
}

std::string expected_text(const ParameterSpec& spec) {
  std::ostringstream o;
  o << type_name(spec.type);
  if (spec.type != ParamType::boolean && spec.type != ParamType::string &&
      spec.type != ParamType::string_array)
    o << " in [" << plain_number(spec.min) << ", " << plain_number(spec.max) << "]";
  return o.str();
}

std::string toml_type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date or time";
  }
}

// Checks one scalar against the spec's element type and range.
void check_scalar(const toml::node& n, const ParameterSpec& spec, ParamType element,
                  const std::string& file, std::string_view where) {
  const std::string what = "'" + spec.path() + "'" + std::string(where);
  auto wrong_type = [&]() {
    fail_at(n, file, what + " expects " + expected_text(spec) + ", got " + toml_type_name(n));
  };
  switch (element) {
    case ParamType::integer: {
      if (!n.is_integer()) wrong_type();
      const double v = static_cast<double>(n.as_integer()->get());
      if (v < spec.min || v > spec.max)
        fail_at(n, file, what + " is " + std::to_string(n.as_integer()->get()) +
                             ", outside the allowed range: expected " + expected_text(spec));
      break;
    }
    case ParamType::real: {
      if (!n.is_number()) wrong_type();
      const double v = n.is_integer() ? static_cast<double>(n.as_integer()->get())
                                      : n.as_floating_point()->get();
      if (!(v >= spec.min && v <= spec.max)) {
        std::ostringstream o;
        o << what << " is " << plain_number(v) << ", outside the allowed range: expected " << expected_text(spec);
        fail_at(n, file, o.str());
      }
      break;
    }
    case ParamType::boolean:
      if (!n.is_boolean()) wrong_type();
      break;
    case ParamType::string:
      if (!n.is_string()) wrong_type();
      break;
    default: break;
  }
}

void check_value(const toml::node& n, const ParameterSpec& spec, const std::string& file) {
  ParamType element = spec.type;
  switch (spec.type) {
    case ParamType::integer_array: element = ParamType::integer; break;
    case ParamType::real_array: element = ParamType::real; break;
    case ParamType::string_array: element = ParamType::string; break;
    default: check_scalar(n, spec, spec.type, file, ""); return;
  }
  const toml::array* a = n.as_array();
  if (!a)
    fail_at(n, file, "'" + spec.path() + "' expects " + expected_text(spec) + ", got " +
                         toml_type_name(n));
  if (a->empty() && spec.length != length_any_or_none) fail_at(n, file, "'" + spec.path() + "' must not be empty");
  if (spec.length > 0 && static_cast<int>(a->size()) != spec.length)
    fail_at(n, file, "'" + spec.path() + "' expects " + std::to_string(spec.length) +
                         " entries, got " + std::to_string(a->size()));
  for (std::size_t i = 0; i < a->size(); ++i)
    check_scalar(*a->get(i), spec, element, file, " entry " + std::to_string(i + 1));
  if (spec.sums_to_one) {
    double sum = 0;
    for (const auto& e : *a) sum += e.value<double>().value_or(0.0);
    if (std::fabs(sum - 1.0) > 1e-3) {
      std::ostringstream o;
      o << "'" << spec.path() << "' are shares and must sum to 1 (within 0.001), they sum to "
        << sum;
      fail_at(n, file, o.str());
    }
  }
}

// A table path that is a section, or the parent of sections ("measures" of "measures.industry").
bool is_section_or_parent(const std::string& path, const std::vector<std::string>& sections) {
  for (const auto& s : sections)
    if (s == path || (s.size() > path.size() && s.compare(0, path.size(), path) == 0 && s[path.size()] == '.'))
      return true;
  return false;
}

// Sub-tables directly below `path` (for "did you mean" on a misspelt table).
std::vector<std::string> child_tables(const std::string& path, const std::vector<std::string>& sections) {
  std::vector<std::string> out;
  const std::string prefix = path.empty() ? "" : path + ".";
  for (const auto& s : sections) {
    if (s.compare(0, prefix.size(), prefix) != 0 || s.size() == prefix.size()) continue;
    const std::string rest = s.substr(prefix.size());
    const std::string child = rest.substr(0, rest.find('.'));
    if (std::find(out.begin(), out.end(), child) == out.end()) out.push_back(child);
  }
  return out;
}

// Every key of one table (and its sub-tables) must be known and well typed.
void validate_table(const toml::table& table, const std::string& path, const std::string& file,
                    const std::vector<std::string>& sections) {
  for (const auto& [k, node] : table) {
    const std::string key(k.str());
    const std::string full = path.empty() ? key : path + "." + key;
    if (node.is_table()) {
      if (!is_section_or_parent(full, sections)) {
        const std::string where = path.empty() ? "" : " in [" + path + "]";
        std::vector<std::string> candidates = child_tables(path, sections);
        std::string hint = did_you_mean(key, candidates, "[" + (path.empty() ? "" : path + "."), "]");
        if (hint.empty() && !path.empty())  // perhaps a whole dotted name was misspelt
          hint = did_you_mean(full, sections, "[", "]");
        fail_at_key(k, node, file, "unknown table [" + full + "]" + hint);
      }
      validate_table(*node.as_table(), full, file, sections);
      continue;
    }
    const ParameterSpec* spec = find_parameter(path, key);
    if (spec) {
      check_value(node, *spec, file);
      continue;
    }
    std::vector<std::string> known = keys_of(path);
    if (path.empty())
      for (const auto& c : child_tables("", sections)) known.push_back(c);
    std::string hint = did_you_mean(key, known);
    if (hint.empty())  // perhaps it belongs to another table
      for (const auto& sp : parameter_specs())
        if (sp.key == key && !sp.section.empty()) {
          hint = "; '" + key + "' belongs in [" + std::string(sp.section) + "]";
          break;
        }
    const std::string where = path.empty() ? " at the top level" : " in [" + path + "]";
    fail_at_key(k, node, file, "unknown key '" + key + "'" + where + hint);
  }
}

void validate_file(const toml::table& doc, const std::string& file) {
  validate_table(doc, "", file, section_names());
}

toml::table parse_text(const std::string& text, const std::string& name) {
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    const auto& s = e.source();
    throw InputError(s.path ? std::string(*s.path) : name, static_cast<int>(s.begin.line),
                     static_cast<int>(s.begin.column),
                     "not valid TOML: " + std::string(e.description()));
  }
}

// Later tables override earlier ones key by key.
void merge_into(toml::table& base, const toml::table& top) {
  for (const auto& [k, node] : top) {
    if (node.is_table() && base.contains(k) && base[k].is_table()) {
      merge_into(*base[k].as_table(), *node.as_table());
    } else {
      base.insert_or_assign(k, node);
    }
  }
}

// Where each key's value was written (file, line, column): toml++ does not copy a node's
// source position when a table is merged, so positions are recorded per key path before
// merging, the later file (or --set) overriding the earlier as its value does.
struct Position {
  std::string file;
  int line = 0, column = 0;
};
using Positions = std::map<std::string, Position>;

void record_positions(const toml::table& t, const std::string& prefix, const std::string& file, Positions& out) {
  for (const auto& [k, node] : t) {
    const std::string path = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const toml::table* sub = node.as_table()) {
      record_positions(*sub, path, file, out);
      continue;
    }
    const auto& src = node.source();
    out[path] = {src.path ? std::string(*src.path) : file, static_cast<int>(src.begin.line),
                 static_cast<int>(src.begin.column)};
  }
}

}  // namespace

// A scenario file's text, or why it cannot be one (empty `problem` when it can): no such file, a
// folder or a special file, larger than a scenario can sensibly be, unreadable, or empty.
std::string read_scenario_source(const std::filesystem::path& path, std::string& problem) {
  constexpr std::uintmax_t max_bytes = 1u << 20;
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    problem = "no such file";
    return "";
  }
  if (std::filesystem::is_directory(status)) {
    problem = "is a folder; expected a scenario file (.toml)";
    return "";
  }
  if (!std::filesystem::is_regular_file(status)) {
    problem = "is not a regular file (a device, pipe or socket); expected a scenario file (.toml)";
    return "";
  }
  if (std::filesystem::file_size(path, ec) > max_bytes) {
    problem = "is larger than 1 MiB; a scenario is a short TOML file";
    return "";
  }
  std::ifstream in(path);
  if (!in) {
    problem = "cannot be read (permissions?)";
    return "";
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    problem = "is empty; a scenario names its base (inherits = \"anqing-baseline.toml\") and sets the keys it "
              "changes (docs/parameters.md)";
    return "";
  }
  problem.clear();
  return text;
}

namespace {

struct Resolver {
  std::vector<ScenarioSource> sources;
  std::vector<std::string> visiting;  // the chain of files being loaded, the first file first
  Positions positions;

  toml::table load(const std::string& text, const std::string& name,
                   const std::filesystem::path& base_dir) {
    if (std::find(visiting.begin(), visiting.end(), name) != visiting.end()) {
      std::string chain;
      for (const auto& v : visiting) chain += v + " -> ";
      throw InputError(name, 0, 0, "inheritance cycle: " + chain + name);
    }
    visiting.push_back(name);
    toml::table doc = parse_text(text, name);
    validate_file(doc, name);
    toml::table merged;
    if (auto parent = doc["inherits"].value<std::string>(); parent && !parent->empty()) {
      const std::filesystem::path p = base_dir / *parent;
      std::string parent_text, parent_name;
      std::filesystem::path parent_dir;
      std::string problem;
      std::error_code ec;
      if (!std::filesystem::exists(p, ec) && *parent == embedded::baseline_name) {
        parent_text = std::string(embedded::baseline_text);
        parent_name = "<embedded>/" + std::string(embedded::baseline_name);
      } else {
        parent_text = read_scenario_source(p, problem);
        if (!problem.empty())
          fail_at(*doc.get("inherits"), name, "'inherits' names '" + *parent + "', which " +
                                                  (problem == "no such file" ? "does not exist" : problem) +
                                                  " (looked for " + p.string() + ")");
        parent_name = p.lexically_normal().string();
        parent_dir = p.parent_path();
      }
      merged = load(parent_text, parent_name, parent_dir);
    }
    sources.push_back({name, text});
    doc.erase("inherits");
    record_positions(doc, "", name, positions);
    merge_into(merged, doc);
    visiting.pop_back();
    return merged;
  }
};

// Reads typed values out of the resolved table; every lookup is recorded so a test can check
// that every key of the dictionary reaches the model.
class Reader final : public ParameterReader {
 public:
  Reader(const toml::table& t, std::string file, const Positions& positions)
      : t_(t), file_(std::move(file)), positions_(positions) {}

  const toml::node& node(std::string_view section, std::string_view key) {
    const std::string path = section.empty() ? std::string(key)
                                              : std::string(section) + "." + std::string(key);
    used_.insert(path);
    const toml::table* table = &t_;
    std::string_view rest = section;
    while (!rest.empty()) {  // dotted sections: [measures.industry]
      const std::size_t dot = rest.find('.');
      const toml::node* sub = table->get(rest.substr(0, dot));
      table = sub ? sub->as_table() : nullptr;
      if (!table) throw std::logic_error("resolved scenario lacks " + path);
      rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
    }
    const toml::node* n = table->get(key);
    if (!n) throw std::logic_error("resolved scenario lacks " + path);
    return *n;
  }
  double real(std::string_view s, std::string_view k) override { return *node(s, k).value<double>(); }
  std::int64_t integer(std::string_view s, std::string_view k) override {
    return *node(s, k).value<std::int64_t>();
  }
  bool boolean(std::string_view s, std::string_view k) override { return *node(s, k).value<bool>(); }
  std::string string(std::string_view s, std::string_view k) override {
    return *node(s, k).value<std::string>();
  }
  std::vector<double> reals(std::string_view s, std::string_view k) override { return array<double>(s, k); }
  std::vector<std::int64_t> integers(std::string_view s, std::string_view k) override {
    return array<std::int64_t>(s, k);
  }
  std::vector<std::string> strings(std::string_view s, std::string_view k) override {
    return array<std::string>(s, k);
  }
  [[noreturn]] void fail(std::string_view s, std::string_view k, const std::string& message) override {
    const std::string path = s.empty() ? std::string(k) : std::string(s) + "." + std::string(k);
    const auto it = positions_.find(path);
    if (it == positions_.end())  // a default the scenario did not set conflicts with one it did
      throw InputError(file_, 0, 0, message + " (the value in conflict is a default: set it in the scenario too)");
    throw InputError(it->second.file, it->second.line, it->second.column, message);
  }
  template <typename V>
  std::vector<V> array(std::string_view s, std::string_view k) {
    std::vector<V> out;
    for (const auto& e : *node(s, k).as_array()) out.push_back(*e.value<V>());
    return out;
  }
  template <std::size_t N>
  Shares<N> shares(std::string_view s, std::string_view k) {
    const auto v = array<double>(s, k);
    Shares<N> out{};
    std::copy_n(v.begin(), N, out.begin());  // length checked by validation
    return out;
  }
  const std::set<std::string>& used() const { return used_; }

 private:
  const toml::table& t_;
  std::string file_;
  const Positions& positions_;
  std::set<std::string> used_;
};

Scenario build_scenario(const toml::table& resolved, const std::string& file, const Positions& positions) {
  Reader r(resolved, file, positions);
  Scenario s;
  s.description = r.string("", "description");
  s.first_year = static_cast<int>(r.integer("window", "first_year"));
  s.last_year = static_cast<int>(r.integer("window", "last_year"));
  if (s.last_year < s.first_year)
    r.fail("window", "last_year", "'window.last_year' (" + std::to_string(s.last_year) +
                ") must not be before 'window.first_year' (" + std::to_string(s.first_year) + ")");
  s.seed = static_cast<std::uint32_t>(r.integer("simulation", "seed"));
  s.replicates = static_cast<int>(r.integer("simulation", "replicates"));

  const auto years = r.array<std::int64_t>("poverty_line", "years");
  s.line_yuan = r.array<double>("poverty_line", "yuan");
  s.line_years.assign(years.begin(), years.end());
  if (s.line_yuan.size() != s.line_years.size())
    r.fail("poverty_line", "yuan", "'poverty_line.yuan' has " + std::to_string(s.line_yuan.size()) +
                " entries but 'poverty_line.years' has " + std::to_string(s.line_years.size()) +
                "; expected one line per year");
  for (std::size_t i = 1; i < s.line_years.size(); ++i)
    if (s.line_years[i] <= s.line_years[i - 1])
      r.fail("poverty_line", "years", "'poverty_line.years' has " + std::to_string(s.line_years[i]) + " after " +
                                          std::to_string(s.line_years[i - 1]) + "; expected each year once, increasing");
  for (int y = s.first_year; y <= s.last_year; ++y)
    if (std::find(s.line_years.begin(), s.line_years.end(), y) == s.line_years.end())
      r.fail("poverty_line", "years", "'poverty_line.years' lacks " + std::to_string(y) +
                  ", a simulated year; expected every year from window.first_year to "
                  "window.last_year");

  auto& p = s.population;
  p.poor_people = r.real("population", "poor_people");
  p.exited_people = r.real("population", "exited_people");
  p.near_poor_people = r.real("population", "near_poor_people");
  p.rural_population = r.real("population", "rural_population");
  {
    // The population must give at least one household and at most the 30 million that
    // --households allows (households of the mean size of household_size_shares, about 2.6).
    const double people = p.poor_people + p.exited_people + p.near_poor_people;
    if (people < 1.0)
      r.fail("population", "poor_people", "poor, exited and near-poor people add up to " + std::to_string(people) +
                                              "; expected at least one person to simulate");
    if (people > 30e6 * 20)
      r.fail("population", "poor_people", "poor, exited and near-poor people add up to more than 600 million; "
                                          "expected at most 30 million households");
    if (people > p.rural_population)
      r.fail("population", "rural_population", "the rural population is smaller than the poor, exited and near-poor "
                                               "people it contains; expected at least their sum");
  }
  p.household_size_shares = r.array<double>("population", "household_size_shares");
  if (p.household_size_shares.size() > 20)
    r.fail("population", "household_size_shares", "'population.household_size_shares' has more than 20 sizes; expected at most 20");
  p.cause_shares = r.shares<cause_count>("population", "cause_shares");
  p.secondary_cause_rate = r.real("population", "secondary_cause_rate");
  p.labour_none_by_cause = r.shares<cause_count>("population", "labour_none_by_cause");
  p.labour_weak_by_cause = r.shares<cause_count>("population", "labour_weak_by_cause");
  for (int c = 0; c < cause_count; ++c)
    if (p.labour_none_by_cause[c] + p.labour_weak_by_cause[c] > 1.0 + 1e-9)
      r.fail("population", "labour_weak_by_cause", "labour shares for cause '" + std::string(cause_names[c]) +
                  "' add up to more than 1; expected labour_none_by_cause + "
                  "labour_weak_by_cause <= 1 for each cause");
  p.age_shares[0] = r.shares<age_band_count>("population", "age_shares_normal");
  p.age_shares[1] = r.shares<age_band_count>("population", "age_shares_weak");
  p.age_shares[2] = r.shares<age_band_count>("population", "age_shares_none");
  p.disability_rate = r.real("population", "disability_rate");
  p.chronic_illness_rate = r.real("population", "chronic_illness_rate");
  p.dibao_rate_by_labour = r.shares<labour_capacity_count>("population", "dibao_rate_by_labour");
  p.wubao_rate = r.real("population", "wubao_rate");
  p.land_per_person = r.real("population", "land_per_person");
  p.land_dispersion = r.real("population", "land_dispersion");
  p.housing_shares_poor = r.shares<housing_safety_count>("population", "housing_shares_poor");
  p.housing_shares_other = r.shares<housing_safety_count>("population", "housing_shares_other");
  p.labour_none_small_household_odds = r.real("population", "labour_none_small_household_odds");
  p.poor_in_poor_villages = r.real("population", "poor_in_poor_villages");
  p.poor_measured_below_line = r.boolean("population", "poor_measured_below_line");

  const auto names = r.array<std::string>("counties", "names");
  const auto names_zh = r.array<std::string>("counties", "names_zh");
  const auto poor_villages = r.array<std::int64_t>("counties", "poor_villages");
  const auto villages = r.array<std::int64_t>("counties", "villages");
  const auto weights = r.array<double>("counties", "weights");
  const auto rural_shares = r.array<double>("counties", "rural_population_shares");
  const auto poverty_county = r.array<std::int64_t>("counties", "poverty_county");
  if (names.size() > max_counties)
    r.fail("counties", "names", "at most " + std::to_string(max_counties) + " counties are supported");
  auto check_len = [&](std::string_view key, std::size_t n) {
    if (n != names.size())
      r.fail("counties", key, "'counties." + std::string(key) + "' has " + std::to_string(n) +
                  " entries; expected one per county in 'counties.names' (" +
                  std::to_string(names.size()) + ")");
  };
  check_len("names_zh", names_zh.size());
  check_len("poor_villages", poor_villages.size());
  check_len("villages", villages.size());
  check_len("weights", weights.size());
  check_len("rural_population_shares", rural_shares.size());
  check_len("poverty_county", poverty_county.size());
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (names[c].empty() || names_zh[c].empty())
      r.fail("counties", names[c].empty() ? "names" : "names_zh",
             "county " + std::to_string(c + 1) + " has an empty name; expected a name for every county");
    for (std::size_t d = 0; d < c; ++d)
      if (names[d] == names[c])
        r.fail("counties", "names", "'counties.names' lists '" + names[c] + "' twice; expected each county once");
    if (poor_villages[c] > villages[c])
      r.fail("counties", "poor_villages", "county '" + names[c] + "' has more poor villages (" +
                  std::to_string(poor_villages[c]) + ") than villages (" +
                  std::to_string(villages[c]) + ")");
    s.counties.push_back({names[c], names_zh[c], weights[c], static_cast<int>(villages[c]),
                          static_cast<int>(poor_villages[c]), rural_shares[c], poverty_county[c] != 0});
  }
  s.remoteness_poor_villages = r.shares<3>("counties", "remoteness_poor_villages");
  s.remoteness_other_villages = r.shares<3>("counties", "remoteness_other_villages");
  s.road_access = r.shares<2>("counties", "road_access");
  s.safe_water = r.shares<2>("counties", "safe_water");
  s.collective_income_median = r.shares<2>("counties", "collective_income_median");
  s.empty_shell_share = r.shares<2>("counties", "empty_shell_share");
  s.collective_income_dispersion = r.real("counties", "collective_income_dispersion");

  auto& in = s.income;
  in.median_ratio_poor = r.real("income", "median_ratio_poor");
  in.median_ratio_exited = r.real("income", "median_ratio_exited");
  in.median_ratio_near_poor = r.real("income", "median_ratio_near_poor");
  in.dispersion = r.real("income", "dispersion");
  in.source_shares[0] = r.shares<income_source_count>("income", "source_shares_normal");
  in.source_shares[1] = r.shares<income_source_count>("income", "source_shares_weak");
  in.source_shares[2] = r.shares<income_source_count>("income", "source_shares_none");
  in.remoteness_wage_factor = r.shares<3>("income", "remoteness_wage_factor");
  in.land_elasticity = r.real("income", "land_elasticity");
  in.wage_growth = r.real("income", "wage_growth");
  in.operating_growth = r.real("income", "operating_growth");
  in.persistence = r.real("income", "persistence");
  in.persistent_sd = r.real("income", "persistent_sd");
  in.wage_transitory_sd = r.real("income", "wage_transitory_sd");
  in.operating_transitory_sd = r.real("income", "operating_transitory_sd");
  in.dibao_benefit = r.real("income", "dibao_benefit");
  in.wubao_benefit = r.real("income", "wubao_benefit");
  auto& sh = s.shocks;
  sh.illness_rate = r.real("shocks", "illness_rate");
  sh.chronic_illness_multiplier = r.real("shocks", "chronic_illness_multiplier");
  sh.illness_cost_mean = r.real("shocks", "illness_cost_mean");
  sh.illness_cost_dispersion = r.real("shocks", "illness_cost_dispersion");
  sh.illness_work_months = static_cast<int>(r.integer("shocks", "illness_work_months"));
  sh.illness_wage_loss = r.real("shocks", "illness_wage_loss");
  sh.disaster_rate = r.real("shocks", "disaster_rate");
  sh.disaster_operating_loss = r.real("shocks", "disaster_operating_loss");
  sh.disaster_housing_damage = r.real("shocks", "disaster_housing_damage");
  sh.illness_age_risk = r.shares<age_band_count>("shocks", "illness_age_risk");
  sh.flood_year = static_cast<int>(r.integer("shocks", "flood_year"));
  sh.flood_month = static_cast<int>(r.integer("shocks", "flood_month"));
  sh.flood_village_share = r.real("shocks", "flood_village_share");
  sh.downturn_year = static_cast<int>(r.integer("shocks", "downturn_year"));
  sh.downturn_job_loss = r.real("shocks", "downturn_job_loss");
  sh.downturn_months = static_cast<int>(r.integer("shocks", "downturn_months"));
  for (const auto& [key, year] : {std::pair<std::string_view, int>{"flood_year", sh.flood_year},
                                  std::pair<std::string_view, int>{"downturn_year", sh.downturn_year}})
    if (year != 0 && (year < s.first_year || year > s.last_year))
      r.fail("shocks", key, "'shocks." + std::string(key) + "' is " + std::to_string(year) +
                                 ", outside the window " + std::to_string(s.first_year) + "-" +
                                 std::to_string(s.last_year) + "; expected a year of the window, or 0 for none");
  const double max_risk = *std::max_element(sh.illness_age_risk.begin(), sh.illness_age_risk.end());
  if (sh.illness_rate * sh.chronic_illness_multiplier * std::max(1.0, max_risk) > 1.0)
    r.fail("shocks", "chronic_illness_multiplier", "illness_rate x chronic_illness_multiplier x the largest "
            "illness_age_risk exceeds 1; expected a monthly probability");

  auto& g = s.guarantees;
  g.food_clothing_line_share = r.real("guarantees", "food_clothing_line_share");
  g.insurance_enrolment = r.real("guarantees", "insurance_enrolment");
  g.medical_reimbursement = r.real("guarantees", "medical_reimbursement");
  g.catastrophic_share = r.real("guarantees", "catastrophic_share");
  g.dropout_rate = r.real("guarantees", "dropout_rate");
  g.reenrolment_rate = r.real("guarantees", "reenrolment_rate");
  g.repair_rate = r.real("guarantees", "repair_rate");
  g.repair_poor_factor = r.real("guarantees", "repair_poor_factor");

  auto& a = s.assessment;
  a.require_guarantees = r.boolean("assessment", "require_guarantees");
  a.reentry_threshold = r.real("assessment", "reentry_threshold");
  a.reentry_identification = r.real("assessment", "reentry_identification");
  a.new_poor_identification = r.real("assessment", "new_poor_identification");
  a.exit_margin = r.real("assessment", "exit_margin");
  a.survey_error_sd = r.real("assessment", "survey_error_sd");
  a.monitoring_years = static_cast<int>(r.integer("assessment", "monitoring_years"));
  a.monitored_identification = r.real("assessment", "monitored_identification");

  auto& ve = s.village_exit;
  ve.incidence_max = r.real("village_exit", "incidence_max");
  ve.collective_income_min = r.real("village_exit", "collective_income_min");
  ve.require_road = r.boolean("village_exit", "require_road");
  ve.require_water = r.boolean("village_exit", "require_water");
  auto& ce = s.county_exit;
  ce.incidence_max = r.real("county_exit", "incidence_max");
  ce.wrong_exit_max = r.real("county_exit", "wrong_exit_max");
  ce.missed_max = r.real("county_exit", "missed_max");
  ce.poor_villages_exited_min = r.real("county_exit", "poor_villages_exited_min");
  ce.public_approval = r.real("county_exit", "public_approval");
  ce.approval_min = r.real("county_exit", "approval_min");

  std::vector<std::string> county_names;
  for (const auto& c : s.counties) county_names.push_back(c.name);
  std::vector<std::string> measure_names;
  std::vector<bool> enabled;
  int metric_offset = 0;
  for (const auto& entry : measure_registry()) {
    std::shared_ptr<Measure> m = entry.make(r, s, static_cast<int>(s.measures.size()));
    m->set_metric_offset(metric_offset);
    metric_offset += static_cast<int>(m->metrics().size());
    measure_names.emplace_back(entry.name);
    enabled.push_back(m->enabled());
    s.measures.push_back(std::move(m));
  }
  s.funding = read_funding(r, county_names, s.any_measure());
  s.targeting = read_targeting(r, measure_names, enabled);
  for (const auto& m : s.measures)
    if (m->enabled()) m->adjust_targeting(s.targeting);
  s.uncertainty = read_uncertainty(r);

  for (const auto& spec : parameter_specs())
    if (spec.path() != "inherits" && !r.used().count(spec.path()))
      throw std::logic_error("parameter " + spec.path() + " is in the dictionary but unused");
  return s;
}

}  // namespace

namespace {
// One --set assignment as a TOML document of one dotted key ("funding.level = 1.2"), validated
// like a file. A bare word on the right is taken as a string (--set targeting.mode=uniform).
toml::table parse_setting(const std::string& setting) {
  const std::size_t eq = setting.find('=');
  const std::string name = "--set '" + setting + "'";
  if (eq == std::string::npos || eq == 0)
    throw InputError(name + ": expected section.key=value, e.g. --set funding.level=1.2");
  std::string key = setting.substr(0, eq), value = setting.substr(eq + 1);
  auto trim = [](std::string& x) {
    x.erase(0, x.find_first_not_of(" \t"));
    x.erase(x.find_last_not_of(" \t") + 1);
  };
  trim(key);
  trim(value);
  toml::table t;
  try {
    t = toml::parse(key + " = " + value + "\n", name);
  } catch (const toml::parse_error& e) {
    const bool bare = !value.empty() && value.front() != '"' && value.front() != '[' &&
                      value.find_first_of("\"\\") == std::string::npos;
    if (!bare)
      throw InputError(name, static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column),
                       "not valid TOML: " + std::string(e.description()));
    t = parse_text(key + " = \"" + value + "\"\n", name);
  }
  validate_file(t, name);
  return t;
}
}  // namespace

LoadedScenario load_scenario_text(const std::string& text, const std::string& name,
                                  const std::filesystem::path& base_dir,
                                  const std::vector<std::string>& settings) {
  Resolver resolver;
  toml::table resolved = parse_text(defaults_toml(), std::string(defaults_name));
  merge_into(resolved, resolver.load(text, name, base_dir));
  for (const auto& setting : settings) {
    const toml::table t = parse_setting(setting);
    record_positions(t, "", "--set '" + setting + "'", resolver.positions);
    merge_into(resolved, t);
  }
  resolved.erase("inherits");  // resolved: nothing left to inherit
  LoadedScenario out;
  out.scenario = build_scenario(resolved, name, resolver.positions);
  out.sources = std::move(resolver.sources);
  std::ostringstream ss;
  ss << toml::toml_formatter(resolved);
  out.resolved_toml = ss.str();
  return out;
}

LoadedScenario load_scenario_file(const std::filesystem::path& path, const std::vector<std::string>& settings) {
  std::string problem;
  const std::string text = read_scenario_source(path, problem);
  if (!problem.empty()) throw InputError(path.string() + ": " + problem);
  return load_scenario_text(text, path.string(), path.parent_path(), settings);
}

void set_simulation_key(LoadedScenario& loaded, const std::string& key, std::int64_t value) {
  // The same range as in a file, so that a file written by the run can always be replayed.
  if (const ParameterSpec* spec = find_parameter("simulation", key);
      spec && (static_cast<double>(value) < spec->min || static_cast<double>(value) > spec->max)) {
    std::ostringstream range;
    range << std::fixed << std::setprecision(0) << spec->min << " .. " << spec->max;
    throw InputError("--" + key + " must be in " + range.str() + " (simulation." + key + "), got " +
                     std::to_string(value));
  }
  toml::table t = toml::parse(std::string_view(loaded.resolved_toml), std::string_view("<resolved>"));
  t["simulation"].as_table()->insert_or_assign(key, value);
  std::ostringstream ss;
  ss << toml::toml_formatter(t);
  loaded.resolved_toml = ss.str();
  if (key == "seed") loaded.scenario.seed = static_cast<std::uint32_t>(value);
  else if (key == "replicates") loaded.scenario.replicates = static_cast<int>(value);
  else throw std::logic_error("set_simulation_key: " + key);
}

std::string toml_number(double v, bool integer) {
  if (integer) return std::to_string(std::llround(v));
  char buf[64];
  const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  std::string out(buf, end);
  if (out.find_first_of(".eE") == std::string::npos) out += ".0";
  return out;
}

LoadedScenario load_default_scenario(const std::vector<std::string>& settings) {
  return load_scenario_text(std::string(embedded::baseline_text),
                            "<embedded>/" + std::string(embedded::baseline_name), ".", settings);
}

}  // namespace tuopin
