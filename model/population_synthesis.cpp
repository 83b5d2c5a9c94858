#include "population_synthesis.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "exit_assessment.h"
#include "month_kernels.h"
#include "random.h"

namespace tuopin {

std::vector<std::size_t> largest_remainder(std::size_t total, const std::vector<double>& weights) {
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<std::size_t> out(weights.size(), 0);
  if (weights.empty() || sum <= 0) return out;
  std::vector<std::pair<double, std::size_t>> remainders;
  std::size_t assigned = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = static_cast<double>(total) * weights[i] / sum;
    out[i] = static_cast<std::size_t>(std::floor(exact));
    assigned += out[i];
    remainders.emplace_back(exact - std::floor(exact), i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; assigned < total && k < remainders.size(); ++k, ++assigned)
    ++out[remainders[k].second];
  return out;
}

double SynthesisTarget::relative_error() const {
  if (lower_bound) return achieved >= target ? 0.0 : (target - achieved) / target;
  if (target == 0) return achieved == 0 ? 0.0 : 1.0;
  return std::fabs(achieved - target) / std::fabs(target);
}

double SynthesisReport::max_relative_error() const {
  double m = 0;
  for (const auto& t : targets) m = std::max(m, t.relative_error());
  return m;
}

namespace {

// The registry (建档立卡) was created in 2014 (calibration: registered_poor_people, 2014).
constexpr int registry_creation_year = 2014;

enum Group : int { group_poor = 0, group_exited = 1, group_near_poor = 2, group_count = 3 };

// Synthesis draws: period = attribute, so each attribute has its own numbers.
enum SynthesisDraw : std::uint32_t {
  draw_village = 0, draw_cause = 1, draw_members = 3, draw_flags = 4, draw_land_income = 5,
  draw_housing = 6, draw_registry_measure = 7,
  draw_village_attributes = 100,  // entity = village index
};

// Land and incomes are computed first from the nearly exact normals and exponentials of
// approximate_normals, approximate_index_normals (the rejections' further draws, eight at a
// time) and approximate_exponentials (month_kernels.h; on x86-64-v3, libmvec's vectorised
// log, cos and exp): each normal within 1e-14 of exact and each exponential within
// a relative 1e-15 (libmvec's 4 ulp; tests/model/test_month_kernels.cpp). An exponential of
// a x normal (a: a log sd, at most `largest` in size) is then within a relative
// largest x 1e-14 + 1e-15 of exact, and exp(e d z) stands for pow(exp(d z), e) within
// e x 3 x 2^-53 plus pow's own rounding, less than 1e-15 more for e <= 2. A number derived
// from them (three such factors at most, and a few roundings) is within a relative
//   bound = 4 (largest x 1e-14 + 1e-15)
// of the exact computation's. Each comparison they enter and each rounding to float is
// checked against tolerance = 100 x bound, a margin of 100 (2.8e-12 with the default log sds,
// whose largest is 0.6); where one could go the other way, the household's land and incomes
// are computed again with the exact functions (0.03-0.04% of households with the defaults).
// So the population is the same bit for bit. A log sd above max_approximated_coefficient (the
// parameters' ranges stop at 10) is computed exactly throughout.
constexpr double max_approximated_coefficient = 10.0;
std::atomic<double> approximation_perturbation{0.0};  // perturb_synthesis_approximations

// a and b (one of them from the approximations) are far enough apart that the exact numbers
// compare the same way.
bool clear_of(double a, double b, double tolerance) {
  return std::isfinite(a) && std::isfinite(b) && std::abs(a - b) > tolerance * std::max(std::abs(a), std::abs(b));
}

// x (from the approximations) rounds to the same float as the exact number.
bool rounds_alike(double x, double tolerance) {
  return std::isfinite(x) && static_cast<float>(x * (1.0 - tolerance)) == static_cast<float>(x * (1.0 + tolerance));
}

// The line of the registry's last verification before the window: the year before the
// first, or the first year's when the scenario gives no line for it.
double registry_line_before(const Scenario& s) {
  for (std::size_t k = 0; k < s.line_years.size(); ++k)
    if (s.line_years[k] == s.first_year - 1) return s.line_yuan[k];
  return s.poverty_line(s.first_year);
}

template <std::size_t N>
std::vector<double> normalised(const std::array<double, N>& a) {
  std::vector<double> v(a.begin(), a.end());
  const double s = std::accumulate(v.begin(), v.end(), 0.0);
  for (double& x : v) x /= s;
  return v;
}
std::vector<double> normalised(std::vector<double> v) {
  const double s = std::accumulate(v.begin(), v.end(), 0.0);
  for (double& x : v) x /= s;
  return v;
}

double mean_household_size(const Scenario& s) {
  const auto shares = normalised(s.population.household_size_shares);
  double mean = 0;
  for (std::size_t k = 0; k < shares.size(); ++k) mean += static_cast<double>(k + 1) * shares[k];
  return mean;
}

// Labour capacity shares given the main cause: none, weak, and the rest normal.
std::array<double, labour_capacity_count> labour_given_cause(const Scenario& s, int cause) {
  const double none = s.population.labour_none_by_cause[cause];
  const double weak = s.population.labour_weak_by_cause[cause];
  return {1.0 - none - weak, weak, none};  // LabourCapacity order: normal, weak, none
}

void synthesise_villages(const Scenario& s, const RandomKey& key, Villages& villages,
                         std::vector<std::size_t>& village_start) {
  std::size_t total = 0;
  for (const auto& c : s.counties) total += static_cast<std::size_t>(c.villages);
  villages.resize(total);
  village_start.clear();
  std::size_t v = 0;
  for (std::size_t c = 0; c < s.counties.size(); ++c) {
    village_start.push_back(v);
    for (int i = 0; i < s.counties[c].villages; ++i, ++v) {
      const bool poor = i < s.counties[c].poor_villages;
      const int k = poor ? 0 : 1;
      const Draw4 d = draw(key, static_cast<std::uint32_t>(v), Stream::synthesis, draw_village_attributes);
      const Draw4 e = draw(key, static_cast<std::uint32_t>(v), Stream::synthesis, draw_village_attributes, 1);
      villages.county[v] = static_cast<CountyIndex>(c);
      villages.poor[v] = poor ? 1 : 0;
      villages.remoteness[v] = static_cast<std::uint8_t>(
          categorical(poor ? s.remoteness_poor_villages : s.remoteness_other_villages, to_unit(d.v[0])));
      villages.road[v] = to_unit(d.v[1]) < s.road_access[k];
      villages.water[v] = to_unit(d.v[2]) < s.safe_water[k];
      // Collective income: none for an empty-shell village, else log-normal.
      villages.collective_income[v] =
          to_unit(d.v[3]) < s.empty_shell_share[k]
              ? 0.0f
              : static_cast<float>(s.collective_income_median[k] *
                                   std::exp(s.collective_income_dispersion * to_normal(e.v[0], e.v[1])));
    }
  }
}

// The fitted joint table of households: dims (group, county, cause, labour, size).
struct JointTable {
  Table table;
  IpfResult ipf;
};

JointTable fit_joint_table(const Scenario& s, const std::array<double, group_count>& households) {
  const int C = static_cast<int>(s.counties.size());
  const int S = static_cast<int>(s.population.household_size_shares.size());
  JointTable jt{Table({group_count, C, cause_count, labour_capacity_count, S}), {}};
  Table& t = jt.table;
  // Seed: households without labour are more often of one or two members.
  for (std::size_t cell = 0; cell < t.cells(); ++cell) {
    const bool none = t.coordinate(cell, 3) == static_cast<int>(LabourCapacity::none);
    const bool small = t.coordinate(cell, 4) < 2;
    t.values[static_cast<Eigen::Index>(cell)] = none && small ? s.population.labour_none_small_household_odds : 1.0;
  }
  std::vector<double> weights;
  for (const auto& c : s.counties) weights.push_back(c.weight);
  weights = normalised(weights);
  const auto sizes = normalised(s.population.household_size_shares);
  const auto causes = normalised(s.population.cause_shares);

  Margin by_county{{0, 1}, Eigen::ArrayXd(group_count * C)};
  Margin by_size{{0, 4}, Eigen::ArrayXd(group_count * S)};
  Margin by_cause_labour{{0, 2, 3}, Eigen::ArrayXd(group_count * cause_count * labour_capacity_count)};
  for (int g = 0; g < group_count; ++g) {
    for (int c = 0; c < C; ++c) by_county.target[g * C + c] = households[g] * weights[c];
    for (int k = 0; k < S; ++k) by_size.target[g * S + k] = households[g] * sizes[k];
    for (int k = 0; k < cause_count; ++k) {
      const auto labour = labour_given_cause(s, k);
      for (int l = 0; l < labour_capacity_count; ++l)
        by_cause_labour.target[(g * cause_count + k) * labour_capacity_count + l] = households[g] * causes[k] * labour[l];
    }
  }
  jt.ipf = fit(t, {by_county, by_size, by_cause_labour}, 1e-10, 2000);
  return jt;
}

// A leaf of the integerised table: `count` households of one (group, county, cause, labour, size).
struct Cell {
  std::uint8_t group;
  CountyIndex county;
  std::uint8_t cause, labour, size;
  std::size_t count;
  std::size_t first;  // index of its first household
};

// Integer households per table cell. Largest-remainder rounding down the hierarchy group >
// county > cause > labour > size makes every group and county total exact; rounding small
// counts that way favours the larger categories, so the cause x labour and size margins are
// then repaired (repair_margin) to their own rounded targets.
std::vector<std::size_t> round_hierarchically(const Table& t, const std::array<std::size_t, group_count>& households) {
  // Level d splits each integer total over dimensions 0..d-1 among the cells of dimension d, by
  // the fitted totals over dimensions 0..d (row-major: parent * width + child).
  std::vector<std::size_t> counts(households.begin(), households.end());
  for (int d = 1; d < static_cast<int>(t.sizes().size()); ++d) {
    std::vector<int> dims(static_cast<std::size_t>(d) + 1);
    std::iota(dims.begin(), dims.end(), 0);
    const Eigen::ArrayXd fitted = t.marginal(dims);
    const auto width = static_cast<std::size_t>(t.sizes()[d]);
    std::vector<std::size_t> next(counts.size() * width);
    for (std::size_t parent = 0; parent < counts.size(); ++parent) {
      const double* w = fitted.data() + parent * width;
      const auto parts = largest_remainder(counts[parent], std::vector<double>(w, w + width));
      std::copy(parts.begin(), parts.end(), next.begin() + static_cast<std::ptrdiff_t>(parent * width));
    }
    counts = std::move(next);
  }
  return counts;
}

// Moves households, one at a time, between cells that differ only in the `moving` dimensions
// of the table, until the integer totals of each group over those dimensions reach their own
// largest-remainder rounding of the fitted totals. A move keeps every total over the other
// dimensions, so the county totals stay exact. Each move goes from the cell most over its
// fitted value to the cell most under it, among the pairs that fix the largest surplus and
// deficit.
void repair_margin(const Table& t, std::vector<std::size_t>& n, const std::vector<int>& moving) {
  const auto& sizes = t.sizes();
  std::vector<int> fixed;
  for (int d = 1; d < static_cast<int>(sizes.size()); ++d)
    if (std::find(moving.begin(), moving.end(), d) == moving.end()) fixed.push_back(d);
  auto count_of = [&](const std::vector<int>& dims) {
    int m = 1;
    for (int d : dims) m *= sizes[d];
    return m;
  };
  const int M = count_of(moving), P = count_of(fixed);
  // The cell of group g, parent p (coordinates over `fixed`) and margin cell m (over `moving`).
  auto cell = [&](int g, int p, int m) {
    std::vector<int> coord(sizes.size(), 0);
    coord[0] = g;
    for (int k = static_cast<int>(fixed.size()) - 1; k >= 0; --k) {
      coord[fixed[k]] = p % sizes[fixed[k]];
      p /= sizes[fixed[k]];
    }
    for (int k = static_cast<int>(moving.size()) - 1; k >= 0; --k) {
      coord[moving[k]] = m % sizes[moving[k]];
      m /= sizes[moving[k]];
    }
    return t.index(coord);
  };
  for (int g = 0; g < sizes[0]; ++g) {
    std::vector<double> fitted(M, 0.0);
    std::vector<long> current(M, 0);
    std::size_t total = 0;
    for (int p = 0; p < P; ++p)
      for (int m = 0; m < M; ++m) {
        const std::size_t i = cell(g, p, m);
        fitted[m] += t.values[static_cast<Eigen::Index>(i)];
        current[m] += static_cast<long>(n[i]);
        total += n[i];
      }
    const auto target = largest_remainder(total, fitted);
    for (;;) {
      int plus = -1, minus = -1;
      long most = 0, least = 0;
      for (int m = 0; m < M; ++m) {
        const long gap = current[m] - static_cast<long>(target[m]);
        if (gap > most) most = gap, plus = m;
        if (gap < least) least = gap, minus = m;
      }
      if (plus < 0 || minus < 0) break;
      std::size_t from = 0, to = 0;
      double best = -1e300;
      for (int p = 0; p < P; ++p) {
        const std::size_t a = cell(g, p, plus), b = cell(g, p, minus);
        if (n[a] == 0) continue;
        const double score = (static_cast<double>(n[a]) - t.values[static_cast<Eigen::Index>(a)]) -
                             (static_cast<double>(n[b]) - t.values[static_cast<Eigen::Index>(b)]);
        if (score > best) best = score, from = a, to = b;
      }
      if (best == -1e300) break;  // no household to move: leave the rest
      --n[from];
      ++n[to];
      --current[plus];
      ++current[minus];
    }
  }
}

// The leaves with households, ordered county first (villages of a county stay together in memory).
std::vector<Cell> integerise(const Scenario& s, const Table& t, const std::array<std::size_t, group_count>& households) {
  std::vector<std::size_t> n = round_hierarchically(t, households);
  repair_margin(t, n, {2, 3});  // cause x labour
  repair_margin(t, n, {4});     // size
  const int C = static_cast<int>(s.counties.size());
  const int S = static_cast<int>(s.population.household_size_shares.size());
  std::vector<Cell> cells;
  std::size_t next = 0;
  for (int c = 0; c < C; ++c)
    for (int g = 0; g < group_count; ++g)
      for (int k = 0; k < cause_count; ++k)
        for (int l = 0; l < labour_capacity_count; ++l)
          for (int z = 0; z < S; ++z) {
            const std::size_t count = n[t.index({g, c, k, l, z})];
            if (count == 0) continue;
            cells.push_back({static_cast<std::uint8_t>(g), static_cast<CountyIndex>(c), static_cast<std::uint8_t>(k),
                             static_cast<std::uint8_t>(l), static_cast<std::uint8_t>(z + 1), count, next});
            next += count;
          }
  return cells;
}

// Exact member totals by age band for `households` households of `size` members whose labour
// class has `shares`: every household has an adult (16+), so one member per household comes
// from the adult bands (in their shares' proportion) and the others from every band, such that
// the class total meets the shares wherever that leaves an adult for each household (a
// one-person household is always an adult).
struct AgeTotals {
  std::array<std::size_t, age_band_count> head{};   // one per household, adults only
  std::array<std::size_t, age_band_count> other{};  // the remaining members
};

AgeTotals age_totals(const Shares<age_band_count>& shares, std::size_t households, int size) {
  AgeTotals out;
  const std::size_t slots = households * static_cast<std::size_t>(size);
  auto total = largest_remainder(slots, std::vector<double>(shares.begin(), shares.end()));
  std::size_t adults = total[2] + total[3];
  if (adults < households) {
    // Too few adults for one per household (always so for one-person households): the class
    // takes adults for its heads, children only among the other members.
    const std::size_t children = slots - households;
    const auto kids = largest_remainder(std::min(children, total[0] + total[1]), {shares[0], shares[1]});
    const auto grown = largest_remainder(slots - kids[0] - kids[1], {shares[2], shares[3]});
    total = {kids[0], kids[1], grown[0], grown[1]};
    adults = total[2] + total[3];
  }
  const auto heads = largest_remainder(households, {static_cast<double>(total[2]), static_cast<double>(total[3])});
  out.head = {0, 0, heads[0], heads[1]};
  for (int b = 0; b < age_band_count; ++b) out.other[b] = total[b] - out.head[b];
  return out;
}

// Members by age band: per (labour, size) class, the exact totals of age_totals dealt to its
// households one member at a time (the first from the adult pool), each member drawn from the
// bands still left in proportion to what is left.
void deal_age_bands(const Scenario& s, const RandomKey& key, const std::vector<Cell>& cells, Households& h) {
  const int S = static_cast<int>(s.population.household_size_shares.size());
  tbb::parallel_for(tbb::blocked_range<int>(0, labour_capacity_count * S, 1), [&](const auto& range) {
    for (int cls = range.begin(); cls != range.end(); ++cls) {
      const int l = cls / S;
      const int size = cls % S + 1;
      std::size_t households = 0;
      for (const Cell& cell : cells)
        if (cell.labour == l && cell.size == size) households += cell.count;
      if (households == 0) continue;
      AgeTotals left = age_totals(s.population.age_shares[l], households, size);
      std::size_t heads_left = households, others_left = households * static_cast<std::size_t>(size - 1);
      auto take = [](std::array<std::size_t, age_band_count>& pool, std::size_t& remaining, double u) {
        auto pick = static_cast<std::size_t>(u * static_cast<double>(remaining));
        int b = 0;
        while (pick >= pool[b]) pick -= pool[b++];
        --pool[b];
        --remaining;
        return b;
      };
      for (const Cell& cell : cells) {
        if (cell.labour != l || cell.size != size) continue;
        for (std::size_t i = cell.first; i < cell.first + cell.count; ++i) {
          std::array<std::uint8_t, age_band_count> bands{};
          Draw4 d{};
          for (int m = 0; m < size; ++m) {
            if (m % 4 == 0)  // a draw gives four members' words
              d = draw(key, static_cast<std::uint32_t>(i), Stream::synthesis, draw_members, static_cast<std::uint32_t>(m / 4));
            const double u = to_unit(d.v[m % 4]);
            ++bands[m == 0 ? take(left.head, heads_left, u) : take(left.other, others_left, u)];
          }
          for (int b = 0; b < age_band_count; ++b) h.members[b][i] = bands[b];
        }
      }
    }
  });
}

}  // namespace

Population synthesise_population(const Scenario& s, const SynthesisOptions& options, SynthesisReport* report) {
  const auto& p = s.population;
  Population pop;
  const RandomKey key = synthesis_key(s.seed);
  std::vector<std::size_t> village_start;
  synthesise_villages(s, key, pop.villages, village_start);

  // Households per group: people / mean size, or the requested total split by people.
  const double mean_size = mean_household_size(s);
  const std::array<double, group_count> people = {p.poor_people, p.exited_people, p.near_poor_people};
  double default_households = 0;
  for (double n : people) default_households += n / mean_size;
  std::array<std::size_t, group_count> households{};
  if (options.households > 0) {
    const auto split = largest_remainder(options.households, {people[0], people[1], people[2]});
    std::copy(split.begin(), split.end(), households.begin());
  } else {
    for (int g = 0; g < group_count; ++g)
      households[g] = static_cast<std::size_t>(std::llround(people[g] / mean_size));
  }
  const std::size_t n = households[0] + households[1] + households[2];
  const double scale = options.households > 0 && default_households > 0
                           ? static_cast<double>(n) / default_households : 1.0;
  pop.scale = scale;

  std::array<double, group_count> exact{};
  for (int g = 0; g < group_count; ++g) exact[g] = static_cast<double>(households[g]);
  const JointTable joint = fit_joint_table(s, exact);
  const std::vector<Cell> cells = integerise(s, joint.table, households);

  Households& h = pop.households;
  h.resize(n);
  deal_age_bands(s, key, cells, h);

  const double line0 = s.poverty_line(s.first_year);
  const double registry_line = registry_line_before(s);
  const double median_ratio[group_count] = {s.income.median_ratio_poor, s.income.median_ratio_exited,
                                            s.income.median_ratio_near_poor};
  const double survey_sd = s.assessment.survey_error_sd;
  const double largest = std::max({std::abs(p.land_dispersion), std::abs(s.income.land_elasticity * p.land_dispersion),
                                   std::abs(s.income.dispersion), std::abs(survey_sd)});
  const bool approximate = largest <= max_approximated_coefficient;
  const double tolerance = 100.0 * 4.0 * (largest * 1e-14 + 1e-15);
  const double perturbation = approximation_perturbation.load();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cells.size()), [&](const auto& range) {
    for (std::size_t ci = range.begin(); ci != range.end(); ++ci) {
      const Cell& cell = cells[ci];
      const std::size_t c = cell.county;
      const auto& county = s.counties[c];
      const int g = cell.group;
      const bool registered = g != group_near_poor;
      const auto labour = static_cast<LabourCapacity>(cell.labour);
      const int main = cell.cause;
      // Each household's first draw of each kind (index 0), computed for up to 256 households
      // at a time (month_kernels.h, block_draws): word q of household i0 + j's draw of kind
      // batched[t] in words[t][q][j]. Later draws of a rejection (index >= 1) one at a time.
      const bool measured_below = g == group_poor && p.poor_measured_below_line;
      constexpr std::size_t chunk = 256;
      constexpr SynthesisDraw batched[] = {draw_village, draw_cause, draw_flags, draw_land_income, draw_housing,
                                           draw_registry_measure};
      constexpr int kinds = static_cast<int>(std::size(batched));
      constexpr int land_income = 3, registry_measure = 5;  // their places in batched
      static_assert(batched[land_income] == draw_land_income && batched[registry_measure] == draw_registry_measure);
      alignas(64) std::uint32_t words[kinds][4][chunk];
      for (std::size_t i0 = cell.first; i0 < cell.first + cell.count; i0 += chunk) {
        const std::size_t m = std::min(chunk, cell.first + cell.count - i0);
        for (int t = 0; t < kinds; ++t) {
          if (batched[t] == draw_registry_measure && !measured_below) continue;
          std::uint32_t* const w[4] = {words[t][0], words[t][1], words[t][2], words[t][3]};
          block_draws(key, static_cast<std::uint32_t>(i0), m, Stream::synthesis, batched[t], w);
        }
        // The first draw's land ratio exp(d z), land power exp(e d z) (for pow(land ratio, e)),
        // income ratio and registry survey factor, nearly exact (max_approximated_coefficient).
        alignas(64) double land_ratio[chunk], land_power[chunk], income_ratio[chunk], survey[chunk];
        if (approximate) {
          alignas(64) double z[chunk], x[chunk];
          auto exponentials = [&](double a, double b, double* y) {
            for (std::size_t j = 0; j < m; ++j) x[j] = a * z[j] + b;
            approximate_exponentials(x, m, y);
            if (perturbation != 0.0)
              for (std::size_t j = 0; j < m; ++j) y[j] *= 1.0 + perturbation;
          };
          approximate_normals(words[land_income][0], words[land_income][1], m, z);
          exponentials(p.land_dispersion, 0.0, land_ratio);
          exponentials(s.income.land_elasticity * p.land_dispersion, 0.0, land_power);
          approximate_normals(words[land_income][2], words[land_income][3], m, z);
          exponentials(s.income.dispersion, 0.0, income_ratio);
          if (measured_below) {
            approximate_normals(words[registry_measure][0], words[registry_measure][1], m, z);
            exponentials(survey_sd, -0.5 * survey_sd * survey_sd, survey);
          }
        }
        for (std::size_t i = i0; i < i0 + m; ++i) {
          const auto id = static_cast<std::uint32_t>(i);
          auto d = [&](SynthesisDraw what, std::uint32_t index = 0) {
            if (index == 0)
              for (int t = 0; t < kinds; ++t)
                if (batched[t] == what) {
                  const std::size_t j = i - i0;
                  return Draw4{{words[t][0][j], words[t][1][j], words[t][2][j], words[t][3][j]}};
                }
            return draw(key, id, Stream::synthesis, what, index);
          };
          h.county[i] = cell.county;
          h.size[i] = cell.size;
          h.labour[i] = labour;
          h.cause_main[i] = static_cast<Cause>(main);

          // Village: registered households (poor, and exited before the window) live in a poor
          // village with probability poor_in_poor_villages; near-poor ones anywhere in the county.
          {
            const Draw4 r = d(draw_village);
            const auto poor_v = static_cast<std::size_t>(county.poor_villages);
            const auto all_v = static_cast<std::size_t>(county.villages);
            const auto other_v = all_v - poor_v;
            std::size_t offset;
            if (registered && poor_v > 0 && (other_v == 0 || to_unit(r.v[0]) < p.poor_in_poor_villages)) {
              offset = static_cast<std::size_t>(to_unit(r.v[1]) * static_cast<double>(poor_v));
            } else if (registered && other_v > 0) {
              offset = poor_v + static_cast<std::size_t>(to_unit(r.v[1]) * static_cast<double>(other_v));
            } else {
              offset = static_cast<std::size_t>(to_unit(r.v[1]) * static_cast<double>(all_v));
            }
            h.village[i] = static_cast<std::uint32_t>(village_start[c] + std::min(offset, all_v - 1));
          }

          // Secondary cause, from the other causes' shares.
          const Draw4 rc = d(draw_cause);
          h.cause_secondary[i] = no_cause;
          if (to_unit(rc.v[1]) < p.secondary_cause_rate) {
            Shares<cause_count> rest = p.cause_shares;
            const double total = std::accumulate(rest.begin(), rest.end(), 0.0) - rest[main];
            rest[main] = 0;
            if (total > 0) {
              for (double& x : rest) x /= total;
              h.cause_secondary[i] = static_cast<std::uint8_t>(categorical(rest, to_unit(rc.v[2])));
            }
          }
          auto has_cause = [&](Cause cause) {
            return h.cause_main[i] == cause || h.cause_secondary[i] == static_cast<std::uint8_t>(cause);
          };

          // Disability, illness, 低保 and 五保.
          const Draw4 rf = d(draw_flags);
          std::uint8_t flags = 0;
          if (has_cause(Cause::disability) || to_unit(rf.v[0]) < p.disability_rate) flags |= household_flag::disability;
          if (has_cause(Cause::illness) || to_unit(rf.v[1]) < p.chronic_illness_rate) flags |= household_flag::chronic_illness;
          if (registered) {
            const bool wubao_eligible = cell.size == 1 && labour == LabourCapacity::none && h.members[3][i] == 1;
            if (wubao_eligible && to_unit(rf.v[2]) < p.wubao_rate)
              flags |= household_flag::wubao;
            else if (to_unit(rf.v[3]) < p.dibao_rate_by_labour[static_cast<int>(labour)])
              flags |= household_flag::dibao;
          }
          h.flags[i] = flags;

          // Land, and expected income by source: a log-normal per-capita total split by the
          // labour class's source shares, wages scaled by remoteness and operating income by land.
          // First from the block's nearly exact ratios (`approximated`), checking every
          // comparison and rounding to float; where one is in doubt, again with the exact
          // functions (see max_approximated_coefficient).
          const std::size_t j = i - i0;
          auto land_and_incomes = [&](bool approximated) {
            bool certain = true;
            auto less = [&](double a, double b) {
              if (approximated && !clear_of(a, b, tolerance)) certain = false;
              return a < b;
            };
            auto at_least = [&](double a, double b) {
              if (approximated && !clear_of(a, b, tolerance)) certain = false;
              return a >= b;
            };
            auto to_float = [&](double x) {
              if (approximated && !rounds_alike(x, tolerance)) certain = false;
              return static_cast<float>(x);
            };
            // The rejections' further draws (index k >= 1), approximated eight indices at a
            // time: exp(a z + b) of draw k of `kind`.
            struct Batch {
              std::uint32_t first = 0;  // 0: none yet
              double value[8];
            };
            Batch income_batch, survey_batch;
            auto further = [&](Batch& batch, SynthesisDraw kind, double a, double b, std::uint32_t k) {
              if (batch.first == 0 || k < batch.first || k >= batch.first + 8) {
                alignas(32) double z[8], x[8];
                approximate_index_normals(key, id, Stream::synthesis, kind, k, 8, z);
                for (int q = 0; q < 8; ++q) x[q] = a * z[q] + b;
                approximate_exponentials(x, 8, batch.value);
                if (perturbation != 0.0)
                  for (double& v : batch.value) v *= 1.0 + perturbation;
                batch.first = k;
              }
              return batch.value[k - batch.first];
            };
            auto income_ratio_at = [&](std::uint32_t k) {  // k >= 1
              if (approximated) return further(income_batch, draw_land_income, s.income.dispersion, 0.0, k);
              const Draw4 rr = d(draw_land_income, k);
              return std::exp(s.income.dispersion * to_normal(rr.v[0], rr.v[1]));
            };
            const Draw4 ri = d(draw_land_income);
            const double land_pc =
                p.land_per_person *
                (approximated ? land_ratio[j] : std::exp(p.land_dispersion * to_normal(ri.v[0], ri.v[1])));
            const auto& shares = s.income.source_shares[static_cast<int>(labour)];
            const int remoteness = pop.villages.remoteness[h.village[i]];
            const double land_factor =
                p.land_per_person > 0
                    ? (approximated ? land_power[j] : std::pow(land_pc / p.land_per_person, s.income.land_elasticity))
                    : 1.0;
            const double factor[income_source_count] = {shares[0] * s.income.remoteness_wage_factor[remoteness],
                                                        shares[1] * land_factor, shares[2], shares[3]};
            const double factor_sum = factor[0] + factor[1] + factor[2] + factor[3];
            double income_pc =
                median_ratio[g] * line0 *
                (approximated ? income_ratio[j] : std::exp(s.income.dispersion * to_normal(ri.v[2], ri.v[3])));
            // Exited and near-poor households were above the line when last seen (at exit, or by
            // not being registered): their expected income is drawn above it (rejection with
            // further draws of the same stream; after 64 misses, exactly the line).
            for (std::uint32_t k = 1; g != group_poor && less(income_pc * factor_sum, line0); ++k) {
              if (k > 64) {
                income_pc = factor_sum > 0 ? line0 / factor_sum : line0;
                break;
              }
              income_pc = median_ratio[g] * line0 * income_ratio_at(k);
            }
            // Registered poor households were listed by the registry's own measure at the last
            // verification before the window: expected income with 低保 / 五保 benefits, times the
            // survey error, below that year's line (rejection with further draws; after 64 misses,
            // 95% of the room the benefits leave below the line, none when they alone reach it).
            if (measured_below) {
              const double benefit_pc = (flags & household_flag::wubao)   ? s.income.wubao_benefit
                                        : (flags & household_flag::dibao) ? s.income.dibao_benefit
                                                                          : 0.0;
              auto survey_factor_at = [&](std::uint32_t k) {
                if (approximated)
                  return k == 0 ? survey[j]
                                : further(survey_batch, draw_registry_measure, survey_sd, -0.5 * survey_sd * survey_sd, k);
                const Draw4 e = d(draw_registry_measure, k);
                return survey_factor(survey_sd, to_normal(e.v[0], e.v[1]));
              };
              auto measured = [&](std::uint32_t k) {
                return (income_pc * factor_sum + benefit_pc) * survey_factor_at(k);
              };
              for (std::uint32_t k = 1; at_least(measured(k - 1), registry_line); ++k) {
                if (k > 64) {
                  income_pc = factor_sum > 0 ? 0.95 * std::max(0.0, registry_line - benefit_pc) / factor_sum : 0.0;
                  break;
                }
                income_pc = median_ratio[g] * line0 * income_ratio_at(k);
              }
            }
            h.land[i] = to_float(land_pc * cell.size);
            for (int src = 0; src < income_source_count; ++src)
              h.base_income[src][i] = to_float(income_pc * cell.size * factor[src]);
            return certain;
          };
          if (!approximate || !land_and_incomes(true)) land_and_incomes(false);

          // Housing and registry status.
          const double uh = to_unit(d(draw_housing).v[0]);
          h.housing0[i] = static_cast<HousingSafety>(categorical(g == group_poor ? p.housing_shares_poor : p.housing_shares_other, uh));
          h.status0[i] = g == group_poor ? RegistryStatus::poor : g == group_exited ? RegistryStatus::exited : RegistryStatus::near_poor;
          h.entry_year[i] = registered ? static_cast<std::int16_t>(std::min(s.first_year, registry_creation_year))
                                       : std::int16_t{0};
        }
      }
    }
  });

  if (report) {
    report->ipf = joint.ipf;
    report->targets = synthesis_targets(s, pop, scale);
  }
  return pop;
}

namespace {
template <typename T>
void hash_column(std::uint64_t& h, const std::vector<T>& column) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(column.data());
  const std::size_t n = column.size() * sizeof(T);
  for (std::size_t k = 0; k < n; ++k) {
    h ^= bytes[k];
    h *= 1099511628211ull;
  }
  h ^= n;  // the length too: columns are concatenated
  h *= 1099511628211ull;
}
// County indices hash as one byte each while every index fits (as before they were widened
// to 16 bits, so a population's hash is the same as in files written then), two beyond 255.
void hash_counties(std::uint64_t& h, const std::vector<CountyIndex>& column) {
  if (std::all_of(column.begin(), column.end(), [](CountyIndex c) { return c < 256; })) {
    hash_column(h, std::vector<std::uint8_t>(column.begin(), column.end()));
  } else {
    hash_column(h, column);
  }
}
}  // namespace

void perturb_synthesis_approximations(double relative) { approximation_perturbation.store(relative); }

std::uint64_t population_hash(const Population& pop) {
  std::uint64_t h = 1469598103934665603ull;
  const Households& x = pop.households;
  hash_counties(h, x.county);
  hash_column(h, x.village);
  hash_column(h, x.size);
  for (const auto& m : x.members) hash_column(h, m);
  hash_column(h, x.labour);
  hash_column(h, x.flags);
  hash_column(h, x.cause_main);
  hash_column(h, x.cause_secondary);
  hash_column(h, x.land);
  for (const auto& b : x.base_income) hash_column(h, b);
  hash_column(h, x.status0);
  hash_column(h, x.housing0);
  hash_column(h, x.entry_year);
  const Villages& v = pop.villages;
  hash_counties(h, v.county);
  hash_column(h, v.poor);
  hash_column(h, v.remoteness);
  hash_column(h, v.road);
  hash_column(h, v.water);
  hash_column(h, v.collective_income);
  return h;
}

std::vector<SynthesisTarget> synthesis_targets(const Scenario& s, const Population& pop, double scale) {
  const Households& h = pop.households;
  const auto& p = s.population;
  std::array<double, registry_status_count> people{}, households{};
  std::vector<double> by_size(p.household_size_shares.size(), 0.0), by_county(s.counties.size(), 0.0);
  std::array<double, cause_count> by_cause{};
  std::array<double, labour_capacity_count> by_labour{};
  std::array<std::vector<std::size_t>, labour_capacity_count> households_by_class;
  for (auto& v : households_by_class) v.assign(p.household_size_shares.size(), 0);
  std::array<double, age_band_count> by_age{};
  double registered = 0, registered_people = 0;
  for (std::size_t i = 0; i < h.count(); ++i) {
    const int st = static_cast<int>(h.status0[i]);
    people[st] += h.size[i];
    households[st] += 1;
    by_size[h.size[i] - 1] += 1;
    by_county[h.county[i]] += 1;
    by_labour[static_cast<int>(h.labour[i])] += 1;
    ++households_by_class[static_cast<int>(h.labour[i])][h.size[i] - 1];
    for (int b = 0; b < age_band_count; ++b) by_age[b] += h.members[b][i];
    if (h.status0[i] != RegistryStatus::near_poor) {
      by_cause[static_cast<int>(h.cause_main[i])] += 1;
      registered += 1;
      registered_people += h.size[i];
    }
  }
  const double total = static_cast<double>(h.count());
  const double total_people = std::accumulate(people.begin(), people.end(), 0.0);
  std::vector<SynthesisTarget> t;
  const int poor = static_cast<int>(RegistryStatus::poor), exited = static_cast<int>(RegistryStatus::exited),
            near = static_cast<int>(RegistryStatus::near_poor);
  t.push_back({"registered poor people at the start", "persons", p.poor_people * scale, people[poor],
               "calibration: remaining_poor_people (2015)"});
  t.push_back({"registered people who exited before the start", "persons", p.exited_people * scale, people[exited],
               "derived: registered_poor_people 2014 - remaining_poor_people 2015"});
  t.push_back({"registered poor people ever (poor + exited)", "persons", (p.poor_people + p.exited_people) * scale,
               people[poor] + people[exited], "calibration: registered_poor_people (2014)"});
  t.push_back({"near-poor people", "persons", p.near_poor_people * scale, people[near], "assumed"});
  t.push_back({"poverty incidence at the start", "share", p.poor_people / p.rural_population,
               people[poor] / (p.rural_population * scale), "calibration: poverty_incidence (2015)"});
  t.push_back({"persons per registered household", "persons", 2.57, registered_people / registered,
               "calibration: persons_per_household (Anhui 2014, derived)"});
  double poor_villages_target = 0, poor_villages = 0;
  for (const auto& c : s.counties) poor_villages_target += c.poor_villages;
  for (std::size_t v = 0; v < pop.villages.count(); ++v) poor_villages += pop.villages.poor[v];
  t.push_back({"poor villages", "villages", poor_villages_target, poor_villages, "calibration: poor_villages (2016)"});
  const auto sizes = normalised(p.household_size_shares);
  for (std::size_t k = 0; k < sizes.size(); ++k)
    t.push_back({"households of " + std::to_string(k + 1) + " member" + (k ? "s" : ""), "share", sizes[k],
                 by_size[k] / total, "assumed (population.household_size_shares)"});
  double weight_sum = 0;
  for (const auto& c : s.counties) weight_sum += c.weight;
  for (std::size_t c = 0; c < s.counties.size(); ++c)
    t.push_back({"households in " + s.counties[c].name + " (" + s.counties[c].name_zh + ")", "share",
                 s.counties[c].weight / weight_sum, by_county[c] / total, "assumed (counties.weights)"});
  const auto causes = normalised(p.cause_shares);
  for (int k = 0; k < cause_count; ++k)
    t.push_back({"registered households by main cause: " + std::string(cause_names[k]) + " (" +
                     std::string(cause_names_zh[k]) + ")",
                 "share", causes[k], by_cause[k] / registered,
                 k == 0 ? "calibration: cause_illness_share (China 2015)" : "assumed (population.cause_shares)"});
  const int illness = static_cast<int>(Cause::illness), disability = static_cast<int>(Cause::disability),
            labour = static_cast<int>(Cause::lack_of_labour);
  SynthesisTarget bound{"illness + disability + lack of labour (lower bound)", "share", 0.6,
                        (by_cause[illness] + by_cause[disability] + by_cause[labour]) / registered,
                        "calibration: cause_illness_disability_labour_share (China 2016, > 60%)"};
  bound.lower_bound = true;
  t.push_back(bound);
  for (int l = 0; l < labour_capacity_count; ++l) {
    double target = 0;
    for (int k = 0; k < cause_count; ++k) target += causes[k] * labour_given_cause(s, k)[l];
    t.push_back({"households with " + std::string(labour_capacity_names[l]) + " labour capacity", "share", target,
                 by_labour[l] / total, "assumed (population.labour_*_by_cause over cause_shares)"});
  }
  // Age bands: the shares' totals per (labour, size) class, with an adult in every household.
  std::array<double, age_band_count> age_target{};
  for (int l = 0; l < labour_capacity_count; ++l)
    for (std::size_t z = 0; z < households_by_class[l].size(); ++z) {
      const auto a = age_totals(p.age_shares[l], households_by_class[l][z], static_cast<int>(z + 1));
      for (int b = 0; b < age_band_count; ++b) age_target[b] += static_cast<double>(a.head[b] + a.other[b]);
    }
  for (int b = 0; b < age_band_count; ++b)
    t.push_back({"people aged " + std::string(age_band_names[b]), "share", age_target[b] / total_people,
                 by_age[b] / total_people, "assumed (population.age_shares_*, an adult in every household)"});
  std::size_t without_adult = 0;
  for (std::size_t i = 0; i < h.count(); ++i) without_adult += h.members[2][i] + h.members[3][i] == 0;
  t.push_back({"households without a member aged 16+", "households", 0.0, static_cast<double>(without_adult),
               "rule: every household has an adult"});
  return t;
}

}  // namespace tuopin
