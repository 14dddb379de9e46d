// Drawing the import's progress line.
#include "wfsend/import/progress.h"

#include <cinttypes>
#include <cmath>

namespace wfsend::import {
namespace {

// Erase from the cursor to the end of the line (every terminal wfsend runs in understands it).
constexpr const char* kEraseToEndOfLine = "\x1b[K";

std::string format_duration(double seconds) {
  const auto whole = static_cast<std::uint64_t>(std::llround(seconds));
  char text[32];
  if (whole >= 3600) {
    std::snprintf(text, sizeof(text), "%" PRIu64 ":%02" PRIu64 ":%02" PRIu64, whole / 3600, whole / 60 % 60,
                  whole % 60);
  } else {
    std::snprintf(text, sizeof(text), "%" PRIu64 ":%02" PRIu64, whole / 60, whole % 60);
  }
  return text;
}

}  // namespace

std::string format_bytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  if (unit == 0) {
    std::snprintf(text, sizeof(text), "%" PRIu64 " B", bytes);
  } else {
    std::snprintf(text, sizeof(text), "%.1f %s", value, kUnits[unit]);
  }
  return text;
}

std::string format_count(std::uint64_t count) {
  std::string digits = std::to_string(count);
  std::string text;
  for (std::size_t index = 0; index < digits.size(); ++index) {
    if (index > 0 && (digits.size() - index) % 3 == 0) text += ',';
    text += digits[index];
  }
  return text;
}

Progress::Progress(bool enabled, std::FILE* out, const input::InputFile* input)
    : enabled_(enabled),
      out_(out),
      input_(input),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

std::string Progress::render(std::uint64_t rows, double elapsed_seconds, std::uint64_t bytes_read,
                             std::uint64_t total_bytes) {
  const double rate = elapsed_seconds > 0 ? static_cast<double>(rows) / elapsed_seconds : 0;
  std::string text = format_count(rows) + " rows  " + format_count(static_cast<std::uint64_t>(rate)) +
                     " rows/s  " + format_bytes(bytes_read);
  if (total_bytes > 0) {
    const double done = std::min(1.0, static_cast<double>(bytes_read) / static_cast<double>(total_bytes));
    char percent[16];
    std::snprintf(percent, sizeof(percent), "%.0f%%", done * 100);
    text += " / " + format_bytes(total_bytes) + "  " + percent;
    if (done > 0 && done < 1) text += "  ETA " + format_duration(elapsed_seconds * (1 - done) / done);
  }
  return text;
}

void Progress::maybe_redraw(std::uint64_t rows) {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const std::uint64_t bytes_read = input_ != nullptr ? input_->file_bytes_read() : 0;
  const std::uint64_t total = input_ != nullptr ? input_->total_file_bytes() : 0;
  const std::string line = "\r" + render(rows, elapsed, bytes_read, total) + kEraseToEndOfLine;
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
  shown_ = true;
  ++redraws_;
}

void Progress::clear() {
  if (!shown_) return;
  std::fputs("\r", out_);
  std::fputs(kEraseToEndOfLine, out_);
  std::fflush(out_);
  shown_ = false;
}

}  // namespace wfsend::import
