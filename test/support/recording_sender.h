// A Sender that formats every call into wire lines and keeps them, for tests of code that sends
// (registry reporter, heartbeater, span helpers). Lines are judged by the strict parser.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "wavefront/format.h"
#include "wavefront/sender.h"

namespace wavefront::testing {

class RecordingSender final : public Sender {
 public:
  Status send_metric(std::string_view name, double value, Timestamp timestamp, std::string_view source,
                     Tags tags) override {
    return record(
        [&](std::string& out) { return format_metric(out, name, value, timestamp, source, tags, options_); });
  }
  Status send_delta_counter(std::string_view name, double value, Timestamp timestamp, std::string_view source,
                            Tags tags) override {
    return record([&](std::string& out) {
      return format_delta_counter(out, name, value, timestamp, source, tags, options_);
    });
  }
  Status send_distribution(std::string_view name, Centroids centroids, GranularitySet granularities,
                           Timestamp timestamp, std::string_view source, Tags tags) override {
    return record([&](std::string& out) {
      return format_distribution(out, name, centroids, granularities, timestamp, source, tags, options_);
    });
  }
  Status send_span(std::string_view name, std::int64_t start_ms, std::int64_t duration_ms,
                   std::string_view source, std::string_view trace_id, std::string_view span_id,
                   Strings parents, Strings follows_from, Tags tags, SpanLogs span_logs) override {
    return record([&](std::string& out) {
      return format_span(out, out, name, start_ms, duration_ms, source, trace_id, span_id, parents,
                         follows_from, tags, span_logs, options_);
    });
  }
  Status send_event(std::string_view name, std::int64_t start_ms, std::int64_t end_ms,
                    std::string_view source, Tags annotations, Strings tags) override {
    return record([&](std::string& out) {
      return format_event(out, name, start_ms, end_ms, source, annotations, tags, options_);
    });
  }
  FlushResult flush(std::chrono::milliseconds) override { return FlushResult(); }
  FlushResult close(std::chrono::milliseconds) override { return FlushResult(); }
  std::uint64_t failure_count() const override { return 0; }
  SenderStats stats() const override { return SenderStats(); }

  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }
  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.clear();
  }

 private:
  template <class Format>
  Status record(Format&& format) {
    std::string out;
    Status status = format(out);
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t begin = 0;
    while (begin < out.size()) {
      const std::size_t end = out.find('\n', begin);
      lines_.push_back(out.substr(begin, end - begin));
      begin = end + 1;
    }
    return status;
  }

  FormatOptions options_ = [] {
    FormatOptions options;
    options.default_source = "test-host";
    return options;
  }();
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

}  // namespace wavefront::testing
