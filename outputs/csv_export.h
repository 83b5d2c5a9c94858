#pragma once
// Result files as tidy CSV tables for spreadsheets (tuopin export --csv DIR): one row per
// scenario, replicate, year, county, measure... as fits each table, UTF-8 with a byte-order mark
// (so Excel and WPS read the Chinese names), RFC 4180 quoting, CRLF line ends, a dot as the
// decimal separator, and a README.txt that lists every file and column. The tables and their
// columns are defined once (csv_tables()); the writer writes the headers and the README from that
// definition, so the README cannot drift from the files.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "result_reader.h"

namespace tuopin {

struct CsvColumn {
  std::string name;
  std::string units;  // "" for text
  std::string meaning;
  std::string meaning_zh;
};

struct CsvTableInfo {
  std::string file;      // e.g. "registry.csv"
  std::string title;     // one line, English
  std::string title_zh;  // one line, Chinese
  std::string rows;      // what one row is, and which rows are left out
  std::vector<CsvColumn> columns;
};

// Every table tuopin export writes, in the order written. The columns of registry.csv and
// measure_results.csv come from the metric tables of the model (model/metrics.h and the
// measures' own metrics).
const std::vector<CsvTableInfo>& csv_tables();

// The text of README.txt (without the byte-order mark), generated from csv_tables().
std::string csv_readme();

// One CSV field, quoted as RFC 4180 requires (a field with a comma, a double quote, CR or LF is
// put in double quotes, its quotes doubled).
std::string csv_field(std::string_view text);
// Money: yuan with exactly two decimals (the value rounded to the fen); "" for NaN.
std::string csv_yuan(double yuan);
// A real number (a share, a mean): at most 10 decimals, trailing zeros dropped; "" for NaN.
std::string csv_real(double value);

inline constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

struct CsvExportOptions {
  bool force = false;         // replace files that exist in the folder
  std::size_t baseline = 0;   // the scenario compare.csv takes differences against
};

struct CsvExportResult {
  struct File {
    std::string name;
    std::size_t rows = 0;  // data rows, without the header
  };
  std::vector<File> files;            // every file written, README.txt last
  std::vector<std::string> warnings;  // e.g. a table longer than a spreadsheet can hold
};

// Reads every table of `scenarios` (all of it before anything is written: a file that lacks a
// dataset writes nothing), creates `dir` if missing and writes each file through write_new_file.
// Throws InputError when a file is not a complete result, or when a file of the set exists in
// `dir` and !options.force (naming the files; nothing is written then).
CsvExportResult export_csv(const std::vector<ScenarioInFile>& scenarios, const std::filesystem::path& dir,
                           const CsvExportOptions& options = {});

}  // namespace tuopin
