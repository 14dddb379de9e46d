// See stdout_sender.h.
#include "wfsend/stdout_sender.h"

#include <algorithm>

namespace wfsend {

using wavefront::DataType;
using wavefront::Status;

namespace {
constexpr std::size_t kWriteThreshold = std::size_t{256} * 1024;

wavefront::TypeStats& of(wavefront::SenderStats& stats, DataType type) {
  return stats.types[static_cast<std::size_t>(type)];
}
}  // namespace

StreamSender::StreamSender(std::FILE* stream, wavefront::FormatOptions options)
    : stream_(stream), options_(std::move(options)) {}

StreamSender::~StreamSender() { close(std::chrono::milliseconds(0)); }

Status StreamSender::finish(DataType type, const Status& status, std::size_t start, DataType second_type,
                            std::size_t second_start) {
  if (!status.ok()) {
    ++of(stats_, type).invalid;
    return status;
  }
  const auto count = [&](DataType counted, std::size_t from, const std::string& text) {
    const std::size_t lines =
        static_cast<std::size_t>(std::count(text.begin() + static_cast<long>(from), text.end(), '\n'));
    of(stats_, counted).accepted += lines;
    of(stats_, counted).delivered += lines;
  };
  count(type, start, buffer_);
  if (second_start != std::string::npos) {
    count(second_type, second_start, span_logs_);
    buffer_ += span_logs_;
    span_logs_.clear();
  }
  if (buffer_.size() >= kWriteThreshold) write_out();
  return status;
}

bool StreamSender::write_out() {
  if (!buffer_.empty() && !write_failed_) {
    write_failed_ = std::fwrite(buffer_.data(), 1, buffer_.size(), stream_) != buffer_.size();
  }
  buffer_.clear();
  return !write_failed_ && std::fflush(stream_) == 0;
}

Status StreamSender::refuse_closed(DataType type) {
  ++of(stats_, type).dropped;
  ++of(stats_, type).dropped_by_reason[static_cast<std::size_t>(wavefront::DropReason::closed)];
  return Status(wavefront::ErrorCode::closed, "the output was closed");
}

Status StreamSender::send_metric(std::string_view name, double value, wavefront::Timestamp timestamp,
                                 std::string_view source, wavefront::Tags tags) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return refuse_closed(DataType::metric);
  const std::size_t start = buffer_.size();
  return finish(DataType::metric,
                wavefront::format_metric(buffer_, name, value, timestamp, source, tags, options_), start);
}

Status StreamSender::send_delta_counter(std::string_view name, double value, wavefront::Timestamp timestamp,
                                        std::string_view source, wavefront::Tags tags) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return refuse_closed(DataType::metric);
  const std::size_t start = buffer_.size();
  return finish(DataType::metric,
                wavefront::format_delta_counter(buffer_, name, value, timestamp, source, tags, options_),
                start);
}

Status StreamSender::send_distribution(std::string_view name, wavefront::Centroids centroids,
                                       wavefront::GranularitySet granularities,
                                       wavefront::Timestamp timestamp, std::string_view source,
                                       wavefront::Tags tags) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return refuse_closed(DataType::distribution);
  const std::size_t start = buffer_.size();
  return finish(DataType::distribution,
                wavefront::format_distribution(buffer_, name, centroids, granularities, timestamp, source,
                                               tags, options_),
                start);
}

Status StreamSender::send_span(std::string_view name, std::int64_t start_ms, std::int64_t duration_ms,
                               std::string_view source, std::string_view trace_id, std::string_view span_id,
                               wavefront::Strings parents, wavefront::Strings follows_from,
                               wavefront::Tags tags, wavefront::SpanLogs span_logs) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return refuse_closed(DataType::span);
  const std::size_t start = buffer_.size();
  span_logs_.clear();
  const Status status =
      wavefront::format_span(buffer_, span_logs_, name, start_ms, duration_ms, source, trace_id, span_id,
                             parents, follows_from, tags, span_logs, options_);
  return finish(DataType::span, status, start, DataType::span_log, 0);
}

Status StreamSender::send_event(std::string_view name, std::int64_t start_ms, std::int64_t end_ms,
                                std::string_view source, wavefront::Tags annotations,
                                wavefront::Strings tags) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return refuse_closed(DataType::event);
  const std::size_t start = buffer_.size();
  return finish(DataType::event,
                wavefront::format_event(buffer_, name, start_ms, end_ms, source, annotations, tags, options_),
                start);
}

wavefront::FlushResult StreamSender::flush(std::chrono::milliseconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  wavefront::FlushResult result;
  if (!write_out()) result.status = Status(wavefront::ErrorCode::io_error, "writing the output failed");
  return result;
}

wavefront::FlushResult StreamSender::close(std::chrono::milliseconds timeout) {
  wavefront::FlushResult result = flush(timeout);
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  return result;
}

std::uint64_t StreamSender::failure_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::uint64_t failures = 0;
  for (const auto& type : stats_.types) failures += type.invalid + type.dropped;
  return failures;
}

wavefront::SenderStats StreamSender::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

}  // namespace wfsend
