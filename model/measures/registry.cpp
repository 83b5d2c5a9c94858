#include "registry.h"

namespace tuopin {

// Each measure file defines these two functions.
#define TUOPIN_MEASURE(name)                            \
  std::span<const ParameterSpec> name##_specs();        \
  std::shared_ptr<Measure> make_##name(ParameterReader&, const Scenario&, int);
TUOPIN_MEASURE(safety_net)
TUOPIN_MEASURE(industry)
TUOPIN_MEASURE(employment)
TUOPIN_MEASURE(asset_income)
TUOPIN_MEASURE(education_aid)
TUOPIN_MEASURE(health)
#undef TUOPIN_MEASURE

std::span<const MeasureEntry> measure_registry() {
  // The order is the output's `measure` dimension. The safety net comes first: it replaces the
  // baseline's constant benefits before the others add their transfers.
  static const MeasureEntry entries[] = {
      {"safety_net", "社会保障兜底", safety_net_specs, make_safety_net},
      {"industry", "产业扶贫", industry_specs, make_industry},
      {"employment", "就业扶贫", employment_specs, make_employment},
      {"asset_income", "资产收益扶贫", asset_income_specs, make_asset_income},
      {"education_aid", "教育扶贫", education_aid_specs, make_education_aid},
      {"health", "健康脱贫", health_specs, make_health},
  };
  return entries;
}

}  // namespace tuopin
