#pragma once
// The list of measures. Adding a measure adds its file under model/measures/ and one line in
// registry.cpp; its position in the list is its index on the output's `measure` dimension.
#include <memory>
#include <span>
#include <string_view>

#include "measure.h"

namespace tuopin {

struct MeasureEntry {
  std::string_view name;      // the [measures.<name>] section and the output label
  std::string_view name_zh;
  std::span<const ParameterSpec> (*specs)();
  // Reads the measure's section (validated already against its specs) into a measure object.
  std::shared_ptr<Measure> (*make)(ParameterReader&, const Scenario&, int index);
};

std::span<const MeasureEntry> measure_registry();

}  // namespace tuopin
