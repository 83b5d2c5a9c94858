#include "result_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "metrics.h"
#include "summary.h"

namespace tuopin {

namespace {

// Owns one HDF5 identifier.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t), const char* what) : id_(id), close_(close) {
    if (id < 0) throw std::runtime_error(std::string("HDF5: cannot ") + what);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept {
    std::swap(id_, o.id_);
    std::swap(close_, o.close_);
    return *this;
  }
  ~Handle() {
    if (id_ >= 0 && close_) close_(id_);
  }
  operator hid_t() const { return id_; }

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

void check(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5: cannot " + what);
}

Handle string_type() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose, "create a string type");
  check(H5Tset_size(t, H5T_VARIABLE), "size a string type");
  check(H5Tset_cset(t, H5T_CSET_UTF8), "set UTF-8");
  return t;
}

void attribute(hid_t object, const std::string& name, const std::string& value) {
  Handle type = string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar space");
  Handle attr(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              ("create attribute " + name).c_str());
  const char* p = value.c_str();
  check(H5Awrite(attr, type, &p), "write attribute " + name);
}

template <typename T>
void attribute(hid_t object, const std::string& name, T value, hid_t type) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar space");
  Handle attr(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              ("create attribute " + name).c_str());
  check(H5Awrite(attr, type, &value), "write attribute " + name);
}

Handle create(hid_t where, const std::string& name, hid_t type, const std::vector<hsize_t>& shape) {
  Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose,
               "create a data space");
  return Handle(H5Dcreate2(where, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                H5Dclose, ("create dataset " + name).c_str());
}

void describe(hid_t ds, std::string_view units, std::string_view long_name, std::string_view long_name_zh) {
  attribute(ds, "units", std::string(units));
  attribute(ds, "long_name", std::string(long_name));
  attribute(ds, "long_name_zh", std::string(long_name_zh));
}

void string_scalar(hid_t where, const std::string& name, const std::string& value,
                   std::string_view long_name, std::string_view long_name_zh) {
  Handle type = string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar space");
  Handle ds(H5Dcreate2(where, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
            H5Dclose, ("create dataset " + name).c_str());
  const char* p = value.c_str();
  check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "write " + name);
  attribute(ds, "long_name", std::string(long_name));
  attribute(ds, "long_name_zh", std::string(long_name_zh));
}

// A dimension: a coordinate variable that is also an HDF5 dimension scale.
Handle integer_scale(hid_t where, const std::string& name, const std::vector<int>& values,
                     std::string_view long_name, std::string_view long_name_zh, std::string_view units) {
  Handle ds = create(where, name, H5T_NATIVE_INT32, {values.size()});
  check(H5Dwrite(ds, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
  check(H5DSset_scale(ds, name.c_str()), "make " + name + " a dimension scale");
  describe(ds, units, long_name, long_name_zh);
  return ds;
}

Handle string_scale(hid_t where, const std::string& name, const std::vector<std::string>& values,
                    std::string_view long_name, std::string_view long_name_zh) {
  Handle type = string_type();
  Handle ds = create(where, name, type, {values.size()});
  std::vector<const char*> p;
  for (const auto& v : values) p.push_back(v.c_str());
  check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), "write " + name);
  check(H5DSset_scale(ds, name.c_str()), "make " + name + " a dimension scale");
  attribute(ds, "long_name", std::string(long_name));
  attribute(ds, "long_name_zh", std::string(long_name_zh));
  return ds;
}

// A string variable along an existing dimension (not itself a scale).
void string_variable(hid_t where, const std::string& name, const std::vector<std::string>& values,
                     hid_t scale, std::string_view long_name, std::string_view long_name_zh) {
  Handle type = string_type();
  Handle ds = create(where, name, type, {values.size()});
  std::vector<const char*> p;
  for (const auto& v : values) p.push_back(v.c_str());
  check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), "write " + name);
  check(H5DSattach_scale(ds, scale, 0), "attach a scale to " + name);
  attribute(ds, "long_name", std::string(long_name));
  attribute(ds, "long_name_zh", std::string(long_name_zh));
}

template <typename T>
void variable(hid_t where, const std::string& name, const std::vector<T>& values, hid_t mem_type,
              hid_t file_type, const std::vector<hid_t>& scales, std::string_view units,
              std::string_view long_name, std::string_view long_name_zh) {
  std::vector<hsize_t> shape;
  for (hid_t s : scales) {
    Handle space(H5Dget_space(s), H5Sclose, "read a scale's space");
    hsize_t n = 0;
    H5Sget_simple_extent_dims(space, &n, nullptr);
    shape.push_back(n);
  }
  Handle ds = create(where, name, file_type, shape);
  check(H5Dwrite(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
  for (std::size_t k = 0; k < scales.size(); ++k)
    check(H5DSattach_scale(ds, scales[k], static_cast<unsigned>(k)), "attach scales to " + name);
  describe(ds, units, long_name, long_name_zh);
}

std::vector<int> iota_years(const SimulationResult& r) {
  std::vector<int> years;
  for (int y = 0; y < r.years; ++y) years.push_back(r.first_year + y);
  return years;
}

void write_file(const std::filesystem::path& path, const LoadedScenario& scenario,
                const SimulationResult& r, const RunInfo& info) {
  const Scenario& s = scenario.scenario;
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create file properties");
  check(H5Pset_libver_bounds(fapl, H5F_LIBVER_EARLIEST, H5F_LIBVER_LATEST), "set format bounds");
  Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), H5Fclose,
              ("create " + path.string()).c_str());
  attribute(file, "title", "tuopin simulation of a poverty-exit plan");
  attribute(file, "title_zh", "脱贫攻坚规划模拟结果");
  attribute(file, "tuopin_version", info.version);
  attribute(file, "layout", "docs/outputs.md");

  const int R = r.replicates, Y = r.years, C = r.counties;
  std::vector<int> replicates(R);
  for (int k = 0; k < R; ++k) replicates[k] = r.first_replicate + k;
  std::vector<std::string> names, names_zh;
  for (const auto& c : s.counties) {
    names.push_back(c.name);
    names_zh.push_back(c.name_zh);
  }

  // Root: per replicate series.
  {
    Handle rep = integer_scale(file, "replicate", replicates, "replicate index (Philox key word 1)", "重复模拟序号", "1");
    Handle year = integer_scale(file, "year", iota_years(r), "calendar year (assessed at its end)", "年份", "year");
    Handle county = string_scale(file, "county", names, "county or district", "县(市、区)");
    string_variable(file, "county_name_zh", names_zh, county, "county name in Chinese", "县(市、区)名称");
    for (int m = 0; m < metric_count; ++m) {
      const auto& info_m = metric_info[m];
      std::vector<std::int64_t> v(static_cast<std::size_t>(R) * Y * C);
      std::vector<std::int64_t> city(static_cast<std::size_t>(R) * Y);
      for (int k = 0; k < R; ++k)
        for (int y = 0; y < Y; ++y) {
          for (int c = 0; c < C; ++c)
            v[(static_cast<std::size_t>(k) * Y + y) * C + c] = r.at(k, y, c, static_cast<Metric>(m));
          city[static_cast<std::size_t>(k) * Y + y] = r.city_total(k, y, static_cast<Metric>(m));
        }
      variable(file, std::string(info_m.name), v, H5T_NATIVE_INT64, H5T_STD_I64LE, {rep, year, county},
               info_m.units, info_m.long_name, info_m.long_name_zh);
      variable(file, "city_" + std::string(info_m.name), city, H5T_NATIVE_INT64, H5T_STD_I64LE,
               {rep, year}, info_m.units, std::string(info_m.long_name) + ", whole city",
               std::string(info_m.long_name_zh) + "(全市)");
    }
    std::vector<double> inc(static_cast<std::size_t>(R) * Y);
    for (int k = 0; k < R; ++k)
      for (int y = 0; y < Y; ++y) inc[static_cast<std::size_t>(k) * Y + y] = incidence(s, r, k, y);
    variable(file, "incidence", inc, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {rep, year}, "1",
             "poor people at the end of the year / rural population", "贫困发生率");
  }

  // /summary: statistics across replicates.
  {
    Handle group(H5Gcreate2(file, "summary", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                 "create /summary");
    std::vector<std::string> stats(statistic_names.begin(), statistic_names.end());
    Handle stat = string_scale(group, "statistic", stats,
                               "statistic across replicates (mean; 5%, 50%, 95% quantiles, type 7)",
                               "跨重复模拟的统计量");
    Handle year = integer_scale(group, "year", iota_years(r), "calendar year (assessed at its end)", "年份", "year");
    Handle county = string_scale(group, "county", names, "county or district", "县(市、区)");
    auto over_replicates = [&](auto value_of) {
      std::vector<double> v(R);
      for (int k = 0; k < R; ++k) v[k] = value_of(k);
      return summarise(v);
    };
    for (int m = 0; m < metric_count; ++m) {
      const auto& info_m = metric_info[m];
      const auto metric = static_cast<Metric>(m);
      std::vector<double> v(static_cast<std::size_t>(4) * Y * C), city(static_cast<std::size_t>(4) * Y);
      for (int y = 0; y < Y; ++y) {
        for (int c = 0; c < C; ++c) {
          const Statistics st = over_replicates([&](int k) { return static_cast<double>(r.at(k, y, c, metric)); });
          for (std::size_t q = 0; q < 4; ++q) v[(q * Y + y) * C + c] = st[q];
        }
        const Statistics st = over_replicates([&](int k) { return static_cast<double>(r.city_total(k, y, metric)); });
        for (std::size_t q = 0; q < 4; ++q) city[q * Y + y] = st[q];
      }
      variable(group, std::string(info_m.name), v, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {stat, year, county},
               info_m.units, info_m.long_name, info_m.long_name_zh);
      variable(group, "city_" + std::string(info_m.name), city, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE,
               {stat, year}, info_m.units, std::string(info_m.long_name) + ", whole city",
               std::string(info_m.long_name_zh) + "(全市)");
    }
    std::vector<double> inc(static_cast<std::size_t>(4) * Y);
    for (int y = 0; y < Y; ++y) {
      const Statistics st = over_replicates([&](int k) { return incidence(s, r, k, y); });
      for (std::size_t q = 0; q < 4; ++q) inc[q * Y + y] = st[q];
    }
    variable(group, "incidence", inc, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {stat, year}, "1",
             "poor people at the end of the year / rural population", "贫困发生率");
  }

  // /meta: enough to reproduce the run from the file alone.
  {
    Handle meta(H5Gcreate2(file, "meta", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "create /meta");
    attribute(meta, "version", info.version);
    attribute(meta, "git_commit", info.git_commit);
    attribute(meta, "command_line", info.command_line);
    attribute(meta, "host", info.host);
    attribute(meta, "created", info.created);
    attribute(meta, "seed", static_cast<std::int64_t>(s.seed), H5T_NATIVE_INT64);
    attribute(meta, "replicates", static_cast<std::int64_t>(r.replicates), H5T_NATIVE_INT64);
    attribute(meta, "threads", static_cast<std::int64_t>(info.threads), H5T_NATIVE_INT64);
    attribute(meta, "wall_time_seconds", info.wall_seconds, H5T_NATIVE_DOUBLE);
    attribute(meta, "scenario_name", scenario.sources.back().name);
    string_scalar(meta, "scenario_text", scenario.sources.back().text, "the scenario file as written", "情景文件原文");
    std::string chain, inherited;
    for (std::size_t k = 0; k < scenario.sources.size(); ++k) {
      chain += (k ? " <- " : "") + scenario.sources[scenario.sources.size() - 1 - k].name;
      if (k + 1 < scenario.sources.size())
        inherited += "# ---- " + scenario.sources[k].name + " ----\n" + scenario.sources[k].text + "\n";
    }
    attribute(meta, "scenario_inheritance", chain);
    string_scalar(meta, "scenario_inherited_text", inherited, "the files it inherits from, as written, parents first",
                  "所继承的情景文件原文");
    string_scalar(meta, "scenario_resolved", scenario.resolved_toml,
                  "every scenario key after defaults and inheritance (runs alone with tuopin run)",
                  "合并默认值与继承后的完整情景");
  }
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + path.string());
}

}  // namespace

void check_output_path(const std::filesystem::path& path, bool force) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !force)
    throw InputError(path.string() + ": already exists; use --force to replace it, or -o to name another file");
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(dir, ec))
    throw InputError(path.string() + ": folder '" + dir.string() + "' does not exist");
}

std::filesystem::path temporary_path_for(const std::filesystem::path& path) {
  return path.parent_path() /
         ("." + path.filename().string() + ".tmp-" + std::to_string(static_cast<long>(getpid())));
}

void write_result_file(const std::filesystem::path& path, bool force, const LoadedScenario& scenario,
                       const SimulationResult& result, const RunInfo& info) {
  check_output_path(path, force);
  const auto tmp = temporary_path_for(path);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions with our message
  try {
    write_file(tmp, scenario, result, info);
    if (force) {
      std::filesystem::rename(tmp, path);
    } else {
      // link() fails if the destination appeared meanwhile: never overwrite without --force.
      if (::link(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        std::filesystem::remove(tmp);
        if (err == EEXIST)
          throw InputError(path.string() + ": already exists; use --force to replace it");
        throw std::runtime_error("cannot create " + path.string() + ": " + std::strerror(err));
      }
      std::filesystem::remove(tmp);
    }
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  }
}

Dataset read_dataset(const std::filesystem::path& path, const std::string& name) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, ("open " + path.string()).c_str());
  Handle ds(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, ("open dataset " + name).c_str());
  Handle space(H5Dget_space(ds), H5Sclose, "read a data space");
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  Dataset out;
  std::size_t n = 1;
  for (hsize_t d : dims) {
    out.shape.push_back(d);
    n *= d;
  }
  out.values.resize(n);
  check(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.values.data()), "read " + name);
  for (int k = 0; k < rank; ++k) {
    char label[256] = {0};
    if (H5DSget_label(ds, static_cast<unsigned>(k), label, sizeof label) > 0) {
      out.dimensions.emplace_back(label);
      continue;
    }
    std::string dim;
    H5DSiterate_scales(ds, static_cast<unsigned>(k), nullptr,
                       [](hid_t, unsigned, hid_t scale, void* data) -> herr_t {
                         char buf[256] = {0};
                         H5DSget_scale_name(scale, buf, sizeof buf);
                         *static_cast<std::string*>(data) = buf;
                         return 1;
                       },
                       &dim);
    out.dimensions.push_back(dim);
  }
  return out;
}

std::string read_string(const std::filesystem::path& path, const std::string& name) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, ("open " + path.string()).c_str());
  Handle ds(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, ("open dataset " + name).c_str());
  Handle type = string_type();
  char* p = nullptr;
  check(H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "read " + name);
  std::string out = p ? p : "";
  H5free_memory(p);
  return out;
}

std::string read_string_attribute(const std::filesystem::path& path, const std::string& object,
                                  const std::string& name) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, ("open " + path.string()).c_str());
  Handle attr(H5Aopen_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              ("open attribute " + name).c_str());
  Handle type = string_type();
  char* p = nullptr;
  check(H5Aread(attr, type, &p), "read attribute " + name);
  std::string out = p ? p : "";
  H5free_memory(p);
  return out;
}

}  // namespace tuopin
