#pragma once
// 两不愁三保障: the four guarantees a household must have, besides income above the line, to
// exit. Each is a state of the household evaluated at the year-end assessment:
//   food and clothing  (不愁吃穿): income less out-of-pocket medical cost (and a relocated
//                       household's extra living cost) per member is at least
//                       food_clothing_line_share x line, or the household gets 低保 / 五保;
//   compulsory education (义务教育): no school-age child out of school (drop-out state);
//   basic medical care (基本医疗): insured this year and out-of-pocket cost within
//                       catastrophic_share of income;
//   safe housing       (住房安全): the house is safe (not C- or D-grade).
// The monthly dynamics of drop-out and housing repair are here too.
#include <cstdint>

#include "households.h"
#include "scenario.h"

namespace tuopin {

struct GuaranteeInputs {
  double income = 0;        // yuan in the year (household)
  double medical_cost = 0;  // out-of-pocket yuan in the year
  double living_cost = 0;   // extra living cost of the year (a household moved to a town), yuan
  std::uint8_t size = 1;
  std::uint8_t flags = 0;   // household_flag bits
  bool dropout = false;
  bool insured = true;
  HousingSafety housing = HousingSafety::safe;
};

inline std::uint8_t assess_guarantees(const Scenario::Guarantees& g, double line,
                                      const GuaranteeInputs& in) {
  std::uint8_t met = 0;
  const bool assisted = in.flags & (household_flag::dibao | household_flag::wubao);
  if (assisted || (in.income - in.medical_cost - in.living_cost) >= g.food_clothing_line_share * line * in.size)
    met |= guarantee::food_clothing;
  if (!in.dropout) met |= guarantee::education;
  if (in.insured && in.medical_cost <= g.catastrophic_share * in.income) met |= guarantee::medical;
  if (in.housing == HousingSafety::safe) met |= guarantee::housing;
  return met;
}

// Monthly probability that an unsafe or dangerous house improves by one grade.
inline double repair_probability(const Scenario::Guarantees& g, bool below_line) {
  return g.repair_rate * (below_line ? g.repair_poor_factor : 1.0);
}

// School drop-out: a household below the line with school-age children may have a child leave
// school in any month; at the start of the school year (September) a drop-out may return.
// `dropout_factor` multiplies dropout_rate (education aid sets it; 1 without).
inline bool next_dropout(const Scenario::Guarantees& g, bool dropout, bool has_school_age,
                         bool below_line, int calendar_month, double u_leave, double u_return,
                         double dropout_factor = 1.0) {
  if (!has_school_age) return false;
  if (dropout) return !(calendar_month == 9 && u_return < g.reenrolment_rate);
  return below_line && u_leave < g.dropout_rate * dropout_factor;
}

}  // namespace tuopin
