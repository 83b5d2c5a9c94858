// Housing renovation (危房改造): the C- and D-grade houses of supported households renovated with
// a subsidy per household from a pool, D-grade (dangerous) first whatever the priority rule
// (a lower allocation tier). A funded house is renovated during the year of funding and is
// safe from month build_months (or from January of the next year if build_months > 12); the
// safe-housing guarantee (住房安全有保障) then holds unless a later disaster damages it again.
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
constexpr std::string_view section = "measures.housing_renovation";

const std::array specs = std::to_array<ParameterSpec>({
    {section, "enabled", T::boolean, "-", 0, 0, "false", "not a model parameter", "Switch the measure on."},
    {section, "source", T::string, "-", 0, 0, R"("central_special")",
     "assumed: renovation subsidies came from central and provincial budgets",
     "Pool that pays the subsidies (a source of [funding])."},
    {section, "subsidy_unsafe", T::real, "yuan/household", 0, 1e7, "8500.0",
     "derived: measures: housing_central_subsidy_per_household (China 2016, central money only; "
     "no Anhui amount was found)", "Subsidy to renovate a C-grade (unsafe) house."},
    {section, "subsidy_dangerous", T::real, "yuan/household", 0, 1e7, "20000.0",
     "assumed: a D-grade house is rebuilt, at about twice the central subsidy and more",
     "Subsidy to rebuild a D-grade (dangerous) house."},
    {section, "build_months", T::integer, "months", 1, 24, "6", "assumed",
     "Months from funding (January) to a safe house; more than 12 finishes in January of the next year."},
    {section, "take_up", T::real, "probability", 0, 1, "0.9",
     "assumed: most households accept; some cannot pay their share of the work",
     "Probability that an offered household takes the subsidy in a year."},
});

const std::array metric_list = std::to_array<MetricInfo>({
    {"renovated_households", "households", "households whose house was renovated (funded) in the year", "当年危房改造户数"},
    {"renovated_dangerous_households", "households", "of which D-grade (dangerous) houses rebuilt", "其中D级危房户数"},
});

class RenovationState final : public MeasureState {
 public:
  explicit RenovationState(std::size_t n) : year(n) {}
  std::size_t bytes_per_household() const override { return 1; }
  Column<std::int8_t> year;  // window year index of funding, -1: none
};

class HousingRenovation final : public Measure {
 public:
  HousingRenovation(ParameterReader& r, int index)
      : Measure("housing_renovation", index, r.boolean(section, "enabled")) {
    source_ = read_pool_source(r, section);
    unsafe_ = r.real(section, "subsidy_unsafe");
    dangerous_ = r.real(section, "subsidy_dangerous");
    months_ = static_cast<int>(r.integer(section, "build_months"));
    take_up_ = r.real(section, "take_up");
  }
  std::span<const MetricInfo> metrics() const override { return metric_list; }
  std::unique_ptr<MeasureState> make_state(const Population& pop) const override {
    return std::make_unique<RenovationState>(pop.households.count());
  }
  void reset(const Scenario&, const Population&, const RandomKey&, MeasureState* s) const override {
    auto& st = *static_cast<RenovationState*>(s);
    fill_parallel(st.year, std::int8_t{-1});
  }

  void candidates(const YearContext& c, std::size_t begin, std::size_t end, std::vector<Candidate>& out) const override {
    const auto& st = state_of<RenovationState>(c, index());
    const Households& h = c.pop.households;
    for (std::size_t i = begin; i < end; ++i) {
      const HousingSafety house = c.st.housing[i];
      if (house == HousingSafety::safe || c.supported[i] == not_supported) continue;
      if (st.year[i] >= 0 && st.year[i] + (months_ > 12 ? 1 : 0) >= c.year_index) continue;  // under way
      if (!takes_up(c, i, Stream::renovation, take_up_)) continue;
      Candidate k;
      k.household = static_cast<std::uint32_t>(i);
      k.measure = static_cast<std::uint8_t>(index());
      k.source = source_;
      const bool d = house == HousingSafety::dangerous;
      k.tier = d ? 0 : 1;  // D-grade before every ordinary request of the pool
      k.cost_fen = fen(d ? dangerous_ : unsafe_);
      k.gap = static_cast<float>(c.line - c.st.assessed_income[i]);
      k.gain = 0;  // no income: it lifts the housing guarantee
      k.cause_match = h.cause_main[i] == Cause::disaster;
      out.push_back(k);
    }
  }

  void award(const YearContext& c, std::span<const Candidate> funded) const override {
    auto& st = state_of<RenovationState>(c, index());
    for (const Candidate& k : funded) st.year[k.household] = static_cast<std::int8_t>(c.year_index);
  }

  void begin_year(const YearContext& c, BlockFrame& f) const override {
    const auto& st = state_of<RenovationState>(c, index());
    const Households& h = c.pop.households;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      if (st.year[i] < 0) continue;
      if (st.year[i] == c.year_index) {  // funded this year
        f.ledger->add(h.county[i], metric_offset(), 1);
        if (c.st.housing[i] == HousingSafety::dangerous) f.ledger->add(h.county[i], metric_offset() + 1, 1);
      }
      const int done_year = st.year[i] + (months_ > 12 ? 1 : 0);
      if (done_year != c.year_index) continue;
      f.safe_from_month[i - f.begin] = static_cast<std::uint8_t>(months_ > 12 ? 1 : months_);
      f.ledger->beneficiary(h.county[i], index(), h.size[i]);
    }
  }

 private:
  FundSource source_;
  double unsafe_, dangerous_, take_up_;
  int months_;
};

}  // namespace

std::span<const ParameterSpec> housing_renovation_specs() { return specs; }
std::shared_ptr<Measure> make_housing_renovation(ParameterReader& r, const Scenario&, int index) {
  return std::make_shared<HousingRenovation>(r, index);
}

}  // namespace tuopin
