#pragma once
// Money for the measures: budget pools per county, source and year ([funding] and its source
// tables), as the proposal's section 四.一 and 皖政办〔2016〕8号 describe them.
//
//   central_special     中央财政专项扶贫资金, split to counties by the factor formula
//   provincial_special  省级财政专项扶贫资金, split likewise
//   municipal_special   市本级扶贫专项资金 with its yearly growth, split likewise
//   county_revenue      each county's share of its local fiscal revenue increment: at least
//                       20% for key poverty counties, 10% for the others (皖政办〔2016〕8号)
//   integrated_agri     integrated agricultural funds (涉农资金整合), key poverty counties only
//   hardship_fund       特困家庭救助基金 from lottery funds, matched by the counties; it pays only
//                       for catastrophic illness (and disaster) cases
//   social_help         社会帮扶: donations of firms, organisations and people (the proposal's
//                       section 六.二), split to counties by the factor formula
//   relocation_fund     易地扶贫搬迁资金: the relocation plan's own financing (central budget
//                       investment, policy-bank loans, local bonds), split likewise; only
//                       relocation draws on it by default
//   pv_fund             光伏扶贫资金: the province's dedicated photovoltaic money matched by the
//                       city and counties, split likewise; only photovoltaic draws on it
//   entitlement         not a pool: 低保/五保 benefits and insurance premiums are paid from their
//                       own budgets, reported, and never compete with the pools
//
// A pool's money in year t (window year index) for county c, in integer fen:
//   amount = level x scale x household_share x city_or_county_amount x (1 + growth)^t x factor_c
// plus what was left in the pool last year when funding.unspent = "rollover".
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parameter_reader.h"
#include "parameters.h"

namespace tuopin {

enum class FundSource : std::uint8_t {
  central_special = 0, provincial_special, municipal_special, county_revenue, integrated_agri,
  hardship_fund, social_help, relocation_fund, pv_fund, entitlement
};
inline constexpr int fund_source_count = 10;
inline constexpr int pool_source_count = 9;  // every source but entitlement is a pool
inline constexpr std::array<std::string_view, fund_source_count> fund_source_names = {
    "central_special", "provincial_special", "municipal_special", "county_revenue",
    "integrated_agri", "hardship_fund", "social_help", "relocation_fund", "pv_fund", "entitlement"};
inline constexpr std::array<std::string_view, fund_source_count> fund_source_names_zh = {
    "中央财政专项扶贫资金", "省级财政专项扶贫资金", "市级财政专项扶贫资金", "县级财政收入增量安排",
    "统筹整合涉农资金", "特困家庭救助基金", "社会帮扶资金", "易地扶贫搬迁资金", "光伏扶贫资金",
    "保障性支出(低保五保、保费)"};

enum class PriorityRule : std::uint8_t { gap = 0, exits_per_yuan, cause_first };
inline constexpr std::array<std::string_view, 3> priority_rule_names = {"gap", "exits_per_yuan",
                                                                      "cause_first"};
enum class CountySplit : std::uint8_t { poor_people = 0, weights };
inline constexpr std::array<std::string_view, 2> county_split_names = {"poor_people", "weights"};

struct Funding {
  double level = 1.0;
  bool rollover = true;
  PriorityRule priority = PriorityRule::gap;
  bool skip_unaffordable = true;
  CountySplit county_split = CountySplit::poor_people;
  struct Source {
    double yuan = 0;            // city total (or per key county: integrated_agri) in the first year
    double growth = 0;          // 1/year
    double scale = 1;           // multiplier of this source alone
    double household_share = 1; // share available to household measures
  };
  std::array<Source, pool_source_count> sources{};
  // county_revenue
  std::vector<double> county_revenue_yuan;  // local fiscal revenue of the year before the window
  double key_county_share = 0.2, other_county_share = 0.1;
  std::vector<std::uint8_t> key_county;     // 1: key poverty county (国家/省扶贫开发工作重点县)
  double hardship_county_match = 1.0;

  // The pool's fresh money (fen) for a county in window year t, given the county's factor share
  // (its share of the split for city-level sources). Rollover is added by the plan.
  std::int64_t fresh_fen(FundSource s, int county, int t, double factor_share) const;
};

std::span<const ParameterSpec> funding_specs();
// `county_names` are the scenario's counties (for funding.county_revenue.key_counties and its
// per-county revenue). The county keys are checked against them only when `checked` (a measure
// is on): a scenario with other counties and no measure need not restate them.
Funding read_funding(ParameterReader& r, const std::vector<std::string>& county_names, bool checked);

}  // namespace tuopin
