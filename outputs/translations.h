#pragma once
// Every label, title and caption of the brief (tuopin report) in Chinese and English: one table,
// key -> {zh, en}. The measures' Chinese names come from the measure registry
// (model/measures/registry.h), the sources of funds' from fund_source_names_zh (model/funding.h);
// their English names are written here. A test checks that every key has both languages.
#include <string>
#include <string_view>
#include <vector>

namespace tuopin {

enum class Language { zh, en };

// "zh" or "en"; InputError for anything else.
Language parse_language(const std::string& text);
const char* language_code(Language lang);  // "zh" or "en"

struct Translation {
  std::string key, zh, en;
};

// The whole table, in a fixed order. Keys are unique. Measure labels are "measure.<name>" for
// every measure of the registry, sources "source.<name>" for every source of funds, county exit
// criteria "criterion.<name>".
const std::vector<Translation>& translation_table();

bool has_translation(std::string_view key);

// The text of `key` in `lang`. A key missing from the table is a bug: std::logic_error.
const std::string& tr(std::string_view key, Language lang);

// tr with "{0}", "{1}", ... replaced by `args`, inserted as they are (escape them first for HTML).
std::string tr_format(std::string_view key, Language lang, const std::vector<std::string>& args);

}  // namespace tuopin
