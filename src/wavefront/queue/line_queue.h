// The bounded queue of wire lines for one data type (private).
//
// Producers append whole lines under a short lock; the flusher takes batches, delivers them and
// reports the outcome. Undelivered lines go back to the front, so delivery stays in order, and they
// keep counting against the bounds: memory stays bounded however long the receiver is away. The
// queue also keeps the data type's counters under the same lock, which is what makes
// accepted == delivered + queued + dropped hold exactly in every snapshot.
//
// Thread-safety: push() from any thread; take()/complete() from the single flusher thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "wavefront/clock.h"
#include "wavefront/sender.h"
#include "wavefront/sender_config.h"

namespace wavefront::queue {

using SteadyTime = std::chrono::steady_clock::time_point;

// A run of whole lines taken for delivery.
struct Batch {
  std::string lines;
  std::size_t items = 0;
  SteadyTime oldest{};  // when the first of these lines was queued
};

struct QueueBounds {
  std::size_t max_items;
  std::size_t max_bytes;
  std::size_t batch_items;
  std::size_t batch_bytes;
  OverflowPolicy overflow_policy;
  std::chrono::milliseconds block_timeout;
};

class LineQueue {
 public:
  explicit LineQueue(const QueueBounds& bounds);

  // Appends `items` complete lines. Refuses with queue_full (after waiting, under the block policy)
  // or closed, counting the lines as dropped. `now` stamps the lines for the retry-age limit.
  // Sets `batch_ready` when this push filled a batch (the flusher should be woken). `clock` stamps a
  // batch when its first lines arrive (for the retry-age limit); it is read once per batch.
  Status push(std::string_view lines, std::size_t items, const Clock& clock, bool& batch_ready);

  // Counts lines that were refused before reaching the queue (not configured), keeping the identity.
  void count_dropped_unqueued(std::size_t items, DropReason reason);
  void count_invalid();

  // Moves the next batch into `batch` (the oldest first; the still-open one only if
  // `include_open`). Returns false when there is nothing to take.
  bool take(Batch& batch, bool include_open);
  // Reports what happened to a taken batch: its first `delivered` lines (`delivered_bytes` bytes)
  // went out, the next `dropped` lines were dropped for `reason`; what is left returns to the front.
  void complete(Batch& batch, std::size_t delivered, std::size_t delivered_bytes, std::size_t dropped,
                std::size_t dropped_bytes, DropReason reason);
  void count_report_error();

  // Refuses further pushes.
  void close();
  // Lines accepted so far, and lines finished (delivered or dropped after queueing): flush() waits
  // for finished to reach the accepted count it saw.
  std::uint64_t accepted_sequence() const;
  std::uint64_t finished_sequence() const;
  // Waits until finished_sequence() >= target or the deadline passes.
  bool wait_finished(std::uint64_t target, SteadyTime deadline);

  TypeStats snapshot() const;

 private:
  void recycle(std::string&& buffer);
  Batch fresh_batch();
  bool has_room(std::size_t bytes, std::size_t items) const;

  const QueueBounds bounds_;
  mutable std::mutex mutex_;
  std::condition_variable room_available_;
  std::condition_variable finished_changed_;
  std::deque<Batch> sealed_;  // full batches and returned leftovers, oldest first
  Batch open_;                // the batch producers append to
  std::vector<std::string> spare_buffers_;
  bool closed_ = false;
  std::uint64_t finished_ = 0;
  TypeStats stats_;
};

}  // namespace wavefront::queue
