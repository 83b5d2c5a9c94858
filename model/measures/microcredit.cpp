// Microcredit with the guarantee fund (扶贫小额信贷, 扶贫担保; the proposal's section 五.二 and
// 国开办发〔2014〕78号): loans of `loan` yuan for `term_years`, no collateral, the interest fully
// subsidised, backed by a county risk-compensation fund (风险补偿金).
//   * Offer: identified households (targeted this year) with labour (normal or weak), no loan
//     outstanding and never in default; taken with `take_up` (one draw a year).
//   * Lending capacity: a county lends while its outstanding balance stays within
//     leverage x the fund it holds; the fund starts each replicate at
//     fund_yuan_per_county x funding.level and shrinks by the defaults it pays. The capacity left
//     at the start of a year caps the county's new loans (a per-county limit in the pools'
//     funding order).
//   * Interest subsidy (贴息): interest_rate x loan a year, from the pool `source`: a new loan's
//     first year is its funding request (no subsidy, no loan); in later years each outstanding
//     loan asks again, as a commitment funded before any new request of the pool (allocation
//     tier 0). A loan whose subsidy the pool still cannot pay costs its borrower the interest.
//   * Use (drawn at issue, u1): the household's own project with probability self_use_share
//     (adds own_return x loan a year of operating income), else lent on to an enterprise
//     (户贷企用) for a dividend of enterprise_return x loan a year.
//   * Default (u2, drawn each year of the loan): with default_rate_own / default_rate_enterprise
//     by use. A defaulting loan yields nothing that year and after; at the year end the county
//     fund pays its balance while it holds money (never more), the rest is reported unpaid; the
//     household gets no new loan. A loan not in default is repaid at the end of its term.
// Stream::microcredit, per household and year: take-up (draw index 7), use (u1) and default
// (u2) of draw index 0.
#include <algorithm>
#include <cmath>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

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
constexpr std::string_view section = "measures.microcredit";

const std::array specs = std::to_array<ParameterSpec>({
    {section, "enabled", T::boolean, "-", 0, 0, "false", "not a model parameter", "Switch the measure on."},
    {section, "source", T::string, "-", 0, 0, R"("provincial_special")",
     "assumed: interest subsidies (贴息) come from the special poverty funds; Anhui's 2015 pilot "
     "paid them from provincial money (measures: microcredit_pilot_fund (Anhui 2015))",
     "Pool that pays the interest subsidy (a source of [funding])."},
    {section, "take_up", T::real, "probability", 0, 1, "0.267",
     "measures: microcredit_uptake_rate (China 2016: share of registered poor households with "
     "a loan, 26.7%; used here as a yearly take-up, an upper value over three years)",
     "Probability that an offered household takes a loan in a year (one draw a year)."},
    {section, "loan", T::real, "yuan/household", 1000, 1e6, "50000.0", "calibration: microcredit_max_loan",
     "Amount of a loan (all loans are of this amount)."},
    {section, "term_years", T::integer, "years", 1, 10, "3", "calibration: microcredit_max_loan (up to 3 years)",
     "Term of a loan; repaid at the end of its last year."},
    {section, "interest_rate", T::real, "1/year", 0, 1, "0.0435",
     "measures: microcredit_benchmark_rate (China 2015-2019)",
     "Interest on the balance, fully subsidised from the pool (the yearly subsidy per loan is "
     "interest_rate x loan)."},
    {section, "fund_yuan_per_county", T::real, "yuan/county", 0, 1e11, "5000000.0",
     "assumed: sized so that the city's lending capacity (11 counties x 500万 x leverage 10 = "
     "5.5亿) is about 1.8 times the 3.1亿 Anqing lent in 2016 (calibration: microcredit_issued), "
     "room for 2017-2018",
     "Risk-compensation fund of each county at the start of a replicate (multiplied by "
     "funding.level)."},
    {section, "leverage", T::real, "yuan of loans/yuan of fund", 0, 1000, "10.0",
     "assumed: the often-cited 1:10 (not verified); measures: microcredit_risk_fund_leverage "
     "gives 1:20 (Yunnan/Qujing 2018)",
     "Loans a county may have outstanding per yuan its fund holds."},
    {section, "self_use_share", T::real, "share", 0, 1, "0.159",
     "measures: microcredit_self_use_share (Lu'an-Yu'an 2017: 户贷户用 1,262 of 7,935 borrowers)",
     "Share of loans the household uses for its own project; the rest is lent on to an "
     "enterprise (户贷企用)."},
    {section, "own_return", T::real, "1/year", 0, 5, "0.15",
     "assumed: below the 12,000 yuan a year reported for a model county (measures: "
     "microcredit_income_effect (Ningxia/Yanchi 2016), an upper-end case), i.e. 0.24 of a 5万 loan",
     "Operating income an own project adds per yuan of loan and year."},
    {section, "enterprise_return", T::real, "1/year", 0, 1, "0.08",
     "assumed: 户贷企用 dividends were a fixed few thousand yuan a year on a 5万 loan; no figure in "
     "measures.csv",
     "Dividend an enterprise pays the household per yuan of loan and year (户贷企用)."},
    {section, "default_rate_own", T::real, "1/year", 0, 1, "0.01",
     "assumed: above the 0.26% overdue share of the balance in Chongqing (measures: "
     "microcredit_overdue_rate (Chongqing 2019-06)), within the 2 points of extra NPL tolerance "
     "(measures: microcredit_npl_tolerance_extra (China 2018)); own projects of the poor carry "
     "their own risk",
     "Yearly probability that a loan used for an own project defaults."},
    {section, "default_rate_enterprise", T::real, "1/year", 0, 1, "0.005",
     "assumed: an enterprise borrower repays more reliably; about twice the 0.26% overdue share "
     "(measures: microcredit_overdue_rate (Chongqing 2019-06))",
     "Yearly probability that a loan lent on to an enterprise defaults."},
});

const std::array metric_list = std::to_array<MetricInfo>({
    {"microcredit_issued_yuan", "yuan", "microcredit loans issued in the year", "当年发放扶贫小额信贷"},
    {"microcredit_outstanding_yuan", "yuan", "microcredit balance outstanding at the year end", "年末扶贫小额信贷余额"},
    {"microcredit_default_paid_yuan", "yuan", "defaulted microcredit balance paid by the county risk-compensation fund",
     "风险补偿金代偿金额"},
    {"microcredit_default_unpaid_yuan", "yuan",
     "defaulted microcredit balance the county risk-compensation fund could not pay", "风险补偿金无力代偿金额"},
    {"microcredit_interest_unsubsidised_yuan", "yuan",
     "microcredit interest borrowers paid themselves because the pool could not pay the subsidy",
     "未获贴息由贫困户自付的利息"},
});
enum : int { m_issued = 0, m_outstanding, m_default_paid, m_default_unpaid, m_interest_unsubsidised };

// flags
constexpr std::uint8_t own_use = 1, defaulted = 2, default_pending = 4;
// Candidate::option
constexpr std::uint8_t option_new = 1, option_interest = 2;

class MicrocreditState final : public MeasureState {
 public:
  MicrocreditState(std::size_t n, int counties)
      : start(n), subsidy_year(n), flags(n), fund_fen(counties, 0), outstanding_fen(counties, 0),
        issued_fen(counties, 0), households(counties, 0) {}
  std::size_t bytes_per_household() const override { return 3; }
  Column<std::int8_t> start;         // window year index of the loan's issue, -1: never borrowed
  Column<std::int8_t> subsidy_year;  // last window year whose interest subsidy was paid
  Column<std::uint8_t> flags;        // own_use, defaulted, default_pending
  // Per county.
  std::vector<std::int64_t> fund_fen;         // the risk-compensation fund's money
  std::vector<std::int64_t> outstanding_fen;  // balance of loans outstanding
  std::vector<std::int64_t> issued_fen;       // issued this year (reported at settle)
  std::vector<std::int64_t> households;       // households of the county (the limit's scale)
};

class Microcredit final : public Measure {
 public:
  Microcredit(ParameterReader& r, int index) : Measure("microcredit", index, r.boolean(section, "enabled")) {
    source_ = read_pool_source(r, section);
    take_up_ = r.real(section, "take_up");
    loan_ = r.real(section, "loan");
    term_ = static_cast<int>(r.integer(section, "term_years"));
    rate_ = r.real(section, "interest_rate");
    fund_ = r.real(section, "fund_yuan_per_county");
    leverage_ = r.real(section, "leverage");
    self_use_ = r.real(section, "self_use_share");
    own_return_ = r.real(section, "own_return");
    enterprise_return_ = r.real(section, "enterprise_return");
    default_own_ = r.real(section, "default_rate_own");
    default_enterprise_ = r.real(section, "default_rate_enterprise");
    loan_fen_ = fen(loan_);
    subsidy_fen_ = fen(rate_ * loan_);
  }
  std::span<const MetricInfo> metrics() const override { return metric_list; }

  std::unique_ptr<MeasureState> make_state(const Population& pop) const override {
    // Households per county, summed over parallel chunks (integer counts: exact in any order).
    const Households& h = pop.households;
    const tbb::blocked_range<std::size_t> all(0, h.count(), 1 << 16);
    const int counties = tbb::parallel_reduce(
        all, 0,
        [&](const tbb::blocked_range<std::size_t>& r, int most) {
          for (std::size_t i = r.begin(); i != r.end(); ++i) most = std::max(most, h.county[i] + 1);
          return most;
        },
        [](int a, int b) { return std::max(a, b); });
    auto st = std::make_unique<MicrocreditState>(h.count(), counties);
    tbb::enumerable_thread_specific<std::vector<std::int64_t>> part(static_cast<std::size_t>(counties), std::int64_t{0});
    tbb::parallel_for(all, [&](const tbb::blocked_range<std::size_t>& r) {
      std::vector<std::int64_t>& mine = part.local();
      for (std::size_t i = r.begin(); i != r.end(); ++i) ++mine[h.county[i]];
    });
    for (const auto& mine : part)
      for (int c = 0; c < counties; ++c) st->households[c] += mine[c];
    return st;
  }
  void reset(const Scenario& s, const Population&, const RandomKey&, MeasureState* m) const override {
    auto& st = *static_cast<MicrocreditState*>(m);
    fill_parallel(st.start, std::int8_t{-1});
    fill_parallel(st.subsidy_year, std::int8_t{-1});
    fill_parallel(st.flags, std::uint8_t{0});
    std::fill(st.fund_fen.begin(), st.fund_fen.end(), fen(fund_ * s.funding.level));
    std::fill(st.outstanding_fen.begin(), st.outstanding_fen.end(), 0);
    std::fill(st.issued_fen.begin(), st.issued_fen.end(), 0);
  }

  // A loan outstanding during window year y (issued, not past its term, not in default before y).
  bool outstanding(const MicrocreditState& st, std::size_t i, int y) const {
    return st.start[i] >= 0 && y - st.start[i] < term_ && !(st.flags[i] & defaulted);
  }
  // New loans county c may still make this year: its capacity left over the loan amount; 0 for
  // no cap (it cannot bind), at most the Candidate limit's range.
  std::int64_t new_loans(const MicrocreditState& st, int c) const {
    const double capacity = static_cast<double>(st.fund_fen[c]) * leverage_;
    const double left = capacity - static_cast<double>(st.outstanding_fen[c]);
    return left < static_cast<double>(loan_fen_) ? 0 : static_cast<std::int64_t>(std::floor(left / static_cast<double>(loan_fen_)));
  }

  void candidates(const YearContext& c, std::size_t begin, std::size_t end, std::vector<Candidate>& out) const override {
    const auto& st = state_of<MicrocreditState>(c, index());
    const Households& h = c.pop.households;
    const double expected_return = self_use_ * own_return_ * (1.0 - default_own_) +
                                   (1.0 - self_use_) * enterprise_return_ * (1.0 - default_enterprise_);
    for (std::size_t i = begin; i < end; ++i) {
      Candidate k;
      k.household = static_cast<std::uint32_t>(i);
      k.measure = static_cast<std::uint8_t>(index());
      k.source = source_;
      k.cost_fen = subsidy_fen_;
      k.gap = static_cast<float>(c.line - c.st.assessed_income[i]);
      k.cause_match = h.cause_main[i] == Cause::lack_of_capital;
      if (st.start[i] >= 0 && st.start[i] < c.year_index && outstanding(st, i, c.year_index)) {
        // A loan issued in an earlier year: this year's subsidy, a commitment funded before any
        // new request of the pool (tier 0).
        k.option = option_interest;
        k.tier = 0;
        k.gain = static_cast<float>(rate_ * loan_ / h.size[i]);
        out.push_back(k);
        continue;
      }
      if (c.supported[i] != targeted || h.labour[i] == LabourCapacity::none) continue;
      if (st.flags[i] & defaulted) continue;  // no new loan after a default
      const int county = h.county[i];
      const std::int64_t left = new_loans(st, county);
      if (left <= 0) continue;
      if (!takes_up(c, i, Stream::microcredit, take_up_)) continue;
      k.option = option_new;
      k.gain = static_cast<float>(expected_return * loan_ / h.size[i]);
      k.limit_key = static_cast<std::uint32_t>(county);
      k.limit = left >= st.households[county] ? std::uint16_t{0}
                                              : static_cast<std::uint16_t>(std::min<std::int64_t>(left, 65535));
      out.push_back(k);
    }
  }

  void award(const YearContext& c, std::span<const Candidate> funded) const override {
    auto& st = state_of<MicrocreditState>(c, index());
    const Households& h = c.pop.households;
    const auto y = static_cast<std::int8_t>(c.year_index);
    for (const Candidate& k : funded) {
      const std::uint32_t i = k.household;
      st.subsidy_year[i] = y;
      if (k.option != option_new) continue;
      const Draw4 d = draw(c.key, i, Stream::microcredit, static_cast<std::uint32_t>(c.year_index));
      st.start[i] = y;
      st.flags[i] = to_unit(d.v[1]) < self_use_ ? own_use : 0;
      st.outstanding_fen[h.county[i]] += loan_fen_;
      st.issued_fen[h.county[i]] += loan_fen_;
    }
  }

  void begin_year(const YearContext& c, BlockFrame& f) const override {
    auto& st = state_of<MicrocreditState>(c, index());
    const Households& h = c.pop.households;
    const int y = c.year_index;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      if (st.start[i] < 0 || !outstanding(st, i, y)) continue;
      const std::size_t j = i - f.begin;
      if (c.supported[i] != not_supported) f.ledger->beneficiary(h.county[i], index(), h.size[i]);
      const bool own = st.flags[i] & own_use;
      const Draw4 d = draw(c.key, static_cast<std::uint32_t>(i), Stream::microcredit, static_cast<std::uint32_t>(y));
      if (to_unit(d.v[2]) < (own ? default_own_ : default_enterprise_)) {
        st.flags[i] |= defaulted | default_pending;  // no income from this year; the fund pays at settle
        continue;
      }
      f.extra_monthly[j] += static_cast<float>((own ? own_return_ : enterprise_return_) * loan_ / 12.0);
      if (st.subsidy_year[i] != y) {  // the pool did not pay this year's subsidy: the borrower pays
        f.extra_monthly[j] -= static_cast<float>(rate_ * loan_ / 12.0);
        f.ledger->add(h.county[i], metric_offset() + m_interest_unsubsidised, round_amount(rate_ * loan_));
      }
    }
  }

  void settle(const YearContext& c, PoolBook&, Ledger& ledger) const override {
    auto& st = state_of<MicrocreditState>(c, index());
    const Households& h = c.pop.households;
    const int y = c.year_index;
    const std::size_t counties = st.fund_fen.size();
    // Defaults of the year and repayments at term end, by county (every loan is of one amount,
    // so the fund's payments do not depend on the order of its borrowers), counted in parallel
    // over households: each thread its own counts per county, integer sums whatever the split.
    tbb::enumerable_thread_specific<std::vector<std::int64_t>> part(2 * counties, std::int64_t{0});
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, h.count(), 65536), [&](const auto& range) {
      std::vector<std::int64_t>& mine = part.local();  // [county]: defaults, [counties + county]: repaid
      for (std::size_t i = range.begin(); i != range.end(); ++i) {
        if (st.start[i] < 0) continue;
        const std::size_t county = h.county[i];
        if (st.flags[i] & default_pending) {
          st.flags[i] &= static_cast<std::uint8_t>(~default_pending);
          ++mine[county];
        } else if (!(st.flags[i] & defaulted) && y == st.start[i] + term_ - 1) {
          ++mine[counties + county];
        }
      }
    });
    std::vector<std::int64_t> defaults(counties, 0);
    for (const auto& mine : part)
      for (std::size_t k = 0; k < counties; ++k) {
        defaults[k] += mine[k];
        st.outstanding_fen[k] -= (mine[k] + mine[counties + k]) * loan_fen_;  // defaulted or repaid
      }
    for (std::size_t k = 0; k < counties; ++k) {
      const int county = static_cast<int>(k);
      const std::int64_t balance = defaults[k] * loan_fen_;
      const std::int64_t paid = std::min(balance, st.fund_fen[k]);
      st.fund_fen[k] -= paid;
      ledger.add(county, metric_offset() + m_issued, std::llround(static_cast<double>(st.issued_fen[k]) / 100.0));
      ledger.add(county, metric_offset() + m_outstanding,
                 std::llround(static_cast<double>(st.outstanding_fen[k]) / 100.0));
      ledger.add(county, metric_offset() + m_default_paid, std::llround(static_cast<double>(paid) / 100.0));
      ledger.add(county, metric_offset() + m_default_unpaid,
                 std::llround(static_cast<double>(balance - paid) / 100.0));
      st.issued_fen[k] = 0;
    }
  }

 private:
  FundSource source_;
  double take_up_, loan_, rate_, fund_, leverage_, self_use_, own_return_, enterprise_return_;
  double default_own_, default_enterprise_;
  int term_;
  std::int64_t loan_fen_, subsidy_fen_;
};

}  // namespace

std::span<const ParameterSpec> microcredit_specs() { return specs; }
std::shared_ptr<Measure> make_microcredit(ParameterReader& r, const Scenario&, int index) {
  return std::make_shared<Microcredit>(r, index);
}

}  // namespace tuopin
