// Photovoltaic poverty alleviation (光伏扶贫; the proposal's section 三.一: 积极实施光伏发电项目).
//   Household systems: system_kw each, costing system_cost, of which public_share is paid by the
//   pool `source` (the province's and the city's or county's thirds) and the rest is the
//   household's, repaid out of the system's income (repayment_share of each year's income until
//   repaid). Offered to identified households whose labour capacity is in target_labour (the
//   '三无' households the province's PV money was meant for), with take_up; at most
//   systems_per_county a year per county (the roll-out capacity).
//   Village stations: station_kw each, costing station_kw x station_cost_per_kw from the pool
//   `station_source` (before any household system when they share a pool), in
//   poor villages without one, at most stations_per_county a year per county; a village's
//   request goes through the pool as its first household's (the engine's VillageIndex).
//   Income: kW x revenue_per_kw x realised_share a year (subsidies paid late make the realised
//   income well below the nominal), first_year_share of it in the year of installation. A
//   household's system pays the household (less repayment). A station's income is split:
//   station_household_share among the village's supported households (dividends or public
//   posts), the rest to the village collective (VillageState).
#include <algorithm>
#include <limits>

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
constexpr std::string_view section = "measures.photovoltaic";

const std::array specs = std::to_array<ParameterSpec>({
    {section, "enabled", T::boolean, "-", 0, 0, "false", "not a model parameter", "Switch the measure on."},
    {section, "source", T::string, "-", 0, 0, R"("pv_fund")",
     "measures: pv_provincial_budget (Anhui's provincial finance paid 4亿 a year for PV, 2015-2017)",
     "Pool that pays the public share of systems and the stations (a source of [funding])."},
    {section, "station_source", T::string, "-", 0, 0, R"("pv_fund")",
     "measures: pv_provincial_budget (the province's PV money paid for stations too)",
     "Pool that pays the village stations (a source of [funding])."},
    {section, "system_kw", T::real, "kW", 0, 100, "3.0", "measures: pv_household_system_cost (about 3 kW)",
     "Capacity of a household system."},
    {section, "system_cost", T::real, "yuan/system", 0, 1e7, "24000.0",
     "measures: pv_household_system_cost (Anhui 2015: province, city or county and household 8,000 each)",
     "Cost of a household system."},
    {section, "public_share", T::real, "share", 0, 1, "0.6667",
     "measures: pv_household_system_cost (two thirds public)", "Share of a system's cost paid by the pool."},
    {section, "repayment_share", T::real, "share", 0, 1, "0.5",
     "assumed: measures: pv_household_cost_share_household (the household's 8,000 is repaid from "
     "power income in 3-4 years)", "Share of a system's yearly income that repays the household's share until repaid."},
    {section, "target_labour", T::string, "-", 0, 0, R"("weak_or_none")",
     "measures: pv_provincial_budget note (proceeds go to '三无' households: no labour, no income)",
     "Labour capacities offered a household system: \"none\", \"weak_or_none\" or \"any\"."},
    {section, "take_up", T::real, "probability", 0, 1, "0.8",
     "assumed: a roof or yard must suit a system", "Probability that an offered household takes a system in a year."},
    {section, "systems_per_county", T::integer, "systems/county/year", 0, 65535, "1500",
     "derived: calibration: household_pv_systems (Anqing 16,538 grid-connected in 2016) / 11 counties",
     "Household systems a county can install in a year (roll-out capacity)."},
    {section, "station_kw", T::real, "kW", 0, 10000, "60.0", "calibration: pv_village_income (a 60 kW village station)",
     "Capacity of a village station."},
    {section, "station_cost_per_kw", T::real, "yuan/kW", 0, 1e6, "7500.0",
     "calibration: pv_capex_per_kw (Anhui 2017: a 60 kW station about 45万 of fiscal money)", "Cost of a village station per kW."},
    {section, "stations_per_county", T::integer, "stations/county/year", 0, 65535, "21",
     "derived: calibration: village_pv_stations (Anqing 229 grid-connected in 2016) / 11 counties",
     "Village stations a county can build in a year."},
    {section, "revenue_per_kw", T::real, "yuan/kW/year", 0, 1e5, "1000.0",
     "calibration: pv_household_income (3,000 a year for 3 kW) and pv_village_income (60,000 for 60 kW)",
     "Nominal yearly income per kW (power sold at the tariff with its subsidy)."},
    {section, "realised_share", T::real, "share", 0, 1, "0.8",
     "assumed: calibration: pv_realised_price (0.36 yuan/kWh realised in 2018 when subsidies lagged) "
     "shows the worst case; measures: pv_household_income_observed (Yuexi 2016: 2,400 in 10 months) "
     "the good one", "Share of the nominal income actually received in the year."},
    {section, "first_year_share", T::real, "share", 0, 1, "0.5", "assumed: systems are connected during the year",
     "Share of a year's income in the year of installation."},
    {section, "station_household_share", T::real, "share", 0, 1, "0.6",
     "assumed: measures: pv_village_income note (station income pays poor households and public posts; "
     "the rest is collective income)", "Share of a station's income paid to the village's supported households."},
});

const std::array metric_list = std::to_array<MetricInfo>({
    {"pv_household_systems", "systems", "household PV systems installed in the year", "当年安装户用光伏"},
    {"pv_village_stations", "stations", "village PV stations built in the year", "当年建成村级光伏电站"},
    {"pv_income_yuan", "yuan", "PV income paid to households in the year (systems net of repayment, station dividends)", "光伏收益到户金额"},
});

constexpr std::uint8_t option_system = 0, option_station = 1;

class PvState final : public MeasureState {
 public:
  PvState(const std::vector<std::uint32_t>& village_of, std::size_t village_count)
      : year(village_of.size()), debt(village_of.size()), station_year(village_count, -1),
        village_payout(village_count, 0.0f) {
    // Each village's first household in id order (VillageIndex::representative), ascending.
    VillageIndex index;
    index.build(village_of, village_count);
    for (std::size_t v = 0; v < village_count; ++v)
      if (index.size(v) > 0) representatives.push_back(index.representative(v));
    std::sort(representatives.begin(), representatives.end());
  }
  std::size_t bytes_per_household() const override { return 3; }
  Column<std::int8_t> year;               // window year index of installation, -1: none
  Column<std::uint16_t> debt;             // household's share still to repay, yuan
  std::vector<std::int8_t> station_year;  // per village: year its station was built
  std::vector<float> village_payout;      // per village: this year's station income per supported household
  std::vector<std::uint32_t> representatives;  // the villages' first households, ascending (per village)
  // The first representative at or after household `begin`: a block walks them alongside its
  // households instead of looking up each household's village.
  std::vector<std::uint32_t>::const_iterator representative_from(std::size_t begin) const {
    return std::lower_bound(representatives.begin(), representatives.end(), static_cast<std::uint32_t>(begin));
  }
};

class Photovoltaic final : public Measure {
 public:
  Photovoltaic(ParameterReader& r, int index) : Measure("photovoltaic", index, r.boolean(section, "enabled")) {
    source_ = read_pool_source(r, section);
    station_source_ = read_pool_source(r, section, "station_source");
    kw_ = r.real(section, "system_kw");
    cost_ = r.real(section, "system_cost");
    public_ = r.real(section, "public_share");
    repay_ = r.real(section, "repayment_share");
    target_ = r.choice(section, "target_labour", {"none", "weak_or_none", "any"});
    take_up_ = r.real(section, "take_up");
    systems_ = static_cast<int>(r.integer(section, "systems_per_county"));
    station_kw_ = r.real(section, "station_kw");
    station_cost_ = r.real(section, "station_cost_per_kw");
    stations_ = static_cast<int>(r.integer(section, "stations_per_county"));
    revenue_ = r.real(section, "revenue_per_kw");
    realised_ = r.real(section, "realised_share");
    first_ = r.real(section, "first_year_share");
    station_share_ = r.real(section, "station_household_share");
    if ((1.0 - public_) * cost_ > std::numeric_limits<std::uint16_t>::max())
      r.fail(section, "system_cost", "the household's share of a system, (1 - public_share) x system_cost, must be "
                                     "at most 65535 yuan; expected a smaller system_cost or a larger public_share");
  }
  std::span<const MetricInfo> metrics() const override { return metric_list; }

  std::unique_ptr<MeasureState> make_state(const Population& pop) const override {
    return std::make_unique<PvState>(pop.households.village, pop.villages.count());
  }
  void reset(const Scenario&, const Population&, const RandomKey&, MeasureState* s) const override {
    auto& st = *static_cast<PvState*>(s);
    fill_parallel(st.year, std::int8_t{-1});
    fill_parallel(st.debt, std::uint16_t{0});
    std::fill(st.station_year.begin(), st.station_year.end(), -1);
    std::fill(st.village_payout.begin(), st.village_payout.end(), 0.0f);
  }

  double yearly_income(double kw, int installed, int year_index) const {
    return kw * revenue_ * realised_ * (installed == year_index ? first_ : 1.0);
  }

  void candidates(const YearContext& c, std::size_t begin, std::size_t end, std::vector<Candidate>& out) const override {
    const auto& st = state_of<PvState>(c, index());
    const Households& h = c.pop.households;
    auto rep = st.representative_from(begin);
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint32_t v = h.village[i];
      const bool representative = rep != st.representatives.end() && *rep == i;  // VillageIndex::representative(v) == i
      rep += representative;
      if (stations_ > 0 && representative && c.pop.villages.poor[v] && st.station_year[v] < 0) {
        Candidate k;
        k.household = static_cast<std::uint32_t>(i);
        k.measure = static_cast<std::uint8_t>(index());
        k.source = source_;
        k.option = option_station;
        k.source = station_source_;
        k.tier = 0;  // village stations before household systems in a shared pool
        k.cost_fen = fen(station_kw_ * station_cost_);
        k.gap = static_cast<float>(c.village_index.size(v));  // the village with most households first
        k.gain = 0;
        k.limit_key = 1;
        k.limit = static_cast<std::uint16_t>(stations_);
        out.push_back(k);
      }
      const int labour = static_cast<int>(h.labour[i]);  // 0 normal, 1 weak, 2 none
      const bool labour_ok = target_ == 2 || (target_ == 1 && labour >= 1) || labour == 2;
      if (systems_ == 0 || !labour_ok || c.supported[i] != targeted || st.year[i] >= 0) continue;
      if (!takes_up(c, i, Stream::photovoltaic, take_up_)) continue;
      Candidate k;
      k.household = static_cast<std::uint32_t>(i);
      k.measure = static_cast<std::uint8_t>(index());
      k.source = source_;
      k.option = option_system;
      k.cost_fen = fen(public_ * cost_);
      k.gap = static_cast<float>(c.line - c.st.assessed_income[i]);
      k.gain = static_cast<float>(kw_ * revenue_ * realised_ * (1.0 - repay_) / h.size[i]);
      k.cause_match = h.cause_main[i] == Cause::lack_of_labour || h.cause_main[i] == Cause::disability;
      k.limit_key = 0;
      k.limit = static_cast<std::uint16_t>(systems_);
      out.push_back(k);
    }
  }

  // New systems and stations (serial), then each village's station payout for the year (in
  // parallel: a village writes only its own entries).
  void award(const YearContext& c, std::span<const Candidate> funded) const override {
    auto& st = state_of<PvState>(c, index());
    const Households& h = c.pop.households;
    for (const Candidate& k : funded) {
      if (k.option == option_station) {
        st.station_year[h.village[k.household]] = static_cast<std::int8_t>(c.year_index);
      } else {
        st.year[k.household] = static_cast<std::int8_t>(c.year_index);
        st.debt[k.household] = static_cast<std::uint16_t>(std::lround((1.0 - public_) * cost_));
      }
    }
    // A village at a time at the finest (see collective_economy.cpp's pay-outs).
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, st.station_year.size(), 1), [&](const auto& range) {
      for (std::size_t v = range.begin(); v != range.end(); ++v) {
        st.village_payout[v] = 0.0f;
        if (st.station_year[v] < 0) continue;
        // Supported households of a village with a station (the others' villages pay nothing).
        std::uint32_t supported = 0;
        for (std::uint32_t k = c.village_index.first[v]; k < c.village_index.first[v + 1]; ++k)
          supported += c.supported[c.village_index.ids[k]] != not_supported;
        const double income = yearly_income(station_kw_, st.station_year[v], c.year_index);
        const double to_households = supported ? station_share_ * income : 0.0;
        if (supported) st.village_payout[v] = static_cast<float>(to_households / supported);
        c.villages.collective_income[v] += static_cast<float>(income - to_households);
      }
    });
  }

  void begin_year(const YearContext& c, BlockFrame& f) const override {
    auto& st = state_of<PvState>(c, index());
    const Households& h = c.pop.households;
    auto rep = st.representative_from(f.begin);
    for (std::size_t i = f.begin; i < f.end; ++i) {
      // Counts of the year's new systems, and of new stations at each village's first household.
      const bool representative = rep != st.representatives.end() && *rep == i;  // VillageIndex::representative
      rep += representative;
      if (st.year[i] == c.year_index) f.ledger->add(h.county[i], metric_offset(), 1);
      if (representative && st.station_year[h.village[i]] == c.year_index) f.ledger->add(h.county[i], metric_offset() + 1, 1);
      double pay = 0;
      if (st.year[i] >= 0) {
        const double gross = yearly_income(kw_, st.year[i], c.year_index);
        const double repaid = std::min<double>(st.debt[i], repay_ * gross);
        st.debt[i] = static_cast<std::uint16_t>(st.debt[i] - std::lround(repaid));
        pay += gross - repaid;
      }
      const std::uint32_t v = h.village[i];
      if (c.supported[i] != not_supported && st.station_year[v] >= 0) pay += st.village_payout[v];
      if (pay <= 0) continue;
      f.extra_monthly[i - f.begin] += static_cast<float>(pay / 12.0);
      f.ledger->add(h.county[i], metric_offset() + 2, round_amount(pay));
      f.ledger->beneficiary(h.county[i], index(), h.size[i]);
    }
  }



 private:
  FundSource source_, station_source_;
  double kw_, cost_, public_, repay_, take_up_, station_kw_, station_cost_, revenue_, realised_, first_, station_share_;
  int target_, systems_, stations_;
};

}  // namespace

std::span<const ParameterSpec> photovoltaic_specs() { return specs; }
std::shared_ptr<Measure> make_photovoltaic(ParameterReader& r, const Scenario&, int index) {
  return std::make_shared<Photovoltaic>(r, index);
}

}  // namespace tuopin
