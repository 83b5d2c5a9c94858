// 两不愁三保障 rules and their monthly dynamics on hand-built households.
#include <doctest/doctest.h>

#include "guarantees.h"

using namespace tuopin;

namespace {
Scenario::Guarantees params() {
  Scenario::Guarantees g{};
  g.food_clothing_line_share = 0.8;
  g.insurance_enrolment = 0.97;
  g.medical_reimbursement = 0.5;
  g.catastrophic_share = 0.4;
  g.dropout_rate = 0.003;
  g.reenrolment_rate = 0.5;
  g.repair_rate = 0.02;
  g.repair_poor_factor = 0.25;
  return g;
}
}  // namespace

TEST_CASE("all four guarantees met") {
  GuaranteeInputs in;
  in.income = 10000;
  in.size = 2;
  CHECK(assess_guarantees(params(), 3000, in) == guarantee::all);
}

TEST_CASE("food and clothing: income less medical cost against 0.8 x line, or social assistance") {
  GuaranteeInputs in;
  in.size = 2;
  in.income = 4800;  // exactly 0.8 x 3000 x 2
  CHECK((assess_guarantees(params(), 3000, in) & guarantee::food_clothing));
  in.medical_cost = 1;
  CHECK(!(assess_guarantees(params(), 3000, in) & guarantee::food_clothing));
  in.flags = household_flag::dibao;
  CHECK((assess_guarantees(params(), 3000, in) & guarantee::food_clothing));
}

TEST_CASE("basic medical care: uninsured or catastrophic cost fails") {
  GuaranteeInputs in;
  in.income = 10000;
  in.medical_cost = 4000;  // exactly 40%
  CHECK((assess_guarantees(params(), 3000, in) & guarantee::medical));
  in.medical_cost = 4001;
  CHECK(!(assess_guarantees(params(), 3000, in) & guarantee::medical));
  in.medical_cost = 0;
  in.insured = false;
  CHECK(!(assess_guarantees(params(), 3000, in) & guarantee::medical));
}

TEST_CASE("education and housing") {
  GuaranteeInputs in;
  in.income = 10000;
  in.dropout = true;
  CHECK(!(assess_guarantees(params(), 3000, in) & guarantee::education));
  in.dropout = false;
  in.housing = HousingSafety::unsafe;
  CHECK(!(assess_guarantees(params(), 3000, in) & guarantee::housing));
  in.housing = HousingSafety::dangerous;
  CHECK(!(assess_guarantees(params(), 3000, in) & guarantee::housing));
}

TEST_CASE("drop-out dynamics") {
  const auto g = params();
  // Only households below the line drop out, with probability dropout_rate.
  CHECK(next_dropout(g, false, true, true, 3, 0.0029, 0.9));
  CHECK(!next_dropout(g, false, true, true, 3, 0.0031, 0.0));
  CHECK(!next_dropout(g, false, true, false, 3, 0.0, 0.0));
  // A drop-out returns only in September, with probability reenrolment_rate.
  CHECK(next_dropout(g, true, true, true, 3, 0.9, 0.0));
  CHECK(!next_dropout(g, true, true, true, 9, 0.9, 0.49));
  CHECK(next_dropout(g, true, true, true, 9, 0.9, 0.51));
  // Without school-age children there is no drop-out.
  CHECK(!next_dropout(g, true, false, true, 3, 0.0, 0.0));
}

TEST_CASE("repair is slower below the line") {
  CHECK(repair_probability(params(), false) == doctest::Approx(0.02));
  CHECK(repair_probability(params(), true) == doctest::Approx(0.005));
}
