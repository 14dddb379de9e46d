// Settings every sender shares: flush interval, queue bounds, retries, logging, self-metrics.
//
// Each client's configuration struct derives from `SenderConfig`, so these fields are set the same
// way on every client (`config.flush_interval = std::chrono::seconds(2);`). Every bound and timeout
// is here, named, with its default; the client's `create` validates them once and refuses values
// out of range with an error naming the field.
//
// Thread-safety: a plain value; copy it freely.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "wavefront/clock.h"
#include "wavefront/format.h"
#include "wavefront/logger.h"

namespace wavefront {

// What a send does when its data type's queue is full.
enum class OverflowPolicy {
  drop,   // refuse the point at once and count it as dropped (queue_full); the default
  block,  // wait up to `block_timeout` for room, then drop
};

struct SenderConfig {
  // How often queued data is delivered; a batch that reaches its size bound goes at once.
  std::chrono::milliseconds flush_interval{1000};
  // Per data type: the queue holds at most this many lines and bytes, including retried batches.
  std::size_t max_queue_items = 50000;
  std::size_t max_queue_bytes = std::size_t{16} * 1024 * 1024;
  // One batch (one HTTP request, or one run of TCP writes) holds at most this many lines and bytes.
  std::size_t batch_items = 10000;
  std::size_t batch_bytes = std::size_t{4} * 1024 * 1024;
  OverflowPolicy overflow_policy = OverflowPolicy::drop;
  std::chrono::milliseconds block_timeout{100};
  // Each thread that sends stages its lines in a buffer of its own, per data type, of this many
  // bytes, so sends from different threads never wait for each other; a thread hands its lines to
  // the queue when half the buffer (or a batch) is full, and the flusher collects what is staged at
  // every flush interval, on flush(), and when the thread exits. Staged lines count against the
  // queue's bounds. 0 turns staging off (every send takes the queue's lock). 1024..64 MiB.
  std::size_t staging_bytes = std::size_t{64} * 1024;
  // Failed deliveries are retried with exponential backoff and jitter between these bounds.
  std::chrono::milliseconds retry_backoff_initial{100};
  std::chrono::milliseconds retry_backoff_max{30000};
  // Data that failed to go out and is still undelivered this long after it was queued is dropped
  // (expired) instead of retried again.
  std::chrono::milliseconds max_retry_age{10 * 60 * 1000};
  // The destructor closes with this deadline.
  std::chrono::milliseconds close_timeout{5000};
  // The sender reports its own counters as ~sdk.cpp.core.sender.* metrics this often; 0 turns it off.
  std::chrono::milliseconds self_metrics_interval{60000};
  // Validation limits and the default source (the host name).
  FormatOptions format;
  // Warnings and errors (refused connections, 401s, dropped data, an ignored token) go to standard
  // error by default, as Python's logging does; `config.logger = nullptr;` silences them, or plug in
  // your own (logger.h). Messages of one kind are logged at most once per `log_interval`.
  std::shared_ptr<Logger> logger = make_stderr_logger(LogLevel::warning);
  std::chrono::milliseconds log_interval{60000};
  // Real clocks when null; tests inject a manual clock.
  std::shared_ptr<Clock> clock;
};

}  // namespace wavefront
