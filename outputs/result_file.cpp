#include "result_file.h"

#include <hdf5_hl.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "funding.h"
#include "hdf5_io.h"
#include "measures/registry.h"
#include "metrics.h"
#include "month_kernels.h"
#include "population_file.h"
#include "summary.h"
#include "targets.h"
#include "uncertainty_group.h"

namespace tuopin {

using hdf5::Handle;

namespace {

std::vector<int> calendar_years(const SimulationResult& r) {
  std::vector<int> years;
  for (int y = 0; y < r.years; ++y) years.push_back(r.first_year + y);
  return years;
}

// Money is integer fen in the model and float64 yuan in the file: the nearest double to the
// exact amount (fen up to 2^53 are exact, so 100 x the value rounds back to the fen).
double yuan(std::int64_t fen) { return static_cast<double>(fen) / 100.0; }

// Statistics across replicates of value_of(k).
template <typename F>
Statistics over_replicates(int replicates, F value_of) {
  std::vector<double> v(replicates);
  for (int k = 0; k < replicates; ++k) v[k] = value_of(k);
  return summarise(v);
}

// The measure and fund-source labels, in the result's order (the registry's, FundSource's).
std::vector<std::string> measure_labels_zh(const SimulationResult& r) {
  const auto registry = measure_registry();
  if (static_cast<int>(registry.size()) != r.measures || static_cast<int>(r.measure_names.size()) != r.measures)
    throw std::logic_error("the result's measures are not the registry's");
  std::vector<std::string> zh;
  for (int m = 0; m < r.measures; ++m) {
    if (r.measure_names[m] != registry[m].name)
      throw std::logic_error("measure " + r.measure_names[m] + " is not the registry's " + std::string(registry[m].name));
    zh.emplace_back(registry[m].name_zh);
  }
  return zh;
}

std::vector<std::string> source_labels(int count) {
  return {fund_source_names.begin(), fund_source_names.begin() + count};
}

Handle measure_scale(hid_t where, const SimulationResult& r) {
  return hdf5::string_scale(where, "measure", r.measure_names, "poverty-alleviation measure", "帮扶措施");
}

// Spending per exiting person of a replicate-year: NaN when nobody exited.
double cost_per_exit(const SimulationResult& r, int k, int y) {
  const std::int64_t exits = r.city_total(k, y, Metric::exit_people);
  return exits > 0 ? yuan(r.city_spend(k, y)) / static_cast<double>(exits) : std::numeric_limits<double>::quiet_NaN();
}
constexpr std::string_view cost_per_exit_long_name =
    "spending of the year per person exiting at its end (average, not marginal: exits without measures are counted too)";
constexpr std::string_view cost_per_exit_long_name_zh = "每脱贫一人的年度支出(平均)";

// The measures' tables: spending by source, beneficiaries, pools, the measures' own metrics and
// city totals of spending, along the root's replicate, year and county scales.
void write_measure_series(hid_t file, const SimulationResult& r, hid_t rep, hid_t year, hid_t county) {
  const int R = r.replicates, Y = r.years, C = r.counties, M = r.measures, K = r.extra_metrics;
  constexpr int S = fund_source_count, P = pool_source_count;
  Handle measure = measure_scale(file, r);
  hdf5::string_variable(file, "measure_name_zh", measure_labels_zh(r), measure, "measure name in Chinese",
                        "帮扶措施名称");
  Handle source = hdf5::string_scale(file, "source", source_labels(S), "source of funds", "资金来源");
  hdf5::string_variable(file, "source_name_zh", {fund_source_names_zh.begin(), fund_source_names_zh.end()}, source,
                        "source of funds in Chinese", "资金来源名称");
  Handle pool = hdf5::string_scale(file, "pool", source_labels(P), "budget pool (source of funds)", "资金池");
  const std::size_t cells = static_cast<std::size_t>(R) * Y * C;
  if (r.spend_fen.size() != cells * M * S || r.beneficiary_households.size() != cells * M ||
      r.beneficiary_people.size() != cells * M || r.pool_available_fen.size() != cells * P ||
      r.pool_spent_fen.size() != cells * P || r.measure_metrics.size() != cells * K ||
      r.extra_metric_info.size() != static_cast<std::size_t>(K))
    throw std::logic_error("the result's measure tables do not match its dimensions");

  // The model's tables are laid out as the file's: [cell][measure][source], [cell][measure],
  // [cell][pool], [cell][metric].
  std::vector<double> spending(cells * M * S);
  for (std::size_t i = 0; i < spending.size(); ++i) spending[i] = yuan(r.spend_fen[i]);
  hdf5::variable(file, "spending", spending.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE,
                 {rep, year, county, measure, source}, "yuan", "spending on the measure from the source in the year",
                 "帮扶措施资金支出(按来源)");
  hdf5::variable(file, "beneficiary_households", r.beneficiary_households.data(), H5T_NATIVE_INT64, H5T_STD_I64LE,
                 {rep, year, county, measure}, "households", "households reached by the measure in the year",
                 "受益户数");
  hdf5::variable(file, "beneficiary_people", r.beneficiary_people.data(), H5T_NATIVE_INT64, H5T_STD_I64LE,
                 {rep, year, county, measure}, "persons", "people in households reached by the measure in the year",
                 "受益人口");
  std::vector<double> pools(cells * P);
  for (std::size_t i = 0; i < pools.size(); ++i) pools[i] = yuan(r.pool_available_fen[i]);
  hdf5::variable(file, "pool_available", pools.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {rep, year, county, pool},
                 "yuan", "money in the pool for the year (fresh money and last year's carry-over)", "资金池可用资金");
  for (std::size_t i = 0; i < pools.size(); ++i) pools[i] = yuan(r.pool_spent_fen[i]);
  hdf5::variable(file, "pool_spent", pools.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {rep, year, county, pool},
                 "yuan", "money spent from the pool in the year", "资金池已支出资金");

  for (int m = 0; m < K; ++m) {
    const MetricInfo& info = r.extra_metric_info[m];
    std::vector<std::int64_t> v(cells), city(static_cast<std::size_t>(R) * Y, 0);
    for (std::size_t i = 0; i < cells; ++i) {
      v[i] = r.measure_metrics[i * K + m];
      city[i / C] += v[i];
    }
    hdf5::variable(file, std::string(info.name), v.data(), H5T_NATIVE_INT64, H5T_STD_I64LE, {rep, year, county},
                   info.units, info.long_name, info.long_name_zh);
    hdf5::variable(file, "city_" + std::string(info.name), city.data(), H5T_NATIVE_INT64, H5T_STD_I64LE, {rep, year},
                   info.units, std::string(info.long_name) + ", whole city", std::string(info.long_name_zh) + "(全市)");
  }

  std::vector<double> city(static_cast<std::size_t>(R) * Y * M), total(static_cast<std::size_t>(R) * Y),
      per_exit(static_cast<std::size_t>(R) * Y);
  for (int k = 0; k < R; ++k)
    for (int y = 0; y < Y; ++y) {
      const std::size_t ky = static_cast<std::size_t>(k) * Y + y;
      for (int m = 0; m < M; ++m) {
        std::int64_t fen = 0;  // exact: the sum is taken in fen
        for (int c = 0; c < C; ++c)
          for (int src = 0; src < S; ++src) fen += r.spend(k, y, c, m, src);
        city[ky * M + m] = yuan(fen);
      }
      total[ky] = yuan(r.city_spend(k, y));
      per_exit[ky] = cost_per_exit(r, k, y);
    }
  hdf5::variable(file, "city_spending", city.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {rep, year, measure}, "yuan",
                 "spending on the measure in the year, all sources, whole city", "帮扶措施资金支出(全市)");
  hdf5::variable(file, "city_spending_total", total.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {rep, year}, "yuan",
                 "spending on all measures in the year, all sources, whole city", "帮扶措施资金支出合计(全市)");
  hdf5::variable(file, "cost_per_exit", per_exit.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {rep, year},
                 "yuan/person", cost_per_exit_long_name, cost_per_exit_long_name_zh);
}

// /summary of the measures' city totals, along the group's statistic and year scales.
void write_measure_summary(hid_t group, const SimulationResult& r, hid_t stat, hid_t year) {
  const int R = r.replicates, Y = r.years, M = r.measures;
  Handle measure = measure_scale(group, r);
  std::vector<double> spending(static_cast<std::size_t>(4) * Y * M), reached(spending.size()),
      total(static_cast<std::size_t>(4) * Y), per_exit(total.size());
  for (int y = 0; y < Y; ++y) {
    for (int m = 0; m < M; ++m) {
      const Statistics st = over_replicates(R, [&](int k) {
        std::int64_t fen = 0;
        for (int c = 0; c < r.counties; ++c)
          for (int src = 0; src < fund_source_count; ++src) fen += r.spend(k, y, c, m, src);
        return yuan(fen);
      });
      const Statistics hh = over_replicates(
          R, [&](int k) { return static_cast<double>(r.city_measure(r.beneficiary_households, k, y, m)); });
      for (std::size_t q = 0; q < 4; ++q) {
        spending[(q * Y + y) * M + m] = st[q];
        reached[(q * Y + y) * M + m] = hh[q];
      }
    }
    const Statistics st = over_replicates(R, [&](int k) { return yuan(r.city_spend(k, y)); });
    // Cost per exit: over the replicates with exits (as xarray's mean skips NaN); NaN if none.
    std::vector<double> defined;
    for (int k = 0; k < R; ++k)
      if (const double v = cost_per_exit(r, k, y); !std::isnan(v)) defined.push_back(v);
    const Statistics pe = summarise(defined);
    for (std::size_t q = 0; q < 4; ++q) {
      total[q * Y + y] = st[q];
      per_exit[q * Y + y] = defined.empty() ? std::numeric_limits<double>::quiet_NaN() : pe[q];
    }
  }
  hdf5::variable(group, "city_spending", spending.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {stat, year, measure},
                 "yuan", "spending on the measure in the year, all sources, whole city", "帮扶措施资金支出(全市)");
  hdf5::variable(group, "city_spending_total", total.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {stat, year}, "yuan",
                 "spending on all measures in the year, all sources, whole city", "帮扶措施资金支出合计(全市)");
  hdf5::variable(group, "cost_per_exit", per_exit.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {stat, year},
                 "yuan/person", cost_per_exit_long_name, cost_per_exit_long_name_zh);
  hdf5::variable(group, "city_beneficiary_households", reached.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE,
                 {stat, year, measure}, "households", "households reached by the measure in the year, whole city",
                 "受益户数(全市)");
}

void write_series(hid_t file, const SimulationResult& r, const std::vector<std::string>& names,
                  const std::vector<std::string>& names_zh) {
  const int R = r.replicates, Y = r.years, C = r.counties;
  std::vector<int> replicates(R);
  for (int k = 0; k < R; ++k) replicates[k] = r.first_replicate + k;
  Handle rep = hdf5::integer_scale(file, "replicate", replicates, "replicate index (Philox key word 1)", "重复模拟序号", "1");
  Handle year = hdf5::integer_scale(file, "year", calendar_years(r), "calendar year (assessed at its end)", "年份", "year");
  Handle county = hdf5::string_scale(file, "county", names, "county or district", "县(市、区)");
  hdf5::string_variable(file, "county_name_zh", names_zh, county, "county name in Chinese", "县(市、区)名称");
  for (int m = 0; m < metric_count; ++m) {
    const auto& info = metric_info[m];
    const auto metric = static_cast<Metric>(m);
    std::vector<std::int64_t> v(static_cast<std::size_t>(R) * Y * C), city(static_cast<std::size_t>(R) * Y);
    for (int k = 0; k < R; ++k)
      for (int y = 0; y < Y; ++y) {
        for (int c = 0; c < C; ++c) v[(static_cast<std::size_t>(k) * Y + y) * C + c] = r.at(k, y, c, metric);
        city[static_cast<std::size_t>(k) * Y + y] = r.city_total(k, y, metric);
      }
    hdf5::variable(file, std::string(info.name), v.data(), H5T_NATIVE_INT64, H5T_STD_I64LE, {rep, year, county},
                   info.units, info.long_name, info.long_name_zh);
    hdf5::variable(file, "city_" + std::string(info.name), city.data(), H5T_NATIVE_INT64, H5T_STD_I64LE, {rep, year},
                   info.units, std::string(info.long_name) + ", whole city", std::string(info.long_name_zh) + "(全市)");
  }
  std::vector<double> inc(static_cast<std::size_t>(R) * Y);
  for (int k = 0; k < R; ++k)
    for (int y = 0; y < Y; ++y) inc[static_cast<std::size_t>(k) * Y + y] = incidence(r, k, y);
  hdf5::variable(file, "incidence", inc.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {rep, year}, "1",
                 "registered poor people at the end of the year / rural population", "贫困发生率");
  write_measure_series(file, r, rep, year, county);
}

void write_summary(hid_t file, const SimulationResult& r, const std::vector<std::string>& names) {
  const int R = r.replicates, Y = r.years, C = r.counties;
  Handle group = hdf5::create_group(file, "summary");
  const std::vector<std::string> stats(statistic_names.begin(), statistic_names.end());
  Handle stat = hdf5::string_scale(group, "statistic", stats,
                                   "statistic across replicates (mean; 5%, 50%, 95% quantiles, type 7)", "跨重复模拟的统计量");
  Handle year = hdf5::integer_scale(group, "year", calendar_years(r), "calendar year (assessed at its end)", "年份", "year");
  Handle county = hdf5::string_scale(group, "county", names, "county or district", "县(市、区)");
  auto over_replicates = [&](auto value_of) { return tuopin::over_replicates(R, value_of); };
  for (int m = 0; m < metric_count; ++m) {
    const auto& info = metric_info[m];
    const auto metric = static_cast<Metric>(m);
    std::vector<double> v(static_cast<std::size_t>(4) * Y * C), city(static_cast<std::size_t>(4) * Y);
    for (int y = 0; y < Y; ++y) {
      for (int c = 0; c < C; ++c) {
        const Statistics st = over_replicates([&](int k) { return static_cast<double>(r.at(k, y, c, metric)); });
        for (std::size_t q = 0; q < 4; ++q) v[(q * Y + y) * C + c] = st[q];
      }
      const Statistics st = over_replicates([&](int k) { return static_cast<double>(r.city_total(k, y, metric)); });
      for (std::size_t q = 0; q < 4; ++q) city[q * Y + y] = st[q];
    }
    hdf5::variable(group, std::string(info.name), v.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {stat, year, county},
                   info.units, info.long_name, info.long_name_zh);
    hdf5::variable(group, "city_" + std::string(info.name), city.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE,
                   {stat, year}, info.units, std::string(info.long_name) + ", whole city",
                   std::string(info.long_name_zh) + "(全市)");
  }
  std::vector<double> inc(static_cast<std::size_t>(4) * Y);
  for (int y = 0; y < Y; ++y) {
    const Statistics st = over_replicates([&](int k) { return incidence(r, k, y); });
    for (std::size_t q = 0; q < 4; ++q) inc[q * Y + y] = st[q];
  }
  hdf5::variable(group, "incidence", inc.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {stat, year}, "1",
                 "registered poor people at the end of the year / rural population", "贫困发生率");
  write_measure_summary(group, r, stat, year);
}

// /target: the plan's target by county (outputs/targets.h) and /villages: each poor village's
// first year of exit.
void write_targets(hid_t file, const Scenario& s, const SimulationResult& r, const std::vector<std::string>& names) {
  const int R = r.replicates, Y = r.years, C = r.counties;
  const Targets t = compute_targets(s, r);
  Handle group = hdf5::create_group(file, "target");
  hdf5::attribute(group, "last_year", static_cast<std::int64_t>(t.last_year));
  std::vector<int> replicates(R);
  for (int k = 0; k < R; ++k) replicates[k] = r.first_replicate + k;
  Handle rep = hdf5::integer_scale(group, "replicate", replicates, "replicate index (Philox key word 1)", "重复模拟序号", "1");
  Handle year = hdf5::integer_scale(group, "year", calendar_years(r), "calendar year (assessed at its end)", "年份", "year");
  Handle county = hdf5::string_scale(group, "county", names, "county or district", "县(市、区)");
  const std::vector<std::string> stats(statistic_names.begin(), statistic_names.end());
  Handle stat = hdf5::string_scale(group, "statistic", stats,
                                   "statistic across replicates (mean; 5%, 50%, 95% quantiles, type 7)", "跨重复模拟的统计量");
  Handle criterion = hdf5::string_scale(group, "criterion", {criterion_names.begin(), criterion_names.end()},
                                        "county exit criterion", "摘帽标准");

  std::vector<std::int64_t> listed(C);
  std::vector<double> probability(C);
  std::vector<std::int64_t> first(static_cast<std::size_t>(R) * C);
  std::vector<double> failing(static_cast<std::size_t>(C) * criterion_names.size());
  for (int c = 0; c < C; ++c) {
    listed[c] = t.counties[c].poverty_county;
    probability[c] = t.counties[c].exit_probability;
    for (int k = 0; k < R; ++k) first[static_cast<std::size_t>(k) * C + c] = t.counties[c].first_exit_year[k];
    for (std::size_t q = 0; q < criterion_names.size(); ++q)
      failing[c * criterion_names.size() + q] = t.counties[c].failing[q];
  }
  hdf5::variable(group, "poverty_county", listed.data(), H5T_NATIVE_INT64, H5T_STD_I64LE, {county}, "1",
                 "1 for a listed poverty county (counties.poverty_county)", "国家级贫困县");
  hdf5::variable(group, "exit_probability", probability.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {county}, "1",
                 "share of replicates in which the county met every exit criterion by the last year", "摘帽概率");
  hdf5::variable(group, "first_exit_year", first.data(), H5T_NATIVE_INT64, H5T_STD_I64LE, {rep, county}, "year",
                 "first year the county met every exit criterion (0: not by the last year)", "首次达到摘帽标准年份");
  hdf5::variable(group, "failing_share", failing.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {county, criterion}, "1",
                 "share of replicates in which the county fails the criterion in the last year", "末年未达标概率");
  // Share of replicates in which every listed poverty county exited by the last year.
  hdf5::attribute(group, "all_poverty_counties_probability", t.all_poverty_counties_probability);

  // Rates per replicate, year and county.
  const std::size_t cells = static_cast<std::size_t>(R) * Y * C;
  std::vector<double> inc(cells), wrong(cells), missed(cells);
  for (int k = 0; k < R; ++k)
    for (int y = 0; y < Y; ++y)
      for (int c = 0; c < C; ++c) {
        const std::size_t i = (static_cast<std::size_t>(k) * Y + y) * C + c;
        inc[i] = comprehensive_incidence(r, k, y, c);
        wrong[i] = wrong_exit_rate(r, k, y, c);
        missed[i] = missed_rate(r, k, y, c);
      }
  hdf5::variable(group, "comprehensive_incidence", inc.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {rep, year, county},
                 "1", "(registered poor + wrongly exited + missed poor people) / rural population", "综合贫困发生率");
  hdf5::variable(group, "wrong_exit_rate", wrong.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {rep, year, county}, "1",
                 "wrongly exited people / exited people", "错退率");
  hdf5::variable(group, "missed_rate", missed.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {rep, year, county}, "1",
                 "missed poor people / rural people outside the registry", "漏评率");

  // Window statistics per county.
  auto stats_of = [&](auto member) {
    std::vector<double> v(static_cast<std::size_t>(4) * C);
    for (int c = 0; c < C; ++c)
      for (std::size_t q = 0; q < 4; ++q) v[q * C + c] = (t.counties[c].*member)[q];
    return v;
  };
  auto put = [&](const char* name, auto member, std::string_view units, std::string_view long_name,
                 std::string_view long_name_zh) {
    const std::vector<double> v = stats_of(member);
    hdf5::variable(group, name, v.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {stat, county}, units, long_name,
                   long_name_zh);
  };
  put("poor_end_people", &CountyTarget::poor_end, "persons", "registered poor people at the end of the last year",
      "末年年末贫困人口");
  put("reentry_people", &CountyTarget::reentries, "persons", "re-entries over the window", "规划期返贫人口");
  put("reentry_rate", &CountyTarget::reentry_rate, "1", "re-entries over exits, both over the window", "规划期返贫率(返贫/脱贫)");
  put("spending", &CountyTarget::spending_yuan, "yuan", "spending of every measure over the window", "规划期帮扶支出");
  put("incidence_last_year", &CountyTarget::incidence, "1", "comprehensive incidence at the end of the last year",
      "末年综合贫困发生率");

  Handle villages = hdf5::create_group(file, "villages");
  std::vector<int> ids(static_cast<std::size_t>(r.villages));
  for (int v = 0; v < r.villages; ++v) ids[v] = v;
  Handle village = hdf5::integer_scale(villages, "village", ids, "village index in the population", "村序号", "1");
  Handle vrep = hdf5::integer_scale(villages, "replicate", replicates, "replicate index (Philox key word 1)", "重复模拟序号", "1");
  std::vector<std::int64_t> exit_year(r.village_exit_year.begin(), r.village_exit_year.end());
  hdf5::variable(villages, "exit_year", exit_year.data(), H5T_NATIVE_INT64, H5T_STD_I64LE, {vrep, village}, "year",
                 "first year a poor village met the exit criteria (贫困村出列); 0: not in the window or not a poor village",
                 "贫困村出列年份");
}

}  // namespace

// /meta of result and population files: enough to reproduce the run from the file alone.
void write_meta(hid_t file, const LoadedScenario& scenario, const RunInfo& info, int replicates) {
  const Scenario& s = scenario.scenario;
  Handle meta = hdf5::create_group(file, "meta");
  hdf5::attribute(meta, "version", info.version);
  hdf5::attribute(meta, "git_commit", info.git_commit);
  hdf5::attribute(meta, "command_line", info.command_line);
  hdf5::attribute(meta, "host", info.host);
  hdf5::attribute(meta, "created", info.created);
  hdf5::attribute(meta, "seed", static_cast<std::int64_t>(s.seed));
  hdf5::attribute(meta, "replicates", static_cast<std::int64_t>(replicates));
  hdf5::attribute(meta, "threads", static_cast<std::int64_t>(info.threads));
  hdf5::attribute(meta, "wall_time_seconds", info.wall_seconds);
  hdf5::attribute(meta, "instruction_set", std::string(month_kernel_level()));
  hdf5::attribute(meta, "population_source", info.population_source);
  hdf5::attribute(meta, "scenario_name", scenario.sources.back().name);
  hdf5::string_scalar(meta, "scenario_text", scenario.sources.back().text, "the scenario file as written", "情景文件原文");
  std::string chain, inherited;
  for (std::size_t k = 0; k < scenario.sources.size(); ++k) {
    chain += (k ? " <- " : "") + scenario.sources[scenario.sources.size() - 1 - k].name;
    if (k + 1 < scenario.sources.size())
      inherited += "# ---- " + scenario.sources[k].name + " ----\n" + scenario.sources[k].text + "\n";
  }
  hdf5::attribute(meta, "scenario_inheritance", chain);
  hdf5::string_scalar(meta, "scenario_inherited_text", inherited, "the files it inherits from, as written, parents first",
                      "所继承的情景文件原文");
  hdf5::string_scalar(meta, "scenario_resolved", scenario.resolved_toml,
                      "every scenario key after defaults and inheritance (runs alone with tuopin run)",
                      "合并默认值与继承后的完整情景");
}

// /attribution: what each measure switched on adds, by ablation (model/attribution.h).
void write_attribution(hid_t file, const Attribution& a) {
  Handle group = hdf5::create_group(file, "attribution");
  hdf5::attribute(group, "method",
                  "scenario minus the scenario with this measure alone switched off, same seed and replicates");
  Handle measure = hdf5::string_scale(group, "measure", a.measures, "measure switched off in the ablated run",
                                      "对比运行中关闭的帮扶措施");
  std::vector<int> reps(a.replicates), years(a.years);
  for (int k = 0; k < a.replicates; ++k) reps[k] = k;
  for (int y = 0; y < a.years; ++y) years[y] = a.first_year + y;
  Handle rep = hdf5::integer_scale(group, "replicate", reps, "replicate index (position in the run)", "重复模拟序号", "1");
  Handle year = hdf5::integer_scale(group, "year", years, "calendar year (assessed at its end)", "年份", "year");
  hdf5::variable(group, "exit_people", a.exit_people.data(), H5T_NATIVE_INT64, H5T_STD_I64LE, {measure, rep, year},
                 "persons", "exits attributable to the measure (scenario minus scenario without it)", "可归因于该措施的脱贫人口");
  hdf5::variable(group, "reentry_people", a.reentry_people.data(), H5T_NATIVE_INT64, H5T_STD_I64LE, {measure, rep, year},
                 "persons", "re-entries attributable to the measure (scenario minus scenario without it)",
                 "可归因于该措施的返贫人口");
  hdf5::variable(group, "poor_end_people", a.poor_end_people.data(), H5T_NATIVE_INT64, H5T_STD_I64LE,
                 {measure, rep, year}, "persons",
                 "poor people at the end of the year, scenario minus scenario without the measure (negative: fewer poor)",
                 "年末贫困人口之差(负值表示减少)");
  std::vector<double> spending(a.spending_fen.size());
  for (std::size_t i = 0; i < spending.size(); ++i) spending[i] = yuan(a.spending_fen[i]);
  hdf5::variable(group, "spending", spending.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {measure, rep, year}, "yuan",
                 "spending of all measures, scenario minus scenario without the measure", "全部措施支出之差");
}

namespace {

std::string hex(std::uint64_t v) { return hex_hash(v); }

Handle create_result_file(const std::filesystem::path& tmp, const RunInfo& info) {
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create file properties");
  hdf5::check(H5Pset_libver_bounds(fapl, H5F_LIBVER_EARLIEST, H5F_LIBVER_LATEST), "set format bounds");
  Handle file(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), H5Fclose, "create " + tmp.string());
  hdf5::attribute(file, "title", "tuopin simulation of a poverty-exit plan");
  hdf5::attribute(file, "title_zh", "脱贫攻坚规划模拟结果");
  hdf5::attribute(file, "tuopin_version", info.version);
  hdf5::attribute(file, "layout", "docs/outputs.md");
  return file;
}

// The population's hash: the caller's (waiting for it if it is still being computed), or
// computed here.
std::uint64_t hash_of(const RunInfo& info, const Population& population) {
  return info.population_hash.valid() ? info.population_hash.get() : population_hash(population);
}

// Everything of one scenario's run, at `where` (the file's root, or /scenarios/<name>).
void write_scenario_content(hid_t where, const LoadedScenario& scenario, const SimulationResult& r,
                            const RunInfo& info, const Attribution* attribution, const Population& population) {
  const Scenario& s = scenario.scenario;
  std::vector<std::string> names, names_zh;
  for (const auto& c : s.counties) {
    names.push_back(c.name);
    names_zh.push_back(c.name_zh);
  }
  write_series(where, r, names, names_zh);
  write_summary(where, r, names);
  write_targets(where, s, r, names);
  if (attribution) write_attribution(where, *attribution);
  write_uncertainty(where, s, r);
  write_meta(where, scenario, info, r.replicates);
  Handle meta(H5Gopen2(where, "meta", H5P_DEFAULT), H5Gclose, "open meta");
  hdf5::attribute(meta, "population_hash", hex(hash_of(info, population)));
}

}  // namespace

std::string hex_hash(std::uint64_t v) {
  static const char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int k = 15; k >= 0; --k, v >>= 4) out[k] = digits[v & 0xF];
  return out;
}

bool result_has_population(const std::filesystem::path& file) {
  Handle f = hdf5::open_file(file.string());
  return hdf5::exists(f, "population");
}

std::string population_hash_of(const std::filesystem::path& file) {
  Handle f = hdf5::open_file(file.string());
  Handle meta(H5Gopen2(f, "meta", H5P_DEFAULT), H5Gclose, "open /meta");
  return H5Aexists(meta, "population_hash") > 0 ? hdf5::string_attribute(meta, "population_hash") : "";
}

void write_result_file(const std::filesystem::path& path, bool force, const LoadedScenario& scenario,
                       const Population& population, const SimulationResult& r, const RunInfo& info,
                       const Attribution* attribution, bool with_population) {
  hdf5::silence_errors();
  write_new_file(path, force, [&](const std::filesystem::path& tmp) {
    Handle file = create_result_file(tmp, info);
    // The population first: its hash (in /meta) may still be computed on another thread.
    if (with_population) write_population_group(file, population, scenario.scenario);
    write_scenario_content(file, scenario, r, info, attribution, population);
    hdf5::check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + tmp.string());
  });
}

void write_comparison_file(const std::filesystem::path& path, bool force, const std::vector<ScenarioRun>& runs,
                           const Population& population, const RunInfo& info, bool with_population) {
  if (runs.empty()) throw std::logic_error("write_comparison_file: no scenario");
  hdf5::silence_errors();
  write_new_file(path, force, [&](const std::filesystem::path& tmp) {
    Handle file = create_result_file(tmp, info);
    // The population first: its hash (in /meta) may still be computed on another thread.
    if (with_population) write_population_group(file, population, runs[0].scenario->scenario);
    const int S = static_cast<int>(runs.size());
    const SimulationResult& first = *runs[0].result;
    const int R = first.replicates, Y = first.years, C = first.counties;
    std::vector<std::string> names, descriptions, resolved;
    for (const auto& run : runs) {
      names.push_back(run.name);
      descriptions.push_back(run.scenario->scenario.description);
      resolved.push_back(run.scenario->resolved_toml);
      if (run.result->replicates != R || run.result->years != Y || run.result->counties != C ||
          run.result->first_year != first.first_year || run.result->first_replicate != first.first_replicate)
        throw std::logic_error("write_comparison_file: the scenarios' results differ in shape");
    }
    Handle scenario = hdf5::string_scale(file, "scenario", names, "scenario (its file name without .toml)", "情景");
    hdf5::string_variable(file, "scenario_description", descriptions, scenario, "what the scenario is",
                          "情景说明");
    hdf5::string_variable(file, "scenario_resolved", resolved, scenario,
                          "every scenario key after defaults and inheritance (runs alone with tuopin run)",
                          "合并默认值与继承后的完整情景");
    hdf5::attribute(file, "scenarios", static_cast<std::int64_t>(S));

    // /compare: the key results of every scenario along one scenario dimension.
    Handle compare = hdf5::create_group(file, "compare");
    Handle cscenario = hdf5::string_scale(compare, "scenario", names, "scenario", "情景");
    std::vector<int> replicates(R);
    for (int k = 0; k < R; ++k) replicates[k] = first.first_replicate + k;
    Handle rep = hdf5::integer_scale(compare, "replicate", replicates, "replicate index (Philox key word 1)",
                                     "重复模拟序号", "1");
    Handle year = hdf5::integer_scale(compare, "year", calendar_years(first), "calendar year (assessed at its end)",
                                      "年份", "year");
    std::vector<std::string> county_names;
    for (const auto& c : runs[0].scenario->scenario.counties) county_names.push_back(c.name);
    Handle county = hdf5::string_scale(compare, "county", county_names, "county or district", "县(市、区)");
    for (const Metric m : {Metric::exit_people, Metric::reentry_people, Metric::new_poor_people,
                           Metric::poor_end_people, Metric::county_exited}) {
      const auto& mi = metric_info[static_cast<int>(m)];
      std::vector<std::int64_t> v;
      for (const auto& run : runs)
        for (int k = 0; k < R; ++k)
          for (int y = 0; y < Y; ++y) v.push_back(run.result->city_total(k, y, m));
      hdf5::variable(compare, "city_" + std::string(mi.name), v.data(), H5T_NATIVE_INT64, H5T_STD_I64LE,
                     {cscenario, rep, year}, mi.units, std::string(mi.long_name) + ", whole city",
                     std::string(mi.long_name_zh) + "(全市)");
    }
    std::vector<double> spend, inc, probability;
    for (const auto& run : runs) {
      for (int k = 0; k < R; ++k)
        for (int y = 0; y < Y; ++y) {
          spend.push_back(yuan(run.result->city_spend(k, y)));
          inc.push_back(incidence(*run.result, k, y));
        }
      const Targets t = compute_targets(run.scenario->scenario, *run.result);
      for (int c = 0; c < C; ++c) probability.push_back(t.counties[c].exit_probability);
    }
    hdf5::variable(compare, "city_spending_total", spend.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE,
                   {cscenario, rep, year}, "yuan", "spending on all measures in the year, all sources, whole city",
                   "帮扶措施资金支出合计(全市)");
    hdf5::variable(compare, "incidence", inc.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {cscenario, rep, year}, "1",
                   "registered poor people at the end of the year / rural population", "贫困发生率");
    hdf5::variable(compare, "exit_probability", probability.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE,
                   {cscenario, county}, "1",
                   "share of replicates in which the county met every exit criterion by the last year", "摘帽概率");

    // Every scenario's whole result, in the single-scenario layout; the population once.
    Handle group = hdf5::create_group(file, "scenarios");
    for (const auto& run : runs) {
      Handle where = hdf5::create_group(group, run.name);
      write_scenario_content(where, *run.scenario, *run.result, info, run.attribution, population);
    }
    Handle meta = hdf5::create_group(file, "meta");
    hdf5::attribute(meta, "version", info.version);
    hdf5::attribute(meta, "git_commit", info.git_commit);
    hdf5::attribute(meta, "command_line", info.command_line);
    hdf5::attribute(meta, "host", info.host);
    hdf5::attribute(meta, "created", info.created);
    hdf5::attribute(meta, "seed", static_cast<std::int64_t>(runs[0].scenario->scenario.seed));
    hdf5::attribute(meta, "replicates", static_cast<std::int64_t>(R));
    hdf5::attribute(meta, "threads", static_cast<std::int64_t>(info.threads));
    hdf5::attribute(meta, "wall_time_seconds", info.wall_seconds);
    hdf5::attribute(meta, "instruction_set", std::string(month_kernel_level()));
    hdf5::attribute(meta, "population_source", info.population_source);
    hdf5::attribute(meta, "population_hash", hex(hash_of(info, population)));
    hdf5::check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + tmp.string());
  });
}

Dataset read_dataset(const std::filesystem::path& path, const std::string& name) {
  Handle file = hdf5::open_file(path.string());
  Handle ds(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  Dataset out;
  for (hsize_t d : hdf5::shape_of(ds)) out.shape.push_back(static_cast<std::size_t>(d));
  hdf5::read(file, name, H5T_NATIVE_DOUBLE, out.values);
  for (std::size_t k = 0; k < out.shape.size(); ++k) {
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
    out.dimensions.push_back(dim);
  }
  return out;
}

std::string read_string(const std::filesystem::path& path, const std::string& name) {
  Handle file = hdf5::open_file(path.string());
  return hdf5::read_string_scalar(file, name);
}

std::string read_string_attribute(const std::filesystem::path& path, const std::string& object,
                                  const std::string& attribute) {
  Handle file = hdf5::open_file(path.string());
  Handle obj(H5Oopen(file, object.c_str(), H5P_DEFAULT), H5Oclose, "open " + object);
  return hdf5::string_attribute(obj, attribute);
}

}  // namespace tuopin
