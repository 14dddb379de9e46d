// What the connections of one `wfsend listen` receiver share: the options, the line reader, the
// output, the counters, the buffers of the current turn and the budget for memory held open.
//
// The Receiver owns one LoopContext; its Connections and HttpSessions keep a reference to it.
//
// Thread-safety: used only by the receiver's event-loop thread, except `stats`, which other threads
// may read (see stats.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "receiver/ingest.h"
#include "receiver/options.h"
#include "receiver/output.h"
#include "receiver/stats.h"

namespace wfreceiver {

// Bytes held for unfinished work over all connections, bounded by --max-buffered-bytes: HTTP results
// staged until their request completes, unfinished lines, compressed bytes waiting for their turn,
// request heads, and each live decompressor's state. Every connection records what it holds in a
// HeldShare as it grows and shrinks; the one whose growth takes the total over the limit is refused
// (503 for an HTTP request, a closed connection for raw TCP) and gives its memory back at once.
class MemoryBudget {
 public:
  explicit MemoryBudget(std::size_t limit) : limit_(limit) {}
  void add(std::size_t bytes) noexcept { used_ += bytes; }
  void remove(std::size_t bytes) noexcept { used_ -= bytes; }
  bool over() const noexcept { return used_ > limit_; }
  std::size_t used() const noexcept { return used_; }
  std::size_t limit() const noexcept { return limit_; }

 private:
  std::size_t limit_;
  std::size_t used_ = 0;
};

// One holder's part of the MemoryBudget. The first kUncountedBytes a holder keeps are not counted, so
// that a small request (its head, a short line) is served even when large ones filled the budget;
// options.h counts them per connection instead.
class HeldShare {
 public:
  static constexpr std::size_t kUncountedBytes = std::size_t{64} * 1024;

  explicit HeldShare(MemoryBudget& budget) : budget_(budget) {}
  ~HeldShare() { budget_.remove(counted_); }
  HeldShare(const HeldShare&) = delete;
  HeldShare& operator=(const HeldShare&) = delete;

  // Records that the holder now holds `held` bytes. False when it grew and the total is now over the
  // limit: the holder must give memory back.
  bool update(std::size_t held) noexcept {
    const std::size_t counted = held > kUncountedBytes ? held - kUncountedBytes : 0;
    const bool grew = counted > counted_;
    if (grew) {
      budget_.add(counted - counted_);
    } else {
      budget_.remove(counted_ - counted);
    }
    counted_ = counted;
    return !(grew && budget_.over());
  }

 private:
  MemoryBudget& budget_;
  std::size_t counted_ = 0;
};

struct LoopContext {
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kInflateChunkBytes = std::size_t{256} * 1024;

  explicit LoopContext(ReceiverOptions receiver_options)
      : options(std::move(receiver_options)),
        diagnostics(options.report_fd, options.max_reports_per_second),
        ingester(options, diagnostics),
        output(options.output_fd, options.accepted_sink),
        held(options.max_buffered_bytes),
        read_buffer(kReadChunkBytes, '\0'),
        inflate_buffer(kInflateChunkBytes, '\0') {}

  const ReceiverOptions options;
  Diagnostics diagnostics;
  LineIngester ingester;
  OutputWriter output;
  LiveStats stats;
  MemoryBudget held;
  std::string read_buffer;               // one read from a socket
  std::string inflate_buffer;            // one step of decompression
  Clock::time_point now = Clock::now();  // updated once per loop round
};

}  // namespace wfreceiver
