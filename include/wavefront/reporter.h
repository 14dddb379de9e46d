// `Reporter`: sends a metric registry through a sender at a fixed interval, from its own thread.
//
// Counters and gauges go out as metrics with their current value, delta counters as `∆` metrics
// with the count since the previous report, cumulative callbacks as delta counters of their growth,
// histograms and timers as distributions of their completed bins. When the reporter stops (or is
// destroyed) it makes a final report that includes the histograms' current bins, so nothing recorded
// is left behind.
//
//   wavefront::Reporter reporter(registry, sender, {std::chrono::seconds(60)});
//
// Thread-safety: report_now() and stop() may be called from any thread. In a child of fork() the
// reporter's thread does not exist: it reports no more, and stopping or destroying it there neither
// waits nor makes the final report (the registry's values are the parent's).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "wavefront/clock.h"
#include "wavefront/export.h"
#include "wavefront/metrics.h"
#include "wavefront/sender.h"

namespace wavefront {

namespace internal {
class OwnedThread;
}

struct ReporterConfig {
  std::chrono::milliseconds interval{60000};
  std::string source;                                            // empty: the sender's default
  std::vector<std::pair<std::string, std::string>> global_tags;  // added to every metric
  std::string prefix;                                            // prepended to every name
  std::shared_ptr<Clock> clock;                                  // real clocks when null
};

// Sends every metric of `registry` once; with `final`, histograms' current bins too. Returns how many
// sends were refused or dropped.
WAVEFRONT_API std::uint64_t report_registry(MetricRegistry& registry, Sender& sender,
                                            const ReporterConfig& config, bool final);

class WAVEFRONT_API Reporter {
 public:
  Reporter(MetricRegistry& registry, Sender& sender, ReporterConfig config = ReporterConfig());
  ~Reporter();  // stop()
  Reporter(const Reporter&) = delete;
  Reporter& operator=(const Reporter&) = delete;

  void report_now();
  // Final report, then the thread ends. Idempotent.
  void stop();
  std::uint64_t reports() const;

 private:
  void run(std::chrono::steady_clock::time_point first_report);

  MetricRegistry& registry_;
  Sender& sender_;
  ReporterConfig config_;
  mutable std::mutex mutex_;
  std::mutex report_mutex_;  // one report at a time
  std::condition_variable wake_;
  bool stopping_ = false;
  bool stopped_ = false;
  std::uint64_t reports_ = 0;
  std::unique_ptr<internal::OwnedThread> thread_;  // not joined after fork(): it is not in the child
};

}  // namespace wavefront
