// A Sender that writes the exact wire lines to a stream instead of sending them (`--to -`).
//
// Each call formats with the library's formatters and appends to a buffer written out in large
// chunks, so the output is in call order and byte-identical to what a client would send. Events are
// written as `@Event` lines (the proxy form).
//
// Thread-safety: all calls may be made from any thread; a mutex keeps lines whole and in order.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>

#include "wavefront/format.h"
#include "wavefront/sender.h"

namespace wfsend {

class StreamSender final : public wavefront::Sender {
 public:
  explicit StreamSender(std::FILE* stream, wavefront::FormatOptions options = wavefront::FormatOptions());
  ~StreamSender() override;

  wavefront::Status send_metric(std::string_view name, double value, wavefront::Timestamp timestamp,
                                std::string_view source, wavefront::Tags tags) override;
  wavefront::Status send_delta_counter(std::string_view name, double value, wavefront::Timestamp timestamp,
                                       std::string_view source, wavefront::Tags tags) override;
  wavefront::Status send_distribution(std::string_view name, wavefront::Centroids centroids,
                                      wavefront::GranularitySet granularities, wavefront::Timestamp timestamp,
                                      std::string_view source, wavefront::Tags tags) override;
  wavefront::Status send_span(std::string_view name, std::int64_t start_ms, std::int64_t duration_ms,
                              std::string_view source, std::string_view trace_id, std::string_view span_id,
                              wavefront::Strings parents, wavefront::Strings follows_from,
                              wavefront::Tags tags, wavefront::SpanLogs span_logs) override;
  wavefront::Status send_event(std::string_view name, std::int64_t start_ms, std::int64_t end_ms,
                               std::string_view source, wavefront::Tags annotations,
                               wavefront::Strings tags) override;
  wavefront::FlushResult flush(std::chrono::milliseconds timeout) override;
  wavefront::FlushResult close(std::chrono::milliseconds timeout) override;
  std::uint64_t failure_count() const override;
  wavefront::SenderStats stats() const override;

 private:
  // Counts the outcome of one formatted call and writes the buffer out when it is large.
  wavefront::Status finish(wavefront::DataType type, const wavefront::Status& status, std::size_t start,
                           wavefront::DataType second_type = wavefront::DataType::metric,
                           std::size_t second_start = std::string::npos);
  wavefront::Status refuse_closed(wavefront::DataType type);
  bool write_out();

  std::FILE* stream_;
  wavefront::FormatOptions options_;
  mutable std::mutex mutex_;
  std::string buffer_;
  std::string span_logs_;
  bool closed_ = false;
  bool write_failed_ = false;
  wavefront::SenderStats stats_;
};

}  // namespace wfsend
