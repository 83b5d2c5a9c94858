// The brief (outputs/brief.cpp, tuopin report): the translation table, escaping, the parameters
// that differ, and a brief of a real comparison file: well-formed, self-contained, every label
// from the table, and headline numbers equal to compare_scenarios'.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "brief.h"
#include "comparison.h"
#include "funding.h"
#include "measures/registry.h"
#include "result_file.h"
#include "result_reader.h"
#include "targets.h"
#include "test_support.h"
#include "translations.h"

using namespace tuopin;

namespace {

std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("tuopin_brief_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

// Code points of a UTF-8 string.
std::vector<char32_t> code_points(const std::string& s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

// Chinese characters and full-width punctuation.
bool is_cjk(char32_t c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) ||
         c == 0x201C || c == 0x201D;
}

std::string utf8(const std::vector<char32_t>& cps) {
  std::string out;
  for (char32_t c : cps) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

// Runs of Chinese characters in a text.
std::vector<std::string> cjk_runs(const std::string& text) {
  std::vector<std::string> runs;
  std::vector<char32_t> run;
  for (char32_t c : code_points(text)) {
    if (is_cjk(c)) {
      run.push_back(c);
    } else if (!run.empty()) {
      runs.push_back(utf8(run));
      run.clear();
    }
  }
  if (!run.empty()) runs.push_back(utf8(run));
  return runs;
}

std::set<std::string> ascii_words(const std::string& text) {
  std::set<std::string> out;
  static const std::regex word("[A-Za-z_]+");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), word); it != std::sregex_iterator(); ++it)
    out.insert(it->str());
  return out;
}

// The text a reader sees, labels only: the style sheet, data (class="d") and tags removed
// (each tag becomes a space), entities decoded.
std::string label_text(const std::string& html) {
  std::string s = std::regex_replace(html, std::regex("<style>[^<]*</style>"), " ");
  s = std::regex_replace(s, std::regex("<(span|tspan|code) class=\"d\">[^<]*</\\1>"), " ");
  s = std::regex_replace(s, std::regex("<[^>]*>"), " ");
  for (const auto& [entity, ch] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}})
    s = std::regex_replace(s, std::regex(entity), ch);
  return s;
}

// Every element opened is closed, in order; void and self-closed elements excepted.
std::string tag_balance_error(const std::string& html) {
  static const std::set<std::string> void_elements = {"meta", "br", "hr", "img", "link", "input", "col"};
  static const std::regex tag("<(/?)([A-Za-z][A-Za-z0-9]*)([^>]*)>");
  std::vector<std::string> open;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator(); ++it) {
    const bool closing = !(*it)[1].str().empty();
    const std::string name = (*it)[2].str(), rest = (*it)[3].str();
    if (closing) {
      if (open.empty() || open.back() != name)
        return "</" + name + "> closes " + (open.empty() ? std::string("nothing") : "<" + open.back() + ">");
      open.pop_back();
    } else if (!void_elements.count(name) && !(rest.size() && rest.back() == '/')) {
      open.push_back(name);
    }
  }
  return open.empty() ? "" : "<" + open.back() + "> never closed";
}

struct HeadlineCell {
  std::string key, scenario, text;
  double mean = 0, p05 = 0, p95 = 0, diff_mean = 0, diff_p05 = 0, diff_p95 = 0;
  bool has_diff = false;
};

std::string attribute(const std::string& attrs, const std::string& name) {
  const std::regex re(" " + name + "=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(attrs, m, re) ? m[1].str() : std::string();
}

std::vector<HeadlineCell> headline_cells(const std::string& html) {
  std::vector<HeadlineCell> out;
  static const std::regex cell("<td class=\"n\"( data-key=[^>]*)><span class=\"v\">([^<]*)</span>");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), cell); it != std::sregex_iterator(); ++it) {
    const std::string attrs = (*it)[1].str();
    HeadlineCell c;
    c.key = attribute(attrs, "data-key");
    c.scenario = attribute(attrs, "data-scenario");
    c.text = (*it)[2].str();
    c.mean = std::strtod(attribute(attrs, "data-mean").c_str(), nullptr);
    c.p05 = std::strtod(attribute(attrs, "data-p05").c_str(), nullptr);
    c.p95 = std::strtod(attribute(attrs, "data-p95").c_str(), nullptr);
    c.has_diff = !attribute(attrs, "data-diff-mean").empty();
    if (c.has_diff) {
      c.diff_mean = std::strtod(attribute(attrs, "data-diff-mean").c_str(), nullptr);
      c.diff_p05 = std::strtod(attribute(attrs, "data-diff-p05").c_str(), nullptr);
      c.diff_p95 = std::strtod(attribute(attrs, "data-diff-p95").c_str(), nullptr);
    }
    out.push_back(c);
  }
  return out;
}

// A comparison file of two small scenarios on one population: every measure off, and the safety
// net and health on. The second's name and the first's description need escaping.
const std::string odd_name = "plan<b>&\"x'";

struct ComparisonFile {
  std::filesystem::path path = scratch("compare.h5");
  ComparisonFile() {
    const LoadedScenario base =
        test::small_scenario("description = \"Baseline <script>alert(\\\"x\\\")</script> & more\"\n", 3000);
    const LoadedScenario plan =
        test::small_scenario("", 3000, "", {"measures.safety_net.enabled=true", "measures.health.enabled=true"});
    const Population pop = synthesise_population(base.scenario);
    SimulationOptions opt;
    opt.replicates = 4;
    opt.seed = base.scenario.seed;
    const SimulationResult rb = simulate(base.scenario, pop, opt);
    const SimulationResult rp = simulate(plan.scenario, pop, opt);
    std::filesystem::remove(path);
    write_comparison_file(path, false, {{"base", &base, &rb, nullptr}, {odd_name, &plan, &rp, nullptr}}, pop,
                          RunInfo{"v", "c", "cmd", "h", "t", 1, 0.0, "synthesised", {}});
  }
  ~ComparisonFile() {
    std::error_code ec;
    std::filesystem::remove_all(path.parent_path(), ec);
  }
};

}  // namespace

TEST_CASE("the translation table: every key has both languages and every name a label") {
  std::set<std::string> keys;
  static const std::regex placeholder("\\{[0-9]\\}");
  for (const auto& t : translation_table()) {
    CAPTURE(t.key);
    CHECK(keys.insert(t.key).second);
    CHECK_FALSE(t.zh.empty());
    CHECK_FALSE(t.en.empty());
    // Same placeholders in both languages.
    std::set<std::string> pz, pe;
    for (auto it = std::sregex_iterator(t.zh.begin(), t.zh.end(), placeholder); it != std::sregex_iterator(); ++it)
      pz.insert(it->str());
    for (auto it = std::sregex_iterator(t.en.begin(), t.en.end(), placeholder); it != std::sregex_iterator(); ++it)
      pe.insert(it->str());
    CHECK(pz == pe);
    // English has no Chinese in it.
    CHECK(cjk_runs(t.en).empty());
  }
  for (const auto& m : measure_registry()) {
    CHECK(has_translation("measure." + std::string(m.name)));
    CHECK(tr("measure." + std::string(m.name), Language::zh) == m.name_zh);
  }
  for (int s = 0; s < fund_source_count; ++s) {
    CHECK(has_translation("source." + std::string(fund_source_names[s])));
    CHECK(tr("source." + std::string(fund_source_names[s]), Language::zh) == fund_source_names_zh[s]);
  }
  for (const auto& c : criterion_names) CHECK(has_translation("criterion." + std::string(c)));
  for (const auto& k : key_result_info()) CHECK(has_translation("key." + k.name));
  CHECK_THROWS_AS(tr("no.such.key", Language::en), std::logic_error);
  CHECK(tr_format("fmt.range", Language::en, {"1", "2"}) == "[1 to 2]");
  CHECK(parse_language("zh") == Language::zh);
  CHECK(parse_language("en") == Language::en);
  CHECK_THROWS_AS(parse_language("fr"), InputError);
}

TEST_CASE("escaping and numbers") {
  CHECK(html_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(html_escape("岳西县") == "岳西县");
  CHECK(format_number(1234567.0, 0) == "1,234,567");
  CHECK(format_number(-1234.56, 1) == "-1,234.6");
  CHECK(format_number(999.5, 0) == "1,000");
  CHECK(format_number(12.0, 0, true) == "+12");
  CHECK(format_number(-0.04, 1, true) == "0.0");
  CHECK(format_number(0.0, 0) == "0");
  CHECK(format_number(std::nan(""), 0) == "—");
}

TEST_CASE("the parameters in which scenarios differ") {
  const std::string a =
      "description = \"A\"\n[simulation]\nreplicates = 3\nseed = 1\n[funding]\nlevel = 1.0\n"
      "[measures.health]\nenabled = false\n[counties]\nnames = [\"X\", \"Y\"]\n";
  const std::string b =
      "description = \"B\"\n[simulation]\nreplicates = 3\nseed = 1\n[funding]\nlevel = 1.2\n"
      "[measures.health]\nenabled = true\n[counties]\nnames = [\"X\", \"Z\"]\n[extra]\nkey = 'v'\n";
  const auto flat = flatten_scenario(b);
  std::map<std::string, std::string> m(flat.begin(), flat.end());
  CHECK(m.at("simulation.replicates") == "3");
  CHECK(m.at("measures.health.enabled") == "true");
  CHECK(m.at("extra.key").find('v') != std::string::npos);  // quoted as toml++ writes it
  const auto diffs = differing_parameters({a, b});
  std::map<std::string, ParameterDifference> by_key;
  for (const auto& d : diffs) by_key.emplace(d.key, d);
  CHECK(by_key.size() == 4);
  CHECK_FALSE(by_key.count("description"));  // shown with the scenarios, not here
  CHECK_FALSE(by_key.count("simulation.seed"));
  CHECK(by_key.at("funding.level").values == std::vector<std::optional<std::string>>{"1.0", "1.2"});
  CHECK(by_key.at("measures.health.enabled").values[1] == "true");
  CHECK(by_key.at("counties.names").values[0]->find("Y") != std::string::npos);
  CHECK_FALSE(by_key.at("extra.key").values[0].has_value());
  CHECK(differing_parameters({a, a}).empty());
  // Arrays of tables are indexed.
  const auto tables = flatten_scenario("[[t]]\nk = 1\n[[t]]\nk = 2\n");
  CHECK(tables == std::vector<std::pair<std::string, std::string>>{{"t[0].k", "1"}, {"t[1].k", "2"}});
  CHECK_THROWS_AS(flatten_scenario("not = = toml"), InputError);
}

TEST_CASE("a brief of a comparison file: well-formed, self-contained, labelled, escaped, and its numbers") {
  const ComparisonFile file;
  const auto scenarios = scenarios_in(std::vector<std::filesystem::path>{file.path});
  REQUIRE(scenarios.size() == 2);
  CHECK(scenarios[1].name == odd_name);
  const BriefData data = read_brief(scenarios, 0);
  const Comparison expected = compare_scenarios(scenarios, 0);

  // Words that the table has in each language.
  std::set<std::string> en_words, zh_words;
  std::string zh_all;
  for (const auto& t : translation_table()) {
    for (const auto& w : ascii_words(t.en)) en_words.insert(w);
    for (const auto& w : ascii_words(t.zh)) zh_words.insert(w);
    zh_all += t.zh + "\n";
  }

  for (const Language lang : {Language::zh, Language::en}) {
    const std::string code = language_code(lang);
    CAPTURE(code);
    const std::string html = render_brief(data, lang);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find(lang == Language::zh ? "<html lang=\"zh-CN\">" : "<html lang=\"en\">") != std::string::npos);
    CHECK(tag_balance_error(html) == "");

    // Self-contained: nothing to fetch, no script.
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find(" src=") == std::string::npos);
    CHECK(html.find(" href=") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
    CHECK(html.find("default-src 'none'") != std::string::npos);
    CHECK(std::regex_replace(html, std::regex("url\\(#[a-z0-9-]+\\)"), "").find("url(") == std::string::npos);
    CHECK(html.find("@page { size: A4; margin: 15mm; }") != std::string::npos);
    CHECK(html.find("Noto Sans CJK SC") != std::string::npos);

    // Text from the file is escaped.
    CHECK(html.find("Baseline &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more") != std::string::npos);
    CHECK(html.find("plan&lt;b&gt;&amp;&quot;x&#39;") != std::string::npos);
    CHECK(html.find(odd_name) == std::string::npos);

    // Every section is there; county names in Chinese and pinyin.
    for (const char* id : {"scenarios", "headline", "poor", "counties", "spending", "parameters", "methods"})
      CHECK(html.find("<section id=\"" + std::string(id) + "\"") != std::string::npos);
    CHECK(html.find("<span class=\"d\">岳西县</span> <span class=\"d\">Yuexi</span>") != std::string::npos);
    CHECK(html.find("<polygon class=\"band\"") != std::string::npos);
    CHECK(html.find("<polyline class=\"mean\"") != std::string::npos);
    CHECK(html.find(tr("measure.safety_net", lang)) != std::string::npos);  // spending by measure
    CHECK(html.find("measures.health.enabled") != std::string::npos);     // a parameter that differs
    // Unique ids (the charts' patterns and titles).
    std::set<std::string> ids;
    static const std::regex id_re(" id=\"([^\"]+)\"");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), id_re); it != std::sregex_iterator(); ++it)
      CHECK(ids.insert((*it)[1].str()).second);

    // Every label comes from the table: with the data taken out, English text has no Chinese
    // and only words of the table's English; Chinese text only runs of the table's Chinese.
    const std::string labels = label_text(html);
    if (lang == Language::en) {
      CHECK(cjk_runs(labels).empty());
      for (const auto& w : ascii_words(labels)) {
        CAPTURE(w);
        CHECK(en_words.count(w));
      }
    } else {
      for (const auto& run : cjk_runs(labels)) {
        CAPTURE(run);
        CHECK(zh_all.find(run) != std::string::npos);
      }
      for (const auto& w : ascii_words(labels)) {
        CAPTURE(w);
        CHECK(zh_words.count(w));
      }
    }

    // The headline: the numbers compare_scenarios computes, exactly, and as displayed.
    const auto cells = headline_cells(html);
    const auto& info = key_result_info();
    CHECK(cells.size() == headline_keys(data).size() * 2);
    CHECK(headline_keys(data).size() >= 6);
    for (const auto& cell : cells) {
      CAPTURE(cell.key);
      std::size_t key = info.size();
      for (std::size_t k = 0; k < info.size(); ++k)
        if (info[k].name == cell.key) key = k;
      REQUIRE(key < info.size());
      const std::size_t s = cell.scenario == "base" ? 0 : 1;
      if (s == 1) CHECK(cell.scenario == "plan&lt;b&gt;&amp;&quot;x&#39;");
      const Statistics& v = expected.value[s][key];
      CHECK(cell.mean == v.mean);
      CHECK(cell.p05 == v.p05);
      CHECK(cell.p95 == v.p95);
      CHECK(cell.text == format_number(v.mean, info[key].units == "%" ? 1 : 0));
      CHECK(cell.has_diff == (s == 1));
      if (s == 1) {
        const Statistics& d = expected.difference[s][key];
        CHECK(cell.diff_mean == d.mean);
        CHECK(cell.diff_p05 == d.p05);
        CHECK(cell.diff_p95 == d.p95);
      }
    }
  }
  // The plan spends; the baseline does not.
  const auto exits = std::find_if(key_result_info().begin(), key_result_info().end(),
                                  [](const auto& k) { return k.name == "spending"; }) - key_result_info().begin();
  CHECK(expected.value[1][static_cast<std::size_t>(exits)].mean > 0);
  CHECK(expected.value[0][static_cast<std::size_t>(exits)].mean == 0);
}

TEST_CASE("a brief against another baseline, of one scenario, and written safely") {
  const ComparisonFile file;
  const auto scenarios = scenarios_in(std::vector<std::filesystem::path>{file.path});
  const BriefData other = read_brief(scenarios, 1);
  const std::string html = render_brief(other, Language::en);
  for (const auto& cell : headline_cells(html)) CHECK(cell.has_diff == (cell.scenario == "base"));

  const BriefData one = read_brief({scenarios[0]}, 0);
  const std::string single = render_brief(one, Language::zh);
  CHECK(tag_balance_error(single) == "");
  CHECK(single.find(tr("params.single", Language::zh)) != std::string::npos);
  CHECK(single.find(tr("spending.none", Language::zh)) != std::string::npos);
  CHECK(single.find("data-diff-mean") == std::string::npos);

  const auto out = scratch("brief.html");
  std::filesystem::remove(out);
  write_brief(out, false, single);
  CHECK(std::filesystem::file_size(out) == single.size());
  CHECK_THROWS_AS(write_brief(out, false, "x"), InputError);
  CHECK(std::filesystem::file_size(out) == single.size());
  CHECK_NOTHROW(write_brief(out, true, "x"));
  CHECK(std::filesystem::file_size(out) == 1);
  for (const auto& e : std::filesystem::directory_iterator(out.parent_path()))
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
}
