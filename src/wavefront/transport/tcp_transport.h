// Delivering batches to a proxy's raw TCP ports (private): the ProxyClient's transport.
//
// One connection per distinct port, opened lazily, reopened after failures with capped exponential
// backoff (resolving the host again). A batch is written whole; if the connection breaks part-way,
// the lines fully written count as delivered and the rest, starting with any line that was only
// partly written, is retried whole on the next connection.
//
// The proxy never answers on these ports, but the peer's TCP acknowledges bytes, and Linux tells the
// sender how many (tcp_ack_probe.h). Each endpoint keeps the last lines it wrote (ResendWindow,
// bounded by resend_window_bytes); when the connection breaks, the lines the peer's TCP never
// acknowledged are written again, whole, first thing on the next connection (TypeStats::resent).
// What the peer acknowledged but may not have read when it went away is unknowable; it is estimated
// from the receive window the peer advertised (how far its last window fell short of the largest
// one it advertised on the connection), and the acknowledged lines within that many bytes of the
// break are counted in TypeStats::possibly_lost, with every line that was owed a resend but could
// not be re-sent (window overflow, shutdown).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wavefront/clock.h"
#include "wavefront/internal/backoff.h"
#include "wavefront/internal/rate_limited_log.h"
#include "wavefront/transport/gzip.h"
#include "wavefront/transport/tcp_connection.h"
#include "wavefront/transport/tcp_resend_window.h"
#include "wavefront/transport/transport.h"

namespace wavefront::transport {

struct TcpTransportConfig {
  std::string host;
  std::array<std::optional<std::uint16_t>, kDataTypeCount> ports;  // per data type
  std::array<const char*, kDataTypeCount> port_setting_names;      // for error messages
  std::chrono::milliseconds connect_timeout;
  std::chrono::milliseconds write_timeout;
  std::chrono::milliseconds reconnect_backoff_initial;
  std::chrono::milliseconds reconnect_backoff_max;
  bool gzip;
  int gzip_level;
  std::size_t resend_window_bytes;  // ProxyClientConfig::resend_window_bytes
};

// With no acknowledgement state from the socket, a break counts every line written within this many
// bytes before it as possibly lost (more than the two kernels' buffers hold by default).
inline constexpr std::uint64_t kPossiblyLostFallback = 16u << 20;

// The peer's window shortfall (the largest receive window it advertised on the connection minus its
// last one) understates what it had not read: its buffer can grow past the largest window it ever
// showed, and Linux shrinks a window lazily. Measured on loopback by tcp_break_test, the unread bytes
// were 1.0-2.1x the shortfall; possibly_lost reaches back this many times the shortfall.
inline constexpr std::uint64_t kUnreadMargin = 3;

class TcpTransport final : public Transport {
 public:
  TcpTransport(TcpTransportConfig config, internal::RateLimitedLog& log);

  bool routes(DataType type) const override;
  std::string route_hint(DataType type) const override;
  DeliveryResult deliver(DataType type, std::string_view lines, std::size_t items,
                         const AbortDeadline& deadline) override;
  void add_stats(SenderStats& stats) const override;
  void shutdown() override;
  void abandon_after_fork() override;

 private:
  struct Endpoint {
    Endpoint(std::uint16_t endpoint_port, const TcpTransportConfig& config, std::uint64_t seed);
    std::uint16_t port;
    TcpConnection connection;
    internal::Backoff backoff;
    SteadyTime next_connect{};
    ResendWindow window;
    std::deque<ResendLines> resend;  // owed to the next connection, written before any new batch
    GzipStream gzip;
    std::string compressed;
  };

  bool ensure_connected(Endpoint& endpoint, const AbortDeadline& deadline, DeliveryResult& result);
  bool write_resend(Endpoint& endpoint, const AbortDeadline& deadline);
  void connection_broke(Endpoint& endpoint);
  void count_lost(const LineCounts& lines);

  const TcpTransportConfig config_;
  internal::RateLimitedLog& log_;
  std::vector<std::unique_ptr<Endpoint>> endpoints_;
  std::array<int, kDataTypeCount> route_{};  // index into endpoints_, or -1
  std::atomic<std::uint64_t> connects_{0};
  std::array<std::atomic<std::uint64_t>, kDataTypeCount> possibly_lost_{};
  std::array<std::atomic<std::uint64_t>, kDataTypeCount> resent_{};
};

}  // namespace wavefront::transport
