// The soak's TCP relay in front of the fake HTTP receiver (see http_relay.h): one poll() I/O thread,
// non-blocking sockets, per-connection buffers, and a Content-Length follower that counts requests.
#include "soak/http_relay.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace wavefront::soak {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kMaxBuffered = 1024 * 1024;  // per direction; reading pauses above it
constexpr std::size_t kMaxHead = 64 * 1024;

void make_non_blocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

void close_with_reset(int fd) {
  const linger abort_on_close{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
  close(fd);
}

bool would_block(ssize_t result) {
  return result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
}

// Follows the request stream of one connection: heads up to "\r\n\r\n", then Content-Length body bytes.
class RequestCounter {
 public:
  // Bytes in stream order; returns how many requests they completed.
  std::uint64_t feed(const char* data, std::size_t size) {
    std::uint64_t completed = 0;
    while (size > 0 && !lost_) {
      if (body_left_ > 0) {
        const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(body_left_, size));
        data += take;
        size -= take;
        body_left_ -= take;
        if (body_left_ == 0) ++completed;
        continue;
      }
      const std::size_t old_size = head_.size();
      head_.append(data, size);
      const std::size_t end = head_.find("\r\n\r\n", old_size < 3 ? 0 : old_size - 3);
      if (end == std::string::npos) {
        lost_ = head_.size() > kMaxHead;
        return completed;
      }
      const std::size_t head_size = end + 4;
      const std::size_t used = head_size - old_size;
      data += used;
      size -= used;
      head_.resize(head_size);
      if (!body_length(head_, body_left_)) lost_ = true;
      head_.clear();
      if (body_left_ == 0 && !lost_) ++completed;
    }
    return completed;
  }
  bool lost() const { return lost_; }

 private:
  static bool body_length(const std::string& head, std::uint64_t& length) {
    std::string lowered(head);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lowered.find("\r\ntransfer-encoding:") != std::string::npos) return false;
    length = 0;
    const std::string name = "\r\ncontent-length:";
    std::size_t at = lowered.find(name);
    if (at == std::string::npos) return true;
    at += name.size();
    while (at < lowered.size() && lowered[at] == ' ') ++at;
    const auto [stop, error] = std::from_chars(lowered.data() + at, lowered.data() + lowered.size(), length);
    return error == std::errc() && stop != lowered.data() + at;
  }

  std::string head_;
  std::uint64_t body_left_ = 0;
  bool lost_ = false;
};

}  // namespace

struct HttpRelay::Pipe {
  int client = -1;
  int backend = -1;
  std::string to_backend;
  std::string to_client;
  bool client_eof = false;
  bool backend_eof = false;
  RequestCounter requests;
  bool counted_lost = false;
};

std::unique_ptr<HttpRelay> HttpRelay::start(std::uint16_t backend_port, std::string* error) {
  std::unique_ptr<HttpRelay> relay(new HttpRelay());
  if (pipe(relay->wake_fds_) != 0) {
    if (error) *error = std::string("pipe: ") + std::strerror(errno);
    return nullptr;
  }
  make_non_blocking(relay->wake_fds_[0]);
  make_non_blocking(relay->wake_fds_[1]);
  relay->backend_port_ = backend_port;
  if (!relay->restart(error)) return nullptr;
  return relay;
}

HttpRelay::~HttpRelay() {
  stop();
  for (int fd : wake_fds_) {
    if (fd >= 0) close(fd);
  }
}

bool HttpRelay::listen_on(std::uint16_t port, std::string* error) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    if (error) *error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address = loopback(port);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(fd, 128) != 0) {
    if (error) *error = "relay cannot listen on port " + std::to_string(port) + ": " + std::strerror(errno);
    close(fd);
    return false;
  }
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  listener_fd_ = fd;
  return true;
}

bool HttpRelay::restart(std::string* error) {
  std::lock_guard<std::mutex> control(control_mutex_);
  if (thread_.joinable()) return true;
  if (!listen_on(port_, error)) return false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_requested_ = false;
  }
  running_ = true;
  thread_ = std::thread([this] { run(); });
  return true;
}

void HttpRelay::stop() {
  std::lock_guard<std::mutex> control(control_mutex_);
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_requested_ = true;
  }
  wake();
  thread_.join();
  for (auto& pipe : pipes_) close_pipe(*pipe, true);
  pipes_.clear();
  close(listener_fd_);
  listener_fd_ = -1;
  running_ = false;
}

bool HttpRelay::running() const { return running_.load(); }

void HttpRelay::set_backend(std::uint16_t backend_port) {
  std::lock_guard<std::mutex> lock(mutex_);
  backend_port_ = backend_port;
  forwarded_requests_ = 0;
}

void HttpRelay::set_stalled(bool stalled) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stalled_ = stalled;
  }
  wake();
}

void HttpRelay::wake() {
  const char byte = 1;
  [[maybe_unused]] const ssize_t ignored = write(wake_fds_[1], &byte, 1);  // a full pipe is awake enough
}

void HttpRelay::run() {
  std::vector<pollfd> fds;
  for (;;) {
    bool stalled = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stop_requested_) break;
      stalled = stalled_;
    }
    fds.assign({pollfd{wake_fds_[0], POLLIN, 0}, pollfd{listener_fd_, POLLIN, 0}});
    for (const auto& pipe : pipes_) {
      const bool read_client = !stalled && !pipe->client_eof && pipe->to_backend.size() < kMaxBuffered;
      const bool read_backend = !pipe->backend_eof && pipe->to_client.size() < kMaxBuffered;
      const auto client_events =
          static_cast<short>((read_client ? POLLIN : 0) | (pipe->to_client.empty() ? 0 : POLLOUT));
      const auto backend_events =
          static_cast<short>((read_backend ? POLLIN : 0) | (pipe->to_backend.empty() ? 0 : POLLOUT));
      fds.push_back(pollfd{pipe->client, client_events, 0});
      fds.push_back(pollfd{pipe->backend, backend_events, 0});
    }
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents != 0) {
      char drain[64];
      while (read(wake_fds_[0], drain, sizeof drain) > 0) {
      }
    }
    const std::size_t serviced = pipes_.size();  // pipes accepted below are polled next round
    for (std::size_t index = 0; index < serviced; ++index) {
      const short client_events = fds[2 + 2 * index].revents;
      const short backend_events = fds[3 + 2 * index].revents;
      if (!service(*pipes_[index], client_events, backend_events, stalled)) pipes_[index]->client = -1;
    }
    pipes_.erase(
        std::remove_if(pipes_.begin(), pipes_.end(), [](const auto& pipe) { return pipe->client < 0; }),
        pipes_.end());
    if (fds[1].revents != 0) accept_all();
  }
}

void HttpRelay::accept_all() {
  for (;;) {
    const int client = accept4(listener_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;
    }
    ++accepted_connections_;
    std::uint16_t backend_port = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      backend_port = backend_port_;
    }
    // Loopback: a blocking connect completes (or is refused) at once.
    const int backend = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = loopback(backend_port);
    if (backend < 0 || connect(backend, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      if (backend >= 0) close(backend);
      close_with_reset(client);
      continue;
    }
    make_non_blocking(backend);
    const int one = 1;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(backend, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto pipe = std::make_unique<Pipe>();
    pipe->client = client;
    pipe->backend = backend;
    pipes_.push_back(std::move(pipe));
  }
}

bool HttpRelay::service(Pipe& pipe, short client_events, short backend_events, bool stalled) {
  char buffer[kReadChunk];
  if ((client_events & POLLERR) != 0 || (stalled && (client_events & POLLHUP) != 0)) {
    close_pipe(pipe, false);
    return false;
  }
  if (!stalled && (client_events & (POLLIN | POLLHUP)) != 0) {
    const ssize_t got = recv(pipe.client, buffer, sizeof buffer, 0);
    if (got > 0) {
      pipe.to_backend.append(buffer, static_cast<std::size_t>(got));
    } else if (got == 0) {
      pipe.client_eof = true;
    } else if (!would_block(got)) {
      close_pipe(pipe, false);
      return false;
    }
  }
  if ((backend_events & (POLLIN | POLLHUP | POLLERR)) != 0) {
    const ssize_t got = recv(pipe.backend, buffer, sizeof buffer, 0);
    if (got > 0) {
      pipe.to_client.append(buffer, static_cast<std::size_t>(got));
    } else if (got == 0) {
      pipe.backend_eof = true;
    } else if (!would_block(got)) {
      close_pipe(pipe, true);  // the receiver reset the connection: so does the relay
      return false;
    }
  }
  if (!pipe.to_backend.empty()) {
    const ssize_t sent =
        send(pipe.backend, pipe.to_backend.data(), pipe.to_backend.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent > 0) {
      forwarded_requests_ += pipe.requests.feed(pipe.to_backend.data(), static_cast<std::size_t>(sent));
      if (pipe.requests.lost() && !pipe.counted_lost) {
        pipe.counted_lost = true;
        ++unparsed_connections_;
      }
      pipe.to_backend.erase(0, static_cast<std::size_t>(sent));
    } else if (!would_block(sent)) {
      close_pipe(pipe, true);
      return false;
    }
  }
  if (!pipe.to_client.empty()) {
    const ssize_t sent =
        send(pipe.client, pipe.to_client.data(), pipe.to_client.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent > 0) {
      pipe.to_client.erase(0, static_cast<std::size_t>(sent));
    } else if (!would_block(sent)) {
      close_pipe(pipe, false);
      return false;
    }
  }
  if ((pipe.client_eof && pipe.to_backend.empty()) || (pipe.backend_eof && pipe.to_client.empty())) {
    close_pipe(pipe, false);
    return false;
  }
  return true;
}

void HttpRelay::close_pipe(Pipe& pipe, bool reset_client) {
  if (pipe.client >= 0) {
    if (reset_client) {
      close_with_reset(pipe.client);
    } else {
      close(pipe.client);
    }
  }
  if (pipe.backend >= 0) close(pipe.backend);
  pipe.client = -1;
  pipe.backend = -1;
}

}  // namespace wavefront::soak
