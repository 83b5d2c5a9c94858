#include "summary.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <sstream>

#include "measures/measure.h"
#include "targets.h"

namespace tuopin {

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const double h = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

Statistics summarise(const std::vector<double>& v) {
  Statistics s;
  if (v.empty()) return s;
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  s.p05 = quantile(v, 0.05);
  s.p50 = quantile(v, 0.50);
  s.p95 = quantile(v, 0.95);
  return s;
}

double incidence(const SimulationResult& r, int replicate, int year) {
  const auto rural = r.city_total(replicate, year, Metric::rural_people);
  return rural > 0 ? static_cast<double>(r.city_total(replicate, year, Metric::poor_end_people)) / static_cast<double>(rural)
                   : 0.0;
}

namespace {
std::string with_range(const Statistics& st, bool percent) {
  std::ostringstream o;
  o << std::fixed;
  if (percent) {
    o << std::setprecision(2) << 100 * st.mean << "% [" << 100 * st.p05 << "-" << 100 * st.p95 << "]";
  } else {
    o << std::setprecision(0) << st.mean << " [" << st.p05 << "-" << st.p95 << "]";
  }
  return o.str();
}
}  // namespace

void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows, bool first_left) {
  if (rows.empty()) return;
  auto columns = [](const std::string& text) {  // display columns: a CJK character takes two
    std::size_t n = 0;
    for (const char ch : text) {
      const auto b = static_cast<unsigned char>(ch);
      if ((b & 0xC0) == 0x80) continue;
      n += b >= 0xE0 ? 2 : 1;
    }
    return n;
  };
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], columns(row[i]));
  for (std::size_t k = 0; k < rows.size(); ++k) {
    for (std::size_t i = 0; i < rows[k].size(); ++i) {
      const std::string pad(width[i] - columns(rows[k][i]), ' ');
      out << (i ? "  " : "") << (i == 0 && first_left ? rows[k][i] + pad : pad + rows[k][i]);
    }
    out << "\n";
    if (k == 0) {
      for (std::size_t i = 0; i < width.size(); ++i) out << (i ? "  " : "") << std::string(width[i], '-');
      out << "\n";
    }
  }
}

void print_summary(std::ostream& out, const Scenario& s, const SimulationResult& r) {
  struct Column {
    std::string title;
    Metric metric;
  };
  const std::vector<Column> columns = {{"poor at start", Metric::poor_start_people},
                                       {"exits", Metric::exit_people},
                                       {"re-entries", Metric::reentry_people},
                                       {"new poor", Metric::new_poor_people},
                                       {"poor at end", Metric::poor_end_people}};
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"year"};
  for (const auto& c : columns) header.push_back(c.title);
  header.push_back("incidence");
  rows.push_back(header);
  for (int y = 0; y < r.years; ++y) {
    std::vector<std::string> row = {std::to_string(r.first_year + y)};
    for (const auto& c : columns) {
      std::vector<double> v;
      for (int k = 0; k < r.replicates; ++k) v.push_back(static_cast<double>(r.city_total(k, y, c.metric)));
      row.push_back(with_range(summarise(v), false));
    }
    std::vector<double> inc;
    for (int k = 0; k < r.replicates; ++k) inc.push_back(incidence(r, k, y));
    row.push_back(with_range(summarise(inc), true));
    rows.push_back(row);
  }
  out << "People in the poverty registry by year: mean [5%-95% range] over " << r.replicates
      << " replicate" << (r.replicates == 1 ? "" : "s") << "\n";
  print_table(out, rows);
  out << "Incidence: registered poor at end / rural population (" << std::fixed << std::setprecision(0)
      << static_cast<double>(r.replicates > 0 ? r.city_total(0, 0, Metric::rural_people) : 0) << ").\n";
  if (s.any_measure()) print_spending(out, s, r);
  print_targets(out, s, compute_targets(s, r));
}

namespace {
std::string yuan_text(const Statistics& st, double unit) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(unit >= 1e4 ? 1 : 0) << st.mean / unit << " [" << st.p05 / unit << "-"
    << st.p95 / unit << "]";
  return o.str();
}
}  // namespace

void print_spending(std::ostream& out, const Scenario& s, const SimulationResult& r) {
  (void)s;
  auto over = [&](auto value_of) {
    std::vector<double> v(r.replicates);
    for (int k = 0; k < r.replicates; ++k) v[k] = value_of(k);
    return summarise(v);
  };
  std::vector<std::vector<std::string>> rows = {{"year", "spending, 万元", "exits", "spending per exit, yuan"}};
  for (int y = 0; y < r.years; ++y) {
    const Statistics spend = over([&](int k) { return r.city_spend(k, y) / 100.0; });
    const Statistics exits = over([&](int k) { return static_cast<double>(r.city_total(k, y, Metric::exit_people)); });
    const Statistics per = over([&](int k) {
      const double e = static_cast<double>(r.city_total(k, y, Metric::exit_people));
      return e > 0 ? r.city_spend(k, y) / 100.0 / e : 0.0;
    });
    rows.push_back({std::to_string(r.first_year + y), yuan_text(spend, 1e4), yuan_text(exits, 1), yuan_text(per, 1)});
  }
  out << "\nSpending of the measures (all sources, entitlements included) and spending per exiting person (an "
         "average: exits that need no measure count too)\n";
  print_table(out, rows);
  std::vector<std::vector<std::string>> by_measure = {{"measure", "households reached (last year)", "spending over the window, 万元"}};
  for (int m = 0; m < r.measures; ++m) {
    if (!s.measures[m]->enabled()) continue;
    const Statistics reached = over([&](int k) {
      return static_cast<double>(r.city_measure(r.beneficiary_households, k, r.years - 1, m));
    });
    const Statistics spend = over([&](int k) {
      double sum = 0;
      for (int y = 0; y < r.years; ++y)
        for (int c = 0; c < r.counties; ++c)
          for (int src = 0; src < fund_source_count; ++src) sum += r.spend(k, y, c, m, src) / 100.0;
      return sum;
    });
    by_measure.push_back({r.measure_names[m], yuan_text(reached, 1), yuan_text(spend, 1e4)});
  }
  out << "\nBy measure: mean [5%-95% range] over replicates\n";
  print_table(out, by_measure);
}

}  // namespace tuopin

namespace tuopin {

void print_attribution(std::ostream& out, const Attribution& a) {
  auto window = [&](const std::vector<std::int64_t>& v, std::size_t m, bool last_year_only, double unit) {
    std::vector<double> per(a.replicates);
    for (int k = 0; k < a.replicates; ++k) {
      double sum = 0;
      for (int y = last_year_only ? a.years - 1 : 0; y < a.years; ++y) sum += static_cast<double>(v[a.at(static_cast<int>(m), k, y)]);
      per[k] = sum / unit;
    }
    return summarise(per);
  };
  std::vector<std::vector<std::string>> rows = {
      {"measure", "exits", "re-entries", "poor at end of " + std::to_string(a.first_year + a.years - 1), "spending, 万元",
       "spending per net exit, yuan"}};
  for (std::size_t m = 0; m < a.measures.size(); ++m) {
    const Statistics exits = window(a.exit_people, m, false, 1);
    const Statistics reentries = window(a.reentry_people, m, false, 1);
    const Statistics poor = window(a.poor_end_people, m, true, 1);
    const Statistics spend = window(a.spending_fen, m, false, 1e6);  // fen -> 万元
    std::vector<double> per;  // replicates where the measure adds net exits
    for (int k = 0; k < a.replicates; ++k) {
      double e = 0, s = 0;
      for (int y = 0; y < a.years; ++y) {
        e += static_cast<double>(a.exit_people[a.at(static_cast<int>(m), k, y)] - a.reentry_people[a.at(static_cast<int>(m), k, y)]);
        s += static_cast<double>(a.spending_fen[a.at(static_cast<int>(m), k, y)]) / 100.0;
      }
      if (e > 0) per.push_back(s / e);
    }
    rows.push_back({a.measures[m], with_range(exits, false), with_range(reentries, false), with_range(poor, false),
                    yuan_text(spend, 1), per.empty() ? std::string("-") : with_range(summarise(per), false)});
  }
  out << "\nWhat each measure adds (the scenario minus the scenario with that measure alone off, same random "
         "numbers), over the window: mean [5%-95% range]. Shares need not add up: measures compete for pools "
         "and lift the same households.\n";
  print_table(out, rows);
}

}  // namespace tuopin
