// Sweep files (model/sweep.h): what a point of the design sets, and what is refused.
#include <doctest/doctest.h>

#include <string>

#include "sweep.h"

using namespace tuopin;

namespace {

SweepSpec parse(const std::string& body) {
  return parse_sweep_text(body, "test.toml", TUOPIN_TEST_DATA);
}

std::string error_of(const std::string& body) {
  try {
    (void)parse(body);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("sweep file: a grid's points set every combination, integers rounded, lists as written") {
  SweepSpec spec = parse(R"(
design = "grid"
[[parameter]]
key = "shocks.illness_work_months"
low = 1
high = 4
levels = 3
[[parameter]]
key = "targeting.mode"
values = ["precise", "uniform"]
)");
  LoadedScenario base = load_sweep_base(spec);
  const Design design = make_design(spec.design, spec.dimensions());
  REQUIRE(design.points() == 6);
  // Levels 1, 2.5, 4: the whole-number key takes 1, 3 (2.5 rounded half away from zero), 4.
  CHECK(point_settings(spec, design, 0) == std::vector<std::string>{"shocks.illness_work_months=1", "targeting.mode='precise'"});
  CHECK(point_settings(spec, design, 1) == std::vector<std::string>{"shocks.illness_work_months=1", "targeting.mode='uniform'"});
  CHECK(point_settings(spec, design, 3)[0] == "shocks.illness_work_months=3");
  CHECK(point_settings(spec, design, 5)[0] == "shocks.illness_work_months=4");
  const LoadedScenario p = point_scenario(spec, base, design, 3);
  CHECK(p.scenario.shocks.illness_work_months == 3);
  CHECK(p.scenario.targeting.mode != base.scenario.targeting.mode);
  CHECK(spec.parameters[1].value_number(design.at(3, 1)) == 1.0);  // a list of names: the index
}

TEST_CASE("sweep file: relative = true scales every element of the base's array") {
  SweepSpec spec = parse(R"(
base = "small.toml"
design = "latin-hypercube"
samples = 4
[[parameter]]
key = "shocks.illness_age_risk"
relative = true
low = 0.5
high = 2.0
)");
  const LoadedScenario base = load_sweep_base(spec);
  const Design design = make_design(spec.design, spec.dimensions());
  for (std::size_t i = 0; i < design.points(); ++i) {
    const double f = spec.parameters[0].value_number(design.at(i, 0));
    CHECK(f >= 0.5);
    CHECK(f <= 2.0);
    const LoadedScenario p = point_scenario(spec, base, design, i);
    for (std::size_t a = 0; a < p.scenario.shocks.illness_age_risk.size(); ++a)
      CHECK(p.scenario.shocks.illness_age_risk[a] == doctest::Approx(base.scenario.shocks.illness_age_risk[a] * f));
  }
}

TEST_CASE("sweep file: the seed, replicates and the hash a --resume checks") {
  const std::string body = R"(
base = "small.toml"
design = "sobol"
samples = 4
replicates = 3
seed = 99
[[parameter]]
key = "funding.level"
low = 0.8
high = 1.5
)";
  SweepSpec a = parse(body);
  const LoadedScenario base = load_sweep_base(a);
  CHECK(base.scenario.seed == 99);
  CHECK(base.scenario.replicates == 3);
  CHECK(a.design.seed == 99);
  SweepSpec b = parse(body);
  CHECK(sweep_hash(a, base) == sweep_hash(b, load_sweep_base(b)));
  std::string other = body;
  other.replace(other.find("1.5"), 3, "1.6");
  SweepSpec c = parse(other);
  CHECK(sweep_hash(a, base) != sweep_hash(c, load_sweep_base(c)));
  // Without a seed, the base scenario's.
  std::string no_seed = body;
  no_seed.erase(no_seed.find("seed = 99"), 9);
  SweepSpec d = parse(no_seed);
  CHECK(load_sweep_base(d).scenario.seed == load_scenario_file(std::string(TUOPIN_TEST_DATA) + "/small.toml").scenario.seed);
}

TEST_CASE("sweep file: what cannot be swept is refused at its line, with the reason") {
  const std::string head = "design = \"latin-hypercube\"\nsamples = 4\n[[parameter]]\n";
  CHECK(error_of(head + "key = \"income.median_ratio_poor\"\nlow = 1\nhigh = 2\n")
            .find("test.toml:4:7: 'income.median_ratio_poor' cannot be swept: only the population synthesis") == 0);
  CHECK(error_of(head + "key = \"uncertainty.parameters\"\nvalues = [true]\n").find("cannot be swept") != std::string::npos);
  CHECK(error_of(head + "key = \"counties.names\"\nrelative = true\nlow = 1\nhigh = 2\n").find("cannot be swept") !=
        std::string::npos);
  CHECK(error_of(head + "key = \"assessment.require_guarantees\"\nlow = 0\nhigh = 1\n")
            .find("is a boolean; list its values") != std::string::npos);
  CHECK(error_of(head + "key = \"funding.level\"\nlow = 0\nhigh = 2\ndistribution = \"log-uniform\"\n")
            .find("a log-uniform range needs low > 0") != std::string::npos);
  CHECK(error_of(head + "key = \"funding.level\"\nlow = 1\nhigh = 2\nlevels = 3\n")
            .find("'levels' applies to the grid design only") != std::string::npos);
  CHECK(error_of(head + "key = \"funding.level\"\nvalues = [1.0, 1.0]\n").find("lists 1.0 twice") != std::string::npos);
  CHECK(error_of(head + "key = \"funding.level\"\nlow = 1\nhigh = 2\n[[parameter]]\nkey = \"funding.level\"\nvalues = [1.0]\n")
            .find("'funding.level' is swept twice (first at line 4)") != std::string::npos);
  CHECK(error_of(head + "key = \"funding.level\"\nlow = 1\nhihg = 2\n").find("did you mean 'high'?") != std::string::npos);
  CHECK(error_of("design = \"morris\"\nsamples = 4\nmorris_levels = 3\n[[parameter]]\nkey = \"funding.level\"\nlow = 1\nhigh = 2\n")
            .find("'morris_levels' must be even") != std::string::npos);
  CHECK(error_of("design = \"sobol\"\nsamples = 1\n[[parameter]]\nkey = \"funding.level\"\nlow = 1\nhigh = 2\n")
            .find("'samples' must be in 2 .. 1000000") != std::string::npos);
  CHECK(error_of("design = \"sobol\"\nsamples = 50\nmax_points = 100\n[[parameter]]\nkey = \"funding.level\"\nlow = 1\nhigh = 2\n")
            .find("test.toml:2:1: the sobol design needs 150 points") == 0);
}

TEST_CASE("sweep file: a list of relative factors applies each to the base's array") {
  SweepSpec spec = parse(R"(
base = "small.toml"
design = "grid"
[[parameter]]
key = "measures.relocation.return_rate"
relative = true
values = [0.5, 2]
)");
  const LoadedScenario base = load_sweep_base(spec);
  const Design design = make_design(spec.design, spec.dimensions());
  REQUIRE(design.points() == 2);
  CHECK(point_settings(spec, design, 0)[0] == "measures.relocation.return_rate=[0.015, 0.01, 0.01, 0.005]");
  CHECK(point_settings(spec, design, 1)[0] == "measures.relocation.return_rate=[0.06, 0.04, 0.04, 0.02]");
  CHECK(spec.parameters[0].value_number(design.at(1, 0)) == 2.0);
  (void)point_scenario(spec, base, design, 1);
}
