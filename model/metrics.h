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
  // The verification's errors and the stocks at the year end (area_exit.h).
  wrong_exit_people, wrongly_exited_people, missed_poor_people, exited_people_end, registered_people_end,
  rural_people,
  // Falls (re-entries and newly poor) by the year's recorded events; a fall with several events
  // counts under each, one with none under fall_no_event.
  fall_illness_people, fall_disaster_people, fall_job_loss_people, fall_measure_ended_people,
  fall_relocation_return_people, fall_price_fall_people, fall_wrong_exit_people, fall_no_event_people,
  // Villages and the county (0/1 per county; a city total counts counties).
  poor_villages, villages_exiting, poor_villages_exited,
  county_meets_all, county_exited,
  county_fails_incidence, county_fails_wrong_exit, county_fails_missed, county_fails_villages,
  county_fails_approval,
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
    {"wrong_exit_people", "persons", "people in households that exited this year although their true income was below the line (measured above it)", "当年错退人口"},
    {"wrongly_exited_people", "persons", "exited people at the year end whose true income is below the line or who lack a guarantee", "错退人口(年末)"},
    {"missed_poor_people", "persons", "never-registered people at the year end whose true income is below the line", "漏评人口(年末)"},
    {"exited_people_end", "persons", "people registered as exited at the year end", "年末已脱贫人口"},
    {"registered_people_end", "persons", "people in the registry at the year end (poor, re-entered or exited)", "年末建档立卡人口"},
    {"rural_people", "persons", "rural population (the denominator of incidence), scaled like the population", "农村人口"},
    {"fall_illness_people", "persons", "people falling into poverty (re-entry or newly poor) in a year with a serious illness episode", "因病返贫或致贫人口"},
    {"fall_disaster_people", "persons", "people falling into poverty in a year a disaster struck their village", "因灾返贫或致贫人口"},
    {"fall_job_loss_people", "persons", "people falling into poverty in a year a placement or migrant job was lost", "因失业返贫或致贫人口"},
    {"fall_measure_ended_people", "persons", "people falling into poverty in a year the plan's support or their 低保 ended", "帮扶结束后返贫或致贫人口"},
    {"fall_relocation_return_people", "persons", "people falling into poverty in a year a relocated household moved back", "搬迁回流返贫人口"},
    {"fall_price_fall_people", "persons", "people falling into poverty in a year their industry's village price fell", "因价格下跌返贫或致贫人口"},
    {"fall_wrong_exit_people", "persons", "people registered again after a wrong exit (their income never truly crossed the line)", "错退后重新识别人口"},
    {"fall_no_event_people", "persons", "people falling into poverty with none of the recorded events (income drift)", "无记录事件的返贫或致贫人口"},
    {"poor_villages", "villages", "registered poor villages", "贫困村数"},
    {"villages_exiting", "villages", "poor villages meeting the exit criteria for the first time this year", "当年出列贫困村数"},
    {"poor_villages_exited", "villages", "poor villages that have exited by the year end", "累计出列贫困村数"},
    {"county_meets_all", "counties", "1 when the county meets every exit criterion this year", "当年达到摘帽标准"},
    {"county_exited", "counties", "1 when the county has met every exit criterion in this or an earlier year (摘帽)", "已摘帽"},
    {"county_fails_incidence", "counties", "1 when the county's comprehensive incidence is not below county_exit.incidence_max", "综合贫困发生率未达标"},
    {"county_fails_wrong_exit", "counties", "1 when the county's wrong-exit rate is not below county_exit.wrong_exit_max", "错退率未达标"},
    {"county_fails_missed", "counties", "1 when the county's missed-poor rate is not below county_exit.missed_max", "漏评率未达标"},
    {"county_fails_villages", "counties", "1 when too few of the county's poor villages have exited", "贫困村出列未达标"},
    {"county_fails_approval", "counties", "1 when the given public approval is below county_exit.approval_min", "群众认可度未达标"},
}};

}  // namespace tuopin
