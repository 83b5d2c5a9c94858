#include "hdf5_io.h"

#include <hdf5_hl.h>

#include <algorithm>
#include <stdexcept>

namespace tuopin::hdf5 {

Handle::Handle(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
  if (id < 0) throw std::runtime_error("HDF5: cannot " + what);
}

Handle& Handle::operator=(Handle&& o) noexcept {
  std::swap(id_, o.id_);
  std::swap(close_, o.close_);
  return *this;
}

Handle::~Handle() {
  if (id_ >= 0 && close_) close_(id_);
}

void check(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5: cannot " + what);
}

void silence_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

Handle open_file(const std::string& path) {
  silence_errors();
  return Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + path);
}

Handle create_group(hid_t where, const std::string& name) {
  return Handle(H5Gcreate2(where, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                "create group " + name);
}

bool exists(hid_t where, const std::string& path) {
  return H5Lexists(where, path.c_str(), H5P_DEFAULT) > 0;
}

Handle string_type() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose, "create a string type");
  check(H5Tset_size(t, H5T_VARIABLE), "size a string type");
  check(H5Tset_cset(t, H5T_CSET_UTF8), "set UTF-8");
  return t;
}

namespace {
void scalar_attribute(hid_t object, const std::string& name, hid_t type, const void* value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar space");
  Handle attr(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create attribute " + name);
  check(H5Awrite(attr, type, value), "write attribute " + name);
}
}  // namespace

void attribute(hid_t object, const std::string& name, const std::string& value) {
  Handle type = string_type();
  const char* p = value.c_str();
  scalar_attribute(object, name, type, &p);
}
void attribute(hid_t object, const std::string& name, std::int64_t value) {
  scalar_attribute(object, name, H5T_NATIVE_INT64, &value);
}
void attribute(hid_t object, const std::string& name, double value) {
  scalar_attribute(object, name, H5T_NATIVE_DOUBLE, &value);
}

std::string string_attribute(hid_t object, const std::string& name) {
  Handle attr(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  Handle type = string_type();
  char* p = nullptr;
  check(H5Aread(attr, type, &p), "read attribute " + name);
  std::string out = p ? p : "";
  H5free_memory(p);
  return out;
}

std::int64_t integer_attribute(hid_t object, const std::string& name) {
  Handle attr(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  std::int64_t v = 0;
  check(H5Aread(attr, H5T_NATIVE_INT64, &v), "read attribute " + name);
  return v;
}

void describe(hid_t ds, std::string_view units, std::string_view long_name, std::string_view long_name_zh) {
  attribute(ds, "units", std::string(units));
  attribute(ds, "long_name", std::string(long_name));
  attribute(ds, "long_name_zh", std::string(long_name_zh));
}

Handle create(hid_t where, const std::string& name, hid_t file_type, const std::vector<hsize_t>& shape, bool compress) {
  Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose,
               "create a data space");
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset properties");
  if (compress && !shape.empty() && shape[0] > 0) {
    std::vector<hsize_t> chunk = shape;
    chunk[0] = std::min<hsize_t>(shape[0], 1u << 20);
    check(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), "chunk " + name);
    check(H5Pset_deflate(dcpl, 1), "compress " + name);
  }
  return Handle(H5Dcreate2(where, name.c_str(), file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose,
                "create dataset " + name);
}

std::vector<hsize_t> shape_of(hid_t dataset) {
  Handle space(H5Dget_space(dataset), H5Sclose, "read a data space");
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return dims;
}

Handle integer_scale(hid_t where, const std::string& name, const std::vector<int>& values, std::string_view long_name,
                     std::string_view long_name_zh, std::string_view units) {
  Handle ds = create(where, name, H5T_STD_I32LE, {values.size()});
  check(H5Dwrite(ds, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
  check(H5DSset_scale(ds, name.c_str()), "make " + name + " a dimension scale");
  describe(ds, units, long_name, long_name_zh);
  return ds;
}

namespace {
Handle write_strings(hid_t where, const std::string& name, const std::vector<std::string>& values) {
  Handle type = string_type();
  Handle ds = create(where, name, type, {values.size()});
  std::vector<const char*> p;
  for (const auto& v : values) p.push_back(v.c_str());
  check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), "write " + name);
  return ds;
}
}  // namespace

Handle string_scale(hid_t where, const std::string& name, const std::vector<std::string>& values,
                    std::string_view long_name, std::string_view long_name_zh) {
  Handle ds = write_strings(where, name, values);
  check(H5DSset_scale(ds, name.c_str()), "make " + name + " a dimension scale");
  attribute(ds, "long_name", std::string(long_name));
  attribute(ds, "long_name_zh", std::string(long_name_zh));
  return ds;
}

void string_variable(hid_t where, const std::string& name, const std::vector<std::string>& values, hid_t scale,
                     std::string_view long_name, std::string_view long_name_zh) {
  Handle ds = write_strings(where, name, values);
  check(H5DSattach_scale(ds, scale, 0), "attach a scale to " + name);
  attribute(ds, "long_name", std::string(long_name));
  attribute(ds, "long_name_zh", std::string(long_name_zh));
}

void string_scalar(hid_t where, const std::string& name, const std::string& value, std::string_view long_name,
                   std::string_view long_name_zh) {
  Handle type = string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar space");
  Handle ds(H5Dcreate2(where, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
            "create dataset " + name);
  const char* p = value.c_str();
  check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "write " + name);
  attribute(ds, "long_name", std::string(long_name));
  attribute(ds, "long_name_zh", std::string(long_name_zh));
}

std::string read_string_scalar(hid_t where, const std::string& name) {
  Handle ds(H5Dopen2(where, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  Handle type = string_type();
  char* p = nullptr;
  check(H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "read " + name);
  std::string out = p ? p : "";
  H5free_memory(p);
  return out;
}

std::vector<std::string> read_strings(hid_t where, const std::string& name) {
  Handle ds(H5Dopen2(where, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  const auto shape = shape_of(ds);
  std::vector<char*> p(shape.empty() ? 1 : static_cast<std::size_t>(shape[0]), nullptr);
  Handle type = string_type();
  check(H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), "read " + name);
  std::vector<std::string> out;
  for (char* s : p) {
    out.emplace_back(s ? s : "");
    H5free_memory(s);
  }
  return out;
}

void variable(hid_t where, const std::string& name, const void* values, hid_t mem_type, hid_t file_type,
              const std::vector<hid_t>& scales, std::string_view units, std::string_view long_name,
              std::string_view long_name_zh, bool compress) {
  std::vector<hsize_t> shape;
  for (hid_t s : scales) shape.push_back(shape_of(s).at(0));
  Handle ds = create(where, name, file_type, shape, compress);
  check(H5Dwrite(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), "write " + name);
  for (std::size_t k = 0; k < scales.size(); ++k)
    check(H5DSattach_scale(ds, scales[k], static_cast<unsigned>(k)), "attach scales to " + name);
  describe(ds, units, long_name, long_name_zh);
}

}  // namespace tuopin::hdf5
