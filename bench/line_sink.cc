// The loopback line-counting receiver of the sender benchmarks; see line_sink.h.
#include "line_sink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace wavefront_bench {
namespace {

// One read takes up to this much: a whole batch of the sender (up to 4 MiB) in a few calls.
constexpr std::size_t kReadBufferBytes = 1 << 20;
constexpr int kListenBacklog = 16;

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "line_sink: %s: %s\n", what, std::strerror(errno));
  std::abort();
}

sockaddr_in loopback_address(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// The port a bound socket got from the kernel.
std::uint16_t bound_port(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) die("getsockname");
  return ntohs(address.sin_port);
}

int bind_loopback_socket() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  const sockaddr_in address = loopback_address(0);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) die("bind");
  return fd;
}

std::uint64_t count_newlines(const char* data, std::size_t size) {
  std::uint64_t newlines = 0;
  // A plain loop: the compiler vectorizes it, which memchr per line would not beat on short lines.
  for (std::size_t index = 0; index < size; ++index) newlines += data[index] == '\n' ? 1 : 0;
  return newlines;
}

}  // namespace

LineSink::LineSink() {
  listen_fd_ = bind_loopback_socket();
  if (::listen(listen_fd_, kListenBacklog) != 0) die("listen");
  port_ = bound_port(listen_fd_);
  if (::pipe2(wake_fds_, O_CLOEXEC) != 0) die("pipe2");
  reader_ = std::thread([this] { run(); });
}

LineSink::~LineSink() {
  const char stop = 's';
  if (::write(wake_fds_[1], &stop, 1) != 1) die("write to the stop pipe");
  reader_.join();
  ::close(wake_fds_[0]);
  ::close(wake_fds_[1]);
  ::close(listen_fd_);
}

void LineSink::count_received(const char* data, std::size_t size) {
  bytes_.fetch_add(size);
  lines_.fetch_add(count_newlines(data, size));
  if (waiters_.load() > 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    arrived_.notify_all();
  }
}

bool LineSink::wait_for_lines(std::uint64_t count, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock<std::mutex> lock(mutex_);
  // Registered before the first check, so a reader that adds the last lines after it sees a waiter.
  waiters_.fetch_add(1);
  const bool arrived = arrived_.wait_until(lock, deadline, [&] { return lines_.load() >= count; });
  waiters_.fetch_sub(1);
  return arrived;
}

void LineSink::run() {
  std::vector<char> buffer(kReadBufferBytes);
  // [0] the stop pipe, [1] the listening socket, then one entry per open connection.
  std::vector<pollfd> descriptors = {{wake_fds_[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}};
  for (;;) {
    if (::poll(descriptors.data(), descriptors.size(), -1) < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    if (descriptors[0].revents != 0) break;
    if ((descriptors[1].revents & POLLIN) != 0) {
      const int connection = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (connection >= 0) descriptors.push_back({connection, POLLIN, 0});
    }
    for (std::size_t index = 2; index < descriptors.size();) {
      pollfd& connection = descriptors[index];
      bool open = true;
      if (connection.revents != 0) {
        // Drain what is there now; a short read means the socket buffer is empty.
        for (;;) {
          const ssize_t received = ::recv(connection.fd, buffer.data(), buffer.size(), 0);
          if (received > 0) {
            count_received(buffer.data(), static_cast<std::size_t>(received));
            if (static_cast<std::size_t>(received) < buffer.size()) break;
            continue;
          }
          if (received < 0 && errno == EINTR) continue;
          open = received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
          break;
        }
      }
      if (open) {
        ++index;
      } else {
        ::close(connection.fd);
        descriptors.erase(descriptors.begin() + static_cast<std::ptrdiff_t>(index));
      }
    }
  }
  for (std::size_t index = 2; index < descriptors.size(); ++index) ::close(descriptors[index].fd);
}

std::uint16_t reserve_unused_port() {
  const int fd = bind_loopback_socket();
  const std::uint16_t port = bound_port(fd);
  ::close(fd);
  return port;
}

}  // namespace wavefront_bench
