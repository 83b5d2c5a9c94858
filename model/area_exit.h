#pragma once
// Exit of poor villages (贫困村出列) and counties (贫困县摘帽), evaluated at every year end after
// the households' verification (exit_assessment.h), with the national third-party assessment's
// three rates and one degree (三率一度):
//   comprehensive incidence (综合贫困发生率) = (registered poor + wrongly exited + missed poor
//       people) / rural population;
//   wrong-exit rate (错退率) = exited people whose true income is below the line or who lack a
//       guarantee / exited people;
//   missed-poor rate (漏评率) = never-registered people below the line / rural people outside
//       the registry;
//   public approval (群众认可度): a scenario value, not simulated.
// A poor village exits when its incidence is below village_exit.incidence_max and it has the
// collective income, road and water the scenario requires; a county when its incidence and two
// rates are below their limits, enough of its poor villages have exited and the approval is high
// enough. Both exits are permanent: a village or county that has exited is not re-assessed.
#include <cstdint>

#include "scenario.h"

namespace tuopin {

// People of an area (village or county) at the year end, after the households' verification.
struct AreaCounts {
  std::int64_t poor_people = 0;            // registered poor (poor or re-entered)
  std::int64_t wrongly_exited_people = 0;  // exited, true income below the line or a guarantee unmet
  std::int64_t missed_people = 0;          // never registered, true income below the line
  std::int64_t exited_people = 0;          // exited
  std::int64_t registered_people = 0;      // poor, re-entered or exited
};

// Comprehensive incidence of an area of `rural_population` people (0 when it has none).
double comprehensive_incidence(const AreaCounts& a, double rural_population);

struct VillageFacts {
  double rural_population = 0;
  double collective_income = 0;  // yuan/year
  bool road = false;
  bool water = false;
};

bool village_meets_exit(const Scenario::VillageExit& rules, const AreaCounts& a, const VillageFacts& v);

// Bits of the county criteria that are met.
namespace county_criterion {
inline constexpr std::uint8_t incidence = 1u << 0;
inline constexpr std::uint8_t wrong_exit = 1u << 1;
inline constexpr std::uint8_t missed = 1u << 2;
inline constexpr std::uint8_t villages = 1u << 3;
inline constexpr std::uint8_t approval = 1u << 4;
inline constexpr std::uint8_t all = incidence | wrong_exit | missed | villages | approval;
}  // namespace county_criterion

struct CountyFacts {
  double rural_population = 0;
  int poor_villages = 0;
  int poor_villages_exited = 0;  // by this year end, this year's exits included
};

// The county_criterion bits met this year.
std::uint8_t county_exit_criteria(const Scenario::CountyExit& rules, const AreaCounts& a, const CountyFacts& c);

}  // namespace tuopin
