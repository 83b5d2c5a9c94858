#include "output_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "scenario.h"

namespace tuopin {

void check_output_path(const std::filesystem::path& path, bool force) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !force)
    throw InputError(path.string() + ": already exists; use --force to replace it, or -o to name another file");
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(dir, ec))
    throw InputError(path.string() + ": folder '" + dir.string() + "' does not exist");
}

std::filesystem::path temporary_path_for(const std::filesystem::path& path) {
  return path.parent_path() / ("." + path.filename().string() + ".tmp-" + std::to_string(static_cast<long>(getpid())));
}

void write_new_file(const std::filesystem::path& path, bool force,
                    const std::function<void(const std::filesystem::path&)>& write) {
  check_output_path(path, force);
  const auto tmp = temporary_path_for(path);
  try {
    write(tmp);
    if (force) {
      std::filesystem::rename(tmp, path);
    } else {
      // link() fails if the destination appeared meanwhile: never overwrite without --force.
      if (::link(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        if (err == EEXIST) throw InputError(path.string() + ": already exists; use --force to replace it");
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

}  // namespace tuopin
