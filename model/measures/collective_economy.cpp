// Village collective economy and infrastructure (村集体经济, 空壳村村财增收; the proposal's
// section 五.三, and its 基础设施还很落后): the plan funds village projects from a pool, and a
// village's collective income pays public-welfare posts and dividends to its supported
// households.
//
// Candidates are villages. The pools group requests by the county of their `household`, so a
// village's request carries its representative household (the first household of the village
// by id, VillageIndex) and the village index in limit_key; villages without households are
// skipped. Each year a village may ask for (in this order)
//   income  a workshop, tourism or shares in an enterprise: cost project_cost, when its
//           collective income (with the projects under way) is below income_target;
//   road    a paved road (通村硬化路), cost road_cost, when it has none;
//   water   safe drinking water (安全饮水), cost water_cost, when it has none;
// at most projects_per_village funded a year, and only poor villages (贫困村) with
// poor_villages_only. A project is finished build_years after it is funded (in the plan of
// that year): a road or water project sets VillageState::road / water, an income project adds
// project_income a year to VillageState::collective_income. Each working income project fails
// with failure_rate a year (one `collective` draw per village, year and project; its income is
// lost for the rest of the run).
// Order in a pool: tier 0 for a poor village's road, water, or income project of an empty-shell
// village (collective income 0); tier 1 for a poor village's income project when it has some
// income; tiers 2 and 3 likewise for other villages; within a tier the need score (the
// Candidate's gap) is the registered poor people of the village, largest first (then the
// representative's allocation draw, then the order above).
// Effects, every month of the year (begin_year), for every household of a village whose road or
// water was built in this run (none at the start of the replicate: Villages::road, water):
//   wage x road_wage_factor, operating income x road_operating_factor (road);
//   operating income x water_operating_factor (water).
// Pay-outs, computed each year in the plan (award) from the village's collective income above
// its level at the start of the replicate (all of it with baseline_pays):
//   posts     = min(max_posts, eligible, floor(post_share x income / (12 x post_wage))), paid
//               post_wage a month to supported households with labour (weak or normal), drawn
//               uniformly among them (selection sampling, `collective` draws per village);
//   dividends = dividend_share x income / supported households of the village, a year.
#include <algorithm>
#include <cmath>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

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
constexpr std::string_view section = "measures.collective_economy";

const std::array specs = std::to_array<ParameterSpec>({
    {section, "enabled", T::boolean, "-", 0, 0, "false", "not a model parameter", "Switch the measure on."},
    {section, "source", T::string, "-", 0, 0, R"("integrated_agri")",
     "seed proposal: 整合项目资金促增收 (integrated agricultural funds, 涉农资金整合, which reach the "
     "key poverty counties only; any pool may be named)",
     "Pool that pays the village projects (a source of [funding])."},
    {section, "poor_villages_only", T::boolean, "-", 0, 0, "true",
     "seed proposal: 开展贫困空壳村村财增收试点", "Fund projects in registered poor villages (贫困村) only."},
    {section, "projects_per_village", T::integer, "projects/village/year", 0, 100, "2",
     "assumed: measures: industry_household_project_coverage (6.4 village projects per poor "
     "village in Anhui by the end of 2017, about two a year)",
     "Most projects (of any type) funded in one village in a year (0: none)."},
    {section, "build_years", T::integer, "years", 0, 5, "1",
     "assumed: a workshop, a road or a water supply funded in one year is built during it and "
     "works from the next",
     "Years from funding to a finished project (0: it works in the year it is funded)."},
    {section, "project_cost", T::real, "yuan/project", 0, 1e9, "985000.0",
     "measures: asset_dividend_per_person (Chizhou-Qingyang 2020: 394万 of fiscal money in 4 "
     "village projects)", "Cost of one income project (one-off)."},
    {section, "project_income", T::real, "yuan/project/year", 0, 1e9, "66750.0",
     "measures: asset_dividend_per_person (the 4 Qingyang projects earned 26.7万 a year, a "
     "return of 6.8%: measures: asset_return_on_fiscal_capital)",
     "Yearly collective income of a working income project."},
    {section, "income_target", T::real, "yuan/village/year", 0, 1e9, "50000.0",
     "assumed: one project lifts an empty-shell village above it; no village income standard "
     "is in the data",
     "A village asks for an income project while its collective income (with projects under "
     "way) is below this."},
    {section, "failure_rate", T::real, "1/project/year", 0, 1, "0.05",
     "assumed: as asset_income.failure_rate",
     "Yearly probability that a working income project fails and earns nothing more."},
    {section, "road_cost", T::real, "yuan/village", 0, 1e9, "700000.0",
     "assumed: measures: funds_local_debt_poor_villages (31亿 for the infrastructure of Anhui's "
     "3,000 poor villages in 2017, about 103万 each), 70万 of it for a road",
     "Cost of a paved road to a village (one-off)."},
    {section, "water_cost", T::real, "yuan/village", 0, 1e9, "300000.0",
     "assumed: the rest of the 103万 per village of measures: funds_local_debt_poor_villages",
     "Cost of a safe drinking-water supply for a village (one-off)."},
    {section, "road_wage_factor", T::real, "factor", 0, 10, "1.1",
     "assumed: a road brings a remote village part of the way to a near one "
     "(income.remoteness_wage_factor: 0.85 remote, 1.0 near)",
     "Multiplier of wage income of the households of a village whose road was built in the run."},
    {section, "road_operating_factor", T::real, "factor", 0, 10, "1.1",
     "assumed: produce reaches markets at lower cost",
     "Multiplier of operating income of the households of a village whose road was built in the run."},
    {section, "water_operating_factor", T::real, "factor", 0, 10, "1.05",
     "assumed: water for livestock and processing; the health side is not modelled",
     "Multiplier of operating income of the households of a village whose water supply was built "
     "in the run."},
    {section, "post_share", T::real, "share", 0, 1, "0.3",
     "assumed: measures: pv_beneficiary_households (11.55万 posts paid from village PV income in "
     "Anhui, 2020) shows collective income paying posts; the share is not in the data",
     "Share of the collective income (above its start) that pays public-welfare posts."},
    {section, "post_wage", T::real, "yuan/month", 0, 1e5, "400.0",
     "measures: public_post_wage (Xuancheng-Jixi 2020: 400 a month, a cleaner post paid from "
     "village PV income)", "Pay of a public-welfare post paid by the village collective."},
    {section, "max_posts", T::integer, "posts/village", 0, 10000, "40",
     "derived: measures: pv_beneficiary_households (11.55万 posts in 2,871 villages, about 40 each)",
     "Most posts a village collective pays in a year."},
    {section, "dividend_share", T::real, "share", 0, 1, "0.5",
     "measures: asset_dividend_per_person (Chizhou-Qingyang 2020: 13.392万 of the projects' 26.7万 "
     "paid to poor households)",
     "Share of the collective income (above its start) paid as dividends, split equally among "
     "the village's supported households. post_share + dividend_share is at most 1."},
    {section, "baseline_pays", T::boolean, "-", 0, 0, "false",
     "assumed: the income a village had before the plan pays its running costs, as in the "
     "baseline", "true: all collective income pays posts and dividends; false: only its rise "
     "over the start of the run (from this measure's projects or any other measure)."},
});

const std::array metric_list = std::to_array<MetricInfo>({
    {"collective_projects", "projects", "village income projects funded (workshops, tourism, shares in enterprises)",
     "村集体经济项目(当年立项)"},
    {"village_road_projects", "projects", "village road projects funded", "通村硬化路项目(当年立项)"},
    {"village_water_projects", "projects", "village safe-water projects funded", "安全饮水项目(当年立项)"},
    {"collective_income_villages", "villages", "villages with collective income in the year (not 空壳村)",
     "有集体经营收入的村"},
    {"collective_income_yuan", "yuan", "villages' collective income in the year", "村集体经济收入"},
    {"collective_posts", "posts", "public-welfare posts paid from collective income", "村集体收益设置的公益性岗位"},
    {"collective_payout_yuan", "yuan", "posts' wages and dividends paid from collective income to supported households",
     "村集体收益分配给帮扶户的岗位工资和分红"},
});

constexpr std::uint8_t option_income = 0, option_road = 1, option_water = 2;
constexpr std::uint32_t selection_draw = 0x10000;  // draw index of post selection (failures: 0..65534)

class CollectiveState final : public MeasureState {
 public:
  explicit CollectiveState(const Population& pop) : post(pop.households.count()) {
    const std::size_t V = pop.villages.count();
    VillageIndex index;  // the engine builds its own for the years (YearContext::village_index)
    index.build(pop.households.village, V);
    for (std::size_t v = 0; v < V; ++v)
      if (index.size(v) > 0) reps.push_back({index.representative(v), static_cast<std::uint32_t>(v)});
    std::sort(reps.begin(), reps.end());
    road_year.assign(V, -1);
    water_year.assign(V, -1);
    working.assign(V, 0);
    pending.assign(V, 0);
    funded.assign(3 * V, 0);
    posts.assign(V, 0);
    dividend_monthly.assign(V, 0.0f);
    payout.assign(V, 0.0);
  }
  // The post column (the village index is the engine's).
  std::size_t bytes_per_household() const override { return 1; }

  std::vector<std::pair<std::uint32_t, std::uint32_t>> reps;  // (representative household, village), by household
  Column<std::uint8_t> post;               // per household: 1 holds a collective post this year
  // per village
  std::vector<std::int8_t> road_year, water_year;  // window year funded, -1: none
  std::vector<std::uint16_t> working;      // working income projects
  std::vector<std::uint16_t> pending;      // income projects funded, not finished
  std::vector<std::uint8_t> funded_income; // [year * V + v]: income projects funded that year
  std::vector<std::uint8_t> funded;        // [3 v + option]: funded this year (metrics)
  std::vector<std::uint16_t> posts;        // posts paid this year
  std::vector<float> dividend_monthly;     // per supported household, yuan/month
  std::vector<double> payout;              // posts and dividends this year, yuan
  std::vector<float> start_income;         // collective income at the start of the replicate
};

class CollectiveEconomy final : public Measure {
 public:
  CollectiveEconomy(ParameterReader& r, int index)
      : Measure("collective_economy", index, r.boolean(section, "enabled")) {
    source_ = read_pool_source(r, section);
    poor_only_ = r.boolean(section, "poor_villages_only");
    per_village_ = static_cast<int>(r.integer(section, "projects_per_village"));
    build_ = static_cast<int>(r.integer(section, "build_years"));
    project_cost_ = r.real(section, "project_cost");
    project_income_ = r.real(section, "project_income");
    target_ = r.real(section, "income_target");
    failure_ = r.real(section, "failure_rate");
    road_cost_ = r.real(section, "road_cost");
    water_cost_ = r.real(section, "water_cost");
    road_wage_ = r.real(section, "road_wage_factor");
    road_operating_ = r.real(section, "road_operating_factor");
    water_operating_ = r.real(section, "water_operating_factor");
    post_share_ = r.real(section, "post_share");
    post_wage_ = r.real(section, "post_wage");
    max_posts_ = static_cast<int>(r.integer(section, "max_posts"));
    dividend_share_ = r.real(section, "dividend_share");
    baseline_pays_ = r.boolean(section, "baseline_pays");
    if (post_share_ + dividend_share_ > 1.0 + 1e-12)
      r.fail(section, "dividend_share",
             "'" + std::string(section) + ".post_share' + 'dividend_share' is " +
                 std::to_string(post_share_ + dividend_share_) +
                 "; expected at most 1 (shares of the same collective income)");
  }
  std::span<const MetricInfo> metrics() const override { return metric_list; }

  std::unique_ptr<MeasureState> make_state(const Population& pop) const override {
    return std::make_unique<CollectiveState>(pop);
  }
  void reset(const Scenario& s, const Population& pop, const RandomKey&, MeasureState* ms) const override {
    auto& st = *static_cast<CollectiveState*>(ms);
    fill_parallel(st.post, std::uint8_t{0});
    std::fill(st.road_year.begin(), st.road_year.end(), -1);
    std::fill(st.water_year.begin(), st.water_year.end(), -1);
    std::fill(st.working.begin(), st.working.end(), 0);
    std::fill(st.pending.begin(), st.pending.end(), 0);
    std::fill(st.funded.begin(), st.funded.end(), 0);
    std::fill(st.posts.begin(), st.posts.end(), 0);
    std::fill(st.dividend_monthly.begin(), st.dividend_monthly.end(), 0.0f);
    std::fill(st.payout.begin(), st.payout.end(), 0.0);
    st.funded_income.assign(static_cast<std::size_t>(std::max(1, s.years())) * pop.villages.count(), 0);
    st.start_income = pop.villages.collective_income;
  }

  // One request per project type a village needs, emitted by the block holding the village's
  // representative household.
  void candidates(const YearContext& c, std::size_t begin, std::size_t end, std::vector<Candidate>& out) const override {
    if (per_village_ == 0) return;
    const auto& st = state_of<CollectiveState>(c, index());
    const Households& h = c.pop.households;
    const Villages& villages = c.pop.villages;
    const VillageState& vs = c.villages;
    auto it = std::lower_bound(st.reps.begin(), st.reps.end(), std::pair<std::uint32_t, std::uint32_t>{
                                                                   static_cast<std::uint32_t>(begin), 0});
    for (; it != st.reps.end() && it->first < end; ++it) {
      const std::uint32_t v = it->second;
      if (poor_only_ && !villages.poor[v]) continue;
      const bool want_income =
          project_income_ > 0 && vs.collective_income[v] + st.pending[v] * project_income_ < target_;
      const bool want_road = !vs.road[v] && st.road_year[v] < 0;
      const bool want_water = !vs.water[v] && st.water_year[v] < 0;
      if (!want_income && !want_road && !want_water) continue;
      // The village's need: its registered poor people, and what a project would bring them.
      double people = 0, poor_people = 0, wage = 0, operating = 0;
      int transport = 0, water = 0;
      for (std::uint32_t k = c.village_index.first[v]; k < c.village_index.first[v + 1]; ++k) {
        const std::uint32_t i = c.village_index.ids[k];
        people += h.size[i];
        wage += h.base_income[0][i];
        operating += h.base_income[1][i];
        if (!counts_as_poor(c.st.status[i])) continue;
        poor_people += h.size[i];
        transport += h.cause_main[i] == Cause::poor_transport;
        water += h.cause_main[i] == Cause::lack_of_water;
      }
      const int tier = villages.poor[v] ? 0 : 2;
      Candidate k;
      k.household = it->first;
      k.measure = static_cast<std::uint8_t>(index());
      k.source = source_;
      k.limit_key = v;
      k.limit = static_cast<std::uint16_t>(std::min(per_village_, 65535));
      k.gap = static_cast<float>(poor_people);
      if (want_income) {
        Candidate p = k;
        p.option = option_income;
        p.tier = static_cast<std::uint8_t>(tier + (vs.collective_income[v] > 0 ? 1 : 0));
        p.cost_fen = fen(project_cost_);
        p.gain = static_cast<float>(project_income_ * (post_share_ + dividend_share_) / std::max(1.0, poor_people));
        p.cause_match = 0;
        out.push_back(p);
      }
      if (want_road) {
        Candidate p = k;
        p.option = option_road;
        p.tier = static_cast<std::uint8_t>(tier);
        p.cost_fen = fen(road_cost_);
        p.gain = static_cast<float>(((road_wage_ - 1) * wage + (road_operating_ - 1) * operating) / std::max(1.0, people));
        p.cause_match = transport > 0;
        out.push_back(p);
      }
      if (want_water) {
        Candidate p = k;
        p.option = option_water;
        p.tier = static_cast<std::uint8_t>(tier);
        p.cost_fen = fen(water_cost_);
        p.gain = static_cast<float>((water_operating_ - 1) * operating / std::max(1.0, people));
        p.cause_match = water > 0;
        out.push_back(p);
      }
    }
  }

  // Once a year: failures of working projects, the funded projects, the projects finished this
  // year, then the year's pay-outs of every village. Each village's failures, completions and
  // pay-outs touch only its own entries and households, with draws keyed by the village, so
  // villages run in parallel; the funded projects are walked in order.
  void award(const YearContext& c, std::span<const Candidate> funded) const override {
    auto& st = state_of<CollectiveState>(c, index());
    const Households& h = c.pop.households;
    VillageState& vs = c.villages;
    const auto y = static_cast<std::uint32_t>(c.year_index);
    const std::size_t V = vs.road.size();
    std::fill(st.funded.begin(), st.funded.end(), 0);
    if (failure_ > 0)
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, V, 64), [&](const auto& range) {
        for (std::size_t v = range.begin(); v != range.end(); ++v) {
          int lost = 0;
          for (int k = 0; k < st.working[v]; ++k)
            lost += to_unit(draw(c.key, static_cast<std::uint32_t>(v), Stream::collective, y,
                                 static_cast<std::uint32_t>(k)).v[0]) < failure_;
          if (lost == 0) continue;
          st.working[v] = static_cast<std::uint16_t>(st.working[v] - lost);
          vs.collective_income[v] = static_cast<float>(std::max(0.0, vs.collective_income[v] - lost * project_income_));
        }
      });
    for (const Candidate& k : funded) {
      const std::uint32_t v = h.village[k.household];
      ++st.funded[3 * v + k.option];
      if (k.option == option_road) st.road_year[v] = static_cast<std::int8_t>(c.year_index);
      if (k.option == option_water) st.water_year[v] = static_cast<std::int8_t>(c.year_index);
      if (k.option == option_income) {
        ++st.pending[v];
        ++st.funded_income[y * V + v];
      }
    }
    const int done = c.year_index - build_;  // projects funded in year `done` are finished now
    if (done >= 0)
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, V, 4096), [&](const auto& range) {
        for (std::size_t v = range.begin(); v != range.end(); ++v) {
          if (st.road_year[v] == done) vs.road[v] = 1;
          if (st.water_year[v] == done) vs.water[v] = 1;
          const int n = st.funded_income[static_cast<std::size_t>(done) * V + v];
          if (n == 0) continue;
          st.pending[v] = static_cast<std::uint16_t>(st.pending[v] - n);
          st.working[v] = static_cast<std::uint16_t>(std::min(65535, st.working[v] + n));
          vs.collective_income[v] = static_cast<float>(vs.collective_income[v] + n * project_income_);
        }
      });
    const std::size_t indexed = c.village_index.first.empty() ? 0 : c.village_index.first.size() - 1;
    // Pieces as fine as one village: a population synthesised from the Anqing default keeps its
    // 1,640 villages at any size, so at millions of households a village holds thousands, and
    // pieces of 64 villages (26 in all) left most of 16 threads idle.
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, indexed, 1),
                      [&](const auto& range) { pay_outs(c, st, range.begin(), range.end()); });
  }

  // The pay-outs of villages [begin, end): each writes its own entries and its own households'
  // posts.
  void pay_outs(const YearContext& c, CollectiveState& st, std::size_t begin, std::size_t end) const {
    const Households& h = c.pop.households;
    const VillageState& vs = c.villages;
    const auto y = static_cast<std::uint32_t>(c.year_index);
    for (std::size_t v = begin; v < end; ++v) {
      const std::uint32_t* first = c.village_index.ids.data() + c.village_index.first[v];
      const std::uint32_t* last = c.village_index.ids.data() + c.village_index.first[v + 1];
      const double income = std::max(0.0, static_cast<double>(vs.collective_income[v]) -
                                              (baseline_pays_ ? 0.0 : st.start_income[v]));
      int supported = 0, eligible = 0;
      for (const std::uint32_t* p = first; p != last; ++p) {
        st.post[*p] = 0;
        if (c.supported[*p] == not_supported) continue;
        ++supported;
        eligible += h.labour[*p] != LabourCapacity::none;
      }
      int posts = 0;
      if (income > 0 && post_wage_ > 0)
        posts = static_cast<int>(std::min<double>({static_cast<double>(max_posts_), static_cast<double>(eligible),
                                                   std::floor(post_share_ * income / (12.0 * post_wage_))}));
      st.posts[v] = static_cast<std::uint16_t>(posts);
      st.dividend_monthly[v] = supported > 0 ? static_cast<float>(dividend_share_ * income / supported / 12.0) : 0.0f;
      st.payout[v] = posts * 12.0 * post_wage_ + (supported > 0 ? dividend_share_ * income : 0.0);
      // Selection sampling: each eligible household in id order gets a post with probability
      // (posts left) / (eligible left), so exactly `posts` are drawn, uniformly.
      int left = posts, remaining = eligible;
      std::uint32_t j = 0;
      for (const std::uint32_t* p = first; p != last && left > 0; ++p) {
        if (c.supported[*p] == not_supported || h.labour[*p] == LabourCapacity::none) continue;
        const double u = to_unit(draw(c.key, static_cast<std::uint32_t>(v), Stream::collective, y, selection_draw + j++).v[0]);
        if (u * remaining < left) {
          st.post[*p] = 1;
          --left;
        }
        --remaining;
      }
    }
  }

  void begin_year(const YearContext& c, BlockFrame& f) const override {
    const auto& st = state_of<CollectiveState>(c, index());
    const Households& h = c.pop.households;
    const Villages& before = c.pop.villages;
    const VillageState& vs = c.villages;
    const auto rw = static_cast<float>(road_wage_), ro = static_cast<float>(road_operating_),
               wo = static_cast<float>(water_operating_), wage = static_cast<float>(post_wage_);
    for (std::size_t i = f.begin; i < f.end; ++i) {
      const std::size_t j = i - f.begin;
      const std::uint32_t v = h.village[i];
      bool reached = false;
      if (vs.road[v] && !before.road[v]) {
        f.wage_factor[j] *= rw;
        f.operating_factor[j] *= ro;
        reached = true;
      }
      if (vs.water[v] && !before.water[v]) {
        f.operating_factor[j] *= wo;
        reached = true;
      }
      if (c.supported[i] == not_supported) continue;
      const float pay = st.dividend_monthly[v] + (st.post[i] ? wage : 0.0f);
      if (pay > 0) {
        f.extra_monthly[j] += pay;
        reached = true;
      }
      if (reached) f.ledger->beneficiary(h.county[i], index(), h.size[i]);
    }
  }

  // Serial: the year's village metrics.
  void settle(const YearContext& c, PoolBook&, Ledger& ledger) const override {
    const auto& st = state_of<CollectiveState>(c, index());
    const Villages& villages = c.pop.villages;
    const VillageState& vs = c.villages;
    const int m = metric_offset();
    for (std::size_t v = 0; v < villages.count(); ++v) {
      const int county = villages.county[v];
      for (int k = 0; k < 3; ++k) ledger.add(county, m + k, st.funded[3 * v + static_cast<std::size_t>(k)]);
      ledger.add(county, m + 3, vs.collective_income[v] > 0 ? 1 : 0);
      ledger.add(county, m + 4, std::llround(vs.collective_income[v]));
      ledger.add(county, m + 5, st.posts[v]);
      ledger.add(county, m + 6, std::llround(st.payout[v]));
    }
  }

 private:
  FundSource source_;
  bool poor_only_, baseline_pays_;
  int per_village_, build_, max_posts_;
  double project_cost_, project_income_, target_, failure_, road_cost_, water_cost_;
  double road_wage_, road_operating_, water_operating_, post_share_, post_wage_, dividend_share_;
};

}  // namespace

std::span<const ParameterSpec> collective_economy_specs() { return specs; }
std::shared_ptr<Measure> make_collective_economy(ParameterReader& r, const Scenario&, int index) {
  return std::make_shared<CollectiveEconomy>(r, index);
}

}  // namespace tuopin
