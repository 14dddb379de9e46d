// The progress line of `wfsend import` on a terminal: rows, rows/s, bytes read, and the percentage and
// ETA when the input's size is known, redrawn in place with '\r' at most 10 times a second.
//
// The import loops call row_read() for every row; it looks at the clock only every
// kRowsPerClockCheck rows, so the bar costs no system call per row. A disabled Progress (stderr is not
// a terminal, --quiet, --json) draws nothing. clear() erases the line before an error message is
// printed, so messages and the bar never share a line; the next redraw puts the bar back.
//
// Thread-safety: none; the importing thread owns it.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "input/byte_source.h"

namespace wfsend::import {

class Progress {
 public:
  static constexpr std::uint64_t kRowsPerClockCheck = 256;
  static constexpr std::chrono::milliseconds kRedrawInterval{100};

  // `input` (may be null) tells bytes read and the total; `out` is where the bar is drawn.
  Progress(bool enabled, std::FILE* out, const input::InputFile* input);

  void row_read(std::uint64_t rows) {
    if (enabled_ && rows % kRowsPerClockCheck == 0) maybe_redraw(rows);
  }
  // Erases the bar (before a message, and at the end).
  void clear();
  bool enabled() const noexcept { return enabled_; }
  // How many times the bar was drawn (tests).
  std::uint64_t redraws() const noexcept { return redraws_; }

  // The bar's text for these numbers, without '\r' (tests).
  static std::string render(std::uint64_t rows, double elapsed_seconds, std::uint64_t bytes_read,
                            std::uint64_t total_bytes);

 private:
  void maybe_redraw(std::uint64_t rows);

  bool enabled_;
  std::FILE* out_;
  const input::InputFile* input_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  bool shown_ = false;
  std::uint64_t redraws_ = 0;
};

// "12.3 MiB", "512 B".
std::string format_bytes(std::uint64_t bytes);
// "1,234,567".
std::string format_count(std::uint64_t count);

}  // namespace wfsend::import
