// The sender's own metrics (spec §5): counters as delta counters, queue levels as gauges, sent
// through the sender itself on the flusher thread.
#include <string>

#include "wavefront/client/sender_core.h"
#include "wavefront/version.h"

namespace wavefront::client {

void SenderCore::report_self_metrics() {
  if (!transport_->routes(DataType::metric)) return;
  const SenderStats now = stats();
  const std::string prefix = "~sdk.cpp.core.sender." + identity_.client_kind + ".";
  const Tags tags = identity_.tags;
  std::string name;
  const auto delta = [&](std::string_view suffix, std::uint64_t current, std::uint64_t previous) {
    if (current <= previous) return;
    send_delta_counter(name + std::string(suffix), static_cast<double>(current - previous), std::nullopt, "",
                       tags);
  };
  for (std::size_t index = 0; index < kDataTypeCount; ++index) {
    const TypeStats& current = now.types[index];
    const TypeStats& previous = last_reported_.types[index];
    name = prefix + std::string(data_type_name(static_cast<DataType>(index))) + ".";
    delta("valid", current.accepted, previous.accepted);
    delta("invalid", current.invalid, previous.invalid);
    delta("dropped", current.dropped, previous.dropped);
    delta("report.errors", current.report_errors, previous.report_errors);
    for (const auto& [code, count] : current.responses) {
      const auto previous_count = previous.responses.find(code);
      delta("report." + std::to_string(code), count,
            previous_count == previous.responses.end() ? 0 : previous_count->second);
    }
    send_metric(name + "queue.size", static_cast<double>(current.queued), std::nullopt, "", tags);
    const std::uint64_t remaining =
        current.capacity_items > current.queued ? current.capacity_items - current.queued : 0;
    send_metric(name + "queue.remaining_capacity", static_cast<double>(remaining), std::nullopt, "", tags);
  }
  send_metric(prefix + "version", version_number(), std::nullopt, "", tags);
  last_reported_ = now;
}

}  // namespace wavefront::client
