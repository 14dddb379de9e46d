// What the connections of one `wfsend listen` receiver share: the options, the line reader, the
// output, the counters, the buffers of the current turn and the budget for held HTTP results.
//
// The Receiver owns one LoopContext; its Connections and HttpSessions keep a reference to it.
//
// Thread-safety: used only by the receiver's event-loop thread, except `stats`, which other threads
// may read (see stats.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "wavefront/wire/json.h"
#include "wfsend/listen/ingest.h"
#include "wfsend/listen/options.h"
#include "wfsend/listen/output.h"
#include "wfsend/listen/stats.h"

namespace wfsend::listen {

// Bytes of HTTP results held until their requests complete, over all connections.
class StagingBudget {
 public:
  explicit StagingBudget(std::size_t limit) : limit_(limit) {}
  bool reserve(std::size_t bytes) noexcept {
    if (bytes > limit_ - used_) return false;
    used_ += bytes;
    return true;
  }
  void release(std::size_t bytes) noexcept { used_ -= bytes; }
  std::size_t used() const noexcept { return used_; }

 private:
  std::size_t limit_;
  std::size_t used_ = 0;
};

struct LoopContext {
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kInflateChunkBytes = std::size_t{256} * 1024;

  explicit LoopContext(ReceiverOptions receiver_options)
      : options(std::move(receiver_options)),
        diagnostics(options.report_fd, options.max_reports_per_second),
        ingester(options, diagnostics),
        output(options.output_fd),
        staging(options.max_buffered_bytes),
        read_buffer(kReadChunkBytes, '\0'),
        inflate_buffer(kInflateChunkBytes, '\0') {}

  const ReceiverOptions options;
  Diagnostics diagnostics;
  LineIngester ingester;
  OutputWriter output;
  LiveStats stats;
  StagingBudget staging;
  wavefront::json::JsonParser json;
  std::string read_buffer;               // one read from a socket
  std::string inflate_buffer;            // one step of decompression
  Clock::time_point now = Clock::now();  // updated once per loop round
};

}  // namespace wfsend::listen
