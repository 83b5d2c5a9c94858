// Cadre pairing (结对帮扶, 驻村工作队, 第一书记; the proposal's section 六.一): from 2016 cadres of
// the city, the counties and the townships are paired with poor households, each rank with a
// number of households (按照干部级别确定结对帮扶贫困户户数), and every poor village has a work team.
// It costs no pool money (the cadres' time). It changes how the plan reaches households, through
// the fields of Targeting it owns (set once when the scenario is built):
//   pairing_coverage          = min(1, sum over ranks of cadres x households_per_cadre
//                                      / poor_households)
//     the share of households paired, drawn once per replicate (`pairing` stream, in the
//     engine's reset); only a supported household's pairing matters;
//   paired_exclusion_factor   = exclusion_factor: multiplies targeting.exclusion_error for a
//                               paired registered household (the cadre knows it);
//   paired_willingness_factor = willingness_factor: multiplies P(willing) (capped at 1);
//   paired_take_up_gain       = take_up_gain: added to every measure's take-up (capped at 1).
// Work teams (驻村工作队) and first secretaries (第一书记) organise the pairing in poor villages:
// their effect is part of the three factors, not modelled apart.
// Beneficiaries: supported households that are paired, every year.
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
constexpr std::string_view section = "measures.cadre_pairing";

const std::array specs = std::to_array<ParameterSpec>({
    {section, "enabled", T::boolean, "-", 0, 0, "false", "not a model parameter", "Switch the measure on."},
    {section, "cadres", T::integer_array, "cadres", 0, 1e7, "[4000, 16000, 26000]",
     "assumed: the city's cadres by rank are not in the data; set so that their capacity covers "
     "every registered poor household, as the proposal requires (确保每户都有干部结对帮扶)",
     "Cadres paired with poor households, by rank: city (市直), county (县直), township (乡镇).", 3},
    {section, "households_per_cadre", T::real_array, "households/cadre", 0, 1000, "[5.0, 4.0, 3.0]",
     "assumed: the proposal sets the households by rank (seed proposal: 按照干部级别确定结对帮扶贫困户户数) "
     "but gives no numbers; higher ranks lead units with staff and take more",
     "Poor households one cadre of each rank (city, county, township) is paired with.", 3},
    {section, "poor_households", T::integer, "households", 1, 1e8, "159000",
     "assumed: the synthesised baseline's 158,931 registered poor households (docs/model.md, "
     "section 5); set it to the registered households of another population",
     "Registered poor households the cadres are to cover (the denominator of the coverage)."},
    {section, "exclusion_factor", T::real, "factor", 0, 1, "0.5",
     "assumed: a cadre who visits the household rarely misses it (一户一帮扶)",
     "Multiplier of targeting.exclusion_error for a paired registered household."},
    {section, "willingness_factor", T::real, "factor", 0, 10, "1.2",
     "assumed: cadres encourage households to develop an industry (扶志)",
     "Multiplier of the probability that a paired household is willing to develop an industry "
     "(capped at 1)."},
    {section, "take_up_gain", T::real, "probability", 0, 1, "0.1",
     "assumed: cadres help households apply for what they are offered",
     "Added to a paired household's take-up of every measure offered (capped at 1)."},
});

class CadrePairing final : public Measure {
 public:
  CadrePairing(ParameterReader& r, int index) : Measure("cadre_pairing", index, r.boolean(section, "enabled")) {
    const auto cadres = r.integers(section, "cadres");
    const auto per = r.reals(section, "households_per_cadre");
    double capacity = 0;
    for (std::size_t k = 0; k < std::min(cadres.size(), per.size()); ++k) capacity += static_cast<double>(cadres[k]) * per[k];
    const auto poor = r.integer(section, "poor_households");
    coverage_ = std::min(1.0, capacity / static_cast<double>(std::max<std::int64_t>(1, poor)));
    exclusion_ = r.real(section, "exclusion_factor");
    willingness_ = r.real(section, "willingness_factor");
    take_up_ = r.real(section, "take_up_gain");
  }

  void adjust_targeting(Targeting& t) const override {
    t.pairing_coverage = coverage_;
    t.paired_exclusion_factor = exclusion_;
    t.paired_willingness_factor = willingness_;
    t.paired_take_up_gain = take_up_;
  }

  void begin_year(const YearContext& c, BlockFrame& f) const override {
    const Households& h = c.pop.households;
    for (std::size_t i = f.begin; i < f.end; ++i)
      if (c.st.paired[i] && c.supported[i] != not_supported) f.ledger->beneficiary(h.county[i], index(), h.size[i]);
  }

 private:
  double coverage_, exclusion_, willingness_, take_up_;
};

}  // namespace

std::span<const ParameterSpec> cadre_pairing_specs() { return specs; }
std::shared_ptr<Measure> make_cadre_pairing(ParameterReader& r, const Scenario&, int index) {
  return std::make_shared<CadrePairing>(r, index);
}

}  // namespace tuopin
