#include "csv_export.h"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "comparison.h"
#include "hdf5_io.h"
#include "measures/measure.h"
#include "metrics.h"
#include "output_file.h"
#include "scenario.h"
#include "summary.h"
#include "targets.h"

namespace tuopin {

using hdf5::Handle;

// ---------------------------------------------------------------------------------------------
// Formatting.

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

std::string csv_yuan(double yuan) {
  if (!std::isfinite(yuan)) return "";
  const long long fen = std::llround(yuan * 100.0);
  const unsigned long long a = fen < 0 ? static_cast<unsigned long long>(-(fen + 1)) + 1 : static_cast<unsigned long long>(fen);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%llu.%02llu", fen < 0 ? "-" : "", a / 100, a % 100);
  return buf;
}

std::string csv_real(double value) {
  if (!std::isfinite(value)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10f", value);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

namespace {

// ---------------------------------------------------------------------------------------------
// The tables: what they hold, their columns.

const std::string scenario_meaning =
    "the scenario: its name in a comparison file (tuopin run A B C), the scenario file's stem in a single "
    "result file; prefixed with the file's stem where two files give the same name";

CsvColumn text_column(std::string name, std::string meaning, std::string meaning_zh) {
  return {std::move(name), "", std::move(meaning), std::move(meaning_zh)};
}

std::vector<CsvColumn> keys(bool replicate, bool year, bool county) {
  std::vector<CsvColumn> c = {text_column("scenario", scenario_meaning, "情景")};
  if (replicate) c.push_back({"replicate", "1", "replicate index (same index, same random numbers in every scenario)", "重复模拟序号"});
  if (year) c.push_back({"year", "year", "calendar year, assessed at its end", "年份"});
  if (county) {
    c.push_back(text_column("county", "county or district (pinyin)", "县(市、区)拼音"));
    c.push_back(text_column("county_zh", "county or district (Chinese)", "县(市、区)"));
  }
  return c;
}

const std::vector<MetricInfo>& measure_metric_info() {
  static const std::vector<MetricInfo> info = [] {
    std::vector<MetricInfo> out;
    const LoadedScenario s = load_default_scenario();
    for (const auto& m : s.scenario.measures)
      for (const auto& mi : m->metrics()) out.push_back(mi);
    return out;
  }();
  return info;
}

std::vector<CsvTableInfo> make_tables() {
  std::vector<CsvTableInfo> t;
  auto add = [&](std::string file, std::string title, std::string title_zh, std::string rows,
                 std::vector<CsvColumn> columns) {
    t.push_back({std::move(file), std::move(title), std::move(title_zh), std::move(rows), std::move(columns)});
  };
  const CsvColumn yuan_col{"yuan", "yuan", "spending, rounded to the fen (2 decimals)", "支出(元)"};
  const std::string stat_en[4] = {"mean over replicates", "5% quantile over replicates",
                                  "median (50% quantile) over replicates", "95% quantile over replicates"};
  const std::string stat_zh[4] = {"均值", "5%分位数", "中位数", "95%分位数"};
  auto statistics = [&](std::vector<CsvColumn>& c, const std::string& prefix, const std::string& units,
                        const std::string& what, const std::string& what_zh) {
    for (std::size_t q = 0; q < 4; ++q)
      c.push_back({prefix + (prefix.empty() ? "" : "_") + std::string(statistic_names[q]), units,
                   what + (what.empty() ? "" : ": ") + stat_en[q], what_zh + stat_zh[q]});
  };

  {
    auto c = keys(false, false, false);
    c.push_back(text_column("file", "the result file it was read from", "结果文件"));
    c.push_back(text_column("description", "the scenario's description (its `description` key)", "情景说明"));
    c.push_back({"seed", "1", "random-number seed (simulation.seed)", "随机数种子"});
    c.push_back({"replicates", "1", "number of replicates", "重复模拟次数"});
    c.push_back({"first_year", "year", "first year of the window", "规划期首年"});
    c.push_back({"last_year", "year", "last year of the window", "规划期末年"});
    c.push_back({"all_poverty_counties_exit_probability", "1",
                 "share of replicates in which every listed poverty county met every exit criterion by the last year",
                 "全部贫困县摘帽的概率"});
    c.push_back(text_column("population_hash",
                            "hash of the simulated population: equal in two scenarios that ran on the same households",
                            "模拟人口校验值"));
    add("scenarios.csv", "The scenarios exported", "导出的情景",
        "one row per scenario, in the order of the files and of each comparison file", c);
  }
  {
    auto c = keys(true, true, true);
    for (const auto& mi : metric_info)
      c.push_back({std::string(mi.name), std::string(mi.units), std::string(mi.long_name), std::string(mi.long_name_zh)});
    c.push_back({"comprehensive_incidence", "1",
                 "(registered poor + wrongly exited + missed poor people) / rural population, at the year end",
                 "综合贫困发生率"});
    c.push_back({"wrong_exit_rate", "1", "wrongly exited people / exited people (0 without exited people)", "错退率"});
    c.push_back({"missed_rate", "1", "missed poor people / rural people outside the registry", "漏评率"});
    add("registry.csv", "The poverty registry by county and year", "分县分年度建档立卡统计",
        "one row per scenario, replicate, year and county (scenarios x replicates x years x counties rows)", c);
  }
  {
    auto c = keys(true, true, true);
    for (const auto& mi : measure_metric_info())
      c.push_back({std::string(mi.name), std::string(mi.units), std::string(mi.long_name), std::string(mi.long_name_zh)});
    add("measure_results.csv", "The measures' own counts by county and year", "分县分年度帮扶措施统计",
        "one row per scenario, replicate, year and county; zeros for measures switched off", c);
  }
  {
    auto c = keys(true, true, false);
    for (const auto& mi : metric_info)
      c.push_back({"city_" + std::string(mi.name), std::string(mi.units), std::string(mi.long_name) + ", whole city",
                   std::string(mi.long_name_zh) + "(全市)"});
    c.push_back({"incidence", "1", "registered poor people at the end of the year / rural population", "贫困发生率"});
    c.push_back({"city_spending_total", "yuan", "spending on all measures in the year, all sources, whole city",
                 "帮扶措施资金支出合计(全市)"});
    c.push_back({"cost_per_exit", "yuan/person",
                 "spending of the year per person exiting at its end (an average; empty in a year without exits)",
                 "每脱贫一人的年度支出(平均)"});
    add("city.csv", "City totals by year", "全市分年度汇总",
        "one row per scenario, replicate and year; city_<metric> is the sum of registry.csv's <metric> over counties", c);
  }
  {
    auto c = keys(true, true, true);
    c.push_back(text_column("measure", "poverty-alleviation measure", "帮扶措施(英文)"));
    c.push_back(text_column("measure_zh", "the measure's Chinese name", "帮扶措施"));
    c.push_back(text_column("source", "source of funds", "资金来源(英文)"));
    c.push_back(text_column("source_zh", "the source's Chinese name", "资金来源"));
    c.push_back(yuan_col);
    add("spending.csv", "Spending by county, measure and source of funds", "分县、分措施、分来源的资金支出",
        "one row per scenario, replicate, year, county, measure and source with spending; rows with 0 yuan are left "
        "out (a scenario without measures has none)",
        c);
  }
  {
    auto c = keys(true, true, true);
    c.push_back(text_column("measure", "poverty-alleviation measure", "帮扶措施(英文)"));
    c.push_back(text_column("measure_zh", "the measure's Chinese name", "帮扶措施"));
    c.push_back({"households", "households", "households reached by the measure in the year", "受益户数"});
    c.push_back({"people", "persons", "people in households reached by the measure in the year", "受益人口"});
    add("beneficiaries.csv", "Households and people reached by each measure", "各措施受益户数与人口",
        "one row per scenario, replicate, year, county and measure; rows where both are 0 are left out. A household "
        "reached by several measures counts under each",
        c);
  }
  {
    auto c = keys(true, true, true);
    c.push_back(text_column("pool", "budget pool (a source of funds)", "资金池(英文)"));
    c.push_back(text_column("pool_zh", "the pool's Chinese name (its source's)", "资金池"));
    c.push_back({"available_yuan", "yuan", "money in the pool for the year (fresh money and last year's carry-over)",
                 "资金池可用资金"});
    c.push_back({"spent_yuan", "yuan", "money spent from the pool in the year", "资金池已支出资金"});
    add("pools.csv", "Budget pools: money available and spent", "资金池可用与支出",
        "one row per scenario, replicate, year, county and pool; rows where both are 0 are left out", c);
  }
  {
    auto c = keys(false, false, true);
    c.push_back({"poverty_county", "1", "1 for a listed poverty county", "国家级贫困县"});
    c.push_back({"exit_probability", "1", "share of replicates in which the county met every exit criterion by the "
                                          "last year (摘帽)", "摘帽概率"});
    c.push_back({"exit_replicates", "1", "replicates in which it did", "达到摘帽标准的重复模拟次数"});
    c.push_back({"first_exit_year_median", "year",
                 "median of the first year it met every criterion, over the replicates in which it did (empty: none)",
                 "首次达到摘帽标准年份(中位数)"});
    c.push_back({"first_exit_year_earliest", "year", "earliest such year (empty: none)", "首次达到摘帽标准年份(最早)"});
    c.push_back({"first_exit_year_latest", "year", "latest such year (empty: none)", "首次达到摘帽标准年份(最晚)"});
    statistics(c, "poor_end_people", "persons", "registered poor people at the end of the last year", "末年年末贫困人口");
    statistics(c, "incidence_last_year", "1", "comprehensive incidence at the end of the last year", "末年综合贫困发生率");
    statistics(c, "reentry_people", "persons", "re-entries over the window", "规划期返贫人口");
    statistics(c, "reentry_rate", "1", "re-entries over exits, both over the window", "规划期返贫率");
    statistics(c, "spending", "yuan", "spending of every measure over the window", "规划期帮扶支出");
    for (const auto& criterion : criterion_names)
      c.push_back({"failing_share_" + std::string(criterion), "1",
                   "share of replicates failing the criterion '" + std::string(criterion) + "' in the last year",
                   "末年未达标概率:" + std::string(criterion)});
    c.push_back({"poor_villages", "villages", "registered poor villages", "贫困村数"});
    c.push_back({"poor_villages_exited_mean", "villages", "poor villages exited by the end of the last year, mean over "
                                                          "replicates", "末年累计出列贫困村数(均值)"});
    add("target.csv", "The target by county (贫困县摘帽)", "分县摘帽目标",
        "one row per scenario and county; the statistics are over replicates (5%, 50%, 95% quantiles of type 7)", c);
  }
  {
    auto c = keys(false, false, false);
    c.push_back(text_column("variable", "the variable of the result file's /summary (docs/outputs.md)", "变量"));
    c.push_back(text_column("units", "its units", "单位"));
    c.push_back({"year", "year", "calendar year", "年份"});
    c.push_back(text_column("county", "county (pinyin); empty for a city variable", "县(市、区)拼音;全市变量为空"));
    c.push_back(text_column("county_zh", "county (Chinese); empty for a city variable", "县(市、区);全市变量为空"));
    c.push_back(text_column("measure", "measure, for variables by measure; else empty", "帮扶措施(英文)"));
    c.push_back(text_column("measure_zh", "the measure's Chinese name, or empty", "帮扶措施"));
    statistics(c, "", "as units", "", "");
    add("summary.csv", "Statistics across replicates (the file's /summary)", "跨重复模拟的统计量",
        "one row per scenario, variable, year (and county or measure where the variable has one)", c);
  }
  {
    auto c = keys(true, false, false);
    c.push_back({"village", "1", "village index in the population (/population/village)", "村序号"});
    c.push_back(text_column("county", "county or district (pinyin)", "县(市、区)拼音"));
    c.push_back(text_column("county_zh", "county or district (Chinese)", "县(市、区)"));
    c.push_back({"exit_year", "year", "first year the poor village met the exit criteria (贫困村出列); empty: not in "
                                      "the window", "贫困村出列年份"});
    add("villages.csv", "Poor villages: the year each exits", "贫困村出列年份",
        "one row per scenario, replicate and registered poor village (other villages are left out)", c);
  }
  {
    auto c = keys(false, false, false);
    c.push_back(text_column("key", "scenario key, section.key (docs/parameters.md)", "参数"));
    c.push_back(text_column("value", "its value in the resolved scenario (after defaults and inheritance); lists as "
                                     "in TOML",
                            "取值"));
    c.push_back({"differs", "1", "1 when the exported scenarios do not all have the same value", "情景间是否不同"});
    add("parameters.csv", "Every scenario key of every scenario", "各情景的全部参数",
        "one row per scenario and key (the resolved scenario; `description` is in scenarios.csv); filter differs = 1 "
        "for what sets the scenarios apart",
        c);
  }
  {
    auto c = keys(false, false, false);
    c.push_back(text_column("baseline", "the scenario differences are taken against (the first, or --baseline)",
                            "对照情景"));
    c.push_back(text_column("result", "key result, as printed by tuopin compare", "关键结果(英文)"));
    c.push_back(text_column("result_zh", "its Chinese name", "关键结果"));
    c.push_back(text_column("units", "its units (incidence and all_listed_counties_exit in %, spending in 万元 = 10,000 "
                                     "yuan)",
                            "单位"));
    statistics(c, "", "as units", "the scenario's value", "情景取值");
    statistics(c, "difference", "as units",
               "scenario minus baseline, replicate by replicate (paired: the scenarios share their random numbers); "
               "only the mean when the replicates differ",
               "与对照情景之差");
    add("compare.csv", "Key results against the baseline (tuopin compare)", "关键结果与对照情景对比",
        "one row per scenario and key result; no rows when the scenarios cover different years (a warning says so)", c);
  }
  {
    auto c = keys(false, false, false);
    c.push_back(text_column("measure", "the measure switched off in the ablated run", "对比运行中关闭的帮扶措施(英文)"));
    c.push_back(text_column("measure_zh", "its Chinese name", "帮扶措施"));
    c.push_back({"replicate", "1", "replicate index", "重复模拟序号"});
    c.push_back({"year", "year", "calendar year", "年份"});
    c.push_back({"exit_people", "persons", "exits attributable to the measure (scenario minus scenario without it)",
                 "可归因于该措施的脱贫人口"});
    c.push_back({"reentry_people", "persons", "re-entries attributable to the measure", "可归因于该措施的返贫人口"});
    c.push_back({"poor_end_people", "persons",
                 "poor people at the end of the year, scenario minus scenario without the measure (negative: fewer poor)",
                 "年末贫困人口之差(负值表示减少)"});
    c.push_back({"spending", "yuan", "spending of all measures, scenario minus scenario without the measure",
                 "全部措施支出之差"});
    add("attribution.csv", "What each measure adds (tuopin run --ablate)", "各措施的贡献",
        "one row per scenario run with --ablate, measure switched on, replicate and year; no rows for other scenarios",
        c);
  }
  {
    auto c = keys(true, false, false);
    c.push_back(text_column("parameter", "uncertain scenario key (section.key)", "不确定参数"));
    c.push_back(text_column("unit", "the parameter's unit", "参数单位"));
    c.push_back({"value", "as unit", "value drawn for the replicate (or held)", "该重复模拟中的参数取值"});
    c.push_back({"low", "as unit", "lower end of the plausible range", "参数取值范围下限"});
    c.push_back({"high", "as unit", "upper end of the plausible range", "参数取值范围上限"});
    c.push_back({"held", "1", "1: kept at the scenario's value; 0: drawn", "是否固定为情景取值"});
    add("uncertainty.csv", "Uncertain parameters drawn per replicate (tuopin run --uncertain)", "各重复模拟的不确定参数取值",
        "one row per scenario run with --uncertain, replicate and parameter; no rows for other scenarios", c);
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Writing rows.

class CsvRows {
 public:
  explicit CsvRows(const CsvTableInfo& info) : info_(info) {
    for (std::size_t k = 0; k < info.columns.size(); ++k) {
      if (k) text_ += ',';
      text_ += csv_field(info.columns[k].name);
    }
    text_ += "\r\n";
  }
  CsvRows& text(std::string_view s) { return put(csv_field(s)); }
  CsvRows& integer(std::int64_t v) { return put(std::to_string(v)); }
  CsvRows& yuan(double v) { return put(csv_yuan(v)); }
  CsvRows& real(double v) { return put(csv_real(v)); }
  CsvRows& empty() { return put(""); }
  void end() {
    if (fields_ != info_.columns.size())
      throw std::logic_error(info_.file + ": a row of " + std::to_string(fields_) + " fields, the header has " +
                             std::to_string(info_.columns.size()));
    text_ += "\r\n";
    fields_ = 0;
    ++rows_;
  }
  const std::string& contents() const { return text_; }
  std::size_t rows() const { return rows_; }
  const CsvTableInfo& info() const { return info_; }

 private:
  CsvRows& put(const std::string& field) {
    if (fields_) text_ += ',';
    text_ += field;
    ++fields_;
    return *this;
  }
  const CsvTableInfo& info_;
  std::string text_;
  std::size_t fields_ = 0, rows_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Reading one scenario.

template <typename T>
struct Array {
  std::vector<std::size_t> shape;
  std::vector<T> values;
};

class Reader {
 public:
  explicit Reader(const ScenarioInFile& s) : s_(s) {
    try {
      file_ = hdf5::open_file(s.file.string());
    } catch (const std::exception& e) {
      throw InputError(s.file.string() + ": cannot be opened as HDF5 (" + e.what() + ")");
    }
  }
  const ScenarioInFile& scenario() const { return s_; }
  bool has(const std::string& name) const { return hdf5::exists(file_, s_.path(name)); }
  bool has_root(const std::string& path) const { return hdf5::exists(file_, path); }

  Array<std::int64_t> ints(const std::string& name, const std::vector<std::size_t>& shape = {}) const {
    return read<std::int64_t>(s_.path(name), H5T_NATIVE_INT64, shape);
  }
  Array<double> doubles(const std::string& name, const std::vector<std::size_t>& shape = {}) const {
    return read<double>(s_.path(name), H5T_NATIVE_DOUBLE, shape);
  }
  Array<std::int64_t> root_ints(const std::string& path) const { return read<std::int64_t>(path, H5T_NATIVE_INT64, {}); }
  std::vector<std::string> strings(const std::string& name) const {
    try {
      return hdf5::read_strings(file_, s_.path(name));
    } catch (const std::exception&) {
      throw missing(s_.path(name));
    }
  }
  double double_attribute(const std::string& object, const std::string& name) const {
    try {
      Handle o(H5Oopen(file_, s_.path(object).c_str(), H5P_DEFAULT), H5Oclose, "open " + s_.path(object));
      Handle a(H5Aopen(o, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
      double v = 0;
      hdf5::check(H5Aread(a, H5T_NATIVE_DOUBLE, &v), "read attribute " + name);
      return v;
    } catch (const std::exception&) {
      throw missing(s_.path(object) + " attribute " + name);
    }
  }
  std::string string_attribute(const std::string& object, const std::string& name) const {
    try {
      Handle o(H5Oopen(file_, s_.path(object).c_str(), H5P_DEFAULT), H5Oclose, "open " + s_.path(object));
      return hdf5::string_attribute(o, name);
    } catch (const std::exception&) {
      throw missing(s_.path(object) + " attribute " + name);
    }
  }
  std::string scalar_string(const std::string& name) const {
    try {
      return hdf5::read_string_scalar(file_, s_.path(name));
    } catch (const std::exception&) {
      throw missing(s_.path(name));
    }
  }
  // The datasets of a group, by name (no subgroups).
  std::vector<std::string> datasets_in(const std::string& group) const {
    std::vector<std::string> out;
    try {
      Handle g(H5Gopen2(file_, s_.path(group).c_str(), H5P_DEFAULT), H5Gclose, "open " + s_.path(group));
      H5G_info_t info;
      hdf5::check(H5Gget_info(g, &info), "group info");
      for (hsize_t k = 0; k < info.nlinks; ++k) {
        const ssize_t n = H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, k, nullptr, 0, H5P_DEFAULT);
        if (n < 0) throw std::runtime_error("link name");
        std::string name(static_cast<std::size_t>(n) + 1, '\0');
        H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, k, name.data(), name.size(), H5P_DEFAULT);
        name.resize(static_cast<std::size_t>(n));
        H5O_info_t oi;
        hdf5::check(H5Oget_info_by_name(g, name.c_str(), &oi, H5P_DEFAULT), "object info");
        if (oi.type == H5O_TYPE_DATASET) out.push_back(name);
      }
    } catch (const std::exception&) {
      throw missing(s_.path(group));
    }
    return out;
  }
  // The names of the dimension scales attached to a dataset, in axis order.
  std::vector<std::string> dimensions(const std::string& name) const {
    std::vector<std::string> out;
    try {
      Handle ds(H5Dopen2(file_, s_.path(name).c_str(), H5P_DEFAULT), H5Dclose, "open " + s_.path(name));
      const auto shape = hdf5::shape_of(ds);
      for (std::size_t k = 0; k < shape.size(); ++k) {
        std::string dim;
        H5DSiterate_scales(
            ds, static_cast<unsigned>(k), nullptr,
            [](hid_t, unsigned, hid_t scale, void* data) -> herr_t {
              char buf[256] = {0};
              H5DSget_scale_name(scale, buf, sizeof buf);
              *static_cast<std::string*>(data) = buf;
              return 1;
            },
            &dim);
        out.push_back(dim);
      }
    } catch (const std::exception&) {
      throw missing(s_.path(name));
    }
    return out;
  }

 private:
  InputError missing(const std::string& what) const {
    return InputError(s_.file.string() + ": scenario '" + s_.name + "' lacks " + what +
                      " or it cannot be read (a file of an older tuopin, or truncated?)");
  }
  template <typename T>
  Array<T> read(const std::string& path, hid_t type, const std::vector<std::size_t>& shape) const {
    Array<T> out;
    try {
      Handle ds(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose, "open " + path);
      for (hsize_t d : hdf5::shape_of(ds)) out.shape.push_back(static_cast<std::size_t>(d));
      hdf5::read(file_, path, type, out.values);
    } catch (const std::exception&) {
      throw missing(path);
    }
    if (!shape.empty() && out.shape != shape) {
      std::string want, got;
      for (auto d : shape) want += (want.empty() ? "" : " x ") + std::to_string(d);
      for (auto d : out.shape) got += (got.empty() ? "" : " x ") + std::to_string(d);
      throw InputError(s_.file.string() + ": scenario '" + s_.name + "': " + path + " is " + got + ", expected " +
                       want + "; the file is inconsistent");
    }
    return out;
  }
  const ScenarioInFile& s_;
  Handle file_;
};

// The dimensions of a scenario's series.
struct Dims {
  std::vector<std::int64_t> replicates, years;
  std::vector<std::string> counties, counties_zh, measures, measures_zh, sources, sources_zh, pools, pools_zh;
  std::size_t R = 0, Y = 0, C = 0, M = 0, S = 0, P = 0;
};

Dims read_dims(const Reader& in) {
  Dims d;
  d.replicates = in.ints("replicate").values;
  d.years = in.ints("year").values;
  d.counties = in.strings("county");
  d.counties_zh = in.strings("county_name_zh");
  d.measures = in.strings("measure");
  d.measures_zh = in.strings("measure_name_zh");
  d.sources = in.strings("source");
  d.sources_zh = in.strings("source_name_zh");
  d.pools = in.strings("pool");
  for (const auto& p : d.pools) {
    const auto it = std::find(d.sources.begin(), d.sources.end(), p);
    d.pools_zh.push_back(it == d.sources.end() ? "" : d.sources_zh[static_cast<std::size_t>(it - d.sources.begin())]);
  }
  d.R = d.replicates.size();
  d.Y = d.years.size();
  d.C = d.counties.size();
  d.M = d.measures.size();
  d.S = d.sources.size();
  d.P = d.pools.size();
  if (d.counties_zh.size() != d.C || d.measures_zh.size() != d.M || d.sources_zh.size() != d.S || d.R == 0 || d.Y == 0)
    throw InputError(in.scenario().file.string() + ": scenario '" + in.scenario().name +
                     "': its dimensions are inconsistent (empty or of different lengths)");
  return d;
}

std::string zh_of(const std::vector<std::string>& names, const std::vector<std::string>& zh, const std::string& name) {
  for (std::size_t k = 0; k < names.size() && k < zh.size(); ++k)
    if (names[k] == name) return zh[k];
  return "";
}

std::map<std::string, std::string> scenario_keys(const Reader& in) {
  std::map<std::string, std::string> out;
  const std::string text = in.scalar_string("meta/scenario_resolved");
  try {
    for (auto& [key, value] : flatten_scenario(text)) out[key] = value;
  } catch (const InputError& e) {
    throw InputError(in.scenario().file.string() + ": scenario '" + in.scenario().name +
                     "': /meta/scenario_resolved does not parse (" + e.what() + ")");
  }
  out.erase("description");
  return out;
}

struct CsvRowSets {
  std::vector<CsvRows> t;
  CsvRows& operator[](const std::string& file) {
    for (auto& x : t)
      if (x.info().file == file) return x;
    throw std::logic_error("no table " + file);
  }
};

void export_scenario(const Reader& in, CsvRowSets& tables, std::vector<std::map<std::string, std::string>>& keys_of) {
  const ScenarioInFile& s = in.scenario();
  const Dims d = read_dims(in);
  const std::size_t R = d.R, Y = d.Y, C = d.C, M = d.M, S = d.S, P = d.P;
  const std::vector<std::size_t> ryc = {R, Y, C}, ry = {R, Y};

  // scenarios.csv
  {
    CsvRows& t = tables["scenarios.csv"];
    t.text(s.name).text(s.file.string()).text(s.description).integer(s.seed).integer(static_cast<std::int64_t>(R));
    t.integer(d.years.front()).integer(d.years.back());
    t.real(in.double_attribute("target", "all_poverty_counties_probability")).text(s.population_hash);
    t.end();
  }

  // registry.csv
  {
    std::vector<Array<std::int64_t>> m;
    for (const auto& mi : metric_info) m.push_back(in.ints(std::string(mi.name), ryc));
    const auto inc = in.doubles("target/comprehensive_incidence", ryc);
    const auto wrong = in.doubles("target/wrong_exit_rate", ryc);
    const auto missed = in.doubles("target/missed_rate", ryc);
    CsvRows& t = tables["registry.csv"];
    for (std::size_t k = 0; k < R; ++k)
      for (std::size_t y = 0; y < Y; ++y)
        for (std::size_t c = 0; c < C; ++c) {
          const std::size_t i = (k * Y + y) * C + c;
          t.text(s.name).integer(d.replicates[k]).integer(d.years[y]).text(d.counties[c]).text(d.counties_zh[c]);
          for (const auto& a : m) t.integer(a.values[i]);
          t.real(inc.values[i]).real(wrong.values[i]).real(missed.values[i]);
          t.end();
        }
  }

  // measure_results.csv
  {
    std::vector<Array<std::int64_t>> m;
    for (const auto& mi : measure_metric_info()) m.push_back(in.ints(std::string(mi.name), ryc));
    CsvRows& t = tables["measure_results.csv"];
    for (std::size_t k = 0; k < R; ++k)
      for (std::size_t y = 0; y < Y; ++y)
        for (std::size_t c = 0; c < C; ++c) {
          const std::size_t i = (k * Y + y) * C + c;
          t.text(s.name).integer(d.replicates[k]).integer(d.years[y]).text(d.counties[c]).text(d.counties_zh[c]);
          for (const auto& a : m) t.integer(a.values[i]);
          t.end();
        }
  }

  // city.csv
  {
    std::vector<Array<std::int64_t>> m;
    for (const auto& mi : metric_info) m.push_back(in.ints("city_" + std::string(mi.name), ry));
    const auto inc = in.doubles("incidence", ry);
    const auto spend = in.doubles("city_spending_total", ry);
    const auto cost = in.doubles("cost_per_exit", ry);
    CsvRows& t = tables["city.csv"];
    for (std::size_t k = 0; k < R; ++k)
      for (std::size_t y = 0; y < Y; ++y) {
        const std::size_t i = k * Y + y;
        t.text(s.name).integer(d.replicates[k]).integer(d.years[y]);
        for (const auto& a : m) t.integer(a.values[i]);
        t.real(inc.values[i]).yuan(spend.values[i]).yuan(cost.values[i]);
        t.end();
      }
  }

  // spending.csv, beneficiaries.csv, pools.csv
  {
    const auto spend = in.doubles("spending", {R, Y, C, M, S});
    CsvRows& t = tables["spending.csv"];
    for (std::size_t k = 0; k < R; ++k)
      for (std::size_t y = 0; y < Y; ++y)
        for (std::size_t c = 0; c < C; ++c)
          for (std::size_t m = 0; m < M; ++m)
            for (std::size_t q = 0; q < S; ++q) {
              const double v = spend.values[(((k * Y + y) * C + c) * M + m) * S + q];
              if (std::llround(v * 100.0) == 0) continue;
              t.text(s.name).integer(d.replicates[k]).integer(d.years[y]).text(d.counties[c]).text(d.counties_zh[c]);
              t.text(d.measures[m]).text(d.measures_zh[m]).text(d.sources[q]).text(d.sources_zh[q]).yuan(v);
              t.end();
            }
  }
  {
    const auto hh = in.ints("beneficiary_households", {R, Y, C, M});
    const auto people = in.ints("beneficiary_people", {R, Y, C, M});
    CsvRows& t = tables["beneficiaries.csv"];
    for (std::size_t i = 0; i < hh.values.size(); ++i) {
      if (hh.values[i] == 0 && people.values[i] == 0) continue;
      const std::size_t m = i % M, c = (i / M) % C, y = (i / (M * C)) % Y, k = i / (M * C * Y);
      t.text(s.name).integer(d.replicates[k]).integer(d.years[y]).text(d.counties[c]).text(d.counties_zh[c]);
      t.text(d.measures[m]).text(d.measures_zh[m]).integer(hh.values[i]).integer(people.values[i]);
      t.end();
    }
  }
  {
    const auto available = in.doubles("pool_available", {R, Y, C, P});
    const auto spent = in.doubles("pool_spent", {R, Y, C, P});
    CsvRows& t = tables["pools.csv"];
    for (std::size_t i = 0; i < available.values.size(); ++i) {
      if (std::llround(available.values[i] * 100.0) == 0 && std::llround(spent.values[i] * 100.0) == 0) continue;
      const std::size_t p = i % P, c = (i / P) % C, y = (i / (P * C)) % Y, k = i / (P * C * Y);
      t.text(s.name).integer(d.replicates[k]).integer(d.years[y]).text(d.counties[c]).text(d.counties_zh[c]);
      t.text(d.pools[p]).text(d.pools_zh[p]).yuan(available.values[i]).yuan(spent.values[i]);
      t.end();
    }
  }

  // target.csv
  {
    const auto listed = in.ints("target/poverty_county", {C});
    const auto probability = in.doubles("target/exit_probability", {C});
    const auto first = in.ints("target/first_exit_year", {R, C});
    const std::size_t Q = criterion_names.size();
    const auto failing = in.doubles("target/failing_share", {C, Q});
    const char* stat_vars[] = {"poor_end_people", "incidence_last_year", "reentry_people", "reentry_rate", "spending"};
    std::vector<Array<double>> stats;
    for (const char* v : stat_vars) stats.push_back(in.doubles(std::string("target/") + v, {4, C}));
    const auto villages = in.ints("poor_villages", ryc);
    const auto exited = in.ints("poor_villages_exited", ryc);
    CsvRows& t = tables["target.csv"];
    for (std::size_t c = 0; c < C; ++c) {
      std::vector<double> years;
      for (std::size_t k = 0; k < R; ++k)
        if (first.values[k * C + c] > 0) years.push_back(static_cast<double>(first.values[k * C + c]));
      t.text(s.name).text(d.counties[c]).text(d.counties_zh[c]).integer(listed.values[c]).real(probability.values[c]);
      t.integer(static_cast<std::int64_t>(years.size()));
      if (years.empty()) {
        t.empty().empty().empty();
      } else {
        t.real(quantile(years, 0.5));
        t.integer(static_cast<std::int64_t>(*std::min_element(years.begin(), years.end())));
        t.integer(static_cast<std::int64_t>(*std::max_element(years.begin(), years.end())));
      }
      for (std::size_t v = 0; v < stats.size(); ++v)
        for (std::size_t q = 0; q < 4; ++q) {
          const double x = stats[v].values[q * C + c];
          if (std::string(stat_vars[v]) == "spending")
            t.yuan(x);
          else
            t.real(x);
        }
      for (std::size_t q = 0; q < Q; ++q) t.real(failing.values[c * Q + q]);
      double exited_sum = 0;
      for (std::size_t k = 0; k < R; ++k) exited_sum += static_cast<double>(exited.values[(k * Y + Y - 1) * C + c]);
      t.integer(villages.values[(Y - 1) * C + c]).real(exited_sum / static_cast<double>(R));
      t.end();
    }
  }

  // summary.csv: every variable of /summary.
  {
    const auto sum_counties = in.strings("summary/county");
    const auto sum_measures = in.strings("summary/measure");
    const auto sum_years = in.ints("summary/year").values;
    const std::set<std::string> scales = {"statistic", "year", "county", "measure"};
    CsvRows& t = tables["summary.csv"];
    for (const auto& name : in.datasets_in("summary")) {
      if (scales.count(name)) continue;
      const std::string path = "summary/" + name;
      const auto dims = in.dimensions(path);
      const auto v = in.doubles(path);
      if (dims.empty() || dims[0] != "statistic" || v.shape[0] != 4) continue;
      std::string units;
      try {
        units = in.string_attribute(path, "units");
      } catch (const InputError&) {
      }
      const bool money = units == "yuan" || units == "yuan/person";
      // The cells after the statistic, in row-major order; the labels of each axis.
      std::size_t cells = 1;
      for (std::size_t a = 1; a < v.shape.size(); ++a) cells *= v.shape[a];
      for (std::size_t i = 0; i < cells; ++i) {
        std::int64_t year = 0;
        std::string county, measure;
        std::size_t rest = i;
        for (std::size_t a = v.shape.size(); a-- > 1;) {
          const std::size_t at = rest % v.shape[a];
          rest /= v.shape[a];
          if (dims[a] == "year" && at < sum_years.size()) year = sum_years[at];
          if (dims[a] == "county" && at < sum_counties.size()) county = sum_counties[at];
          if (dims[a] == "measure" && at < sum_measures.size()) measure = sum_measures[at];
        }
        t.text(s.name).text(name).text(units);
        if (year)
          t.integer(year);
        else
          t.empty();
        t.text(county).text(zh_of(d.counties, d.counties_zh, county));
        t.text(measure).text(zh_of(d.measures, d.measures_zh, measure));
        for (std::size_t q = 0; q < 4; ++q) {
          const double x = v.values[q * cells + i];
          if (money)
            t.yuan(x);
          else
            t.real(x);
        }
        t.end();
      }
    }
  }

  // villages.csv: the poor villages (the population is stored once, at the root).
  {
    const auto poor = in.root_ints("/population/village_poor");
    const auto county = in.root_ints("/population/village_county");
    const std::size_t V = poor.values.size();
    const auto exit_year = in.ints("villages/exit_year", {R, V});
    if (county.values.size() != V)
      throw InputError(s.file.string() + ": /population/village_county and village_poor differ in length");
    CsvRows& t = tables["villages.csv"];
    for (std::size_t k = 0; k < R; ++k)
      for (std::size_t v = 0; v < V; ++v) {
        if (!poor.values[v]) continue;
        const auto c = static_cast<std::size_t>(county.values[v]);
        t.text(s.name).integer(d.replicates[k]).integer(static_cast<std::int64_t>(v));
        t.text(c < C ? d.counties[c] : "").text(c < C ? d.counties_zh[c] : "");
        const std::int64_t e = exit_year.values[k * V + v];
        if (e > 0)
          t.integer(e);
        else
          t.empty();
        t.end();
      }
  }

  // attribution.csv (only with --ablate)
  if (in.has("attribution")) {
    const auto measures = in.strings("attribution/measure");
    const auto reps = in.ints("attribution/replicate").values;
    const auto years = in.ints("attribution/year").values;
    const std::vector<std::size_t> shape = {measures.size(), reps.size(), years.size()};
    const auto exits = in.ints("attribution/exit_people", shape);
    const auto reentries = in.ints("attribution/reentry_people", shape);
    const auto poor = in.ints("attribution/poor_end_people", shape);
    const auto spending = in.doubles("attribution/spending", shape);
    CsvRows& t = tables["attribution.csv"];
    for (std::size_t i = 0; i < exits.values.size(); ++i) {
      const std::size_t y = i % years.size(), k = (i / years.size()) % reps.size(),
                        m = i / (years.size() * reps.size());
      t.text(s.name).text(measures[m]).text(zh_of(d.measures, d.measures_zh, measures[m]));
      t.integer(reps[k]).integer(years[y]).integer(exits.values[i]).integer(reentries.values[i]);
      t.integer(poor.values[i]).yuan(spending.values[i]);
      t.end();
    }
  }

  // uncertainty.csv (only with --uncertain)
  if (in.has("uncertainty")) {
    const auto parameters = in.strings("uncertainty/parameter");
    const auto units = in.strings("uncertainty/unit");
    const auto reps = in.ints("uncertainty/replicate").values;
    const std::size_t N = parameters.size();
    const auto value = in.doubles("uncertainty/value", {reps.size(), N});
    const auto low = in.doubles("uncertainty/low", {N});
    const auto high = in.doubles("uncertainty/high", {N});
    const auto held = in.ints("uncertainty/held", {N});
    CsvRows& t = tables["uncertainty.csv"];
    for (std::size_t k = 0; k < reps.size(); ++k)
      for (std::size_t p = 0; p < N; ++p) {
        t.text(s.name).integer(reps[k]).text(parameters[p]).text(p < units.size() ? units[p] : "");
        t.real(value.values[k * N + p]).real(low.values[p]).real(high.values[p]).integer(held.values[p]);
        t.end();
      }
  }

  keys_of.push_back(scenario_keys(in));
}

}  // namespace

const std::vector<CsvTableInfo>& csv_tables() {
  static const std::vector<CsvTableInfo> tables = make_tables();
  return tables;
}

std::string csv_readme() {
  std::ostringstream o;
  const char* nl = "\r\n";
  o << "tuopin export: result tables for spreadsheets / 脱贫攻坚规划模拟结果数据表" << nl
    << "=====================================================================" << nl << nl
    << "Written by 'tuopin export FILE.h5 ... --csv DIR' from result files of 'tuopin run' (their layout:" << nl
    << "docs/outputs.md). Each table is tidy: one row per scenario, replicate, year, county, measure... as" << nl
    << "its description says, so that a pivot table (数据透视表) or a filter selects what to compare." << nl << nl
    << "Format / 格式" << nl << "------------" << nl
    << "- UTF-8 with a byte-order mark (BOM), so that Excel and WPS show Chinese text correctly when the file" << nl
    << "  is opened directly (UTF-8编码,带BOM,Excel与WPS可直接打开). Comma-separated, CRLF line ends, text" << nl
    << "  quoted as RFC 4180 requires (a field with a comma, a double quote or a line break is put in double" << nl
    << "  quotes and its quotes doubled)." << nl
    << "- Numbers use a dot as decimal separator and no thousands separator. Counts are integers; money" << nl
    << "  (units yuan, 元) has exactly 2 decimals (rounded to the fen, 分); shares (units 1) are fractions," << nl
    << "  0.0739 for 7.39%, with up to 10 decimals; means and quantiles up to 10 decimals." << nl
    << "- An empty cell means 'not defined' (e.g. cost per exit in a year without exits, the first exit" << nl
    << "  year of a county that never exits, the year of a village that did not exit)." << nl
    << "- Replicates are independent draws of chance on the same population and policy; the same replicate" << nl
    << "  index has the same random numbers in every scenario of a comparison file, so differences taken" << nl
    << "  replicate by replicate are the policy's, not chance's. Quantiles are of type 7 (numpy, R)." << nl
    << "- In Python: pandas.read_csv(\"registry.csv\", encoding=\"utf-8-sig\"). In R:" << nl
    << "  read.csv(\"registry.csv\", fileEncoding = \"UTF-8-BOM\")." << nl << nl
    << "Files / 文件" << nl << "-----------" << nl;
  for (const auto& t : csv_tables()) o << "  " << t.file << std::string(t.file.size() < 22 ? 22 - t.file.size() : 1, ' ') << t.title << " / " << t.title_zh << nl;
  o << "  README.txt            this file / 本说明" << nl;
  for (const auto& t : csv_tables()) {
    o << nl << t.file << ": " << t.title << " / " << t.title_zh << nl << std::string(t.file.size() + 1, '-') << nl
      << "Rows: " << t.rows << "." << nl << "Columns (name [units]: meaning / 含义):" << nl;
    for (const auto& c : t.columns) {
      o << "  " << c.name;
      if (!c.units.empty()) o << " [" << c.units << "]";
      o << ": " << c.meaning;
      if (!c.meaning_zh.empty()) o << " / " << c.meaning_zh;
      o << nl;
    }
  }
  return o.str();
}

CsvExportResult export_csv(const std::vector<ScenarioInFile>& scenarios, const std::filesystem::path& dir,
                           const CsvExportOptions& options) {
  if (scenarios.empty()) throw InputError("no scenario to export");
  hdf5::silence_errors();
  CsvExportResult result;
  const auto& infos = csv_tables();

  // Nothing is written unless every file can be: the folder and the names first.
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec))
    throw InputError(dir.string() + ": exists and is not a folder; --csv names the folder to write the tables into");
  std::vector<std::string> names;
  for (const auto& t : infos) names.push_back(t.file);
  names.push_back("README.txt");
  if (!options.force) {
    std::string existing;
    std::size_t n = 0;
    for (const auto& name : names)
      if (std::filesystem::exists(dir / name, ec)) existing += (n++ ? ", " : "") + name;
    if (n)
      throw InputError(dir.string() + ": already holds " + existing + "; use --force to replace " +
                       (n == 1 ? "it" : "them") + ", or --csv to name another folder");
  }

  // Read everything, then write.
  CsvRowSets tables;
  for (const auto& info : infos) tables.t.emplace_back(info);
  std::vector<std::map<std::string, std::string>> keys_of;
  for (const auto& s : scenarios) {
    const Reader in(s);
    export_scenario(in, tables, keys_of);
  }
  {
    std::set<std::string> all;
    for (const auto& k : keys_of)
      for (const auto& [key, value] : k) all.insert(key);
    CsvRows& t = tables["parameters.csv"];
    for (std::size_t s = 0; s < scenarios.size(); ++s)
      for (const auto& key : all) {
        const auto it = keys_of[s].find(key);
        const std::string value = it == keys_of[s].end() ? "" : it->second;
        bool differs = false;
        for (const auto& other : keys_of) {
          const auto jt = other.find(key);
          if ((jt == other.end() ? "" : jt->second) != value || jt == other.end()) differs = true;
        }
        t.text(scenarios[s].name).text(key).text(value).integer(differs ? 1 : 0);
        t.end();
      }
  }
  if (options.baseline >= scenarios.size()) throw InputError("the baseline scenario is out of range");
  try {
    const Comparison c = compare_scenarios(scenarios, options.baseline);
    for (const auto& w : c.warnings) result.warnings.push_back("compare.csv: " + w);
    const auto& info = key_result_info();
    CsvRows& t = tables["compare.csv"];
    for (std::size_t s = 0; s < c.scenarios.size(); ++s)
      for (std::size_t key = 0; key < info.size(); ++key) {
        t.text(c.scenarios[s].scenario.name).text(c.scenarios[c.baseline].scenario.name);
        t.text(info[key].name).text(info[key].label_zh).text(info[key].units);
        for (std::size_t q = 0; q < 4; ++q) t.real(c.value[s][key][q]);
        const Statistics& d = c.difference[s][key];
        if (c.paired) {
          for (std::size_t q = 0; q < 4; ++q) t.real(d[q]);
        } else {
          t.real(d.mean).empty().empty().empty();
        }
        t.end();
      }
  } catch (const InputError& e) {
    result.warnings.push_back(std::string("compare.csv has no rows: ") + e.what());
  }

  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(dir.string() + ": cannot create the folder (" + ec.message() + ")");
  auto write = [&](const std::string& name, const std::string& text, std::size_t rows) {
    write_new_file(dir / name, options.force, [&](const std::filesystem::path& tmp) {
      std::ofstream out(tmp, std::ios::binary);
      out << utf8_bom << text;
      out.close();
      if (!out) throw std::runtime_error("cannot write " + tmp.string());
    });
    result.files.push_back({name, rows});
  };
  constexpr std::size_t excel_rows = 1048575;  // 1,048,576 rows with the header
  for (const auto& t : tables.t) {
    write(t.info().file, t.contents(), t.rows());
    if (t.rows() > excel_rows)
      result.warnings.push_back(t.info().file + " has " + std::to_string(t.rows()) +
                                " rows, more than Excel and WPS show (1,048,575 below the header); read it with "
                                "pandas or R, or export fewer replicates");
  }
  write("README.txt", csv_readme(), 0);
  return result;
}

}  // namespace tuopin
