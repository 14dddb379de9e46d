// What the peer's kernel has acknowledged of a TCP connection (private), read from the socket.
//
// Linux reports it in TCP_INFO: tcpi_bytes_acked (bytes of our stream the peer's TCP acknowledged,
// kept after a reset) and tcpi_snd_wnd (the receive window the peer last advertised). Where TCP_INFO
// lacks them, SIOCOUTQ (bytes in our send queue not yet acknowledged) gives the acknowledged count
// while the connection is up. Called by TcpConnection from the flusher thread only.
#pragma once

#include <cstdint>

namespace wavefront::transport {

struct AckSample {
  bool known = false;         // false: the socket told us nothing (not Linux, or an error)
  std::uint64_t acked = 0;    // bytes of the stream acknowledged by the peer's TCP
  bool window_known = false;  // tcpi_snd_wnd was reported (Linux 5.4 and later)
  std::uint32_t window = 0;   // the peer's last advertised receive window, in bytes
};

// `written` is the number of bytes this process has handed to the socket since it connected (the
// SIOCOUTQ fallback subtracts the send queue from it; it is used only while `alive`, since a reset
// empties the send queue).
AckSample probe_acknowledged(int fd, std::uint64_t written, bool alive);

}  // namespace wavefront::transport
