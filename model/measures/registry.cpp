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
TUOPIN_MEASURE(relocation)
TUOPIN_MEASURE(housing_renovation)
TUOPIN_MEASURE(photovoltaic)
TUOPIN_MEASURE(microcredit)
TUOPIN_MEASURE(agri_insurance)
TUOPIN_MEASURE(collective_economy)
TUOPIN_MEASURE(cadre_pairing)
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
      {"relocation", "易地扶贫搬迁", relocation_specs, make_relocation},
      {"housing_renovation", "危房改造", housing_renovation_specs, make_housing_renovation},
      {"photovoltaic", "光伏扶贫", photovoltaic_specs, make_photovoltaic},
      {"microcredit", "扶贫小额信贷", microcredit_specs, make_microcredit},
      {"agri_insurance", "政策性农业保险", agri_insurance_specs, make_agri_insurance},
      {"collective_economy", "村集体经济", collective_economy_specs, make_collective_economy},
      {"cadre_pairing", "结对帮扶", cadre_pairing_specs, make_cadre_pairing},
  };
  return entries;
}

}  // namespace tuopin
