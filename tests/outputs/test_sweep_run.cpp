// The sweep's machinery (outputs/sweep_run.h, outputs/sweep_file.h) on a function with known
// Sobol indices, through the same code path as a simulated sweep: design, pairs written to the
// file in batches, results read back, indices. And an interrupted run resumed.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <cmath>
#include <filesystem>
#include <numbers>

#include "../model/sweep_examples.h"
#include "sweep.h"
#include "sweep_file.h"
#include "sweep_run.h"

using namespace tuopin;
using tuopin::test::ishigami;

namespace {

// A sweep of three real keys standing for x1..x3 over [-pi, pi] (the keys' specs only give the
// type; their names do not matter here).
SweepSpec ishigami_spec(DesignKind kind, std::size_t samples) {
  SweepSpec spec;
  spec.file = "<ishigami>";
  spec.text = "# Ishigami";
  spec.design.kind = kind;
  spec.design.samples = samples;
  spec.design.seed = 7;
  spec.design_name = std::string(design_kind_name(kind));
  spec.bootstrap = 200;
  for (const char* key : {"illness_rate", "disaster_rate", "illness_wage_loss"}) {
    SweepParameter p;
    p.key = std::string("shocks.") + key;
    p.spec = find_parameter("shocks", key);
    p.dimension.scale = SweepScale::uniform;
    p.dimension.low = -std::numbers::pi;
    p.dimension.high = std::numbers::pi;
    spec.parameters.push_back(p);
  }
  return spec;
}

SweepOutputs ishigami_outputs() {
  SweepOutputs o;
  o.results = {{"f", "1", "Ishigami function", "Ishigami函数"}};
  o.series = {{"f", "1", "Ishigami function", "Ishigami函数"}};
  o.first_year = 2016;
  o.years = 1;
  return o;
}

struct IshigamiSweep {
  SweepSpec spec;
  LoadedScenario base = load_default_scenario();
  Design design;
  SweepOutputs outputs = ishigami_outputs();
  SweepEvaluator evaluate;
  explicit IshigamiSweep(DesignKind kind, std::size_t samples) : spec(ishigami_spec(kind, samples)) {
    design = make_design(spec.design, spec.dimensions());
    evaluate = [this](std::size_t point, int) {
      const double f = ishigami(spec.parameters[0].value_number(design.at(point, 0)),
                                spec.parameters[1].value_number(design.at(point, 1)),
                                spec.parameters[2].value_number(design.at(point, 2)));
      return std::vector<double>{f, f};
    };
  }
  SweepFile create(const std::filesystem::path& path) const {
    SweepHeader h;
    h.spec = &spec;
    h.base = &base;
    h.design = &design;
    h.outputs = outputs;
    h.hash = sweep_hash(spec, base);
    h.population_hash = "none";
    h.program = "test";
    return SweepFile::create(path, h, nullptr);
  }
};

std::filesystem::path temp_path(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("tuopin-test-" + name + "-" + std::to_string(::getpid()) + ".h5");
}

}  // namespace

TEST_CASE("sweep: Sobol indices of the Ishigami function through the sweep's file and estimators") {
  IshigamiSweep sweep(DesignKind::sobol, 4096);
  const auto path = temp_path("ishigami");
  SweepFile file = sweep.create(path);
  SweepRanks one;
  SweepRunOptions options;
  options.pairs_per_rank = 1000;  // batches that end inside the A, B and AB blocks
  const std::size_t pairs = sweep.design.points();
  CHECK(run_sweep_pairs(&file, pairs, 1, sweep.outputs.row_width(), sweep.evaluate, one, options) == 0);
  const std::vector<double> results = file.results();
  file.close();
  std::filesystem::remove(path);
  REQUIRE(results.size() == pairs);
  const SweepSensitivity s = sweep_sensitivity(sweep.spec, sweep.design, sweep.outputs, results);
  REQUIRE(s.sobol.size() == 1);
  // Analytic values (sweep_examples.h: S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437). With N = 4096 the
  // estimators' standard errors are about 0.01-0.02 (the bootstrap intervals below are that
  // wide), so 0.05 is 2.5-5 standard errors: a wrong row order or estimator misses by far more
  // (S1 of x3 would not be 0, ST of x3 not 0.24).
  const tuopin::test::IshigamiIndices exact = tuopin::test::ishigami_indices();
  const double* first = exact.first;
  const double* total = exact.total;
  int covered = 0;
  for (int d = 0; d < 3; ++d) {
    CHECK(std::fabs(s.sobol[0].first[d].value - first[d]) < 0.05);
    CHECK(std::fabs(s.sobol[0].total[d].value - total[d]) < 0.05);
    covered += s.sobol[0].first[d].low <= first[d] && first[d] <= s.sobol[0].first[d].high;
    covered += s.sobol[0].total[d].low <= total[d] && total[d] <= s.sobol[0].total[d].high;
  }
  // Six 95% intervals: all six cover with probability 0.74, at least four with 0.998.
  CHECK(covered >= 4);
  CHECK(s.sobol[0].variance == doctest::Approx(exact.variance).epsilon(0.05));
}

TEST_CASE("sweep: an interrupted sweep resumed from its file equals an uninterrupted one") {
  IshigamiSweep sweep(DesignKind::latin_hypercube, 500);
  SweepRanks one;
  const std::size_t pairs = sweep.design.points();
  const auto whole_path = temp_path("whole"), part_path = temp_path("part");
  std::vector<double> whole;
  {
    SweepFile file = sweep.create(whole_path);
    SweepRunOptions options;
    options.pairs_per_rank = 64;
    CHECK(run_sweep_pairs(&file, pairs, 1, sweep.outputs.row_width(), sweep.evaluate, one, options) == 0);
    whole = file.results();
  }
  {
    SweepFile file = sweep.create(part_path);
    std::atomic<bool> stop{false};
    int batches = 0;
    SweepRunOptions options;
    options.pairs_per_rank = 64;
    options.stop = &stop;
    options.progress = [&](std::size_t, std::size_t, std::size_t) {
      if (++batches == 3) stop = true;
    };
    const std::size_t left = run_sweep_pairs(&file, pairs, 1, sweep.outputs.row_width(), sweep.evaluate, one, options);
    CHECK(left == pairs - 3 * 64);
    const auto done = file.done();
    CHECK(std::count(done.begin(), done.end(), 1) == 3 * 64);
  }
  {
    // A partial file of another sweep is refused; the same sweep resumes.
    CHECK_THROWS_AS(SweepFile::resume(part_path, sweep_hash(sweep.spec, sweep.base) + 1, "none", "test"), InputError);
    CHECK_THROWS_AS(SweepFile::resume(part_path, sweep_hash(sweep.spec, sweep.base), "other", "test"), InputError);
    CHECK_THROWS_AS(SweepFile::resume(part_path, sweep_hash(sweep.spec, sweep.base), "none", "another build"), InputError);
    SweepFile file = SweepFile::resume(part_path, sweep_hash(sweep.spec, sweep.base), "none", "test");
    std::size_t first_done = 0, total = 0;
    SweepRunOptions options;
    options.pairs_per_rank = 100;
    options.progress = [&](std::size_t, std::size_t t, std::size_t before) {
      first_done = before;
      total = t;
    };
    CHECK(run_sweep_pairs(&file, pairs, 1, sweep.outputs.row_width(), sweep.evaluate, one, options) == 0);
    CHECK(first_done == 3 * 64);
    CHECK(total == pairs);
    const std::vector<double> resumed = file.results();
    REQUIRE(resumed.size() == whole.size());
    CHECK(std::memcmp(resumed.data(), whole.data(), whole.size() * sizeof(double)) == 0);
    const SweepSensitivity s = sweep_sensitivity(sweep.spec, sweep.design, sweep.outputs, resumed);
    file.finish(s.results, s.parameters, nullptr, nullptr, 1.0, 1);
  }
  {
    // Stopped after the indices were written but before the file was moved into place: a
    // --resume runs nothing and writes the indices again.
    SweepFile file = SweepFile::resume(part_path, sweep_hash(sweep.spec, sweep.base), "none", "test");
    SweepRunOptions options;
    CHECK(run_sweep_pairs(&file, pairs, 1, sweep.outputs.row_width(), sweep.evaluate, one, options) == 0);
    const SweepSensitivity s = sweep_sensitivity(sweep.spec, sweep.design, sweep.outputs, file.results());
    CHECK_NOTHROW(file.finish(s.results, s.parameters, nullptr, nullptr, 1.0, 1));
  }
  std::filesystem::remove(whole_path);
  std::filesystem::remove(part_path);
}
