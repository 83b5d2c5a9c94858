#include "output_file.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "scenario.h"

namespace tuopin {

namespace {

// The temporary file being written, removed if a signal ends the process (async-signal-safe).
char writing[4096] = {0};

extern "C" void remove_temporary_and_die(int sig) {
  if (writing[0]) ::unlink(writing);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

struct SignalGuard {
  explicit SignalGuard(const std::filesystem::path& tmp) {
    std::strncpy(writing, tmp.c_str(), sizeof writing - 1);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, remove_temporary_and_die);
  }
  ~SignalGuard() { writing[0] = 0; }
};

// Temporary files `.NAME.tmp-PID` of `path` left by processes that no longer run (killed with
// SIGKILL, or a crash): removed before a new write of the same file.
void remove_stale_temporaries(const std::filesystem::path& path) {
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const std::string prefix = "." + path.filename().string() + ".tmp-";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid_text = name.substr(prefix.size());
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::strtol(pid_text.c_str(), nullptr, 10);
    if (pid <= 0 || pid == static_cast<long>(::getpid())) continue;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      std::error_code rm;
      std::filesystem::remove(entry.path(), rm);
    }
  }
}

}  // namespace

void check_output_path(const std::filesystem::path& path, bool force) {
  std::error_code ec;
  if (path.empty()) throw InputError("the output path is empty; expected -o FILE");
  const auto status = std::filesystem::symlink_status(path, ec);
  if (std::filesystem::is_directory(status))
    throw InputError(path.string() + ": is a folder; expected a file name (e.g. " + (path / "result.h5").string() + ")");
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status) &&
      !std::filesystem::is_symlink(status))
    throw InputError(path.string() + ": is not a regular file (a device, pipe or socket); expected a file name");
  if (std::filesystem::exists(path, ec) && !force)
    throw InputError(path.string() + ": already exists; use --force to replace it, or -o to name another file");
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(dir, ec))
    throw InputError(path.string() + ": folder '" + dir.string() + "' does not exist");
  if (::access(dir.c_str(), W_OK) != 0)
    throw InputError(path.string() + ": folder '" + dir.string() + "' is not writable");
}

std::filesystem::path temporary_path_for(const std::filesystem::path& path) {
  return path.parent_path() / ("." + path.filename().string() + ".tmp-" + std::to_string(static_cast<long>(getpid())));
}

void throw_if_disk_full(const std::filesystem::path& path, int err, const std::string& consequence) {
  std::error_code ec;
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const auto space = std::filesystem::space(dir, ec);
  if (err == ENOSPC || (!ec && space.available < (1u << 20)))
    throw EnvironmentError("cannot write " + path.string() + ": no space left on the disk of '" + dir.string() +
                           "' (" + std::to_string(ec ? 0 : space.available / 1024) + " KiB free); " + consequence);
}

void write_new_file(const std::filesystem::path& path, bool force,
                    const std::function<void(const std::filesystem::path&)>& write) {
  check_output_path(path, force);
  remove_stale_temporaries(path);
  const auto tmp = temporary_path_for(path);
  const SignalGuard guard(tmp);
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
  } catch (const std::exception& e) {
    const int err = errno;
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw_if_disk_full(path, err, "nothing was written");
    throw;
  }
}

}  // namespace tuopin
