// A registry of application metrics: counters, delta counters, gauges, histograms and timers.
//
// Each metric is identified by its name plus its tags (in any order) and is created on first use;
// keep the returned reference and update it from any thread, cheaply:
//
//   wavefront::MetricRegistry registry;
//   wavefront::Counter& requests = registry.counter("http.requests", {{"route", "/pay"}});
//   requests.inc();                                       // one relaxed atomic add
//   registry.gauge("queue.depth").set(42);
//   registry.gauge_callback("heap.bytes", {}, [] { return current_heap_bytes(); });
//   { auto timing = registry.timer("charge.latency").time(); charge(); }  // milliseconds
//
// A `Reporter` (reporter.h) sends everything through a sender at a fixed interval. References stay
// valid for the registry's lifetime; metrics are never removed. A counter and a gauge may share a name
// (they are different metrics); avoid it, as both would be reported under that name.
//
// Thread-safety: every method of the registry and of the metrics is safe to call concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "wavefront/export.h"
#include "wavefront/histogram.h"
#include "wavefront/types.h"

namespace wavefront {

// A cumulative count, reported as a metric with its current value.
class WAVEFRONT_API Counter {
 public:
  void inc(std::int64_t amount = 1) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
  std::int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// Counts since the last report, reported as a delta counter (`∆name`); the reporter takes the delta.
class WAVEFRONT_API DeltaCounter {
 public:
  void inc(std::int64_t amount = 1) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
  std::int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }
  // The count since the previous take(), which it resets.
  std::int64_t take() noexcept { return value_.exchange(0, std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// The latest value set.
class WAVEFRONT_API Gauge {
 public:
  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Durations recorded into a histogram, in milliseconds.
class WAVEFRONT_API Timer {
 public:
  explicit Timer(HistogramOptions options) : histogram_(std::move(options)) {}
  void record(std::chrono::nanoseconds duration) {
    histogram_.update(static_cast<double>(duration.count()) / 1e6);
  }

  // Records the time from its creation to its destruction.
  class Scope {
   public:
    explicit Scope(Timer& timer) : timer_(timer), start_(std::chrono::steady_clock::now()) {}
    ~Scope() { timer_.record(std::chrono::steady_clock::now() - start_); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Timer& timer_;
    std::chrono::steady_clock::time_point start_;
  };
  Scope time() { return Scope(*this); }

  Histogram& histogram() { return histogram_; }

 private:
  Histogram histogram_;
};

class WAVEFRONT_API MetricRegistry {
 public:
  enum class Kind { counter, delta_counter, gauge, gauge_callback, cumulative_callback, histogram, timer };

  // One registered metric, as the reporter sees it.
  struct Entry {
    Kind kind;
    std::string name;
    std::vector<std::pair<std::string, std::string>> tags;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<DeltaCounter> delta_counter;
    std::unique_ptr<Gauge> gauge;
    std::function<double()> callback;           // gauge_callback
    std::function<std::uint64_t()> cumulative;  // cumulative_callback
    std::uint64_t last_reported = 0;            // cumulative_callback, reporter-owned
    std::unique_ptr<Histogram> histogram;
    std::unique_ptr<Timer> timer;
  };

  MetricRegistry() = default;
  explicit MetricRegistry(HistogramOptions default_histogram_options)
      : default_histogram_options_(std::move(default_histogram_options)) {}
  MetricRegistry(const MetricRegistry&) = delete;
  MetricRegistry& operator=(const MetricRegistry&) = delete;

  Counter& counter(std::string_view name, TagList tags = {});
  DeltaCounter& delta_counter(std::string_view name, TagList tags = {});
  Gauge& gauge(std::string_view name, TagList tags = {});
  // A gauge read from `read` at each report (replaces the callback if the gauge exists).
  void gauge_callback(std::string_view name, TagList tags, std::function<double()> read);
  // A count kept elsewhere, reported as a delta counter of its growth since the previous report.
  void cumulative_callback(std::string_view name, TagList tags, std::function<std::uint64_t()> read);
  Histogram& histogram(std::string_view name, TagList tags = {});
  Histogram& histogram(std::string_view name, TagList tags, const HistogramOptions& options);
  Timer& timer(std::string_view name, TagList tags = {});

  // Calls `visit` for every metric, in registration order, holding the registry's read lock.
  void for_each(const std::function<void(Entry&)>& visit);
  std::size_t size() const;

 private:
  Entry& find_or_add(Kind kind, std::string_view name, TagList tags, const HistogramOptions* options);

  HistogramOptions default_histogram_options_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::size_t> index_;  // kind + name + sorted tags -> entries_
  std::vector<std::unique_ptr<Entry>> entries_;
};

}  // namespace wavefront
