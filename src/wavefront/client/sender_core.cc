// The sender engine: caller-side formatting and queueing, and the flusher thread; see sender_core.h.
#include "wavefront/client/sender_core.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "wavefront/format/fields.h"
#include "wavefront/format/numbers.h"

namespace wavefront::client {
namespace {

using Milliseconds = std::chrono::milliseconds;
constexpr auto kFlusherMaxSleep = Milliseconds(100);  // re-check the (possibly manual) clock this often
// How long past its own deadline a close() waits for another thread's close to finish: the flusher
// notices a moved deadline within one wait slice of the transports.
constexpr auto kCloseSlack = Milliseconds(100);
constexpr std::size_t kMaxStagingBytes = std::size_t{64} * 1024 * 1024;

std::array<internal::Backoff, kDataTypeCount + 1> make_backoffs(const SenderConfig& config) {
  const auto seed = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  const auto make = [&](std::uint64_t index) {
    return internal::Backoff(config.retry_backoff_initial, config.retry_backoff_max, seed + index * 7919);
  };
  return {make(0), make(1), make(2), make(3), make(4), make(5)};
}

queue::QueueBounds bounds_of(const SenderConfig& config) {
  return queue::QueueBounds{config.max_queue_items, config.max_queue_bytes, config.batch_items,
                            config.batch_bytes,     config.overflow_policy, config.block_timeout,
                            config.staging_bytes};
}

Status out_of_range(const char* field, const std::string& rule) {
  return Status(ErrorCode::invalid_argument, std::string(field) + " " + rule);
}

}  // namespace

Status validate_sender_config(const SenderConfig& config) {
  if (config.flush_interval <= Milliseconds(0)) return out_of_range("flush_interval", "must be positive");
  if (config.max_queue_items == 0) return out_of_range("max_queue_items", "must be at least 1");
  if (config.max_queue_bytes < 1024) return out_of_range("max_queue_bytes", "must be at least 1024");
  if (config.batch_items == 0 || config.batch_items > config.max_queue_items) {
    return out_of_range("batch_items", "must be between 1 and max_queue_items");
  }
  if (config.batch_bytes < 1024 || config.batch_bytes > config.max_queue_bytes) {
    return out_of_range("batch_bytes", "must be between 1024 and max_queue_bytes");
  }
  if (config.block_timeout < Milliseconds(0)) return out_of_range("block_timeout", "must not be negative");
  if (config.staging_bytes != 0 && (config.staging_bytes < 1024 || config.staging_bytes > kMaxStagingBytes)) {
    return out_of_range("staging_bytes", "must be 0 (no staging) or between 1024 and 67108864");
  }
  if (config.retry_backoff_initial <= Milliseconds(0) ||
      config.retry_backoff_max < config.retry_backoff_initial) {
    return out_of_range("retry_backoff_initial", "must be positive and at most retry_backoff_max");
  }
  if (config.max_retry_age <= Milliseconds(0)) return out_of_range("max_retry_age", "must be positive");
  if (config.close_timeout < Milliseconds(0)) return out_of_range("close_timeout", "must not be negative");
  if (config.self_metrics_interval < Milliseconds(0)) {
    return out_of_range("self_metrics_interval", "must not be negative (0 turns self-metrics off)");
  }
  if (config.log_interval < Milliseconds(0)) return out_of_range("log_interval", "must not be negative");
  return Status();
}

SenderCore::SenderCore(const SenderConfig& config, ClientIdentity identity,
                       const TransportFactory& make_transport)
    : Sender(config.format, identity.events_as_json),
      config_(config),
      identity_(std::move(identity)),
      clock_(config.clock ? config.clock : Clock::system()),
      log_(config.logger, clock_, config.log_interval),
      transport_(make_transport(log_)),
      backoff_(make_backoffs(config)),
      started_(clock_->now()) {
  for (auto& queue : queues_) queue = std::make_unique<queue::LineQueue>(bounds_of(config), clock_);
  register_self_metrics();
  flusher_.start([this] { run(); });
}

SenderCore::~SenderCore() {
  close(config_.close_timeout);
  // Another thread's close() may still be finishing (its flusher past every deadline): our members
  // must outlive it.
  std::unique_lock<std::mutex> lock(mutex_);
  closed_changed_.wait(lock, [&] { return closed_; });
}

Status SenderCore::refuse_unrouted(std::size_t index, std::size_t items) {
  const DataType type = queue_type(index);
  queues_[index]->count_dropped_unqueued(items, DropReason::not_configured);
  Status status(ErrorCode::not_configured, transport_->route_hint(type));
  log_.log(LogLevel::warning, internal::LogKind::data_dropped,
           [&] { return "dropping " + std::string(data_type_name(type)) + ": " + status.message(); });
  return status;
}

Status SenderCore::submit(const FormattedLines& lines) { return submit_into(queue_index(lines.type), lines); }

Status SenderCore::submit_into(std::size_t index, const FormattedLines& lines) {
  if (!lines.status.ok()) {
    queues_[index]->count_invalid();
    return lines.status;
  }
  return enqueue(index, lines.lines, lines.items);
}

Status SenderCore::enqueue(std::size_t index, std::string_view lines, std::size_t items) {
  if (lines.empty()) return Status();  // a zero delta: valid, nothing to send
  const DataType type = queue_type(index);
  if (!transport_->routes(type)) return refuse_unrouted(index, items);
  bool batch_ready = false;
  Status status = queues_[index]->push(lines, items, *clock_, batch_ready);
  return after_push(index, std::move(status), batch_ready);
}

Status SenderCore::after_push(std::size_t index, Status status, bool batch_ready) {
  if (batch_ready) wake_flusher();
  if (status.code() == ErrorCode::queue_full || status.code() == ErrorCode::too_large) {
    const DataType type = queue_type(index);
    log_.log(LogLevel::warning, internal::LogKind::data_dropped, [&] {
      return std::string("dropping ") + std::string(data_type_name(type)) + ": " + status.message();
    });
  }
  return status;
}

void SenderCore::wake_flusher() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    batch_ready_ = true;
  }
  wake_.notify_one();
}

Status SenderCore::send_series(const SeriesLine& line, double value, Timestamp timestamp) {
  const bool delta = line.kind == SeriesKind::delta_counter;
  if (!std::isfinite(value) || (delta && value < 0)) {
    queues_[queue_index(DataType::metric)]->count_invalid();
    if (!std::isfinite(value))
      return format::check_finite(value, delta ? "delta counter value" : "metric value");
    return Status(ErrorCode::negative_delta,
                  "delta counter series has a negative value; deltas must not be negative");
  }
  if (delta && value == 0) return Status();  // valid, nothing to send
  const std::size_t index = queue_index(DataType::metric);
  if (!format::timestamp_writable(timestamp)) {  // refused: the general writer says why
    std::string unused;
    queues_[index]->count_invalid();
    return format::append_timestamp(unused, timestamp, "timestamp");
  }
  // Staged as a record: the flusher writes the line (line_queue.h), not this thread.
  if (!transport_->routes(DataType::metric)) return refuse_unrouted(index, 1);
  bool batch_ready = false;
  Status status = queues_[index]->push_deferred(
      queue::DeferredLine{line.text, line.value_at, value, timestamp}, batch_ready);
  if (!status.ok() || batch_ready) return after_push(index, std::move(status), batch_ready);
  return status;
}

FlushResult SenderCore::flush(Milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<std::uint64_t, kQueueCount> targets{};
  for (std::size_t index = 0; index < kQueueCount; ++index)
    targets[index] = queues_[index]->accepted_sequence();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    flush_requested_ = true;
  }
  wake_.notify_one();
  FlushResult result;
  for (std::size_t index = 0; index < kQueueCount; ++index) {
    queues_[index]->wait_finished(targets[index], deadline);
    const std::uint64_t finished = queues_[index]->finished_sequence();
    if (finished < targets[index]) result.items_left += targets[index] - finished;
  }
  if (result.items_left > 0) {
    result.status = Status(ErrorCode::timeout, std::to_string(result.items_left) +
                                                   " lines were still queued when the flush deadline passed");
  }
  return result;
}

FlushResult SenderCore::close(Milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + std::max(timeout, Milliseconds(0));
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_) {
    // Another thread is closing: ask it to finish by our deadline too, then wait for its result.
    if (!closed_ && deadline < abort_deadline_.get()) {
      abort_deadline_.set(deadline);
      wake_.notify_one();
    }
    closed_changed_.wait_until(lock, deadline + kCloseSlack, [&] { return closed_; });
    if (closed_) return close_result_;
    lock.unlock();
    return unsent_so_far("the close deadline passed while another thread was closing the sender");
  }
  for (auto& queue : queues_) queue->close();
  abort_deadline_.set(deadline);
  stopping_ = true;
  lock.unlock();
  wake_.notify_one();
  flusher_.join();  // the flusher gives up at the abort deadline (every wait re-reads it)
  for (auto& queue : queues_) queue->finalize();
  FlushResult result;
  for (const auto& queue : queues_) {
    const TypeStats stats = queue->snapshot();
    result.items_left += stats.dropped_by_reason[static_cast<std::size_t>(DropReason::unsent_at_close)];
  }
  if (result.items_left > 0) {
    result.status =
        Status(ErrorCode::timeout, std::to_string(result.items_left) +
                                       " lines could not be delivered before the close deadline and "
                                       "were dropped (unsent_at_close)");
  }
  lock.lock();
  close_result_ = result;
  closed_ = true;
  closed_changed_.notify_all();  // under the lock: a waiting destructor may free us once we unlock
  return result;
}

FlushResult SenderCore::unsent_so_far(const char* when) const {
  FlushResult result;
  for (const auto& queue : queues_) result.items_left += queue->snapshot().queued;
  result.status = Status(ErrorCode::timeout, std::string(when) + "; " + std::to_string(result.items_left) +
                                                 " lines were still queued");
  return result;
}

void SenderCore::close_at_exit() {
  const FlushResult result = close(config_.close_timeout);
  if (result.items_left == 0) return;
  log_.log(LogLevel::error, internal::LogKind::data_dropped, [&] {
    return "at exit: " + std::to_string(result.items_left) +
           " lines could not be delivered within close_timeout and were dropped (unsent_at_close)";
  });
}

void SenderCore::abandon_after_fork() {
  transport_->abandon_after_fork();
  flusher_.join();  // not in this process: forgets the thread without waiting for it
}

std::uint64_t SenderCore::failure_count() const {
  const SenderStats snapshot = stats();
  std::uint64_t failures = 0;
  for (const TypeStats& type : snapshot.types) failures += type.invalid + type.dropped + type.report_errors;
  const TypeStats& self = snapshot.self_metrics;
  return failures + self.invalid + self.dropped + self.report_errors;
}

SenderStats SenderCore::stats() const {
  SenderStats snapshot;
  for (std::size_t index = 0; index < kDataTypeCount; ++index)
    snapshot.types[index] = queues_[index]->snapshot();
  snapshot.self_metrics = queues_[kSelfQueue]->snapshot();
  transport_->add_stats(snapshot);
  return snapshot;
}

void SenderCore::run() {
  auto next_flush = started_ + config_.flush_interval;
  auto next_self_metrics = started_ + config_.self_metrics_interval;
  bool seen_stopping = false;
  for (;;) {
    bool flush_now = false;
    bool stopping = false;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      const auto until_flush = std::chrono::duration_cast<Milliseconds>(next_flush - clock_->now());
      const auto sleep = std::clamp(until_flush, Milliseconds(0), kFlusherMaxSleep);
      wake_.wait_for(lock, sleep, [&] { return stopping_ || flush_requested_ || batch_ready_; });
      flush_now = std::exchange(flush_requested_, false);
      batch_ready_ = false;
      stopping = stopping_;
    }
    const auto now = clock_->now();
    if (stopping && !seen_stopping) {
      // Closing: give every data type one immediate attempt, whatever its backoff said.
      seen_stopping = true;
      next_attempt_.fill(now);
    }
    const bool interval_due = now >= next_flush;
    if (interval_due) next_flush = now + config_.flush_interval;
    if (!stopping && config_.self_metrics_interval > Milliseconds(0) && now >= next_self_metrics) {
      next_self_metrics = now + config_.self_metrics_interval;
      report_self_metrics();
    }
    for (std::size_t index = 0; index < kQueueCount; ++index)
      drain(index, interval_due || flush_now || stopping);
    if (!stopping) continue;
    bool empty = true;
    for (const auto& queue : queues_) empty = empty && queue->snapshot().queued == 0;
    if (empty) break;
    if (std::chrono::steady_clock::now() >= abort_deadline_.get()) {
      drop_everything_left();
      break;
    }
    // Still retrying before the close deadline: wait for the next attempt without spinning.
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, Milliseconds(10));
  }
  transport_->shutdown();
}

void SenderCore::drain(std::size_t index, bool include_open) {
  const DataType type = queue_type(index);
  queue::LineQueue& queue = *queues_[index];
  queue::Batch batch;
  while (clock_->now() >= next_attempt_[index] && queue.take(batch, include_open)) {
    // Only data that has lived through failed deliveries expires; a long flush interval alone never
    // drops anything.
    const bool retried = last_failure_[index] >= batch.oldest;
    if (retried && clock_->now() - batch.oldest > config_.max_retry_age) {
      const std::size_t items = batch.items;
      log_.log(LogLevel::warning, internal::LogKind::data_expired, [&] {
        return "dropping " + std::to_string(items) + " " + std::string(data_type_name(type)) +
               " lines that could not be delivered within max_retry_age";
      });
      queue.complete(batch, 0, 0, items, batch.lines.size(), DropReason::expired);
      continue;
    }
    const transport::DeliveryResult result =
        transport_->deliver(type, batch.lines, batch.items, abort_deadline_);
    queue.complete(batch, result.delivered, result.delivered_bytes, result.dropped, result.dropped_bytes,
                   result.drop_reason);
    if (result.attempted && (result.failed || result.dropped > 0)) queue.count_report_error();
    if (!result.failed) {
      backoff_[index].reset();
      continue;
    }
    const auto delay = std::max(result.retry_after, backoff_[index].next());
    last_failure_[index] = clock_->now();
    next_attempt_[index] = last_failure_[index] + delay;
    return;
  }
}

void SenderCore::drop_everything_left() {
  for (auto& queue : queues_) queue->drop_everything(DropReason::unsent_at_close);
}

}  // namespace wavefront::client
