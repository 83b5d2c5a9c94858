#include "comparison.h"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "scenario.h"

namespace tuopin {

namespace {

enum Key { exits, reentries, new_poor, poor_end, incidence_end, spending, cost_per_exit, counties_exited, all_listed,
           key_count };

}  // namespace

const std::vector<KeyResultInfo>& key_result_info() {
  static const std::vector<KeyResultInfo> info = {
      {"exit_people", "persons", "exits over the window", "规划期脱贫人口"},
      {"reentry_people", "persons", "re-entries over the window", "规划期返贫人口"},
      {"new_poor_people", "persons", "newly poor over the window", "规划期新增贫困人口"},
      {"poor_end_people", "persons", "registered poor at the end of the last year", "末年年末贫困人口"},
      {"incidence", "%", "incidence at the end of the last year", "末年贫困发生率"},
      {"spending", "万元", "spending of every measure over the window", "规划期帮扶支出"},
      {"cost_per_exit", "yuan/person", "spending over exits, both over the window", "每脱贫一人支出"},
      {"counties_exited", "counties", "counties meeting every exit criterion by the last year", "末年已摘帽县数"},
      {"all_listed_counties_exit", "%", "replicates in which every listed poverty county exits by the last year",
       "全部贫困县摘帽的概率"},
  };
  return info;
}

std::vector<double> key_results(const KeyResultInputs& in) {
  std::vector<double> out(key_count, 0.0);
  double e = 0, re = 0, np = 0, sp = 0;
  for (std::size_t y = 0; y < in.exit.size(); ++y) {
    e += in.exit[y];
    re += in.reentry[y];
    np += in.new_poor[y];
    sp += in.spending_yuan[y];
  }
  out[exits] = e;
  out[reentries] = re;
  out[new_poor] = np;
  out[poor_end] = in.poor_end;
  out[incidence_end] = 100.0 * in.incidence_end;
  out[spending] = sp / 1e4;
  out[cost_per_exit] = e > 0 ? sp / e : 0.0;
  double n = 0;
  bool all = true;
  for (std::size_t c = 0; c < in.county_exited.size(); ++c) {
    n += in.county_exited[c];
    if (in.poverty_county[c] && !in.county_exited[c]) all = false;
  }
  out[counties_exited] = n;
  out[all_listed] = all ? 100.0 : 0.0;
  return out;
}

std::vector<double> key_results(const SimulationResult& r, const Scenario& s, int replicate) {
  KeyResultInputs in;
  const int Y = r.years;
  for (int y = 0; y < Y; ++y) {
    in.exit.push_back(static_cast<double>(r.city_total(replicate, y, Metric::exit_people)));
    in.reentry.push_back(static_cast<double>(r.city_total(replicate, y, Metric::reentry_people)));
    in.new_poor.push_back(static_cast<double>(r.city_total(replicate, y, Metric::new_poor_people)));
    in.spending_yuan.push_back(static_cast<double>(r.city_spend(replicate, y)) / 100.0);
  }
  in.poor_end = static_cast<double>(r.city_total(replicate, Y - 1, Metric::poor_end_people));
  in.incidence_end = incidence(r, replicate, Y - 1);
  for (int c = 0; c < r.counties; ++c) {
    in.county_exited.push_back(r.at(replicate, Y - 1, c, Metric::county_exited) > 0);
    in.poverty_county.push_back(s.counties[static_cast<std::size_t>(c)].poverty_county);
  }
  return key_results(in);
}

ScenarioResults read_key_results(const ScenarioInFile& s) {
  ScenarioResults out;
  out.scenario = s;
  const Dataset exit = read_scenario_dataset(s, "city_exit_people");
  if (exit.shape.size() != 2) throw InputError(s.file.string() + ": city_exit_people is not (replicate, year)");
  const std::size_t R = exit.shape[0], Y = exit.shape[1];
  const Dataset years = read_scenario_dataset(s, "year");
  const Dataset reps = read_scenario_dataset(s, "replicate");
  out.first_year = static_cast<int>(years.values.front());
  out.last_year = static_cast<int>(years.values.back());
  out.replicates = static_cast<int>(R);
  for (double r : reps.values) out.replicate_ids.push_back(static_cast<int>(r));
  const Dataset reentry = read_scenario_dataset(s, "city_reentry_people");
  const Dataset newpoor = read_scenario_dataset(s, "city_new_poor_people");
  const Dataset poor = read_scenario_dataset(s, "city_poor_end_people");
  const Dataset inc = read_scenario_dataset(s, "incidence");
  const Dataset spend = read_scenario_dataset(s, "city_spending_total");
  const Dataset exited = read_scenario_dataset(s, "county_exited");  // (replicate, year, county)
  const Dataset listed = read_scenario_dataset(s, "target/poverty_county");
  const std::size_t C = listed.values.size();
  out.values.assign(key_count, std::vector<double>(R, 0.0));
  for (std::size_t k = 0; k < R; ++k) {
    KeyResultInputs in;
    in.exit.assign(exit.values.begin() + k * Y, exit.values.begin() + (k + 1) * Y);
    in.reentry.assign(reentry.values.begin() + k * Y, reentry.values.begin() + (k + 1) * Y);
    in.new_poor.assign(newpoor.values.begin() + k * Y, newpoor.values.begin() + (k + 1) * Y);
    in.spending_yuan.assign(spend.values.begin() + k * Y, spend.values.begin() + (k + 1) * Y);
    in.poor_end = poor.values[k * Y + Y - 1];
    in.incidence_end = inc.values[k * Y + Y - 1];
    for (std::size_t c = 0; c < C; ++c) {
      in.county_exited.push_back(exited.values[(k * Y + Y - 1) * C + c] > 0);
      in.poverty_county.push_back(listed.values[c] > 0);
    }
    const std::vector<double> v = key_results(in);
    for (std::size_t j = 0; j < v.size(); ++j) out.values[j][k] = v[j];
  }
  return out;
}

Comparison compare_scenarios(const std::vector<ScenarioInFile>& scenarios, std::size_t baseline) {
  Comparison c;
  c.baseline = baseline;
  for (const auto& s : scenarios) c.scenarios.push_back(read_key_results(s));
  const ScenarioResults& b = c.scenarios[baseline];
  for (const auto& s : c.scenarios) {
    if (s.first_year != b.first_year || s.last_year != b.last_year)
      throw InputError("scenario '" + s.scenario.name + "' covers " + std::to_string(s.first_year) + "-" +
                       std::to_string(s.last_year) + ", the baseline '" + b.scenario.name + "' " +
                       std::to_string(b.first_year) + "-" + std::to_string(b.last_year) +
                       "; scenarios can be compared only over the same years");
    if (s.replicate_ids != b.replicate_ids) c.paired = false;
    if (s.scenario.population_hash != b.scenario.population_hash)
      c.warnings.push_back("scenario '" + s.scenario.name + "' ran on another population than the baseline '" +
                           b.scenario.name + "' (population hash " + s.scenario.population_hash + " vs " +
                           b.scenario.population_hash + "): differences include the population's");
    if (s.scenario.seed != b.scenario.seed)
      c.warnings.push_back("scenario '" + s.scenario.name + "' used seed " + std::to_string(s.scenario.seed) +
                           ", the baseline " + std::to_string(b.scenario.seed) +
                           ": they do not share their random numbers, so differences include chance");
  }
  if (!c.paired)
    c.warnings.push_back("the scenarios ran different replicates: differences are of means, not paired, and "
                         "their range is not given");
  for (const auto& s : c.scenarios) {
    std::vector<Statistics> v, d;
    for (int key = 0; key < key_count; ++key) {
      v.push_back(summarise(s.values[key]));
      if (c.paired) {
        std::vector<double> diff(s.values[key].size());
        for (std::size_t k = 0; k < diff.size(); ++k) diff[k] = s.values[key][k] - b.values[key][k];
        d.push_back(summarise(diff));
      } else {
        Statistics m;
        m.mean = m.p05 = m.p50 = m.p95 = summarise(s.values[key]).mean - summarise(b.values[key]).mean;
        d.push_back(m);
      }
    }
    c.value.push_back(v);
    c.difference.push_back(d);
  }
  return c;
}

namespace {

std::string fmt(double v, int digits) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(digits) << v;
  return o.str();
}

}  // namespace

void print_comparison(std::ostream& out, const Comparison& c) {
  const auto& info = key_result_info();
  const ScenarioResults& b = c.scenarios[c.baseline];
  out << "Scenarios compared with the baseline '" << b.scenario.name << "', " << b.first_year << "-" << b.last_year
      << ", " << b.replicates << " replicates: mean, and the "
      << (c.paired ? "paired difference (scenario minus baseline, replicate by replicate) with its 5%-95% range"
                   : "difference of means")
      << "\n";
  for (const auto& w : c.warnings) out << "warning: " << w << "\n";
  for (int key = 0; key < static_cast<int>(info.size()); ++key) {
    const int digits = info[key].units == "%" ? 1 : 0;
    out << "\n" << info[key].label << " (" << info[key].units << "; " << info[key].label_zh << ")\n";
    std::size_t width = 8;
    for (const auto& s : c.scenarios) width = std::max(width, s.scenario.name.size());
    for (std::size_t s = 0; s < c.scenarios.size(); ++s) {
      out << "  " << std::left << std::setw(static_cast<int>(width)) << c.scenarios[s].scenario.name << std::right
          << std::setw(14) << fmt(c.value[s][key].mean, digits);
      if (s == c.baseline) {
        out << "   (baseline)\n";
        continue;
      }
      const Statistics& d = c.difference[s][key];
      out << "   " << (d.mean >= 0 ? "+" : "") << fmt(d.mean, digits);
      if (c.paired) out << " [" << fmt(d.p05, digits) << " to " << fmt(d.p95, digits) << "]";
      out << "\n";
    }
  }
}

}  // namespace tuopin
