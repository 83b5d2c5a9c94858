#include "households.h"

namespace tuopin {

void Households::resize(std::size_t n) {
  county.resize(n);
  village.resize(n);
  size.resize(n);
  for (auto& m : members) m.resize(n);
  labour.resize(n);
  flags.resize(n);
  cause_main.resize(n);
  cause_secondary.resize(n);
  land.resize(n);
  for (auto& b : base_income) b.resize(n);
  status0.resize(n);
  housing0.resize(n);
  entry_year.resize(n);
}

namespace {
template <typename... Columns>
std::size_t element_bytes(const Columns&...) {
  return (sizeof(typename Columns::value_type) + ...);
}
}  // namespace

std::size_t Households::bytes_per_household() const {
  return element_bytes(county, village, size, members[0], members[1], members[2], members[3], labour, flags,
                       cause_main, cause_secondary, land, base_income[0], base_income[1], base_income[2],
                       base_income[3], status0, housing0, entry_year);
}

std::size_t HouseholdState::bytes_per_household() const {
  return element_bytes(status, housing, guarantees, dropout, insured, illness_left, below_line, wage_deviation,
                       operating_deviation, assistance, willing, paired, pathway, exit_year, assessed_income,
                       events, year_income, medical, medical_gross);
}

void Villages::resize(std::size_t n) {
  county.resize(n);
  poor.resize(n);
  remoteness.resize(n);
  road.resize(n);
  water.resize(n);
  collective_income.resize(n);
}

void HouseholdState::resize(std::size_t n) {
  status.resize(n);
  housing.resize(n);
  guarantees.resize(n);
  dropout.resize(n);
  insured.resize(n);
  illness_left.resize(n);
  below_line.resize(n);
  wage_deviation.resize(n);
  operating_deviation.resize(n);
  assistance.resize(n);
  willing.resize(n);
  paired.resize(n);
  pathway.resize(n);
  exit_year.resize(n);
  assessed_income.resize(n);
  events.resize(n);
  year_income.resize(n);
  medical.resize(n);
  medical_gross.resize(n);
}

}  // namespace tuopin
