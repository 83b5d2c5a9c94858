#pragma once
// Typed access to a resolved scenario, for the code that turns keys into model structs (the
// engine's sections in scenario.cpp, [funding], [targeting] and every measure's
// [measures.<name>] section). Every lookup is recorded, so a test can check that every key of
// the dictionary reaches the model; `fail` reports a problem at the key's file:line:column.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tuopin {

class ParameterReader {
 public:
  virtual ~ParameterReader() = default;
  virtual double real(std::string_view section, std::string_view key) = 0;
  virtual std::int64_t integer(std::string_view section, std::string_view key) = 0;
  virtual bool boolean(std::string_view section, std::string_view key) = 0;
  virtual std::string string(std::string_view section, std::string_view key) = 0;
  virtual std::vector<double> reals(std::string_view section, std::string_view key) = 0;
  virtual std::vector<std::int64_t> integers(std::string_view section, std::string_view key) = 0;
  virtual std::vector<std::string> strings(std::string_view section, std::string_view key) = 0;
  // Throws InputError at the position of section.key's value: "file:line:col: message".
  [[noreturn]] virtual void fail(std::string_view section, std::string_view key,
                                 const std::string& message) = 0;
  // Like fail, with "; did you mean 'X'?" when one of `candidates` is close to `word`.
  [[noreturn]] void fail_choice(std::string_view section, std::string_view key, const std::string& word,
                                const std::vector<std::string>& candidates, const std::string& expected);
  // Index of `word` in `choices`, or fail_choice.
  int choice(std::string_view section, std::string_view key, const std::vector<std::string>& choices);
};

}  // namespace tuopin
