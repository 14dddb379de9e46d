// The bounded per-type line queue; see line_queue.h.
#include "wavefront/queue/line_queue.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <type_traits>
#include <utility>

#include "wavefront/format/fields.h"
#include "wavefront/format/numbers.h"

namespace wavefront::queue {
namespace {

constexpr std::size_t kMaxSpareBuffers = 4;
constexpr std::size_t kMaxSpareChunks = 8;  // staging buffers kept for threads handing over
// A stage publishes (items << 32 | bytes) in one word; it hands over before either could overflow.
constexpr std::size_t kMaxStagedItems = std::size_t{1} << 30;
constexpr std::uint64_t kBytesMask = (std::uint64_t{1} << 32) - 1;
// Credit is reserved from the shared budget in chunks of about 1/64 of it, at most this many items
// and bytes: one atomic update of the shared counters per few dozen sends, and at most one chunk per
// thread held but unused.
constexpr std::size_t kMaxCreditItems = 64;
constexpr std::size_t kMaxCreditBytes = std::size_t{16} * 1024;

std::atomic<std::uint64_t> g_next_queue_id{1};

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

// A deferred line in a staging buffer: this header, then the line's text without value and timestamp,
// in room for the longest line the record can make (its footprint, which the budget counts).
constexpr unsigned char kDeferredMarker = 0xFF;
struct DeferredHeader {
  unsigned char marker = kDeferredMarker;
  std::uint32_t footprint = 0;
  std::uint32_t value_at = 0;
  std::uint32_t text_size = 0;
  double value = 0;
  std::int64_t timestamp_count = 0;  // Timestamp::count() and unit(), written apart (see the writer)
  Timestamp::Unit timestamp_unit = Timestamp::Unit::none;
};

Timestamp timestamp_of(const DeferredHeader& header) {
  switch (header.timestamp_unit) {
    case Timestamp::Unit::seconds:
      return Timestamp::from_seconds(header.timestamp_count);
    case Timestamp::Unit::milliseconds:
      return Timestamp::from_milliseconds(header.timestamp_count);
    case Timestamp::Unit::none:
    case Timestamp::Unit::invalid:  // refused before staging
      break;
  }
  return Timestamp();
}
static_assert(std::is_trivially_copyable_v<DeferredHeader> && std::is_standard_layout_v<DeferredHeader>);
constexpr std::size_t kMaxNumberChars = format::kMaxDoubleChars + format::kMaxTimestampChars;
static_assert(sizeof(DeferredHeader) <= kMaxNumberChars, "a record fits in its line's room");

std::size_t deferred_footprint(const DeferredLine& line) { return line.text.size() + kMaxNumberChars; }

// Writes the line: `text` with the value and the timestamp's text at `value_at`. `at` has room for
// the footprint.
char* write_deferred(char* at, std::string_view text, std::size_t value_at, double value,
                     std::string_view timestamp_text) {
  at = std::copy(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(value_at), at);
  at = format::write_double(at, value);
  at = std::copy(timestamp_text.begin(), timestamp_text.end(), at);
  return std::copy(text.begin() + static_cast<std::ptrdiff_t>(value_at), text.end(), at);
}

// Writes `timestamp` as a line carries it (' ' and the number, or nothing) into `buffer`, which has
// room for kMaxTimestampChars; returns the text.
std::string_view timestamp_text(char* buffer, Timestamp timestamp) {
  return {buffer, static_cast<std::size_t>(format::write_timestamp(buffer, timestamp) - buffer)};
}

// The next record at or after `from` (a line start) in `staged`, or npos. Records start where
// lines start; a 0xFF inside a line (not from a formatter) is text.
std::size_t find_deferred(std::string_view staged, std::size_t from) {
  const char* const begin = staged.data();
  for (std::size_t at = from; at < staged.size();) {
    const void* found = std::memchr(begin + at, kDeferredMarker, staged.size() - at);
    if (found == nullptr) return std::string_view::npos;
    const auto position = static_cast<std::size_t>(static_cast<const char*>(found) - begin);
    if (position == from || begin[position - 1] == '\n') return position;
    at = position + 1;
  }
  return std::string_view::npos;
}

void count_drop(TypeStats& stats, std::size_t items, DropReason reason) {
  stats.dropped += items;
  stats.dropped_by_reason[static_cast<std::size_t>(reason)] += items;
}

}  // namespace

// One producer thread's staging buffer for one queue. The owning thread writes lines and publishes
// how far it wrote with one release store; whoever holds the queue's mutex (the flusher, or the
// owner handing over) consumes up to the published point.
struct Stage {
  explicit Stage(std::size_t size) : buffer(new char[size]), capacity(size) {}

  // Owned by the producer thread.
  std::unique_ptr<char[]> buffer;
  const std::size_t capacity;
  std::size_t write_bytes = 0;  // since the last reset
  std::size_t write_items = 0;
  std::size_t credit_items = 0;  // reserved from the budget, not yet used
  std::size_t credit_bytes = 0;
  // Written by the producer only; read by anyone holding the queue's mutex.
  std::atomic<std::uint64_t> published{0};  // write_items << 32 | write_bytes
  std::array<std::atomic<std::uint64_t>, kDropReasonCount> dropped{};
  std::atomic<bool> abandoned{false};   // the thread has exited: the flusher folds the stage in
  std::atomic<bool> queue_gone{false};  // the queue was destroyed: the thread forgets the stage
  // Guarded by the queue's mutex; on their own cache line, away from the producer's fields.
  alignas(64) std::size_t read_bytes = 0;
  std::size_t read_items = 0;
  std::uint64_t base_items = 0;  // lines written (and consumed) before the last reset
};

namespace {

struct StageRef {
  std::uint64_t queue_id;
  std::shared_ptr<Stage> stage;
};

// This thread's stages, one per queue it has sent to. Destroyed at thread exit, which marks each
// stage abandoned so the flusher takes what it still holds.
struct ThreadStages {
  std::vector<StageRef> refs;
  ThreadStages() = default;
  ThreadStages(const ThreadStages&) = delete;
  ThreadStages& operator=(const ThreadStages&) = delete;
  ~ThreadStages();
};

thread_local ThreadStages t_stages;
// Set once this thread's stages are gone (thread exit): later sends from destructors take the
// central path. Trivially destructible, so it stays readable to the end.
thread_local bool t_stages_gone = false;
// The stage this thread used last, checked before the list: trivially destructible thread_locals
// need no initialisation guard on access.
thread_local std::uint64_t t_last_queue_id = 0;
thread_local Stage* t_last_stage = nullptr;

ThreadStages::~ThreadStages() {
  t_stages_gone = true;
  t_last_queue_id = 0;
  t_last_stage = nullptr;
  for (StageRef& ref : refs) ref.stage->abandoned.store(true, std::memory_order_release);
}

Stage* find_stage(std::uint64_t queue_id) {
  if (t_last_queue_id == queue_id) return t_last_stage;
  if (t_stages_gone) return nullptr;
  for (StageRef& ref : t_stages.refs) {
    if (ref.queue_id == queue_id) {
      t_last_queue_id = queue_id;
      t_last_stage = ref.stage.get();
      return t_last_stage;
    }
  }
  return nullptr;
}

std::size_t staged_items(std::uint64_t packed) { return static_cast<std::size_t>(packed >> 32); }
std::size_t staged_bytes(std::uint64_t packed) { return static_cast<std::size_t>(packed & kBytesMask); }

bool reserve_from(std::atomic<std::size_t>& reserved, std::size_t amount, std::size_t limit) {
  std::size_t current = reserved.load(std::memory_order_relaxed);
  do {
    if (amount > limit || current > limit - amount) return false;
  } while (!reserved.compare_exchange_weak(current, current + amount, std::memory_order_relaxed));
  return true;
}

}  // namespace

LineQueue::LineQueue(const QueueBounds& bounds, std::shared_ptr<Clock> clock)
    : bounds_(bounds),
      clock_(std::move(clock)),
      id_(g_next_queue_id.fetch_add(1, std::memory_order_relaxed)),
      handoff_bytes_(std::min(bounds.staging_bytes / 2, bounds.batch_bytes)),
      credit_chunk_items_(std::clamp<std::size_t>(bounds.max_items / 64, 1, kMaxCreditItems)),
      credit_chunk_bytes_(std::clamp<std::size_t>(bounds.max_bytes / 64, 1, kMaxCreditBytes)) {
  stats_.capacity_items = bounds.max_items;
  stats_.capacity_bytes = bounds.max_bytes;
}

LineQueue::~LineQueue() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& stage : stages_) {
    stage->buffer.reset();  // the thread never touches it again: it only reads the flags
    stage->queue_gone.store(true, std::memory_order_release);
  }
}

bool LineQueue::try_reserve(std::size_t items, std::size_t bytes) {
  if (!reserve_from(reserved_items_, items, bounds_.max_items)) return false;
  if (reserve_from(reserved_bytes_, bytes, bounds_.max_bytes)) return true;
  reserved_items_.fetch_sub(items, std::memory_order_relaxed);
  return false;
}

void LineQueue::release(std::size_t items, std::size_t bytes) {
  reserved_items_.fetch_sub(items, std::memory_order_relaxed);
  reserved_bytes_.fetch_sub(bytes, std::memory_order_relaxed);
}

bool LineQueue::refill_credit(Stage& stage, std::size_t items, std::size_t bytes) {
  const std::size_t need_items = items > stage.credit_items ? items - stage.credit_items : 0;
  const std::size_t need_bytes = bytes > stage.credit_bytes ? bytes - stage.credit_bytes : 0;
  // A chunk when the budget has it, else exactly what this send needs.
  std::size_t got_items = need_items == 0 ? 0 : std::max(need_items, credit_chunk_items_);
  if (got_items != 0 && !reserve_from(reserved_items_, got_items, bounds_.max_items)) {
    got_items = need_items;
    if (!reserve_from(reserved_items_, got_items, bounds_.max_items)) return false;
  }
  std::size_t got_bytes = need_bytes == 0 ? 0 : std::max(need_bytes, credit_chunk_bytes_);
  if (got_bytes != 0 && !reserve_from(reserved_bytes_, got_bytes, bounds_.max_bytes)) {
    got_bytes = need_bytes;
    if (!reserve_from(reserved_bytes_, got_bytes, bounds_.max_bytes)) {
      reserved_items_.fetch_sub(got_items, std::memory_order_relaxed);
      return false;
    }
  }
  stage.credit_items += got_items;
  stage.credit_bytes += got_bytes;
  return true;
}

Batch LineQueue::fresh_batch() {
  Batch batch;
  if (!spare_buffers_.empty()) {
    batch.lines = std::move(spare_buffers_.back());
    spare_buffers_.pop_back();
  } else {
    // No spare (the queue holds more batches than are kept): start at the size whole batches grew to,
    // not by doubling from empty, which copied each batch about twice more and touched fresh pages
    // each time (a third of the flusher's copying with a deep queue, docs/benchmarks.md).
    batch.lines.reserve(full_batch_capacity_);
  }
  return batch;
}

void LineQueue::recycle(std::string&& buffer) {
  buffer.clear();
  // Keep a few buffers, each no larger than a batch, so steady state allocates nothing and the
  // spares never add more than a few batches to memory.
  if (buffer.capacity() > 2 * bounds_.batch_bytes) return;
  full_batch_capacity_ = std::max(full_batch_capacity_, buffer.capacity());
  if (spare_buffers_.size() < kMaxSpareBuffers) spare_buffers_.push_back(std::move(buffer));
}

void LineQueue::append_central(std::string_view lines, std::size_t items, bool& batch_ready) {
  const auto fits = [&](std::size_t add_items, std::size_t add_bytes) {
    return open_.items == 0 || (open_.items + add_items <= bounds_.batch_items &&
                                open_.lines.size() + add_bytes <= bounds_.batch_bytes);
  };
  if (items > 1 && !fits(items, lines.size())) {
    // Lines handed over from a stage: split them at line ends so batches keep their bounds. Every
    // line is one item.
    while (!lines.empty()) {
      const std::size_t end = lines.find('\n');
      const std::size_t length = end == std::string_view::npos ? lines.size() : end + 1;
      append_central(lines.substr(0, length), 1, batch_ready);
      lines.remove_prefix(length);
    }
    return;
  }
  if (!fits(items, lines.size())) {
    sealed_.push_back(std::move(open_));
    open_ = fresh_batch();
    batch_ready = true;
  }
  if (open_.items == 0) open_.oldest = clock_->now();
  open_.lines.append(lines.data(), lines.size());
  open_.items += items;
  if (open_.items >= bounds_.batch_items || open_.lines.size() >= bounds_.batch_bytes) batch_ready = true;
}

std::size_t LineQueue::append_staged(std::string_view staged, std::size_t items, bool& batch_ready) {
  std::size_t line_bytes = 0;
  for (std::size_t at = 0; at < staged.size();) {
    const std::size_t record = find_deferred(staged, at);
    if (record == std::string_view::npos) {  // the rest is lines (all of it, without records)
      append_central(staged.substr(at), items, batch_ready);
      line_bytes += staged.size() - at;
      break;
    }
    if (record > at) {
      const std::string_view lines = staged.substr(at, record - at);
      const auto count = static_cast<std::size_t>(std::count(lines.begin(), lines.end(), '\n'));
      append_central(lines, count, batch_ready);
      items -= count;
      line_bytes += lines.size();
    }
    DeferredHeader header;
    std::memcpy(&header, staged.data() + record, sizeof header);
    if (!last_timestamp_ || header.timestamp_unit != last_timestamp_->unit() ||
        header.timestamp_count != last_timestamp_->count()) {
      last_timestamp_ = timestamp_of(header);
      last_timestamp_text_.resize(format::kMaxTimestampChars);
      last_timestamp_text_.resize(timestamp_text(last_timestamp_text_.data(), *last_timestamp_).size());
    }
    if (deferred_line_.size() < header.footprint) deferred_line_.resize(header.footprint);
    char* const end = write_deferred(
        deferred_line_.data(), std::string_view(staged.data() + record + sizeof header, header.text_size),
        header.value_at, header.value, last_timestamp_text_);
    const std::string_view line(deferred_line_.data(), static_cast<std::size_t>(end - deferred_line_.data()));
    append_central(line, 1, batch_ready);
    items -= 1;
    line_bytes += line.size();
    at = record + header.footprint;
  }
  release(0, staged.size() - line_bytes);
  return line_bytes;
}

void LineQueue::consume_stage(Stage& stage, bool& batch_ready) {
  take_handed();  // lines handed over earlier go first: each thread's order is kept
  const std::uint64_t packed = stage.published.load(std::memory_order_acquire);
  const std::size_t bytes = staged_bytes(packed);
  if (bytes == stage.read_bytes || !stage.buffer) return;
  const std::size_t items = staged_items(packed) - stage.read_items;
  const std::string_view lines(stage.buffer.get() + stage.read_bytes, bytes - stage.read_bytes);
  moved_in_ += items;
  stats_.queued += items;
  stats_.queued_bytes += append_staged(lines, items, batch_ready);
  stage.read_bytes = bytes;
  stage.read_items = staged_items(packed);
}

void LineQueue::sweep_stages(bool everything) {
  take_handed();
  bool batch_ready = false;
  bool freed = false;
  for (std::size_t index = 0; index < stages_.size();) {
    Stage& stage = *stages_[index];
    const bool abandoned = stage.abandoned.load(std::memory_order_acquire);
    if (everything || abandoned) consume_stage(stage, batch_ready);
    if (!abandoned) {
      ++index;
      continue;
    }
    // The thread is gone: its lines are central now; fold its counters in and return its credit.
    release(stage.credit_items, stage.credit_bytes);
    freed = true;
    const std::uint64_t written = stage.base_items + stage.read_items;
    stats_.accepted += written;
    moved_in_ -= written;
    for (std::size_t reason = 0; reason < kDropReasonCount; ++reason) {
      const std::uint64_t dropped = stage.dropped[reason].load(std::memory_order_relaxed);
      stats_.accepted += dropped;
      count_drop(stats_, dropped, static_cast<DropReason>(reason));
    }
    stages_[index] = std::move(stages_.back());
    stages_.pop_back();
  }
  if (freed) room_available_.notify_all();
}

void LineQueue::count_stage_drop(Stage& stage, std::size_t items, DropReason reason) {
  std::atomic<std::uint64_t>& counter = stage.dropped[static_cast<std::size_t>(reason)];
  counter.store(counter.load(std::memory_order_relaxed) + items, std::memory_order_relaxed);
}

Stage& LineQueue::stage_for_this_thread() {
  if (Stage* stage = find_stage(id_)) return *stage;
  std::vector<StageRef>& refs = t_stages.refs;
  refs.erase(std::remove_if(
                 refs.begin(), refs.end(),
                 [](const StageRef& ref) { return ref.stage->queue_gone.load(std::memory_order_acquire); }),
             refs.end());
  auto stage = std::make_shared<Stage>(2 * handoff_bytes_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stages_.push_back(stage);
  }
  refs.push_back(StageRef{id_, stage});
  t_last_queue_id = id_;
  t_last_stage = stage.get();
  return *stage;
}

Stage* LineQueue::stage_for(std::size_t bytes, std::size_t items) {
  if (bounds_.staging_bytes == 0 || bytes > handoff_bytes_ || items >= kMaxStagedItems) return nullptr;
  if (t_last_queue_id == id_) return t_last_stage;
  if (!t_stages_gone) return &stage_for_this_thread();
  return nullptr;
}

Status LineQueue::push(std::string_view lines, std::size_t items, const Clock& clock, bool& batch_ready) {
  batch_ready = false;
  if (Stage* stage = stage_for(lines.size(), items)) {
    const auto write = [&](char* at) { std::memcpy(at, lines.data(), lines.size()); };
    const auto to_central = [&] { return push_central(lines, items, clock, batch_ready, stage); };
    return push_staged(*stage, lines.size(), items, write, to_central, batch_ready);
  }
  // Too large to stage: this thread's staged lines go first, to keep its order.
  Stage* stage = bounds_.staging_bytes != 0 ? find_stage(id_) : nullptr;
  return push_central(lines, items, clock, batch_ready, stage);
}

Status LineQueue::push_deferred(const DeferredLine& line, bool& batch_ready) {
  const std::size_t footprint = deferred_footprint(line);
  // Behind by a batch: the producers write their lines, in parallel, until the flusher catches up.
  Stage* stage = footprint <= bounds_.max_bytes && !writer_behind_.load(std::memory_order_relaxed)
                     ? stage_for(footprint, 1)
                     : nullptr;
  if (stage == nullptr) return push_written(line, nullptr, batch_ready);
  batch_ready = false;
  const auto write = [&](char* at) {
    // Field by field into the buffer: a header built on the stack and copied whole (or a Timestamp
    // copied whole) made the CPU wait for small stores before a wide load (store forwarding), which
    // was most of a send.
    const auto put = [at](std::size_t offset, const auto& field) {
      std::memcpy(at + offset, &field, sizeof field);
    };
    put(offsetof(DeferredHeader, marker), kDeferredMarker);
    put(offsetof(DeferredHeader, footprint), static_cast<std::uint32_t>(footprint));
    put(offsetof(DeferredHeader, value_at), static_cast<std::uint32_t>(line.value_at));
    put(offsetof(DeferredHeader, text_size), static_cast<std::uint32_t>(line.text.size()));
    put(offsetof(DeferredHeader, value), line.value);
    put(offsetof(DeferredHeader, timestamp_count), line.timestamp.count());
    put(offsetof(DeferredHeader, timestamp_unit), line.timestamp.unit());
    std::memcpy(at + sizeof(DeferredHeader), line.text.data(), line.text.size());
  };
  return push_staged(
      *stage, footprint, 1, write, [&] { return push_written(line, stage, batch_ready); }, batch_ready);
}

Status LineQueue::push_written(const DeferredLine& line, Stage* stage, bool& batch_ready) {
  // Into a stack buffer (a heap one past 1 KiB).
  const std::size_t footprint = deferred_footprint(line);
  char stack_line[1024];
  std::string heap_line;
  char* const begin =
      footprint <= sizeof stack_line ? stack_line : (heap_line.resize(footprint), heap_line.data());
  char timestamp[format::kMaxTimestampChars];
  const std::string_view written(
      begin, static_cast<std::size_t>(write_deferred(begin, line.text, line.value_at, line.value,
                                                     timestamp_text(timestamp, line.timestamp)) -
                                      begin));
  if (stage != nullptr) return push_central(written, 1, *clock_, batch_ready, stage);
  return push(written, 1, *clock_, batch_ready);
}

template <class Write, class ToCentral>
Status LineQueue::push_staged(Stage& stage, std::size_t bytes, std::size_t items, const Write& write,
                              const ToCentral& to_central, bool& batch_ready) {
  if (closed_flag_.load(std::memory_order_acquire)) {
    count_stage_drop(stage, items, DropReason::closed);
    return closed_status();
  }
  if (items > stage.credit_items || bytes > stage.credit_bytes) {
    if (bytes > bounds_.max_bytes || items > bounds_.max_items) {
      count_stage_drop(stage, items, DropReason::too_large);
      return too_large_status(bytes, items, bounds_);
    }
    if (!refill_credit(stage, items, bytes)) {
      if (bounds_.overflow_policy == OverflowPolicy::block) {
        return to_central();
      }
      count_stage_drop(stage, items, DropReason::queue_full);
      return queue_full_status();
    }
  }
  write(stage.buffer.get() + stage.write_bytes);
  stage.write_bytes += bytes;
  stage.write_items += items;
  stage.credit_items -= items;
  stage.credit_bytes -= bytes;
  stage.published.store(static_cast<std::uint64_t>(stage.write_items) << 32 | stage.write_bytes,
                        std::memory_order_release);
  if (stage.write_bytes >= handoff_bytes_ || stage.write_items >= bounds_.batch_items)
    hand_over(stage, batch_ready);
  return Status();
}

void LineQueue::hand_over(Stage& stage, bool& batch_ready) {
  // The full buffer itself goes to the central part (the flusher copies it into batches); the thread
  // continues in a spare one. The lock is held for a few pointer moves, not for a copy.
  std::unique_lock<std::mutex> lock(mutex_, std::defer_lock);
  lock_briefly_spinning(lock);
  const std::size_t items = stage.write_items - stage.read_items;
  const std::size_t bytes = stage.write_bytes - stage.read_bytes;
  if (items > 0) {
    handed_.push_back(HandedChunk{std::move(stage.buffer), stage.read_bytes, stage.write_bytes, items});
    handed_items_ += items;
    handed_bytes_ += bytes;
    moved_in_ += items;
    stats_.queued += items;
    stats_.queued_bytes += bytes;
    if (spare_chunks_.empty()) {
      stage.buffer.reset(new char[stage.capacity]);
    } else {
      stage.buffer = std::move(spare_chunks_.back());
      spare_chunks_.pop_back();
    }
  }
  stage.base_items += stage.write_items;
  stage.read_bytes = 0;
  stage.read_items = 0;
  stage.write_bytes = 0;
  stage.write_items = 0;
  stage.published.store(0, std::memory_order_relaxed);
  if (handed_items_ + open_.items >= bounds_.batch_items ||
      handed_bytes_ + open_.lines.size() >= bounds_.batch_bytes) {
    batch_ready = true;
  }
  if (handed_items_ >= bounds_.batch_items || handed_bytes_ >= bounds_.batch_bytes)
    writer_behind_.store(true, std::memory_order_relaxed);
}

void LineQueue::take_handed() {
  bool batch_ready = false;
  for (HandedChunk& chunk : handed_) {
    // The chunk's bytes count as queued since the hand-over; the records' unused room stops counting.
    const std::size_t bytes = chunk.end - chunk.begin;
    stats_.queued_bytes -= bytes - append_staged(std::string_view(chunk.buffer.get() + chunk.begin, bytes),
                                                 chunk.items, batch_ready);
    if (spare_chunks_.size() < kMaxSpareChunks) spare_chunks_.push_back(std::move(chunk.buffer));
  }
  handed_.clear();
  handed_items_ = 0;
  handed_bytes_ = 0;
}

Status LineQueue::push_central(std::string_view lines, std::size_t items, const Clock& /*clock*/,
                               bool& batch_ready, Stage* stage) {
  std::unique_lock<std::mutex> lock(mutex_, std::defer_lock);
  lock_briefly_spinning(lock);
  if (stage != nullptr) consume_stage(*stage, batch_ready);
  if (closed_) {
    stats_.accepted += items;
    count_drop(stats_, items, DropReason::closed);
    return closed_status();
  }
  const bool can_ever_fit = lines.size() <= bounds_.max_bytes && items <= bounds_.max_items;
  bool reserved = can_ever_fit && try_reserve(items, lines.size());
  if (can_ever_fit && !reserved && bounds_.overflow_policy == OverflowPolicy::block) {
    room_available_.wait_for(lock, bounds_.block_timeout, [&] {
      reserved = !closed_ && try_reserve(items, lines.size());
      return closed_ || reserved;
    });
  }
  stats_.accepted += items;
  if (closed_) {
    if (reserved) release(items, lines.size());
    count_drop(stats_, items, DropReason::closed);
    return closed_status();
  }
  if (!can_ever_fit) {
    count_drop(stats_, items, DropReason::too_large);
    return too_large_status(lines.size(), items, bounds_);
  }
  if (!reserved) {
    count_drop(stats_, items, DropReason::queue_full);
    return queue_full_status();
  }
  append_central(lines, items, batch_ready);
  stats_.queued += items;
  stats_.queued_bytes += lines.size();
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
  sweep_stages(include_open);
  if (!sealed_.empty()) {
    batch = std::move(sealed_.front());
    sealed_.pop_front();
    // Caught up: no other full batch waits, the producers may leave their series lines to it again.
    if (sealed_.empty()) writer_behind_.store(false, std::memory_order_relaxed);
    return true;
  }
  writer_behind_.store(false, std::memory_order_relaxed);
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
  release(finished_items, finished_bytes);
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

void LineQueue::drop_everything(DropReason reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Staged lines join the central count first (as a hand-over would), then everything central is
  // dropped at once: nothing is copied, which matters when close()'s deadline has already passed.
  std::size_t items = handed_items_ + open_.items;
  std::size_t bytes = handed_bytes_ + open_.lines.size();
  for (const auto& stage : stages_) {
    const std::uint64_t packed = stage->published.load(std::memory_order_acquire);
    const std::size_t staged = staged_items(packed) - stage->read_items;
    const std::size_t staged_size = staged_bytes(packed) - stage->read_bytes;
    moved_in_ += staged;
    stats_.queued += staged;
    stats_.queued_bytes += staged_size;
    items += staged;
    bytes += staged_size;
    stage->read_items = staged_items(packed);
    stage->read_bytes = staged_bytes(packed);
  }
  for (const Batch& batch : sealed_) {
    items += batch.items;
    bytes += batch.lines.size();
  }
  handed_.clear();
  handed_items_ = 0;
  handed_bytes_ = 0;
  writer_behind_.store(false, std::memory_order_relaxed);
  sealed_.clear();
  open_ = Batch();
  count_drop(stats_, items, reason);
  stats_.queued -= items;
  stats_.queued_bytes -= bytes;
  release(items, bytes);
  finished_ += items;
  sweep_stages(false);  // fold in the stages of threads that have exited
  room_available_.notify_all();
  finished_changed_.notify_all();
}

void LineQueue::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  closed_flag_.store(true, std::memory_order_release);
  room_available_.notify_all();
}

void LineQueue::finalize() {
  std::lock_guard<std::mutex> lock(mutex_);
  final_ = true;
}

std::uint64_t LineQueue::accepted_sequence() const {
  std::lock_guard<std::mutex> lock(mutex_);
  // Lines dropped before entering the queue are finished at once; count them on both sides.
  std::uint64_t staged = 0;
  for (const auto& stage : stages_) {
    staged += staged_items(stage->published.load(std::memory_order_acquire)) - stage->read_items;
  }
  return finished_ + stats_.queued + staged;
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
  // Each stage's counters are read at a slightly different instant, but what a stage holds only
  // moves to the central part under this mutex, so the sums keep the identity exactly.
  TypeStats stats = stats_;
  for (const auto& stage : stages_) {
    const std::uint64_t packed = stage->published.load(std::memory_order_acquire);
    const std::uint64_t staged = staged_items(packed) - stage->read_items;
    const std::uint64_t bytes = staged_bytes(packed) - stage->read_bytes;
    stats.accepted += stage->base_items + staged_items(packed);
    if (final_) {
      // Staged by a send that raced with close(), after the flusher's last sweep.
      count_drop(stats, staged, DropReason::closed);
    } else {
      stats.queued += staged;
      stats.queued_bytes += bytes;
    }
    for (std::size_t reason = 0; reason < kDropReasonCount; ++reason) {
      const std::uint64_t dropped = stage->dropped[reason].load(std::memory_order_relaxed);
      stats.accepted += dropped;
      count_drop(stats, dropped, static_cast<DropReason>(reason));
    }
  }
  return stats;
}

}  // namespace wavefront::queue
