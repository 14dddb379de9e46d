// Batches over HTTP(S); see http_transport.h.
#include "wavefront/transport/http_transport.h"

#include <algorithm>

#include "wavefront/transport/gzip.h"

namespace wavefront::transport {
namespace {

std::string_view report_format(DataType type) {
  switch (type) {
    case DataType::metric:
      return "wavefront";
    case DataType::distribution:
      return "histogram";
    case DataType::span:
      return "trace";
    case DataType::span_log:
      return "spanLogs";
    case DataType::event:
      return "event";
  }
  return "wavefront";
}

// The byte offset just past the first `lines` lines of `text`.
std::size_t offset_after_lines(std::string_view text, std::size_t lines) {
  std::size_t offset = 0;
  for (std::size_t line = 0; line < lines; ++line) offset = text.find('\n', offset) + 1;
  return offset;
}

bool is_success(long status) { return status >= 200 && status < 300; }

}  // namespace

HttpTransport::HttpTransport(HttpTransportConfig config, std::unique_ptr<HttpExchange> exchange,
                             std::unique_ptr<auth::TokenSource> token_source, std::shared_ptr<Clock> clock,
                             internal::RateLimitedLog& log)
    : config_(std::move(config)),
      token_source_(std::move(token_source)),
      clock_(std::move(clock)),
      log_(log),
      exchange_(std::move(exchange)) {}

HttpResponse HttpTransport::post(DataType type, const std::string& url, std::vector<std::string> headers,
                                 std::string_view body, const AbortDeadline& deadline) {
  if (config_.direct) {
    const std::string token = token_source_ ? token_source_->token() : std::string();
    if (token.empty()) {
      HttpResponse waiting;
      waiting.error = Status(ErrorCode::io_error, "no access token yet (waiting for CSP)");
      return waiting;
    }
    headers.push_back("Authorization: Bearer " + token);
  }
  HttpResponse response = exchange_->post(url, headers, body, deadline);
  if (response.status != 0) {
    std::lock_guard<std::mutex> lock(responses_mutex_);
    ++responses_[static_cast<std::size_t>(type)][static_cast<int>(response.status)];
  }
  return response;
}

void HttpTransport::keep_for_retry(DataType type, const HttpResponse& response, DeliveryResult& result) {
  result.failed = true;
  if (response.status == 0) {
    log_.log(LogLevel::warning, internal::LogKind::delivery_failed, [&] {
      return "sending " + std::string(data_type_name(type)) + " to " + config_.base_url +
             " failed: " + response.error.message() + "; will retry";
    });
    return;
  }
  if (response.status == 401 || response.status == 403) {
    if (token_source_) token_source_->invalidate();
    log_.log(LogLevel::error, internal::LogKind::token_refresh, [&] {
      return config_.base_url + " answered " + std::to_string(response.status) +
             ": the token is missing, expired or lacks the Direct Data Ingestion permission; data is kept "
             "and retried";
    });
    return;
  }
  if (response.status == 406 || response.status == 429) {
    result.retry_after = parse_retry_after(response.retry_after, clock_->wall_time());
  }
  log_.log(LogLevel::warning, internal::LogKind::delivery_failed, [&] {
    return config_.base_url + " answered " + std::to_string(response.status) + " for " +
           std::string(data_type_name(type)) + "; will retry";
  });
}

DeliveryResult HttpTransport::deliver_report(DataType type, std::string_view lines, std::size_t items,
                                             const AbortDeadline& deadline) {
  DeliveryResult result;
  result.attempted = true;
  compressed_.clear();
  if (Status status = gzip_compress(lines, config_.gzip_level, compressed_); !status.ok()) {
    result.failed = true;
    return result;
  }
  const std::string url = config_.base_url + "/report?f=" + std::string(report_format(type));
  const HttpResponse response = post(
      type, url, {"Content-Type: application/octet-stream", "Content-Encoding: gzip"}, compressed_, deadline);
  if (is_success(response.status)) {
    result.delivered = items;
    result.delivered_bytes = lines.size();
    return result;
  }
  if (response.status == 400 || (response.status == 413 && items == 1)) {
    result.dropped = items;
    result.dropped_bytes = lines.size();
    result.drop_reason = DropReason::rejected;
    log_.log(LogLevel::error, internal::LogKind::batch_rejected, [&] {
      return config_.base_url + " refused a batch of " + std::to_string(items) + " " +
             std::string(data_type_name(type)) + " lines with " + std::to_string(response.status) +
             "; it was dropped";
    });
    return result;
  }
  if (response.status == 413) {
    // Too large: send the first half now; the rest returns to the queue and goes next.
    const std::size_t half = items / 2;
    return deliver_report(type, lines.substr(0, offset_after_lines(lines, half)), half, deadline);
  }
  keep_for_retry(type, response, result);
  return result;
}

DeliveryResult HttpTransport::deliver_event_objects(std::string_view lines, const AbortDeadline& deadline) {
  DeliveryResult result;
  result.attempted = true;
  const std::string url = config_.base_url + "/api/v2/event";
  std::size_t offset = 0;
  while (offset < lines.size()) {
    const std::size_t end = lines.find('\n', offset);
    const std::string_view object = lines.substr(offset, end - offset);
    const HttpResponse response =
        post(DataType::event, url, {"Content-Type: application/json"}, object, deadline);
    if (is_success(response.status)) {
      ++result.delivered;
      result.delivered_bytes = end + 1;
    } else if (response.status == 400 || response.status == 413) {
      result.dropped = 1;  // this event only; the ones after it go next
      result.dropped_bytes = end + 1 - offset;
      result.drop_reason = DropReason::rejected;
      log_.log(LogLevel::error, internal::LogKind::batch_rejected, [&] {
        return config_.base_url + " refused an event with " + std::to_string(response.status) +
               "; it was dropped";
      });
      return result;
    } else {
      keep_for_retry(DataType::event, response, result);
      return result;
    }
    offset = end + 1;
  }
  return result;
}

DeliveryResult HttpTransport::deliver(DataType type, std::string_view lines, std::size_t items,
                                      const AbortDeadline& deadline) {
  if (type == DataType::event && config_.direct) return deliver_event_objects(lines, deadline);
  return deliver_report(type, lines, items, deadline);
}

void HttpTransport::add_stats(SenderStats& stats) const {
  std::lock_guard<std::mutex> lock(responses_mutex_);
  for (std::size_t type = 0; type < kDataTypeCount; ++type) stats.types[type].responses = responses_[type];
}

void HttpTransport::abandon_after_fork() { exchange_->abandon_after_fork(); }

void HttpTransport::shutdown() {
  if (token_source_) token_source_->stop();
}

}  // namespace wavefront::transport
