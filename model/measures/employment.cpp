// Employment (就业扶贫): free training and placement for households with labour that choose
// not to run an industry (the proposal's section 二.3), and public-welfare posts (公益性岗位)
// for weak labour.
//   * Normal labour: a funded training course (training_cost, one-off) succeeds with
//     training_success. A trained worker is placed in a local poverty workshop (扶贫车间) with
//     probability workshop_share, earning workshop_wage for workshop_months a year; otherwise
//     their wage income rises by wage_gain (skills, placement away). A job is lost with
//     job_loss_rate a year (a workshop worker falls back to the wage gain; the wage gain is
//     kept: skills stay).
//   * Weak labour: a public-welfare post paid post_wage a month from the pool, awarded for
//     one year at a time, at most posts_per_village per village.
// Skills and workshop jobs stay after support ends; posts go to supported households only.
#include <algorithm>

#include "../households.h"
#include "../plan.h"
#include "../population_synthesis.h"
#include "../scenario.h"
#include "common.h"
#include "registry.h"

namespace tuopin {
namespace {

using T = ParamType;
using namespace measure_support;
constexpr std::string_view section = "measures.employment";

const std::array specs = std::to_array<ParameterSpec>({
    {section, "enabled", T::boolean, "-", 0, 0, "false", "not a model parameter", "Switch the measure on."},
    {section, "source", T::string, "-", 0, 0, R"("county_revenue")",
     "assumed: counties run training and public-welfare posts from the budget lines the "
     "revenue-increment rule adds (measures: funds_rule_revenue_increment)",
     "Pool that pays training and public-welfare posts (a source of [funding])."},
    {section, "take_up", T::real, "probability", 0, 1, "0.8",
     "assumed: some households unwilling to run an industry will not train or work a post either",
     "Probability that an offered household takes training or a post in a year (one draw a year)."},
    {section, "training_cost", T::real, "yuan/person", 0, 1e6, "1535.0",
     "measures: education_yulu_per_person_time (Anhui 2017, one 雨露计划 payment) as the cost "
     "of a course", "Cost of one training course (one-off)."},
    {section, "training_success", T::real, "probability", 0, 1, "0.7", "assumed",
     "Probability that training leads to work."},
    {section, "wage_gain", T::real, "share", 0, 5, "0.25",
     "assumed: skilled migrant work pays a quarter more", "Rise of wage income after training."},
    {section, "workshop_share", T::real, "share", 0, 1, "0.3",
     "assumed: measures: employment_poor_helped (13.15万 in Anhui 2017) against "
     "employment_auxiliary_jobs (7.46万) and poverty_workshops",
     "Share of trained workers placed in a local workshop rather than away."},
    {section, "workshop_wage", T::real, "yuan/month", 0, 1e5, "1200.0",
     "measures: workshop_wage (Huangshan-Xiuning 2018)", "Wage of a workshop job."},
    {section, "workshop_months", T::integer, "months/year", 0, 12, "10", "assumed",
     "Months a year a workshop job pays."},
    {section, "job_loss_rate", T::real, "1/year", 0, 1, "0.1", "assumed",
     "Yearly probability that a workshop job is lost."},
    {section, "post_wage", T::real, "yuan/month", 0, 1e5, "400.0",
     "measures: public_post_wage (Xuancheng-Jixi 2020: 400; range 300-800)",
     "Pay of a public-welfare post (公益性岗位), from the pool."},
    {section, "posts_per_village", T::integer, "posts/village", 0, 10000, "5",
     "assumed: measures: public_posts_poor (495万 posts in 22 provinces, 2020) implies a few "
     "per village early in the campaign", "Most public-welfare posts in one village in a year."},
});

constexpr std::uint8_t job_none = 0, job_skilled = 1, job_workshop = 2;

class EmploymentState final : public MeasureState {
 public:
  explicit EmploymentState(std::size_t n) : job(n), trained(n), post_year(n) {}
  std::size_t bytes_per_household() const override { return 3; }
  Column<std::uint8_t> job;       // job_none, job_skilled, job_workshop
  Column<std::uint8_t> trained;   // 1: a course was funded (success or not)
  Column<std::int8_t> post_year;  // window year index of the current public-welfare post
};

constexpr std::uint8_t option_training = 1, option_post = 2;

class Employment final : public Measure {
 public:
  Employment(ParameterReader& r, int index) : Measure("employment", index, r.boolean(section, "enabled")) {
    source_ = read_pool_source(r, section);
    take_up_ = r.real(section, "take_up");
    training_cost_ = r.real(section, "training_cost");
    success_ = r.real(section, "training_success");
    wage_gain_ = r.real(section, "wage_gain");
    workshop_share_ = r.real(section, "workshop_share");
    workshop_wage_ = r.real(section, "workshop_wage");
    workshop_months_ = static_cast<int>(r.integer(section, "workshop_months"));
    job_loss_ = r.real(section, "job_loss_rate");
    post_wage_ = r.real(section, "post_wage");
    posts_ = static_cast<int>(r.integer(section, "posts_per_village"));
  }

  std::unique_ptr<MeasureState> make_state(const Population& pop) const override {
    return std::make_unique<EmploymentState>(pop.households.count());
  }
  void reset(const Scenario&, const Population&, const RandomKey&, MeasureState* s) const override {
    auto& st = *static_cast<EmploymentState*>(s);
    fill_parallel(st.job, std::uint8_t{job_none});
    fill_parallel(st.trained, std::uint8_t{0});
    fill_parallel(st.post_year, std::int8_t{-1});
  }

  void candidates(const YearContext& c, std::size_t begin, std::size_t end, std::vector<Candidate>& out) const override {
    const auto& st = state_of<EmploymentState>(c, index());
    const Households& h = c.pop.households;
    for (std::size_t i = begin; i < end; ++i) {
      if (c.supported[i] != targeted || c.st.pathway[i] != index()) continue;
      if (!takes_up(c, i, Stream::employment, take_up_)) continue;
      Candidate k;
      k.household = static_cast<std::uint32_t>(i);
      k.measure = static_cast<std::uint8_t>(index());
      k.source = source_;
      k.gap = static_cast<float>(c.line - c.st.assessed_income[i]);
      const Cause m = h.cause_main[i];
      k.cause_match = m == Cause::lack_of_skills || m == Cause::lack_of_labour;
      if (h.labour[i] == LabourCapacity::weak) {
        if (posts_ == 0) continue;
        k.option = option_post;
        k.cost_fen = fen(post_wage_ * 12.0);
        k.gain = static_cast<float>(post_wage_ * 12.0 / h.size[i]);
        k.limit_key = h.village[i];
        k.limit = static_cast<std::uint16_t>(std::min(posts_, 65535));
      } else if (h.labour[i] == LabourCapacity::normal && !st.trained[i]) {
        k.option = option_training;
        k.cost_fen = fen(training_cost_);
        const double wage = h.base_income[0][i];
        k.gain = static_cast<float>(success_ * (workshop_share_ * workshop_wage_ * workshop_months_ +
                                                (1.0 - workshop_share_) * wage_gain_ * wage) / h.size[i]);
      } else {
        continue;
      }
      out.push_back(k);
    }
  }

  void award(const YearContext& c, std::span<const Candidate> funded) const override {
    auto& st = state_of<EmploymentState>(c, index());
    for (const Candidate& k : funded) {
      const std::uint32_t i = k.household;
      if (k.option == option_post) {
        st.post_year[i] = static_cast<std::int8_t>(c.year_index);
        continue;
      }
      st.trained[i] = 1;
      const Draw4 d = draw(c.key, i, Stream::employment, static_cast<std::uint32_t>(c.year_index));
      if (to_unit(d.v[0]) < success_) st.job[i] = to_unit(d.v[1]) < workshop_share_ ? job_workshop : job_skilled;
    }
  }

  void begin_year(const YearContext& c, BlockFrame& f) const override {
    auto& st = state_of<EmploymentState>(c, index());
    const Households& h = c.pop.households;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      const std::size_t j = i - f.begin;
      const bool post = st.post_year[i] == c.year_index;
      if (!post && st.job[i] == job_none) continue;
      if (st.job[i] == job_workshop && job_loss_ > 0) {
        const Draw4 d = draw(c.key, static_cast<std::uint32_t>(i), Stream::employment,
                             static_cast<std::uint32_t>(c.year_index), 1);
        if (to_unit(d.v[2]) < job_loss_) {
          st.job[i] = job_skilled;
          c.st.events[i] |= household_event::job_loss;
        }
      }
      if (st.job[i] == job_workshop) f.extra_monthly[j] += static_cast<float>(workshop_wage_ * workshop_months_ / 12.0);
      if (st.job[i] == job_skilled) f.wage_factor[j] *= static_cast<float>(1.0 + wage_gain_);
      if (post) f.extra_monthly[j] += static_cast<float>(post_wage_);
      if (c.supported[i] != not_supported) f.ledger->beneficiary(h.county[i], index(), h.size[i]);
    }
  }

 private:
  FundSource source_;
  double take_up_ = 1.0;
  double training_cost_, success_, wage_gain_, workshop_share_, workshop_wage_, job_loss_, post_wage_;
  int workshop_months_, posts_;
};

}  // namespace

std::span<const ParameterSpec> employment_specs() { return specs; }
std::shared_ptr<Measure> make_employment(ParameterReader& r, const Scenario&, int index) {
  return std::make_shared<Employment>(r, index);
}

}  // namespace tuopin
