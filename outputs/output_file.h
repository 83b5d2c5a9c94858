#pragma once
// Writing an output file safely: to a temporary file in the destination folder, moved into
// place only when complete, never over an existing file without `force`.
#include <filesystem>
#include <functional>
#include <string>

namespace tuopin {

// Throws InputError if `path` exists and !force, or its folder does not exist.
void check_output_path(const std::filesystem::path& path, bool force);

// The temporary file `write_new_file` writes before moving it to `path`: ".NAME.tmp-PID".
std::filesystem::path temporary_path_for(const std::filesystem::path& path);

// Calls write(temporary path), then moves the file to `path` (link-and-unlink without
// `force`, so a file that appeared meanwhile is not replaced). On any error the temporary
// file is removed and the error rethrown.
void write_new_file(const std::filesystem::path& path, bool force,
                    const std::function<void(const std::filesystem::path&)>& write);

}  // namespace tuopin
