// The receiver's counters and the summary rendering; see stats.h.
#include "receiver/stats.h"

#include <cstdio>

namespace wfreceiver {
namespace {

using wavefront::LineKind;

std::uint64_t sum(const std::array<std::uint64_t, wavefront::kLineKindCount>& counts) noexcept {
  std::uint64_t total = 0;
  for (std::uint64_t count : counts) total += count;
  return total;
}

std::string kind_counts_json(const std::array<std::uint64_t, wavefront::kLineKindCount>& counts) {
  std::string out = "{";
  for (std::size_t index = 0; index < counts.size(); ++index) {
    if (index > 0) out += ',';
    out += '"';
    out += wavefront::line_kind_name(static_cast<LineKind>(index));
    out += "\":" + std::to_string(counts[index]);
  }
  return out + "}";
}

}  // namespace

std::uint64_t Tally::total_accepted() const noexcept { return sum(accepted); }
std::uint64_t Tally::total_rejected() const noexcept { return sum(rejected); }

void LiveStats::add_lines(const Tally& tally) noexcept {
  for (std::size_t index = 0; index < wavefront::kLineKindCount; ++index) {
    if (tally.accepted[index] != 0) add(accepted[index], tally.accepted[index]);
    if (tally.rejected[index] != 0) add(rejected[index], tally.rejected[index]);
  }
}

void LiveStats::count_response(int status) noexcept {
  if (status >= 0 && status < kMaxStatus) add(responses_[static_cast<std::size_t>(status)]);
}

ReceiverStats LiveStats::snapshot() const {
  ReceiverStats stats;
  for (std::size_t index = 0; index < wavefront::kLineKindCount; ++index) {
    stats.lines.accepted[index] = accepted[index].load(std::memory_order_relaxed);
    stats.lines.rejected[index] = rejected[index].load(std::memory_order_relaxed);
  }
  stats.connections = connections.load(std::memory_order_relaxed);
  stats.connections_refused = connections_refused.load(std::memory_order_relaxed);
  stats.connections_timed_out = connections_timed_out.load(std::memory_order_relaxed);
  stats.connections_open = connections_open.load(std::memory_order_relaxed);
  stats.http_requests = http_requests.load(std::memory_order_relaxed);
  stats.bytes_received = bytes_received.load(std::memory_order_relaxed);
  stats.reports_suppressed = reports_suppressed.load(std::memory_order_relaxed);
  stats.output_failed = output_failed.load(std::memory_order_relaxed);
  for (int status = 0; status < kMaxStatus; ++status) {
    const std::uint64_t count = responses_[static_cast<std::size_t>(status)].load(std::memory_order_relaxed);
    if (count != 0) stats.http_responses[status] = count;
  }
  return stats;
}

std::string stats_json(const ReceiverStats& stats) {
  std::string out = "{\"accepted\":" + kind_counts_json(stats.lines.accepted) +
                    ",\"rejected\":" + kind_counts_json(stats.lines.rejected) +
                    ",\"lines_accepted\":" + std::to_string(stats.lines.total_accepted()) +
                    ",\"lines_rejected\":" + std::to_string(stats.lines.total_rejected()) +
                    ",\"connections\":{\"accepted\":" + std::to_string(stats.connections) +
                    ",\"refused\":" + std::to_string(stats.connections_refused) +
                    ",\"timed_out\":" + std::to_string(stats.connections_timed_out) +
                    ",\"open\":" + std::to_string(stats.connections_open) +
                    "},\"http\":{\"requests\":" + std::to_string(stats.http_requests) + ",\"responses\":{";
  bool first = true;
  for (const auto& [status, count] : stats.http_responses) {
    if (!first) out += ',';
    first = false;
    out += "\"" + std::to_string(status) + "\":" + std::to_string(count);
  }
  out += "}},\"bytes_received\":" + std::to_string(stats.bytes_received) +
         ",\"reports_suppressed\":" + std::to_string(stats.reports_suppressed) +
         ",\"output_failed\":" + (stats.output_failed ? "true" : "false") + "}";
  return out;
}

std::string stats_text(const ReceiverStats& stats) {
  std::string out = "listen: summary\n";
  char row[128];
  std::snprintf(row, sizeof row, "  %-13s %12s %12s\n", "kind", "accepted", "rejected");
  out += row;
  for (std::size_t index = 0; index < wavefront::kLineKindCount; ++index) {
    const std::string name(wavefront::line_kind_name(static_cast<LineKind>(index)));
    std::snprintf(row, sizeof row, "  %-13s %12llu %12llu\n", name.c_str(),
                  static_cast<unsigned long long>(stats.lines.accepted[index]),
                  static_cast<unsigned long long>(stats.lines.rejected[index]));
    out += row;
  }
  out += "  connections: " + std::to_string(stats.connections) + " accepted, " +
         std::to_string(stats.connections_refused) + " refused (too many), " +
         std::to_string(stats.connections_timed_out) + " timed out\n";
  out += "  http requests: " + std::to_string(stats.http_requests);
  for (const auto& [status, count] : stats.http_responses) {
    out += ", " + std::to_string(status) + ": " + std::to_string(count);
  }
  out += "\n  bytes received: " + std::to_string(stats.bytes_received) + "\n";
  if (stats.output_failed) out += "  accepted lines could not all be written to the output\n";
  if (stats.reports_suppressed != 0) {
    out += "  reports not shown (rate limit): " + std::to_string(stats.reports_suppressed) + "\n";
  }
  return out;
}

}  // namespace wfreceiver
