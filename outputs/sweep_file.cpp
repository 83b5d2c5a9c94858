#include "sweep_file.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <hdf5_hl.h>

#include "comparison.h"
#include "metrics.h"
#include "population_file.h"
#include "summary.h"

namespace tuopin {

using hdf5::Handle;

namespace {

constexpr double not_done = std::numeric_limits<double>::quiet_NaN();

// A dataset of `shape` chunked along its first (point) dimension, every chunk allocated now and
// filled with `fill`, times not tracked: later writes change data in place, never metadata.
Handle create_allocated(hid_t where, const std::string& name, hid_t file_type, hid_t mem_type, const void* fill,
                        const std::vector<hsize_t>& shape) {
  Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose, "create a data space");
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset properties");
  std::vector<hsize_t> chunk = shape;
  hsize_t per_point = H5Tget_size(file_type);
  for (std::size_t d = 1; d < shape.size(); ++d) per_point *= shape[d];
  // About 256 KiB per chunk: few chunks for the index, little rewritten per flush.
  chunk[0] = std::clamp<hsize_t>((256u << 10) / std::max<hsize_t>(per_point, 1), 1, shape[0]);
  hdf5::check(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), "chunk " + name);
  hdf5::check(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY), "allocate " + name);
  hdf5::check(H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC), "fill " + name);
  hdf5::check(H5Pset_fill_value(dcpl, mem_type, fill), "fill value of " + name);
  hdf5::check(H5Pset_obj_track_times(dcpl, 0), "times of " + name);
  return Handle(H5Dcreate2(where, name.c_str(), file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose,
                "create dataset " + name);
}

void attach(hid_t ds, const std::vector<hid_t>& scales) {
  for (std::size_t k = 0; k < scales.size(); ++k)
    hdf5::check(H5DSattach_scale(ds, scales[k], static_cast<unsigned>(k)), "attach scales");
}

// Selects `count` consecutive (point, replicate) pairs from pair `first` in a dataset whose two
// leading dimensions are (point, replicate): at most three rectangular blocks.
void select_pairs(hid_t space, std::size_t first, std::size_t count, std::size_t replicates) {
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  hdf5::check(H5Sselect_none(space), "select");
  auto block = [&](std::size_t point, std::size_t r0, std::size_t points, std::size_t reps) {
    std::vector<hsize_t> start(dims.size(), 0), n = dims;
    start[0] = point;
    start[1] = r0;
    n[0] = points;
    n[1] = reps;
    hdf5::check(H5Sselect_hyperslab(space, H5S_SELECT_OR, start.data(), nullptr, n.data(), nullptr), "select pairs");
  };
  std::size_t pair = first, left = count;
  if (pair % replicates != 0) {
    const std::size_t reps = std::min(left, replicates - pair % replicates);
    block(pair / replicates, pair % replicates, 1, reps);
    pair += reps;
    left -= reps;
  }
  if (left >= replicates) {
    const std::size_t points = left / replicates;
    block(pair / replicates, 0, points, replicates);
    pair += points * replicates;
    left -= points * replicates;
  }
  if (left > 0) block(pair / replicates, 0, 1, left);
}

void write_pairs(hid_t ds, std::size_t first, std::size_t count, std::size_t replicates, hid_t mem_type,
                 const void* data, std::size_t per_pair) {
  Handle space(H5Dget_space(ds), H5Sclose, "get a data space");
  select_pairs(space, first, count, replicates);
  const hsize_t n = count * per_pair;
  Handle mem(H5Screate_simple(1, &n, nullptr), H5Sclose, "create a memory space");
  hdf5::check(H5Dwrite(ds, mem_type, mem, space, H5P_DEFAULT, data), "write sweep results");
}

std::vector<int> iota_ints(std::size_t n, int from = 0) {
  std::vector<int> v(n);
  for (std::size_t k = 0; k < n; ++k) v[k] = from + static_cast<int>(k);
  return v;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

SweepOutputs simulation_sweep_outputs(int first_year, int years) {
  SweepOutputs o;
  o.first_year = first_year;
  o.years = years;
  for (const auto& k : key_result_info()) o.results.push_back({k.name, k.units, k.label, k.label_zh});
  for (const auto& m : metric_info)
    o.series.push_back({std::string(m.name), std::string(m.units), "city: " + std::string(m.long_name),
                        "全市" + std::string(m.long_name_zh)});
  o.series.push_back({"spending", "yuan", "city: spending of every measure in the year, all sources", "全市帮扶支出"});
  return o;
}

std::vector<double> simulation_sweep_row(const SimulationResult& r, const Scenario& s, int replicate) {
  std::vector<double> row = key_results(r, s, replicate);
  for (int y = 0; y < r.years; ++y) {
    for (int m = 0; m < metric_count; ++m)
      row.push_back(static_cast<double>(r.city_total(replicate, y, static_cast<Metric>(m))));
    row.push_back(static_cast<double>(r.city_spend(replicate, y)) / 100.0);
  }
  return row;
}

std::filesystem::path partial_sweep_path(const std::filesystem::path& path) {
  return std::filesystem::path(path.string() + ".partial");
}

SweepFile SweepFile::create(const std::filesystem::path& path, const SweepHeader& h, const Population* population) {
  const SweepSpec& spec = *h.spec;
  const Design& design = *h.design;
  hdf5::silence_errors();
  SweepFile f;
  f.points_ = design.points();
  f.replicates_ = spec.replicates;
  f.width_results_ = h.outputs.results.size();
  f.width_series_ = static_cast<std::size_t>(h.outputs.years) * h.outputs.series.size();

  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create file properties");
  hdf5::check(H5Pset_libver_bounds(fapl, H5F_LIBVER_EARLIEST, H5F_LIBVER_LATEST), "set format bounds");
  f.file_ = Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), H5Fclose, "create " + path.string());
  hdf5::attribute(f.file_, "title", "tuopin parameter sweep of a poverty-exit plan");
  hdf5::attribute(f.file_, "title_zh", "脱贫攻坚规划模拟参数扫描");
  hdf5::attribute(f.file_, "tuopin_version", h.info.version);
  hdf5::attribute(f.file_, "layout", "docs/sweeps.md");
  {
    Handle meta = hdf5::create_group(f.file_, "meta");
    hdf5::attribute(meta, "version", h.info.version);
    hdf5::attribute(meta, "git_commit", h.info.git_commit);
    hdf5::attribute(meta, "command_line", h.info.command_line);
    hdf5::attribute(meta, "host", h.info.host);
    hdf5::attribute(meta, "created", h.info.created);
    hdf5::attribute(meta, "threads", static_cast<std::int64_t>(h.info.threads));
    hdf5::attribute(meta, "ranks", static_cast<std::int64_t>(h.ranks));
    hdf5::attribute(meta, "population_source", h.info.population_source);
    hdf5::attribute(meta, "population_hash", h.population_hash);
    hdf5::attribute(meta, "sweep_hash", hex_hash(h.hash));
    hdf5::attribute(meta, "program", h.program);
    hdf5::attribute(meta, "resumed", std::int64_t{0});
    hdf5::attribute(meta, "sweep_file", spec.file);
    hdf5::attribute(meta, "design", std::string(design_kind_name(spec.design.kind)));
    hdf5::attribute(meta, "samples", static_cast<std::int64_t>(spec.design.samples));
    hdf5::attribute(meta, "morris_levels", static_cast<std::int64_t>(spec.design.morris_levels));
    hdf5::attribute(meta, "seed", static_cast<std::int64_t>(h.base->scenario.seed));
    hdf5::attribute(meta, "replicates", static_cast<std::int64_t>(spec.replicates));
    hdf5::attribute(meta, "points", static_cast<std::int64_t>(f.points_));
    hdf5::attribute(meta, "bootstrap", static_cast<std::int64_t>(spec.bootstrap));
    hdf5::attribute(meta, "confidence", spec.confidence);
    hdf5::attribute(meta, "complete", std::int64_t{0});
    hdf5::string_scalar(meta, "sweep_text", spec.text, "the sweep file as written", "参数扫描文件原文");
    hdf5::attribute(meta, "base_scenario", h.base->sources.back().name);
    hdf5::string_scalar(meta, "base_scenario_resolved", h.base->resolved_toml,
                        "the base scenario: every key after defaults and inheritance, the sweep's seed and replicates",
                        "基准情景(合并默认值与继承后)");
  }
  {
    Handle group = hdf5::create_group(f.file_, "design");
    std::vector<std::string> names, dist, values;
    std::vector<double> low, high;
    for (const auto& p : spec.parameters) {
      names.push_back(p.key);
      const bool list = p.dimension.scale == SweepScale::values;
      dist.push_back(list ? "values" : p.dimension.scale == SweepScale::log_uniform ? "log-uniform" : "uniform");
      values.push_back(joined(p.values));
      low.push_back(list ? not_done : p.dimension.low);
      high.push_back(list ? not_done : p.dimension.high);
    }
    Handle param = hdf5::string_scale(group, "parameter", names, "swept scenario key", "扫描的情景参数");
    Handle point = hdf5::integer_scale(group, "point", iota_ints(f.points_), "point of the design", "设计点", "1");
    hdf5::string_variable(group, "distribution", dist, param, "uniform, log-uniform or a list of values", "取值方式");
    hdf5::string_variable(group, "values", values, param, "the listed values (TOML), for a list", "列举的取值");
    hdf5::variable(group, "low", low.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {param}, "as the key",
                   "lower end of the range (NaN for a list)", "取值下限");
    hdf5::variable(group, "high", high.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {param}, "as the key",
                   "upper end of the range (NaN for a list)", "取值上限");
    std::vector<double> value(design.unit.size());
    for (std::size_t i = 0; i < f.points_; ++i)
      for (std::size_t d = 0; d < spec.parameters.size(); ++d)
        value[i * spec.parameters.size() + d] = spec.parameters[d].value_number(design.at(i, d));
    hdf5::variable(group, "unit", design.unit.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {point, param}, "1",
                   "the design in unit coordinates (0: low, 1: high; a list's entry k of n covers [k/n, (k+1)/n))",
                   "设计矩阵(单位坐标)");
    hdf5::variable(group, "value", value.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {point, param}, "as the key",
                   "the parameter's value at each point (a list of non-numbers: the index in the list)",
                   "各设计点的参数取值");
  }
  {
    Handle group = hdf5::create_group(f.file_, "results");
    Handle point = hdf5::integer_scale(group, "point", iota_ints(f.points_), "point of the design", "设计点", "1");
    Handle rep = hdf5::integer_scale(group, "replicate", iota_ints(static_cast<std::size_t>(spec.replicates)),
                                     "replicate index (Philox key word 1), the same random numbers at every point",
                                     "重复模拟序号", "1");
    Handle year = hdf5::integer_scale(group, "year", iota_ints(static_cast<std::size_t>(h.outputs.years), h.outputs.first_year),
                                      "calendar year (assessed at its end)", "年份", "year");
    std::vector<std::string> rnames, snames;
    for (const auto& r : h.outputs.results) rnames.push_back(r.name);
    for (const auto& s : h.outputs.series) snames.push_back(s.name);
    Handle result = hdf5::string_scale(group, "result", rnames, "key result", "主要结果");
    Handle series = hdf5::string_scale(group, "series", snames, "city series per year", "全市逐年指标");
    std::vector<std::string> units, long_names;
    for (const auto& r : h.outputs.results) {
      units.push_back(r.units);
      long_names.push_back(r.long_name);
    }
    hdf5::string_variable(group, "result_units", units, result, "units of each key result", "主要结果单位");
    hdf5::string_variable(group, "result_long_name", long_names, result, "what each key result is", "主要结果含义");
    units.clear();
    for (const auto& s : h.outputs.series) units.push_back(s.units);
    hdf5::string_variable(group, "series_units", units, series, "units of each series", "逐年指标单位");
    const double nan = not_done;
    const std::uint8_t zero = 0;
    Handle key = create_allocated(group, "key", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &nan,
                                  {f.points_, static_cast<hsize_t>(spec.replicates), rnames.size()});
    attach(key, {point, rep, result});
    hdf5::describe(key, "see result_units", "key results of each point and replicate (NaN: not run yet)",
                   "各设计点各重复的主要结果");
    Handle ser = create_allocated(group, "city", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &nan,
                                  {f.points_, static_cast<hsize_t>(spec.replicates),
                                   static_cast<hsize_t>(h.outputs.years), snames.size()});
    attach(ser, {point, rep, year, series});
    hdf5::describe(ser, "see series_units", "the city's metrics per year (NaN: not run yet)", "全市逐年指标");
    Handle done = create_allocated(group, "done", H5T_STD_U8LE, H5T_NATIVE_UINT8, &zero,
                                   {f.points_, static_cast<hsize_t>(spec.replicates)});
    attach(done, {point, rep});
    hdf5::describe(done, "1", "1 when the pair's results are written (a resumed sweep runs the pairs at 0)",
                   "该设计点与重复已完成");
  }
  if (population) write_population_group(f.file_, *population, h.base->scenario);
  f.open_datasets();
  hdf5::check(H5Fflush(f.file_, H5F_SCOPE_GLOBAL), "flush " + path.string());
  return f;
}

void SweepFile::open_datasets() {
  results_ = Handle(H5Dopen2(file_, "results/key", H5P_DEFAULT), H5Dclose, "open results/key");
  series_ = Handle(H5Dopen2(file_, "results/city", H5P_DEFAULT), H5Dclose, "open results/city");
  done_ = Handle(H5Dopen2(file_, "results/done", H5P_DEFAULT), H5Dclose, "open results/done");
}

SweepFile SweepFile::resume(const std::filesystem::path& path, std::uint64_t hash, const std::string& population_hash,
                            const std::string& program) {
  SweepFile f;
  hdf5::silence_errors();
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  if (id < 0)
    throw InputError(path.string() + ": cannot be opened as a partial sweep (not an HDF5 file, or damaged); start "
                     "the sweep again with --force");
  f.file_ = Handle(id, H5Fclose, "open " + path.string());
  try {
    Handle meta(H5Gopen2(f.file_, "meta", H5P_DEFAULT), H5Gclose, "open meta");
    if (hdf5::string_attribute(meta, "sweep_hash") != hex_hash(hash))
      throw InputError(path.string() + ": this partial sweep was started from another sweep file, base scenario, "
                       "seed or design; --resume continues only the same sweep (start again with --force)");
    if (hdf5::string_attribute(meta, "population_hash") != population_hash)
      throw InputError(path.string() + ": this partial sweep ran on another population; --resume needs the same "
                       "(the same --population or --households)");
    if (const std::string was = hdf5::string_attribute(meta, "program"); was != program)
      throw InputError(path.string() + ": this partial sweep was started by " + was + ", not " + program +
                       "; its results would mix two versions of the model (start again with --force)");
    const std::int64_t resumed = hdf5::integer_attribute(meta, "resumed");
    H5Adelete(meta, "resumed");
    hdf5::attribute(meta, "resumed", resumed + 1);
    f.points_ = static_cast<std::size_t>(hdf5::integer_attribute(meta, "points"));
    f.replicates_ = static_cast<int>(hdf5::integer_attribute(meta, "replicates"));
    f.open_datasets();
    const auto rs = hdf5::shape_of(f.results_);
    const auto ss = hdf5::shape_of(f.series_);
    if (rs.size() != 3 || ss.size() != 4 || rs[0] != f.points_)
      throw InputError(path.string() + ": its results datasets do not have the sweep's shape");
    f.width_results_ = rs[2];
    f.width_series_ = ss[2] * ss[3];
  } catch (const InputError&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw InputError(path.string() + ": not a partial sweep of tuopin (" + e.what() + "); start again with --force");
  }
  return f;
}

std::vector<std::uint8_t> SweepFile::done() const {
  std::vector<std::uint8_t> out(pairs());
  if (!out.empty())
    hdf5::check(H5Dread(done_, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read results/done");
  return out;
}

void SweepFile::write(std::size_t first, std::size_t count, const std::vector<double>& rows) {
  const std::size_t width = width_results_ + width_series_;
  if (rows.size() != count * width) throw std::logic_error("SweepFile::write: rows of the wrong width");
  const auto R = static_cast<std::size_t>(replicates_);
  std::vector<double> res(count * width_results_), ser(count * width_series_);
  for (std::size_t i = 0; i < count; ++i) {
    std::copy_n(rows.begin() + static_cast<std::ptrdiff_t>(i * width), width_results_, res.begin() + static_cast<std::ptrdiff_t>(i * width_results_));
    std::copy_n(rows.begin() + static_cast<std::ptrdiff_t>(i * width + width_results_), width_series_,
                ser.begin() + static_cast<std::ptrdiff_t>(i * width_series_));
  }
  write_pairs(results_, first, count, R, H5T_NATIVE_DOUBLE, res.data(), width_results_);
  write_pairs(series_, first, count, R, H5T_NATIVE_DOUBLE, ser.data(), width_series_);
  // The results reach the file before the flags that say they are there.
  hdf5::check(H5Fflush(file_, H5F_SCOPE_GLOBAL), "flush the sweep file");
  const std::vector<std::uint8_t> ones(count, 1);
  write_pairs(done_, first, count, R, H5T_NATIVE_UINT8, ones.data(), 1);
  hdf5::check(H5Fflush(file_, H5F_SCOPE_GLOBAL), "flush the sweep file");
}

std::vector<double> SweepFile::results() const {
  std::vector<double> out(pairs() * width_results_);
  if (!out.empty())
    hdf5::check(H5Dread(results_, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read results/key");
  return out;
}

void SweepFile::finish(const std::vector<std::string>& result_names, const std::vector<std::string>& parameter_names,
                       const std::vector<SobolIndices>* sobol, const std::vector<MorrisIndices>* morris,
                       double wall_seconds, int ranks) {
  // A sweep stopped after this step but before FILE.partial became FILE is finished again by
  // --resume: the indices are written afresh.
  if (hdf5::exists(file_, "sensitivity"))
    hdf5::check(H5Ldelete(file_, "sensitivity", H5P_DEFAULT), "replace /sensitivity");
  Handle group = hdf5::create_group(file_, "sensitivity");
  Handle result = hdf5::string_scale(group, "result", result_names, "key result (its mean over the replicates of a point)",
                                     "主要结果(各点重复均值)");
  Handle param = hdf5::string_scale(group, "parameter", parameter_names, "swept scenario key", "扫描的情景参数");
  Handle estimate = hdf5::string_scale(group, "estimate", {"value", "low", "high"},
                                       "point estimate and the bootstrap confidence interval's ends", "估计值与置信区间");
  const std::size_t K = result_names.size(), D = parameter_names.size();
  auto table = [&](const std::string& name, auto&& get, std::string_view long_name, std::string_view zh) {
    std::vector<double> v(K * D * 3);
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t d = 0; d < D; ++d) {
        const Estimate e = get(k, d);
        v[(k * D + d) * 3 + 0] = e.value;
        v[(k * D + d) * 3 + 1] = e.low;
        v[(k * D + d) * 3 + 2] = e.high;
      }
    hdf5::variable(group, name, v.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {result, param, estimate}, "1", long_name, zh);
  };
  if (sobol) {
    hdf5::attribute(group, "method",
                    "Sobol indices: first order by Saltelli et al. (2010), total by Jansen (1999), percentile "
                    "bootstrap intervals over the base sample (docs/sweeps.md)");
    table("sobol_first", [&](std::size_t k, std::size_t d) { return (*sobol)[k].first[d]; },
          "first-order Sobol index: the share of the variance the parameter explains alone", "一阶Sobol指数");
    table("sobol_total", [&](std::size_t k, std::size_t d) { return (*sobol)[k].total[d]; },
          "total Sobol index: the share of the variance that involves the parameter", "总Sobol指数");
    std::vector<double> var, mean;
    for (const auto& s : *sobol) {
      var.push_back(s.variance);
      mean.push_back(s.mean);
    }
    hdf5::variable(group, "variance", var.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {result}, "see result_units squared",
                   "variance of the result over the design", "结果方差");
    hdf5::variable(group, "mean", mean.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {result}, "see result_units",
                   "mean of the result over the design", "结果均值");
  }
  if (morris) {
    hdf5::attribute(group, "method",
                    "Morris elementary effects in unit coordinates (docs/sweeps.md): mu* the mean absolute effect, "
                    "sigma their standard deviation; percentile bootstrap intervals over trajectories");
    table("morris_mu_star", [&](std::size_t k, std::size_t d) { return (*morris)[k].mu_star_ci[d]; },
          "Morris mu*: mean absolute elementary effect (result units per whole range)", "Morris mu*");
    std::vector<double> mu(K * D), sigma(K * D);
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t d = 0; d < D; ++d) {
        mu[k * D + d] = (*morris)[k].mu[d];
        sigma[k * D + d] = (*morris)[k].sigma[d];
      }
    hdf5::variable(group, "morris_mu", mu.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {result, param}, "see result_units",
                   "Morris mu: mean elementary effect (its sign: the direction)", "Morris mu");
    hdf5::variable(group, "morris_sigma", sigma.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {result, param},
                   "see result_units", "Morris sigma: spread of the elementary effects (interactions, non-linearity)",
                   "Morris sigma");
  }
  Handle meta(H5Gopen2(file_, "meta", H5P_DEFAULT), H5Gclose, "open meta");
  // Attributes already written are replaced in place.
  for (const char* name : {"complete", "wall_time_seconds", "ranks"})
    if (H5Aexists(meta, name) > 0) H5Adelete(meta, name);
  hdf5::attribute(meta, "wall_time_seconds", wall_seconds);
  hdf5::attribute(meta, "ranks", static_cast<std::int64_t>(ranks));
  hdf5::attribute(meta, "complete", std::int64_t{1});
  hdf5::check(H5Fflush(file_, H5F_SCOPE_GLOBAL), "flush the sweep file");
}

void SweepFile::close() {
  results_ = Handle();
  series_ = Handle();
  done_ = Handle();
  file_ = Handle();
}

}  // namespace tuopin
