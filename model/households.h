#pragma once
// Households and villages stored as columns (structure of arrays).
//
// `Households` holds what the registry (建档立卡) records about a household and does not change
// during a run; `HouseholdState` holds what the dynamics change, and is reset from the
// population's initial values at the start of every replicate. Hot loops touch only the columns
// they need; no household is ever a heap object.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "column.h"

namespace tuopin {

enum class LabourCapacity : std::uint8_t { normal = 0, weak = 1, none = 2 };
inline constexpr int labour_capacity_count = 3;

// Registry status. `near_poor` households (边缘户) have never been registered; when they fall
// below the line and are identified they become `poor` (the newly poor).
enum class RegistryStatus : std::uint8_t { poor = 0, exited = 1, reentered = 2, near_poor = 3 };
inline constexpr int registry_status_count = 4;
inline bool counts_as_poor(RegistryStatus s) {
  return s == RegistryStatus::poor || s == RegistryStatus::reentered;
}

enum class HousingSafety : std::uint8_t { safe = 0, unsafe = 1, dangerous = 2 };  // 安全 / C级 / D级
inline constexpr int housing_safety_count = 3;

// The registry's twelve causes of poverty (致贫原因), in the order of its form.
enum class Cause : std::uint8_t {
  illness = 0, disability, education, disaster, marriage, lack_of_land, lack_of_water,
  lack_of_skills, lack_of_capital, lack_of_labour, poor_transport, low_motivation
};
inline constexpr int cause_count = 12;
inline constexpr std::uint8_t no_cause = 0xFF;  // secondary cause absent

inline constexpr std::array<std::string_view, cause_count> cause_names = {
    "illness", "disability", "education", "disaster", "marriage", "lack_of_land",
    "lack_of_water", "lack_of_skills", "lack_of_capital", "lack_of_labour", "poor_transport",
    "low_motivation"};
inline constexpr std::array<std::string_view, cause_count> cause_names_zh = {
    "因病", "因残", "因学", "因灾", "因婚", "缺土地", "缺水", "缺技术", "缺资金", "缺劳力",
    "交通条件落后", "自身发展动力不足"};
inline constexpr std::array<std::string_view, labour_capacity_count> labour_capacity_names = {
    "normal", "weak", "none"};
inline constexpr std::array<std::string_view, registry_status_count> registry_status_names = {
    "poor", "exited", "reentered", "near_poor"};
inline constexpr std::array<std::string_view, housing_safety_count> housing_safety_names = {
    "safe", "unsafe", "dangerous"};

// Bits of Households::flags.
namespace household_flag {
inline constexpr std::uint8_t disability = 1u << 0;       // a member with a disability
inline constexpr std::uint8_t chronic_illness = 1u << 1;  // a member with chronic or serious illness
inline constexpr std::uint8_t dibao = 1u << 2;            // 低保 (minimum living guarantee)
inline constexpr std::uint8_t wubao = 1u << 3;            // 五保 (five guarantees)
}  // namespace household_flag

// Age bands of members: 0-5, 6-15 (school age, compulsory education), 16-59, 60+.
inline constexpr int age_band_count = 4;
inline constexpr int school_age_band = 1;
inline constexpr std::array<std::string_view, age_band_count> age_band_names = {
    "0-5", "6-15", "16-59", "60+"};

// Income sources of the statistics bureau's household survey.
enum class IncomeSource : std::uint8_t { wage = 0, operating = 1, transfer = 2, property = 3 };
inline constexpr int income_source_count = 4;
inline constexpr std::array<std::string_view, income_source_count> income_source_names = {
    "wage", "operating", "transfer", "property"};

// County index of a household or village: 16 bits, so a national population (about 2,800
// counties) fits; scenarios may list up to max_counties.
using CountyIndex = std::uint16_t;
inline constexpr std::size_t max_counties = 65535;

struct Households {
  // Registry attributes (constant during a run).
  std::vector<CountyIndex> county;
  std::vector<std::uint32_t> village;
  std::vector<std::uint8_t> size;                                  // members
  std::array<std::vector<std::uint8_t>, age_band_count> members;   // members by age band
  std::vector<LabourCapacity> labour;
  std::vector<std::uint8_t> flags;                                 // household_flag bits
  std::vector<Cause> cause_main;
  std::vector<std::uint8_t> cause_secondary;                       // Cause or no_cause
  std::vector<float> land;                                         // mu (亩) of contracted land
  // Expected annual household income by source at the start of the window (yuan/year), before
  // growth, persistent and transitory deviations. Transfers exclude 低保/五保 benefits, which are
  // paid from the flags.
  std::array<std::vector<float>, income_source_count> base_income;
  // Initial values of the state (the registry at the start of the window).
  std::vector<RegistryStatus> status0;
  std::vector<HousingSafety> housing0;
  std::vector<std::int16_t> entry_year;   // year first registered as poor before the window (0: never)

  std::size_t count() const { return size.size(); }
  void resize(std::size_t n);
  std::size_t bytes_per_household() const;  // of the columns above (docs/performance.md)
};

struct Villages {
  std::vector<CountyIndex> county;
  std::vector<std::uint8_t> poor;        // 1: registered poor village (贫困村)
  std::vector<std::uint8_t> remoteness;  // 0 near a town, 1 remote, 2 very remote
  std::vector<std::uint8_t> road;        // 1: paved road to the village (通硬化路)
  std::vector<std::uint8_t> water;       // 1: safe drinking water (安全饮水)
  std::vector<float> collective_income;  // village collective income, yuan/year (0: 空壳村)
  std::size_t count() const { return county.size(); }
  void resize(std::size_t n);
};

// Bits of HouseholdState::guarantees: the 两不愁三保障 states. A set bit means "met".
namespace guarantee {
inline constexpr std::uint8_t food_clothing = 1u << 0;  // 不愁吃、不愁穿
inline constexpr std::uint8_t education = 1u << 1;      // 义务教育有保障 (no school-age drop-out)
inline constexpr std::uint8_t medical = 1u << 2;        // 基本医疗有保障 (insured, no catastrophic cost)
inline constexpr std::uint8_t housing = 1u << 3;        // 住房安全有保障
inline constexpr std::uint8_t all = food_clothing | education | medical | housing;
}  // namespace guarantee

// Bits of HouseholdState::events: what happened to a household in the current year, read at the
// year-end assessment to record the causes of a fall (返贫 or newly poor). Set by the engine
// (illness, disaster), the shocks (job loss in a downturn), the plan (support ended) and the
// measures (job loss, a relocated household's return, a village price fall). Cleared after each
// assessment except `wrong_exit`, which stays set from a wrong exit (income measured above the
// line, true income below it) until the household is registered again.
namespace household_event {
inline constexpr std::uint8_t illness = 1u << 0;            // a serious illness episode
inline constexpr std::uint8_t disaster = 1u << 1;           // a disaster struck its village
inline constexpr std::uint8_t job_loss = 1u << 2;           // a placement or migrant job lost
inline constexpr std::uint8_t measure_ended = 1u << 3;      // the plan's support ended this year
inline constexpr std::uint8_t relocation_return = 1u << 4;  // a relocated household moved back
inline constexpr std::uint8_t price_fall = 1u << 5;         // its industry's village price fell
inline constexpr std::uint8_t wrong_exit = 1u << 7;         // its last exit was wrong (persists)
inline constexpr std::uint8_t yearly = 0x3Fu;               // the bits cleared every year
}  // namespace household_event

// What the dynamics change, one column each (Column: allocated unwritten, column.h; reset_state
// in simulation.cpp writes every element at the start of each replicate).
struct HouseholdState {
  Column<RegistryStatus> status;
  Column<HousingSafety> housing;
  Column<std::uint8_t> guarantees;     // guarantee bits at the last assessment
  Column<std::uint8_t> dropout;        // 1: a school-age child is out of school
  Column<std::uint8_t> insured;        // 1: enrolled in basic medical insurance this year
  Column<std::uint8_t> illness_left;   // months of reduced work left after an illness
  Column<std::uint8_t> below_line;     // 1: last assessed per-capita income below the line
  Column<float> wage_deviation;        // persistent log deviation of wage income
  Column<float> operating_deviation;   // persistent log deviation of operating income
  // Kept for the plan phase and the measures.
  Column<std::uint8_t> assistance;     // household_flag::dibao / wubao now (dynamic with the safety net)
  Column<std::uint8_t> willing;        // 1: willing to develop an industry (drawn per replicate)
  Column<std::uint8_t> paired;         // 1: paired with a cadre (结对帮扶; drawn per replicate)
  Column<std::uint8_t> pathway;        // registry index of this year's pathway measure, or no_pathway
  Column<std::int8_t> exit_year;       // window year index of the last exit (-1: none in the window)
  Column<float> assessed_income;       // per-capita income at the last assessment, before year-end top-ups
  Column<std::uint8_t> events;         // household_event bits of the current year
  // Scratch of the current year, carried from the months to the assessment.
  Column<float> year_income;           // household income of the year so far, yuan
  Column<float> medical;               // out-of-pocket medical cost of the year, yuan
  Column<float> medical_gross;         // medical cost of the year before any payment, yuan

  void resize(std::size_t n);
  std::size_t bytes_per_household() const;
};

}  // namespace tuopin
