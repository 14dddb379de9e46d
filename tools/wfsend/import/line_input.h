// Splitting the import's input into lines, for `--format lines` and `--format jsonl` (lines_import.cc,
// jsonl_import.cc). Lines are views into a buffer filled in large chunks from a ByteSource, without
// their '\n' or a '\r' before it; a UTF-8 byte order mark at the start is skipped; a last line without a
// line end counts. A line longer than max_line_bytes is not kept: next() reports it (its line number)
// and skips to its end, so memory stays bounded whatever the input.
//
// Thread-safety: none; one thread per LineInput. A line's view stays valid until the next call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wfsend/import/input.h"

namespace wfsend::import {

class LineInput {
 public:
  enum class Result { line, too_long, end, error };

  explicit LineInput(ByteSource& source, std::size_t max_line_bytes = std::size_t{16} * 1024 * 1024,
                     std::size_t buffer_bytes = std::size_t{1024} * 1024);

  // The next line (line_number() is its 1-based number), a line that was too long (skipped), the end
  // of the input, or a read error (error() says what; reading stops).
  Result next(std::string_view& line);
  std::uint64_t line_number() const noexcept { return line_number_; }
  const std::string& error() const noexcept { return error_; }

 private:
  // Moves the unread bytes to the front and reads more; false at the end of the input or on error.
  bool refill();

  ByteSource& source_;
  std::size_t max_line_bytes_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool input_ended_ = false;
  bool failed_ = false;
  bool started_ = false;  // the byte order mark was looked for
  std::uint64_t line_number_ = 0;
  std::string error_;
};

}  // namespace wfsend::import
