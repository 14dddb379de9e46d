// Reading acknowledgement state from a TCP socket; see tcp_ack_probe.h. Kept apart from
// tcp_connection.cc because <linux/tcp.h> (which has the full tcp_info) clashes with <netinet/tcp.h>.
#include "wavefront/transport/tcp_ack_probe.h"

#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstddef>

namespace wavefront::transport {

AckSample probe_acknowledged(int fd, std::uint64_t written, bool alive) {
  AckSample sample;
  tcp_info info{};
  socklen_t length = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) == 0) {
    const auto has = [&](std::size_t end) { return static_cast<std::size_t>(length) >= end; };
    if (has(offsetof(tcp_info, tcpi_bytes_acked) + sizeof info.tcpi_bytes_acked)) {
      sample.known = true;
      sample.acked = info.tcpi_bytes_acked;
    }
    if (has(offsetof(tcp_info, tcpi_snd_wnd) + sizeof info.tcpi_snd_wnd)) {
      sample.window_known = true;
      sample.window = info.tcpi_snd_wnd;
    }
  }
  if (!sample.known && alive) {
    int unacknowledged = 0;
    if (::ioctl(fd, SIOCOUTQ, &unacknowledged) == 0 && unacknowledged >= 0 &&
        static_cast<std::uint64_t>(unacknowledged) <= written) {
      sample.known = true;
      sample.acked = written - static_cast<std::uint64_t>(unacknowledged);
    }
  }
  return sample;
}

}  // namespace wavefront::transport
