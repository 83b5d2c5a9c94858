// libFuzzer target: the scenario loader (TOML parsing, inheritance, validation against the
// parameter dictionary, cross-key rules) on arbitrary text. An input error is the expected
// answer to nonsense; anything else (another exception, a crash, a sanitizer report, a hang)
// is a bug. The text may inherit the embedded baseline or the files of FUZZ_SCENARIO_DIR.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)tuopin::load_scenario_text(text, "fuzz.toml", TUOPIN_FUZZ_SCENARIO_DIR);
  } catch (const tuopin::InputError&) {
  }
  return 0;
}
