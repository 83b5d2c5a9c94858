#include "funding.h"

#include <cmath>
#include <limits>

namespace tuopin {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
using T = ParamType;

// Anqing's share of Anhui's registry, used to scale province-wide figures to the city:
// registered_poor_people (Anqing 2014, 791,300) / 484万 (Anhui registry, measures.csv note of
// health_admissions_per_registered_person) = 0.163.
const std::array specs = std::to_array<ParameterSpec>({
    {"funding", "level", T::real, "factor", 0, 100, "1.0",
     "assumed: 1 is the plan's funding as the source tables below set it; the planners' "
     "questions are 0.8, 1.2 and 1.5",
     "Multiplier of every pool (all sources at once)."},
    {"funding", "unspent", T::string, "-", 0, 0, R"("rollover")",
     "assumed: special funds carried over within the plan period",
     "What happens to money a pool did not spend by the year end: \"rollover\" (added to next "
     "year's pool) or \"lapse\" (returned)."},
    {"funding", "priority", T::string, "-", 0, 0, R"("gap")",
     "assumed: the proposal's 精准 targeting funds the poorest first",
     "Order in which a pool funds its candidates: \"gap\" (largest per-capita gap to the line "
     "first), \"exits_per_yuan\" (expected exits per yuan: min(1, gain / gap) / cost), "
     "\"cause_first\" (households whose main cause the measure addresses first, then gap). "
     "Ties are broken by a draw from the household's own stream, never by its id."},
    {"funding", "skip_unaffordable", T::boolean, "-", 0, 0, "true", "assumed",
     "true: a candidate that costs more than the pool has left is skipped and cheaper ones "
     "after it are still funded; false: the pool stops at the first candidate it cannot pay."},
    {"funding", "county_split", T::string, "-", 0, 0, R"("poor_people")",
     "assumed: allocation by factors that include the poor population "
     "(measures: housing_central_subsidy_per_household note)",
     "How city-level money (central, provincial, municipal, hardship) is split to counties: "
     "\"poor_people\" (share of the registered poor people at the start of the year) or "
     "\"weights\" (counties.weights)."},

    {"funding.central_special", "yuan", T::real, "yuan/year", 0, 1e12, "330000000.0",
     "assumed: Anhui got 10.2亿 of central special funds in 2013 (measures: funds_total); "
     "Anqing holds about 16% of Anhui's registry; central funds roughly doubled by 2016 "
     "(calibration: central_poverty_fund, +200亿 a year): 10.2亿 x 0.163 x 2 ≈ 3.3亿",
     "Central special poverty funds reaching the city in the first year of the window."},
    {"funding.central_special", "growth", T::real, "1/year", -1, 10, "0.3",
     "derived: calibration: central_poverty_fund (860.95亿 in 2017, +200亿 a year: about 30%)",
     "Yearly growth of the central special funds."},
    {"funding.central_special", "scale", T::real, "factor", 0, 100, "1.0", "assumed",
     "Multiplier of this source alone (a sweep or a scenario varies one source)."},
    {"funding.central_special", "household_share", T::real, "share", 0, 1, "0.32",
     "derived: measures: industry_funds (Anhui 2020-H1: household projects 12.3亿 of 38.4亿)",
     "Share of the source spent on household measures; the rest goes to village projects, "
     "infrastructure and relocation (Measures II)."},

    {"funding.provincial_special", "yuan", T::real, "yuan/year", 0, 1e12, "179000000.0",
     "derived: measures: funds_provincial_special (Anhui 2016, 11亿) x 0.163 (Anqing's share "
     "of Anhui's registry)",
     "Provincial special poverty funds reaching the city in the first year."},
    {"funding.provincial_special", "growth", T::real, "1/year", -1, 10, "0.564",
     "measures: funds_provincial_special (+56.4% in 2017); assumed to hold in 2018",
     "Yearly growth of the provincial special funds."},
    {"funding.provincial_special", "scale", T::real, "factor", 0, 100, "1.0", "assumed",
     "Multiplier of this source alone."},
    {"funding.provincial_special", "household_share", T::real, "share", 0, 1, "0.32",
     "derived: measures: industry_funds (household projects 12.3亿 of 38.4亿)",
     "Share of the source spent on household measures."},

    {"funding.municipal_special", "yuan", T::real, "yuan/year", 0, 1e12, "100000000.0",
     "assumed: the proposal asks the city to set aside a yearly sum (切块安排); Anhui's city "
     "and county special funds were 25亿 in 2016 (measures: funds_city_county_special), "
     "about 4.1亿 for Anqing's share, part of which is the county revenue rule",
     "Municipal special poverty fund (市本级) in the first year."},
    {"funding.municipal_special", "growth", T::real, "1/year", -1, 10, "0.3",
     "assumed: the proposal's 持续增长机制; Anhui's city and county funds grew 89.6% in 2017 "
     "(measures: funds_city_county_special), a pace not assumed to last",
     "Yearly growth of the municipal fund."},
    {"funding.municipal_special", "scale", T::real, "factor", 0, 100, "1.0", "assumed",
     "Multiplier of this source alone."},
    {"funding.municipal_special", "household_share", T::real, "share", 0, 1, "0.32",
     "derived: measures: industry_funds (household projects 12.3亿 of 38.4亿)",
     "Share of the source spent on household measures."},

    {"funding.county_revenue", "yuan", T::real_array, "yuan/year", 0, 1e12,
     "[800000000.0, 900000000.0, 800000000.0, 1000000000.0, 700000000.0, 1200000000.0, "
     "2000000000.0, 800000000.0, 1500000000.0, 1200000000.0, 1000000000.0]",
     "assumed: no public per-county revenue figures are in the data; mountain counties lower",
     "Local fiscal revenue (地方财政收入) of each county in the year before the window.",
     length_counties},
    {"funding.county_revenue", "growth", T::real, "1/year", -1, 10, "0.08", "assumed",
     "Yearly growth of local fiscal revenue; the increment of year t is revenue_(t-1) x growth."},
    {"funding.county_revenue", "key_county_share", T::real, "share", 0, 1, "0.2",
     "measures: funds_rule_revenue_increment (皖政办〔2016〕8号: at least 20%)",
     "Share of the revenue increment a key poverty county adds to its special funds."},
    {"funding.county_revenue", "other_county_share", T::real, "share", 0, 1, "0.1",
     "measures: funds_rule_revenue_increment (other counties with tasks: at least 10%)",
     "Share of the revenue increment the other counties add."},
    {"funding.county_revenue", "key_counties", T::string_array, "-", 0, 0,
     R"(["Yuexi", "Qianshan", "Taihu", "Susong", "Wangjiang"])",
     "calibration: national_poverty_counties",
     "Key poverty counties (names from counties.names): the 20% rule and integrated funds."},
    {"funding.county_revenue", "scale", T::real, "factor", 0, 100, "1.0", "assumed",
     "Multiplier of this source alone."},
    {"funding.county_revenue", "household_share", T::real, "share", 0, 1, "0.32",
     "derived: measures: industry_funds (household projects 12.3亿 of 38.4亿)",
     "Share of the source spent on household measures."},

    {"funding.integrated_agri", "yuan", T::real, "yuan/year/county", 0, 1e12, "365000000.0",
     "derived: measures: funds_integrated_actual (116.9亿 in Anhui's 32 pilot counties, 2017)",
     "Integrated agricultural funds per key poverty county per year."},
    {"funding.integrated_agri", "growth", T::real, "1/year", -1, 10, "0.0", "assumed",
     "Yearly growth of integrated funds."},
    {"funding.integrated_agri", "scale", T::real, "factor", 0, 100, "1.0", "assumed",
     "Multiplier of this source alone."},
    {"funding.integrated_agri", "household_share", T::real, "share", 0, 1, "0.1",
     "assumed: most integrated agricultural money builds roads, water and farmland",
     "Share of integrated funds spent on household measures."},

    {"funding.hardship_fund", "yuan", T::real, "yuan/year", 0, 1e12, "20000000.0",
     "assumed: the proposal's 特困家庭救助基金 cut from lottery funds has no public size",
     "City contribution to the hardship fund per year (lottery funds)."},
    {"funding.hardship_fund", "growth", T::real, "1/year", -1, 10, "0.0", "assumed",
     "Yearly growth of the city contribution."},
    {"funding.hardship_fund", "county_match", T::real, "yuan per city yuan", 0, 100, "1.0",
     "seed proposal: 市、县同比例 (the counties match the city's contribution)",
     "County money added per yuan of the city's contribution to its share."},
    {"funding.hardship_fund", "scale", T::real, "factor", 0, 100, "1.0", "assumed",
     "Multiplier of this source alone."},

    {"funding.social_help", "yuan", T::real, "yuan/year", 0, 1e12, "0.0",
     "assumed: donations (社会帮扶) have no public size for Anqing; 0 keeps them out unless a "
     "scenario sets them",
     "Donations for household measures reaching the city in the first year."},
    {"funding.social_help", "growth", T::real, "1/year", -1, 10, "0.0", "assumed",
     "Yearly growth of donations."},
    {"funding.social_help", "scale", T::real, "factor", 0, 100, "1.0", "assumed",
     "Multiplier of this source alone."},
    {"funding.social_help", "household_share", T::real, "share", 0, 1, "1.0",
     "assumed: donations counted here are those given for households",
     "Share of donations spent on household measures."},

    {"funding.relocation_fund", "yuan", T::real, "yuan/year", 0, 1e12, "300000000.0",
     "derived: calibration: relocation_cost_per_person (62,500 yuan a person, all sources) x "
     "about 4,800 people a year (Anhui's 8.3万 of calibration: relocation_plan_people over "
     "2016-2020, x 0.163 Anqing's share of Anhui's registry, / 2.8 years: about 1.3万 people by "
     "2018)",
     "Relocation financing reaching the city in the first year (all sources of the plan)."},
    {"funding.relocation_fund", "growth", T::real, "1/year", -1, 10, "0.0", "assumed",
     "Yearly growth of relocation financing."},
    {"funding.relocation_fund", "scale", T::real, "factor", 0, 100, "1.0", "assumed",
     "Multiplier of this source alone."},
    {"funding.relocation_fund", "household_share", T::real, "share", 0, 1, "1.0",
     "assumed: the relocation fund pays for the moves themselves",
     "Share of the relocation fund spent on moving households."},

    {"funding.pv_fund", "yuan", T::real, "yuan/year", 0, 1e12, "130400000.0",
     "derived: measures: pv_provincial_budget (Anhui's province paid 4亿 a year for PV, 2015-2017) "
     "x 0.163 (Anqing's share of Anhui's registry) x 2 (the city or county matches the province's "
     "third: measures: pv_household_system_cost)",
     "Dedicated photovoltaic money reaching the city in the first year (province and its match)."},
    {"funding.pv_fund", "growth", T::real, "1/year", -1, 10, "0.0",
     "measures: pv_provincial_budget (the same 4亿 each year 2015-2017)", "Yearly growth of the PV money."},
    {"funding.pv_fund", "scale", T::real, "factor", 0, 100, "1.0", "assumed", "Multiplier of this source alone."},
    {"funding.pv_fund", "household_share", T::real, "share", 0, 1, "1.0",
     "assumed: the PV money pays for systems and stations", "Share of the PV money spent on systems and stations."},
});

}  // namespace

std::span<const ParameterSpec> funding_specs() { return specs; }

Funding read_funding(ParameterReader& r, const std::vector<std::string>& county_names, bool checked) {
  Funding f;
  f.level = r.real("funding", "level");
  f.rollover = r.choice("funding", "unspent", {"rollover", "lapse"}) == 0;
  f.priority = static_cast<PriorityRule>(
      r.choice("funding", "priority", {priority_rule_names.begin(), priority_rule_names.end()}));
  f.skip_unaffordable = r.boolean("funding", "skip_unaffordable");
  f.county_split = static_cast<CountySplit>(
      r.choice("funding", "county_split", {county_split_names.begin(), county_split_names.end()}));
  for (int k = 0; k < pool_source_count; ++k) {
    const std::string section = "funding." + std::string(fund_source_names[k]);
    auto& s = f.sources[k];
    s.scale = r.real(section, "scale");
    if (k == static_cast<int>(FundSource::county_revenue)) {
      s.growth = r.real(section, "growth");
      s.household_share = r.real(section, "household_share");
      continue;
    }
    s.yuan = r.real(section, "yuan");
    s.growth = r.real(section, "growth");
    s.household_share = k == static_cast<int>(FundSource::hardship_fund) ? 1.0 : r.real(section, "household_share");
  }
  f.county_revenue_yuan = r.reals("funding.county_revenue", "yuan");
  if (f.county_revenue_yuan.size() != county_names.size() && checked)
    r.fail("funding.county_revenue", "yuan",
           "'funding.county_revenue.yuan' has " + std::to_string(f.county_revenue_yuan.size()) +
               " entries; expected one per county in 'counties.names' (" +
               std::to_string(county_names.size()) + ")");
  f.county_revenue_yuan.resize(county_names.size(), 0.0);
  f.key_county_share = r.real("funding.county_revenue", "key_county_share");
  f.other_county_share = r.real("funding.county_revenue", "other_county_share");
  f.key_county.assign(county_names.size(), 0);
  for (const auto& name : r.strings("funding.county_revenue", "key_counties")) {
    int found = -1;
    for (std::size_t c = 0; c < county_names.size(); ++c)
      if (county_names[c] == name) found = static_cast<int>(c);
    if (found < 0 && !checked) continue;
    if (found < 0)
      r.fail_choice("funding.county_revenue", "key_counties", name, county_names,
                    "a county of counties.names");
    f.key_county[found] = 1;
  }
  f.hardship_county_match = r.real("funding.hardship_fund", "county_match");
  return f;
}

std::int64_t Funding::fresh_fen(FundSource src, int county, int t, double factor_share) const {
  const int k = static_cast<int>(src);
  if (k >= pool_source_count) return 0;
  const Source& s = sources[k];
  double yuan = 0;
  switch (src) {
    case FundSource::county_revenue: {
      // Revenue of window year t is R0 (1+g)^(t+1); its increment over the year before is
      // R0 (1+g)^t g.
      const double increment = county_revenue_yuan[county] * std::pow(1.0 + s.growth, t) * s.growth;
      yuan = std::max(0.0, increment) * (key_county[county] ? key_county_share : other_county_share);
      break;
    }
    case FundSource::integrated_agri:
      yuan = key_county[county] ? s.yuan * std::pow(1.0 + s.growth, t) : 0.0;
      break;
    case FundSource::hardship_fund:
      yuan = s.yuan * std::pow(1.0 + s.growth, t) * factor_share * (1.0 + hardship_county_match);
      break;
    default:
      yuan = s.yuan * std::pow(1.0 + s.growth, t) * factor_share;
      break;
  }
  return std::llround(level * s.scale * s.household_share * yuan * 100.0);
}

}  // namespace tuopin
