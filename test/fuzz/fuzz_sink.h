// A Sender for the import fuzz targets: every call is formatted by the library's format functions, and
// whatever they accept must be lines the strict test parser accepts as the call's kind; a refusal must
// append nothing. Any other outcome aborts. It counts calls, so the targets can check the importers'
// own accounting against it.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "support/wire_parser.h"
#include "wavefront/format.h"
#include "wavefront/sender.h"

namespace wavefront::fuzzing {

class CheckingSink final : public Sender {
 public:
  CheckingSink() { options_.default_source = "fuzz-host"; }

  Status send_metric(std::string_view name, double value, Timestamp timestamp, std::string_view source,
                     Tags tags) override {
    out_.clear();
    return judge(format_metric(out_, name, value, timestamp, source, tags, options_),
                 testing::LineKind::metric, false);
  }
  Status send_delta_counter(std::string_view name, double value, Timestamp timestamp, std::string_view source,
                            Tags tags) override {
    out_.clear();
    // A delta of 0 is accepted and writes nothing.
    return judge(format_delta_counter(out_, name, value, timestamp, source, tags, options_),
                 testing::LineKind::metric, true);
  }
  Status send_distribution(std::string_view name, Centroids centroids, GranularitySet granularities,
                           Timestamp timestamp, std::string_view source, Tags tags) override {
    ++distributions;
    out_.clear();
    return judge(format_distribution(out_, name, centroids, granularities, timestamp, source, tags, options_),
                 testing::LineKind::distribution, false);
  }
  Status send_span(std::string_view name, std::int64_t start_ms, std::int64_t duration_ms,
                   std::string_view source, std::string_view trace_id, std::string_view span_id,
                   Strings parents, Strings follows_from, Tags tags, SpanLogs span_logs) override {
    out_.clear();
    std::string logs;
    const Status status = format_span(out_, logs, name, start_ms, duration_ms, source, trace_id, span_id,
                                      parents, follows_from, tags, span_logs, options_);
    if (!status.ok() && !logs.empty()) std::abort();  // a refusal appends nothing anywhere
    if (status.ok() && !logs.empty()) check_lines(logs, testing::LineKind::span_logs, false);
    mix(logs);
    return judge(status, testing::LineKind::span, false);
  }
  Status send_event(std::string_view name, std::int64_t start_ms, std::int64_t end_ms,
                    std::string_view source, Tags annotations, Strings tags) override {
    out_.clear();
    return judge(format_event(out_, name, start_ms, end_ms, source, annotations, tags, options_),
                 testing::LineKind::event, false);
  }
  FlushResult flush(std::chrono::milliseconds) override { return FlushResult(); }
  FlushResult close(std::chrono::milliseconds) override { return FlushResult(); }
  std::uint64_t failure_count() const override { return 0; }
  SenderStats stats() const override { return SenderStats(); }

  std::uint64_t calls = 0;                         // every send call
  std::uint64_t refused = 0;                       // calls the format functions refused
  std::uint64_t lines = 0;                         // lines written by accepted calls
  std::uint64_t distributions = 0;                 // send_distribution calls
  std::uint64_t digest = 14695981039346656037ULL;  // FNV-1a of every outcome and line, in order

 private:
  Status judge(Status status, testing::LineKind kind, bool may_be_empty) {
    ++calls;
    mix(std::string_view(error_code_name(status.code())));
    mix(out_);
    if (!status.ok()) {
      ++refused;
      if (!out_.empty()) std::abort();  // a refusal appends nothing
      return status;
    }
    check_lines(out_, kind, may_be_empty);
    return status;
  }

  void check_lines(std::string_view text, testing::LineKind kind, bool may_be_empty) {
    if (text.empty()) {
      if (!may_be_empty) std::abort();  // an accepted call writes at least one line
      return;
    }
    std::size_t begin = 0;
    while (begin < text.size()) {
      const std::size_t end = text.find('\n', begin);
      if (end == std::string_view::npos) std::abort();  // every line ends with '\n'
      if (!testing::parse_wire_line(text.substr(begin, end - begin), kind).ok()) std::abort();
      ++lines;
      begin = end + 1;
    }
  }

  void mix(std::string_view text) {
    for (const char byte : text) digest = (digest ^ static_cast<unsigned char>(byte)) * 1099511628211ULL;
    digest = (digest ^ 0xFF) * 1099511628211ULL;
  }

  FormatOptions options_;
  std::string out_;
};

}  // namespace wavefront::fuzzing
