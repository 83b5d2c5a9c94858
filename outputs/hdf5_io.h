#pragma once
// Small helpers over the HDF5 C API shared by the result and population files: owned
// identifiers, string attributes, datasets with units and long names, dimension scales.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <hdf5.h>

namespace tuopin::hdf5 {

// Owns one HDF5 identifier.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t), const std::string& what);
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept;
  ~Handle();
  operator hid_t() const { return id_; }

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

void check(herr_t status, const std::string& what);
void silence_errors();  // errors become our exceptions, not HDF5's stack dumps on stderr

Handle open_file(const std::string& path);  // read-only
Handle create_group(hid_t where, const std::string& name);
bool exists(hid_t where, const std::string& path);

Handle string_type();
void attribute(hid_t object, const std::string& name, const std::string& value);
void attribute(hid_t object, const std::string& name, std::int64_t value);
void attribute(hid_t object, const std::string& name, double value);
std::string string_attribute(hid_t object, const std::string& name);
std::int64_t integer_attribute(hid_t object, const std::string& name);
void describe(hid_t ds, std::string_view units, std::string_view long_name, std::string_view long_name_zh);

// A dataset of `shape`, optionally chunked along its first dimension and deflated (level 1).
Handle create(hid_t where, const std::string& name, hid_t file_type, const std::vector<hsize_t>& shape,
              bool compress = false);
std::vector<hsize_t> shape_of(hid_t dataset);

// A 1-D dimension scale with integer or string coordinates.
Handle integer_scale(hid_t where, const std::string& name, const std::vector<int>& values, std::string_view long_name,
                     std::string_view long_name_zh, std::string_view units);
Handle string_scale(hid_t where, const std::string& name, const std::vector<std::string>& values,
                    std::string_view long_name, std::string_view long_name_zh);
void string_variable(hid_t where, const std::string& name, const std::vector<std::string>& values, hid_t scale,
                     std::string_view long_name, std::string_view long_name_zh);
void string_scalar(hid_t where, const std::string& name, const std::string& value, std::string_view long_name,
                   std::string_view long_name_zh);
std::string read_string_scalar(hid_t where, const std::string& name);
std::vector<std::string> read_strings(hid_t where, const std::string& name);

// Writes `values` (memory type `mem_type`) as a variable along `scales`, with its description.
void variable(hid_t where, const std::string& name, const void* values, hid_t mem_type, hid_t file_type,
              const std::vector<hid_t>& scales, std::string_view units, std::string_view long_name,
              std::string_view long_name_zh, bool compress = false);

// Entries per chunk of a compressed variable along its (first) dimension: small enough that a
// county-sized population's columns split into a few chunks, which are deflated and inflated
// in parallel.
inline constexpr hsize_t compressed_chunk_entries = 1u << 18;

// A one-dimensional deflated dataset of `count` entries stored byte for byte as `mem_type`:
// its chunks read raw and inflated in parallel into `out`. Returns false, having read nothing
// into `out`, for any other dataset (the caller reads it with H5Dread).
bool read_deflated(hid_t ds, hid_t mem_type, void* out, std::size_t count, const std::string& name);

// Reads a whole dataset converted to memory type `mem_type` into `out` (resized).
template <typename T>
void read(hid_t where, const std::string& name, hid_t mem_type, std::vector<T>& out) {
  Handle ds(H5Dopen2(where, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  std::size_t n = 1;
  for (hsize_t d : shape_of(ds)) n *= static_cast<std::size_t>(d);
  out.resize(n);
  if (shape_of(ds).size() == 1 && read_deflated(ds, mem_type, out.data(), n, name)) return;
  check(H5Dread(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read " + name);
}

}  // namespace tuopin::hdf5
