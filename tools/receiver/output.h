// Where a receiver writes: accepted lines to the output (stdout or --out FILE for `wfsend listen`)
// and to the embedding program's sink (ReceiverOptions::accepted_sink) through one large buffer, and reports
// of rejected lines and refused requests to stderr, rate-limited.
//
// The receiver's connections append canonical lines to OutputWriter::buffer() and the event loop
// flushes it once per round (and whenever it passes kFlushBytes), so output is written in large
// blocks. A slow output blocks the loop (bounded buffer, then wait); an output that fails (EPIPE) is
// reported once and then discarded. Diagnostics prints at most max_per_second reports per second and
// counts the rest, so a flood of garbage cannot make stderr the bottleneck.
//
// Thread-safety: not thread-safe; both belong to the receiver's event-loop thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace wfreceiver {

class OutputWriter {
 public:
  static constexpr std::size_t kFlushBytes = std::size_t{1024} * 1024;

  using Sink = std::function<void(std::string_view lines)>;

  // fd -1 and no sink discards everything (and enabled() is false, so callers need not format output
  // at all). The sink, when set, gets every block written, before the fd.
  explicit OutputWriter(int fd, Sink sink = nullptr);
  bool enabled() const noexcept { return (fd_ >= 0 && !failed_) || sink_ != nullptr; }
  std::string& buffer() noexcept { return buffer_; }
  void flush_if_full() {
    if (buffer_.size() >= kFlushBytes) flush();
  }
  // Writes the buffer out, waiting for a slow output. Returns false once the output has failed.
  bool flush();
  // Flushes the buffer, then writes `data` without copying it.
  void write_through(std::string_view data);
  // The first write error, for the final report ("" when none).
  const std::string& error() const noexcept { return error_; }

 private:
  bool write_all(std::string_view data);
  void deliver(std::string_view data);

  int fd_;
  Sink sink_;
  bool failed_ = false;
  std::string error_;
  std::string buffer_;
};

class Diagnostics {
 public:
  using Clock = std::chrono::steady_clock;

  Diagnostics(int fd, std::size_t max_per_second);
  // True when a report may be printed now; false counts it as suppressed. Ask before formatting.
  bool admit(Clock::time_point now);
  // Prints one report ("listen: " is prepended, '\n' appended). Call after admit() returned true.
  void print(std::string_view message);
  // Prints the number of reports suppressed in the last window, if any (called from the loop).
  void tick(Clock::time_point now);
  // Prints the count of reports suppressed so far in this window (at shutdown).
  void finish();
  std::uint64_t suppressed_total() const noexcept { return suppressed_total_; }

 private:
  int fd_;
  std::size_t max_per_second_;
  Clock::time_point window_start_{};
  std::size_t printed_in_window_ = 0;
  std::uint64_t suppressed_in_window_ = 0;
  std::uint64_t suppressed_total_ = 0;
  std::string line_;
};

}  // namespace wfreceiver
