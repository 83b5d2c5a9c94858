#include "result_reader.h"

#include <hdf5_hl.h>

#include <fstream>

#include "hdf5_io.h"
#include "scenario.h"

namespace tuopin {

using hdf5::Handle;

namespace {

// An HDF5 file starts with this signature (at offset 0 for files written by this program).
bool looks_like_hdf5(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char head[8] = {0};
  in.read(head, 8);
  return in.gcount() == 8 && std::string(head, 8) == std::string("\x89HDF\r\n\x1a\n", 8);
}

std::string attribute_or(hid_t object, const std::string& name, const std::string& fallback) {
  if (H5Aexists(object, name.c_str()) <= 0) return fallback;
  return hdf5::string_attribute(object, name);
}

}  // namespace

Handle open_input_file(const std::filesystem::path& file, const std::string& expected) {
  const std::string f = file.string();
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (ec || !std::filesystem::exists(status)) throw InputError(f + ": no such file");
  if (std::filesystem::is_directory(status)) throw InputError(f + ": is a folder; expected " + expected);
  if (!std::filesystem::is_regular_file(status)) throw InputError(f + ": is not a regular file; expected " + expected);
  if (std::filesystem::file_size(file, ec) == 0) throw InputError(f + ": is empty; expected " + expected);
  if (!looks_like_hdf5(file)) throw InputError(f + ": not an HDF5 file; expected " + expected);
  hdf5::silence_errors();
  const hid_t id = H5Fopen(f.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw InputError(f + ": cannot be opened as HDF5 (truncated or corrupt?); expected " + expected);
  return Handle(id, H5Fclose, "open " + f);
}

std::vector<ScenarioInFile> scenarios_in(const std::filesystem::path& file) {
  const std::string f = file.string();
  Handle h = open_input_file(file, "a result file of 'tuopin run'");
  std::vector<ScenarioInFile> out;
  try {
    if (H5Aexists(h, "title") <= 0 || hdf5::string_attribute(h, "title") != "tuopin simulation of a poverty-exit plan")
      throw InputError(f + ": not a tuopin result file (no title 'tuopin simulation of a poverty-exit plan' at its "
                           "root); expected a result file of 'tuopin run'");
    auto read_one = [&](const std::string& group, const std::string& name) {
      ScenarioInFile s;
      s.file = file;
      s.group = group;
      s.name = name;
      const std::string meta = group + "/meta";
      if (!hdf5::exists(h, meta)) throw InputError(f + ": " + meta + " is missing; the file is incomplete");
      Handle m(H5Gopen2(h, meta.c_str(), H5P_DEFAULT), H5Gclose, "open " + meta);
      s.population_hash = attribute_or(m, "population_hash", "");
      s.seed = H5Aexists(m, "seed") > 0 ? hdf5::integer_attribute(m, "seed") : 0;
      s.description = scenario_description(hdf5::read_string_scalar(m, "scenario_resolved"));
      return s;
    };
    if (hdf5::exists(h, "scenarios")) {
      const auto names = hdf5::read_strings(h, "scenario");
      for (std::size_t k = 0; k < names.size(); ++k) {
        out.push_back(read_one("/scenarios/" + names[k], names[k]));
      }
    } else {
      Handle m(H5Gopen2(h, "meta", H5P_DEFAULT), H5Gclose, "open /meta");
      std::string name = std::filesystem::path(attribute_or(m, "scenario_name", f)).stem().string();
      ScenarioInFile s = read_one("", name);
      out.push_back(s);
    }
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw InputError(f + ": not a complete tuopin result file (" + e.what() + ")");
  }
  if (out.empty()) throw InputError(f + ": holds no scenario");
  return out;
}

std::vector<ScenarioInFile> scenarios_in(const std::vector<std::filesystem::path>& files) {
  std::vector<ScenarioInFile> all;
  for (const auto& f : files)
    for (auto& s : scenarios_in(f)) all.push_back(s);
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (all[i].name == all[j].name) {
        all[i].name = all[i].file.stem().string() + ":" + all[i].name;
        break;
      }
  return all;
}

Dataset read_scenario_dataset(const ScenarioInFile& s, const std::string& name) {
  try {
    return read_dataset(s.file, s.path(name));
  } catch (const std::exception&) {
    throw InputError(s.file.string() + ": scenario '" + s.name + "' has no dataset " + s.path(name) +
                     " (a file of an older tuopin, or truncated?)");
  }
}

std::size_t find_scenario(const std::vector<ScenarioInFile>& scenarios, const std::string& name) {
  std::vector<std::string> names;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    if (scenarios[k].name == name) return k;
    names.push_back(scenarios[k].name);
  }
  std::string list;
  for (std::size_t k = 0; k < names.size(); ++k) list += (k ? ", " : "") + names[k];
  const std::string hint = closest_match(name, names);
  throw InputError("no scenario '" + name + "' in the file(s); they hold: " + list +
                   (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
}

}  // namespace tuopin
