// Writing output files: never half-written, signals remove the temporary file, stale temporary
// files of dead processes are cleared, and nonsense output paths are refused.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "output_file.h"
#include "scenario.h"

using namespace tuopin;

namespace {
std::filesystem::path scratch_dir() {
  const auto dir = std::filesystem::temp_directory_path() / ("tuopin_out_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}
}  // namespace

TEST_CASE("a signal while a file is written removes the temporary file (SIGINT, SIGTERM, SIGHUP)") {
  const auto dir = scratch_dir();
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    const auto path = dir / ("signalled-" + std::to_string(sig) + ".txt");
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      write_new_file(path, false, [&](const std::filesystem::path& tmp) {
        std::ofstream(tmp) << "half";
        std::raise(sig);
      });
      ::_exit(0);  // not reached: the signal ends the child
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == sig);
    CHECK_FALSE(std::filesystem::exists(path));
    CHECK_FALSE(std::filesystem::exists(temporary_path_for(path)));
  }
  // A temporary file of a process that no longer runs (killed with SIGKILL) is removed by the
  // next write of the same file; one of a live process (this one's parent) is left alone.
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  const auto path = dir / "stale.txt";
  const auto stale = dir / (".stale.txt.tmp-" + std::to_string(dead));
  const auto live = dir / (".stale.txt.tmp-" + std::to_string(::getppid()));
  std::ofstream(stale) << "left by a killed run";
  std::ofstream(live) << "being written by a running process";
  write_new_file(path, false, [](const std::filesystem::path& tmp) { std::ofstream(tmp) << "new"; });
  CHECK(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(stale));
  CHECK(std::filesystem::exists(live));
  std::filesystem::remove_all(dir);
}

TEST_CASE("output paths that cannot be a file are refused before any work") {
  const auto dir = scratch_dir();
  CHECK_THROWS_AS(check_output_path("", true), InputError);
  CHECK_THROWS_AS(check_output_path(dir, true), InputError);               // a folder, even with --force
  CHECK_THROWS_AS(check_output_path("/dev/null", true), InputError);      // a device
  CHECK_THROWS_AS(check_output_path(dir / "missing" / "x.h5", true), InputError);
  CHECK_NOTHROW(check_output_path(dir / "fine.h5", false));
  std::filesystem::remove_all(dir);
}
