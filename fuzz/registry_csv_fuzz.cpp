// libFuzzer target: the registry extract loader (docs/population.md) on arbitrary bytes,
// against the embedded baseline scenario. An input error is the expected answer; anything else
// is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "registry_extract.h"
#include "scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const tuopin::LoadedScenario loaded = tuopin::load_default_scenario();
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("tuopin-fuzz-" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    (void)tuopin::load_registry_csv(path, loaded.scenario);
  } catch (const tuopin::InputError&) {
  }
  return 0;
}
