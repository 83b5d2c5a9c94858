#include "simulation.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <utility>

#include <emmintrin.h>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "amounts.h"
#include "area_exit.h"
#include "exit_assessment.h"
#include "guarantees.h"
#include "income_process.h"
#include "measures/common.h"
#include "month_kernels.h"
#include "measures/measure.h"
#include "plan.h"
#include "random.h"
#include "shocks.h"

namespace tuopin {

std::int64_t SimulationResult::city_total(int replicate, int year, Metric m) const {
  std::int64_t sum = 0;
  for (int c = 0; c < counties; ++c) sum += at(replicate, year, c, m);
  return sum;
}

std::int64_t SimulationResult::city_measure(const std::vector<std::int64_t>& table, int replicate, int year,
                                            int measure) const {
  std::int64_t sum = 0;
  for (int c = 0; c < counties; ++c) sum += table[cell(replicate, year, c) * measures + measure];
  return sum;
}

std::int64_t SimulationResult::city_spend(int replicate, int year) const {
  std::int64_t sum = 0;
  for (int c = 0; c < counties; ++c)
    for (int m = 0; m < measures; ++m)
      for (int k = 0; k < fund_source_count; ++k) sum += spend(replicate, year, c, m, k);
  return sum;
}

namespace {

constexpr std::size_t block_size = 256;
static_assert(block_size % income_normals_width == 0, "blocks hold whole vectors of normals");
using namespace measure_support;

// Starting state of one replicate: the registry's values. Persistent income deviations start
// at zero (the population's expected income is the household's income when last assessed)
// and accumulate from the first month.
void reset_state(const Scenario& s, const Population& pop, const IncomeProcess& income, const RandomKey& key,
                 HouseholdState& st) {
  const Households& h = pop.households;
  const std::size_t n = h.count();
  st.resize(n);
  const double line = s.poverty_line(s.first_year);
  const bool pairing = s.targeting.pairing_coverage > 0;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 4096), [&](const auto& r) {
    // Word 0 of each household's willingness and pairing draws, a block at a time.
    alignas(64) std::uint32_t willing_word[block_size], paired_word[block_size];
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      const std::size_t j = (i - r.begin()) % block_size;
      if (j == 0) {
        const std::size_t count = std::min(block_size, r.end() - i);
        block_words(key, static_cast<std::uint32_t>(i), count, Stream::willingness, 0, willing_word);
        if (pairing) block_words(key, static_cast<std::uint32_t>(i), count, Stream::pairing, 0, paired_word);
      }
      st.status[i] = h.status0[i];
      st.housing[i] = h.housing0[i];
      st.guarantees[i] = 0;
      st.dropout[i] = 0;
      st.insured[i] = 0;
      st.illness_left[i] = 0;
      const double market = h.base_income[0][i] + h.base_income[1][i] + h.base_income[2][i] + h.base_income[3][i];
      const double expected = h.base_income[0][i] + h.base_income[1][i] +
                              12.0 * income.fixed_monthly(h.base_income[2][i], h.base_income[3][i], h.flags[i], h.size[i]);
      st.below_line[i] = expected < line * h.size[i];
      st.wage_deviation[i] = 0;
      st.operating_deviation[i] = 0;
      st.assistance[i] = h.flags[i] & (household_flag::dibao | household_flag::wubao);
      st.paired[i] = pairing && to_unit(paired_word[j]) < s.targeting.pairing_coverage;
      st.willing[i] = to_unit(willing_word[j]) < s.targeting.willingness_probability(h, i, st.paired[i]);
      st.pathway[i] = no_pathway;
      st.exit_year[i] = -1;
      st.assessed_income[i] = static_cast<float>(market / h.size[i]);
      st.events[i] = 0;
      st.year_income[i] = 0;
      st.medical[i] = 0;
      st.medical_gross[i] = 0;
    }
  });
}

using Counts = std::vector<std::int64_t>;  // [county * metric_count + metric]

struct Engine {
  const Scenario& s;
  const Population& pop;
  const IncomeProcess& income;
  const std::vector<std::uint8_t>& struck;  // village disasters of this year
  std::vector<const Measure*> on;           // the enabled measures, registry order
  std::int64_t trace_household;             // -1: none
  std::vector<TraceRow>* trace;
  int replicate;
  const Column<std::uint8_t>& supported;
};

TraceRow trace_row(const Engine& e, const YearContext& ctx, std::size_t i, int month) {
  TraceRow row;
  row.replicate = e.replicate;
  row.year = ctx.year;
  row.month = month;
  row.medical = ctx.st.medical[i];
  row.status = static_cast<int>(ctx.st.status[i]);
  row.pathway = ctx.st.pathway[i];
  row.supported = e.supported[i];
  row.assistance = ctx.st.assistance[i];
  return row;
}

// The positions j < n (n <= 256) whose flag (0 or 1) is set, in order, into `at`; returns how
// many. Sixteen flags at a time with SSE2 (every x86-64 has it): a few percent of households
// need a draw in any month, so the positions are found from a bit mask, not by a branch per
// household.
std::size_t list_set(const std::uint8_t* flag, std::size_t n, std::uint8_t* at) {
  std::size_t count = 0, j = 0;
  for (; j + 16 <= n; j += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(flag + j));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128()))) ^ 0xFFFFu;
    while (mask) {
      at[count++] = static_cast<std::uint8_t>(j + static_cast<unsigned>(__builtin_ctz(mask)));
      mask &= mask - 1;
    }
  }
  for (; j < n; ++j) {
    at[count] = static_cast<std::uint8_t>(j);
    count += flag[j] != 0;
  }
  return count;
}

// Months phase of one block: yearly insurance, the measures' begin_year, twelve months.
void run_months(const Engine& e, const YearContext& ctx, std::size_t begin, std::size_t end, Counts& counts,
                Ledger& ledger) {
  const Scenario& s = e.s;
  const Households& h = e.pop.households;
  const IncomeProcess& inc = e.income;
  HouseholdState& st = ctx.st;
  const std::size_t n = end - begin;
  const auto first = static_cast<std::uint32_t>(begin);

  alignas(64) float z0[block_size], z1[block_size], z2[block_size], z3[block_size];
  alignas(64) float wage_month[block_size];
  alignas(64) float benefit[block_size], extra[block_size], wage_factor[block_size], dropout_factor[block_size];
  alignas(64) float operating_factor[block_size], operating_year[block_size], disaster_loss[block_size];
  alignas(64) std::uint8_t safe_from_month[block_size], job_lost[block_size];
  alignas(64) std::uint64_t illness_threshold[block_size];
  alignas(64) std::uint32_t ill_word[block_size];
  alignas(64) std::uint16_t struck_months[block_size];  // bit m: the household's village is struck in month m
  alignas(64) std::uint8_t at[block_size];                // households of the block that draw, for listed_words
  alignas(64) std::uint32_t word1[block_size];
  alignas(64) double reimbursement[block_size];

  float* year_income = st.year_income.data() + begin;
  float* medical = st.medical.data() + begin;
  float* medical_gross = st.medical_gross.data() + begin;
  std::fill_n(year_income, n, 0.0f);
  std::fill_n(medical, n, 0.0f);
  std::fill_n(medical_gross, n, 0.0f);
  std::fill_n(extra, n, 0.0f);
  std::fill_n(wage_factor, n, 1.0f);
  std::fill_n(operating_factor, n, 1.0f);
  std::fill_n(operating_year, n, 0.0f);
  std::fill_n(disaster_loss, n, 0.0f);
  std::fill_n(safe_from_month, n, std::uint8_t{0});
  std::fill_n(dropout_factor, n, 1.0f);
  std::fill_n(reimbursement, n, s.guarantees.medical_reimbursement);
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint8_t a = st.assistance[begin + j];
    const float b = (a & household_flag::wubao) ? inc.wubao_monthly : (a & household_flag::dibao) ? inc.dibao_monthly : 0.0f;
    benefit[j] = b * static_cast<float>(h.size[begin + j]);
  }

  const float illness_loss = static_cast<float>(1.0 - s.shocks.illness_wage_loss);
  const auto work_months = static_cast<std::uint8_t>(s.shocks.illness_work_months);
  auto add = [&](int county, Metric m, std::int64_t v) {
    counts[static_cast<std::size_t>(county) * metric_count + static_cast<int>(m)] += v;
  };

  // Medical insurance enrolment for the year (word 0 of each household's insurance draw:
  // to_unit(w) < enrolment exactly when w < unit_threshold(enrolment)); the year's illness
  // rate; a job lost in a downturn.
  alignas(64) std::uint32_t word[block_size];
  block_words(ctx.key, first, n, Stream::insurance, static_cast<std::uint32_t>(ctx.year_index), word);
  const std::uint64_t enrolment = unit_threshold(s.guarantees.insurance_enrolment);
  unsigned block_struck_months = 0;  // bit m: some household's village of this block is struck in month m
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t i = begin + j;
    const std::uint8_t* village_struck = e.struck.data() + static_cast<std::size_t>(h.village[i]) * 12;
    std::uint16_t mask = 0;
    for (int m = 0; m < 12; ++m) mask = static_cast<std::uint16_t>(mask | (village_struck[m] ? 1u << m : 0u));
    struck_months[j] = mask;
    block_struck_months |= mask;
    illness_threshold[j] = unit_threshold(static_cast<float>(illness_probability(s.shocks, h, i)));
    job_lost[j] = static_cast<std::uint8_t>(
        downturn_months_lost(s.shocks, ctx.key, i, ctx.year_index, ctx.year, h.base_income[0][i]));
    if (job_lost[j]) st.events[i] |= household_event::job_loss;
    st.insured[i] = word[j] < enrolment;
  }

  BlockFrame frame;
  frame.begin = begin;
  frame.end = end;
  frame.benefit_monthly = benefit;
  frame.extra_monthly = extra;
  frame.wage_factor = wage_factor;
  frame.operating_factor = operating_factor;
  frame.reimbursement = reimbursement;
  frame.dropout_factor = dropout_factor;
  frame.safe_from_month = safe_from_month;
  frame.operating_year = operating_year;
  frame.disaster_loss = disaster_loss;
  frame.ledger = &ledger;
  for (const Measure* m : e.on) m->begin_year(ctx, frame);

  IncomeMonth ia;
  ia.persistence = inc.persistence;
  ia.persistent_sd = inc.persistent_sd;
  ia.wage_sd = inc.wage_sd;
  ia.operating_sd = inc.operating_sd;
  ia.wage_correction = inc.wage_correction;
  ia.operating_correction = inc.operating_correction;
  ia.illness_factor = illness_loss;
  ia.wage_dev = st.wage_deviation.data() + begin;
  ia.op_dev = st.operating_deviation.data() + begin;
  ia.base_wage = h.base_income[0].data() + begin;
  ia.base_operating = h.base_income[1].data() + begin;
  ia.base_transfer = h.base_income[2].data() + begin;
  ia.base_property = h.base_income[3].data() + begin;
  ia.illness_left = st.illness_left.data() + begin;
  ia.job_lost = job_lost;
  ia.wage_factor = wage_factor;
  ia.operating_factor = operating_factor;
  ia.benefit = benefit;
  ia.extra = extra;
  ia.z0 = z0;
  ia.z1 = z1;
  ia.z2 = z2;
  ia.z3 = z3;
  ia.wage_month = wage_month;
  ia.operating_year = operating_year;
  ia.year_income = year_income;
  for (int m = 0; m < 12; ++m) {
    const int t = ctx.year_index * 12 + m;
    const auto month = static_cast<std::uint32_t>(t);
    const float gw = inc.wage_growth[t] * (1.0f / 12.0f);
    const float go = inc.operating_growth[t] * (1.0f / 12.0f);
    const float pc = inc.persistent_correction[t];
    income_normals(ctx.key, first, n, month, z0, z1, z2, z3);

    // Income: the vectorised kernel (month_kernels.h), then the illness words of the month.
    ia.gw = gw;
    ia.go = go;
    ia.pc = pc;
    ia.month = m;
    income_month(ia, n);
    block_words(ctx.key, first, n, Stream::illness, month, ill_word);
    const bool traced = e.trace && e.trace_household >= static_cast<std::int64_t>(begin) &&
                        e.trace_household < static_cast<std::int64_t>(end);

    // Events: branchy, rare, drawn only where they can happen. The columns are read through
    // local pointers: a store to a byte column may alias anything, so the compiler would
    // otherwise reload every column's address after each one.
    std::uint8_t* const illness_left = st.illness_left.data() + begin;
    std::uint8_t* const events = st.events.data() + begin;
    HousingSafety* const housing = st.housing.data() + begin;
    std::uint8_t* const dropout = st.dropout.data() + begin;
    const std::uint8_t* const below_line = st.below_line.data() + begin;
    const std::uint8_t* const insured = st.insured.data() + begin;
    const std::uint8_t* const school_members = h.members[school_age_band].data() + begin;
    const CountyIndex* const county = h.county.data() + begin;
    const float* const base_operating = h.base_income[1].data() + begin;
    const auto calendar_month = static_cast<std::uint8_t>(m + 1);
    // Each household's events of the month: illness, disaster, school, then housing (a disaster
    // can make a house unsafe). They run as passes over the block, not household by household:
    // a household's steps touch only its own columns, the counts are integer sums, and school
    // and illness are independent of each other, so the result is the same. The common work
    // runs without branches, and the draws of the school and housing steps are computed
    // together for the households listed as needing one.
    // First: the months of reduced wages counted down (illness_left counts those still to come,
    // this one included); then the rare households that fall ill (to_unit(word 0 of the draw)
    // < the month's probability).
    alignas(64) std::uint8_t reduced[block_size];
    for (std::size_t j = 0; j < n; ++j) {
      const std::uint8_t left = illness_left[j];
      reduced[j] = left > 0;
      illness_left[j] = static_cast<std::uint8_t>(left - reduced[j]);
    }
    for (std::size_t j = 0; j < n; ++j) {
      if (ill_word[j] < illness_threshold[j]) [[unlikely]] {
        const Draw4 ill = draw(ctx.key, static_cast<std::uint32_t>(begin + j), Stream::illness, month);
        const double cost = illness_cost(s.shocks, to_normal(ill.v[1], ill.v[2]));
        medical[j] += static_cast<float>(insured[j] ? cost * (1.0 - reimbursement[j]) : cost);
        medical_gross[j] += static_cast<float>(cost);
        if (work_months > 0) {
          // The episode's own month: wages were paid in full above, so take the loss here.
          if (!reduced[j]) year_income[j] -= wage_month[j] * (1.0f - illness_loss);
          illness_left[j] = static_cast<std::uint8_t>(work_months - 1);
        }
        add(county[j], Metric::illness_episodes, 1);
        events[j] |= household_event::illness;
      }
    }
    if ((block_struck_months >> m) & 1u)
      for (std::size_t j = 0; j < n; ++j) {
        if ((struck_months[j] >> m) & 1u) [[unlikely]] {
          const Draw4 d = draw(ctx.key, static_cast<std::uint32_t>(begin + j), Stream::disaster_damage, month);
          const float loss = static_cast<float>(s.shocks.disaster_operating_loss) * base_operating[j] * go * 12.0f *
                             operating_factor[j];
          year_income[j] -= loss;
          disaster_loss[j] += loss;
          events[j] |= household_event::disaster;
          if (housing[j] == HousingSafety::safe && to_unit(d.v[0]) < s.shocks.disaster_housing_damage)
            housing[j] = HousingSafety::unsafe;
          add(county[j], Metric::disaster_households, 1);
        }
      }
    // School: a household with school-age members draws while a child is out of school or it is
    // below the line; one without has none out of school.
    alignas(64) std::uint8_t needs_draw[block_size];
    for (std::size_t j = 0; j < n; ++j) {
      const auto school_age = static_cast<std::uint8_t>(school_members[j] != 0);
      needs_draw[j] = static_cast<std::uint8_t>(school_age & (dropout[j] | below_line[j]));
      dropout[j] = static_cast<std::uint8_t>(dropout[j] & school_age);
    }
    std::size_t listed = list_set(needs_draw, n, at);
    listed_words(ctx.key, first, at, listed, Stream::education, month, word, word1);
    for (std::size_t q = 0; q < listed; ++q) {
      const std::size_t j = at[q];
      dropout[j] = next_dropout(s.guarantees, dropout[j], true, below_line[j], m + 1, to_unit(word[q]),
                                to_unit(word1[q]), dropout_factor[j]);
    }
    // Housing: renovated or moved in this month, then self-repair of an unsafe house.
    static_assert(static_cast<int>(HousingSafety::safe) == 0, "a safe house is 0: the pass below clears it");
    std::uint8_t* const housing_code = reinterpret_cast<std::uint8_t*>(housing);
    for (std::size_t j = 0; j < n; ++j) {  // without branches, so that it vectorises
      const auto kept = static_cast<std::uint8_t>((safe_from_month[j] == calendar_month) - 1);  // 0 or 0xFF
      housing_code[j] = static_cast<std::uint8_t>(housing_code[j] & kept);
      needs_draw[j] = static_cast<std::uint8_t>(housing_code[j] != 0);
    }
    listed = list_set(needs_draw, n, at);
    listed_words(ctx.key, first, at, listed, Stream::housing, month, word);
    for (std::size_t q = 0; q < listed; ++q) {
      const std::size_t j = at[q];
      if (to_unit(word[q]) < repair_probability(s.guarantees, below_line[j]))
        housing[j] = static_cast<HousingSafety>(static_cast<int>(housing[j]) - 1);
    }
    if (traced) {  // one household, one block: a single writer
      const std::size_t i = static_cast<std::size_t>(e.trace_household), j = i - begin;
      TraceRow row = trace_row(e, ctx, i, m + 1);
      row.wage = wage_month[j];
      row.measures = extra[j];
      row.benefit = benefit[j];
      row.income = year_income[j] - (m == 0 ? 0.0f : e.trace->back().income_so_far);
      row.income_so_far = year_income[j];
      e.trace->push_back(row);
    }
  }
  for (const Measure* m : e.on) m->end_months(ctx, frame);
}

// Fields of the per-village counts: registered poor, wrongly exited and missed poor people.
constexpr std::size_t village_count_fields = 3;

// A fall (re-entry or newly poor) counted once under each of the year's recorded events, and
// under "no event" when none was recorded (income drift).
template <typename Add>
void count_fall_causes(int county, std::int64_t people, std::uint8_t events, Add&& add) {
  using namespace household_event;
  constexpr std::pair<std::uint8_t, Metric> causes[] = {
      {illness, Metric::fall_illness_people},         {disaster, Metric::fall_disaster_people},
      {job_loss, Metric::fall_job_loss_people},       {measure_ended, Metric::fall_measure_ended_people},
      {relocation_return, Metric::fall_relocation_return_people}, {price_fall, Metric::fall_price_fall_people},
      {wrong_exit, Metric::fall_wrong_exit_people}};
  bool any = false;
  for (const auto& [bit, metric] : causes)
    if (events & bit) {
      add(county, metric, people);
      any = true;
    }
  if (!any) add(county, Metric::fall_no_event_people, people);
}

// Assessment phase of one block: the measures' year-end top-ups, then the registry's test.
void run_assessment(const Engine& e, const YearContext& ctx, std::size_t begin, std::size_t end, Counts& counts,
                    Ledger& ledger, Counts& village_counts) {
  const Scenario& s = e.s;
  const Households& h = e.pop.households;
  HouseholdState& st = ctx.st;
  const std::size_t n = end - begin;
  auto add = [&](int county, Metric m, std::int64_t v) {
    counts[static_cast<std::size_t>(county) * metric_count + static_cast<int>(m)] += v;
  };
  alignas(64) float before_top_up[block_size];
  for (std::size_t j = 0; j < n; ++j)
    before_top_up[j] = std::max(0.0f, st.year_income[begin + j]) / static_cast<float>(h.size[begin + j]);
  alignas(64) float living_cost[block_size];
  std::fill_n(living_cost, n, 0.0f);
  BlockFrame frame;
  frame.begin = begin;
  frame.end = end;
  frame.living_cost = living_cost;
  frame.ledger = &ledger;
  for (const Measure* m : e.on) m->before_assessment(ctx, frame);

  // Every household's survey draw of the year (words 0 and 1) and its factor.
  const bool surveyed = s.assessment.survey_error_sd > 0;
  alignas(64) std::uint32_t survey_w0[block_size], survey_w1[block_size];
  alignas(64) double factor[block_size];
  bool exact_factors = true;
  if (surveyed) {
    block_words(ctx.key, static_cast<std::uint32_t>(begin), n, Stream::survey,
                static_cast<std::uint32_t>(ctx.year_index), survey_w0, survey_w1);
    exact_factors = survey_factors(s.assessment.survey_error_sd, survey_w0, survey_w1, n, factor);
  }

  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t i = begin + j;
    const int c = h.county[i];
    const std::int64_t people = h.size[i];
    const double income_year = std::max(0.0f, st.year_income[i]);
    const double per_capita = income_year / h.size[i];
    GuaranteeInputs gi;
    gi.income = income_year;
    gi.medical_cost = st.medical[i];
    gi.living_cost = living_cost[j];
    gi.size = h.size[i];
    gi.flags = static_cast<std::uint8_t>((h.flags[i] & ~(household_flag::dibao | household_flag::wubao)) |
                                         st.assistance[i]);
    gi.dropout = st.dropout[i];
    gi.insured = st.insured[i];
    gi.housing = st.housing[i];
    const std::uint8_t met = assess_guarantees(s.guarantees, ctx.line, gi);
    st.guarantees[i] = met;
    const bool below_last_year = st.below_line[i];
    st.below_line[i] = per_capita < ctx.line;
    st.assessed_income[i] = before_top_up[j];

    const RegistryStatus before = st.status[i];
    // The verification's measure of income: true income times the survey error. A factor of
    // the wide kernel is recomputed exactly where its last bits could change a decision.
    double measured = per_capita;
    if (surveyed) {
      measured = per_capita * factor[j];
      if (!exact_factors &&
          near_assessment_threshold(s.assessment, ctx.line, measured, survey_factor_tolerance)) [[unlikely]]
        measured = per_capita * survey_factor(s.assessment.survey_error_sd, to_normal(survey_w0[j], survey_w1[j]));
    }
    double u = 0;
    if (before == RegistryStatus::exited || before == RegistryStatus::near_poor) {
      if (measured < ctx.line * std::max(1.0, s.assessment.reentry_threshold)) {
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
      add(c, Metric::income_poor_yuan, round_amount(income_year));
      if (!(met & guarantee::food_clothing)) add(c, Metric::fail_food_clothing_households, 1);
      if (!(met & guarantee::education)) add(c, Metric::fail_education_households, 1);
      if (!(met & guarantee::medical)) add(c, Metric::fail_medical_households, 1);
      if (!(met & guarantee::housing)) add(c, Metric::fail_housing_households, 1);
    }
    const bool monitored = before == RegistryStatus::exited && st.exit_year[i] >= 0 &&
                           ctx.year_index - st.exit_year[i] <= s.assessment.monitoring_years;
    const AssessmentOutcome out = assess_household(s.assessment, ctx.line, before, measured, met, u, monitored);
    st.status[i] = out.status;
    const bool truly_below = per_capita < ctx.line;
    std::uint8_t& events = st.events[i];
    switch (out.transition) {
      case Transition::exit:
        add(c, Metric::exit_people, people);
        add(c, Metric::exit_households, 1);
        st.exit_year[i] = static_cast<std::int8_t>(ctx.year_index);
        if (truly_below) {
          add(c, Metric::wrong_exit_people, people);
          events |= household_event::wrong_exit;
        }
        break;
      case Transition::blocked: add(c, Metric::blocked_people, people); break;
      case Transition::reentry:
        add(c, Metric::reentry_people, people);
        add(c, Metric::reentry_households, 1);
        count_fall_causes(c, people, events, add);
        events &= static_cast<std::uint8_t>(~household_event::wrong_exit);
        break;
      case Transition::new_poor:
        add(c, Metric::new_poor_people, people);
        add(c, Metric::new_poor_households, 1);
        count_fall_causes(c, people, events, add);
        break;
      case Transition::stay: break;
    }
    events &= household_event::wrong_exit;  // the year's events are spent

    // Stocks at the year end, for village and county exit (area_exit.h).
    std::int64_t* v = village_counts.data() + static_cast<std::size_t>(h.village[i]) * village_count_fields;
    switch (out.status) {
      case RegistryStatus::poor:
      case RegistryStatus::reentered:
        add(c, Metric::poor_end_people, people);
        add(c, Metric::poor_end_households, 1);
        add(c, Metric::registered_people_end, people);
        v[0] += people;
        break;
      case RegistryStatus::exited:
        add(c, Metric::exited_people_end, people);
        add(c, Metric::registered_people_end, people);
        // Not stably out of poverty: true income below the line at this verification and the
        // one before, or a guarantee unmet now.
        if ((truly_below && below_last_year) || (met & guarantee::all) != guarantee::all) {
          add(c, Metric::wrongly_exited_people, people);
          v[1] += people;
        }
        break;
      case RegistryStatus::near_poor:
        if (truly_below) {
          add(c, Metric::missed_poor_people, people);
          v[2] += people;
        }
        break;
    }
    if (e.trace && static_cast<std::int64_t>(i) == e.trace_household) {
      TraceRow row = trace_row(e, ctx, i, 13);
      row.income_so_far = st.year_income[i];
      row.income = st.year_income[i];
      row.benefit = income_year - before_top_up[j] * h.size[i];
      e.trace->push_back(row);
    }
  }
}

// Who the plan supports this year (targeting.h) and each identified household's pathway.
void identify(const Scenario& s, const Population& pop, const RandomKey& key, int year_index, HouseholdState& st,
              Column<std::uint8_t>& supported, std::size_t begin, std::size_t end) {
  const Households& h = pop.households;
  const Targeting& t = s.targeting;
  const int after = t.support_after_exit_years;
  // Word 0 of each household's targeting draw for the year, a block at a time (month_kernels.h).
  alignas(64) std::uint32_t word[block_size];
  block_words(key, static_cast<std::uint32_t>(begin), end - begin, Stream::targeting,
              static_cast<std::uint32_t>(year_index), word);
  for (std::size_t i = begin; i != end; ++i) {
    const RegistryStatus status = st.status[i];
    const double u = to_unit(word[i - begin]);
    const bool poor = counts_as_poor(status);
    const double exclusion = t.exclusion_error * (st.paired[i] ? t.paired_exclusion_factor : 1.0);
    const bool identified = poor ? u >= exclusion : u < t.inclusion_error;
    const bool within = status == RegistryStatus::exited && st.exit_year[i] >= 0 &&
                        (after < 0 || year_index - st.exit_year[i] <= after);
    const std::uint8_t now = identified ? targeted : (within || poor) ? continuing : not_supported;
    if (now == not_supported && supported[i] != not_supported) st.events[i] |= household_event::measure_ended;
    supported[i] = now;
    st.pathway[i] = identified ? t.pathway(h.labour[i], st.willing[i]) : no_pathway;
  }
}

// Village and county exit after the year's verification (area_exit.h): each poor village not
// yet exited is assessed on its stocks, then each county on its own; the county metrics of
// replicate r, year y are written into `result`.
void assess_areas(const Scenario& s, const Population& pop, const VillageState& villages,
                  const std::vector<double>& county_rural, const std::vector<int>& county_villages,
                  const std::vector<int>& county_poor_villages, const std::vector<std::int64_t>& village_counts,
                  int y, std::vector<std::uint8_t>& village_exited, std::vector<std::uint8_t>& county_exited,
                  SimulationResult& result, int r) {
  const int C = result.counties;
  std::vector<int> exiting(C, 0), exited(C, 0);
  for (std::size_t v = 0; v < pop.villages.count(); ++v) {
    if (!pop.villages.poor[v]) continue;
    const int c = pop.villages.county[v];
    if (!village_exited[v]) {
      AreaCounts a;
      a.poor_people = village_counts[v * village_count_fields + 0];
      a.wrongly_exited_people = village_counts[v * village_count_fields + 1];
      a.missed_people = village_counts[v * village_count_fields + 2];
      VillageFacts f;
      f.rural_population = county_villages[c] > 0 ? county_rural[c] / county_villages[c] : 0.0;
      f.collective_income = villages.collective_income[v];
      f.road = villages.road[v];
      f.water = villages.water[v];
      if (village_meets_exit(s.village_exit, a, f)) {
        village_exited[v] = 1;
        result.village_exit_year[static_cast<std::size_t>(r) * result.villages + v] =
            static_cast<std::int16_t>(result.first_year + y);
        ++exiting[c];
      }
    }
    exited[c] += village_exited[v];
  }
  for (int c = 0; c < C; ++c) {
    auto at = [&](Metric m) -> std::int64_t& { return result.values[result.index(r, y, c, m)]; };
    at(Metric::rural_people) = std::llround(county_rural[c]);
    at(Metric::poor_villages) = county_poor_villages[c];
    at(Metric::villages_exiting) = exiting[c];
    at(Metric::poor_villages_exited) = exited[c];
    AreaCounts a;
    a.poor_people = at(Metric::poor_end_people);
    a.wrongly_exited_people = at(Metric::wrongly_exited_people);
    a.missed_people = at(Metric::missed_poor_people);
    a.exited_people = at(Metric::exited_people_end);
    a.registered_people = at(Metric::registered_people_end);
    const std::uint8_t met =
        county_exit_criteria(s.county_exit, a, CountyFacts{county_rural[c], county_poor_villages[c], exited[c]});
    at(Metric::county_fails_incidence) = !(met & county_criterion::incidence);
    at(Metric::county_fails_wrong_exit) = !(met & county_criterion::wrong_exit);
    at(Metric::county_fails_missed) = !(met & county_criterion::missed);
    at(Metric::county_fails_villages) = !(met & county_criterion::villages);
    at(Metric::county_fails_approval) = !(met & county_criterion::approval);
    at(Metric::county_meets_all) = met == county_criterion::all;
    if (met == county_criterion::all) county_exited[c] = 1;
    at(Metric::county_exited) = county_exited[c];
  }
}

// Each county's share of city-level money: its registered poor people now (`people`, from the
// population at the start or last year's count), or its weight.
std::vector<double> county_factors(const Scenario& s, const std::vector<std::int64_t>& people) {
  const std::size_t C = s.counties.size();
  std::vector<double> share(C, 0.0);
  if (s.funding.county_split == CountySplit::poor_people) {
    std::int64_t total = 0;
    for (auto p : people) total += p;
    if (total > 0) {
      for (std::size_t c = 0; c < C; ++c) share[c] = static_cast<double>(people[c]) / static_cast<double>(total);
      return share;
    }
  }
  double total = 0;
  for (const auto& c : s.counties) total += c.weight;
  for (std::size_t c = 0; c < C; ++c) share[c] = total > 0 ? s.counties[c].weight / total : 0.0;
  return share;
}

}  // namespace

SimulationResult simulate(const Scenario& s, const Population& pop, const SimulationOptions& opt) {
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  SimulationResult result;
  // Adds the time since the last lap to a phase.
  auto lap = [&](RunPhase phase) {
    const auto t1 = clock::now();
    result.phase_seconds[static_cast<int>(phase)] += std::chrono::duration<double>(t1 - t0).count();
    t0 = t1;
  };
  result.replicates = opt.replicates;
  result.first_replicate = opt.first_replicate;
  result.first_year = s.first_year;
  result.years = s.years();
  result.counties = static_cast<int>(s.counties.size());
  const int R = opt.replicates, Y = result.years, C = result.counties;
  result.values.assign(static_cast<std::size_t>(R) * Y * C * metric_count, 0);

  const int M = static_cast<int>(s.measures.size());
  result.measures = M;
  std::vector<const Measure*> on;
  for (const auto& m : s.measures) {
    result.measure_names.emplace_back(m->name());
    for (const auto& info : m->metrics()) result.extra_metric_info.push_back(info);
    if (m->enabled()) on.push_back(m.get());
  }
  const int K = static_cast<int>(result.extra_metric_info.size());
  result.extra_metrics = K;
  const std::size_t cells = static_cast<std::size_t>(R) * Y * C;
  result.spend_fen.assign(cells * M * fund_source_count, 0);
  result.beneficiary_households.assign(cells * M, 0);
  result.beneficiary_people.assign(cells * M, 0);
  result.pool_available_fen.assign(cells * pool_source_count, 0);
  result.pool_spent_fen.assign(cells * pool_source_count, 0);
  result.measure_metrics.assign(cells * K, 0);

  const IncomeProcess income(s);
  const std::size_t n = pop.households.count();
  const std::size_t blocks = (n + block_size - 1) / block_size;
  const std::size_t county_metrics = static_cast<std::size_t>(C) * metric_count;
  HouseholdState state;
  std::vector<std::uint8_t> struck;
  Column<std::uint8_t> supported(n);  // filled in parallel in every replicate, below
  std::vector<std::unique_ptr<MeasureState>> owned(M);
  std::vector<MeasureState*> states(M, nullptr);
  std::size_t measure_bytes = 0;
  for (const Measure* m : on) {
    owned[m->index()] = m->make_state(pop);
    states[m->index()] = owned[m->index()].get();
    if (states[m->index()]) measure_bytes += states[m->index()]->bytes_per_household();
  }
  PoolBook pools(C);
  // The plan's slices of whole counties (plan.h): the requests of one slice are held at a time,
  // a list per block of households of the slice (a block cut by a slice's edge is two lists).
  const std::vector<std::size_t> slices =
      on.empty() ? std::vector<std::size_t>{0, n} : plan_slices(pop.households.county, opt.plan_slice_households);
  const auto lists_of = [&](std::size_t k) {  // the blocks slice k touches: [first, last)
    return std::pair<std::size_t, std::size_t>{slices[k] / block_size, (slices[k + 1] + block_size - 1) / block_size};
  };
  std::size_t most_lists = 0;
  for (std::size_t k = 0; !on.empty() && k + 1 < slices.size(); ++k) {
    const auto [first, last] = lists_of(k);
    most_lists = std::max(most_lists, last - first);
  }
  std::vector<std::vector<Candidate>> per_block(most_lists), by_measure(M);  // the plan's, reused yearly
  std::vector<Candidate> funded_slices;  // with several slices, the funded requests of all of them
  AllocationWorkspace allocation;  // reused yearly, like the lists
  VillageState villages;
  VillageIndex village_index;
  if (!on.empty()) village_index.build(pop.households.village, pop.villages.count());
  // Registered poor people at the start, per county: integer sums of per-thread counts, exact
  // whatever the split.
  std::vector<std::int64_t> poor_people_start(C, 0);
  {
    tbb::enumerable_thread_specific<std::vector<std::int64_t>> part(static_cast<std::size_t>(C), std::int64_t{0});
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 65536), [&](const auto& range) {
      std::vector<std::int64_t>& mine = part.local();
      for (std::size_t i = range.begin(); i != range.end(); ++i)
        if (counts_as_poor(pop.households.status0[i])) mine[pop.households.county[i]] += pop.households.size[i];
    });
    for (const auto& mine : part)
      for (int c = 0; c < C; ++c) poor_people_start[c] += mine[c];
  }
  const bool uniform = s.targeting.mode == TargetingMode::uniform;

  // Villages and counties for their exit (area_exit.h): rural population, poor villages.
  const std::size_t V = pop.villages.count();
  result.villages = static_cast<int>(V);
  result.village_exit_year.assign(static_cast<std::size_t>(R) * V, 0);
  std::vector<int> county_villages(C, 0), county_poor_villages(C, 0);
  for (std::size_t v = 0; v < V; ++v) {
    ++county_villages[pop.villages.county[v]];
    if (pop.villages.poor[v]) ++county_poor_villages[pop.villages.county[v]];
  }
  std::vector<double> county_rural(C, 0.0);
  for (int c = 0; c < C; ++c)
    county_rural[c] = s.counties[c].rural_population_share * s.population.rural_population * pop.scale;
  std::vector<std::uint8_t> village_exited(V, 0), county_exited(C, 0);
  // Per-thread counts of the month and assessment phases, per county and per village: allocated
  // once per run and zeroed as each year's are summed.
  tbb::enumerable_thread_specific<Counts> local(county_metrics, std::int64_t{0});
  tbb::enumerable_thread_specific<Counts> village_local(V * village_count_fields, std::int64_t{0});
  Counts village_counts(V * village_count_fields, 0);

  for (int r = 0; r < R; ++r) {
    const RandomKey key{opt.seed, static_cast<std::uint32_t>(opt.first_replicate + r)};
    reset_state(s, pop, income, key, state);
    fill_parallel(supported, not_supported);
    std::fill(village_exited.begin(), village_exited.end(), std::uint8_t{0});
    std::fill(county_exited.begin(), county_exited.end(), std::uint8_t{0});
    // The measures' states, each its own: reset side by side (each fills columns of every
    // household, serial within a measure).
    tbb::parallel_for(std::size_t{0}, on.size(), [&](std::size_t k) {
      on[k]->reset(s, pop, key, states[on[k]->index()]);
    });
    pools.reset();
    villages.reset(pop.villages.collective_income, pop.villages.road, pop.villages.water);
    // Engine state, the plan's support flag, the village index (with a measure on) and the measures' columns.
    if (r == 0)
      result.state_bytes_per_household = state.bytes_per_household() + sizeof(std::uint8_t) +
                                         (on.empty() ? 0 : sizeof(std::uint32_t)) + measure_bytes;
    for (int y = 0; y < Y; ++y) {
      village_disasters(s.shocks, key, pop.villages.count(), 12 * y, s.first_year + y, struck);
      const YearContext ctx{s,      pop,    state,     key, y, s.first_year + y, s.poverty_line(s.first_year + y),
                            states, supported, villages, village_index};
      const Engine engine{s, pop, income, struck, on, opt.trace_household, opt.trace, opt.first_replicate + r,
                          supported};
      const Ledger exemplar(C, M, K);
      tbb::enumerable_thread_specific<Ledger> ledgers(exemplar);
      Ledger serial(exemplar);

      lap(RunPhase::setup);
      // Plan: identification, the measures' requests, the pools' allocation, the awards.
      if (!on.empty()) {
        std::vector<std::int64_t> poor_people(C, 0);
        for (int c = 0; c < C; ++c)
          poor_people[c] = y == 0 ? poor_people_start[c] : result.at(r, y - 1, c, Metric::poor_end_people);
        pools.open_year(s.funding, y, county_factors(s, poor_people));
        std::span<const Candidate> funded;
        funded_slices.clear();
        for (std::size_t k = 0; k + 1 < slices.size(); ++k) {
          // Each block's requests (the part of it in the slice), in a list kept from year to year
          // (cleared, its memory reused); the tie-break is word 0 of draw(key, household,
          // allocation, year, measure), computed many requests at a time (month_kernels.h).
          const auto [first_block, last_block] = lists_of(k);
          const std::size_t lists = last_block - first_block;
          const std::size_t slice_begin = slices[k], slice_end = slices[k + 1];
          tbb::parallel_for(tbb::blocked_range<std::size_t>(0, lists, 4), [&](const auto& range) {
            alignas(32) std::uint32_t household[block_size], measure[block_size], word[block_size];
            for (std::size_t b = range.begin(); b != range.end(); ++b) {
              const std::size_t begin = std::max(slice_begin, (first_block + b) * block_size);
              const std::size_t end = std::min(slice_end, (first_block + b + 1) * block_size);
              identify(s, pop, key, y, state, supported, begin, end);
              std::vector<Candidate>& list = per_block[b];
              list.clear();
              for (const Measure* m : on) m->candidates(ctx, begin, end, list);
              for (std::size_t q = 0; q < list.size(); q += block_size) {
                const std::size_t count = std::min(block_size, list.size() - q);
                for (std::size_t j = 0; j < count; ++j) {
                  household[j] = list[q + j].household;
                  measure[j] = list[q + j].measure;
                }
                entity_words(key, household, measure, count, Stream::allocation, static_cast<std::uint32_t>(y), word);
                for (std::size_t j = 0; j < count; ++j) list[q + j].tiebreak = word[j];
              }
            }
          });
          lap(RunPhase::plan_requests);
          funded = allocate(std::span<const std::vector<Candidate>>(per_block.data(), lists), pools, s.funding, uniform,
                            pop.households.county, allocation);
          if (slices.size() > 2) funded_slices.insert(funded_slices.end(), funded.begin(), funded.end());
          lap(RunPhase::plan_allocation);
        }
        if (slices.size() > 2) {
          // The slices' funded requests in the order of one allocation of every household: by
          // pool (county-major, then source), each pool's in its funding order. Slices of a
          // population sorted by county are in that order already.
          const auto pool_of = [&](const Candidate& c) {
            return static_cast<std::size_t>(pop.households.county[c.household]) * pool_source_count +
                   static_cast<std::size_t>(c.source);
          };
          const auto by_pool = [&](const Candidate& a, const Candidate& b) { return pool_of(a) < pool_of(b); };
          if (!std::is_sorted(funded_slices.begin(), funded_slices.end(), by_pool))
            std::stable_sort(funded_slices.begin(), funded_slices.end(), by_pool);
          funded = funded_slices;
        }
        // Each measure's funded candidates, in the order of `funded`: a counting sort over parts
        // of it (each part's count per measure, offsets in part order, then each part copies to
        // its own). by_measure's lists only grow; a measure's are the first `taken` of its list.
        // The spending goes to the threads' ledgers: integer sums, the same in any order.
        const std::size_t F = funded.size(), parts = std::min<std::size_t>(64, F / 8192 + 1);
        const auto measures = static_cast<std::size_t>(M);
        std::vector<std::size_t> next(parts * measures, 0), taken(measures, 0);
        tbb::parallel_for(std::size_t{0}, parts, [&](std::size_t q) {
          for (std::size_t j = q * F / parts; j < (q + 1) * F / parts; ++j) ++next[q * measures + funded[j].measure];
        });
        for (std::size_t m = 0; m < measures; ++m) {
          for (std::size_t q = 0; q < parts; ++q) taken[m] += std::exchange(next[q * measures + m], taken[m]);
          if (by_measure[m].size() < taken[m]) by_measure[m].resize(taken[m]);
        }
        tbb::parallel_for(std::size_t{0}, parts, [&](std::size_t q) {
          Ledger& ledger = ledgers.local();
          std::size_t* at = next.data() + q * measures;
          for (std::size_t j = q * F / parts; j < (q + 1) * F / parts; ++j) {
            const Candidate& k = funded[j];
            ledger.spend(pop.households.county[k.household], k.measure, k.source, k.cost_fen);
            by_measure[k.measure][at[k.measure]++] = k;
          }
        });
        for (const Measure* m : on)
          m->award(ctx, std::span<const Candidate>(by_measure[m->index()].data(), taken[m->index()]));
        lap(RunPhase::plan_allocation);
      }

      // Months, in parallel blocks.
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 4), [&](const auto& range) {
        Counts& counts = local.local();
        Ledger& ledger = ledgers.local();
        for (std::size_t b = range.begin(); b != range.end(); ++b)
          run_months(engine, ctx, b * block_size, std::min(n, (b + 1) * block_size), counts, ledger);
      });
      lap(RunPhase::months);
      // Settle: year-end payments from pools that depend on the year's events.
      for (const Measure* m : on) m->settle(ctx, pools, serial);
      lap(RunPhase::settle);
      // Assessment, in parallel blocks.
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 4), [&](const auto& range) {
        Counts& counts = local.local();
        Ledger& ledger = ledgers.local();
        Counts& thread_village_counts = village_local.local();
        for (std::size_t b = range.begin(); b != range.end(); ++b)
          run_assessment(engine, ctx, b * block_size, std::min(n, (b + 1) * block_size), counts, ledger,
                         thread_village_counts);
      });
      lap(RunPhase::assessment);

      // Integer sums: exact whatever the order of the threads' partial counts.
      const std::size_t base = result.index(r, y, 0, Metric::poor_start_people);
      // The threads' counts are zeroed as they are summed, ready for the next year (they are
      // allocated once per run, not per year); the per-village counts (three per village: a
      // national population has about 700,000 villages) are summed in parallel over villages.
      for (Counts& counts : local) {
        for (std::size_t k = 0; k < county_metrics; ++k) result.values[base + k] += counts[k];
        std::fill(counts.begin(), counts.end(), std::int64_t{0});
      }
      std::vector<Counts*> parts;
      for (Counts& counts : village_local) parts.push_back(&counts);
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, village_counts.size(), 16384), [&](const auto& range) {
        for (std::size_t k = range.begin(); k != range.end(); ++k) {
          std::int64_t sum = 0;
          for (Counts* counts : parts) {
            sum += (*counts)[k];
            (*counts)[k] = 0;
          }
          village_counts[k] = sum;
        }
      });
      assess_areas(s, pop, villages, county_rural, county_villages, county_poor_villages, village_counts, y,
                   village_exited, county_exited, result, r);
      auto add_ledger = [&](const Ledger& l) {
        const auto v = l.values();
        for (int c = 0; c < C; ++c) {
          const std::size_t cell = result.cell(r, y, c);
          const std::size_t off = static_cast<std::size_t>(c) * l.stride();
          for (int k = 0; k < M * fund_source_count; ++k) result.spend_fen[cell * M * fund_source_count + k] += v[off + k];
          for (int m = 0; m < M; ++m) {
            result.beneficiary_households[cell * M + m] += v[off + M * fund_source_count + m];
            result.beneficiary_people[cell * M + m] += v[off + M * fund_source_count + M + m];
          }
          for (int k = 0; k < K; ++k) result.measure_metrics[cell * K + k] += v[off + M * fund_source_count + 2 * M + k];
        }
      };
      for (const Ledger& l : ledgers) add_ledger(l);
      add_ledger(serial);
      if (!on.empty()) {
        for (int c = 0; c < C; ++c)
          for (int p = 0; p < pool_source_count; ++p) {
            const auto src = static_cast<FundSource>(p);
            result.pool_available_fen[result.cell(r, y, c) * pool_source_count + p] = pools.available(c, src);
            result.pool_spent_fen[result.cell(r, y, c) * pool_source_count + p] = pools.spent(c, src);
          }
        pools.close_year(s.funding.rollover);
      }
      lap(RunPhase::sums);
      if (opt.progress) opt.progress(r + (y + 1.0) / result.years, opt.replicates);
    }
  }
  return result;
}

}  // namespace tuopin
