// The engine behind every client: formats on the caller's thread, queues per data type, and runs
// the one flusher thread that hands batches to a transport (private).
//
// Data flow: Sender's send_*() formats into a thread-local buffer -> submit() -> LineQueue::push (short lock)
// -> flusher thread: take batch -> Transport::deliver -> LineQueue::complete (delivered, dropped, or back to
// the front for a retry after backoff). flush() and close() wait on the queues' finished counters. The
// flusher also reports the self-metrics.
//
// Thread-safety: send_*, flush, close, stats and failure_count may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "wavefront/internal/backoff.h"
#include "wavefront/internal/process_lifecycle.h"
#include "wavefront/internal/rate_limited_log.h"
#include "wavefront/metrics.h"
#include "wavefront/queue/line_queue.h"
#include "wavefront/sender.h"
#include "wavefront/sender_config.h"
#include "wavefront/series.h"
#include "wavefront/transport/transport.h"

namespace wavefront::client {

// Checks the settings every client shares; the error names the field and its allowed range.
Status validate_sender_config(const SenderConfig& config);

// What distinguishes one kind of client to the core.
struct ClientIdentity {
  std::string client_kind;  // "proxy", "direct" or "wfclient": ~sdk.cpp.core.sender.<client_kind>
  std::vector<std::pair<std::string, std::string>> tags;  // carried by every self-metric
  bool events_as_json = false;  // direct ingestion takes events as JSON, one per line in the queue
};

// Builds the transport once the core exists, so that the transport can log through the core's
// rate-limited log.
using TransportFactory = std::function<std::unique_ptr<transport::Transport>(internal::RateLimitedLog&)>;

// The core implements Sender itself: its lifetime covers the flusher's, unlike the public object
// wrapping it. The flusher reports self-metrics through a SelfMetricsSender on the core's queues.
class SenderCore final : public Sender {
 public:
  SenderCore(const SenderConfig& config, ClientIdentity identity, const TransportFactory& make_transport);
  ~SenderCore() override;
  SenderCore(const SenderCore&) = delete;
  SenderCore& operator=(const SenderCore&) = delete;

  // The lines of one typed send (sender.h): counted as invalid when refused, else queued.
  Status submit(const FormattedLines& lines) override;
  // One point of a pre-registered series: checks value and timestamp and stages them with the
  // series' formatted parts; the flusher writes the line (LineQueue::push_deferred).
  Status send_series(const SeriesLine& line, double value, Timestamp timestamp);
  FlushResult flush(std::chrono::milliseconds timeout) override;
  // Safe from any number of threads at once: the first caller stops the flusher; the others wait for
  // it until their own deadline (an earlier deadline also shortens the close under way) and return
  // its result, or a timeout result with the lines still queued if their deadline passes first.
  FlushResult close(std::chrono::milliseconds timeout) override;
  // close(close_timeout) from the exit handler; logs what could not be delivered.
  void close_at_exit();
  // In a child of fork(): closes this process's copies of the inherited sockets and forgets the
  // flusher thread (it does not exist here). Touches no lock. The core must not be used afterwards.
  void abandon_after_fork();
  std::uint64_t failure_count() const override;
  SenderStats stats() const override;
  std::chrono::milliseconds close_timeout() const { return config_.close_timeout; }

 private:
  // One queue per data type, and one more for the self-metrics (delivered as metrics), so that
  // stats() keeps the user's counts apart from the library's own points.
  static constexpr std::size_t kQueueCount = kDataTypeCount + 1;
  static constexpr std::size_t kSelfQueue = kDataTypeCount;
  static DataType queue_type(std::size_t index) {
    return index == kSelfQueue ? DataType::metric : static_cast<DataType>(index);
  }
  static std::size_t queue_index(DataType type) { return static_cast<std::size_t>(type); }
  // The one path into a queue, for the user's sends (submit) and the self-metrics (SelfMetricsSender,
  // self_metrics.cc, which report_self_metrics() sends through: its metrics go to kSelfQueue).
  class SelfMetricsSender;
  Status submit_into(std::size_t index, const FormattedLines& lines);
  Status refuse_unrouted(std::size_t index, std::size_t items);
  Status enqueue(std::size_t index, std::string_view lines, std::size_t items);
  // Wakes the flusher for a full batch and logs a drop.
  Status after_push(std::size_t index, Status status, bool batch_ready);
  void wake_flusher();
  void run();
  void drain(std::size_t index, bool include_open);
  void drop_everything_left();
  FlushResult unsent_so_far(const char* when) const;
  void register_self_metrics();
  void report_self_metrics();

  const SenderConfig config_;
  const ClientIdentity identity_;
  const std::shared_ptr<Clock> clock_;
  internal::RateLimitedLog log_;
  std::unique_ptr<transport::Transport> transport_;
  std::array<std::unique_ptr<queue::LineQueue>, kQueueCount> queues_;
  std::array<std::chrono::steady_clock::time_point, kQueueCount> next_attempt_{};
  std::array<std::chrono::steady_clock::time_point, kQueueCount> last_failure_{};
  std::array<internal::Backoff, kQueueCount> backoff_;
  MetricRegistry self_registry_;
  std::set<std::pair<std::size_t, int>> registered_codes_;  // (data type, HTTP status) with a counter
  const std::chrono::steady_clock::time_point started_;     // schedules count from construction

  std::mutex mutex_;  // guards the flags below and the close result
  std::condition_variable wake_;
  std::condition_variable closed_changed_;
  bool batch_ready_ = false;
  bool flush_requested_ = false;
  bool stopping_ = false;  // a close() has begun
  bool closed_ = false;    // ... and finished: close_result_ is final
  FlushResult close_result_;
  transport::AbortDeadline abort_deadline_;
  internal::OwnedThread flusher_;
};

}  // namespace wavefront::client
