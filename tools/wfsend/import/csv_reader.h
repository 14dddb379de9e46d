// A streaming RFC 4180 CSV reader for `wfsend import --format csv` (csv_import.cc) and its tests.
//
// It reads records from a input::ByteSource in large chunks and hands out fields as string_views into its own
// buffer, so a record costs no allocation: quoted fields are returned without their quotes, and a
// quoted field containing "" escapes is unescaped in place (the buffer is the reader's). Handled: quoted
// fields with embedded delimiters, quotes and newlines; LF and CRLF line ends; a UTF-8 byte order mark;
// a last record without a line end; blank lines (skipped). A '"' inside an unquoted field is kept as
// data, as spreadsheets write it. Errors name the physical line and the character column:
//  - a character other than a delimiter or line end after a closing quote: that record is refused and
//    reading resumes on the next physical line;
//  - a quote still open at the end of the input, or a record longer than max_record_bytes (usually an
//    unbalanced quote swallowing the file): fatal, reading stops.
//
//   CsvReader reader(source);
//   CsvRecord record;
//   while (reader.next(record) == CsvReader::Result::record) use(record[0], record.position(0).line);
//
// Thread-safety: none; one thread per reader. A record's views stay valid until the next call to next().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "input/byte_source.h"

namespace wfsend::import {

struct CsvReaderOptions {
  char delimiter = ',';
  // Memory bound: a record (with its quoted newlines) longer than this stops the reader.
  std::size_t max_record_bytes = std::size_t{16} * 1024 * 1024;
  // The buffer read into (it grows, up to max_record_bytes, only for a record that does not fit).
  std::size_t buffer_bytes = std::size_t{1024} * 1024;
};

// A place in the input: 1-based physical line and character (code point) column.
struct CsvPosition {
  std::uint64_t line = 0;
  std::uint64_t column = 0;
};

class CsvRecord {
 public:
  std::size_t size() const noexcept { return fields_.size(); }
  std::string_view operator[](std::size_t index) const noexcept { return fields_[index].value; }
  // The physical line the record starts on.
  std::uint64_t line() const noexcept { return line_; }
  // Where field `index` starts (its opening quote, for a quoted field).
  CsvPosition position(std::size_t index) const noexcept;

 private:
  friend class CsvReader;
  struct Field {
    std::string_view value;
    std::uint32_t raw_offset;   // where the field starts in raw_
    std::uint32_t line_offset;  // where the field's physical line starts in raw_
    std::uint32_t line_index;   // line breaks in the record before the field
  };
  std::string_view raw_;  // the record's bytes in the reader's buffer
  std::uint64_t line_ = 0;
  std::uint32_t line_breaks_ = 0;  // inside quoted fields, not counting the record's own line end
  std::vector<Field> fields_;
};

struct CsvError {
  CsvPosition position;
  std::string message;
  bool fatal = false;        // reading cannot go on (next() then returns end)
  bool read_failed = false;  // the input could not be read (an I/O error, corrupt gzip), not bad CSV
};

class CsvReader {
 public:
  enum class Result { record, end, error };

  explicit CsvReader(input::ByteSource& source, CsvReaderOptions options = CsvReaderOptions());

  // The next record, the end of the input, or an error (see error()). After a non-fatal error the
  // next call continues on the line after the bad one.
  Result next(CsvRecord& record);
  const CsvError& error() const noexcept { return error_; }
  // Physical lines consumed so far.
  std::uint64_t lines_read() const noexcept { return next_line_ - 1; }

 private:
  enum class Parse { complete, need_more, bad };
  Parse parse_record(CsvRecord& record);
  // Moves the unparsed bytes to the front and reads more; false when nothing more can be had (the
  // input ended, or it failed and error_ says why).
  bool refill();
  void unescape_quoted(CsvRecord& record);
  void skip_byte_order_mark();
  Result fail(CsvPosition position, std::string message, bool fatal);

  input::ByteSource& source_;
  CsvReaderOptions options_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // first unparsed byte
  std::size_t end_ = 0;    // one past the last byte read
  bool input_ended_ = false;
  bool stopped_ = false;  // after a fatal error
  bool bom_checked_ = false;
  bool skip_to_line_end_ = false;              // recovering from a bad record
  std::uint64_t next_line_ = 1;                // physical line of the next unparsed byte
  std::vector<std::uint32_t> escaped_fields_;  // fields of the record being parsed holding ""
  std::string unescaped_;                      // their values without the doubled quotes
  bool special_[256] = {};                     // bytes that end an unquoted field
  CsvError error_;
  std::size_t bad_offset_ = 0;  // parse_record's error: byte offset from begin_, message below
  std::string bad_message_;
};

}  // namespace wfsend::import
