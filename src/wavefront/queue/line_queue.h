// The bounded queue of wire lines for one data type (private).
//
// Each producer thread appends whole lines to its own staging buffer (struct Stage, line_queue.cc) without
// taking any lock shared with other threads; the space it uses comes from credit reserved in chunks from the
// queue's item and byte budget, so the bounds hold exactly. A thread hands its staged lines to the
// central part (sealed batches, under the queue's mutex) when they reach half its buffer or a batch;
// the flusher also sweeps every thread's staged lines when it flushes, and the buffers of threads
// that have exited. The flusher takes batches, delivers them and reports the outcome. Undelivered
// lines go back to the front, so delivery stays in order, and they keep counting against the bounds.
// accepted == delivered + queued + dropped holds exactly in every snapshot (see docs/design.md,
// "The queue"). With staging_bytes 0 every push goes straight to the central part under the mutex.
//
// A pre-registered series point is staged before it is written (push_deferred): its fixed text, value
// and timestamp go into the staging buffer as a record, in room for the longest line it can make, and
// whoever moves staged lines to the batches (the flusher) writes the line; while a batch's worth of
// handed-over lines waits for the flusher, the caller writes it instead. Until then it counts
// against the byte bound, and in queued_bytes, at that longest length. A record starts with 0xFF,
// a byte valid UTF-8 never holds, where a line would start: no line the formatters write starts so.
//
// Thread-safety: push() from any thread; take()/complete() from the single flusher thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
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
  std::size_t staging_bytes;  // per producer thread; 0: every push takes the queue's mutex
};

// A line whose number and timestamp are written when it leaves the staging buffer: `text` with the
// value and timestamp inserted at `value_at`, as format::write_double and format::write_timestamp
// write them. The caller has checked that the value is finite and format::timestamp_writable().
struct DeferredLine {
  std::string_view text;
  std::size_t value_at = 0;
  double value = 0;
  Timestamp timestamp;
};

struct Stage;

class LineQueue {
 public:
  // `clock` stamps the batches made from staged lines (for the retry-age limit).
  explicit LineQueue(const QueueBounds& bounds, std::shared_ptr<Clock> clock = Clock::system());
  ~LineQueue();
  LineQueue(const LineQueue&) = delete;
  LineQueue& operator=(const LineQueue&) = delete;

  // Appends `items` complete lines. Refuses with queue_full (after waiting, under the block policy)
  // or closed, counting the lines as dropped. `now` stamps the lines for the retry-age limit.
  // Sets `batch_ready` when this push filled a batch (the flusher should be woken). `clock` stamps a
  // batch when its first lines arrive (for the retry-age limit); it is read once per batch.
  Status push(std::string_view lines, std::size_t items, const Clock& clock, bool& batch_ready);
  // One line as push() would queue it, written later (see above) when it can be staged: the same
  // refusals, counts and order as push() of the written line.
  Status push_deferred(const DeferredLine& line, bool& batch_ready);

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
  // Drops every line still queued or staged (not taken by the flusher) for `reason`.
  void drop_everything(DropReason reason);

  // Refuses further pushes.
  void close();
  // After the flusher has stopped: lines a racing producer staged after the last sweep are counted
  // as dropped (closed) instead of staying queued forever.
  void finalize();
  // Lines accepted so far, and lines finished (delivered or dropped after queueing): flush() waits
  // for finished to reach the accepted count it saw.
  std::uint64_t accepted_sequence() const;
  std::uint64_t finished_sequence() const;
  // Waits until finished_sequence() >= target or the deadline passes.
  bool wait_finished(std::uint64_t target, SteadyTime deadline);

  TypeStats snapshot() const;

 private:
  Status push_central(std::string_view lines, std::size_t items, const Clock& clock, bool& batch_ready,
                      Stage* stage);
  // The calling thread's stage, or nullptr when `bytes` and `items` must go to the central part.
  Stage* stage_for(std::size_t bytes, std::size_t items);
  // Stages `bytes` (`items` lines) that `write` puts at a pointer; `to_central` queues them centrally
  // instead when there is no credit under the block policy.
  template <class Write, class ToCentral>
  Status push_staged(Stage& stage, std::size_t bytes, std::size_t items, const Write& write,
                     const ToCentral& to_central, bool& batch_ready);
  Stage& stage_for_this_thread();
  // push_deferred's way when the record cannot be staged: the line written now, then pushed
  // centrally after `stage`'s lines (when there is a stage), else through push().
  Status push_written(const DeferredLine& line, Stage* stage, bool& batch_ready);
  bool refill_credit(Stage& stage, std::size_t items, std::size_t bytes);
  // Under mutex_: moves a stage's published lines into the central batches.
  void consume_stage(Stage& stage, bool& batch_ready);
  // The owner's hand-over of its full staging buffer, and the flusher's copy of such buffers into
  // batches (under mutex_).
  void hand_over(Stage& stage, bool& batch_ready);
  void take_handed();
  void sweep_stages(bool everything);
  void append_central(std::string_view lines, std::size_t items, bool& batch_ready);
  // Appends staged bytes (lines and deferred records, `items` in all) to the batches, writing the
  // records' lines; returns the bytes the lines take, and releases the rest of the budget.
  std::size_t append_staged(std::string_view staged, std::size_t items, bool& batch_ready);
  void recycle(std::string&& buffer);
  Batch fresh_batch();
  bool try_reserve(std::size_t items, std::size_t bytes);
  void release(std::size_t items, std::size_t bytes);
  void count_stage_drop(Stage& stage, std::size_t items, DropReason reason);

  const QueueBounds bounds_;
  const std::shared_ptr<Clock> clock_;
  const std::uint64_t id_;  // unique per queue in the process: keys the threads' stage caches
  const std::size_t handoff_bytes_;
  const std::size_t credit_chunk_items_;
  const std::size_t credit_chunk_bytes_;
  // The budget: lines queued centrally + staged + credit held by stages never exceed the bounds.
  std::atomic<std::size_t> reserved_items_{0};
  std::atomic<std::size_t> reserved_bytes_{0};
  std::atomic<bool> closed_flag_{false};
  mutable std::mutex mutex_;
  std::condition_variable room_available_;
  std::condition_variable finished_changed_;
  std::deque<Batch> sealed_;  // full batches and returned leftovers, oldest first
  Batch open_;                // the batch producers append to
  std::vector<std::string> spare_buffers_;
  std::string deferred_line_;  // where append_staged writes a record's line (under mutex_)
  // The last timestamp append_staged wrote, and its text: series points mostly share their second.
  std::optional<Timestamp> last_timestamp_;
  std::string last_timestamp_text_;
  std::size_t full_batch_capacity_ = 0;  // the largest batch buffer recycled (at most 2 x batch_bytes)
  bool closed_ = false;
  bool final_ = false;
  std::uint64_t finished_ = 0;
  // Central counters: `accepted` counts only lines pushed centrally; lines moved in from stages are
  // counted in moved_in_ (their acceptance is counted by their stage).
  TypeStats stats_;
  std::uint64_t moved_in_ = 0;
  std::vector<std::shared_ptr<Stage>> stages_;  // every live thread's stage for this queue
  // Staging buffers handed over whole, oldest first, not yet copied into batches (counted queued).
  struct HandedChunk {
    std::unique_ptr<char[]> buffer;
    std::size_t begin;
    std::size_t end;
    std::size_t items;
  };
  std::deque<HandedChunk> handed_;
  std::size_t handed_items_ = 0;
  std::size_t handed_bytes_ = 0;
  // Set when a batch's worth of handed-over chunks waits for the flusher, cleared when the flusher
  // finds no more than one full batch waiting: meanwhile push_deferred writes lines on the calling
  // thread, so producers that outrun the one flusher format in parallel.
  std::atomic<bool> writer_behind_{false};
  std::vector<std::unique_ptr<char[]>> spare_chunks_;
};

}  // namespace wavefront::queue
