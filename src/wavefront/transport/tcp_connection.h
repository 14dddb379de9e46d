// One raw TCP connection to a proxy port (private): resolve and connect with a timeout, check that
// the peer is still there, write with a progress timeout, never raise SIGPIPE.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "wavefront/status.h"
#include "wavefront/transport/transport.h"

namespace wavefront::transport {

class TcpConnection {
 public:
  TcpConnection() = default;
  ~TcpConnection() { close(); }
  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;

  bool is_open() const { return fd_ >= 0; }

  // Resolves `host` (again, on every call: the proxy may have moved) and tries every address it
  // has, IPv4 and IPv6, each with a non-blocking connect bounded by `connect_timeout`.
  Status open(const std::string& host, std::uint16_t port, std::chrono::milliseconds connect_timeout,
              const AbortDeadline& deadline);

  // True if the peer has closed or reset the connection (idle close, restart). Does not block.
  bool peer_gone();

  // Writes as much of `data` as it can. Stops early when the connection fails, when no byte could
  // be written for `progress_timeout` (the proxy stopped reading), or at the abort deadline.
  struct WriteOutcome {
    std::size_t written = 0;
    Status error;
  };
  WriteOutcome write(std::string_view data, std::chrono::milliseconds progress_timeout,
                     const AbortDeadline& deadline);

  // Closes this process's descriptor (no shutdown(): after fork() the parent's connection stays up).
  void close();

 private:
  int fd_ = -1;
};

}  // namespace wavefront::transport
