// Raw TCP connections; see tcp_connection.h.
#include "wavefront/transport/tcp_connection.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

namespace wavefront::transport {
namespace {

using Milliseconds = std::chrono::milliseconds;
constexpr Milliseconds kPollSlice(25);  // re-read the abort deadline this often while waiting

std::string error_text(int error) {
  char buffer[256];
  // GNU strerror_r: returns the message, in `buffer` or static storage; thread-safe unlike strerror.
  return ::strerror_r(error, buffer, sizeof buffer);
}

// Milliseconds to wait in one poll: up to `until`, the abort deadline and one slice.
int poll_timeout(SteadyTime until, const AbortDeadline& deadline) {
  const auto now = std::chrono::steady_clock::now();
  const auto end = std::min(until, deadline.get());
  if (end <= now) return 0;
  const auto remaining = std::chrono::duration_cast<Milliseconds>(end - now) + Milliseconds(1);
  return static_cast<int>(std::min(remaining, kPollSlice).count());
}

// Waits for `events` on fd until `until` or the abort deadline. Returns revents, 0 on timeout.
short wait_for(int fd, short events, SteadyTime until, const AbortDeadline& deadline) {
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= until || now >= deadline.get()) return 0;
    pollfd descriptor{fd, events, 0};
    const int ready = ::poll(&descriptor, 1, poll_timeout(until, deadline));
    if (ready > 0) return descriptor.revents;
    if (ready < 0 && errno != EINTR) return POLLERR;
  }
}

struct AddressListDeleter {
  void operator()(addrinfo* list) const { ::freeaddrinfo(list); }
};
using AddressList = std::unique_ptr<addrinfo, AddressListDeleter>;

// One lookup, shared by the thread that runs getaddrinfo() and the flusher that waits for it.
struct Lookup {
  std::mutex mutex;
  std::condition_variable done_changed;
  bool done = false;
  int result = 0;
  AddressList addresses;
};

// getaddrinfo() cannot be interrupted, so a name is looked up on a detached thread that the flusher
// waits for only until `until` or the abort deadline; a lookup that outlives the wait finishes on its
// own and frees itself. Numeric addresses need no lookup and no thread.
int resolve(const std::string& host, const std::string& service, SteadyTime until,
            const AbortDeadline& deadline, AddressList& addresses) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG | AI_NUMERICHOST;
  addrinfo* raw_list = nullptr;
  if (::getaddrinfo(host.c_str(), service.c_str(), &hints, &raw_list) == 0) {
    addresses.reset(raw_list);
    return 0;
  }
  auto lookup = std::make_shared<Lookup>();
  std::thread([lookup, host, service] {
    addrinfo name_hints{};
    name_hints.ai_family = AF_UNSPEC;
    name_hints.ai_socktype = SOCK_STREAM;
    name_hints.ai_flags = AI_ADDRCONFIG;
    addrinfo* list = nullptr;
    const int result = ::getaddrinfo(host.c_str(), service.c_str(), &name_hints, &list);
    std::lock_guard<std::mutex> lock(lookup->mutex);
    lookup->result = result;
    lookup->addresses.reset(list);
    lookup->done = true;
    lookup->done_changed.notify_all();
  }).detach();
  std::unique_lock<std::mutex> lock(lookup->mutex);
  for (;;) {
    if (lookup->done) break;
    const auto now = std::chrono::steady_clock::now();
    if (now >= until || now >= deadline.get()) return EAI_AGAIN;
    lookup->done_changed.wait_for(
        lock, std::min(std::chrono::duration_cast<Milliseconds>(std::min(until, deadline.get()) - now) +
                           Milliseconds(1),
                       kPollSlice));
  }
  addresses = std::move(lookup->addresses);
  return lookup->result;
}

}  // namespace

Status TcpConnection::open(const std::string& host, std::uint16_t port, Milliseconds connect_timeout,
                           const AbortDeadline& deadline) {
  close();
  const std::string service = std::to_string(port);
  AddressList list;
  const int resolved =
      resolve(host, service, std::chrono::steady_clock::now() + connect_timeout, deadline, list);
  if (resolved != 0) {
    return Status(ErrorCode::io_error, "cannot resolve " + host + ": " + ::gai_strerror(resolved));
  }
  std::string failures;
  for (const addrinfo* address = list.get(); address != nullptr; address = address->ai_next) {
    const int fd = ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                            address->ai_protocol);
    if (fd < 0) {
      failures += (failures.empty() ? " socket: " : "; socket: ") + error_text(errno);
      continue;
    }
    int error = 0;
    if (::connect(fd, address->ai_addr, address->ai_addrlen) != 0) {
      error = errno;
      if (error == EINPROGRESS) {
        const auto until = std::chrono::steady_clock::now() + connect_timeout;
        const short revents = wait_for(fd, POLLOUT, until, deadline);
        socklen_t length = sizeof error;
        if (revents == 0) {
          error = ETIMEDOUT;
        } else if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
          error = errno;
        }
      }
    }
    if (error != 0) {
      failures += (failures.empty() ? " " : "; ") + error_text(error);
      ::close(fd);
      continue;
    }
    const int enable = 1;
    // Batches are written whole; without Nagle the tail of a batch does not wait for an ACK.
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &enable, sizeof enable);
    ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &enable, sizeof enable);
    fd_ = fd;
    written_ = 0;
    last_ack_ = AckSample{};
    largest_window_ = 0;
    right_edge_ = 0;
    acked_at_edge_ = 0;
    return Status();
  }
  return Status(ErrorCode::io_error, "cannot connect to " + host + ":" + service + ":" + failures);
}

bool TcpConnection::peer_gone() {
  if (fd_ < 0) return true;
  pollfd descriptor{fd_, POLLIN | POLLRDHUP, 0};
  if (::poll(&descriptor, 1, 0) <= 0) return false;
  if ((descriptor.revents & (POLLERR | POLLHUP | POLLRDHUP)) != 0) return true;
  if ((descriptor.revents & POLLIN) == 0) return false;
  char discard[512];
  for (;;) {
    const ssize_t received = ::recv(fd_, discard, sizeof discard, MSG_DONTWAIT);
    if (received == 0) return true;
    if (received > 0) continue;  // a proxy never answers on this port; ignore what it says
    return !(errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
  }
}

TcpConnection::WriteOutcome TcpConnection::write(std::string_view data, Milliseconds progress_timeout,
                                                 const AbortDeadline& deadline) {
  WriteOutcome outcome;
  if (fd_ < 0) {
    outcome.error = Status(ErrorCode::io_error, "not connected");
    return outcome;
  }
  auto progress_deadline = std::chrono::steady_clock::now() + progress_timeout;
  const auto stalled = [&] {
    const bool aborted = std::chrono::steady_clock::now() >= deadline.get();
    return Status(ErrorCode::timeout, aborted ? "write abandoned at the close deadline"
                                              : "the proxy accepted no data for " +
                                                    std::to_string(progress_timeout.count()) + " ms");
  };
  while (outcome.written < data.size()) {
    const ssize_t sent = ::send(fd_, data.data() + outcome.written, data.size() - outcome.written,
                                MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent > 0) {
      outcome.written += static_cast<std::size_t>(sent);
      written_ += static_cast<std::uint64_t>(sent);
      progress_deadline = std::chrono::steady_clock::now() + progress_timeout;
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      outcome.error = Status(ErrorCode::io_error, "write failed: " + error_text(errno));
      return outcome;
    }
    const short revents = wait_for(fd_, POLLOUT, progress_deadline, deadline);
    if (revents == 0) {
      outcome.error = stalled();
      return outcome;
    }
    if ((revents & POLLOUT) == 0) {
      int error = 0;
      socklen_t length = sizeof error;
      ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length);
      outcome.error =
          Status(ErrorCode::io_error, "connection failed: " + error_text(error != 0 ? error : EPIPE));
      return outcome;
    }
  }
  return outcome;
}

AckSample TcpConnection::acknowledged(bool alive) {
  if (fd_ < 0) return last_ack_;
  const std::uint64_t previous_acked = last_ack_.acked;
  const AckSample sample = probe_acknowledged(fd_, written_, alive);
  if (sample.known && sample.acked >= last_ack_.acked) {
    last_ack_.known = true;
    last_ack_.acked = sample.acked;
  }
  if (sample.window_known) {
    last_ack_.window_known = true;
    last_ack_.window = sample.window;
    largest_window_ = std::max(largest_window_, sample.window);
  }
  // The right edge of the peer's window moves when the proxy reads; when it moved since the previous
  // sample, the read may have happened right after that sample.
  const std::uint64_t edge = last_ack_.acked + last_ack_.window;
  if (edge > right_edge_) {
    right_edge_ = edge;
    acked_at_edge_ = previous_acked;
  }
  return last_ack_;
}

void TcpConnection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace wavefront::transport
