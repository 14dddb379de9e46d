// RedMetrics: the RED metrics a Tracer derives from every finished span (private to the library).
//
// Mirrors SpanDerivedMetricsUtils.reportWavefrontGeneratedData (wavefront-internal-reporter-java) and
// the tracers that call it: per application, service, operation and RED tag set, an invocation, error
// and total-time delta counter and a duration histogram in microseconds (errors in their own series
// tagged error=true), plus a `~component.heartbeat` per RED tag set. Series are found through a small
// per-thread cache, so a warm update takes no lock but the histogram shard's; the cache is keyed by
// what the span set itself (RED fields, operation, custom values) and which fields it set, since the
// others are this RedMetrics' defaults.
//
// Thread-safety: record() may run on any number of threads at once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "wavefront/application.h"
#include "wavefront/metrics.h"
#include "wavefront/sender.h"

namespace wavefront {
class Span;
namespace tracing {

// The RED name part of the SDKs: Utils.sanitizeWithoutQuotes (wavefront-sdk-java) of
// "<application>.<service>.<operation>", then the internal reporter's [^a-zA-Z0-9_.\-~] -> "_".
std::string red_metric_name(std::string_view application, std::string_view service,
                            std::string_view operation);

class RedMetrics {
 public:
  struct Settings {
    std::string source;
    std::vector<std::string> custom_tag_keys;                      // without span.kind or another RED field
    std::vector<std::pair<std::string, std::string>> global_tags;  // every span has them first
    std::chrono::nanoseconds heartbeat_interval;
  };
  RedMetrics(MetricRegistry& registry, Sender& sender, const ApplicationTags& application, Settings settings);

  // Counts a finished span. `now_ns`: steady-clock nanoseconds, for heartbeat pacing.
  void record(const Span& span, std::int64_t duration_us, std::int64_t now_ns);

 private:
  struct Heartbeat {
    std::vector<std::pair<std::string, std::string>> tags;
    std::atomic<std::int64_t> next_due_ns{0};
  };
  struct Series {
    DeltaCounter* invocation = nullptr;
    DeltaCounter* errors = nullptr;
    DeltaCounter* total_time_ms = nullptr;
    Histogram* duration_us = nullptr;
    Histogram* error_duration_us = nullptr;
    Heartbeat* heartbeat = nullptr;
  };
  // The values a span's series is keyed by: the RED fields (Span::red_fields_ order), the operation,
  // then the custom keys' values (empty when absent).
  struct Fields {
    std::string_view values[8];
    std::vector<std::string_view> custom;
  };

  Series* find_or_add(const std::string& key, const Fields& fields);
  void beat(Heartbeat& heartbeat, std::int64_t now_ns);

  MetricRegistry& registry_;
  Sender& sender_;
  const ApplicationTags& application_;
  Settings settings_;
  std::string defaults_[7];                  // the RED fields' values from the global tags
  std::vector<std::string> default_custom_;  // the custom keys' values from the global tags
  std::uint64_t id_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<Series>> series_;
  std::unordered_map<std::string, std::unique_ptr<Heartbeat>> heartbeats_;
};

}  // namespace tracing
}  // namespace wavefront
