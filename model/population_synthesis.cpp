#include "population_synthesis.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

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

namespace {

enum class Group : std::uint8_t { poor = 0, exited = 1, near_poor = 2 };

// Synthesis draws: period = attribute, so each attribute has its own numbers.
enum SynthesisDraw : std::uint32_t {
  draw_village = 0, draw_cause = 1, draw_labour = 2, draw_members = 3, draw_flags = 4,
  draw_land_income = 5, draw_housing = 6,
  draw_village_attributes = 100,  // entity = village index
};

struct Cell {
  std::uint8_t county;
  Group group;
  std::uint8_t size;
  std::size_t count;
};

}  // namespace

Population synthesise_population(const Scenario& s, const SynthesisOptions& options) {
  const auto& p = s.population;
  Population pop;

  // Villages: per county, the first `poor_villages` are the registered poor villages.
  std::size_t village_total = 0;
  for (const auto& c : s.counties) village_total += static_cast<std::size_t>(c.villages);
  pop.villages.resize(village_total);
  std::vector<std::size_t> village_start;
  const RandomKey key = synthesis_key(s.seed);
  {
    std::size_t v = 0;
    for (std::size_t c = 0; c < s.counties.size(); ++c) {
      village_start.push_back(v);
      for (int i = 0; i < s.counties[c].villages; ++i, ++v) {
        const bool poor = i < s.counties[c].poor_villages;
        const Draw4 d = draw(key, static_cast<std::uint32_t>(v), Stream::synthesis,
                             draw_village_attributes);
        pop.villages.county[v] = static_cast<std::uint8_t>(c);
        pop.villages.poor[v] = poor ? 1 : 0;
        pop.villages.remoteness[v] = static_cast<std::uint8_t>(categorical(
            poor ? s.remoteness_poor_villages : s.remoteness_other_villages, to_unit(d.v[0])));
      }
    }
  }

  // Household counts by group, county and size (largest remainder at each level).
  const auto& size_shares = p.household_size_shares;
  double mean_size = 0;
  for (std::size_t k = 0; k < size_shares.size(); ++k) mean_size += static_cast<double>(k + 1) * size_shares[k];
  const double people[3] = {p.poor_people, p.exited_people, p.near_poor_people};
  double default_households = 0;
  for (double n : people) default_households += n / mean_size;
  const double scale = options.households > 0
                           ? static_cast<double>(options.households) / default_households
                           : 1.0;
  std::vector<std::size_t> group_households(3);
  if (options.households > 0) {
    group_households = largest_remainder(options.households, {people[0], people[1], people[2]});
  } else {
    for (int g = 0; g < 3; ++g)
      group_households[g] = static_cast<std::size_t>(std::llround(people[g] * scale / mean_size));
  }
  std::vector<double> county_weights;
  for (const auto& c : s.counties) county_weights.push_back(c.weight);

  std::vector<Cell> cells;
  std::vector<std::vector<std::size_t>> by_county(3);
  for (int g = 0; g < 3; ++g) by_county[g] = largest_remainder(group_households[g], county_weights);
  for (std::size_t c = 0; c < s.counties.size(); ++c)
    for (int g = 0; g < 3; ++g) {
      const auto by_size = largest_remainder(by_county[g][c], size_shares);
      for (std::size_t k = 0; k < by_size.size(); ++k)
        if (by_size[k] > 0)
          cells.push_back({static_cast<std::uint8_t>(c), static_cast<Group>(g),
                           static_cast<std::uint8_t>(k + 1), by_size[k]});
    }
  std::vector<std::size_t> cell_start(cells.size() + 1, 0);
  for (std::size_t i = 0; i < cells.size(); ++i) cell_start[i + 1] = cell_start[i] + cells[i].count;
  const std::size_t n = cell_start.back();

  Households& h = pop.households;
  h.resize(n);
  const double line0 = s.poverty_line(s.first_year);
  const double median_ratio[3] = {s.income.median_ratio_poor, s.income.median_ratio_exited,
                                  s.income.median_ratio_near_poor};

  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cells.size()), [&](const auto& range) {
    for (std::size_t ci = range.begin(); ci != range.end(); ++ci) {
      const Cell& cell = cells[ci];
      const std::size_t c = cell.county;
      const auto& county = s.counties[c];
      const int g = static_cast<int>(cell.group);
      for (std::size_t i = cell_start[ci]; i < cell_start[ci + 1]; ++i) {
        const auto id = static_cast<std::uint32_t>(i);
        auto d = [&](SynthesisDraw what, std::uint32_t index = 0) {
          return draw(key, id, Stream::synthesis, what, index);
        };
        h.county[i] = cell.county;
        h.size[i] = cell.size;
        const bool registered = cell.group != Group::near_poor;

        // Village: registered poor and exited households live in a poor village with
        // probability poor_in_poor_villages; near-poor households anywhere in the county.
        {
          const Draw4 r = d(draw_village);
          const auto poor_v = static_cast<std::size_t>(county.poor_villages);
          const auto all_v = static_cast<std::size_t>(county.villages);
          const auto other_v = all_v - poor_v;
          std::size_t offset;
          if (registered && poor_v > 0 &&
              (other_v == 0 || to_unit(r.v[0]) < p.poor_in_poor_villages)) {
            offset = static_cast<std::size_t>(to_unit(r.v[1]) * static_cast<double>(poor_v));
          } else if (registered && other_v > 0) {
            offset = poor_v + static_cast<std::size_t>(to_unit(r.v[1]) * static_cast<double>(other_v));
          } else {
            offset = static_cast<std::size_t>(to_unit(r.v[1]) * static_cast<double>(all_v));
          }
          h.village[i] = static_cast<std::uint32_t>(village_start[c] + std::min(offset, all_v - 1));
        }

        // Causes: main from cause_shares, secondary from the rest.
        const Draw4 rc = d(draw_cause);
        const int main = categorical(p.cause_shares, to_unit(rc.v[0]));
        h.cause_main[i] = static_cast<Cause>(main);
        h.cause_secondary[i] = no_cause;
        if (to_unit(rc.v[1]) < p.secondary_cause_rate) {
          Shares<cause_count> rest = p.cause_shares;
          const double total = 1.0 - rest[main];
          rest[main] = 0;
          if (total > 0) {
            for (double& x : rest) x /= total;
            h.cause_secondary[i] = static_cast<std::uint8_t>(categorical(rest, to_unit(rc.v[2])));
          }
        }
        auto has_cause = [&](Cause cause) {
          return h.cause_main[i] == cause || h.cause_secondary[i] == static_cast<std::uint8_t>(cause);
        };

        // Labour capacity by main cause.
        const double ul = to_unit(d(draw_labour).v[0]);
        const double none = p.labour_none_by_cause[main];
        const double weak = p.labour_weak_by_cause[main];
        const LabourCapacity labour = ul < none            ? LabourCapacity::none
                                      : ul < none + weak   ? LabourCapacity::weak
                                                           : LabourCapacity::normal;
        h.labour[i] = labour;

        // Members by age band; a household with normal labour has a member aged 16-59.
        std::array<std::uint8_t, age_band_count> bands{};
        const auto& age_shares = p.age_shares[static_cast<int>(labour)];
        for (std::uint32_t m = 0; m < cell.size; ++m) {
          const Draw4 r = d(draw_members, m / 4);
          ++bands[categorical(age_shares, to_unit(r.v[m % 4]))];
        }
        if (labour == LabourCapacity::normal && bands[2] == 0) {
          for (int b = 0; b < age_band_count; ++b)
            if (bands[b] > 0) {
              --bands[b];
              break;
            }
          ++bands[2];
        }
        for (int b = 0; b < age_band_count; ++b) h.members[b][i] = bands[b];

        // Disability, illness, 低保 and 五保.
        const Draw4 rf = d(draw_flags);
        std::uint8_t flags = 0;
        if (has_cause(Cause::disability) || to_unit(rf.v[0]) < p.disability_rate)
          flags |= household_flag::disability;
        if (has_cause(Cause::illness) || to_unit(rf.v[1]) < p.chronic_illness_rate)
          flags |= household_flag::chronic_illness;
        if (registered) {
          const bool wubao_eligible = cell.size == 1 && labour == LabourCapacity::none && bands[3] == 1;
          if (wubao_eligible && to_unit(rf.v[2]) < p.wubao_rate)
            flags |= household_flag::wubao;
          else if (to_unit(rf.v[3]) < p.dibao_rate_by_labour[static_cast<int>(labour)])
            flags |= household_flag::dibao;
        }
        h.flags[i] = flags;

        // Land and expected income by source.
        const Draw4 ri = d(draw_land_income);
        const double land_pc = p.land_per_person * std::exp(p.land_dispersion * to_normal(ri.v[0], ri.v[1]));
        h.land[i] = static_cast<float>(land_pc * cell.size);
        // Expected income by source: a log-normal per-capita total split by the labour
        // class's source shares, wages scaled by remoteness and operating income by land.
        const auto& shares = s.income.source_shares[static_cast<int>(labour)];
        const int remoteness = pop.villages.remoteness[h.village[i]];
        const double land_factor =
            p.land_per_person > 0 ? std::pow(land_pc / p.land_per_person, s.income.land_elasticity) : 1.0;
        const double factor[income_source_count] = {shares[0] * s.income.remoteness_wage_factor[remoteness],
                                                    shares[1] * land_factor, shares[2], shares[3]};
        const double factor_sum = factor[0] + factor[1] + factor[2] + factor[3];
        double income_pc = median_ratio[g] * line0 * std::exp(s.income.dispersion * to_normal(ri.v[2], ri.v[3]));
        // Exited and near-poor households were above the line when last seen (at exit, or by
        // not being registered): their expected income is drawn above it (rejection with
        // further draws of the same stream; after 64 misses, exactly the line).
        for (std::uint32_t k = 1; cell.group != Group::poor && income_pc * factor_sum < line0; ++k) {
          if (k > 64) {
            income_pc = factor_sum > 0 ? line0 / factor_sum : line0;
            break;
          }
          const Draw4 rr = d(draw_land_income, k);
          income_pc = median_ratio[g] * line0 * std::exp(s.income.dispersion * to_normal(rr.v[0], rr.v[1]));
        }
        for (int src = 0; src < income_source_count; ++src)
          h.base_income[src][i] = static_cast<float>(income_pc * cell.size * factor[src]);

        // Housing and registry status.
        const double uh = to_unit(d(draw_housing).v[0]);
        h.housing0[i] = static_cast<HousingSafety>(
            categorical(cell.group == Group::poor ? p.housing_shares_poor : p.housing_shares_other, uh));
        switch (cell.group) {
          case Group::poor:
            h.status0[i] = RegistryStatus::poor;
            h.entry_year[i] = static_cast<std::int16_t>(s.first_year - 2);
            break;
          case Group::exited:
            h.status0[i] = RegistryStatus::exited;
            h.entry_year[i] = static_cast<std::int16_t>(s.first_year - 2);
            break;
          case Group::near_poor:
            h.status0[i] = RegistryStatus::near_poor;
            h.entry_year[i] = 0;
            break;
        }
      }
    }
  });
  return pop;
}

}  // namespace tuopin
