#include "targets.h"

#include <algorithm>
#include <iomanip>
#include <sstream>
#include <string>

#include "area_exit.h"

namespace tuopin {

namespace {

std::int64_t value(const SimulationResult& r, int k, int y, int c, Metric m) {
  return c < 0 ? r.city_total(k, y, m) : r.at(k, y, c, m);
}

AreaCounts area(const SimulationResult& r, int k, int y, int c) {
  AreaCounts a;
  a.poor_people = value(r, k, y, c, Metric::poor_end_people);
  a.wrongly_exited_people = value(r, k, y, c, Metric::wrongly_exited_people);
  a.missed_people = value(r, k, y, c, Metric::missed_poor_people);
  a.exited_people = value(r, k, y, c, Metric::exited_people_end);
  a.registered_people = value(r, k, y, c, Metric::registered_people_end);
  return a;
}

template <typename F>
Statistics over(int replicates, F value_of) {
  std::vector<double> v(replicates);
  for (int k = 0; k < replicates; ++k) v[k] = value_of(k);
  return summarise(v);
}

double window_spending_yuan(const SimulationResult& r, int k, int c) {
  std::int64_t fen = 0;
  for (int y = 0; y < r.years; ++y) {
    if (c < 0) {
      fen += r.city_spend(k, y);
      continue;
    }
    for (int m = 0; m < r.measures; ++m)
      for (int src = 0; src < fund_source_count; ++src) fen += r.spend(k, y, c, m, src);
  }
  return static_cast<double>(fen) / 100.0;
}

double window_sum(const SimulationResult& r, int k, int c, Metric m) {
  std::int64_t sum = 0;
  for (int y = 0; y < r.years; ++y) sum += value(r, k, y, c, m);
  return static_cast<double>(sum);
}

double window_reentries(const SimulationResult& r, int k, int c) { return window_sum(r, k, c, Metric::reentry_people); }

// Re-entries over exits in the window (0 without exits).
double window_reentry_rate(const SimulationResult& r, int k, int c) {
  const double exits = window_sum(r, k, c, Metric::exit_people);
  return exits > 0 ? window_reentries(r, k, c) / exits : 0.0;
}

}  // namespace

double comprehensive_incidence(const SimulationResult& r, int k, int y, int c) {
  return comprehensive_incidence(area(r, k, y, c), static_cast<double>(value(r, k, y, c, Metric::rural_people)));
}

double wrong_exit_rate(const SimulationResult& r, int k, int y, int c) {
  const AreaCounts a = area(r, k, y, c);
  return a.exited_people > 0 ? static_cast<double>(a.wrongly_exited_people) / static_cast<double>(a.exited_people)
                             : 0.0;
}

double missed_rate(const SimulationResult& r, int k, int y, int c) {
  const AreaCounts a = area(r, k, y, c);
  const double outside = static_cast<double>(value(r, k, y, c, Metric::rural_people) - a.registered_people);
  return outside > 0 ? static_cast<double>(a.missed_people) / outside : 0.0;
}

Targets compute_targets(const Scenario& s, const SimulationResult& r) {
  Targets t;
  const int R = r.replicates, Y = r.years, C = r.counties, last = Y - 1;
  t.first_year = r.first_year;
  t.last_year = r.first_year + last;
  t.counties.resize(C);
  std::vector<int> all_listed(R, 1);
  for (int c = 0; c < C; ++c) {
    CountyTarget& ct = t.counties[c];
    ct.poverty_county = c < static_cast<int>(s.counties.size()) && s.counties[c].poverty_county;
    if (ct.poverty_county) ++t.poverty_counties;
    ct.first_exit_year.assign(R, 0);
    int exited = 0;
    for (int k = 0; k < R; ++k) {
      for (int y = 0; y < Y; ++y)
        if (r.at(k, y, c, Metric::county_exited)) {
          ct.first_exit_year[k] = r.first_year + y;
          break;
        }
      if (ct.first_exit_year[k]) ++exited;
      else if (ct.poverty_county) all_listed[k] = 0;
    }
    ct.exit_probability = R > 0 ? static_cast<double>(exited) / R : 0.0;
    ct.poor_end = over(R, [&](int k) { return static_cast<double>(r.at(k, last, c, Metric::poor_end_people)); });
    ct.incidence = over(R, [&](int k) { return comprehensive_incidence(r, k, last, c); });
    ct.wrong_exit = over(R, [&](int k) { return wrong_exit_rate(r, k, last, c); });
    ct.missed = over(R, [&](int k) { return missed_rate(r, k, last, c); });
    ct.villages_exited =
        over(R, [&](int k) { return static_cast<double>(r.at(k, last, c, Metric::poor_villages_exited)); });
    ct.reentries = over(R, [&](int k) { return window_reentries(r, k, c); });
    ct.reentry_rate = over(R, [&](int k) { return window_reentry_rate(r, k, c); });
    ct.spending_yuan = over(R, [&](int k) { return window_spending_yuan(r, k, c); });
    ct.poor_villages = R > 0 ? static_cast<int>(r.at(0, last, c, Metric::poor_villages)) : 0;
    const Metric fails[] = {Metric::county_fails_incidence, Metric::county_fails_wrong_exit,
                            Metric::county_fails_missed, Metric::county_fails_villages,
                            Metric::county_fails_approval};
    for (std::size_t q = 0; q < criterion_names.size(); ++q) {
      int n = 0;
      for (int k = 0; k < R; ++k) n += r.at(k, last, c, fails[q]) != 0;
      ct.failing[q] = R > 0 ? static_cast<double>(n) / R : 0.0;
    }
  }
  int all = 0;
  for (int k = 0; k < R; ++k) all += all_listed[k];
  t.all_poverty_counties_probability = R > 0 ? static_cast<double>(all) / R : 0.0;
  t.counties_exited = over(R, [&](int k) { return static_cast<double>(r.city_total(k, last, Metric::county_exited)); });
  t.poor_end = over(R, [&](int k) { return static_cast<double>(r.city_total(k, last, Metric::poor_end_people)); });
  t.incidence = over(R, [&](int k) { return comprehensive_incidence(r, k, last, -1); });
  t.reentries = over(R, [&](int k) { return window_reentries(r, k, -1); });
  t.reentry_rate = over(R, [&](int k) { return window_reentry_rate(r, k, -1); });
  t.spending_yuan = over(R, [&](int k) { return window_spending_yuan(r, k, -1); });
  return t;
}

namespace {

std::string number(const Statistics& st) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(0) << st.mean << " [" << st.p05 << "-" << st.p95 << "]";
  return o.str();
}
std::string percent(const Statistics& st) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << 100 * st.mean << "% [" << 100 * st.p05 << "-" << 100 * st.p95 << "]";
  return o.str();
}
std::string share(double p) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(0) << 100 * p << "%";
  return o.str();
}
std::string wan(const Statistics& st) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(0) << st.mean / 1e4 << " [" << st.p05 / 1e4 << "-" << st.p95 / 1e4 << "]";
  return o.str();
}

// The median first year among the replicates that exit, "-" if none does.
std::string first_year(const std::vector<int>& years) {
  std::vector<double> v;
  for (int y : years)
    if (y) v.push_back(y);
  if (v.empty()) return "-";
  return std::to_string(static_cast<int>(quantile(v, 0.5)));
}


}  // namespace

void print_targets(std::ostream& out, const Scenario& s, const Targets& t) {
  const int R = t.counties.empty() ? 0 : static_cast<int>(t.counties[0].first_exit_year.size());
  const std::string by = std::to_string(t.last_year);
  const bool spending = s.any_measure();
  out << "\nThe target by county (贫困县摘帽): meeting every exit criterion by " << by << ", over " << R
      << " replicate" << (R == 1 ? "" : "s") << "; mean [5%-95% range] at the end of " << by << "\n";
  std::vector<std::vector<std::string>> rows = {{"county", "listed", "P(exit by " + by + ")", "first year",
                                                 "poor at end", "incidence", "re-entries " + std::to_string(t.first_year) + "-" + by,
                                                 "per exit", "poor villages exited"}};
  if (spending) rows[0].push_back("spending, 万元");
  for (std::size_t c = 0; c < t.counties.size(); ++c) {
    const CountyTarget& ct = t.counties[c];
    std::ostringstream villages;
    villages << std::fixed << std::setprecision(1) << ct.villages_exited.mean << " of " << ct.poor_villages;
    rows.push_back({s.counties[c].name_zh + " " + s.counties[c].name, ct.poverty_county ? "yes" : "", share(ct.exit_probability),
                    first_year(ct.first_exit_year), number(ct.poor_end), percent(ct.incidence), number(ct.reentries),
                    percent(ct.reentry_rate), villages.str()});
    if (spending) rows.back().push_back(wan(ct.spending_yuan));
  }
  rows.push_back({"city 全市", "", "", "", number(t.poor_end), percent(t.incidence), number(t.reentries),
                  percent(t.reentry_rate), ""});
  if (spending) rows.back().push_back(wan(t.spending_yuan));
  print_table(out, rows, true);
  out << "All " << t.poverty_counties << " listed poverty counties exit by " << by << " in "
      << share(t.all_poverty_counties_probability) << " of replicates; counties exited (of " << t.counties.size()
      << "): " << std::fixed << std::setprecision(1) << t.counties_exited.mean << " [" << t.counties_exited.p05 << "-"
      << t.counties_exited.p95 << "].\n"
      << "Incidence: comprehensive (综合贫困发生率), registered poor, wrongly exited and missed poor people over the "
         "rural population. Per exit: re-entries over exits in the window. First year: the median among "
         "replicates that exit.\n";

  out << "\nWhat blocks exit in " << by << ": share of replicates failing each criterion; the error rates, mean [5%-95%]\n";
  std::vector<std::vector<std::string>> blocks = {
      {"county", "incidence", "wrong exits", "missed poor", "villages", "approval", "wrong-exit rate", "missed rate"}};
  for (std::size_t c = 0; c < t.counties.size(); ++c) {
    const CountyTarget& ct = t.counties[c];
    std::vector<std::string> row = {s.counties[c].name_zh + " " + s.counties[c].name};
    for (double f : ct.failing) row.push_back(share(f));
    row.push_back(percent(ct.wrong_exit));
    row.push_back(percent(ct.missed));
    blocks.push_back(row);
  }
  print_table(out, blocks, true);
  std::ostringstream limits;
  limits << "Limits: incidence < " << 100 * s.county_exit.incidence_max << "%, wrong exits < "
         << 100 * s.county_exit.wrong_exit_max << "%, missed poor < " << 100 * s.county_exit.missed_max
         << "%, poor villages exited >= " << 100 * s.county_exit.poor_villages_exited_min << "%, approval "
         << 100 * s.county_exit.public_approval << "% >= " << 100 * s.county_exit.approval_min
         << "% (given, not simulated).\n";
  out << limits.str();
}

}  // namespace tuopin
