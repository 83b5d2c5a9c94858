#pragma once
// The measure interface. A measure (model/measures/<name>.cpp) owns its [measures.<name>]
// scenario section (its parameter specs and their reading), its per-household state columns
// (a MeasureState it creates), its random-number stream (a `Stream` of random.h, kept in that
// one ledger so two measures never share one), and its output metrics. The registry
// (registry.cpp) lists the measures; the engine calls each one once per block and phase,
// never once per household, so a virtual call costs nothing in the hot loop.
//
// A year (simulation.cpp) runs these phases, and calls a measure only if it is enabled:
//   plan        candidates()  parallel over blocks: funding requests (Candidate) for the pools;
//               award()       one measure after another: the requests the pools funded
//                             (plan.h allocates); a measure may work in parallel inside, over
//                             villages each writing only its own (collective economy, PV);
//   months      begin_year()  per block, before its twelve months: transfers paid monthly
//                             (BlockFrame::extra_monthly), wage and operating multipliers,
//                             reimbursement, insurance, drop-out protection, a house made safe
//                             in a given month; beneficiaries are counted here;
//               end_months()  per block, after its twelve months: payments that depend on the
//                             year's income (insurance against disaster and price losses);
//   settle      settle()      one measure after another, after every block's months (a measure
//                             may work in parallel inside): year-end payments from a pool
//                             that depend on the year's events (the hardship fund);
//   assessment  before_assessment()  per block, just before the registry's test: top-ups to
//                             a standard (低保 补差, 两线合一), living costs that count in the
//                             food-and-clothing test (relocation to a town).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "column.h"
#include "funding.h"
#include "households.h"
#include "metrics.h"
#include "parameter_reader.h"
#include "parameters.h"
#include "random.h"
#include "targeting.h"

namespace tuopin {

struct Scenario;
struct Population;
struct Candidate;
class PoolBook;

// Per-run state of a measure: its columns, reset every replicate, and any arrays it keeps from
// year to year to reuse their memory (health's year-end allocation).
class MeasureState {
 public:
  virtual ~MeasureState() = default;
  virtual std::size_t bytes_per_household() const = 0;  // of its household columns
};

// Thread-local accumulators of money (fen), beneficiaries and measure metrics per county.
class Ledger {
 public:
  Ledger(int counties, int measures, int extra_metrics)
      : measures_(measures),
        stride_(measures * fund_source_count + 2 * measures + extra_metrics),
        v_(static_cast<std::size_t>(counties) * stride_, 0) {}
  void spend(int county, int measure, FundSource s, std::int64_t fen) {
    v_[base(county) + measure * fund_source_count + static_cast<int>(s)] += fen;
  }
  void beneficiary(int county, int measure, int people) {
    v_[base(county) + measures_ * fund_source_count + measure] += 1;
    v_[base(county) + measures_ * fund_source_count + measures_ + measure] += people;
  }
  void add(int county, int extra_metric, std::int64_t value) {
    v_[base(county) + measures_ * fund_source_count + 2 * measures_ + extra_metric] += value;
  }
  std::span<const std::int64_t> values() const { return v_; }
  // A ledger of the same shape holding zeros.
  Ledger empty_like() const {
    Ledger l(*this);
    std::fill(l.v_.begin(), l.v_.end(), 0);
    return l;
  }
  void merge(const Ledger& other) {
    for (std::size_t k = 0; k < v_.size(); ++k) v_[k] += other.v_[k];
  }
  std::size_t stride() const { return stride_; }

 private:
  std::size_t base(int county) const { return static_cast<std::size_t>(county) * stride_; }
  int measures_;
  std::size_t stride_;
  std::vector<std::int64_t> v_;
};

struct HouseholdState;

// Households of each village, as offsets into one list of household ids in id order
// (households_of(v) = ids[first[v] .. first[v + 1])), built once per run by the engine. For
// measures that fund villages: a village's requests go through the pools as its first
// household's (the pool is its county).
struct VillageIndex {
  std::vector<std::uint32_t> first;
  Column<std::uint32_t> ids;
  // A counting sort by village, in parallel chunks of households (village_index.cpp).
  void build(const std::vector<std::uint32_t>& village_of, std::size_t villages);
  std::size_t size(std::size_t v) const { return first[v + 1] - first[v]; }
  std::uint32_t representative(std::size_t v) const { return ids[first[v]]; }
};


// What measures change about villages, reset every replicate from the population's values.
struct VillageState {
  std::vector<float> collective_income;  // yuan/year (村集体经济收入)
  std::vector<std::uint8_t> road, water; // paved road, safe water
  void reset(const std::vector<float>& income, const std::vector<std::uint8_t>& r, const std::vector<std::uint8_t>& w) {
    collective_income = income;
    road = r;
    water = w;
  }
};

// What every phase of one year may read.
struct YearContext {
  const Scenario& s;
  const Population& pop;
  HouseholdState& st;
  const RandomKey& key;
  int year_index;  // 0 for window.first_year
  int year;        // calendar year
  double line;     // the year's poverty line, yuan/person/year
  std::span<MeasureState* const> states;  // by registry index (null for a measure without state)
  // 1 where a household receives measures this year (registered poor and identified, exited
  // within the support years, or included by error); set by the plan before candidates().
  const Column<std::uint8_t>& supported;
  // Villages' state this replicate (reset from the population): measures may change it in the
  // serial steps (award, settle) and read it in the block phases.
  VillageState& villages;
  const VillageIndex& village_index;
};

// One block of households in the months and assessment phases.
// One block of households in a block phase. Arrays hold [end - begin] entries; those of the
// months phase are set by begin_year and read by the month loop; end_months sees what the
// months accumulated; living_cost is set in the assessment phase by before_assessment.
struct BlockFrame {
  std::size_t begin = 0, end = 0;  // household ids [begin, end)
  // months phase, set before the months (defaults: 0, 1 or the scenario's value)
  float* benefit_monthly = nullptr;  // the baseline's constant 低保/五保 benefit, yuan/month
  float* extra_monthly = nullptr;  // yuan/month added to each month's income
  float* wage_factor = nullptr;    // multiplier of wage income
  float* operating_factor = nullptr;  // multiplier of operating income (relocation, projects)
  double* reimbursement = nullptr; // share of an insured episode's cost paid
  float* dropout_factor = nullptr; // multiplier of the monthly drop-out probability
  std::uint8_t* safe_from_month = nullptr;  // 1-12: the house becomes safe in that month (renovation, move-in); 0: no
  // months phase, accumulated by the month loop (read in end_months)
  float* operating_year = nullptr;  // operating income of the year so far, yuan
  float* disaster_loss = nullptr;   // operating income lost to disasters this year, yuan
  // assessment phase
  float* living_cost = nullptr;     // extra yearly living cost for the food-and-clothing test, yuan
  Ledger* ledger = nullptr;
};

class Measure {
 public:
  Measure(std::string_view name, int index, bool enabled) : name_(name), index_(index), enabled_(enabled) {}
  virtual ~Measure() = default;
  std::string_view name() const { return name_; }
  int index() const { return index_; }  // registry position: the `measure` dimension
  bool enabled() const { return enabled_; }

  virtual std::unique_ptr<MeasureState> make_state(const Population&) const { return nullptr; }
  virtual void reset(const Scenario&, const Population&, const RandomKey&, MeasureState*) const {}
  virtual void candidates(const YearContext&, std::size_t /*begin*/, std::size_t /*end*/,
                          std::vector<Candidate>&) const {}
  virtual void award(const YearContext&, std::span<const Candidate>) const {}
  virtual void begin_year(const YearContext&, BlockFrame&) const {}
  virtual void end_months(const YearContext&, BlockFrame&) const {}
  virtual void settle(const YearContext&, PoolBook&, Ledger&) const {}
  virtual void before_assessment(const YearContext&, BlockFrame&) const {}
  // Extra per county-year counts this measure reports (summed over households).
  virtual std::span<const MetricInfo> metrics() const { return {}; }
  // Called once when the scenario is built, for an enabled measure: a measure that changes how
  // the plan targets households (cadre pairing) sets the fields of Targeting it owns.
  virtual void adjust_targeting(Targeting&) const {}
  // Position of this measure's first metric among all measures' metrics (set by the scenario).
  int metric_offset() const { return metric_offset_; }
  void set_metric_offset(int k) { metric_offset_ = k; }

 protected:
  template <typename S>
  static S& state_of(const YearContext& c, int index) { return *static_cast<S*>(c.states[index]); }

 private:
  std::string name_;
  int index_;
  bool enabled_;
  int metric_offset_ = 0;
};

}  // namespace tuopin
