// Asset income (资产收益扶贫): support funds and land or forest rights turned into shares
// (量化折股) of a cooperative or enterprise, for households without labour or willingness (the
// proposal's sections 二.3 and 五.一). A funded household holds share_capital yuan of shares
// (one-off cost) and its land is put into the cooperative (land_share of its 亩); every year
// after, while supported, it receives
//     share_capital x return_rate + land x land_share x land_rent
// paid monthly. Each village's cooperative fails with failure_rate a year (one draw per village
// and year, shared by its shareholders); a failed cooperative pays nothing for the rest of the
// run. pilot_only restricts the measure to pilot_counties (the proposal: the five Dabie
// Mountain counties).
#include <algorithm>

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
constexpr std::string_view section = "measures.asset_income";

const std::array specs = std::to_array<ParameterSpec>({
    {section, "enabled", T::boolean, "-", 0, 0, "false", "not a model parameter", "Switch the measure on."},
    {section, "source", T::string, "-", 0, 0, R"("municipal_special")",
     "seed proposal: 整合各类涉农和扶贫资金 … 形成资产量化折股给贫困户 (any pool may be named)",
     "Pool that buys the shares (a source of [funding])."},
    {section, "take_up", T::real, "probability", 0, 1, "1.0",
     "assumed: shares are bought for the household; it has little reason to refuse",
     "Probability that an offered household accepts shares in a year (one draw a year)."},
    {section, "share_capital", T::real, "yuan/household", 0, 1e7, "4000.0",
     "measures: asset_dividend_per_household (Fuyang-Yingzhou 2018: a 4,000-yuan share each)",
     "Shares bought for a household (one-off cost)."},
    {section, "return_rate", T::real, "1/year", 0, 1, "0.08",
     "measures: asset_contract_return (Fuyang-Yingzhou 2018, contracted 8%); realised 6.8% "
     "in measures: asset_return_on_fiscal_capital", "Yearly dividend per yuan of shares."},
    {section, "land_share", T::real, "share", 0, 1, "0.5", "assumed",
     "Share of a household's contracted land put into the cooperative."},
    {section, "land_rent", T::real, "yuan/mu/year", 0, 1e5, "300.0",
     "assumed: land transfer rents in hilly Anhui were a few hundred yuan per 亩",
     "Yearly dividend per 亩 of land put in."},
    {section, "failure_rate", T::real, "1/village/year", 0, 1, "0.05", "assumed",
     "Yearly probability that a village's cooperative fails and stops paying."},
    {section, "pilot_only", T::boolean, "-", 0, 0, "false", "not a model parameter",
     "Restrict the measure to pilot_counties."},
    {section, "pilot_counties", T::string_array, "-", 0, 0,
     R"(["Qianshan", "Taihu", "Susong", "Wangjiang", "Yuexi"])",
     "seed proposal: 市里可选择在5个大别山连片特困地区县试点",
     "Counties of the pilot (names from counties.names)."},
});

class AssetState final : public MeasureState {
 public:
  AssetState(std::size_t households, std::size_t villages) : shares(households), failed(villages, 0) {}
  std::size_t bytes_per_household() const override { return 1; }
  Column<std::uint8_t> shares;       // 1: holds shares
  std::vector<std::uint8_t> failed;  // per village: 1 once its cooperative failed
};

class AssetIncome final : public Measure {
 public:
  AssetIncome(ParameterReader& r, const Scenario& s, int index)
      : Measure("asset_income", index, r.boolean(section, "enabled")) {
    source_ = read_pool_source(r, section);
    take_up_ = r.real(section, "take_up");
    capital_ = r.real(section, "share_capital");
    return_ = r.real(section, "return_rate");
    land_share_ = r.real(section, "land_share");
    land_rent_ = r.real(section, "land_rent");
    failure_ = r.real(section, "failure_rate");
    const bool pilot = r.boolean(section, "pilot_only");
    std::vector<std::string> names;
    for (const auto& c : s.counties) names.push_back(c.name);
    in_pilot_.assign(names.size(), pilot ? 0 : 1);
    for (const auto& name : r.strings(section, "pilot_counties")) {
      const auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end() && !(enabled() && pilot)) continue;  // checked only where it matters
      if (it == names.end()) r.fail_choice(section, "pilot_counties", name, names, "a county of counties.names");
      if (pilot) in_pilot_[it - names.begin()] = 1;
    }
  }

  std::unique_ptr<MeasureState> make_state(const Population& pop) const override {
    return std::make_unique<AssetState>(pop.households.count(), pop.villages.count());
  }
  void reset(const Scenario&, const Population&, const RandomKey&, MeasureState* s) const override {
    auto& st = *static_cast<AssetState*>(s);
    fill_parallel(st.shares, std::uint8_t{0});
    std::fill(st.failed.begin(), st.failed.end(), 0);
  }

  double dividend(const Households& h, std::size_t i) const {
    return capital_ * return_ + h.land[i] * land_share_ * land_rent_;
  }

  void candidates(const YearContext& c, std::size_t begin, std::size_t end, std::vector<Candidate>& out) const override {
    const auto& st = state_of<AssetState>(c, index());
    const Households& h = c.pop.households;
    for (std::size_t i = begin; i < end; ++i) {
      if (c.supported[i] != targeted || c.st.pathway[i] != index() || st.shares[i] || !in_pilot_[h.county[i]]) continue;
      if (!takes_up(c, i, Stream::asset_income, take_up_)) continue;
      Candidate k;
      k.household = static_cast<std::uint32_t>(i);
      k.measure = static_cast<std::uint8_t>(index());
      k.source = source_;
      k.cost_fen = fen(capital_);
      k.gap = static_cast<float>(c.line - c.st.assessed_income[i]);
      k.gain = static_cast<float>(dividend(h, i) / h.size[i]);
      const Cause m = h.cause_main[i];
      k.cause_match = m == Cause::lack_of_labour || m == Cause::disability || m == Cause::illness;
      out.push_back(k);
    }
  }

  // Serial, once a year: the new shareholders, then which cooperatives fail this year.
  void award(const YearContext& c, std::span<const Candidate> funded) const override {
    auto& st = state_of<AssetState>(c, index());
    for (const Candidate& k : funded) st.shares[k.household] = 1;
    if (failure_ <= 0) return;
    // A draw per village, keyed by the village: villages in parallel.
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, st.failed.size(), 1024), [&](const auto& range) {
      for (std::size_t v = range.begin(); v != range.end(); ++v)
        if (!st.failed[v] && to_unit(draw(c.key, static_cast<std::uint32_t>(v), Stream::cooperative,
                                          static_cast<std::uint32_t>(c.year_index)).v[0]) < failure_)
          st.failed[v] = 1;
    });
  }

  void begin_year(const YearContext& c, BlockFrame& f) const override {
    const auto& st = state_of<AssetState>(c, index());
    const Households& h = c.pop.households;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      if (!st.shares[i] || c.supported[i] == not_supported) continue;
      f.ledger->beneficiary(h.county[i], index(), h.size[i]);
      if (st.failed[h.village[i]]) continue;
      f.extra_monthly[i - f.begin] += static_cast<float>(dividend(h, i) / 12.0);
    }
  }

 private:
  FundSource source_;
  double take_up_ = 1.0;
  double capital_, return_, land_share_, land_rent_, failure_;
  std::vector<std::uint8_t> in_pilot_;
};

}  // namespace

std::span<const ParameterSpec> asset_income_specs() { return specs; }
std::shared_ptr<Measure> make_asset_income(ParameterReader& r, const Scenario& s, int index) {
  return std::make_shared<AssetIncome>(r, s, index);
}

}  // namespace tuopin
