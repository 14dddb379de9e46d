// The seam between the sender core and the network (private).
//
// The core hands a transport one batch of whole lines at a time for one data type; the transport
// delivers what it can before the deadline and says how many lines, from the front, went out, how
// many it dropped for good, and whether the rest must be retried. TCP and HTTP implement it; tests
// can implement it too.
//
// Thread-safety: called only from the sender's single flusher thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "wavefront/sender.h"

namespace wavefront::transport {

using SteadyTime = std::chrono::steady_clock::time_point;

// When the transport must give up on a delivery. The core moves it earlier when close() sets a
// deadline, even while a delivery is under way, so transports re-read it while they wait.
class AbortDeadline {
 public:
  AbortDeadline() { set(SteadyTime::max()); }
  SteadyTime get() const {
    return SteadyTime(SteadyTime::duration(nanoseconds_.load(std::memory_order_acquire)));
  }
  void set(SteadyTime deadline) {
    nanoseconds_.store(deadline.time_since_epoch().count(), std::memory_order_release);
  }

 private:
  std::atomic<SteadyTime::rep> nanoseconds_{0};
};

struct DeliveryResult {
  std::size_t delivered = 0;  // lines from the front of the batch that were delivered
  std::size_t delivered_bytes = 0;
  std::size_t dropped = 0;  // the lines right after those, dropped for good
  std::size_t dropped_bytes = 0;
  DropReason drop_reason = DropReason::rejected;
  bool attempted = false;  // a delivery was tried (and counts as a report error if it failed)
  bool failed = false;     // lines remain; retry them after a backoff
  std::chrono::milliseconds retry_after{0};  // the receiver's or the transport's own minimum delay
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Whether this data type has a destination at all.
  virtual bool routes(DataType type) const = 0;
  // What to tell a caller who sends a data type without a destination.
  virtual std::string route_hint(DataType type) const = 0;
  virtual DeliveryResult deliver(DataType type, std::string_view lines, std::size_t items,
                                 const AbortDeadline& deadline) = 0;
  // Adds the transport's own counters (connections, possibly lost lines) to a stats snapshot.
  virtual void add_stats(SenderStats& stats) const = 0;
  // Closes connections; called once, from the flusher thread, as it exits.
  virtual void shutdown() = 0;
  // In a child of fork(), where the flusher does not exist: closes this process's copies of the
  // transport's sockets (the parent's connections stay open) without writing anything or taking a
  // lock. The transport is never used again.
  virtual void abandon_after_fork() = 0;
};

}  // namespace wavefront::transport
