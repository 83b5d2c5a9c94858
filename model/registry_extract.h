#pragma once
// Loading a real registry extract (建档立卡 data) from CSV: one row per household with the
// registry's columns (docs/population.md). Every bad row is reported (row, column, value and
// the expected values); nothing runs on a file with errors.
#include <filesystem>

#include "population_synthesis.h"
#include "scenario.h"

namespace tuopin {

// Throws InputError listing every problem found (up to a limit) if the file has any error.
// Counties are matched against the scenario's counties (pinyin or Chinese names); villages are
// numbered in order of first appearance.
Population load_registry_csv(const std::filesystem::path& path, const Scenario& scenario);

// Writes a population in the same CSV form (the template in scenarios/data/ is made with it).
void write_registry_csv(const std::filesystem::path& path, const Population& population,
                        const Scenario& scenario);

}  // namespace tuopin
