// The sender's own metrics (spec §5), kept in a MetricRegistry and reported through the sender itself
// on the flusher thread: counters as delta counters of their growth, queue levels as gauges.
#include <string>

#include "wavefront/client/sender_core.h"
#include "wavefront/reporter.h"
#include "wavefront/version.h"

namespace wavefront::client {
namespace {

// The data type's segment of a self-metric name (spec §5): "points", "histograms", "spans",
// "span_logs", "events" (not data_type_name(): these names are what dashboards already query).
std::string_view self_metric_segment(DataType type) {
  switch (type) {
    case DataType::metric:
      return "points";
    case DataType::distribution:
      return "histograms";
    case DataType::span:
      return "spans";
    case DataType::span_log:
      return "span_logs";
    case DataType::event:
      return "events";
  }
  return "unknown";
}

}  // namespace

// What report_self_metrics() sends through: the core's own queues, with metrics counted in the
// self-metrics queue (stats().self_metrics) rather than the user's. Used only on the flusher thread
// while it reports; flushing and closing are the core's own business.
class SenderCore::SelfMetricsSender final : public Sender {
 public:
  explicit SelfMetricsSender(SenderCore& core) : Sender(core.format_options()), core_(core) {}
  FlushResult flush(std::chrono::milliseconds) override { return FlushResult(); }
  FlushResult close(std::chrono::milliseconds) override { return FlushResult(); }
  std::uint64_t failure_count() const override { return core_.failure_count(); }
  SenderStats stats() const override { return core_.stats(); }

 private:
  Status submit(const FormattedLines& lines) override {
    const bool self_metric = lines.type == DataType::metric;
    return core_.submit_into(self_metric ? kSelfQueue : queue_index(lines.type), lines);
  }
  SenderCore& core_;
};

namespace {

std::string self_prefix(const ClientIdentity& identity) {
  return "~sdk.cpp.core.sender." + identity.client_kind + ".";
}

}  // namespace

void SenderCore::register_self_metrics() {
  const std::string prefix = self_prefix(identity_);
  const TagList tags = identity_.tags;
  for (std::size_t index = 0; index < kDataTypeCount; ++index) {
    const std::string base = prefix + std::string(self_metric_segment(static_cast<DataType>(index))) + ".";
    const queue::LineQueue* queue = queues_[index].get();
    const auto counter = [&](const char* suffix, std::uint64_t TypeStats::*field) {
      self_registry_.cumulative_callback(base + suffix, tags,
                                         [queue, field] { return queue->snapshot().*field; });
    };
    counter("valid", &TypeStats::accepted);
    counter("invalid", &TypeStats::invalid);
    counter("dropped", &TypeStats::dropped);
    counter("report.errors", &TypeStats::report_errors);
    self_registry_.gauge_callback(base + "queue.size", tags,
                                  [queue] { return static_cast<double>(queue->snapshot().queued); });
    self_registry_.gauge_callback(base + "queue.remaining_capacity", tags, [queue] {
      const TypeStats stats = queue->snapshot();
      return static_cast<double>(stats.capacity_items > stats.queued ? stats.capacity_items - stats.queued
                                                                     : 0);
    });
  }
  self_registry_.gauge_callback(prefix + "version", tags, [] { return version_number(); });
}

void SenderCore::report_self_metrics() {
  if (!transport_->routes(DataType::metric)) return;
  // Answers with a status code not seen before get their report.<code> counter now.
  const SenderStats now = stats();
  const std::string prefix = self_prefix(identity_);
  for (std::size_t index = 0; index < kDataTypeCount; ++index) {
    for (const auto& [code, count] : now.types[index].responses) {
      if (!registered_codes_.insert({index, code}).second) continue;
      const std::string name = prefix + std::string(self_metric_segment(static_cast<DataType>(index))) +
                               ".report." + std::to_string(code);
      self_registry_.cumulative_callback(name, identity_.tags, [this, index, status_code = code] {
        SenderStats snapshot;
        transport_->add_stats(snapshot);
        const auto& responses = snapshot.types[index].responses;
        const auto found = responses.find(status_code);
        return found == responses.end() ? std::uint64_t{0} : found->second;
      });
    }
  }
  SelfMetricsSender self_metrics_sender(*this);
  report_registry(self_registry_, self_metrics_sender, ReporterConfig(), false);
}

}  // namespace wavefront::client
