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

std::size_t Households::bytes_per_household() const {
  return sizeof(std::uint8_t) * (1 + 1 + age_band_count + 1 + 1 + 1 + 1) + sizeof(std::uint32_t) +
         sizeof(float) * (1 + income_source_count) + sizeof(RegistryStatus) +
         sizeof(HousingSafety) + sizeof(std::int16_t);
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
}

}  // namespace tuopin
