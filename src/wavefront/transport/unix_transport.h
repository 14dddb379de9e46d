// Delivering batches over a Unix-domain stream socket (private): unix:///path/to.sock.
//
// A local proxy or agent listening on a filesystem socket reads the same lines as a proxy's TCP push
// port; every data type goes over the one connection. The connection is opened lazily and reopened
// on the next delivery after a failure (the sender's retry backoff spaces those out). A batch is written
// whole; if the connection breaks part-way, the lines fully written count as delivered and the rest is
// retried whole on the next connection (as tcp_transport.h). A write that makes no progress for
// `write_timeout` breaks the connection.
//
// Thread-safety: deliver/shutdown from the flusher thread only; add_stats from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "wavefront/transport.h"

namespace wavefront::transport {

struct UnixTransportConfig {
  std::string path;                                // the socket's filesystem path
  std::chrono::milliseconds write_timeout{10000};  // ProxyClientConfig::write_timeout's default
};

class UnixTransport final : public Transport {
 public:
  explicit UnixTransport(UnixTransportConfig config);
  ~UnixTransport() override;
  UnixTransport(const UnixTransport&) = delete;
  UnixTransport& operator=(const UnixTransport&) = delete;

  bool routes(DataType type) const override;
  std::string route_hint(DataType type) const override;
  DeliveryResult deliver(DataType type, std::string_view lines, std::size_t items,
                         const DeliveryDeadline& deadline) override;
  void add_stats(SenderStats& stats) const override;
  void shutdown() override;
  void abandon_after_fork() override;

 private:
  bool connect_socket();
  void close_socket();

  const UnixTransportConfig config_;
  int fd_ = -1;
  std::atomic<std::uint64_t> connects_{0};
};

}  // namespace wavefront::transport
