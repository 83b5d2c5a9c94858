// libFuzzer target: the registry extract loader (docs/population.md) on arbitrary bytes,
// against the embedded baseline scenario. An input error is the expected answer; anything else
// is a bug. The file is loaded twice, in one chunk and in chunks of a few bytes (the loader
// streams the file), and both must give the same population or the same message.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "registry_extract.h"
#include "scenario.h"

namespace {

struct Outcome {
  tuopin::Population population;
  std::string error;  // the InputError's message; empty if the file loaded
};

Outcome load(const std::filesystem::path& path, const tuopin::Scenario& scenario, std::size_t chunk_bytes) {
  Outcome out;
  try {
    out.population = tuopin::load_registry_csv(path, scenario, tuopin::RegistryReadOptions{chunk_bytes});
  } catch (const tuopin::InputError& e) {
    out.error = e.what();
  }
  return out;
}

bool same(const tuopin::Population& a, const tuopin::Population& b) {
  const tuopin::Households& x = a.households;
  const tuopin::Households& y = b.households;
  const tuopin::Villages& v = a.villages;
  const tuopin::Villages& w = b.villages;
  return x.county == y.county && x.village == y.village && x.size == y.size && x.members == y.members &&
         x.labour == y.labour && x.flags == y.flags && x.cause_main == y.cause_main &&
         x.cause_secondary == y.cause_secondary && x.land == y.land && x.base_income == y.base_income &&
         x.status0 == y.status0 && x.housing0 == y.housing0 && x.entry_year == y.entry_year &&
         v.county == w.county && v.poor == w.poor && v.remoteness == w.remoteness && v.road == w.road &&
         v.water == w.water && v.collective_income == w.collective_income;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const tuopin::LoadedScenario loaded = tuopin::load_default_scenario();
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("tuopin-fuzz-" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  const Outcome whole = load(path, loaded.scenario, tuopin::RegistryReadOptions{}.chunk_bytes);
  const Outcome chunked = load(path, loaded.scenario, 1 + size % 7);
  if (whole.error != chunked.error || !same(whole.population, chunked.population)) std::abort();
  return 0;
}
