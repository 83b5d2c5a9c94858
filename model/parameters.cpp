#include "parameters.h"

#include <array>
#include <cmath>
#include <limits>
#include <sstream>
#include <vector>

#include "funding.h"
#include "measures/registry.h"
#include "targeting.h"
#include "uncertain_parameters.h"

namespace tuopin {
namespace {

using T = ParamType;

// Sources: "calibration: KEY (year, place)" names a row of ../shared/data/calibration.csv;
// "assumed: ..." gives the reasoning for a value no public source states.
const std::array core_specs = std::to_array<ParameterSpec>({
    // ---- top level -------------------------------------------------------------------------
    {"", "inherits", T::string, "path", 0, 0, R"("")",
     "not a model parameter",
     "Scenario this one starts from, relative to this file; its keys are overridden by ours."},
    {"", "description", T::string, "text", 0, 0, R"("")", "not a model parameter",
     "What the scenario is and why, in a sentence or two."},

    // ---- window ----------------------------------------------------------------------------
    {"window", "first_year", T::integer, "year", 2000, 2100, "2016",
     "seed proposal: the three-year plan 2016-2018",
     "First calendar year simulated; monthly steps start in its January."},
    {"window", "last_year", T::integer, "year", 2000, 2100, "2018",
     "seed proposal: the three-year plan 2016-2018",
     "Last calendar year simulated; monthly steps end in its December. The registry's exit "
     "assessment runs at every year end."},

    // ---- simulation ------------------------------------------------------------------------
    {"simulation", "seed", T::integer, "-", 0, 4294967295.0, "20160413",
     "assumed: the proposal's date; any value gives an equally valid run",
     "Seed of the counter-based random numbers (Philox key word 0)."},
    {"simulation", "replicates", T::integer, "runs", 1, 100000, "20",
     "assumed: 20 replicates put the 5-95% range within about 1% of its value for city totals",
     "Independent stochastic replicates (Philox key word 1 is the replicate index)."},

    // ---- poverty_line ----------------------------------------------------------------------
    {"poverty_line", "years", T::integer_array, "year", 2000, 2100,
     "[2014, 2015, 2016, 2017, 2018]", "calibration: poverty_line",
     "Years for which the national poverty line is given; every simulated year must be listed."},
    {"poverty_line", "yuan", T::real_array, "yuan/person/year", 0, 1e6,
     "[2800.0, 2855.0, 2952.0, 2952.0, 2995.0]",
     "calibration: poverty_line (2014 quoted-repost, 2015 quoted-repost, 2016 quoted-repost, "
     "2017 and 2018 unverified)",
     "Per-capita annual net income line at current prices, one per year in poverty_line.years.",
     length_line_years},

    // ---- population ------------------------------------------------------------------------
    {"population", "poor_people", T::real, "persons", 0, 1e8, "406863.0",
     "calibration: remaining_poor_people (2015, Anqing)",
     "Registered poor people still poor at the start of the window."},
    {"population", "exited_people", T::real, "persons", 0, 1e8, "384437.0",
     "derived: registered_poor_people 2014 (791300) - remaining_poor_people 2015 (406863)",
     "Registered people who exited before the window and can re-enter (返贫)."},
    {"population", "near_poor_people", T::real, "persons", 0, 1e8, "200000.0",
     "assumed: no public count of Anqing's near-poor (边缘户); about 4.5% of the rural population, "
     "half the registered poor stock",
     "Never-registered people in households just above the line who can become newly poor."},
    {"population", "rural_population", T::real, "persons", 1, 1e9, "4430000.0",
     "calibration: rural_population (derived 406863 / 0.0919)",
     "Rural population: the denominator of poverty incidence."},
    {"population", "household_size_shares", T::real_array, "share", 0, 1,
     "[0.25, 0.32, 0.19, 0.14, 0.06, 0.04]",
     "assumed: shape of small rural households; mean 2.56 persons matches "
     "calibration: persons_per_household (2.57, Anhui 2014, derived)",
     "Share of households with 1, 2, ... members (the last entry is the largest size).",
     length_any, true},
    {"population", "cause_shares", T::real_array, "share", 0, 1,
     "[0.441, 0.09, 0.05, 0.03, 0.005, 0.03, 0.015, 0.08, 0.12, 0.08, 0.02, 0.039]",
     "calibration: cause_illness_share (0.441) and cause_illness_disability_labour_share "
     "(illness + disability + lack of labour > 0.6, here 0.611); the other causes are assumed",
     "Share of households by main cause of poverty, in the registry's order: illness, "
     "disability, education, disaster, marriage, lack of land, lack of water, lack of skills, "
     "lack of capital, lack of labour, poor transport, low motivation.",
     12, true},
    {"population", "secondary_cause_rate", T::real, "share", 0, 1, "0.6",
     "assumed: the registry form allows a main cause plus others (calibration: cause_options)",
     "Share of households with a secondary cause, drawn from cause_shares without the main one."},
    {"population", "labour_none_by_cause", T::real_array, "share", 0, 1,
     "[0.25, 0.40, 0.05, 0.10, 0.10, 0.05, 0.05, 0.05, 0.05, 0.60, 0.05, 0.10]",
     "assumed: illness, disability and lack of labour leave most households without labour",
     "Share of households with no labour capacity, by main cause (registry order).", 12},
    {"population", "labour_weak_by_cause", T::real_array, "share", 0, 1,
     "[0.35, 0.30, 0.15, 0.20, 0.20, 0.20, 0.20, 0.20, 0.15, 0.30, 0.20, 0.30]",
     "assumed", "Share of households with only weak labour capacity, by main cause.", 12},
    {"population", "age_shares_normal", T::real_array, "share", 0, 1,
     "[0.08, 0.17, 0.55, 0.20]", "assumed",
     "Members by age band (0-5, 6-15, 16-59, 60+) in households with normal labour capacity "
     "(people over 60 who still farm count as labour in the registry). Every household has a "
     "member aged 16+, so one-person households take adults only.", 4, true},
    {"population", "age_shares_weak", T::real_array, "share", 0, 1,
     "[0.06, 0.14, 0.40, 0.40]", "assumed",
     "Members by age band in households with weak labour capacity.", 4, true},
    {"population", "age_shares_none", T::real_array, "share", 0, 1,
     "[0.04, 0.10, 0.26, 0.60]", "assumed",
     "Members by age band in households without labour capacity.", 4, true},
    {"population", "disability_rate", T::real, "share", 0, 1, "0.08", "assumed",
     "Share of households with a disabled member among those whose causes omit disability."},
    {"population", "chronic_illness_rate", T::real, "share", 0, 1, "0.15", "assumed",
     "Share of households with a chronically or seriously ill member among those whose causes "
     "omit illness."},
    {"population", "dibao_rate_by_labour", T::real_array, "share", 0, 1, "[0.05, 0.20, 0.60]",
     "assumed: the proposal puts households that cannot work under the 低保 net",
     "Share of registered poor households on 低保, by labour capacity (normal, weak, none).", 3},
    {"population", "wubao_rate", T::real, "share", 0, 1, "0.5", "assumed",
     "Share of one-person households without labour aged 60+ that are 五保 (in place of 低保)."},
    {"population", "land_per_person", T::real, "mu/person", 0, 100, "1.0",
     "assumed: hilly Dabie mountain counties have little land per person",
     "Median contracted land per member (亩)."},
    {"population", "land_dispersion", T::real, "log sd", 0, 5, "0.6", "assumed",
     "Standard deviation of log land per member."},
    {"population", "housing_shares_poor", T::real_array, "share", 0, 1, "[0.80, 0.12, 0.08]",
     "assumed", "Registered poor households by housing safety (safe, unsafe C-grade, dangerous "
     "D-grade) at the start.", 3, true},
    {"population", "housing_shares_other", T::real_array, "share", 0, 1, "[0.95, 0.04, 0.01]",
     "assumed", "Exited and near-poor households by housing safety at the start.", 3, true},
    {"population", "labour_none_small_household_odds", T::real, "odds ratio", 0.01, 100, "3.0",
     "assumed: people living alone or as elderly couples make up many households without labour",
     "Seed of the population table: odds of a household without labour capacity having 1 or 2 "
     "members rather than more, relative to other households. Iterative proportional fitting "
     "keeps this association while meeting every margin."},
    {"population", "poor_measured_below_line", T::boolean, "-", 0, 0, "true",
     "calibration: exit_rule_household (the registry lists a household as poor by its own "
     "income measure, benefits included)",
     "Registered poor households start with a measured income (expected income with 低保 / "
     "五保 benefits, times the survey error of assessment.survey_error_sd) below the line "
     "of the year before the window (its first year's if not given): the end-2015 registry by "
     "its own definition. false: no truncation (the untruncated log-normal of "
     "income.median_ratio_poor)."},
    {"population", "poor_in_poor_villages", T::real, "share", 0, 1, "0.6",
     "assumed: poor villages hold a large part, not all, of the registered poor",
     "Share of registered households (poor, and exited before the window) living in a "
     "registered poor village of their county; near-poor households live anywhere in it."},

    // ---- counties --------------------------------------------------------------------------
    {"counties", "names", T::string_array, "-", 0, 0,
     R"(["Yuexi", "Qianshan", "Taihu", "Susong", "Wangjiang", "Huaining", "Tongcheng", "Zongyang", "Yingjiang", "Daguan", "Yixiu"])",
     "calibration: national_poverty_counties (the five national poverty counties, then the "
     "counties and districts that also have poor villages)",
     "Counties and districts of Anqing, in pinyin."},
    {"counties", "names_zh", T::string_array, "-", 0, 0,
     R"(["岳西县", "潜山县", "太湖县", "宿松县", "望江县", "怀宁县", "桐城市", "枞阳县", "迎江区", "大观区", "宜秀区"])",
     "calibration: national_poverty_counties", "Names in Chinese, one per county.",
     length_counties},
    {"counties", "poor_villages", T::integer_array, "villages", 0, 100000,
     "[65, 50, 67, 55, 40, 35, 25, 30, 2, 3, 3]",
     "calibration: poor_villages (Anqing 375 in 2016; Taihu 67 in 2014; Yuexi 65 in 2015); the "
     "split of the other 243 is assumed",
     "Registered poor villages (贫困村) per county.", length_counties},
    {"counties", "villages", T::integer_array, "villages", 1, 100000,
     "[180, 180, 190, 200, 130, 210, 200, 240, 20, 30, 60]",
     "assumed: no per-county village count is in the calibration data",
     "Administrative villages per county (poor and not poor).", length_counties},
    {"counties", "weights", T::real_array, "share", 0, 1,
     "[0.1733, 0.1333, 0.1787, 0.1467, 0.1067, 0.0933, 0.0667, 0.08, 0.0053, 0.008, 0.008]",
     "assumed: proportional to poor villages (no per-county registry counts are public)",
     "Share of the registered poor, exited and near-poor households in each county.",
     length_counties, true},
    {"counties", "remoteness_poor_villages", T::real_array, "share", 0, 1, "[0.3, 0.4, 0.3]",
     "assumed", "Poor villages by remoteness (near a town, remote, very remote).", 3, true},
    {"counties", "road_access", T::real_array, "share", 0, 1, "[0.75, 0.95]",
     "assumed: the proposal notes poor villages' infrastructure lags (基础设施还很落后)",
     "Share of villages with a paved road (poor villages, other villages).", 2},
    {"counties", "safe_water", T::real_array, "share", 0, 1, "[0.80, 0.95]", "assumed",
     "Share of villages with safe drinking water (poor villages, other villages).", 2},
    {"counties", "collective_income_median", T::real_array, "yuan/village/year", 0, 1e9,
     "[20000.0, 80000.0]",
     "assumed: the proposal notes weak village collective economies; "
     "calibration: pv_village_income (a 60 kW village PV station earns about 60000 a year) "
     "gives the scale",
     "Median collective income of villages that have some (poor villages, other villages).", 2},
    {"counties", "collective_income_dispersion", T::real, "log sd", 0, 5, "1.0", "assumed",
     "Standard deviation of log collective income among villages that have some."},
    {"counties", "empty_shell_share", T::real_array, "share", 0, 1, "[0.5, 0.1]",
     "assumed: the proposal's 贫困空壳村 (villages without operating income) pilot",
     "Share of villages with no collective income (空壳村) (poor villages, other villages).", 2},
    {"counties", "remoteness_other_villages", T::real_array, "share", 0, 1, "[0.7, 0.25, 0.05]",
     "assumed", "Other villages by remoteness (near a town, remote, very remote).", 3, true},
    {"counties", "rural_population_shares", T::real_array, "share", 0, 1,
     "[0.1098, 0.1098, 0.1159, 0.122, 0.0793, 0.128, 0.122, 0.1463, 0.0122, 0.0183, 0.0366]",
     "assumed: no per-county rural population is in the calibration data; proportional to "
     "counties.villages (villages of equal size, about 2,700 people each)",
     "Share of population.rural_population living in each county: the denominator of the "
     "county's poverty incidence. A village's rural population is its county's divided by "
     "the county's villages.",
     length_counties, true},
    {"counties", "poverty_county", T::integer_array, "0/1", 0, 1, "[1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]",
     "calibration: national_poverty_counties (岳西, 潜山, 太湖, 宿松, 望江)",
     "1 for a listed poverty county (贫困县), whose exit (摘帽) is the plan's target; the "
     "criteria are evaluated for every county.",
     length_counties},

    // ---- income ----------------------------------------------------------------------------
    {"income", "median_ratio_poor", T::real, "x poverty line", 0, 100, "0.70",
     "assumed: registered poor were identified below the line, with measurement error",
     "Median per-capita expected income of registered poor households at the start, relative "
     "to the first year's line."},
    {"income", "median_ratio_exited", T::real, "x poverty line", 0, 100, "1.6", "assumed",
     "Median per-capita expected income of households that exited before the window."},
    {"income", "median_ratio_near_poor", T::real, "x poverty line", 0, 100, "1.25", "assumed",
     "Median per-capita expected income of near-poor households."},
    {"income", "dispersion", T::real, "log sd", 0, 5, "0.35", "assumed",
     "Standard deviation of log expected per-capita income within a group."},
    {"income", "source_shares_normal", T::real_array, "share", 0, 1, "[0.45, 0.40, 0.13, 0.02]",
     "assumed; the population mean is near calibration: income_share_wage (wage 0.353, "
     "business 0.360, transfers 0.273, property 0.014; China's poor areas, 2019)",
     "Income by source (wage, operating, transfer, property) for households with normal "
     "labour capacity.", 4, true},
    {"income", "source_shares_weak", T::real_array, "share", 0, 1, "[0.25, 0.45, 0.28, 0.02]",
     "assumed", "Income by source for households with weak labour capacity.", 4, true},
    {"income", "source_shares_none", T::real_array, "share", 0, 1, "[0.05, 0.20, 0.74, 0.01]",
     "assumed", "Income by source for households without labour capacity.", 4, true},
    {"income", "remoteness_wage_factor", T::real_array, "factor", 0, 10, "[1.0, 0.85, 0.7]",
     "assumed: distance to jobs lowers wages",
     "Wage income multiplier by village remoteness (near, remote, very remote).", 3},
    {"income", "land_elasticity", T::real, "-", 0, 2, "0.3", "assumed",
     "Elasticity of operating income with respect to land per member."},
    {"income", "wage_growth", T::real, "1/year", -0.5, 1, "0.08",
     "assumed: rural wages grew near this rate in the mid-2010s",
     "Annual growth of expected wage income (applied month by month)."},
    {"income", "operating_growth", T::real, "1/year", -0.5, 1, "0.05", "assumed",
     "Annual growth of expected operating (farm and business) income."},
    {"income", "persistence", T::real, "per month", 0, 1, "0.97",
     "assumed: yearly autocorrelation about 0.69",
     "Monthly AR(1) coefficient of the persistent log deviation of wage and operating income."},
    {"income", "persistent_sd", T::real, "log sd per month", 0, 5, "0.06", "assumed",
     "Innovation standard deviation of the persistent log deviation (stationary sd 0.25)."},
    {"income", "wage_transitory_sd", T::real, "log sd", 0, 5, "0.3", "assumed",
     "Standard deviation of the month's transitory log deviation of wage income."},
    {"income", "operating_transitory_sd", T::real, "log sd", 0, 5, "0.4",
     "assumed: harvests and prices make farm income noisier than wages",
     "Standard deviation of the month's transitory log deviation of operating income."},
    {"income", "dibao_benefit", T::real, "yuan/person/year", 0, 1e6, "1800.0",
     "assumed: Anhui's rural 低保 standard by year is not in the calibration data",
     "低保 payment per member of a 低保 household."},
    {"income", "wubao_benefit", T::real, "yuan/person/year", 0, 1e6, "4000.0",
     "assumed: 五保 support is above 低保", "五保 support per member of a 五保 household."},

    // ---- shocks ----------------------------------------------------------------------------
    {"shocks", "illness_rate", T::real, "1/household/month", 0, 1, "0.004",
     "assumed: about 5% of households a year have a costly illness episode",
     "Monthly probability of a serious illness episode in a household without a chronic case."},
    {"shocks", "chronic_illness_multiplier", T::real, "factor", 0, 100, "3.0", "assumed",
     "Multiplier of illness_rate for households with a chronically or seriously ill member."},
    {"shocks", "illness_cost_mean", T::real, "yuan/episode", 0, 1e7, "8000.0", "assumed",
     "Mean medical cost of an episode before insurance (log-normal)."},
    {"shocks", "illness_cost_dispersion", T::real, "log sd", 0, 5, "0.8", "assumed",
     "Standard deviation of log episode cost."},
    {"shocks", "illness_work_months", T::integer, "months", 0, 24, "3", "assumed",
     "Months of reduced wage income from an episode, its own month included (it may run "
     "into the next year)."},
    {"shocks", "illness_wage_loss", T::real, "share", 0, 1, "0.5", "assumed",
     "Share of wage income lost in those months."},
    {"shocks", "disaster_rate", T::real, "1/village/month", 0, 1, "0.005",
     "assumed: calibration: flood_2016 (unverified) shows disasters occur; no public rate",
     "Monthly probability that a natural disaster strikes a village."},
    {"shocks", "disaster_operating_loss", T::real, "share", 0, 1, "0.3", "assumed",
     "Share of a year's expected operating income a struck household loses."},
    {"shocks", "disaster_housing_damage", T::real, "probability", 0, 1, "0.1", "assumed",
     "Probability that a disaster makes a struck household's safe house unsafe."},
    {"shocks", "illness_age_risk", T::real_array, "relative risk", 0, 100, "[0.6, 0.4, 0.8, 2.0]",
     "assumed: serious illness and inpatient care rise steeply with age (no age profile of the "
     "poor's admissions is in the data; measures: health_inpatient_rate_poor gives the poor's "
     "level, 0.208 admissions per person-year)",
     "Relative illness risk of a member by age band (0-5, 6-15, 16-59, 60+): a household's "
     "monthly rate is illness_rate times its members' mean relative risk (times "
     "chronic_illness_multiplier with a chronic case).", 4},
    {"shocks", "flood_year", T::integer, "year", 0, 2100, "0",
     "calibration: flood_2016 (July 2016 Yangtze floods in Anqing; unverified) and measures: "
     "flood_2016 (the '6.30' flood of 2016 in Qianshan)",
     "Calendar year of a major flood on top of the ordinary disasters (0: none)."},
    {"shocks", "flood_month", T::integer, "month", 1, 12, "7",
     "calibration: flood_2016 (July 2016)", "Month of the flood."},
    {"shocks", "flood_village_share", T::real, "share", 0, 1, "0.3",
     "assumed: no count of struck villages is in the data; the flood hit the river and lake "
     "counties hard",
     "Probability that the flood strikes a village (a draw per village); a struck village's "
     "households suffer the disaster losses (disaster_operating_loss, disaster_housing_damage)."},
    {"shocks", "downturn_year", T::integer, "year", 0, 2100, "0",
     "assumed: a scenario device; no downturn year is in the data",
     "Calendar year of an economic downturn in which migrant workers lose jobs (0: none)."},
    {"shocks", "downturn_job_loss", T::real, "probability", 0, 1, "0.15",
     "assumed: measures: migrant_income_share_poor_households (2/3 of poor families rely on "
     "migrant work) makes wage loss the main channel; the share losing work is assumed",
     "Probability that a household with wage income loses its wages in the downturn year."},
    {"shocks", "downturn_months", T::integer, "months", 0, 12, "6", "assumed",
     "Months of the downturn year, from January, in which a household that lost its job earns no "
     "wage."},

    // ---- guarantees (两不愁三保障) -------------------------------------------------------------
    {"guarantees", "food_clothing_line_share", T::real, "x poverty line", 0, 10, "0.8",
     "assumed",
     "Food and clothing are secure when per-capita income less out-of-pocket medical cost is "
     "at least this share of the line, or the household receives 低保 or 五保."},
    {"guarantees", "insurance_enrolment", T::real, "probability", 0, 1, "0.97",
     "assumed: near-universal rural cooperative medical insurance",
     "Probability that a household is enrolled in basic medical insurance in a year."},
    {"guarantees", "medical_reimbursement", T::real, "share", 0, 1, "0.5", "assumed",
     "Share of an insured household's medical cost paid by insurance."},
    {"guarantees", "catastrophic_share", T::real, "share of income", 0, 10, "0.4",
     "assumed: the WHO catastrophic-expenditure threshold of 40% of capacity to pay, applied "
     "to income",
     "Basic medical care fails when the year's out-of-pocket cost exceeds this share of "
     "income, or the household is uninsured."},
    {"guarantees", "dropout_rate", T::real, "1/household/month", 0, 1, "0.003", "assumed",
     "Monthly probability that a household below the line with school-age children has a "
     "child drop out of compulsory education."},
    {"guarantees", "reenrolment_rate", T::real, "probability", 0, 1, "0.5", "assumed",
     "Probability that a drop-out returns to school at the start of the school year (Sept.)."},
    {"guarantees", "repair_rate", T::real, "1/household/month", 0, 1, "0.02", "assumed",
     "Monthly probability that a household not below the line makes an unsafe house safe "
     "(a dangerous house first becomes unsafe)."},
    {"guarantees", "repair_poor_factor", T::real, "factor", 0, 1, "0.25", "assumed",
     "Multiplier of repair_rate for households below the line."},

    // ---- assessment ------------------------------------------------------------------------
    {"assessment", "require_guarantees", T::boolean, "-", 0, 0, "true",
     "calibration: exit_rule_household (income above the line and 两不愁三保障)",
     "A poor household exits only if all four guarantees are met as well as the income test."},
    {"assessment", "reentry_threshold", T::real, "x poverty line", 0, 10, "1.0", "assumed",
     "An exited household re-enters (返贫) when its per-capita income is below this multiple "
     "of the line."},
    {"assessment", "reentry_identification", T::real, "probability", 0, 1, "0.9",
     "assumed: exited households are followed up, so most relapses are recorded",
     "Probability that a relapsed household is registered again in that year's verification."},
    {"assessment", "new_poor_identification", T::real, "probability", 0, 1, "0.7",
     "assumed: new cases are found by yearly re-identification, less reliably",
     "Probability that a near-poor household found below the line is newly registered."},
    {"assessment", "exit_margin", T::real, "share of the line", 0, 1, "0.0",
     "assumed 0: the national rule is the line itself (calibration: exit_rule_household); "
     "measures: exit_income_threshold_local records one Anhui programme exiting households "
     "only at 3,200 yuan, 8.4% above the 2016 line (shock-free scenarios may set 0.084)",
     "A poor household exits only when its measured income is at least (1 + exit_margin) x the "
     "line: a working line above the national one, against wrong exits."},
    {"assessment", "survey_error_sd", T::real, "log sd", 0, 2, "0.15",
     "assumed: the verification measures a year's net income by interview (cash, in kind, "
     "transfers); no public error figure; 15% is a typical recall error of household income "
     "surveys",
     "Standard deviation of the log of measured over true per-capita income at the year-end "
     "verification (mean-preserving); also the registry's measure at the start of the window "
     "(population.poor_measured_below_line). 0: measured without error."},
    {"assessment", "monitoring_years", T::integer, "years", 0, 10, "2",
     "assumed: exited households stay in the registry's system and are revisited "
     "(脱贫不脱政策, the proposal's 返贫纳入机制) for a few years",
     "Years after its exit during which a household is monitored: its relapse is found with "
     "monitored_identification instead of reentry_identification."},
    {"assessment", "monitored_identification", T::real, "probability", 0, 1, "0.95",
     "assumed: a monitored household is visited every year",
     "Probability that a monitored exited household found below the line is registered "
     "again."},

    // ---- village_exit (贫困村出列) ------------------------------------------------------------
    {"village_exit", "incidence_max", T::real, "share", 0, 1, "0.02",
     "calibration: exit_rule_village_incidence (<2% central, <3% west; unverified)",
     "A poor village exits when its comprehensive incidence (registered poor, wrongly exited "
     "and missed poor people over its rural population) is below this share and the other "
     "criteria hold."},
    {"village_exit", "collective_income_min", T::real, "yuan/village/year", 0, 1e9, "50000.0",
     "assumed: provincial village-exit standards ask for a stable collective income; no "
     "figure is in ../shared/data (Anhui's exited villages averaged far more by 2020: "
     "measures: pv_village_income)",
     "Collective income a poor village must have to exit (0: no collective-income "
     "criterion)."},
    {"village_exit", "require_road", T::boolean, "-", 0, 0, "true",
     "assumed: provincial village-exit standards include a paved road (通硬化路)",
     "A poor village exits only with a paved road."},
    {"village_exit", "require_water", T::boolean, "-", 0, 0, "true",
     "assumed: provincial village-exit standards include safe drinking water (安全饮水)",
     "A poor village exits only with safe drinking water."},

    // ---- county_exit (贫困县摘帽) -------------------------------------------------------------
    {"county_exit", "incidence_max", T::real, "share", 0, 1, "0.02",
     "calibration: exit_rule_county_incidence (<2% central, Anhui; <3% west)",
     "A county exits when its comprehensive incidence is below this share and the other "
     "criteria hold."},
    {"county_exit", "wrong_exit_max", T::real, "share", 0, 1, "0.02",
     "calibration: exit_rule_county_incidence (wrongly-exited <2%)",
     "Largest wrong-exit rate (错退率): exited people whose true income is below the line or "
     "who lack a guarantee, over exited people."},
    {"county_exit", "missed_max", T::real, "share", 0, 1, "0.02",
     "calibration: exit_rule_county_incidence (missed-poor <2%)",
     "Largest missed-poor rate (漏评率): never-registered people below the line, over the "
     "rural people not in the registry."},
    {"county_exit", "poor_villages_exited_min", T::real, "share", 0, 1, "1.0",
     "assumed: the plan asks every poor village to exit with its county",
     "Share of the county's poor villages that must have exited."},
    {"county_exit", "public_approval", T::real, "share", 0, 1, "0.95",
     "assumed: not modelled; reported approval of exited counties was above 90%",
     "Public approval (群众认可度) of the county's exit: a given value, not simulated."},
    {"county_exit", "approval_min", T::real, "share", 0, 1, "0.9",
     "calibration: exit_rule_county_incidence (public approval >90%)",
     "Smallest public approval for a county to exit."},
});

}  // namespace

std::string_view type_name(ParamType t) {
  switch (t) {
    case T::integer: return "integer";
    case T::real: return "number";
    case T::boolean: return "boolean";
    case T::string: return "string";
    case T::integer_array: return "array of integers";
    case T::real_array: return "array of numbers";
    case T::string_array: return "array of strings";
  }
  return "?";
}

std::string ParameterSpec::path() const {
  return section.empty() ? std::string(key) : std::string(section) + "." + std::string(key);
}

// The engine's keys, then [funding], [targeting] and each measure's section in registry order.
std::span<const ParameterSpec> parameter_specs() {
  static const std::vector<ParameterSpec> all = [] {
    std::vector<ParameterSpec> v(core_specs.begin(), core_specs.end());
    for (const auto& s : uncertainty_specs()) v.push_back(s);
    for (const auto& s : funding_specs()) v.push_back(s);
    for (const auto& s : targeting_specs()) v.push_back(s);
    for (const auto& m : measure_registry())
      for (const auto& s : m.specs()) v.push_back(s);
    for (const UncertainRange& u : uncertain_ranges())  // checked by uncertain_range_problems()
      for (auto& s : v)
        if (s.path() == u.path) {
          s.uncertain_low = u.low;
          s.uncertain_high = u.high;
          s.uncertain_source = u.source;
        }
    return v;
  }();
  return all;
}

const ParameterSpec* find_parameter(std::string_view section, std::string_view key) {
  for (const auto& s : parameter_specs())
    if (s.section == section && s.key == key) return &s;
  return nullptr;
}

std::string defaults_toml() {
  std::ostringstream out;
  std::string_view current = "";
  for (const auto& s : parameter_specs()) {
    if (s.section != current) {
      out << "\n[" << s.section << "]\n";
      current = s.section;
    }
    out << s.key << " = " << s.default_toml << "\n";
  }
  return out.str();
}

namespace {
std::string range_text(const ParameterSpec& s) {
  if (s.type == T::boolean || s.type == T::string || s.type == T::string_array) return "-";
  auto num = [](double v) {
    if (std::isinf(v)) return std::string(v > 0 ? "inf" : "-inf");
    std::ostringstream o;
    o << v;
    return o.str();
  };
  std::string out = num(s.min) + " .. " + num(s.max);
  if (s.uncertain()) out += "; **uncertain: " + num(s.uncertain_low) + " .. " + num(s.uncertain_high) + "**";
  return out;
}
std::string length_text(const ParameterSpec& s) {
  if (s.length > 0) return std::to_string(s.length) + " entries";
  if (s.length == length_counties) return "one per county";
  if (s.length == length_line_years) return "one per poverty_line.years";
  if (s.length == length_any_or_none) return "may be empty";
  return "";
}
std::string escape_cell(std::string_view text) {
  std::string out;
  for (char c : text) out += (c == '|') ? std::string("\\|") : std::string(1, c);
  return out;
}
}  // namespace

std::string parameters_markdown() {
  std::ostringstream out;
  out << "# Parameter dictionary\n\n"
      << "Generated by `tuopin params --markdown` from the parameter specs (`model/parameters.cpp`, "
         "`model/funding.cpp`, `model/targeting.cpp` and each `model/measures/<name>.cpp`); do "
         "not edit by hand (a test compares this file with the program's output).\n\n"
      << "Every scenario key, with its unit, allowed range, default and source. A source names "
         "a row of `../shared/data/calibration.csv` (\"calibration: KEY\") or of "
         "`../shared/data/measures.csv` (\"measures: KEY\") with its year and place (see that "
         "folder's README for the citations and confidence levels), the proposal itself "
         "(\"seed proposal\", `../shared/seed/`), or says **assumed** with the reasoning: "
         "those values have no public figure and are scenario parameters so that a user can "
         "replace them and a sweep can vary them.\n\n"
      << "Shares marked *sum to 1* are checked to add up to 1 within 0.001.\n";
  out << "\nA range marked **uncertain** is the parameter's plausible range: with "
         "`uncertainty.parameters = true` (`tuopin run --uncertain`) each replicate draws it afresh "
         "within that range (docs/model.md, 7.10). The reasoning for each range is in the last table.\n";
  std::string_view current = "-";
  for (const auto& s : parameter_specs()) {
    if (s.section != current) {
      out << "\n## ";
      if (s.section.empty()) out << "Top level"; else out << "[" << s.section << "]";
      out << "\n\n| key | type | unit | range | default | source | meaning |\n"
          << "|---|---|---|---|---|---|---|\n";
      current = s.section;
    }
    std::string type(type_name(s.type));
    const std::string len = length_text(s);
    if (!len.empty()) type += ", " + len;
    if (s.sums_to_one) type += ", sum to 1";
    out << "| `" << s.key << "` | " << type << " | " << escape_cell(s.unit) << " | "
        << range_text(s) << " | `" << escape_cell(s.default_toml) << "` | "
        << escape_cell(s.source) << " | " << escape_cell(s.description) << " |\n";
  }
  out << uncertain_parameters_markdown();
  return out.str();
}

}  // namespace tuopin
