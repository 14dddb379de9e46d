// Splitting a byte stream into lines with bounded memory, for `wfsend listen` (private).
//
// A connection's raw TCP stream, a gzip stream's output and an HTTP body all arrive in pieces; the
// receiver feeds each piece here and gets every complete line as a view, numbered from 1. Lines that
// lie wholly inside a piece are handed out in place (no copy); only the unfinished end of a piece is
// kept, and never more than max_line_length bytes of it: a longer line is reported once (with the
// bytes seen so far) and then skipped up to its newline without being stored. A trailing '\r' is
// stripped from each line.
//
// Thread-safety: not thread-safe; one splitter per stream, used by the event-loop thread.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace wfreceiver {

class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line_length) : max_line_length_(max_line_length) {}

  // Calls on_line(std::string_view line, std::uint64_t number) for each complete line of `data`, and
  // on_too_long(std::string_view start_of_line, std::uint64_t number) once per line over the limit.
  template <class OnLine, class OnTooLong>
  void feed(std::string_view data, OnLine&& on_line, OnTooLong&& on_too_long) {
    const char* position = data.data();
    const char* const end = data.data() + data.size();
    if (discarding_ || !partial_.empty()) {
      const char* newline = static_cast<const char*>(std::memchr(position, '\n', data.size()));
      const std::size_t length = static_cast<std::size_t>((newline ? newline : end) - position);
      if (!discarding_) {
        if (partial_.size() + length > max_line_length_) {
          start_discarding(std::string_view(position, length), on_too_long);
        } else {
          partial_.append(position, length);
          if (newline) {
            ++line_number_;
            on_line(strip_cr(partial_), line_number_);
            partial_.clear();
          }
        }
      }
      if (!newline) return;
      discarding_ = false;
      position = newline + 1;
    }
    for (;;) {
      const std::size_t left = static_cast<std::size_t>(end - position);
      const char* newline = static_cast<const char*>(std::memchr(position, '\n', left));
      if (newline == nullptr) break;
      const std::size_t length = static_cast<std::size_t>(newline - position);
      ++line_number_;
      if (length > max_line_length_) {
        on_too_long(std::string_view(position, std::min(max_line_length_, kReportedPrefix)), line_number_);
      } else {
        on_line(strip_cr(std::string_view(position, length)), line_number_);
      }
      position = newline + 1;
    }
    const std::string_view rest(position, static_cast<std::size_t>(end - position));
    if (rest.size() > max_line_length_) {
      start_discarding(rest, on_too_long);
    } else {
      partial_.assign(rest.data(), rest.size());
    }
  }

  // The end of the stream: an unfinished last line (if any, and not being skipped) goes to
  // on_last(std::string_view line, std::uint64_t number). Then the splitter starts over.
  template <class OnLast>
  void finish(OnLast&& on_last) {
    if (!partial_.empty() && !discarding_) {
      ++line_number_;
      on_last(strip_cr(partial_), line_number_);
    }
    reset();
  }

  // True while a line has started and not ended (for the partial-line deadline).
  bool in_line() const noexcept { return discarding_ || !partial_.empty(); }
  std::uint64_t line_number() const noexcept { return line_number_; }
  void reset() noexcept {
    partial_.clear();
    discarding_ = false;
    line_number_ = 0;
  }
  // Bytes kept for the unfinished line (its buffer's capacity).
  std::size_t held_bytes() const noexcept { return partial_.capacity(); }
  // Returns the memory of a long partial line once it is no longer needed.
  void release_memory() {
    if (partial_.empty() && partial_.capacity() > kKeptCapacity) std::string().swap(partial_);
  }

 private:
  static constexpr std::size_t kKeptCapacity = std::size_t{64} * 1024;
  static constexpr std::size_t kReportedPrefix = 256;  // what on_too_long sees of a long line

  static std::string_view strip_cr(std::string_view line) noexcept {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }

  template <class OnTooLong>
  void start_discarding(std::string_view more, OnTooLong& on_too_long) {
    ++line_number_;
    // Report what the line starts with, then forget it.
    const std::size_t report_length = std::min(max_line_length_, kReportedPrefix);
    if (partial_.size() < report_length) {
      partial_.append(more.data(), std::min(more.size(), report_length - partial_.size()));
    }
    on_too_long(std::string_view(partial_), line_number_);
    partial_.clear();
    release_memory();
    discarding_ = true;
  }

  std::size_t max_line_length_;
  std::string partial_;
  bool discarding_ = false;
  std::uint64_t line_number_ = 0;
};

}  // namespace wfreceiver
