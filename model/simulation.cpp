#include "simulation.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "exit_assessment.h"
#include "guarantees.h"
#include "income_process.h"
#include "random.h"
#include "shocks.h"

namespace tuopin {

std::int64_t SimulationResult::city_total(int replicate, int year, Metric m) const {
  std::int64_t sum = 0;
  for (int c = 0; c < counties; ++c) sum += at(replicate, year, c, m);
  return sum;
}

namespace {

constexpr std::size_t block_size = 256;
static_assert(block_size % income_normals_width == 0, "blocks hold whole vectors of normals");

// Starting state of one replicate: the registry's values. Persistent income deviations start
// at zero (the population's expected income is the household's income when last assessed)
// and accumulate from the first month.
void reset_state(const Scenario& s, const Population& pop, const IncomeProcess& income, HouseholdState& st) {
  const Households& h = pop.households;
  const std::size_t n = h.count();
  st.resize(n);
  const double line = s.poverty_line(s.first_year);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 4096), [&](const auto& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      st.status[i] = h.status0[i];
      st.housing[i] = h.housing0[i];
      st.guarantees[i] = 0;
      st.dropout[i] = 0;
      st.insured[i] = 0;
      st.illness_left[i] = 0;
      const double expected = h.base_income[0][i] + h.base_income[1][i] +
                              12.0 * income.fixed_monthly(h.base_income[2][i], h.base_income[3][i], h.flags[i], h.size[i]);
      st.below_line[i] = expected < line * h.size[i];
      st.wage_deviation[i] = 0;
      st.operating_deviation[i] = 0;
    }
  });
}

using Counts = std::vector<std::int64_t>;  // [county * metric_count + metric]

struct YearContext {
  const Scenario& s;
  const Population& pop;
  const IncomeProcess& income;
  const RandomKey& key;
  const std::vector<std::uint8_t>& struck;  // village disasters of this year
  int year_index;
  double line;
};

// One block of households through one year: twelve months, then the assessment.
void run_block(const YearContext& ctx, HouseholdState& st, std::size_t begin, std::size_t end,
               Counts& counts) {
  const Scenario& s = ctx.s;
  const Households& h = ctx.pop.households;
  const IncomeProcess& inc = ctx.income;
  const std::size_t n = end - begin;
  const auto first = static_cast<std::uint32_t>(begin);

  alignas(64) float z0[block_size], z1[block_size], z2[block_size], z3[block_size];
  alignas(64) float year_income[block_size];
  alignas(64) float medical[block_size];
  alignas(64) float wage_month[block_size];

  std::fill_n(year_income, n, 0.0f);
  std::fill_n(medical, n, 0.0f);

  const float illness_loss = static_cast<float>(1.0 - s.shocks.illness_wage_loss);
  const auto work_months = static_cast<std::uint8_t>(s.shocks.illness_work_months);
  const double reimbursement = s.guarantees.medical_reimbursement;
  auto add = [&](int county, Metric m, std::int64_t v) {
    counts[static_cast<std::size_t>(county) * metric_count + static_cast<int>(m)] += v;
  };

  // Medical insurance enrolment for the year.
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t i = begin + j;
    const Draw4 d = draw(ctx.key, static_cast<std::uint32_t>(i), Stream::insurance,
                         static_cast<std::uint32_t>(ctx.year_index));
    st.insured[i] = to_unit(d.v[0]) < s.guarantees.insurance_enrolment;
  }

  for (int m = 0; m < 12; ++m) {
    const int t = ctx.year_index * 12 + m;
    const auto month = static_cast<std::uint32_t>(t);
    const float gw = inc.wage_growth[t] * (1.0f / 12.0f);
    const float go = inc.operating_growth[t] * (1.0f / 12.0f);
    const float pc = inc.persistent_correction[t];
    income_normals(ctx.key, first, n, month, z0, z1, z2, z3);

    // Income: the vectorisable part.
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t i = begin + j;
      const float wd = inc.persistence * st.wage_deviation[i] + inc.persistent_sd * z0[j];
      const float od = inc.persistence * st.operating_deviation[i] + inc.persistent_sd * z2[j];
      st.wage_deviation[i] = wd;
      st.operating_deviation[i] = od;
      const float sick = st.illness_left[i] > 0 ? illness_loss : 1.0f;
      const float wage = h.base_income[0][i] * gw * std::exp(wd + pc + inc.wage_sd * z1[j] + inc.wage_correction) * sick;
      wage_month[j] = wage;
      const float operating = h.base_income[1][i] * go *
                              std::exp(od + pc + inc.operating_sd * z3[j] + inc.operating_correction);
      year_income[j] += wage + operating +
                        inc.fixed_monthly(h.base_income[2][i], h.base_income[3][i], h.flags[i], h.size[i]);
    }

    // Events: branchy, rare, drawn only where they can happen.
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t i = begin + j;
      const auto id = static_cast<std::uint32_t>(i);
      // illness_left counts the months of reduced wages still to come, this one included.
      const bool already_reduced = st.illness_left[i] > 0;
      if (already_reduced) --st.illness_left[i];
      const Draw4 ill = draw(ctx.key, id, Stream::illness, month);
      if (to_unit(ill.v[0]) < illness_probability(s.shocks, h.flags[i])) {
        const double cost = illness_cost(s.shocks, to_normal(ill.v[1], ill.v[2]));
        medical[j] += static_cast<float>(st.insured[i] ? cost * (1.0 - reimbursement) : cost);
        if (work_months > 0) {
          // The episode's own month: wages were paid in full above, so take the loss here.
          if (!already_reduced) year_income[j] -= wage_month[j] * (1.0f - illness_loss);
          st.illness_left[i] = static_cast<std::uint8_t>(work_months - 1);
        }
        add(h.county[i], Metric::illness_episodes, 1);
      }
      if (ctx.struck[static_cast<std::size_t>(h.village[i]) * 12 + m]) {
        const Draw4 d = draw(ctx.key, id, Stream::disaster_damage, month);
        year_income[j] -= static_cast<float>(s.shocks.disaster_operating_loss) *
                          h.base_income[1][i] * go * 12.0f;
        if (st.housing[i] == HousingSafety::safe && to_unit(d.v[0]) < s.shocks.disaster_housing_damage)
          st.housing[i] = HousingSafety::unsafe;
        add(h.county[i], Metric::disaster_households, 1);
      }
      const bool school_age = h.members[school_age_band][i] > 0;
      if (school_age && (st.dropout[i] || st.below_line[i])) {
        const Draw4 d = draw(ctx.key, id, Stream::education, month);
        st.dropout[i] = next_dropout(s.guarantees, st.dropout[i], true, st.below_line[i], m + 1,
                                     to_unit(d.v[0]), to_unit(d.v[1]));
      } else if (!school_age) {
        st.dropout[i] = 0;
      }
      if (st.housing[i] != HousingSafety::safe) {
        const Draw4 d = draw(ctx.key, id, Stream::housing, month);
        if (to_unit(d.v[0]) < repair_probability(s.guarantees, st.below_line[i]))
          st.housing[i] = static_cast<HousingSafety>(static_cast<int>(st.housing[i]) - 1);
      }
    }
  }

  // Year-end assessment.
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t i = begin + j;
    const int c = h.county[i];
    const std::int64_t people = h.size[i];
    const double income_year = std::max(0.0f, year_income[j]);
    const double per_capita = income_year / h.size[i];
    GuaranteeInputs gi;
    gi.income = income_year;
    gi.medical_cost = medical[j];
    gi.size = h.size[i];
    gi.flags = h.flags[i];
    gi.dropout = st.dropout[i];
    gi.insured = st.insured[i];
    gi.housing = st.housing[i];
    const std::uint8_t met = assess_guarantees(s.guarantees, ctx.line, gi);
    st.guarantees[i] = met;
    st.below_line[i] = per_capita < ctx.line;

    const RegistryStatus before = st.status[i];
    double u = 0;
    if (before == RegistryStatus::exited || before == RegistryStatus::near_poor) {
      if (per_capita < ctx.line * std::max(1.0, s.assessment.reentry_threshold)) {
        const Draw4 d = draw(ctx.key, static_cast<std::uint32_t>(i), Stream::identification,
                             static_cast<std::uint32_t>(ctx.year_index));
        u = to_unit(d.v[0]);
      } else {
        u = 1.0;  // above every threshold: no draw needed
      }
    }
    if (counts_as_poor(before)) {
      add(c, Metric::poor_start_people, people);
      add(c, Metric::poor_start_households, 1);
      add(c, Metric::income_poor_yuan, std::llround(income_year));
      if (!(met & guarantee::food_clothing)) add(c, Metric::fail_food_clothing_households, 1);
      if (!(met & guarantee::education)) add(c, Metric::fail_education_households, 1);
      if (!(met & guarantee::medical)) add(c, Metric::fail_medical_households, 1);
      if (!(met & guarantee::housing)) add(c, Metric::fail_housing_households, 1);
    }
    const AssessmentOutcome out = assess_household(s.assessment, ctx.line, before, per_capita, met, u);
    st.status[i] = out.status;
    switch (out.transition) {
      case Transition::exit:
        add(c, Metric::exit_people, people);
        add(c, Metric::exit_households, 1);
        break;
      case Transition::blocked: add(c, Metric::blocked_people, people); break;
      case Transition::reentry:
        add(c, Metric::reentry_people, people);
        add(c, Metric::reentry_households, 1);
        break;
      case Transition::new_poor:
        add(c, Metric::new_poor_people, people);
        add(c, Metric::new_poor_households, 1);
        break;
      case Transition::stay: break;
    }
    if (counts_as_poor(out.status)) {
      add(c, Metric::poor_end_people, people);
      add(c, Metric::poor_end_households, 1);
    }
  }
}

}  // namespace

SimulationResult simulate(const Scenario& s, const Population& pop, const SimulationOptions& opt) {
  SimulationResult result;
  result.replicates = opt.replicates;
  result.first_replicate = opt.first_replicate;
  result.first_year = s.first_year;
  result.years = s.years();
  result.counties = static_cast<int>(s.counties.size());
  result.values.assign(static_cast<std::size_t>(opt.replicates) * result.years * result.counties *
                           metric_count, 0);
  const IncomeProcess income(s);
  const std::size_t n = pop.households.count();
  const std::size_t blocks = (n + block_size - 1) / block_size;
  const std::size_t county_metrics = static_cast<std::size_t>(result.counties) * metric_count;
  HouseholdState state;
  std::vector<std::uint8_t> struck;

  for (int r = 0; r < opt.replicates; ++r) {
    const RandomKey key{opt.seed, static_cast<std::uint32_t>(opt.first_replicate + r)};
    reset_state(s, pop, income, state);
    for (int y = 0; y < result.years; ++y) {
      village_disasters(s.shocks, key, pop.villages.count(), 12 * y, struck);
      const YearContext ctx{s, pop, income, key, struck, y, s.poverty_line(s.first_year + y)};
      tbb::enumerable_thread_specific<Counts> local(county_metrics, std::int64_t{0});
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 4), [&](const auto& range) {
        Counts& counts = local.local();
        for (std::size_t b = range.begin(); b != range.end(); ++b)
          run_block(ctx, state, b * block_size, std::min(n, (b + 1) * block_size), counts);
      });
      // Integer sums: exact whatever the order of the threads' partial counts.
      const std::size_t base = result.index(r, y, 0, Metric::poor_start_people);
      for (const Counts& counts : local)
        for (std::size_t k = 0; k < county_metrics; ++k) result.values[base + k] += counts[k];
      if (opt.progress) opt.progress(r + (y + 1.0) / result.years, opt.replicates);
    }
  }
  return result;
}

}  // namespace tuopin
