// The population in HDF5: round trip, and refusal of a population that does not fit.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <future>

#include "hdf5_io.h"
#include "population_file.h"
#include "test_support.h"

using namespace tuopin;

namespace {
std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("tuopin_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}
}  // namespace

TEST_CASE("a population file reads back column for column") {
  const LoadedScenario loaded = test::small_scenario("", 5000);
  const Population pop = synthesise_population(loaded.scenario);
  const auto path = scratch("population.h5");
  std::filesystem::remove(path);
  write_population_file(path, false, loaded, pop, RunInfo{"test", "none", "test", "host", "now", 1, 0.0, "synthesised", {}});
  const Population back = read_population_file(path, loaded.scenario);
  const Households& a = pop.households;
  const Households& b = back.households;
  CHECK(b.count() == a.count());
  CHECK(b.county == a.county);
  CHECK(b.village == a.village);
  CHECK(b.size == a.size);
  for (int k = 0; k < age_band_count; ++k) CHECK(b.members[k] == a.members[k]);
  CHECK(b.labour == a.labour);
  CHECK(b.flags == a.flags);
  CHECK(b.cause_main == a.cause_main);
  CHECK(b.cause_secondary == a.cause_secondary);
  CHECK(b.land == a.land);
  for (int k = 0; k < income_source_count; ++k) CHECK(b.base_income[k] == a.base_income[k]);
  CHECK(b.status0 == a.status0);
  CHECK(b.housing0 == a.housing0);
  CHECK(b.entry_year == a.entry_year);
  CHECK(back.villages.county == pop.villages.county);
  CHECK(back.villages.poor == pop.villages.poor);
  CHECK(back.villages.remoteness == pop.villages.remoteness);
  CHECK(back.villages.road == pop.villages.road);
  CHECK(back.villages.water == pop.villages.water);
  CHECK(back.villages.collective_income == pop.villages.collective_income);

  // What is deflated (docs/outputs.md, Compression): the code columns with long runs; the
  // columns that change from household to household are stored plain, like the floats.
  {
    hdf5::Handle file = hdf5::open_file(path.string());
    auto deflated = [&](const std::string& name) {
      hdf5::Handle ds(H5Dopen2(file, ("population/" + name).c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
      hdf5::Handle dcpl(H5Dget_create_plist(ds), H5Pclose, "dcpl");
      if (H5Pget_layout(dcpl) != H5D_CHUNKED) return false;
      return H5Pget_nfilters(dcpl) == 1 &&
             H5Pget_filter2(dcpl, 0, nullptr, nullptr, nullptr, 0, nullptr, nullptr) == H5Z_FILTER_DEFLATE;
    };
    for (const char* name : {"county", "size", "labour", "cause_main", "status", "entry_year", "village_county",
                             "village_poor", "village_remoteness", "village_road", "village_water"}) {
      INFO(name);
      CHECK(deflated(name));
    }
    for (const char* name : {"village_of_household", "members_0_5", "members_6_15", "members_16_59",
                             "members_60_plus", "flags", "housing", "cause_secondary", "land", "income_wage",
                             "village_collective_income", "household"}) {
      INFO(name);
      CHECK_FALSE(deflated(name));
    }
  }

  // Never overwritten without force; no temporary file left.
  CHECK_THROWS_AS(write_population_file(path, false, loaded, pop, RunInfo{}), InputError);
  for (const auto& e : std::filesystem::directory_iterator(path.parent_path()))
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);

  // A scenario with fewer counties cannot run this population.
  const LoadedScenario three = test::small_scenario(
      "[counties]\nnames = [\"A\", \"B\", \"C\"]\nnames_zh = [\"甲\", \"乙\", \"丙\"]\npoor_villages = [1, 1, 1]\n"
      "villages = [2, 2, 2]\nweights = [0.3, 0.3, 0.4]\nrural_population_shares = [0.3, 0.3, 0.4]\npoverty_county = [1, 0, 0]\n");
  CHECK_THROWS_AS(read_population_file(path, three.scenario), InputError);
  std::filesystem::remove_all(path.parent_path());
}

TEST_CASE("a result file holds series with labelled dimensions, summaries, meta and the population") {
  const LoadedScenario loaded = test::small_scenario("", 3000);
  const Population pop = synthesise_population(loaded.scenario);
  const SimulationResult r = test::run(loaded.scenario, 3);
  const auto path = scratch("result.h5");
  std::filesystem::remove(path);
  write_result_file(path, false, loaded, pop, r, RunInfo{"v", "c", "cmd", "h", "t", 2, 1.5, "synthesised", {}});
  const Dataset exits = read_dataset(path, "/exit_people");
  CHECK(exits.shape == std::vector<std::size_t>{3, 3, 11});
  CHECK(exits.dimensions == std::vector<std::string>{"replicate", "year", "county"});
  CHECK(exits.values[0] == static_cast<double>(r.at(0, 0, 0, Metric::exit_people)));
  const Dataset summary = read_dataset(path, "/summary/city_poor_end_people");
  CHECK(summary.dimensions == std::vector<std::string>{"statistic", "year"});
  CHECK(read_string_attribute(path, "/exit_people", "long_name_zh") == "脱贫人口");
  CHECK(read_string_attribute(path, "/meta", "population_source") == "synthesised");
  CHECK(read_string(path, "/meta/scenario_resolved") == loaded.resolved_toml);
  CHECK(read_population_file(path, loaded.scenario).households.size == pop.households.size);
  CHECK_THROWS_AS(write_result_file(path, false, loaded, pop, r, RunInfo{}), InputError);
  CHECK_NOTHROW(write_result_file(path, true, loaded, pop, r, RunInfo{}));
  // /meta/population_hash: the writer's own when the caller gives none, the caller's when it
  // gives one (tuopin run computes it on a thread of its own, beside the simulation or beside
  // the writing: a value still being computed when the writer starts is waited for).
  const std::string computed = population_hash_of(path);
  CHECK(computed.size() == 16);
  CHECK(std::stoull(computed, nullptr, 16) == population_hash(pop));
  RunInfo given;
  std::promise<std::uint64_t> ready;
  ready.set_value(population_hash(pop) ^ 1);
  given.population_hash = ready.get_future().share();
  write_result_file(path, true, loaded, pop, r, given);
  CHECK(std::stoull(population_hash_of(path), nullptr, 16) == (population_hash(pop) ^ 1));
  RunInfo pending;
  pending.population_hash = std::async(std::launch::async, [&pop] { return population_hash(pop) ^ 2; }).share();
  write_result_file(path, true, loaded, pop, r, pending);
  CHECK(std::stoull(population_hash_of(path), nullptr, 16) == (population_hash(pop) ^ 2));
  std::filesystem::remove_all(path.parent_path());
}

TEST_CASE("a population of 300 counties (beyond 8-bit county indices) round-trips through the file and runs") {
  // A national population has about 2,800 counties; county indices are 16-bit. 300 counties
  // of 4 villages each (1 poor), equal weights; the last county's index needs 9 bits.
  constexpr int C = 300;
  auto list = [&](const std::string& each) {
    std::string out = "[";
    for (int c = 0; c < C; ++c) out += (c ? ", " : "") + each;
    return out + "]";
  };
  std::string names = "[", names_zh = "[";
  for (int c = 0; c < C; ++c) {
    names += (c ? ", \"C" : "\"C") + std::to_string(c) + "\"";
    names_zh += (c ? ", \"县" : "\"县") + std::to_string(c) + "\"";
  }
  names += "]";
  names_zh += "]";
  const std::string share = std::to_string(1.0 / C);
  const LoadedScenario loaded = test::small_scenario(
      "[counties]\nnames = " + names + "\nnames_zh = " + names_zh + "\npoor_villages = " + list("1") +
          "\nvillages = " + list("4") + "\nweights = " + list(share) + "\nrural_population_shares = " + list(share) +
          "\npoverty_county = " + list("1") + "\n[funding.county_revenue]\nyuan = " + list("1e8") + "\n",
      6000);
  REQUIRE(loaded.scenario.counties.size() == C);
  const Population pop = synthesise_population(loaded.scenario);
  const auto top = *std::max_element(pop.households.county.begin(), pop.households.county.end());
  CHECK(top == C - 1);
  CHECK(pop.villages.county.back() == C - 1);
  const auto path = scratch("counties300.h5");
  std::filesystem::remove(path);
  write_population_file(path, false, loaded, pop, RunInfo{"test", "none", "test", "host", "now", 1, 0.0, "synthesised", {}});
  const Population back = read_population_file(path, loaded.scenario);
  CHECK(back.households.county == pop.households.county);
  CHECK(back.villages.county == pop.villages.county);

  SimulationOptions opt;
  opt.replicates = 1;
  opt.seed = loaded.scenario.seed;
  const SimulationResult a = simulate(loaded.scenario, pop, opt);
  const SimulationResult b = simulate(loaded.scenario, back, opt);
  CHECK(a.values == b.values);
  // Every county's households are counted in its own cells: the counties above 255 included.
  std::int64_t high = 0;
  for (int c = 256; c < C; ++c) high += a.at(0, 0, c, Metric::poor_start_households);
  std::int64_t expected = 0;
  for (std::size_t i = 0; i < pop.households.count(); ++i)
    if (pop.households.county[i] >= 256 && counts_as_poor(pop.households.status0[i])) ++expected;
  CHECK(expected > 0);
  CHECK(high == expected);
  std::filesystem::remove_all(path.parent_path());
}

// Compressed columns are deflated and inflated chunk by chunk in parallel (hdf5_io.h): several
// chunks with a partial last one read back through HDF5's own filter and through read(), and a
// column HDF5 deflated itself (another chunk size) reads back through read().
TEST_CASE("deflated columns round-trip through parallel chunks and through HDF5's own filter") {
  const auto path = scratch("deflated.h5");
  std::filesystem::remove(path);
  const std::size_t n = 2 * hdf5::compressed_chunk_entries + 12345;
  std::vector<std::uint16_t> values(n);
  for (std::size_t i = 0; i < n; ++i) values[i] = static_cast<std::uint16_t>((i * 2654435761u) >> 20);
  std::vector<int> ids(n);
  {
    hdf5::Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, "create");
    hdf5::Handle scale = hdf5::integer_scale(file, "i", ids, "index", "序号", "1");
    hdf5::variable(file, "parallel", values.data(), H5T_NATIVE_UINT16, H5T_STD_U16LE, {scale}, "1", "x", "x", true);
    // HDF5 deflating by itself, with chunks of 100,000 entries.
    hdf5::Handle space(H5Screate_simple(1, std::array<hsize_t, 1>{n}.data(), nullptr), H5Sclose, "space");
    hdf5::Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dcpl");
    const hsize_t chunk[1] = {100000};
    hdf5::check(H5Pset_chunk(dcpl, 1, chunk), "chunk");
    hdf5::check(H5Pset_deflate(dcpl, 1), "deflate");
    hdf5::Handle ds(H5Dcreate2(file, "by_hdf5", H5T_STD_U16LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose,
                    "create");
    hdf5::check(H5Dwrite(ds, H5T_NATIVE_UINT16, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write");
  }
  hdf5::Handle file = hdf5::open_file(path.string());
  for (const char* name : {"parallel", "by_hdf5"}) {
    INFO(name);
    std::vector<std::uint16_t> back;
    hdf5::read(file, name, H5T_NATIVE_UINT16, back);
    CHECK(back == values);
    // HDF5's own reading, with conversion to another type (not the parallel path).
    std::vector<std::uint32_t> wide;
    hdf5::read(file, name, H5T_NATIVE_UINT32, wide);
    REQUIRE(wide.size() == n);
    CHECK(std::equal(wide.begin(), wide.end(), values.begin()));
  }
  hdf5::Handle ds(H5Dopen2(file, "parallel", H5P_DEFAULT), H5Dclose, "open");
  hdf5::Handle dcpl(H5Dget_create_plist(ds), H5Pclose, "dcpl");
  hsize_t chunk[1] = {0};
  CHECK(H5Pget_chunk(dcpl, 1, chunk) == 1);
  CHECK(chunk[0] == hdf5::compressed_chunk_entries);
}
