// Industry support (产业扶贫): a grant (以奖代补, seedlings, technical help) for a household
// project, in three modes (the proposal's section 三):
//   own       the household's own project;
//   enterprise 企业/合作社 + 基地 + 农户 with guaranteed purchase (保底收购): lower return, lower
//             price risk;
//   ecommerce 互联网+ sales.
// A funded household draws its mode (mode_shares) and whether the project succeeds
// (success_rate, + expert_uplift with 科技帮扶 expert teams, x unwilling_success_factor for a
// household not willing to run one, as under uniform targeting). A successful project adds
// operating income every year from its start:
//   gain_per_person x size x ramp x mode_return x labour_factor x price, paid monthly,
// ramp = first_year_share in the start year and 1 after; price a mean-one log-normal draw per
// village and year (一村一品: the households of a village share it), its log sd
// price_risk_sd x the mode's risk factor. While a household is not supported (exited past the
// support years) only retained_share of the gain remains.
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
constexpr std::string_view section = "measures.industry";

const std::array specs = std::to_array<ParameterSpec>({
    {section, "enabled", T::boolean, "-", 0, 0, "false", "not a model parameter", "Switch the measure on."},
    {section, "source", T::string, "-", 0, 0, R"("central_special")",
     "assumed: industry support is the main use of special funds",
     "Pool that pays the grants (a source of [funding])."},
    {section, "take_up", T::real, "probability", 0, 1, "1.0",
     "assumed: willingness (targeting) already decides who is offered a project",
     "Probability that an offered household takes the grant in a year (one draw a year)."},
    {section, "grant", T::real, "yuan/household", 0, 1e6, "2647.0",
     "measures: industry_grant_per_household (Lu'an-Yu'an 2014-2017)",
     "Grant per household project (one-off, in the year of funding)."},
    {section, "gain_per_person", T::real, "yuan/person/year", 0, 1e6, "1949.0",
     "measures: industry_income_effect (Anhui 2020-H1, direct increase per person of projects "
     "that had matured; an upper value for 2016-2018)",
     "Yearly operating income a successful own project adds per member at full output."},
    {section, "mode_shares", T::real_array, "share", 0, 1, "[0.6, 0.3, 0.1]", "assumed",
     "Shares of funded projects by mode: own project, enterprise/cooperative with guaranteed "
     "purchase, e-commerce.", 3, true},
    {section, "mode_return", T::real_array, "factor", 0, 10, "[1.0, 0.8, 1.1]",
     "assumed: guaranteed purchase trades return for safety",
     "Return of each mode relative to an own project.", 3},
    {section, "mode_risk", T::real_array, "factor", 0, 10, "[1.0, 0.3, 1.2]", "assumed",
     "Price risk of each mode relative to an own project (guaranteed purchase shields it).", 3},
    {section, "price_risk_sd", T::real, "log sd", 0, 5, "0.3",
     "assumed: farm-gate prices of one product swing by a third from year to year",
     "Log sd of the yearly price factor of a village's product (shared by its households)."},
    {section, "success_rate", T::real, "probability", 0, 1, "0.7", "assumed",
     "Probability that a funded project succeeds (yields income)."},
    {section, "expert_teams", T::boolean, "-", 0, 0, "true",
     "seed proposal: 实行科技帮扶,组建 … 专家队", "Expert teams (科技帮扶) support the projects."},
    {section, "expert_uplift", T::real, "probability", 0, 1, "0.1", "assumed",
     "Added to success_rate with expert teams (capped at 1)."},
    {section, "first_year_share", T::real, "share", 0, 1, "0.5",
     "assumed: projects start during the year and take time to produce",
     "Share of the full gain in the project's first year (ramp-up)."},
    {section, "unwilling_success_factor", T::real, "factor", 0, 1, "0.5",
     "assumed: the proposal ties industry support to willingness (有劳动能力和意愿); a grant "
     "pressed on an unwilling household (uniform targeting) succeeds less often",
     "Multiplier of the success probability for a household not willing to develop an industry."},
    {section, "labour_factor", T::real_array, "factor", 0, 10, "[1.0, 0.6, 0.2]",
     "assumed: a project needs hands; matters under uniform targeting",
     "Gain multiplier by labour capacity (normal, weak, none).", 3},
    {section, "retained_share", T::real, "share", 0, 1, "0.5",
     "assumed: without technical help and guaranteed purchase a project yields less",
     "Share of the gain kept once the household is no longer supported."},
});

class IndustryState final : public MeasureState {
 public:
  explicit IndustryState(std::size_t n) : start(n), mode(n), success(n) {}
  std::size_t bytes_per_household() const override { return 3; }
  Column<std::int8_t> start;       // window year index of funding, -1: none
  Column<std::uint8_t> mode;       // 0 own, 1 enterprise, 2 e-commerce
  Column<std::uint8_t> success;    // 1: the project yields income
};

class Industry final : public Measure {
 public:
  Industry(ParameterReader& r, int index) : Measure("industry", index, r.boolean(section, "enabled")) {
    source_ = read_pool_source(r, section);
    take_up_ = r.real(section, "take_up");
    grant_ = r.real(section, "grant");
    gain_ = r.real(section, "gain_per_person");
    const auto shares = r.reals(section, "mode_shares");
    const auto ret = r.reals(section, "mode_return");
    const auto risk = r.reals(section, "mode_risk");
    const auto lf = r.reals(section, "labour_factor");
    for (int k = 0; k < 3; ++k) {
      mode_cum_[k] = (k ? mode_cum_[k - 1] : 0.0) + shares[k];
      mode_return_[k] = ret[k];
      mode_risk_[k] = risk[k];
      labour_factor_[k] = lf[k];
    }
    price_sd_ = r.real(section, "price_risk_sd");
    success_ = r.real(section, "success_rate");
    if (r.boolean(section, "expert_teams")) success_ = std::min(1.0, success_ + r.real(section, "expert_uplift"));
    else r.real(section, "expert_uplift");
    first_share_ = r.real(section, "first_year_share");
    unwilling_ = r.real(section, "unwilling_success_factor");
    retained_ = r.real(section, "retained_share");
  }

  std::unique_ptr<MeasureState> make_state(const Population& pop) const override {
    return std::make_unique<IndustryState>(pop.households.count());
  }
  void reset(const Scenario&, const Population&, const RandomKey&, MeasureState* s) const override {
    auto& st = *static_cast<IndustryState*>(s);
    fill_parallel(st.start, std::int8_t{-1});
    fill_parallel(st.mode, std::uint8_t{0});
    fill_parallel(st.success, std::uint8_t{0});
  }

  void candidates(const YearContext& c, std::size_t begin, std::size_t end, std::vector<Candidate>& out) const override {
    const auto& st = state_of<IndustryState>(c, index());
    const Households& h = c.pop.households;
    for (std::size_t i = begin; i < end; ++i) {
      if (c.supported[i] != targeted || c.st.pathway[i] != index() || st.start[i] >= 0) continue;
      if (!takes_up(c, i, Stream::industry, take_up_)) continue;
      Candidate k;
      k.household = static_cast<std::uint32_t>(i);
      k.measure = static_cast<std::uint8_t>(index());
      k.source = source_;
      k.cost_fen = fen(grant_);
      k.gap = static_cast<float>(c.line - c.st.assessed_income[i]);
      k.gain = static_cast<float>(gain_ * success_ * (c.st.willing[i] ? 1.0 : unwilling_) *
                                  labour_factor_[static_cast<int>(h.labour[i])]);
      const Cause m = h.cause_main[i];
      k.cause_match = m == Cause::lack_of_capital || m == Cause::lack_of_skills || m == Cause::lack_of_land;
      out.push_back(k);
    }
  }

  void award(const YearContext& c, std::span<const Candidate> funded) const override {
    auto& st = state_of<IndustryState>(c, index());
    for (const Candidate& k : funded) {
      const Draw4 d = draw(c.key, k.household, Stream::industry, static_cast<std::uint32_t>(c.year_index));
      const double u = to_unit(d.v[0]);
      st.mode[k.household] = u < mode_cum_[0] ? 0 : (u < mode_cum_[1] ? 1 : 2);
      const double p = success_ * (c.st.willing[k.household] ? 1.0 : unwilling_);
      st.success[k.household] = to_unit(d.v[1]) < p;
      st.start[k.household] = static_cast<std::int8_t>(c.year_index);
    }
  }

  void begin_year(const YearContext& c, BlockFrame& f) const override {
    const auto& st = state_of<IndustryState>(c, index());
    const Households& h = c.pop.households;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      if (st.start[i] < 0) continue;
      const bool supported = c.supported[i] != not_supported;
      if (supported) f.ledger->beneficiary(h.county[i], index(), h.size[i]);
      if (!st.success[i]) continue;
      const int mode = st.mode[i];
      const double ramp = st.start[i] == c.year_index ? first_share_ : 1.0;
      const Draw4 p = draw(c.key, h.village[i], Stream::industry_price, static_cast<std::uint32_t>(c.year_index));
      const double price = lognormal_factor(price_sd_ * mode_risk_[mode], p.v[0], p.v[1]);
      // A price fall, for the causes of a fall into poverty: more than a fifth below the mean.
      if (price < 0.8) c.st.events[i] |= household_event::price_fall;
      const double yearly = gain_ * h.size[i] * ramp * mode_return_[mode] *
                            labour_factor_[static_cast<int>(h.labour[i])] * price * (supported ? 1.0 : retained_);
      f.extra_monthly[i - f.begin] += static_cast<float>(yearly / 12.0);
    }
  }

 private:
  FundSource source_;
  double take_up_ = 1.0;
  double grant_, gain_, price_sd_, success_, first_share_, retained_, unwilling_;
  std::array<double, 3> mode_cum_{}, mode_return_{}, mode_risk_{}, labour_factor_{};
};

}  // namespace

std::span<const ParameterSpec> industry_specs() { return specs; }
std::shared_ptr<Measure> make_industry(ParameterReader& r, const Scenario&, int index) {
  return std::make_shared<Industry>(r, index);
}

}  // namespace tuopin
