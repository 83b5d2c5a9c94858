// Education aid (教育扶贫): 济困助学金 for school-age children of supported households and
// 雨露计划 vocational aid for a household whose main cause is education (因学), so that no
// child leaves school for cost (确保不因贫缀学). Funded yearly from a pool:
//   cost = aid_per_student x members aged 6-15  (+ vocational_aid if the main cause is 因学 and
//          a member is 16-59)
// An aided household receives the aid as transfer income over the year, and its monthly
// drop-out probability is multiplied by dropout_factor (0: no drop-out for cost).
// The cost side of 因学 poverty (school fees and boarding) is not modelled separately: it is in
// the household's base income.
#include <algorithm>

#include "../households.h"
#include "../plan.h"
#include "../population_synthesis.h"
#include "../scenario.h"
#include "common.h"
#include "registry.h"

namespace tuopin {
namespace {

using T = ParamType;
using namespace measure_support;
constexpr std::string_view section = "measures.education_aid";

const std::array specs = std::to_array<ParameterSpec>({
    {section, "enabled", T::boolean, "-", 0, 0, "false", "not a model parameter", "Switch the measure on."},
    {section, "source", T::string, "-", 0, 0, R"("provincial_special")", "assumed",
     "Pool that pays the aid (a source of [funding])."},
    {section, "take_up", T::real, "probability", 0, 1, "1.0",
     "assumed: aid is paid through the schools", "Probability that an eligible household is aided in a year."},
    {section, "aid_per_student", T::real, "yuan/student/year", 0, 1e6, "1134.0",
     "measures: education_aid_per_student_time (Anhui 2017, 11.35亿 / 100.1万 student-times; "
     "one payment a year assumed)", "济困助学金 per school-age (6-15) member a year."},
    {section, "vocational_aid", T::real, "yuan/household/year", 0, 1e6, "3070.0",
     "derived: measures: education_yulu_per_person_time (1,535 a semester) x 2 semesters",
     "雨露计划 aid a year for a 因学 household with a member aged 16-59."},
    {section, "dropout_factor", T::real, "factor", 0, 1, "0.0",
     "seed proposal: 确保不因贫缀学、返贫", "Multiplier of the drop-out probability of aided households."},
});

class EducationState final : public MeasureState {
 public:
  explicit EducationState(std::size_t n) : aided_year(n) {}
  std::size_t bytes_per_household() const override { return 1; }
  Column<std::int8_t> aided_year;  // window year index of the current aid
};

class EducationAid final : public Measure {
 public:
  EducationAid(ParameterReader& r, int index) : Measure("education_aid", index, r.boolean(section, "enabled")) {
    source_ = read_pool_source(r, section);
    take_up_ = r.real(section, "take_up");
    per_student_ = r.real(section, "aid_per_student");
    vocational_ = r.real(section, "vocational_aid");
    dropout_factor_ = r.real(section, "dropout_factor");
  }
  std::unique_ptr<MeasureState> make_state(const Population& pop) const override {
    return std::make_unique<EducationState>(pop.households.count());
  }
  void reset(const Scenario&, const Population&, const RandomKey&, MeasureState* s) const override {
    auto& st = *static_cast<EducationState*>(s);
    fill_parallel(st.aided_year, std::int8_t{-1});
  }

  double amount(const Households& h, std::size_t i) const {
    double a = per_student_ * h.members[school_age_band][i];
    if (h.cause_main[i] == Cause::education && h.members[2][i] > 0) a += vocational_;
    return a;
  }

  void candidates(const YearContext& c, std::size_t begin, std::size_t end, std::vector<Candidate>& out) const override {
    const Households& h = c.pop.households;
    for (std::size_t i = begin; i < end; ++i) {
      if (c.supported[i] == not_supported) continue;  // aid continues for exited households within the support years
      if (!takes_up(c, i, Stream::education_aid, take_up_)) continue;
      const double a = amount(h, i);
      if (a <= 0) continue;
      Candidate k;
      k.household = static_cast<std::uint32_t>(i);
      k.measure = static_cast<std::uint8_t>(index());
      k.source = source_;
      k.cost_fen = fen(a);
      k.gap = static_cast<float>(c.line - c.st.assessed_income[i]);
      k.gain = static_cast<float>(a / h.size[i]);
      k.cause_match = h.cause_main[i] == Cause::education;
      out.push_back(k);
    }
  }

  void award(const YearContext& c, std::span<const Candidate> funded) const override {
    auto& st = state_of<EducationState>(c, index());
    for (const Candidate& k : funded) st.aided_year[k.household] = static_cast<std::int8_t>(c.year_index);
  }

  void begin_year(const YearContext& c, BlockFrame& f) const override {
    const auto& st = state_of<EducationState>(c, index());
    const Households& h = c.pop.households;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      if (st.aided_year[i] != c.year_index) continue;
      const std::size_t j = i - f.begin;
      f.extra_monthly[j] += static_cast<float>(amount(h, i) / 12.0);
      f.dropout_factor[j] *= static_cast<float>(dropout_factor_);
      f.ledger->beneficiary(h.county[i], index(), h.size[i]);
    }
  }

 private:
  FundSource source_;
  double take_up_ = 1.0;
  double per_student_, vocational_, dropout_factor_;
};

}  // namespace

std::span<const ParameterSpec> education_aid_specs() { return specs; }
std::shared_ptr<Measure> make_education_aid(ParameterReader& r, const Scenario&, int index) {
  return std::make_shared<EducationAid>(r, index);
}

}  // namespace tuopin
