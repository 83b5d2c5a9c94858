#include "hdf5_io.h"

#include <hdf5_hl.h>
#include <zlib.h>

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstring>
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
    chunk[0] = std::min<hsize_t>(shape[0], compressed_chunk_entries);
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

namespace {

// Whether values of `mem_type` are stored byte for byte as `file_type` (an integer of the same
// size, sign and byte order), so that chunks can be compressed without HDF5's conversion.
bool same_bytes(hid_t mem_type, hid_t file_type) {
  return H5Tget_class(mem_type) == H5T_INTEGER && H5Tget_class(file_type) == H5T_INTEGER &&
         H5Tget_size(mem_type) == H5Tget_size(file_type) && H5Tget_sign(mem_type) == H5Tget_sign(file_type) &&
         H5Tget_order(mem_type) == H5Tget_order(file_type);
}

// A one-dimensional chunked dataset whose only filter is deflate.
bool deflated_1d(hid_t ds, hsize_t& chunk_entries) {
  Handle dcpl(H5Dget_create_plist(ds), H5Pclose, "read dataset properties");
  if (H5Pget_layout(dcpl) != H5D_CHUNKED || H5Pget_nfilters(dcpl) != 1) return false;
  unsigned flags = 0, config = 0;
  std::size_t n_values = 0;
  if (H5Pget_filter2(dcpl, 0, &flags, &n_values, nullptr, 0, nullptr, &config) != H5Z_FILTER_DEFLATE) return false;
  hsize_t dims[2];
  if (H5Pget_chunk(dcpl, 2, dims) != 1) return false;
  chunk_entries = dims[0];
  return chunk_entries > 0;
}

}  // namespace

// The chunks are deflated in parallel (zlib's compress2 at level 1, what HDF5's deflate filter
// does with each chunk) and written as they are; the last chunk is padded with zeros, HDF5's
// fill value, to its full size. Any reader inflates them as usual.
void write_deflated(hid_t ds, const void* values, std::size_t count, std::size_t entry_bytes, hsize_t chunk_entries,
                    const std::string& name) {
  const std::size_t chunks = (count + chunk_entries - 1) / chunk_entries;
  const std::size_t chunk_bytes = static_cast<std::size_t>(chunk_entries) * entry_bytes;
  std::vector<std::vector<Bytef>> packed(chunks);
  std::vector<uLongf> sizes(chunks, 0);
  std::vector<int> status(chunks, Z_OK);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t k) {
    const auto* from = static_cast<const Bytef*>(values) + k * chunk_bytes;
    const std::size_t have = std::min(chunk_bytes, count * entry_bytes - k * chunk_bytes);
    std::vector<Bytef> padded;
    if (have < chunk_bytes) {
      padded.assign(chunk_bytes, 0);
      std::memcpy(padded.data(), from, have);
      from = padded.data();
    }
    packed[k].resize(compressBound(chunk_bytes));
    sizes[k] = static_cast<uLongf>(packed[k].size());
    status[k] = compress2(packed[k].data(), &sizes[k], from, chunk_bytes, 1);
  });
  for (std::size_t k = 0; k < chunks; ++k) {
    if (status[k] != Z_OK) throw std::runtime_error("zlib: cannot compress " + name);
    const hsize_t offset[1] = {static_cast<hsize_t>(k) * chunk_entries};
    check(H5Dwrite_chunk(ds, H5P_DEFAULT, 0, offset, sizes[k], packed[k].data()), "write " + name);
  }
}

bool read_deflated(hid_t ds, hid_t mem_type, void* out, std::size_t count, const std::string& name) {
  Handle file_type(H5Dget_type(ds), H5Tclose, "read the type of " + name);
  hsize_t chunk_entries = 0;
  if (count == 0 || !same_bytes(mem_type, file_type) || !deflated_1d(ds, chunk_entries)) return false;
  const std::size_t entry_bytes = H5Tget_size(file_type);
  const std::size_t chunk_bytes = static_cast<std::size_t>(chunk_entries) * entry_bytes;
  const std::size_t chunks = (count + chunk_entries - 1) / chunk_entries;
  std::vector<std::vector<unsigned char>> packed(chunks);
  for (std::size_t k = 0; k < chunks; ++k) {
    const hsize_t offset[1] = {static_cast<hsize_t>(k) * chunk_entries};
    hsize_t stored = 0;
    if (H5Dget_chunk_storage_size(ds, offset, &stored) < 0 || stored == 0) return false;  // not written: H5Dread fills
    packed[k].resize(stored);
    std::uint32_t filters = 0;
    check(H5Dread_chunk(ds, H5P_DEFAULT, offset, &filters, packed[k].data()), "read " + name);
    if (filters != 0) return false;  // the filter was skipped for this chunk: let HDF5 read it
  }
  std::vector<int> status(chunks, Z_OK);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t k) {
    auto* to = static_cast<Bytef*>(out) + k * chunk_bytes;
    const std::size_t want = std::min(chunk_bytes, count * entry_bytes - k * chunk_bytes);
    std::vector<Bytef> whole;
    if (want < chunk_bytes) {
      whole.resize(chunk_bytes);
      to = whole.data();
    }
    uLongf size = static_cast<uLongf>(chunk_bytes);
    status[k] = uncompress(to, &size, packed[k].data(), static_cast<uLong>(packed[k].size()));
    if (status[k] == Z_OK && size != chunk_bytes) status[k] = Z_DATA_ERROR;
    if (status[k] == Z_OK && !whole.empty()) std::memcpy(static_cast<Bytef*>(out) + k * chunk_bytes, whole.data(), want);
  });
  for (int st : status)
    if (st != Z_OK) throw std::runtime_error("HDF5: cannot read " + name + " (a chunk does not inflate)");
  return true;
}

void variable(hid_t where, const std::string& name, const void* values, hid_t mem_type, hid_t file_type,
              const std::vector<hid_t>& scales, std::string_view units, std::string_view long_name,
              std::string_view long_name_zh, bool compress) {
  std::vector<hsize_t> shape;
  for (hid_t s : scales) shape.push_back(shape_of(s).at(0));
  Handle ds = create(where, name, file_type, shape, compress);
  if (compress && shape.size() == 1 && shape[0] > 0 && same_bytes(mem_type, file_type))
    write_deflated(ds, values, static_cast<std::size_t>(shape[0]), H5Tget_size(file_type),
                   std::min<hsize_t>(shape[0], compressed_chunk_entries), name);
  else
    check(H5Dwrite(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), "write " + name);
  for (std::size_t k = 0; k < scales.size(); ++k)
    check(H5DSattach_scale(ds, scales[k], static_cast<unsigned>(k)), "attach scales to " + name);
  describe(ds, units, long_name, long_name_zh);
}

}  // namespace tuopin::hdf5
