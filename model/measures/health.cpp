// Health (健康脱贫), from first_year (Anhui's "351" policy began in 2016), for supported
// households:
//   * premiums of basic medical insurance paid by the budget: every supported household is
//     insured (entitlement spending premium x size);
//   * "180": chronically ill members' costs are reimbursed at least chronic_reimbursement;
//   * "351": the year's out-of-pocket cost is capped at oop_cap (the excess is paid by the
//     government: entitlement spending);
//   * the hardship fund (特困家庭救助基金) pays hardship_share of what remains for households
//     whose out-of-pocket cost is still catastrophic (above guarantees.catastrophic_share of
//     income), from the hardship_fund pools, largest cost per member first, until the pool is
//     spent.
// Reported per county and year: the medical cost of supported households and what they paid
// themselves, so the realised reimbursement (1 - paid / cost) can be compared with the 92% of
// Anhui's poor in 2017 (measures: health_inpatient_reimbursement).
#include <algorithm>
#include <cmath>

#include <tbb/enumerable_thread_specific.h>
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
constexpr std::string_view section = "measures.health";

const std::array specs = std::to_array<ParameterSpec>({
    {section, "enabled", T::boolean, "-", 0, 0, "false", "not a model parameter", "Switch the measure on."},
    {section, "first_year", T::integer, "year", 2000, 2100, "2016",
     "measures: health_351_start_year (Anhui 2016)", "First year the health measures apply."},
    {section, "premium", T::real, "yuan/person/year", 0, 1e5, "150.0",
     "assumed: the individual contribution to rural cooperative medical insurance in 2016 is "
     "not in the data", "Insurance premium paid by the budget per member."},
    {section, "chronic_reimbursement", T::real, "share", 0, 1, "0.8",
     "measures: health_chronic_outpatient_reimbursement (the \"180\" rule; 96.5% realised in 2017)",
     "Least share of a chronically ill household's medical cost that insurance pays."},
    {section, "oop_cap", T::real, "yuan/household/year", 0, 1e7, "5000.0",
     "assumed: the \"351\" caps are 3,000 / 5,000 / 10,000 by hospital level in reports, but "
     "no text was found (measures: health_351_start_year note); the middle one",
     "Cap on a supported household's yearly out-of-pocket medical cost."},
    {section, "hardship_share", T::real, "share", 0, 1, "0.5", "assumed",
     "Share of a catastrophic household's remaining out-of-pocket cost the hardship fund pays."},
});

const std::array metric_list = std::to_array<MetricInfo>({
    {"health_cost_yuan", "yuan", "medical cost of supported households before any payment", "帮扶户医疗总费用"},
    {"health_paid_yuan", "yuan", "medical cost supported households paid themselves after insurance, caps and the hardship fund", "帮扶户个人自付医疗费用"},
});

// The year-end hardship allocation's arrays, kept from year to year (no household columns).
struct HealthState final : MeasureState {
  std::vector<std::vector<Candidate>> requests;  // per block of households
  AllocationWorkspace workspace;
  std::size_t bytes_per_household() const override { return 0; }
};

class Health final : public Measure {
 public:
  Health(ParameterReader& r, const Scenario& s, int index)
      : Measure("health", index, r.boolean(section, "enabled")) {
    first_year_ = static_cast<int>(r.integer(section, "first_year"));
    premium_ = r.real(section, "premium");
    chronic_ = r.real(section, "chronic_reimbursement");
    cap_ = r.real(section, "oop_cap");
    hardship_ = r.real(section, "hardship_share");
    catastrophic_ = s.guarantees.catastrophic_share;
  }
  std::span<const MetricInfo> metrics() const override { return metric_list; }
  std::unique_ptr<MeasureState> make_state(const Population&) const override { return std::make_unique<HealthState>(); }

  bool active(const YearContext& c, std::size_t i) const {
    return c.year >= first_year_ && c.supported[i] != not_supported;
  }

  void begin_year(const YearContext& c, BlockFrame& f) const override {
    const Households& h = c.pop.households;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      if (!active(c, i)) continue;
      c.st.insured[i] = 1;
      if (h.flags[i] & household_flag::chronic_illness)
        f.reimbursement[i - f.begin] = std::max(f.reimbursement[i - f.begin], chronic_);
      f.ledger->spend(h.county[i], index(), FundSource::entitlement, fen(premium_ * h.size[i]));
      f.ledger->beneficiary(h.county[i], index(), h.size[i]);
    }
  }

  void settle(const YearContext& c, PoolBook& pools, Ledger& ledger) const override {
    if (c.year < first_year_) return;
    const Households& h = c.pop.households;
    const std::size_t n = h.count();
    // The cap and the hardship requests, in parallel blocks (block-ordered requests; integer
    // spending summed exactly).
    constexpr std::size_t block = 4096;
    const std::size_t blocks = (n + block - 1) / block;
    auto& st = state_of<HealthState>(c, index());
    std::vector<std::vector<Candidate>>& requests = st.requests;
    requests.resize(blocks);
    tbb::enumerable_thread_specific<Ledger> local(ledger.empty_like());
    tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
      Ledger& l = local.local();
      requests[b].clear();
      for (std::size_t i = b * block; i < std::min(n, (b + 1) * block); ++i) {
        if (c.supported[i] == not_supported) continue;
        float& oop = c.st.medical[i];
        if (oop > cap_) {
          l.spend(h.county[i], index(), FundSource::entitlement, fen(oop - cap_));
          oop = static_cast<float>(cap_);
        }
        const double income = std::max(0.0f, c.st.year_income[i]);
        if (oop > 0 && oop > catastrophic_ * income && hardship_ > 0) {
          Candidate k;
          k.household = static_cast<std::uint32_t>(i);
          k.measure = static_cast<std::uint8_t>(index());
          k.source = FundSource::hardship_fund;
          k.cost_fen = fen(hardship_ * oop);
          k.gap = k.gain = oop / h.size[i];
          k.tiebreak = draw(c.key, k.household, Stream::allocation, static_cast<std::uint32_t>(c.year_index), 100).v[0];
          requests[b].push_back(k);
        }
      }
    });
    Funding by_need;  // the largest cost per member first, whatever the scenario's rule
    by_need.priority = PriorityRule::gap;
    by_need.skip_unaffordable = true;
    for (const Candidate& k : allocate(std::span<const std::vector<Candidate>>(requests), pools, by_need, false, h.county,
                                       st.workspace)) {
      c.st.medical[k.household] -= static_cast<float>(k.cost_fen / 100.0);
      ledger.spend(h.county[k.household], index(), FundSource::hardship_fund, k.cost_fen);
    }
    tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
      Ledger& l = local.local();
      for (std::size_t i = b * block; i < std::min(n, (b + 1) * block); ++i) {
        if (c.supported[i] == not_supported) continue;
        l.add(h.county[i], metric_offset(), round_amount(c.st.medical_gross[i]));
        l.add(h.county[i], metric_offset() + 1, round_amount(std::max(0.0f, c.st.medical[i])));
      }
    });
    for (const Ledger& l : local) ledger.merge(l);
  }

 private:
  int first_year_;
  double premium_, chronic_, cap_, hardship_, catastrophic_;
};

}  // namespace

std::span<const ParameterSpec> health_specs() { return specs; }
std::shared_ptr<Measure> make_health(ParameterReader& r, const Scenario& s, int index) {
  return std::make_shared<Health>(r, s, index);
}

}  // namespace tuopin
