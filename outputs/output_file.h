#pragma once
// Writing an output file safely: to a temporary file in the destination folder, moved into
// place only when complete, never over an existing file without `force`.
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

namespace tuopin {

// A failure of the machine, not of the input or the program (the disk full): a plain message,
// exit code 1.
class EnvironmentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws InputError if `path` exists and !force, or its folder does not exist.
void check_output_path(const std::filesystem::path& path, bool force);

// The temporary file `write_new_file` writes before moving it to `path`: ".NAME.tmp-PID".
std::filesystem::path temporary_path_for(const std::filesystem::path& path);

// After a failed write of `path` (errno `err`): an EnvironmentError saying the disk is full, if
// it is (ENOSPC, or less than 1 MiB left), ending with `consequence`; otherwise nothing.
void throw_if_disk_full(const std::filesystem::path& path, int err, const std::string& consequence);

// Calls write(temporary path), then moves the file to `path` (link-and-unlink without
// `force`, so a file that appeared meanwhile is not replaced). On any error the temporary
// file is removed and the error rethrown; when the folder's disk is (nearly) full, as an
// EnvironmentError naming the folder.
void write_new_file(const std::filesystem::path& path, bool force,
                    const std::function<void(const std::filesystem::path&)>& write);

}  // namespace tuopin
