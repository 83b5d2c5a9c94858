#pragma once
// Scenarios: TOML files validated against the parameter dictionary (parameters.h), with
// inheritance (`inherits = "anqing-baseline.toml"`), resolved into a typed `Scenario`.
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "funding.h"
#include "households.h"
#include "targeting.h"
#include "uncertain_parameters.h"

namespace tuopin {

// A problem with the user's input. `what()` is the whole message:
// "file:line:column: what is wrong; what would be right".
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, int line, int column, const std::string& message);
  explicit InputError(const std::string& message);  // no position (e.g. a command-line value)
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }

 private:
  std::string file_;
  int line_ = 0;
  int column_ = 0;
};

class Measure;

struct County {
  std::string name;
  std::string name_zh;
  double weight = 0;
  int villages = 0;
  int poor_villages = 0;
  double rural_population_share = 0;  // of population.rural_population
  bool poverty_county = false;        // a listed poverty county (贫困县)
};

template <std::size_t N>
using Shares = std::array<double, N>;

struct Scenario {
  std::string description;
  int first_year = 2016;
  int last_year = 2018;
  std::uint32_t seed = 0;
  int replicates = 1;
  std::vector<int> line_years;
  std::vector<double> line_yuan;

  struct Population {
    double poor_people, exited_people, near_poor_people, rural_population;
    std::vector<double> household_size_shares;
    Shares<cause_count> cause_shares, labour_none_by_cause, labour_weak_by_cause;
    double secondary_cause_rate;
    std::array<Shares<age_band_count>, labour_capacity_count> age_shares;  // by labour capacity
    double disability_rate, chronic_illness_rate;
    Shares<labour_capacity_count> dibao_rate_by_labour;
    double wubao_rate, land_per_person, land_dispersion;
    Shares<housing_safety_count> housing_shares_poor, housing_shares_other;
    double labour_none_small_household_odds;
    double poor_in_poor_villages;
    bool poor_measured_below_line;
  } population{};

  std::vector<County> counties;
  Shares<3> remoteness_poor_villages{}, remoteness_other_villages{};
  // Village infrastructure and economy, each {poor villages, other villages}.
  Shares<2> road_access{}, safe_water{}, collective_income_median{}, empty_shell_share{};
  double collective_income_dispersion = 1.0;

  struct Income {
    double median_ratio_poor, median_ratio_exited, median_ratio_near_poor, dispersion;
    std::array<Shares<income_source_count>, labour_capacity_count> source_shares;
    Shares<3> remoteness_wage_factor;
    double land_elasticity, wage_growth, operating_growth, persistence, persistent_sd;
    double wage_transitory_sd, operating_transitory_sd, dibao_benefit, wubao_benefit;
  } income{};

  struct Shocks {
    double illness_rate, chronic_illness_multiplier, illness_cost_mean, illness_cost_dispersion;
    int illness_work_months;
    double illness_wage_loss, disaster_rate, disaster_operating_loss, disaster_housing_damage;
    Shares<age_band_count> illness_age_risk;  // relative risk per member by age band
    int flood_year, flood_month;
    double flood_village_share;
    int downturn_year;
    double downturn_job_loss;
    int downturn_months;
  } shocks{};

  struct Guarantees {
    double food_clothing_line_share, insurance_enrolment, medical_reimbursement;
    double catastrophic_share, dropout_rate, reenrolment_rate, repair_rate, repair_poor_factor;
  } guarantees{};

  struct Assessment {
    bool require_guarantees;
    double reentry_threshold, reentry_identification, new_poor_identification;
    double exit_margin, survey_error_sd;
    int monitoring_years;
    double monitored_identification;
  } assessment{};

  // Exit of poor villages (贫困村出列) and counties (贫困县摘帽): model/area_exit.h.
  struct VillageExit {
    double incidence_max, collective_income_min;
    bool require_road, require_water;
  } village_exit{};
  struct CountyExit {
    double incidence_max, wrong_exit_max, missed_max, poor_villages_exited_min, public_approval, approval_min;
  } county_exit{};

  // The plan: money, who gets what, and every measure of the registry (switched on or off), in
  // registry order (model/measures/registry.cpp).
  Funding funding;
  Targeting targeting;
  std::vector<std::shared_ptr<const Measure>> measures;
  bool enabled(std::string_view measure) const;
  bool any_measure() const;
  // [uncertainty]: whether the uncertain parameters are drawn per replicate (uncertain_parameters.h).
  Uncertainty uncertainty;

  int years() const { return last_year - first_year + 1; }
  int months() const { return 12 * years(); }
  // The poverty line of a calendar year (validation guarantees every simulated year has one).
  double poverty_line(int year) const;
};

// One scenario file as written, in the order of inheritance (the parent first).
struct ScenarioSource {
  std::string name;  // path as given, or "<embedded>/anqing-baseline.toml"
  std::string text;
};

struct LoadedScenario {
  Scenario scenario;
  std::vector<ScenarioSource> sources;  // parent(s) first, the requested file last
  std::string resolved_toml;            // every key after defaults and inheritance
};

// Loads, validates and resolves a scenario file. Throws InputError. `settings` are the command
// line's --set assignments ("section.key=value"), applied after inheritance and validated like
// the file (an error names the assignment and the column).
LoadedScenario load_scenario_file(const std::filesystem::path& path, const std::vector<std::string>& settings = {});
// The same from text; `name` is used in messages and `base_dir` resolves `inherits`.
LoadedScenario load_scenario_text(const std::string& text, const std::string& name,
                                  const std::filesystem::path& base_dir,
                                  const std::vector<std::string>& settings = {});
// The embedded default Anqing baseline.
LoadedScenario load_default_scenario(const std::vector<std::string>& settings = {});

// Sets [simulation] seed or replicates (already range-checked) in the scenario and in its
// resolved text, as the command line's --seed and --replicates do.
void set_simulation_key(LoadedScenario& loaded, const std::string& key, std::int64_t value);

// A number as TOML that reads back as the same double (integers rounded when `integer`).
std::string toml_number(double v, bool integer);

// A scenario-sized TOML file's text (at most 1 MiB), or why it cannot be read (empty `problem`
// when it can): no such file, a folder or a special file, too large, unreadable, or empty.
std::string read_scenario_source(const std::filesystem::path& path, std::string& problem);

// The top-level `description` of a resolved scenario text ("" if it has none or does not parse).
std::string scenario_description(const std::string& resolved_toml);

// Every key of a resolved scenario text as ("section.key", value), in the text's order: strings
// without quotes (quoted inside lists), floats in their shortest exact form keeping ".0"
// (1.0, 0.1), lists as [a, b], arrays of tables indexed ("t[0].k"). The comparison tools
// (tuopin report's parameters that differ, tuopin export's parameters.csv) read scenarios this
// way. Throws InputError if the text is not TOML.
std::vector<std::pair<std::string, std::string>> flatten_scenario(const std::string& resolved_toml);

// The closest of `candidates` to `word` by edit distance, or "" if none is close.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace tuopin
