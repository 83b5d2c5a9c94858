#include "income_process.h"

namespace tuopin {

IncomeProcess::IncomeProcess(const Scenario& s) {
  const auto& in = s.income;
  persistence = static_cast<float>(in.persistence);
  persistent_sd = static_cast<float>(in.persistent_sd);
  wage_sd = static_cast<float>(in.wage_transitory_sd);
  operating_sd = static_cast<float>(in.operating_transitory_sd);
  wage_correction = -0.5f * wage_sd * wage_sd;
  operating_correction = -0.5f * operating_sd * operating_sd;
  const int months = s.months();
  wage_growth.resize(months);
  operating_growth.resize(months);
  persistent_correction.resize(months);
  double variance = 0;
  for (int t = 0; t < months; ++t) {
    wage_growth[t] = static_cast<float>(std::pow(1.0 + in.wage_growth, t / 12.0));
    operating_growth[t] = static_cast<float>(std::pow(1.0 + in.operating_growth, t / 12.0));
    variance = in.persistence * in.persistence * variance + in.persistent_sd * in.persistent_sd;
    persistent_correction[t] = static_cast<float>(-0.5 * variance);
  }
  dibao_monthly = static_cast<float>(in.dibao_benefit / 12.0);
  wubao_monthly = static_cast<float>(in.wubao_benefit / 12.0);
}

}  // namespace tuopin
