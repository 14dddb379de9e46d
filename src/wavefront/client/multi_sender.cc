// MultiSender: every call fanned out to each endpoint; see include/wavefront/client_factory.h.
#include <algorithm>

#include "wavefront/client_factory.h"

namespace wavefront {

MultiSender::MultiSender(std::vector<Endpoint> endpoints) : endpoints_(std::move(endpoints)) {}

MultiSender::~MultiSender() = default;  // each endpoint closes itself

template <class Call>
Status MultiSender::each(Call&& call) {
  Status first_failure;
  std::string failures;
  for (Endpoint& endpoint : endpoints_) {
    Status status = call(*endpoint.sender);
    if (status.ok()) continue;
    if (!failures.empty()) failures += "; ";
    failures += endpoint.name + ": " + std::string(error_code_name(status.code())) + ": " + status.message();
    if (first_failure.ok()) first_failure = std::move(status);
  }
  if (first_failure.ok()) return first_failure;
  return Status(first_failure.code(), failures);
}

template <class Call>
FlushResult MultiSender::each_until(std::chrono::milliseconds timeout, Call&& call) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  FlushResult combined;
  std::string failures;
  for (Endpoint& endpoint : endpoints_) {
    const auto left = std::max(
        std::chrono::milliseconds(0),
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    FlushResult result = call(*endpoint.sender, left);
    combined.items_left += result.items_left;
    if (result.ok()) continue;
    if (!failures.empty()) failures += "; ";
    failures += endpoint.name + ": " + result.status.message();
  }
  if (!failures.empty()) combined.status = Status(ErrorCode::timeout, failures);
  return combined;
}

Status MultiSender::send_metric(std::string_view name, double value, Timestamp timestamp,
                                std::string_view source, Tags tags) {
  return each([&](Sender& sender) { return sender.send_metric(name, value, timestamp, source, tags); });
}

Status MultiSender::send_delta_counter(std::string_view name, double value, Timestamp timestamp,
                                       std::string_view source, Tags tags) {
  return each(
      [&](Sender& sender) { return sender.send_delta_counter(name, value, timestamp, source, tags); });
}

Status MultiSender::send_distribution(std::string_view name, Centroids centroids,
                                      GranularitySet granularities, Timestamp timestamp,
                                      std::string_view source, Tags tags) {
  return each([&](Sender& sender) {
    return sender.send_distribution(name, centroids, granularities, timestamp, source, tags);
  });
}

Status MultiSender::send_span(std::string_view name, std::int64_t start_ms, std::int64_t duration_ms,
                              std::string_view source, std::string_view trace_id, std::string_view span_id,
                              Strings parents, Strings follows_from, Tags tags, SpanLogs span_logs) {
  return each([&](Sender& sender) {
    return sender.send_span(name, start_ms, duration_ms, source, trace_id, span_id, parents, follows_from,
                            tags, span_logs);
  });
}

Status MultiSender::send_event(std::string_view name, std::int64_t start_ms, std::int64_t end_ms,
                               std::string_view source, Tags annotations, Strings tags) {
  return each(
      [&](Sender& sender) { return sender.send_event(name, start_ms, end_ms, source, annotations, tags); });
}

FlushResult MultiSender::flush(std::chrono::milliseconds timeout) {
  return each_until(timeout,
                    [](Sender& sender, std::chrono::milliseconds left) { return sender.flush(left); });
}

FlushResult MultiSender::close(std::chrono::milliseconds timeout) {
  return each_until(timeout,
                    [](Sender& sender, std::chrono::milliseconds left) { return sender.close(left); });
}

std::uint64_t MultiSender::failure_count() const {
  std::uint64_t failures = 0;
  for (const Endpoint& endpoint : endpoints_) failures += endpoint.sender->failure_count();
  return failures;
}

SenderStats MultiSender::stats() const {
  SenderStats total;
  for (const Endpoint& endpoint : endpoints_) {
    const SenderStats one = endpoint.sender->stats();
    total.connects += one.connects;
    for (std::size_t type = 0; type < kDataTypeCount; ++type) {
      TypeStats& sum = total.types[type];
      const TypeStats& part = one.types[type];
      sum.accepted += part.accepted;
      sum.invalid += part.invalid;
      sum.delivered += part.delivered;
      sum.queued += part.queued;
      sum.queued_bytes += part.queued_bytes;
      sum.dropped += part.dropped;
      for (std::size_t reason = 0; reason < kDropReasonCount; ++reason) {
        sum.dropped_by_reason[reason] += part.dropped_by_reason[reason];
      }
      sum.report_errors += part.report_errors;
      sum.possibly_lost += part.possibly_lost;
      sum.resent += part.resent;
      sum.capacity_items += part.capacity_items;
      sum.capacity_bytes += part.capacity_bytes;
      for (const auto& [code, count] : part.responses) sum.responses[code] += count;
    }
  }
  return total;
}

}  // namespace wavefront
