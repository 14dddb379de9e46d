// Batches over raw TCP; see tcp_transport.h.
#include "wavefront/transport/tcp_transport.h"

#include <algorithm>

namespace wavefront::transport {
namespace {

std::size_t count_newlines(std::string_view text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TcpTransport::Endpoint::Endpoint(std::uint16_t endpoint_port, const TcpTransportConfig& config,
                                 std::uint64_t seed)
    : port(endpoint_port),
      backoff(config.reconnect_backoff_initial, config.reconnect_backoff_max, seed),
      window(config.resend_window_bytes),
      gzip(config.gzip_level) {}

TcpTransport::TcpTransport(TcpTransportConfig config, internal::RateLimitedLog& log)
    : config_(std::move(config)), log_(log) {
  const auto seed = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  for (std::size_t type = 0; type < kDataTypeCount; ++type) {
    route_[type] = -1;
    if (!config_.ports[type]) continue;
    const std::uint16_t port = *config_.ports[type];
    const auto existing =
        std::find_if(endpoints_.begin(), endpoints_.end(),
                     [&](const std::unique_ptr<Endpoint>& endpoint) { return endpoint->port == port; });
    if (existing != endpoints_.end()) {
      route_[type] = static_cast<int>(existing - endpoints_.begin());
    } else {
      route_[type] = static_cast<int>(endpoints_.size());
      endpoints_.push_back(std::make_unique<Endpoint>(port, config_, seed + port));
    }
  }
}

bool TcpTransport::routes(DataType type) const { return route_[static_cast<std::size_t>(type)] >= 0; }

std::string TcpTransport::route_hint(DataType type) const {
  return "no " + std::string(config_.port_setting_names[static_cast<std::size_t>(type)]) +
         " is configured for this ProxyClient, so " + std::string(data_type_name(type)) +
         " cannot be sent; the data was dropped";
}

void TcpTransport::count_lost(const LineCounts& lines) {
  for (std::size_t type = 0; type < kDataTypeCount; ++type) {
    if (lines[type] > 0) possibly_lost_[type].fetch_add(lines[type], std::memory_order_relaxed);
  }
}

void TcpTransport::connection_broke(Endpoint& endpoint) {
  const AckSample ack = endpoint.connection.acknowledged(false);
  std::uint64_t acked = endpoint.window.stream_bytes();  // unknown: re-send nothing, as before
  std::uint64_t maybe_unread = kPossiblyLostFallback;
  if (ack.known) {
    acked = ack.acked;
    if (ack.window_known) {
      maybe_unread =
          std::max<std::uint64_t>(kUnreadMargin * (endpoint.connection.largest_window() - ack.window),
                                  endpoint.connection.acked_since_peer_read());
    }
  }
  std::deque<ResendLines> unacknowledged;
  count_lost(endpoint.window.split_at_break(acked, maybe_unread, !config_.gzip, unacknowledged));
  // Lines still owed from an earlier break come after these in the stream.
  for (ResendLines& owed : endpoint.resend) unacknowledged.push_back(std::move(owed));
  endpoint.resend = std::move(unacknowledged);
  endpoint.connection.close();
}

bool TcpTransport::ensure_connected(Endpoint& endpoint, const AbortDeadline& deadline,
                                    DeliveryResult& result) {
  if (endpoint.connection.is_open()) {
    if (!endpoint.connection.peer_gone()) return true;
    log_.log(LogLevel::info, internal::LogKind::connection_lost, [&] {
      return "proxy " + config_.host + ":" + std::to_string(endpoint.port) +
             " closed the connection; reconnecting";
    });
    connection_broke(endpoint);
  }
  const auto now = std::chrono::steady_clock::now();
  if (now < endpoint.next_connect) {
    result.failed = true;
    result.retry_after = std::chrono::duration_cast<std::chrono::milliseconds>(endpoint.next_connect - now);
    return false;
  }
  result.attempted = true;
  const Status status =
      endpoint.connection.open(config_.host, endpoint.port, config_.connect_timeout, deadline);
  if (!status.ok()) {
    endpoint.next_connect = std::chrono::steady_clock::now() + endpoint.backoff.next();
    log_.log(LogLevel::warning, internal::LogKind::connect_failed, [&] { return status.message(); });
    result.failed = true;
    return false;
  }
  endpoint.backoff.reset();
  connects_.fetch_add(1, std::memory_order_relaxed);
  if (config_.gzip) endpoint.gzip.reset();
  endpoint.window.clear();
  return true;
}

bool TcpTransport::write_resend(Endpoint& endpoint, const AbortDeadline& deadline) {
  while (!endpoint.resend.empty()) {
    ResendLines& owed = endpoint.resend.front();
    std::string_view wire = owed.text;
    if (config_.gzip) {
      endpoint.compressed.clear();
      if (!endpoint.gzip.compress(owed.text, endpoint.compressed, false).ok()) return false;
      wire = endpoint.compressed;
    }
    const auto type = static_cast<std::size_t>(owed.type);
    const TcpConnection::WriteOutcome outcome =
        endpoint.connection.write(wire, config_.write_timeout, deadline);
    if (outcome.error.ok()) {
      endpoint.window.add(owed.type, owed.text, owed.lines, wire.size());
      resent_[type].fetch_add(owed.lines, std::memory_order_relaxed);
      endpoint.resend.pop_front();
      continue;
    }
    if (!config_.gzip) {  // the lines written in full join the window; the rest stays owed
      const std::size_t last_newline = owed.text.rfind('\n', outcome.written == 0 ? 0 : outcome.written - 1);
      if (outcome.written > 0 && last_newline != std::string::npos) {
        const std::size_t head = last_newline + 1;
        const auto head_lines = static_cast<std::size_t>(
            std::count(owed.text.begin(), owed.text.begin() + static_cast<std::ptrdiff_t>(head), '\n'));
        endpoint.window.add(owed.type, std::string_view(owed.text).substr(0, head), head_lines, head);
        resent_[type].fetch_add(head_lines, std::memory_order_relaxed);
        owed.text.erase(0, head);
        owed.lines -= head_lines;
      }
    }
    log_.log(LogLevel::warning, internal::LogKind::delivery_failed, [&] {
      return "re-sending to proxy " + config_.host + ":" + std::to_string(endpoint.port) +
             " failed: " + outcome.error.message() + "; reconnecting";
    });
    connection_broke(endpoint);
    return false;
  }
  return true;
}

DeliveryResult TcpTransport::deliver(DataType type, std::string_view lines, std::size_t items,
                                     const AbortDeadline& deadline) {
  DeliveryResult result;
  const std::size_t type_index = static_cast<std::size_t>(type);
  if (route_[type_index] < 0) {  // not reachable: the core refuses unrouted data before queueing
    result.dropped = items;
    result.dropped_bytes = lines.size();
    result.drop_reason = DropReason::not_configured;
    return result;
  }
  Endpoint& endpoint = *endpoints_[static_cast<std::size_t>(route_[type_index])];
  if (!ensure_connected(endpoint, deadline, result)) return result;
  result.attempted = true;
  if (!write_resend(endpoint, deadline)) {
    result.failed = true;
    return result;
  }

  std::string_view wire = lines;
  if (config_.gzip) {
    endpoint.compressed.clear();
    if (Status status = endpoint.gzip.compress(lines, endpoint.compressed, false); !status.ok()) {
      result.failed = true;
      return result;
    }
    wire = endpoint.compressed;
  }
  const TcpConnection::WriteOutcome outcome =
      endpoint.connection.write(wire, config_.write_timeout, deadline);
  if (outcome.error.ok()) {
    result.delivered = items;
    result.delivered_bytes = lines.size();
    endpoint.window.add(type, lines, items, wire.size());
    endpoint.connection.acknowledged(true);  // follows the peer's window while the connection is up
    return result;
  }
  // The connection broke part-way. Plain text: every line written in full counts as delivered (but
  // possibly lost with the connection); the first partly written line and all after it are retried
  // whole. gzip: the receiver cannot decode a cut stream reliably, so the whole batch is retried.
  if (!config_.gzip) {
    const std::size_t last_newline = lines.substr(0, outcome.written).rfind('\n');
    if (last_newline != std::string_view::npos) {
      result.delivered_bytes = last_newline + 1;
      result.delivered = count_newlines(lines.substr(0, result.delivered_bytes));
      endpoint.window.add(type, lines.substr(0, result.delivered_bytes), result.delivered,
                          result.delivered_bytes);
    }
  }
  log_.log(LogLevel::warning, internal::LogKind::delivery_failed, [&] {
    return "writing to proxy " + config_.host + ":" + std::to_string(endpoint.port) +
           " failed: " + outcome.error.message() + "; reconnecting";
  });
  connection_broke(endpoint);
  result.failed = true;
  return result;
}

void TcpTransport::add_stats(SenderStats& stats) const {
  stats.connects += connects_.load(std::memory_order_relaxed);
  for (std::size_t type = 0; type < kDataTypeCount; ++type) {
    stats.types[type].possibly_lost += possibly_lost_[type].load(std::memory_order_relaxed);
    stats.types[type].resent += resent_[type].load(std::memory_order_relaxed);
  }
}

void TcpTransport::abandon_after_fork() {
  for (auto& endpoint : endpoints_) endpoint->connection.close();
}

void TcpTransport::shutdown() {
  // A connection whose proxy went away since its last write may have lost lines a type with nothing
  // left to send never found out about (found by the fault soak); count them before closing.
  for (auto& endpoint : endpoints_) {
    if (endpoint->connection.is_open() && endpoint->connection.peer_gone()) {
      connection_broke(*endpoint);
    } else {
      endpoint->connection.close();
    }
    // Lines owed a resend that no later delivery wrote are lost for good.
    LineCounts owed{};
    for (const ResendLines& lines : endpoint->resend)
      owed[static_cast<std::size_t>(lines.type)] += lines.lines;
    count_lost(owed);
    endpoint->resend.clear();
  }
}

}  // namespace wavefront::transport
