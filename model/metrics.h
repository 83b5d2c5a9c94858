#pragma once
// What a run counts, per replicate x year x county. One table: the simulation's accumulators,
// the HDF5 writer, the summaries and docs/outputs.md all read it.
#include <array>
#include <cstdint>
#include <string_view>

namespace tuopin {

enum class Metric : int {
  poor_start_people, poor_start_households,
  exit_people, exit_households,
  reentry_people, reentry_households,
  new_poor_people, new_poor_households,
  poor_end_people, poor_end_households,
  blocked_people,
  fail_food_clothing_households, fail_education_households,
  fail_medical_households, fail_housing_households,
  illness_episodes, disaster_households,
  income_poor_yuan,
  count
};
inline constexpr int metric_count = static_cast<int>(Metric::count);

struct MetricInfo {
  std::string_view name;
  std::string_view units;
  std::string_view long_name;
  std::string_view long_name_zh;
};

inline constexpr std::array<MetricInfo, metric_count> metric_info = {{
    {"poor_start_people", "persons", "registered poor people at the start of the year", "年初贫困人口"},
    {"poor_start_households", "households", "registered poor households at the start of the year", "年初贫困户数"},
    {"exit_people", "persons", "people in households that exited at the year-end assessment", "脱贫人口"},
    {"exit_households", "households", "households that exited at the year-end assessment", "脱贫户数"},
    {"reentry_people", "persons", "people in exited households registered again (relapse)", "返贫人口"},
    {"reentry_households", "households", "exited households registered again (relapse)", "返贫户数"},
    {"new_poor_people", "persons", "people in never-registered households newly registered as poor", "新增贫困人口"},
    {"new_poor_households", "households", "never-registered households newly registered as poor", "新增贫困户数"},
    {"poor_end_people", "persons", "registered poor people at the end of the year", "年末贫困人口"},
    {"poor_end_households", "households", "registered poor households at the end of the year", "年末贫困户数"},
    {"blocked_people", "persons", "poor people above the income line who did not exit because a guarantee was unmet", "收入达标但未实现两不愁三保障的人口"},
    {"fail_food_clothing_households", "households", "households poor at the start of the year whose food and clothing were not secure at its end", "未实现不愁吃穿的贫困户"},
    {"fail_education_households", "households", "households poor at the start of the year with a school-age child out of school at its end", "义务教育无保障的贫困户"},
    {"fail_medical_households", "households", "households poor at the start of the year uninsured or with catastrophic medical cost", "基本医疗无保障的贫困户"},
    {"fail_housing_households", "households", "households poor at the start of the year in unsafe housing at its end", "住房安全无保障的贫困户"},
    {"illness_episodes", "episodes", "serious illness episodes in all simulated households", "大病发生次数"},
    {"disaster_households", "households", "household-disaster events (a disaster in the household's village)", "受灾户次"},
    {"income_poor_yuan", "yuan", "annual net income of the households poor at the start of the year", "年初贫困户年纯收入合计"},
}};

}  // namespace tuopin
