// Pulled lines (tools/input/): `wfsend import --format lines|jsonl` and `wfsend lint` read their input
// line by line through a LineSource over a ByteSource (an InputFile, plain or gzip).
//
// It reads the source in large chunks and cuts them with the tools' one LineSplitter, so its lines and
// limits are listen's: views without their '\n' or a '\r' before it, numbered from 1; a last line
// without a line end counts; a line longer than max_line_bytes is not kept: next() reports it (its line
// number) and it is skipped to its end, so memory stays bounded whatever the input. A UTF-8 byte order
// mark at the very start is skipped (files written on Windows).
//
// Thread-safety: none; one thread per LineSource. A line's view stays valid until the next call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "input/byte_source.h"
#include "input/line_splitter.h"

namespace wfsend::input {

class LineSource {
 public:
  enum class Result { line, too_long, end, error };

  explicit LineSource(ByteSource& source, std::size_t max_line_bytes = std::size_t{16} * 1024 * 1024,
                      std::size_t buffer_bytes = std::size_t{1024} * 1024);

  // The next line (line_number() is its 1-based number), a line that was too long (skipped), the end
  // of the input, or a read error (error() says what; reading stops).
  Result next(std::string_view& line);
  std::uint64_t line_number() const noexcept { return line_number_; }
  const std::string& error() const noexcept { return error_; }

 private:
  // Reads the next chunk into the buffer; false at the end of the input or on error.
  bool refill();

  ByteSource& source_;
  LineSplitter splitter_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // the first byte of buffer_ not yet given to the splitter
  std::size_t end_ = 0;
  bool input_ended_ = false;
  bool failed_ = false;
  bool finished_ = false;  // the splitter was told the input ended
  bool started_ = false;   // the byte order mark was looked for
  std::uint64_t line_number_ = 0;
  std::string error_;
};

}  // namespace wfsend::input
