// Policy agricultural insurance with premiums paid by the budget (政策性农业保险, the proposal's
// section 四.二: 由扶贫对象个人负担的保险费额,全部由财政代缴), and the personal policies it names
// (意外伤害, 补充医疗).
//   * Covered: supported households, each year with `take_up` (one draw a year). The
//     agricultural policy covers those with operating income; the personal policies cover all.
//   * Expected operating income of window year t: E = base_operating x G_t x operating_factor,
//     G_t = sum over the year's months m of (1 + income.operating_growth)^((12t + m)/12) / 12
//     (the month loop's expected path), operating_factor as the other measures set it.
//   * At the year end (end_months) the insurer pays
//       disaster_cover x disaster_loss + price_cover x max(0, E - operating_year - deductible x E)
//     where disaster_loss is the operating income the year's disasters took and operating_year
//     the operating income earned before them (so the second term is the shortfall from prices
//     and yields, beyond the deductible). The payout is added to the year's income; it is the
//     insurer's money, reported as a measure metric, not spending.
//   * The budget pays the premiums (entitlement spending): premium_rate x E for the agricultural
//     policy, personal_premium x size for the personal ones.
//   * Supplementary medical insurance raises the reimbursement of insured episodes:
//     r -> r + supplementary_medical x (1 - r). Accident insurance pays accident_cover once in
//     a year with at least one serious-illness episode (the model's only injury event).
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
constexpr std::string_view section = "measures.agri_insurance";

const std::array specs = std::to_array<ParameterSpec>({
    {section, "enabled", T::boolean, "-", 0, 0, "false", "not a model parameter", "Switch the measure on."},
    {section, "take_up", T::real, "probability", 0, 1, "1.0",
     "seed proposal: 由扶贫对象个人负担的保险费额,全部由财政代缴 (the premiums are paid for them, so "
     "every supported household is insured)",
     "Probability that a supported household is insured in a year (one draw a year)."},
    {section, "premium_rate", T::real, "share of expected operating income", 0, 1, "0.03",
     "assumed: crop premiums of a few percent of a sum insured that covers about the cost of "
     "inputs (物化成本), not the whole output; no Anhui figure was found",
     "Premium of the agricultural policy, paid by the budget (entitlement)."},
    {section, "disaster_cover", T::real, "share", 0, 1, "0.5",
     "assumed: cost-based cover (物化成本保险) pays about the inputs, roughly half of the output lost",
     "Share of the operating income lost to disasters that the insurer pays back."},
    {section, "price_cover", T::real, "share", 0, 1, "0.0",
     "assumed: price and income insurance (价格/收入保险) were pilots in 2016-2018; off by default",
     "Share of the operating-income shortfall (beyond the deductible, disasters aside) that the "
     "insurer pays back."},
    {section, "deductible", T::real, "share of expected operating income", 0, 1, "0.3",
     "assumed: income-protection products pay below about 70% of the expected income",
     "Shortfall of operating income, as a share of the expected, that price cover does not pay."},
    {section, "supplementary_medical", T::real, "share", 0, 1, "0.0",
     "assumed: Anhui's supplementary cover of the poor is the health measure's \"351\"/\"180\"; 0 "
     "avoids counting it twice",
     "Share of what basic medical insurance leaves of an insured episode that supplementary "
     "medical insurance (补充医疗保险) pays."},
    {section, "accident_cover", T::real, "yuan/household/year", 0, 1e6, "0.0",
     "assumed: no figure was found; 0 leaves accident insurance (意外伤害保险) off",
     "Sum accident insurance pays once in a year with a serious-illness episode."},
    {section, "personal_premium", T::real, "yuan/person/year", 0, 1e5, "0.0",
     "assumed: no figure was found; set it with accident_cover or supplementary_medical",
     "Premium of the accident and supplementary medical policies per member, paid by the budget "
     "(entitlement)."},
});

const std::array metric_list = std::to_array<MetricInfo>({
    {"agri_insurance_payout_yuan", "yuan",
     "agricultural insurance payouts for disaster and price losses (paid by insurers)", "农业保险理赔金额"},
    {"agri_insurance_accident_yuan", "yuan", "accident insurance payouts (paid by insurers)", "意外伤害保险理赔金额"},
});
enum : int { m_payout = 0, m_accident };

class AgriInsurance final : public Measure {
 public:
  AgriInsurance(ParameterReader& r, const Scenario& s, int index)
      : Measure("agri_insurance", index, r.boolean(section, "enabled")) {
    take_up_ = r.real(section, "take_up");
    premium_rate_ = r.real(section, "premium_rate");
    disaster_cover_ = r.real(section, "disaster_cover");
    price_cover_ = r.real(section, "price_cover");
    deductible_ = r.real(section, "deductible");
    supplementary_ = r.real(section, "supplementary_medical");
    accident_ = r.real(section, "accident_cover");
    personal_premium_ = r.real(section, "personal_premium");
    personal_ = supplementary_ > 0 || accident_ > 0 || personal_premium_ > 0;
    // Expected operating income of each window year per yuan of base, as the month loop grows it.
    const double g = s.income.operating_growth;
    for (int t = 0; t < s.years(); ++t) {
      double sum = 0;
      for (int m = 0; m < 12; ++m) sum += std::pow(1.0 + g, (12.0 * t + m) / 12.0) / 12.0;
      growth_.push_back(sum);
    }
  }
  std::span<const MetricInfo> metrics() const override { return metric_list; }

  bool farm(const Households& h, std::size_t i) const { return h.base_income[1][i] > 0; }
  // Insured this year: supported, taken up, and something to insure.
  bool covered(const YearContext& c, std::size_t i) const {
    if (c.supported[i] == not_supported) return false;
    if (!personal_ && !farm(c.pop.households, i)) return false;
    return takes_up(c, i, Stream::agri_insurance, take_up_);
  }

  void begin_year(const YearContext& c, BlockFrame& f) const override {
    const Households& h = c.pop.households;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      if (!covered(c, i)) continue;
      f.ledger->beneficiary(h.county[i], index(), h.size[i]);
      double& r = f.reimbursement[i - f.begin];
      if (supplementary_ > 0) r += supplementary_ * (1.0 - r);
    }
  }

  void end_months(const YearContext& c, BlockFrame& f) const override {
    const Households& h = c.pop.households;
    const double growth = growth_[static_cast<std::size_t>(c.year_index)];
    for (std::size_t i = f.begin; i < f.end; ++i) {
      if (!covered(c, i)) continue;
      const std::size_t j = i - f.begin;
      const int county = h.county[i];
      double paid = 0;
      if (farm(h, i)) {
        const double expected = h.base_income[1][i] * growth * f.operating_factor[j];
        const double shortfall = std::max(0.0, expected - f.operating_year[j] - deductible_ * expected);
        const double payout = disaster_cover_ * f.disaster_loss[j] + price_cover_ * shortfall;
        if (payout > 0) f.ledger->add(county, metric_offset() + m_payout, round_amount(payout));
        paid += payout;
        f.ledger->spend(county, index(), FundSource::entitlement, fen(premium_rate_ * expected));
      }
      if (personal_) {
        if (accident_ > 0 && c.st.medical_gross[i] > 0) {
          paid += accident_;
          f.ledger->add(county, metric_offset() + m_accident, round_amount(accident_));
        }
        f.ledger->spend(county, index(), FundSource::entitlement, fen(personal_premium_ * h.size[i]));
      }
      c.st.year_income[i] += static_cast<float>(paid);
    }
  }

 private:
  double take_up_, premium_rate_, disaster_cover_, price_cover_, deductible_, supplementary_, accident_,
      personal_premium_;
  bool personal_ = false;
  std::vector<double> growth_;  // by window year
};

}  // namespace

std::span<const ParameterSpec> agri_insurance_specs() { return specs; }
std::shared_ptr<Measure> make_agri_insurance(ParameterReader& r, const Scenario& s, int index) {
  return std::make_shared<AgriInsurance>(r, s, index);
}

}  // namespace tuopin
