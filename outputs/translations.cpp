#include "translations.h"

#include <map>
#include <stdexcept>

#include "funding.h"
#include "measures/registry.h"
#include "scenario.h"

namespace tuopin {

namespace {

// The labels of the brief. "{0}", "{1}", ... are filled in by tr_format.
const Translation labels[] = {
    // The document.
    {"doc.title", "脱贫攻坚规划模拟简报", "Poverty-exit plan simulation: brief"},
    {"doc.subtitle", "{0}–{1}年 · {2}个情景 · 每个情景{3}次重复模拟",
     "{0}–{1} · {2} scenario(s) · {3} replicates each"},
    {"doc.source", "数据文件：{0}", "Result file(s): {0}"},
    {"doc.made_with", "生成工具：{0}", "Made with {0}"},
    {"doc.baseline", "比较基准：{0}", "Baseline: {0}"},
    {"fmt.list_separator", "、", ", "},

    // Sections.
    {"sec.scenarios", "情景", "Scenarios"},
    {"sec.headline", "主要结果", "Key results"},
    {"sec.poor_stock", "贫困人口变化", "Registered poor over time"},
    {"sec.counties", "分县(市、区)结果", "Results by county"},
    {"sec.spending", "帮扶资金支出", "Spending"},
    {"sec.parameters", "情景参数差异", "Parameters in which the scenarios differ"},
    {"sec.methods", "方法说明", "Methods"},

    // Scenarios.
    {"col.scenario", "情景", "Scenario"},
    {"col.description", "说明", "Description"},
    {"label.baseline", "基准", "baseline"},
    {"scenario.no_description", "(无说明)", "(no description)"},
    {"warn.title", "注意", "Note"},
    {"warn.population", "情景 {0} 与基准 {1} 使用的人口不同：差值也包含人口差异的影响。",
     "Scenario {0} ran on another population than the baseline {1}: the differences include the "
     "population's."},
    {"warn.seed", "情景 {0} 与基准 {1} 的随机数种子不同：差值也包含偶然因素。",
     "Scenario {0} used another random seed than the baseline {1}: the differences include chance."},
    {"warn.unpaired", "各情景的重复模拟不同：差值为平均值之差，不给出区间。",
     "The scenarios ran different replicates: differences are of means, without a range."},

    // Key results (outputs/comparison.h, key_result_info); {0} first year, {1} last year.
    {"key.exit_people", "脱贫人口({0}–{1}年累计，人)", "Exits, {0}–{1} (persons)"},
    {"key.reentry_people", "返贫人口({0}–{1}年累计，人)", "Re-entries into poverty, {0}–{1} (persons)"},
    {"key.new_poor_people", "新增贫困人口({0}–{1}年累计，人)", "Newly poor, {0}–{1} (persons)"},
    {"key.poor_end_people", "{1}年末剩余贫困人口(人)", "Registered poor remaining at the end of {1} (persons)"},
    {"key.incidence", "{1}年末贫困发生率(%)", "Poverty incidence at the end of {1} (%)"},
    {"key.spending", "帮扶资金支出({0}–{1}年累计，万元)", "Spending on measures, {0}–{1} (10,000 yuan)"},
    {"key.cost_per_exit", "每脱贫一人的支出(元/人)", "Spending per exit (yuan per person)"},
    {"key.counties_exited", "{1}年末达到摘帽标准的县(市、区)数", "Counties meeting every exit criterion by {1}"},
    {"key.all_listed_counties_exit", "全部贫困县{1}年前摘帽的概率(%)",
     "Probability that every listed poverty county exits by {1} (%)"},

    // Headline table.
    {"col.result", "指标", "Result"},
    {"headline.vs_baseline", "较基准", "vs baseline"},
    {"headline.caption", "各情景{0}次重复模拟的平均值，方括号内为5%–95%区间；“较基准”为与基准情景逐次配对的差值及其5%–95%区间。",
     "Mean over {0} replicates, with the 5–95% range in brackets; 'vs baseline' is the paired difference from the "
     "baseline, replicate by replicate, with its 5–95% range."},
    {"headline.caption_single", "{0}次重复模拟的平均值，方括号内为5%–95%区间。",
     "Mean over {0} replicates, with the 5–95% range in brackets."},
    {"fmt.range", "[{0} 至 {1}]", "[{0} to {1}]"},

    // The poor over time.
    {"chart.poor.title", "建档立卡贫困人口(年末，人)", "Registered poor people at the end of each year (persons)"},
    {"chart.poor.caption", "线为各重复模拟的平均值，阴影带为5%–95%区间。{0}年末即{1}年初。",
     "Lines: the mean over replicates; bands: the 5–95% range. The end of {0} is the start of {1}."},
    {"chart.axis.year_end", "年末", "end of year"},
    {"chart.axis.persons", "人", "persons"},

    // Counties.
    {"col.county", "县(市、区)", "County or district"},
    {"col.exit_probability", "{0}年前摘帽概率", "P(exit by {0})"},
    {"col.poor_end", "{0}年末贫困人口", "Poor at the end of {0}"},
    {"col.incidence", "综合贫困发生率", "Comprehensive incidence"},
    {"col.reentries", "返贫人口({0}–{1}年)", "Re-entries, {0}–{1}"},
    {"col.blocks", "主要未达标项", "Criteria mostly failed"},
    {"county.listed", "国家级贫困县", "listed poverty county"},
    {"counties.caption",
     "摘帽概率：到{1}年末达到全部摘帽标准的重复模拟所占比例。贫困人口与返贫人口为平均值及5%–95%区间；"
     "综合贫困发生率 = (建档立卡贫困人口 + 错退人口 + 漏评人口) / 农村人口，为{1}年末的平均值。"
     "主要未达标项：至少半数重复模拟在{1}年未达到的摘帽标准。★ 国家级贫困县。",
     "P(exit): the share of replicates in which the county meets every exit criterion by the end of {1}. Poor and "
     "re-entries: mean with the 5–95% range; comprehensive incidence = (registered poor + wrongly exited + missed poor "
     "people) / rural population, the mean at the end of {1}. Criteria mostly failed: those failed in {1} in at least "
     "half of the replicates. ★ listed poverty county."},
    {"criterion.incidence", "综合贫困发生率", "incidence"},
    {"criterion.wrong_exit", "错退率", "wrong exits"},
    {"criterion.missed", "漏评率", "missed poor"},
    {"criterion.villages", "贫困村出列", "poor villages"},
    {"criterion.approval", "群众认可度", "approval"},

    // Spending.
    {"chart.measure.title", "按帮扶措施({0}–{1}年累计，万元)", "By measure, {0}–{1} (10,000 yuan)"},
    {"chart.source.title", "按资金来源({0}–{1}年累计，万元)", "By source of funds, {0}–{1} (10,000 yuan)"},
    {"chart.axis.wan_yuan", "万元", "10,000 yuan"},
    {"spending.caption", "条形为各重复模拟的平均值，细线为5%–95%区间；含保障性支出(低保、五保、保费)。只列出有支出的项目。",
     "Bars: the mean over replicates; thin lines: the 5–95% range. Entitlements (dibao, wubao, premiums) included. "
     "Only items with spending are shown."},
    {"spending.none", "各情景均未启用帮扶措施，没有帮扶资金支出。",
     "No measure is switched on in any scenario: there is no spending."},

    // Parameters.
    {"col.parameter", "参数", "Parameter"},
    {"params.caption",
     "只列出取值不同的参数(合并默认值与继承后的完整情景，/meta/scenario_resolved)；各参数的含义、单位、范围与来源见 "
     "docs/parameters.md。",
     "Only the parameters whose values differ (in the resolved scenarios, /meta/scenario_resolved); the meaning, "
     "units, range and source of every parameter are in docs/parameters.md."},
    {"params.same", "各情景的参数完全相同。", "The scenarios' parameters are all the same."},
    {"params.single", "只有一个情景，没有可比较的参数。", "One scenario: there are no parameters to compare."},
    {"params.absent", "(未设置)", "(not set)"},

    // Methods.
    {"methods.crn",
     "每个情景在同一人口上以相同的随机数种子运行{0}次重复模拟(共同随机数)：各情景遇到相同的偶然事件(疾病、灾害、失业等)，"
     "因此情景之间的差异反映政策的不同，而非偶然。",
     "Each scenario ran {0} replicates on the same population with the same random seed (common random numbers): the "
     "scenarios meet the same chance events (illness, disasters, job losses), so their differences are the "
     "policy's, not chance."},
    {"methods.ranges",
     "数值为各重复模拟的平均值；方括号内的5%–95%区间是重复模拟之间的分位数，反映模型中偶然事件的不确定性"
     "(以 --uncertain 运行时也包括参数取值的不确定性)，不是预测区间。与基准的差值逐次配对计算。",
     "Values are means over replicates; the 5–95% range in brackets is the spread across replicates: the uncertainty "
     "of chance events in the model (and of the parameters' values in runs with --uncertain), not a forecast "
     "interval. Differences from the baseline are taken replicate by replicate."},
    {"methods.docs",
     "模型说明见 docs/model.md，参数及其来源见 docs/parameters.md，与公开数据的比较见 docs/validation.md，"
     "结果文件结构见 docs/outputs.md。",
     "The model is described in docs/model.md, the parameters and their sources in docs/parameters.md, the "
     "comparison with public figures in docs/validation.md, and the result file in docs/outputs.md."},
};

// The English names of the measures (their Chinese names are the registry's).
const std::map<std::string_view, std::string_view> measure_names_en = {
    {"safety_net", "Social safety net (dibao, wubao)"},
    {"industry", "Industry development"},
    {"employment", "Employment"},
    {"asset_income", "Asset income"},
    {"education_aid", "Education aid"},
    {"health", "Health care"},
    {"relocation", "Relocation"},
    {"housing_renovation", "Housing renovation"},
    {"photovoltaic", "Photovoltaic (PV) power"},
    {"microcredit", "Microcredit"},
    {"agri_insurance", "Agricultural insurance"},
    {"collective_economy", "Village collective economy"},
    {"cadre_pairing", "Cadre pairing"},
};

// The English names of the sources of funds (their Chinese names are fund_source_names_zh).
const std::map<std::string_view, std::string_view> source_names_en = {
    {"central_special", "Central special poverty funds"},
    {"provincial_special", "Provincial special poverty funds"},
    {"municipal_special", "Municipal special poverty funds"},
    {"county_revenue", "County revenue increment"},
    {"integrated_agri", "Integrated agricultural funds"},
    {"hardship_fund", "Hardship relief fund"},
    {"social_help", "Social assistance"},
    {"relocation_fund", "Relocation funds"},
    {"pv_fund", "PV funds"},
    {"entitlement", "Entitlements (dibao, wubao, premiums)"},
};

std::string english_or_empty(const std::map<std::string_view, std::string_view>& names, std::string_view key) {
  const auto it = names.find(key);
  return it == names.end() ? std::string() : std::string(it->second);
}

struct Table {
  std::vector<Translation> entries;
  std::map<std::string, std::size_t, std::less<>> index;
};

const Table& table() {
  static const Table t = [] {
    Table out;
    for (const auto& l : labels) out.entries.push_back(l);
    // Missing English names stay empty: the test of the table catches them.
    for (const auto& m : measure_registry())
      out.entries.push_back({"measure." + std::string(m.name), std::string(m.name_zh),
                             english_or_empty(measure_names_en, m.name)});
    for (int s = 0; s < fund_source_count; ++s)
      out.entries.push_back({"source." + std::string(fund_source_names[s]), std::string(fund_source_names_zh[s]),
                             english_or_empty(source_names_en, fund_source_names[s])});
    for (std::size_t k = 0; k < out.entries.size(); ++k) {
      if (!out.index.emplace(out.entries[k].key, k).second)
        throw std::logic_error("translation table: duplicate key " + out.entries[k].key);
    }
    return out;
  }();
  return t;
}

}  // namespace

Language parse_language(const std::string& text) {
  if (text == "zh") return Language::zh;
  if (text == "en") return Language::en;
  throw InputError("--lang: '" + text + "' is not a language of the brief; use zh (Chinese, the default) or en (English)");
}

const char* language_code(Language lang) { return lang == Language::zh ? "zh" : "en"; }

const std::vector<Translation>& translation_table() { return table().entries; }

bool has_translation(std::string_view key) { return table().index.count(key) > 0; }

const std::string& tr(std::string_view key, Language lang) {
  const Table& t = table();
  const auto it = t.index.find(key);
  if (it == t.index.end()) throw std::logic_error("translation table: no key '" + std::string(key) + "'");
  const Translation& e = t.entries[it->second];
  return lang == Language::zh ? e.zh : e.en;
}

std::string tr_format(std::string_view key, Language lang, const std::vector<std::string>& args) {
  const std::string& text = tr(key, lang);
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9' && text[i + 2] == '}') {
      const auto n = static_cast<std::size_t>(text[i + 1] - '0');
      if (n >= args.size())
        throw std::logic_error("translation '" + std::string(key) + "': no argument {" + std::to_string(n) + "}");
      out += args[n];
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

}  // namespace tuopin
