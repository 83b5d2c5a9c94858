#pragma once
// Loading a real registry extract (建档立卡 data) from CSV: one row per household with the
// registry's columns (docs/population.md). Every bad row is reported (row, column, value and
// the expected values); nothing runs on a file with errors.
#include <cstddef>
#include <filesystem>

#include "population_synthesis.h"
#include "scenario.h"

namespace tuopin {

// Throws InputError listing every problem found (up to a limit) if the file has any error.
// Counties are matched against the scenario's counties (pinyin or Chinese names); villages are
// numbered in order of first appearance.
Population load_registry_csv(const std::filesystem::path& path, const Scenario& scenario);

// How the file is read: in chunks of this many bytes, one after another (any file, pipe or
// FIFO), so that loading holds the population's columns, the ids for the duplicate check and
// one chunk, never the whole text. The result does not depend on the chunk size (the tests
// read files a byte at a time).
struct RegistryReadOptions {
  std::size_t chunk_bytes = std::size_t{8} << 20;
};
Population load_registry_csv(const std::filesystem::path& path, const Scenario& scenario,
                             const RegistryReadOptions& options);

// Writes a population in the same CSV form (the template in scenarios/data/ is made with it).
void write_registry_csv(const std::filesystem::path& path, const Population& population,
                        const Scenario& scenario);

}  // namespace tuopin
