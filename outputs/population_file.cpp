#include "population_file.h"

#include <cmath>
#include <numeric>
#include <sstream>

#include "hdf5_io.h"
#include "result_reader.h"

namespace tuopin {

using hdf5::Handle;

namespace {

template <std::size_t N>
std::string codes(const std::array<std::string_view, N>& names) {
  std::ostringstream o;
  for (std::size_t k = 0; k < N; ++k) o << (k ? " " : "") << k << "=" << names[k];
  return o.str();
}

const std::array<std::string, age_band_count> member_columns = {"members_0_5", "members_6_15", "members_16_59",
                                                                 "members_60_plus"};

template <typename T>
const void* raw(const std::vector<T>& v) {
  return static_cast<const void*>(v.data());
}

}  // namespace

void write_population_group(hid_t file, const Population& pop, const Scenario& s) {
  const Households& h = pop.households;
  const Villages& v = pop.villages;
  Handle group = hdf5::create_group(file, "population");
  hdf5::attribute(group, "households", static_cast<std::int64_t>(h.count()));
  hdf5::attribute(group, "villages", static_cast<std::int64_t>(v.count()));
  std::string county_codes;
  for (std::size_t c = 0; c < s.counties.size(); ++c)
    county_codes += (c ? " " : "") + std::to_string(c) + "=" + s.counties[c].name;
  hdf5::attribute(group, "layout", "docs/outputs.md");

  std::vector<int> ids(h.count());
  std::iota(ids.begin(), ids.end(), 0);
  Handle household = hdf5::integer_scale(group, "household", ids, "household index (random-number entity)", "户序号", "1");
  std::vector<int> vids(v.count());
  std::iota(vids.begin(), vids.end(), 0);
  Handle village = hdf5::integer_scale(group, "village", vids, "village index (random-number entity)", "行政村序号", "1");

  // Deflated (level 1) are the integer columns that shrink a hundredfold and more and cost
  // little to deflate: codes with long runs, since households are stored county by county and
  // group by group (county, size, labour, main cause, status, entry year; the village columns,
  // which are small). The columns that vary from household to household (the village, the age
  // bands, the flags, housing, the secondary cause) shrank only 2.5-7x for about 90% of the
  // deflate time (0.27 of 0.30 s of CPU at 2 M households), and are stored plain like the
  // floats (docs/outputs.md, Compression).
  enum Packing : bool { plain = false, deflated = true };
  auto u8 = [&](const std::string& name, const void* data, hid_t scale, std::string_view units, std::string_view ln,
                std::string_view zh, Packing packing, const std::string& code_text = "") {
    hdf5::variable(group, name, data, H5T_NATIVE_UINT8, H5T_STD_U8LE, {scale}, units, ln, zh, packing);
    if (!code_text.empty()) {
      Handle ds(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
      hdf5::attribute(ds, "codes", code_text);
    }
  };
  // County indices are 16-bit (a national population has about 2,800 counties).
  auto u16 = [&](const std::string& name, const void* data, hid_t scale, std::string_view units, std::string_view ln,
                 std::string_view zh, const std::string& code_text) {
    hdf5::variable(group, name, data, H5T_NATIVE_UINT16, H5T_STD_U16LE, {scale}, units, ln, zh, deflated);
    Handle ds(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
    hdf5::attribute(ds, "codes", code_text);
  };
  auto f32 = [&](const std::string& name, const std::vector<float>& data, hid_t scale, std::string_view units,
                 std::string_view ln, std::string_view zh) {
    hdf5::variable(group, name, raw(data), H5T_NATIVE_FLOAT, H5T_IEEE_F32LE, {scale}, units, ln, zh);
  };

  u16("county", raw(h.county), household, "1", "county index (see codes)", "县(市、区)", county_codes);
  hdf5::variable(group, "village_of_household", raw(h.village), H5T_NATIVE_UINT32, H5T_STD_U32LE, {household}, "1",
                 "village index of the household", "所在行政村", plain);
  u8("size", raw(h.size), household, "persons", "household members", "家庭人口", deflated);
  for (int b = 0; b < age_band_count; ++b)
    u8(member_columns[b], raw(h.members[b]), household, "persons", "members aged " + std::string(age_band_names[b]),
       "年龄段人口", plain);
  u8("labour", raw(h.labour), household, "1", "labour capacity", "劳动能力", deflated,
     codes(labour_capacity_names));
  u8("flags", raw(h.flags), household, "1", "flags: 1 disability, 2 chronic illness, 4 dibao, 8 wubao (bits)",
     "标志位:残疾、慢病、低保、五保", plain);
  u8("cause_main", raw(h.cause_main), household, "1", "main cause of poverty", "主要致贫原因", deflated,
     codes(cause_names));
  u8("cause_secondary", raw(h.cause_secondary), household, "1", "secondary cause of poverty (255: none)",
     "次要致贫原因", plain, codes(cause_names) + " 255=none");
  f32("land", h.land, household, "mu", "contracted land", "承包地面积(亩)");
  for (int src = 0; src < income_source_count; ++src)
    f32("income_" + std::string(income_source_names[src]), h.base_income[src], household, "yuan/year",
        "expected annual " + std::string(income_source_names[src]) + " income at the start", "年收入(按来源)");
  u8("status", raw(h.status0), household, "1", "registry status at the start", "建档立卡状态", deflated,
     codes(registry_status_names));
  u8("housing", raw(h.housing0), household, "1", "housing safety at the start", "住房安全", plain,
     codes(housing_safety_names));
  hdf5::variable(group, "entry_year", raw(h.entry_year), H5T_NATIVE_INT16, H5T_STD_I16LE, {household}, "year",
                 "year first registered as poor (0: never)", "建档立卡年份", deflated);

  u16("village_county", raw(v.county), village, "1", "county index of the village", "所属县", county_codes);
  u8("village_poor", raw(v.poor), village, "1", "registered poor village (1)", "贫困村", deflated);
  u8("village_remoteness", raw(v.remoteness), village, "1", "remoteness", "偏远程度", deflated,
     "0=near 1=remote 2=very_remote");
  u8("village_road", raw(v.road), village, "1", "paved road (1)", "通硬化路", deflated);
  u8("village_water", raw(v.water), village, "1", "safe drinking water (1)", "安全饮水", deflated);
  f32("village_collective_income", v.collective_income, village, "yuan/year", "village collective income",
      "村集体经济收入");
}

void write_population_file(const std::filesystem::path& path, bool force, const LoadedScenario& scenario,
                           const Population& population, const RunInfo& info) {
  hdf5::silence_errors();
  write_new_file(path, force, [&](const std::filesystem::path& tmp) {
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create file properties");
    hdf5::check(H5Pset_libver_bounds(fapl, H5F_LIBVER_EARLIEST, H5F_LIBVER_LATEST), "set format bounds");
    Handle file(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), H5Fclose, "create " + tmp.string());
    hdf5::attribute(file, "title", "tuopin synthetic population");
    hdf5::attribute(file, "title_zh", "脱贫攻坚模拟人口");
    hdf5::attribute(file, "layout", "docs/outputs.md");
    write_meta(file, scenario, info, 0);
    write_population_group(file, population, scenario.scenario);
    hdf5::check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + tmp.string());
  });
}

Population read_population_file(const std::filesystem::path& path, const Scenario& s) {
  const std::string where = path.string() + ":/population";
  Handle file = open_input_file(path, "a population or result file ('tuopin synth -o', 'tuopin run')");
  if (!hdf5::exists(file, "population"))
    throw InputError(path.string() + ": no /population group; expected a file written by 'tuopin synth -o' or 'tuopin run'");
  Handle group(H5Gopen2(file, "population", H5P_DEFAULT), H5Gclose, "open /population");
  Population pop;
  Households& h = pop.households;
  Villages& v = pop.villages;
  // A missing or unreadable column names itself (InputError), never an internal error.
  auto read = [&](const std::string& name, hid_t type, auto& out) {
    if (!hdf5::exists(group, name)) throw InputError(where + ": column " + name + " is missing");
    try {
      hdf5::read(group, name, type, out);
    } catch (const std::exception& e) {
      throw InputError(where + ": column " + name + " cannot be read (" + e.what() + ")");
    }
  };
  auto bytes = [&](const std::string& name, auto& column) {
    std::vector<std::uint8_t> raw_values;
    read(name, H5T_NATIVE_UINT8, raw_values);
    column.resize(raw_values.size());
    using T = typename std::decay_t<decltype(column)>::value_type;
    for (std::size_t i = 0; i < raw_values.size(); ++i) column[i] = static_cast<T>(raw_values[i]);
    return raw_values;
  };
  std::vector<std::uint8_t> labour, cause, status, housing;
  // 16-bit county indices; files written before they were widened hold 8-bit ones, which
  // HDF5 converts on reading.
  read("county", H5T_NATIVE_UINT16, h.county);
  read("village_of_household", H5T_NATIVE_UINT32, h.village);
  bytes("size", h.size);
  for (int b = 0; b < age_band_count; ++b) bytes(member_columns[b], h.members[b]);
  labour = bytes("labour", h.labour);
  bytes("flags", h.flags);
  cause = bytes("cause_main", h.cause_main);
  bytes("cause_secondary", h.cause_secondary);
  read("land", H5T_NATIVE_FLOAT, h.land);
  for (int src = 0; src < income_source_count; ++src)
    read("income_" + std::string(income_source_names[src]), H5T_NATIVE_FLOAT, h.base_income[src]);
  status = bytes("status", h.status0);
  housing = bytes("housing", h.housing0);
  read("entry_year", H5T_NATIVE_INT16, h.entry_year);
  read("village_county", H5T_NATIVE_UINT16, v.county);
  bytes("village_poor", v.poor);
  bytes("village_remoteness", v.remoteness);
  bytes("village_road", v.road);
  bytes("village_water", v.water);
  read("village_collective_income", H5T_NATIVE_FLOAT, v.collective_income);

  // The population must fit the scenario it runs under.
  const std::size_t n = h.size.size();
  auto same_length = [&](std::size_t m, const char* name) {
    if (m != n) throw InputError(where + ": column " + std::string(name) + " has " + std::to_string(m) +
                                 " entries, expected " + std::to_string(n));
  };
  same_length(h.county.size(), "county");
  same_length(h.village.size(), "village_of_household");
  for (int b = 0; b < age_band_count; ++b) same_length(h.members[b].size(), member_columns[b].c_str());
  same_length(labour.size(), "labour");
  same_length(h.flags.size(), "flags");
  same_length(cause.size(), "cause_main");
  same_length(h.cause_secondary.size(), "cause_secondary");
  same_length(h.land.size(), "land");
  for (int src = 0; src < income_source_count; ++src) same_length(h.base_income[src].size(), "income_*");
  same_length(status.size(), "status");
  same_length(housing.size(), "housing");
  same_length(h.entry_year.size(), "entry_year");
  if (n == 0) throw InputError(where + ": no households");
  const std::size_t villages = v.county.size();
  for (std::size_t m : {v.poor.size(), v.remoteness.size(), v.road.size(), v.water.size(), v.collective_income.size()})
    if (m != villages) throw InputError(where + ": the village columns differ in length");
  for (std::size_t i = 0; i < villages; ++i)
    if (v.remoteness[i] > 2 || v.poor[i] > 1 || v.road[i] > 1 || v.water[i] > 1)
      throw InputError(where + ": village " + std::to_string(i) + " has a code out of range");
  for (std::size_t i = 0; i < v.count(); ++i)
    if (v.county[i] >= s.counties.size())
      throw InputError(where + ": village " + std::to_string(i) + " is in county " + std::to_string(v.county[i]) +
                       ", but the scenario has " + std::to_string(s.counties.size()) + " counties");
  for (std::size_t i = 0; i < v.count(); ++i)
    if (!std::isfinite(v.collective_income[i]) || v.collective_income[i] < 0 || v.collective_income[i] > 1e9)
      throw InputError(where + ": village " + std::to_string(i) + " has collective income " +
                       std::to_string(v.collective_income[i]) + "; expected a number in 0 .. 1e9 yuan");
  for (std::size_t i = 0; i < n; ++i) {
    auto bad = [&](const std::string& column, const std::string& what) {
      throw InputError(where + ": household " + std::to_string(i) + ", column " + column + ": " + what);
    };
    if (h.county[i] >= s.counties.size())
      bad("county", std::to_string(h.county[i]) + ", but the scenario has " + std::to_string(s.counties.size()) +
                        " counties");
    if (h.village[i] >= v.count()) bad("village_of_household", "no such village");
    if (v.county[h.village[i]] != h.county[i]) bad("village_of_household", "a village of another county");
    int members = 0;
    for (int b = 0; b < age_band_count; ++b) members += h.members[b][i];
    if (h.size[i] < 1) bad("size", "0; expected at least 1 member");
    if (members != h.size[i]) bad("members_*", "the members by age add up to " + std::to_string(members) +
                                                   ", the size is " + std::to_string(h.size[i]));
    if (labour[i] >= labour_capacity_count) bad("labour", "code out of range");
    if (cause[i] >= cause_count) bad("cause_main", "code out of range");
    if (!(h.cause_secondary[i] < cause_count || h.cause_secondary[i] == no_cause)) bad("cause_secondary", "code out of range");
    if (status[i] >= registry_status_count) bad("status", "code out of range");
    if (housing[i] >= housing_safety_count) bad("housing", "code out of range");
    if (h.flags[i] >= 16) bad("flags", "bits above 8 set");
    if (!std::isfinite(h.land[i]) || h.land[i] < 0 || h.land[i] > 1e5) bad("land", "expected a number in 0 .. 1e5 mu");
    for (int src = 0; src < income_source_count; ++src)
      if (!std::isfinite(h.base_income[src][i]) || h.base_income[src][i] < 0 || h.base_income[src][i] > 1e8)
        bad("income_" + std::string(income_source_names[src]), "expected a number in 0 .. 1e8 yuan a year");
  }
  return pop;
}

}  // namespace tuopin
