// Delivering batches to a proxy's raw TCP ports (private): the ProxyClient's transport.
//
// One connection per distinct port, opened lazily, reopened after failures with capped exponential
// backoff (resolving the host again). A batch is written whole; if the connection breaks part-way,
// the lines fully written count as delivered and the rest, starting with any line that was only
// partly written, is retried whole on the next connection.
//
// Raw TCP has no acknowledgements: a proxy that dies takes with it whatever sat in its socket buffer
// and ours. When a connection breaks, the lines written within its last kPossiblyLostWindow bytes
// (more than the two kernels' buffers hold by default) are counted as possibly lost: an upper bound
// on what the break can have cost, reported in TypeStats::possibly_lost.
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
};

// Bytes of a connection's stream, counted back from where it broke, whose lines may have been lost.
inline constexpr std::size_t kPossiblyLostWindow = 16u << 20;

// Lines written to one connection, in stretches of at least kWrittenStretch bytes, so that a break
// can tell which lines lie within the possibly-lost window. Bounded: old stretches fall out.
class WrittenLines {
 public:
  void add(DataType type, std::size_t lines, std::size_t bytes);
  // Lines per data type written within the last `window` bytes (whole stretches; an upper bound).
  std::array<std::uint64_t, kDataTypeCount> recent(std::size_t window) const;
  void clear();

 private:
  static constexpr std::size_t kWrittenStretch = 64u << 10;
  struct Stretch {
    std::uint64_t end = 0;  // stream offset just past the stretch
    std::array<std::uint64_t, kDataTypeCount> lines{};
  };
  std::deque<Stretch> stretches_;
  std::uint64_t total_bytes_ = 0;
  std::uint64_t last_stretch_begin_ = 0;
};

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
    WrittenLines written;
    GzipStream gzip;
    std::string compressed;
  };

  bool ensure_connected(Endpoint& endpoint, const AbortDeadline& deadline, DeliveryResult& result);
  void connection_broke(Endpoint& endpoint);

  const TcpTransportConfig config_;
  internal::RateLimitedLog& log_;
  std::vector<std::unique_ptr<Endpoint>> endpoints_;
  std::array<int, kDataTypeCount> route_{};  // index into endpoints_, or -1
  std::atomic<std::uint64_t> connects_{0};
  std::array<std::atomic<std::uint64_t>, kDataTypeCount> possibly_lost_{};
};

}  // namespace wavefront::transport
