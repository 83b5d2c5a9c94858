#include "registry_extract.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tuopin {

namespace {

// The columns, in the order write_registry_csv writes them. A file may order them as it likes.
enum class Col : int {
  household_id, county, village, poor_village, remoteness, road, water, collective_income,
  size, age_0_5, age_6_15, age_16_59, age_60_plus, labour, disability, chronic_illness,
  cause_main, cause_secondary, land, housing, income_wage, income_operating, income_transfer,
  income_property, status, dibao, wubao, entry_year
};
constexpr int column_count = static_cast<int>(Col::entry_year) + 1;
constexpr std::array<std::string_view, column_count> column_names = {
    "household_id", "county", "village", "poor_village", "remoteness", "road", "water",
    "collective_income", "size", "age_0_5", "age_6_15", "age_16_59", "age_60_plus", "labour",
    "disability", "chronic_illness", "cause_main", "cause_secondary", "land", "housing",
    "income_wage", "income_operating", "income_transfer", "income_property", "status", "dibao",
    "wubao", "entry_year"};
constexpr std::array<Col, age_band_count> age_columns = {Col::age_0_5, Col::age_6_15,
                                                         Col::age_16_59, Col::age_60_plus};
constexpr std::array<Col, income_source_count> income_columns = {
    Col::income_wage, Col::income_operating, Col::income_transfer, Col::income_property};
// The five village columns repeated on every household row.
constexpr std::array<Col, 5> village_columns = {Col::poor_village, Col::remoteness, Col::road,
                                                Col::water, Col::collective_income};

// Villages.remoteness is stored as 0, 1, 2; the file spells the categories out.
constexpr std::array<std::string_view, 3> remoteness_names = {"near", "remote", "very_remote"};

constexpr int max_household_size = 20;   // Households.size is a byte; larger is a data error
constexpr int first_entry_year = 2000;   // the registry began in 2014; earlier is a typo
constexpr int last_entry_year = 2100;
constexpr std::size_t max_listed_problems = 50;

std::string_view name_of(Col c) { return column_names[static_cast<std::size_t>(c)]; }

template <std::size_t N>
std::string join(const std::array<std::string_view, N>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

// Every problem found in the file, formatted "FILE:ROW: message". Reading goes on after a
// problem, so that one run shows the user all of them; only the first few are kept in full.
class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}

  void add(int row, const std::string& message) {
    ++total_;
    if (listed_.size() < max_listed_problems)
      listed_.push_back(file_ + ":" + std::to_string(row) + ": " + message);
  }
  void add_value(int row, Col c, std::string_view value, const std::string& expected) {
    add(row, "column '" + std::string(name_of(c)) + "': got '" + std::string(value) +
                 "'; expected " + expected);
  }
  std::size_t count() const { return total_; }

  void throw_if_any() const {
    if (total_ == 0) return;
    std::string message;
    for (const auto& line : listed_) message += (message.empty() ? "" : "\n") + line;
    if (total_ > listed_.size())
      message += "\n... and " + std::to_string(total_ - listed_.size()) + " more errors (" +
                 std::to_string(total_) + " in all)";
    throw InputError(message);
  }

 private:
  std::string file_;
  std::vector<std::string> listed_;
  std::size_t total_ = 0;
};

// The registry extract read in chunks of a fixed size, so that memory holds one chunk and not
// the whole text (at national scale, 30 million rows, the text is about 4.7 GB). Works on files,
// pipes and FIFOs alike: nothing seeks. A byte-order mark at the start is dropped, and each chunk
// is checked to be UTF-8 as it arrives (a sequence may continue into the next chunk).
class RegistryText {
 public:
  RegistryText(const std::filesystem::path& path, std::size_t chunk_bytes)
      : in_(path, std::ios::binary), chunk_(std::max<std::size_t>(chunk_bytes, 1)) {
    if (!in_) throw InputError(path.string() + ": cannot open the registry extract (" +
                               std::strerror(errno) + ")");
    // Excel's "CSV UTF-8" starts with a byte-order mark; it is not part of the first column
    // name. The first three bytes are read on their own so that any chunk size can drop it.
    in_.read(start_.data(), static_cast<std::streamsize>(start_.size()));
    const auto got = static_cast<std::size_t>(in_.gcount());
    if (got == start_.size() && std::string_view(start_.data(), got) == "\xEF\xBB\xBF") {
      pos_ = end_ = start_.data();
    } else {
      pos_ = start_.data();
      end_ = pos_ + got;
      check_utf8(pos_, end_);
    }
    if (got < start_.size()) ended_ = true;
    if (ended_) end_utf8();
  }

  // Whether a byte is left to read (reads the next chunk when this one is used up).
  bool more() { return pos_ < end_ || read_chunk(); }
  // The next byte, without taking it; -1 at the end.
  int peek() { return more() ? static_cast<unsigned char>(*pos_) : -1; }

  // The bytes of the current chunk not yet taken: [pos, end). Take them by moving pos.
  const char* pos() const { return pos_; }
  const char* end() const { return end_; }
  void take_to(const char* p) { pos_ = p; }
  char take() { return *pos_++; }

  // The line of the first byte read so far that is not UTF-8 (0: none).
  int invalid_utf8_line() const { return invalid_utf8_line_; }

  // Reads the rest of the file (checking it), for the UTF-8 check before any other error is
  // reported; returns the line of its first byte that is not UTF-8, or 0 if it is all UTF-8.
  int read_rest_for_utf8() {
    while (invalid_utf8_line_ == 0 && !ended_) {
      pos_ = end_;
      read_chunk();
    }
    return invalid_utf8_line_;
  }

 private:
  bool read_chunk() {
    if (ended_) return false;
    // Not zeroed: only the bytes read are touched (a small file costs no 8 MiB of memory).
    if (!buffer_) buffer_ = std::make_unique_for_overwrite<char[]>(chunk_);
    in_.read(buffer_.get(), static_cast<std::streamsize>(chunk_));
    const auto got = static_cast<std::size_t>(in_.gcount());
    if (got < chunk_) ended_ = true;
    pos_ = buffer_.get();
    end_ = pos_ + got;
    check_utf8(pos_, end_);
    if (ended_) end_utf8();
    return got > 0;
  }

  // Registry extracts saved from Excel on a Chinese Windows are often GB18030; their county
  // names would otherwise be reported as unknown counties on every row. The line reported is
  // that of the sequence's first byte (the bytes after it up to the bad one are no line ends).
  void check_utf8(const char* p, const char* e) {
    if (invalid_utf8_line_ != 0) return;
    const char* const chunk_start = p;
    auto invalid_at = [&](const char* at) {
      invalid_utf8_line_ = 1 + static_cast<int>(lines_before_chunk_ + static_cast<std::size_t>(
                                                    std::count(chunk_start, at, '\n')));
    };
    while (p < e) {
      if (utf8_continuations_ == 0) {
        // Eight ASCII bytes at a time.
        std::uint64_t word;
        while (e - p >= 8 && (std::memcpy(&word, p, 8), (word & 0x8080808080808080u) == 0)) p += 8;
        if (p == e) break;
        const auto b = static_cast<unsigned char>(*p);
        const int n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
        if (n == 0) return invalid_at(p);
        utf8_continuations_ = n - 1;
      } else {
        if ((static_cast<unsigned char>(*p) >> 6) != 0x2) return invalid_at(p);
        --utf8_continuations_;
      }
      ++p;
    }
    lines_before_chunk_ += static_cast<std::size_t>(std::count(chunk_start, e, '\n'));
  }
  // At the end of the file: a sequence cut short there.
  void end_utf8() {
    if (invalid_utf8_line_ == 0 && utf8_continuations_ > 0)
      invalid_utf8_line_ = 1 + static_cast<int>(lines_before_chunk_);
  }

  std::ifstream in_;
  std::size_t chunk_;
  std::array<char, 3> start_{};  // the first bytes, read on their own (for the byte-order mark)
  std::unique_ptr<char[]> buffer_;  // one chunk
  const char* pos_ = nullptr;
  const char* end_ = nullptr;
  bool ended_ = false;  // the last read came short: the end of the file
  int utf8_continuations_ = 0;  // continuation bytes still due in the current sequence
  std::size_t lines_before_chunk_ = 0;
  int invalid_utf8_line_ = 0;
};

// One record of an RFC 4180 file: fields separated by commas, a field in double quotes may hold
// commas, newlines and doubled quotes. `line` is the line the record starts on. The values lie
// one after another in one string, which keeps its capacity from record to record.
struct CsvRecord {
  int line = 0;
  std::string values;
  std::vector<std::size_t> value_ends;  // where each field's value ends in `values`
  std::string error;  // a syntax error; the rest of that line was skipped

  std::size_t field_count() const { return value_ends.size(); }
  std::string_view field(std::size_t i) const {
    const std::size_t start = i == 0 ? 0 : value_ends[i - 1];
    return std::string_view(values).substr(start, value_ends[i] - start);
  }
  bool empty() const { return value_ends.size() == 1 && value_ends[0] == 0; }
  void end_field() { value_ends.push_back(values.size()); }
};

class CsvReader {
 public:
  explicit CsvReader(RegistryText& text) : text_(text) {}

  // Reads the next record; false at the end of the input. Line ends may be LF or CRLF. A record
  // may continue over any number of chunks of the text.
  bool next(CsvRecord& r) {
    if (!text_.more()) return false;
    r.line = line_;
    r.values.clear();
    r.value_ends.clear();
    r.error.clear();
    enum class State { start, unquoted, quoted, after_quote } state = State::start;
    int quote_line = 0;
    while (text_.more()) {
      if (state == State::quoted) {
        // Everything up to the next quote or line end is the field's.
        const char* p = text_.pos();
        while (p < text_.end() && *p != '"' && *p != '\n') ++p;
        r.values.append(text_.pos(), p);
        text_.take_to(p);
        if (p == text_.end()) continue;
        const char c = text_.take();
        if (c == '\n') {
          ++line_;
          r.values += c;
        } else if (text_.peek() == '"') {
          r.values += '"';
          text_.take();
        } else {
          state = State::after_quote;
        }
        continue;
      }
      if (state != State::after_quote) {
        // A run of plain bytes.
        const char* p = text_.pos();
        while (p < text_.end() && *p != ',' && *p != '"' && *p != '\n' && *p != '\r') ++p;
        if (p != text_.pos()) {
          r.values.append(text_.pos(), p);
          text_.take_to(p);
          state = State::unquoted;
        }
        if (p == text_.end()) continue;
      }
      const char c = text_.take();
      if (c == '\r' && text_.peek() == '\n') continue;
      if (c == '\n') {
        ++line_;
        r.end_field();
        return true;
      }
      if (c == ',') {
        r.end_field();
        state = State::start;
      } else if (state == State::after_quote) {
        return fail(r, "a quoted field must end at its closing '\"' (put the whole field in "
                       "quotes and double any '\"' inside it)");
      } else if (c == '"') {
        if (state != State::start)
          return fail(r, "a '\"' inside an unquoted field (put the whole field in quotes and "
                         "double any '\"' inside it)");
        state = State::quoted;
        quote_line = line_;
      } else {  // a '\r' not followed by '\n'
        r.values += c;
        state = State::unquoted;
      }
    }
    if (state == State::quoted) {
      r.error = "the quoted field opened on line " + std::to_string(quote_line) +
                " is never closed";
      return true;
    }
    r.end_field();
    return true;
  }

 private:
  // Records a syntax error and skips to the next line, where reading resumes.
  bool fail(CsvRecord& r, std::string message) {
    r.error = std::move(message);
    while (text_.more()) {
      const char* p = text_.pos();
      const auto* line_end = static_cast<const char*>(
          std::memchr(p, '\n', static_cast<std::size_t>(text_.end() - p)));
      if (line_end) {
        text_.take_to(line_end + 1);
        ++line_;
        break;
      }
      text_.take_to(text_.end());
    }
    return true;
  }

  RegistryText& text_;
  int line_ = 1;
};

// The household ids read so far, each with the row it was first seen on, for the check that
// ids are unique. A std::unordered_map<std::string, int> costs about 80 bytes a household (a
// node, a string and a bucket): 2.4 GB at 30 million rows. Here the ids lie one after another in
// blocks of 64 MiB (each entry: its row, its length, its bytes) and an open-addressing table,
// 3/8 to 3/4 full, holds one 8-byte slot per id (part of the id's hash and where the entry
// lies): 8 + the id's length + 11 to 21 bytes a household, and no allocation per id.
class HouseholdIds {
 public:
  // The row `id` was first seen on; or, if it was not seen before, nothing (it is then recorded
  // as seen on `row`).
  std::optional<int> find_or_add(std::string_view id, int row) {
    if ((count_ + 1) * 4 > slots_.size() * 3) grow();
    const std::uint64_t hash = std::hash<std::string_view>()(id);
    const std::uint64_t tag = tag_of(hash);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const std::uint64_t slot = slots_[i];
      if (slot == 0) {
        slots_[i] = tag | add(id, row);
        ++count_;
        return std::nullopt;
      }
      if ((slot & tag_mask) == tag && id_at(slot) == id) return row_at(slot);
    }
  }

 private:
  // A slot: the top bits of the id's hash (the highest bit always set, so that no slot in use
  // is 0), the block and the offset in it of the entry.
  static constexpr int offset_bits = 26;
  static constexpr int block_bits = 16;
  static constexpr int tag_shift = offset_bits + block_bits;
  static constexpr std::size_t block_bytes = std::size_t{1} << offset_bits;
  static constexpr std::uint64_t tag_mask = ~std::uint64_t{0} << tag_shift;
  static constexpr std::size_t entry_header = sizeof(std::int32_t) + sizeof(std::uint32_t);

  static std::uint64_t tag_of(std::uint64_t hash) { return (hash & tag_mask) | (std::uint64_t{1} << 63); }

  const char* entry_at(std::uint64_t slot) const {
    const std::size_t block = (slot >> offset_bits) & ((std::size_t{1} << block_bits) - 1);
    return blocks_[block].get() + (slot & (block_bytes - 1));
  }
  int row_at(std::uint64_t slot) const {
    std::int32_t row;
    std::memcpy(&row, entry_at(slot), sizeof row);
    return row;
  }
  std::string_view id_at(std::uint64_t slot) const {
    const char* entry = entry_at(slot);
    std::uint32_t length;
    std::memcpy(&length, entry + sizeof(std::int32_t), sizeof length);
    return {entry + entry_header, length};
  }

  // Stores the entry; returns the slot's block and offset bits.
  std::uint64_t add(std::string_view id, int row) {
    if (id.size() > std::numeric_limits<std::uint32_t>::max())
      throw std::length_error("a household id longer than 4 GiB");
    const std::size_t bytes = entry_header + id.size();
    if (blocks_.empty() || block_used_ + bytes > block_size_) {
      // A new block, 64 kB for the first and doubling up to block_bytes (a small file needs
      // little); an id longer than a block gets one of its own.
      if (blocks_.size() == (std::size_t{1} << block_bits))
        throw std::length_error("too many household ids");
      const std::size_t next = blocks_.size() < 10 ? (std::size_t{1} << 16) << blocks_.size() : block_bytes;
      block_size_ = std::max(std::min(next, block_bytes), bytes);
      blocks_.push_back(std::make_unique_for_overwrite<char[]>(block_size_));
      block_used_ = 0;
    }
    char* entry = blocks_.back().get() + block_used_;
    const std::int32_t row32 = row;
    const auto length = static_cast<std::uint32_t>(id.size());
    std::memcpy(entry, &row32, sizeof row32);
    std::memcpy(entry + sizeof row32, &length, sizeof length);
    std::memcpy(entry + entry_header, id.data(), id.size());
    const std::uint64_t where = (std::uint64_t{blocks_.size() - 1} << offset_bits) | block_used_;
    block_used_ += bytes;
    return where;
  }

  void grow() {
    std::vector<std::uint64_t> old(std::max<std::size_t>(slots_.size() * 2, 1024), 0);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const std::uint64_t slot : old) {
      if (slot == 0) continue;
      std::size_t i = std::hash<std::string_view>()(id_at(slot)) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_size_ = 0;  // of the last block
  std::size_t block_used_ = 0;  // bytes used in the last block
  std::vector<std::uint64_t> slots_;  // 0: empty; a power of two of them
  std::size_t count_ = 0;
};

// Strings looked up by a string_view without making a std::string of it.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

// One household row as read; every column's value is checked before it is kept.
// Its texts point into the record.
struct Row {
  std::string_view id;
  CountyIndex county = 0;
  std::string_view village;
  std::array<float, 5> village_values{};  // in the order of village_columns
  std::uint8_t size = 0;
  std::array<std::uint8_t, age_band_count> members{};
  LabourCapacity labour = LabourCapacity::normal;
  std::uint8_t flags = 0;
  Cause cause_main = Cause::illness;
  std::uint8_t cause_secondary = no_cause;
  float land = 0;
  HousingSafety housing = HousingSafety::safe;
  std::array<float, income_source_count> income{};
  RegistryStatus status = RegistryStatus::poor;
  std::int16_t entry_year = 0;
};

// Reads the values of one record, reporting each bad one.
class RowReader {
 public:
  RowReader(Problems& problems, const CsvRecord& record, const std::array<int, column_count>& position)
      : problems_(problems), record_(record), position_(position) {}

  std::string_view text(Col c) const {
    return record_.field(static_cast<std::size_t>(position_[static_cast<std::size_t>(c)]));
  }
  void fail(Col c, const std::string& expected) {
    problems_.add_value(record_.line, c, text(c), expected);
  }

  template <std::size_t N>
  std::optional<int> choice(Col c, const std::array<std::string_view, N>& names) {
    for (std::size_t i = 0; i < N; ++i)
      if (text(c) == names[i]) return static_cast<int>(i);
    fail(c, "one of " + join(names));
    return std::nullopt;
  }

  std::optional<int> integer(Col c, int lo, int hi) {
    const std::string_view t = text(c);
    int v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size() || t.empty() || v < lo || v > hi) {
      fail(c, "an integer in " + std::to_string(lo) + " .. " + std::to_string(hi));
      return std::nullopt;
    }
    return v;
  }

  // 0 or 1.
  std::optional<int> flag(Col c) { return choice(c, std::array<std::string_view, 2>{"0", "1"}); }

  // Amounts (yuan, mu) are floats in the model: parsed straight to float, so the shortest text
  // write_registry_csv gives reads back to the same value.
  std::optional<float> amount(Col c) {
    const std::string_view t = text(c);
    float v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size() || t.empty() || !std::isfinite(v) ||
        v < 0) {
      fail(c, "a number >= 0");
      return std::nullopt;
    }
    return v;
  }

 private:
  Problems& problems_;
  const CsvRecord& record_;
  const std::array<int, column_count>& position_;
};

struct VillageSeen {
  std::uint32_t index;
  int first_row;
  std::array<float, 5> values;
  std::array<std::string, 5> texts;  // as written on the first row, for messages
};

void append(Households& h, const Row& r, std::uint32_t village) {
  h.county.push_back(r.county);
  h.village.push_back(village);
  h.size.push_back(r.size);
  for (int b = 0; b < age_band_count; ++b) h.members[b].push_back(r.members[b]);
  h.labour.push_back(r.labour);
  h.flags.push_back(r.flags);
  h.cause_main.push_back(r.cause_main);
  h.cause_secondary.push_back(r.cause_secondary);
  h.land.push_back(r.land);
  for (int s = 0; s < income_source_count; ++s) h.base_income[s].push_back(r.income[s]);
  h.status0.push_back(r.status);
  h.housing0.push_back(r.housing);
  h.entry_year.push_back(r.entry_year);
}

void append_village(Villages& v, CountyIndex county, const std::array<float, 5>& values) {
  v.county.push_back(county);
  v.poor.push_back(static_cast<std::uint8_t>(values[0]));
  v.remoteness.push_back(static_cast<std::uint8_t>(values[1]));
  v.road.push_back(static_cast<std::uint8_t>(values[2]));
  v.water.push_back(static_cast<std::uint8_t>(values[3]));
  v.collective_income.push_back(values[4]);
}

// Throws the problems found so far, if any. A file that is not UTF-8 is reported once, with the
// fix, and not by its consequences (every county unknown): before any other problem is
// reported the rest of the file is read to check that it is UTF-8.
void throw_if_any(Problems& problems, RegistryText& text, const std::string& file) {
  if (problems.count() == 0 && text.invalid_utf8_line() == 0) return;
  if (const int line = text.read_rest_for_utf8()) {
    Problems not_utf8(file);
    not_utf8.add(line, "the text is not UTF-8; expected a UTF-8 file (convert one saved as "
                       "GBK/GB18030 with: iconv -f GB18030 -t UTF-8)");
    not_utf8.throw_if_any();
  }
  problems.throw_if_any();
}

}  // namespace

Population load_registry_csv(const std::filesystem::path& path, const Scenario& scenario) {
  return load_registry_csv(path, scenario, RegistryReadOptions{});
}

Population load_registry_csv(const std::filesystem::path& path, const Scenario& scenario,
                             const RegistryReadOptions& options) {
  const std::string file = path.string();
  RegistryText text(path, options.chunk_bytes);
  Problems problems(file);
  if (!text.more()) {
    problems.add(1, "the file is empty; expected a header row naming the columns (" +
                        join(column_names) + ")");
    throw_if_any(problems, text, file);
  }

  // Header: every column exactly once, nothing else. Rows are not read if the header is wrong:
  // their values would be checked against the wrong columns.
  CsvReader reader(text);
  CsvRecord record;
  reader.next(record);
  if (!record.error.empty()) problems.add(record.line, record.error);
  else if (record.empty()) problems.add(1, "the first line is empty; expected a header row naming the columns");
  throw_if_any(problems, text, file);
  const std::vector<std::string> known(column_names.begin(), column_names.end());
  std::array<int, column_count> position;
  position.fill(-1);
  std::vector<std::string> suggested;
  for (std::size_t i = 0; i < record.field_count(); ++i) {
    const std::string name(record.field(i));
    const auto it = std::find(column_names.begin(), column_names.end(), name);
    if (it == column_names.end()) {
      const std::string m = closest_match(name, known);
      problems.add(1, "unknown column '" + name + "'" +
                          (m.empty() ? "; expected one of " + join(column_names)
                                     : "; did you mean '" + m + "'?"));
      if (!m.empty()) suggested.push_back(m);
      continue;
    }
    int& p = position[static_cast<std::size_t>(it - column_names.begin())];
    if (p >= 0) {
      problems.add(1, "column '" + name + "' appears twice (columns " + std::to_string(p + 1) +
                          " and " + std::to_string(i + 1) + ")");
      continue;
    }
    p = static_cast<int>(i);
  }
  for (int c = 0; c < column_count; ++c) {
    const std::string name(column_names[c]);
    // A misspelt column was reported with its correct name already.
    if (position[c] < 0 && std::find(suggested.begin(), suggested.end(), name) == suggested.end())
      problems.add(1, "missing column '" + name + "'");
  }
  throw_if_any(problems, text, file);
  const std::size_t header_fields = record.field_count();

  // Counties by either name; villages by (county, code).
  std::unordered_map<std::string, CountyIndex, StringHash, std::equal_to<>> county_index;
  std::vector<std::string> county_names;
  for (std::size_t c = 0; c < scenario.counties.size(); ++c) {
    county_index[scenario.counties[c].name] = static_cast<CountyIndex>(c);
    county_index[scenario.counties[c].name_zh] = static_cast<CountyIndex>(c);
  }
  for (const auto& c : scenario.counties) county_names.push_back(c.name);
  for (const auto& c : scenario.counties) county_names.push_back(c.name_zh);
  std::string county_list;
  for (const auto& n : county_names) county_list += (county_list.empty() ? "" : ", ") + n;

  // Villages by their county's index (two bytes) followed by their code.
  std::unordered_map<std::string, VillageSeen> villages;
  std::string village_key;  // keeps its capacity: no allocation per row
  HouseholdIds ids;
  Population pop;
  std::size_t rows = 0;

  while (reader.next(record)) {
    // A file that is not UTF-8 is reported alone (throw_if_any below).
    if (text.invalid_utf8_line() != 0) break;
    ++rows;
    const int line = record.line;
    if (!record.error.empty()) {
      problems.add(line, record.error);
      continue;
    }
    if (record.empty()) {
      problems.add(line, "empty line; expected a household row");
      continue;
    }
    if (record.field_count() != header_fields) {
      if (record.field(0).starts_with('#'))
        problems.add(line, "comment lines are not allowed; expected a household row");
      else
        problems.add(line, "got " + std::to_string(record.field_count()) + " fields; expected " +
                               std::to_string(header_fields) + " (one per header column)");
      continue;
    }

    const std::size_t problems_before = problems.count();
    RowReader in(problems, record, position);
    Row r;

    r.id = in.text(Col::household_id);
    if (r.id.empty()) {
      in.fail(Col::household_id, "a non-empty household id");
    } else if (const std::optional<int> first_row = ids.find_or_add(r.id, line)) {
      in.fail(Col::household_id, "a unique id (already used on row " +
                                     std::to_string(*first_row) + ")");
    }

    bool county_ok = false;
    if (const auto it = county_index.find(in.text(Col::county));
        it != county_index.end()) {
      r.county = it->second;
      county_ok = true;
    } else {
      const std::string m = closest_match(in.text(Col::county), county_names);
      in.fail(Col::county, "one of " + county_list + (m.empty() ? "" : "; did you mean '" + m + "'?"));
    }
    r.village = in.text(Col::village);
    if (r.village.empty()) in.fail(Col::village, "a non-empty village code");

    // Village columns, held as floats so that rows of one village compare by value (the flags
    // and the remoteness category are small integers, exact in a float).
    const std::optional<int> village_categories[4] = {
        in.flag(Col::poor_village), in.choice(Col::remoteness, remoteness_names),
        in.flag(Col::road), in.flag(Col::water)};
    const std::optional<float> collective_income = in.amount(Col::collective_income);
    bool village_values_ok = collective_income.has_value();
    for (int k = 0; k < 4; ++k) {
      if (village_categories[k]) r.village_values[k] = static_cast<float>(*village_categories[k]);
      else village_values_ok = false;
    }
    if (collective_income) r.village_values[4] = *collective_income;

    const auto size = in.integer(Col::size, 1, max_household_size);
    bool ages_ok = true;
    int age_sum = 0;
    for (int b = 0; b < age_band_count; ++b) {
      const auto v = in.integer(age_columns[b], 0, max_household_size);
      if (v) {
        r.members[b] = static_cast<std::uint8_t>(*v);
        age_sum += *v;
      } else {
        ages_ok = false;
      }
    }
    if (size) {
      r.size = static_cast<std::uint8_t>(*size);
      if (ages_ok && age_sum != *size)
        in.fail(Col::size, "the number of members in the age columns (" + std::to_string(age_sum) +
                               ": " + std::to_string(r.members[0]) + " + " +
                               std::to_string(r.members[1]) + " + " + std::to_string(r.members[2]) +
                               " + " + std::to_string(r.members[3]) + ")");
    }

    if (const auto v = in.choice(Col::labour, labour_capacity_names)) r.labour = static_cast<LabourCapacity>(*v);
    if (in.flag(Col::disability).value_or(0) == 1) r.flags |= household_flag::disability;
    if (in.flag(Col::chronic_illness).value_or(0) == 1) r.flags |= household_flag::chronic_illness;

    const auto cause_main = in.choice(Col::cause_main, cause_names);
    if (cause_main) r.cause_main = static_cast<Cause>(*cause_main);
    if (!in.text(Col::cause_secondary).empty()) {
      const auto secondary = in.choice(Col::cause_secondary, cause_names);
      if (secondary && cause_main && *secondary == *cause_main)
        in.fail(Col::cause_secondary, "a cause other than cause_main, or empty");
      else if (secondary)
        r.cause_secondary = static_cast<std::uint8_t>(*secondary);
    }

    if (const auto v = in.amount(Col::land)) r.land = *v;
    if (const auto v = in.choice(Col::housing, housing_safety_names)) r.housing = static_cast<HousingSafety>(*v);
    for (int s = 0; s < income_source_count; ++s)
      if (const auto v = in.amount(income_columns[s])) r.income[s] = *v;

    const auto status = in.choice(Col::status, registry_status_names);
    if (status) r.status = static_cast<RegistryStatus>(*status);
    const bool dibao = in.flag(Col::dibao).value_or(0) == 1;
    const bool wubao = in.flag(Col::wubao).value_or(0) == 1;
    if (dibao) r.flags |= household_flag::dibao;
    if (wubao) {
      // 五保 supports people with no one to support them; they are not also on 低保.
      if (dibao) in.fail(Col::wubao, "0 when dibao is 1 (a household has 低保 or 五保, not both)");
      r.flags |= household_flag::wubao;
    }

    // entry_year: 0 exactly for the never-registered near-poor.
    const std::string_view year_text = in.text(Col::entry_year);
    std::optional<int> year;
    if (year_text == "0") {
      year = 0;
    } else {
      int v = 0;
      const auto [end, ec] = std::from_chars(year_text.data(), year_text.data() + year_text.size(), v);
      if (ec == std::errc() && end == year_text.data() + year_text.size() && !year_text.empty() &&
          v >= first_entry_year && v <= last_entry_year)
        year = v;
      else
        in.fail(Col::entry_year, "0 (never registered) or a year in " +
                                     std::to_string(first_entry_year) + " .. " +
                                     std::to_string(last_entry_year));
    }
    if (year) {
      r.entry_year = static_cast<std::int16_t>(*year);
      const bool near_poor = status && *status == static_cast<int>(RegistryStatus::near_poor);
      if (status && near_poor && *year != 0)
        in.fail(Col::entry_year, "0 for status 'near_poor' (never registered)");
      else if (status && !near_poor && *year == 0)
        in.fail(Col::entry_year, "the year first registered (" + std::to_string(first_entry_year) +
                                     " .. " + std::to_string(last_entry_year) + ") for status '" +
                                     std::string(registry_status_names[*status]) + "'");
    }

    // The village: numbered at its first row; later rows must repeat its attributes.
    std::uint32_t village_index = 0;
    if (county_ok && !r.village.empty() && village_values_ok) {
      village_key.assign({static_cast<char>(r.county & 0xFF), static_cast<char>(r.county >> 8)});
      village_key += r.village;
      auto [it, inserted] = villages.try_emplace(village_key);
      VillageSeen& seen = it->second;
      if (inserted) {
        seen.index = static_cast<std::uint32_t>(pop.villages.count());
        seen.first_row = line;
        seen.values = r.village_values;
        for (int k = 0; k < 5; ++k) seen.texts[k] = std::string(in.text(village_columns[k]));
        append_village(pop.villages, r.county, r.village_values);
      } else {
        for (int k = 0; k < 5; ++k)
          if (seen.values[k] != r.village_values[k])
            in.fail(village_columns[k], "'" + seen.texts[k] + "' as on row " +
                                            std::to_string(seen.first_row) + ", the first row of village '" +
                                            std::string(r.village) + "' in " + scenario.counties[r.county].name);
      }
      village_index = seen.index;
    }

    // A population is only returned if the whole file is clean; rows with problems are not kept.
    if (problems.count() == problems_before) append(pop.households, r, village_index);
  }

  if (rows == 0) problems.add(2, "no household rows after the header; expected one row per household");
  throw_if_any(problems, text, file);
  return pop;
}

namespace {

// A field as RFC 4180 wants it: quoted only when it must be.
void put_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// The shortest decimal text that reads back as the same float, in fixed notation (no
// exponents) so that the file stays readable in a spreadsheet.
void put_float(std::string& out, float v) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::fixed);
  if (ec != std::errc()) throw std::logic_error("cannot format a float");
  out.append(buffer, end);
}

std::string numbered(char prefix, std::size_t number, int width) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%c%0*zu", prefix, width, number);
  return buffer;
}

}  // namespace

void write_registry_csv(const std::filesystem::path& path, const Population& population,
                        const Scenario& scenario) {
  const Households& h = population.households;
  const Villages& v = population.villages;

  // Village codes: the county's name and the village's rank among that county's villages,
  // counting from 1 in index order. Villages with no household do not appear in the file.
  std::vector<std::string> village_code(v.count());
  std::vector<std::size_t> rank(scenario.counties.size(), 0);
  for (std::size_t i = 0; i < v.count(); ++i)
    village_code[i] = scenario.counties[v.county[i]].name + "-" + numbered('v', ++rank[v.county[i]], 3);

  std::string out;
  for (int c = 0; c < column_count; ++c) {
    if (c > 0) out += ',';
    out += column_names[c];
  }
  out += '\n';

  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) throw std::runtime_error("cannot create " + path.string() + ": " + std::strerror(errno));
  for (std::size_t i = 0; i < h.count(); ++i) {
    const std::uint32_t vi = h.village[i];
    auto put = [&](std::string_view s) {
      put_field(out, s);
      out += ',';
    };
    auto put_int = [&](int x) { put(std::to_string(x)); };
    auto put_amount = [&](float x) {
      put_float(out, x);
      out += ',';
    };
    put(numbered('h', i + 1, 6));
    put(scenario.counties[h.county[i]].name);
    put(village_code[vi]);
    put_int(v.poor[vi]);
    put(remoteness_names[v.remoteness[vi]]);
    put_int(v.road[vi]);
    put_int(v.water[vi]);
    put_amount(v.collective_income[vi]);
    put_int(h.size[i]);
    for (int b = 0; b < age_band_count; ++b) put_int(h.members[b][i]);
    put(labour_capacity_names[static_cast<int>(h.labour[i])]);
    put_int((h.flags[i] & household_flag::disability) ? 1 : 0);
    put_int((h.flags[i] & household_flag::chronic_illness) ? 1 : 0);
    put(cause_names[static_cast<int>(h.cause_main[i])]);
    put(h.cause_secondary[i] == no_cause ? std::string_view() : cause_names[h.cause_secondary[i]]);
    put_amount(h.land[i]);
    put(housing_safety_names[static_cast<int>(h.housing0[i])]);
    for (int s = 0; s < income_source_count; ++s) put_amount(h.base_income[s][i]);
    put(registry_status_names[static_cast<int>(h.status0[i])]);
    put_int((h.flags[i] & household_flag::dibao) ? 1 : 0);
    put_int((h.flags[i] & household_flag::wubao) ? 1 : 0);
    out += std::to_string(h.entry_year[i]);
    out += '\n';
    if (out.size() > (1u << 20)) {  // write in blocks of about a megabyte
      file << out;
      out.clear();
    }
  }
  file << out;
  file.close();
  if (!file) throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(errno));
}

}  // namespace tuopin
