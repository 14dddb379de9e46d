// The bounded per-type line queue; see line_queue.h.
#include "wavefront/queue/line_queue.h"

#include <algorithm>
#include <utility>

namespace wavefront::queue {
namespace {

constexpr std::size_t kMaxSpareBuffers = 4;

// Producers hold the queue's mutex for a copy of one line. When another thread holds it, trying again
// for a moment is much cheaper than sleeping in the kernel and being woken: with two producers on two
// cores, sleeping made every call several times slower (docs/benchmarks.md, caller cost per send).
constexpr int kLockAttempts = 64;

void lock_briefly_spinning(std::unique_lock<std::mutex>& lock) {
  for (int attempt = 0; attempt < kLockAttempts; ++attempt) {
    if (lock.try_lock()) return;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
  }
  lock.lock();
}

// Refusals that can happen on every send share one message: returning them allocates nothing. Never
// destroyed, so threads still sending while the process exits get a valid Status.
const Status& closed_status() {
  static const Status* const status = new Status(
      ErrorCode::closed, std::make_shared<const std::string>("the sender is closed; the data was dropped"));
  return *status;
}

const Status& queue_full_status() {
  static const Status* const status = new Status(
      ErrorCode::queue_full, std::make_shared<const std::string>(
                                 "the queue is at its max_queue_items or max_queue_bytes bound; the data was "
                                 "dropped (see stats() for the queue's level)"));
  return *status;
}

// Rare and worth the detail: the sizes that make the item impossible to queue.
Status too_large_status(std::size_t bytes, std::size_t items, const QueueBounds& bounds) {
  if (bytes > bounds.max_bytes) {
    return Status(ErrorCode::too_large,
                  "the item is " + std::to_string(bytes) + " bytes, more than max_queue_bytes (" +
                      std::to_string(bounds.max_bytes) + ") can ever hold; it was dropped");
  }
  return Status(ErrorCode::too_large,
                "the item is " + std::to_string(items) + " lines, more than max_queue_items (" +
                    std::to_string(bounds.max_items) + ") can ever hold; it was dropped");
}

void count_drop(TypeStats& stats, std::size_t items, DropReason reason) {
  stats.dropped += items;
  stats.dropped_by_reason[static_cast<std::size_t>(reason)] += items;
}

}  // namespace

LineQueue::LineQueue(const QueueBounds& bounds) : bounds_(bounds) {
  stats_.capacity_items = bounds.max_items;
  stats_.capacity_bytes = bounds.max_bytes;
}

bool LineQueue::has_room(std::size_t bytes, std::size_t items) const {
  return stats_.queued + items <= bounds_.max_items && stats_.queued_bytes + bytes <= bounds_.max_bytes;
}

Batch LineQueue::fresh_batch() {
  Batch batch;
  if (!spare_buffers_.empty()) {
    batch.lines = std::move(spare_buffers_.back());
    spare_buffers_.pop_back();
  }
  return batch;
}

void LineQueue::recycle(std::string&& buffer) {
  buffer.clear();
  // Keep a few buffers, each no larger than a batch, so steady state allocates nothing and the
  // spares never add more than a few batches to memory.
  if (spare_buffers_.size() < kMaxSpareBuffers && buffer.capacity() <= 2 * bounds_.batch_bytes) {
    spare_buffers_.push_back(std::move(buffer));
  }
}

Status LineQueue::push(std::string_view lines, std::size_t items, const Clock& clock, bool& batch_ready) {
  batch_ready = false;
  std::unique_lock<std::mutex> lock(mutex_, std::defer_lock);
  lock_briefly_spinning(lock);
  if (closed_) {
    stats_.accepted += items;
    count_drop(stats_, items, DropReason::closed);
    return closed_status();
  }
  const bool can_ever_fit = lines.size() <= bounds_.max_bytes && items <= bounds_.max_items;
  if (can_ever_fit && !has_room(lines.size(), items) && bounds_.overflow_policy == OverflowPolicy::block) {
    room_available_.wait_for(lock, bounds_.block_timeout,
                             [&] { return closed_ || has_room(lines.size(), items); });
  }
  stats_.accepted += items;
  if (closed_) {
    count_drop(stats_, items, DropReason::closed);
    return closed_status();
  }
  if (lines.size() > bounds_.max_bytes || items > bounds_.max_items) {
    count_drop(stats_, items, DropReason::too_large);
    return too_large_status(lines.size(), items, bounds_);
  }
  if (!has_room(lines.size(), items)) {
    count_drop(stats_, items, DropReason::queue_full);
    return queue_full_status();
  }
  const bool would_overflow_batch =
      open_.items > 0 &&
      (open_.items + items > bounds_.batch_items || open_.lines.size() + lines.size() > bounds_.batch_bytes);
  if (would_overflow_batch) {
    sealed_.push_back(std::move(open_));
    open_ = fresh_batch();
    batch_ready = true;
  }
  if (open_.items == 0) open_.oldest = clock.now();
  open_.lines.append(lines.data(), lines.size());
  open_.items += items;
  stats_.queued += items;
  stats_.queued_bytes += lines.size();
  if (open_.items >= bounds_.batch_items || open_.lines.size() >= bounds_.batch_bytes) batch_ready = true;
  return Status();
}

void LineQueue::count_dropped_unqueued(std::size_t items, DropReason reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  stats_.accepted += items;
  count_drop(stats_, items, reason);
}

void LineQueue::count_invalid() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.invalid;
}

void LineQueue::count_report_error() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.report_errors;
}

bool LineQueue::take(Batch& batch, bool include_open) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!sealed_.empty()) {
    batch = std::move(sealed_.front());
    sealed_.pop_front();
    return true;
  }
  const bool open_is_full = open_.items >= bounds_.batch_items || open_.lines.size() >= bounds_.batch_bytes;
  if (open_.items == 0 || !(include_open || open_is_full)) return false;
  batch = std::move(open_);
  open_ = fresh_batch();
  return true;
}

void LineQueue::complete(Batch& batch, std::size_t delivered, std::size_t delivered_bytes,
                         std::size_t dropped, std::size_t dropped_bytes, DropReason reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::size_t finished_items = delivered + dropped;
  const std::size_t finished_bytes = delivered_bytes + dropped_bytes;
  stats_.delivered += delivered;
  count_drop(stats_, dropped, reason);
  stats_.queued -= finished_items;
  stats_.queued_bytes -= finished_bytes;
  finished_ += finished_items;
  if (finished_items == batch.items) {
    recycle(std::move(batch.lines));
  } else {
    batch.lines.erase(0, finished_bytes);
    batch.items -= finished_items;
    sealed_.push_front(std::move(batch));
  }
  batch = Batch();
  if (finished_items > 0) {
    room_available_.notify_all();
    finished_changed_.notify_all();
  }
}

void LineQueue::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  room_available_.notify_all();
}

std::uint64_t LineQueue::accepted_sequence() const {
  std::lock_guard<std::mutex> lock(mutex_);
  // Lines dropped before entering the queue are finished at once; count them on both sides.
  return finished_ + stats_.queued;
}

std::uint64_t LineQueue::finished_sequence() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return finished_;
}

bool LineQueue::wait_finished(std::uint64_t target, SteadyTime deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  return finished_changed_.wait_until(lock, deadline, [&] { return finished_ >= target; });
}

TypeStats LineQueue::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

}  // namespace wavefront::queue
