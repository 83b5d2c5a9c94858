// Relocation (易地扶贫搬迁), the plan's largest single item (the proposal's section 二.3:
// 对居住偏远地区、生产生活条件差 … 实行整体易地搬迁, 有序引导他们向县城、工业园区、中心镇、中心村等搬迁).
//
// Who: households identified by the year's plan that live in a very remote village, a village
// without a paved road or without safe water (each criterion switchable), and every simulated
// household of a village flagged for a whole-village move (整体搬迁; whole_village_share of the
// very remote poor villages, drawn once per replicate). A household takes part with
// `willingness` (one draw a year).
// Where: four destinations d = county town, industrial park, central town, central village.
// With choice = "household" the household draws d from a logit over its expected yearly gain
// (in thousands of yuan) and distance from its land,
//     U_d = choice_income x gain_d / 1000 - choice_distance x distance_d,
//     gain_d = wage x (wage_factor_d - 1) + job_probability_d x job_wage x job_months
//              - operating x (1 - farm_kept_d) - living_cost_d x size;
// with choice = "planner" the planner spreads households over destinations in proportion to
// their capacities. Each destination has a capacity per county and year (households), enforced
// by the allocation; a household whose destination is full waits for next year.
// Cost: cost_per_person x cost_factor_d x size, of which own_share is the household's own
// contribution (reported, not deducted from income) and the rest is paid by the pool `source`.
// When: built in the year of funding, moved into `build_years` later (January of that year);
// the house is safe from then. From move-in the month loop reads the destination's parameters:
// wage income x wage_factor_d; a destination job (job_probability_d, drawn at funding) pays
// job_wage for job_months a year; operating income x farm_kept_d (the land is far), unless the
// land is transferred for rent (土地流转, land_transfer_rate) which pays land x land_rent a year
// and keeps no farm income; the food-and-clothing test counts living_cost_d x size a year more
// (town prices); each year at the destination after the first the household returns (返迁)
// with return_rate_d and the destination's effects end. Homestead exit (宅基地腾退): with
// homestead_exit_share the household gives up its old plot: homestead_payment yuan in the
// move-in year, village_share yuan to its old village's collective at funding, and no return.
#include <algorithm>
#include <cmath>

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
constexpr std::string_view section = "measures.relocation";
constexpr int D = 4;  // destinations

const std::array specs = std::to_array<ParameterSpec>({
    {section, "enabled", T::boolean, "-", 0, 0, "false", "not a model parameter", "Switch the measure on."},
    {section, "source", T::string, "-", 0, 0, R"("relocation_fund")",
     "seed proposal: relocation is financed apart from the special funds (measures: "
     "relocation_plan_investment_total: policy-bank loans, bonds, central budget)",
     "Pool that pays the moves (a source of [funding])."},
    {section, "cost_per_person", T::real, "yuan/person", 0, 1e7, "62500.0",
     "calibration: relocation_cost_per_person (China 2016-2020, all sources)",
     "Cost of moving one person (housing capped at 25 m2 a person, measures: "
     "relocation_housing_area_cap_per_person; services; site infrastructure)."},
    {section, "own_share", T::real, "share", 0, 1, "0.023",
     "measures: relocation_self_contribution_share (China 2016-2020, derived)",
     "Share of the cost paid by the household (reported; not deducted from its income)."},
    {section, "eligible_remote", T::boolean, "-", 0, 0, "true",
     "seed proposal: 居住偏远地区、生产生活条件差", "Households of very remote villages are eligible."},
    {section, "eligible_no_road", T::boolean, "-", 0, 0, "true", "assumed: no paved road is a poor condition of life",
     "Households of villages without a paved road are eligible."},
    {section, "eligible_no_water", T::boolean, "-", 0, 0, "false",
     "assumed: safe water is usually brought to the village rather than the village moved",
     "Households of villages without safe water are eligible."},
    {section, "whole_village_share", T::real, "share", 0, 1, "0.2", "assumed",
     "Share of very remote poor villages flagged for a whole-village move (整体搬迁), drawn per "
     "replicate; all their simulated households are eligible, registered or not."},
    {section, "willingness", T::real, "probability", 0, 1, "0.6",
     "assumed: measures: relocation_need_share (92.7% of registered relocation households "
     "needed to move) is need, not willingness; many hesitate to leave their land",
     "Probability that an eligible household agrees to move in a year."},
    {section, "capacity", T::integer_array, "households/county/year", 0, 65535, "[15, 10, 25, 50]",
     "assumed: sized so that Anqing moves about 1,100 households (2,800 people) a year, near the "
     "2,728 people moved into 170 sites by December 2016 (calibration: relocated_people_cumulative, "
     "relocation_sites); no split by site type is public (measures: relocation_concentrated_share)",
     "Households each county can move to each destination in a year: county town, industrial "
     "park, central town, central village.", 4},
    {section, "cost_factor", T::real_array, "factor", 0, 10, "[1.2, 1.1, 1.0, 0.9]",
     "assumed: land and building cost more in towns", "Cost per person relative to cost_per_person, by destination.", 4},
    {section, "wage_factor", T::real_array, "factor", 0, 10, "[1.3, 1.4, 1.2, 1.05]",
     "assumed; relocation raised incomes about 10% mainly through wages (calibration: "
     "relocation_income_effect)", "Multiplier of wage income after the move, by destination.", 4},
    {section, "job_probability", T::real_array, "probability", 0, 1, "[0.4, 0.6, 0.3, 0.1]",
     "assumed: industrial parks and towns offer jobs; central villages few",
     "Probability that the household gets a job at the destination, by destination.", 4},
    {section, "job_wage", T::real, "yuan/month", 0, 1e5, "1200.0", "measures: workshop_wage (Huangshan-Xiuning 2018)",
     "Pay of a destination job."},
    {section, "job_months", T::integer, "months/year", 0, 12, "10", "assumed", "Months a year a destination job pays."},
    {section, "farm_kept", T::real_array, "share", 0, 1, "[0.2, 0.3, 0.5, 0.9]",
     "assumed: the farther from the land, the less is farmed",
     "Share of operating income kept after the move, by destination (without land transfer).", 4},
    {section, "land_transfer_rate", T::real, "probability", 0, 1, "0.5",
     "seed proposal: 引导农民依法、自愿、有偿将土地 … 流转", "Probability that a moving household transfers its land for rent."},
    {section, "land_rent", T::real, "yuan/mu/year", 0, 1e5, "300.0",
     "assumed: land transfer rents in hilly Anhui were a few hundred yuan per 亩", "Rent of transferred land."},
    {section, "living_cost", T::real_array, "yuan/person/year", 0, 1e5, "[600.0, 500.0, 300.0, 0.0]",
     "assumed: food, water and heating cost more in towns than on the farm",
     "Extra living cost counted in the food-and-clothing test, by destination.", 4},
    {section, "return_rate", T::real_array, "1/year", 0, 1, "[0.03, 0.02, 0.02, 0.01]",
     "assumed: some relocated households drift back to their land (返迁)",
     "Yearly probability of returning, by destination (not after homestead exit).", 4},
    {section, "distance", T::real_array, "index", 0, 100, "[3.0, 2.0, 1.0, 0.0]",
     "assumed: a central village is nearest the household's land, the county town farthest",
     "Distance from the land, by destination (an index for the choice).", 4},
    {section, "choice", T::string, "-", 0, 0, R"("household")",
     "seed proposal: 根据贫困户的不同情况,有序引导", "\"household\": a logit choice; \"planner\": assignment by capacity."},
    {section, "choice_income", T::real, "per 1000 yuan", 0, 100, "1.0", "assumed",
     "Weight of the expected yearly gain (thousands of yuan) in the household's choice."},
    {section, "choice_distance", T::real, "per distance step", 0, 100, "0.5", "assumed",
     "Weight of distance from the land in the household's choice."},
    {section, "build_years", T::integer, "years", 0, 3, "1",
     "calibration: relocation_sites (sites built in 2016 were moved into from the end of 2016); "
     "assumed: built in one year, moved into the next", "Years from funding to move-in."},
    {section, "homestead_exit_share", T::real, "share", 0, 1, "0.3",
     "seed proposal: 开展宅基地腾退试点 (share assumed)", "Share of moving households that give up their old plot."},
    {section, "homestead_payment", T::real, "yuan/household", 0, 1e7, "10000.0",
     "assumed: 获得的净收益拿出一部分返还给贫困村、贫困户 (no public amount)",
     "Land-quota revenue paid to a household that gives up its plot (in the move-in year)."},
    {section, "village_share", T::real, "yuan/household", 0, 1e7, "5000.0", "assumed",
     "Land-quota revenue paid to the old village's collective per plot given up."},
});

const std::array metric_list = std::to_array<MetricInfo>({
    {"relocated_households", "households", "households that moved into a relocation site in the year", "当年搬迁入住户数"},
    {"relocated_people", "persons", "people of the households that moved in the year", "当年搬迁入住人口"},
    {"relocation_returns", "households", "relocated households that returned to their old village in the year", "当年返迁户数"},
    {"relocation_own_contribution_yuan", "yuan", "relocating households' own contribution to the cost, at funding", "搬迁户自筹资金"},
});

constexpr std::uint8_t flag_job = 1, flag_land = 2, flag_homestead = 4, flag_returned = 8;

class RelocationState final : public MeasureState {
 public:
  RelocationState(std::size_t households, std::size_t villages)
      : destination(households), move_year(households), flags(households), whole_village(villages, 0) {}
  std::size_t bytes_per_household() const override { return 3; }
  Column<std::uint8_t> destination;  // 0 none, 1..4 the destination (funded, perhaps not moved yet)
  Column<std::int8_t> move_year;     // window year index of move-in
  Column<std::uint8_t> flags;        // flag_job | flag_land | flag_homestead | flag_returned
  std::vector<std::uint8_t> whole_village;  // per village: flagged for a whole-village move
};

class Relocation final : public Measure {
 public:
  Relocation(ParameterReader& r, int index) : Measure("relocation", index, r.boolean(section, "enabled")) {
    source_ = read_pool_source(r, section);
    cost_ = r.real(section, "cost_per_person");
    own_ = r.real(section, "own_share");
    remote_ = r.boolean(section, "eligible_remote");
    no_road_ = r.boolean(section, "eligible_no_road");
    no_water_ = r.boolean(section, "eligible_no_water");
    whole_ = r.real(section, "whole_village_share");
    willing_ = r.real(section, "willingness");
    const auto cap = r.integers(section, "capacity");
    auto copy = [&](std::string_view key, std::array<double, D>& out) {
      const auto v = r.reals(section, key);
      std::copy_n(v.begin(), D, out.begin());
    };
    for (int d = 0; d < D; ++d) capacity_[d] = static_cast<int>(cap[d]);
    copy("cost_factor", cost_factor_);
    copy("wage_factor", wage_factor_);
    copy("job_probability", job_probability_);
    job_wage_ = r.real(section, "job_wage");
    job_months_ = static_cast<int>(r.integer(section, "job_months"));
    copy("farm_kept", farm_kept_);
    land_transfer_ = r.real(section, "land_transfer_rate");
    land_rent_ = r.real(section, "land_rent");
    copy("living_cost", living_cost_);
    copy("return_rate", return_rate_);
    copy("distance", distance_);
    planner_ = r.choice(section, "choice", {"household", "planner"}) == 1;
    beta_income_ = r.real(section, "choice_income");
    beta_distance_ = r.real(section, "choice_distance");
    build_years_ = static_cast<int>(r.integer(section, "build_years"));
    homestead_ = r.real(section, "homestead_exit_share");
    homestead_payment_ = r.real(section, "homestead_payment");
    village_share_ = r.real(section, "village_share");
    double total = 0;
    for (int d = 0; d < D; ++d) total += capacity_[d];
    for (int d = 0; d < D; ++d) capacity_cum_[d] = (d ? capacity_cum_[d - 1] : 0.0) + (total > 0 ? capacity_[d] / total : 0.25);
  }
  std::span<const MetricInfo> metrics() const override { return metric_list; }

  std::unique_ptr<MeasureState> make_state(const Population& pop) const override {
    return std::make_unique<RelocationState>(pop.households.count(), pop.villages.count());
  }
  void reset(const Scenario&, const Population& pop, const RandomKey& key, MeasureState* s) const override {
    auto& st = *static_cast<RelocationState*>(s);
    fill_parallel(st.destination, std::uint8_t{0});
    fill_parallel(st.move_year, std::int8_t{-1});
    fill_parallel(st.flags, std::uint8_t{0});
    for (std::size_t v = 0; v < st.whole_village.size(); ++v)
      st.whole_village[v] = pop.villages.poor[v] && pop.villages.remoteness[v] == 2 && whole_ > 0 &&
                            to_unit(draw(key, static_cast<std::uint32_t>(v), Stream::relocation, 0, 8).v[0]) < whole_;
  }

  // The destination a household would choose (or be assigned), 0..3, from a uniform u.
  int destination_for(const Households& h, std::size_t i, double u) const {
    if (planner_) {
      for (int d = 0; d < D; ++d)
        if (u < capacity_cum_[d]) return d;
      return D - 1;
    }
    std::array<double, D> w{};
    double sum = 0;
    for (int d = 0; d < D; ++d) {
      const double gain = h.base_income[0][i] * (wage_factor_[d] - 1.0) + job_probability_[d] * job_wage_ * job_months_ -
                          h.base_income[1][i] * (1.0 - farm_kept_[d]) - living_cost_[d] * h.size[i];
      w[d] = std::exp(beta_income_ * gain / 1000.0 - beta_distance_ * distance_[d]);
      sum += w[d];
    }
    double acc = 0;
    for (int d = 0; d < D; ++d) {
      acc += w[d] / sum;
      if (u < acc) return d;
    }
    return D - 1;
  }

  void candidates(const YearContext& c, std::size_t begin, std::size_t end, std::vector<Candidate>& out) const override {
    const auto& st = state_of<RelocationState>(c, index());
    const Households& h = c.pop.households;
    const Villages& vil = c.pop.villages;
    for (std::size_t i = begin; i < end; ++i) {
      if (st.destination[i]) continue;
      const std::uint32_t v = h.village[i];
      const bool whole = st.whole_village[v];
      const bool place = (remote_ && vil.remoteness[v] == 2) || (no_road_ && !c.villages.road[v]) ||
                         (no_water_ && !c.villages.water[v]);
      if (!whole && !(place && c.supported[i] == targeted)) continue;
      if (!takes_up(c, i, Stream::relocation, willing_)) continue;
      const Draw4 d4 = draw(c.key, static_cast<std::uint32_t>(i), Stream::relocation, static_cast<std::uint32_t>(c.year_index));
      const int d = destination_for(h, i, to_unit(d4.v[1]));
      if (capacity_[d] == 0) continue;
      Candidate k;
      k.household = static_cast<std::uint32_t>(i);
      k.measure = static_cast<std::uint8_t>(index());
      k.source = source_;
      k.option = static_cast<std::uint8_t>(d);
      k.cost_fen = fen((1.0 - own_) * cost_ * cost_factor_[d] * h.size[i]);
      k.gap = static_cast<float>(c.line - c.st.assessed_income[i]);
      k.gain = static_cast<float>(std::max(0.0, h.base_income[0][i] * (wage_factor_[d] - 1.0) +
                                                     job_probability_[d] * job_wage_ * job_months_) / h.size[i]);
      k.cause_match = h.cause_main[i] == Cause::poor_transport || h.cause_main[i] == Cause::lack_of_water ||
                      h.cause_main[i] == Cause::lack_of_land;
      k.limit_key = static_cast<std::uint32_t>(d);
      k.limit = static_cast<std::uint16_t>(capacity_[d]);
      out.push_back(k);
    }
  }

  void award(const YearContext& c, std::span<const Candidate> funded) const override {
    auto& st = state_of<RelocationState>(c, index());
    const Households& h = c.pop.households;
    for (const Candidate& k : funded) {
      const std::uint32_t i = k.household;
      const Draw4 d = draw(c.key, i, Stream::relocation, static_cast<std::uint32_t>(c.year_index), 1);
      st.destination[i] = static_cast<std::uint8_t>(k.option + 1);
      st.move_year[i] = static_cast<std::int8_t>(c.year_index + build_years_);
      std::uint8_t f = 0;
      if (to_unit(d.v[0]) < job_probability_[k.option]) f |= flag_job;
      if (to_unit(d.v[1]) < land_transfer_) f |= flag_land;
      if (to_unit(d.v[2]) < homestead_) {
        f |= flag_homestead;
        c.villages.collective_income[h.village[i]] += static_cast<float>(village_share_);
      }
      st.flags[i] = f;
    }
  }

  void begin_year(const YearContext& c, BlockFrame& f) const override {
    auto& st = state_of<RelocationState>(c, index());
    const Households& h = c.pop.households;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      const int dest = st.destination[i];
      if (!dest) continue;
      const int d = dest - 1;
      const std::size_t j = i - f.begin;
      const int county = h.county[i];
      if (st.move_year[i] == c.year_index + build_years_)  // funded this year: its own contribution
        f.ledger->add(county, metric_offset() + 3, round_amount(own_ * cost_ * cost_factor_[d] * h.size[i]));
      if (st.move_year[i] > c.year_index || (st.flags[i] & flag_returned)) continue;
      if (st.move_year[i] == c.year_index) {
        f.safe_from_month[j] = 1;
        f.ledger->add(county, metric_offset(), 1);
        f.ledger->add(county, metric_offset() + 1, h.size[i]);
        if (st.flags[i] & flag_homestead) f.extra_monthly[j] += static_cast<float>(homestead_payment_ / 12.0);
      } else if (!(st.flags[i] & flag_homestead) && return_rate_[d] > 0 &&
                 to_unit(draw(c.key, static_cast<std::uint32_t>(i), Stream::relocation,
                              static_cast<std::uint32_t>(c.year_index), 2).v[0]) < return_rate_[d]) {
        st.flags[i] |= flag_returned;
        c.st.events[i] |= household_event::relocation_return;
        f.ledger->add(county, metric_offset() + 2, 1);
        continue;
      }
      f.wage_factor[j] *= static_cast<float>(wage_factor_[d]);
      if (st.flags[i] & flag_job) f.extra_monthly[j] += static_cast<float>(job_wage_ * job_months_ / 12.0);
      if (st.flags[i] & flag_land) {
        f.operating_factor[j] = 0.0f;
        f.extra_monthly[j] += static_cast<float>(h.land[i] * land_rent_ / 12.0);
      } else {
        f.operating_factor[j] *= static_cast<float>(farm_kept_[d]);
      }
      f.ledger->beneficiary(county, index(), h.size[i]);
    }
  }

  void before_assessment(const YearContext& c, BlockFrame& f) const override {
    const auto& st = state_of<RelocationState>(c, index());
    const Households& h = c.pop.households;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      const int dest = st.destination[i];
      if (!dest || st.move_year[i] > c.year_index || (st.flags[i] & flag_returned)) continue;
      f.living_cost[i - f.begin] += static_cast<float>(living_cost_[dest - 1] * h.size[i]);
    }
  }



 private:
  FundSource source_;
  double cost_, own_, whole_, willing_, job_wage_, land_transfer_, land_rent_, beta_income_, beta_distance_;
  double homestead_, homestead_payment_, village_share_;
  bool remote_, no_road_, no_water_, planner_;
  int job_months_, build_years_;
  std::array<int, D> capacity_{};
  std::array<double, D> cost_factor_{}, wage_factor_{}, job_probability_{}, farm_kept_{}, living_cost_{},
      return_rate_{}, distance_{}, capacity_cum_{};
};

}  // namespace

std::span<const ParameterSpec> relocation_specs() { return specs; }
std::shared_ptr<Measure> make_relocation(ParameterReader& r, const Scenario&, int index) {
  return std::make_shared<Relocation>(r, index);
}

}  // namespace tuopin
