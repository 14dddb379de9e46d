// Batches over a Unix-domain stream socket; see unix_transport.h.
#include "wavefront/transport/unix_transport.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace wavefront::transport {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPollSlice(25);  // re-read the deadline this often while waiting

// Lines and bytes of the whole lines within the first `written` bytes of `lines`.
void count_whole_lines(std::string_view lines, std::size_t written, DeliveryResult& result) {
  const std::string_view prefix = lines.substr(0, written);
  const std::size_t last_newline = prefix.rfind('\n');
  if (last_newline == std::string_view::npos) return;
  result.delivered_bytes = last_newline + 1;
  result.delivered =
      static_cast<std::size_t>(std::count(prefix.begin(), prefix.begin() + last_newline + 1, '\n'));
}

}  // namespace

UnixTransport::UnixTransport(UnixTransportConfig config) : config_(std::move(config)) {}

UnixTransport::~UnixTransport() { close_socket(); }

bool UnixTransport::routes(DataType /*type*/) const { return true; }

std::string UnixTransport::route_hint(DataType /*type*/) const { return {}; }

bool UnixTransport::connect_socket() {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (config_.path.empty() || config_.path.size() >= sizeof address.sun_path) return false;
  std::memcpy(address.sun_path, config_.path.data(), config_.path.size());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  // A local connect completes at once or fails (EAGAIN: the listener's backlog is full).
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return false;
  }
  fd_ = fd;
  connects_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void UnixTransport::close_socket() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

DeliveryResult UnixTransport::deliver(DataType /*type*/, std::string_view lines, std::size_t /*items*/,
                                      const DeliveryDeadline& deadline) {
  DeliveryResult result;
  result.attempted = true;
  if (fd_ >= 0) {
    // The agent may have closed an idle connection: find out before writing into it.
    char byte = 0;
    const ssize_t peeked = ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (peeked == 0 || (peeked < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) close_socket();
  }
  if (fd_ < 0 && !connect_socket()) {
    result.failed = true;
    return result;
  }
  std::size_t written = 0;
  Clock::time_point progress_deadline = Clock::now() + config_.write_timeout;
  while (written < lines.size()) {
    const ssize_t sent = ::send(fd_, lines.data() + written, lines.size() - written, MSG_NOSIGNAL);
    if (sent > 0) {
      written += static_cast<std::size_t>(sent);
      progress_deadline = Clock::now() + config_.write_timeout;
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      const Clock::time_point now = Clock::now();
      const Clock::time_point until = std::min(progress_deadline, deadline.get());
      if (now < until) {
        const auto wait = std::min(
            std::chrono::duration_cast<std::chrono::milliseconds>(until - now) + std::chrono::milliseconds(1),
            kPollSlice);
        pollfd poll_fd{fd_, POLLOUT, 0};
        ::poll(&poll_fd, 1, static_cast<int>(wait.count()));
        continue;
      }
    }
    // Broken, stalled or out of time: a partly written line must not be continued on another
    // connection, so this one is closed and the rest retried whole.
    close_socket();
    break;
  }
  count_whole_lines(lines, written, result);
  result.failed = written < lines.size();
  return result;
}

void UnixTransport::add_stats(SenderStats& stats) const {
  stats.connects += connects_.load(std::memory_order_relaxed);
}

void UnixTransport::shutdown() { close_socket(); }

void UnixTransport::abandon_after_fork() { close_socket(); }

}  // namespace wavefront::transport
