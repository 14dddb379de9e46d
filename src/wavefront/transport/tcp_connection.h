// One raw TCP connection to a proxy port (private): resolve and connect with a timeout, check that
// the peer is still there, write with a progress timeout, never raise SIGPIPE.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "wavefront/status.h"
#include "wavefront/transport/tcp_ack_probe.h"
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

  // Bytes handed to the kernel since the connection opened (the stream offset of the next byte).
  std::uint64_t written() const { return written_; }

  // What the peer's TCP has acknowledged so far, and the largest receive window it advertised since
  // the connection opened. Reads the socket (one getsockopt); `alive` is false once the connection
  // failed. Never goes backwards: a sample that knows less keeps the previous one's counts.
  AckSample acknowledged(bool alive);
  std::uint32_t largest_window() const { return largest_window_; }
  // Bytes acknowledged since the peer's window last moved forward (it reads nothing meanwhile), as
  // of the last sample; counted from the sample before the move, since it may have come right after.
  std::uint64_t acked_since_peer_read() const { return last_ack_.acked - acked_at_edge_; }

  // Closes this process's descriptor (no shutdown(): after fork() the parent's connection stays up).
  void close();

 private:
  int fd_ = -1;
  std::uint64_t written_ = 0;
  AckSample last_ack_;
  std::uint32_t largest_window_ = 0;
  std::uint64_t right_edge_ = 0;     // highest acked + window seen
  std::uint64_t acked_at_edge_ = 0;  // acked as of the sample before right_edge_ last moved
};

}  // namespace wavefront::transport
