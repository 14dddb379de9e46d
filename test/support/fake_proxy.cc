// The fake Wavefront proxy used by the raw TCP sender tests: one poll() I/O thread per instance that
// accepts, reads (or misbehaves), records bytes and splits them into lines, inflating gzip connections.
#include "support/fake_proxy.h"

#define ZLIB_CONST
#include <zlib.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace wavefront::testing {
namespace {

using Kind = FakeProxyBehavior::Kind;

bool is_budgeted(Kind kind) { return kind == Kind::kCloseAfterBytes || kind == Kind::kResetAfterBytes; }

void set_flags(int fd) {
  fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

bool make_address(const std::string& host, uint16_t port, sockaddr_storage* storage, socklen_t* length) {
  std::memset(storage, 0, sizeof(*storage));
  auto* v4 = reinterpret_cast<sockaddr_in*>(storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    *length = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(storage);
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    *length = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

// A socket bound to host:port with SO_REUSEADDR (and the receive buffer, if any), or -1 with *error set.
int bound_socket(const std::string& host, uint16_t port, int receive_buffer, std::string* error) {
  sockaddr_storage address;
  socklen_t length = 0;
  if (!make_address(host, port, &address, &length)) {
    if (error) *error = "not a numeric IP address: " + host;
    return -1;
  }
  int fd = socket(address.ss_family, SOCK_STREAM, 0);
  if (fd < 0) {
    if (error) *error = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  set_flags(fd);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (address.ss_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
  if (receive_buffer > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof(receive_buffer));
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0) {
    if (error) *error = "bind " + host + ":" + std::to_string(port) + ": " + std::strerror(errno);
    close(fd);
    return -1;
  }
  return fd;
}

uint16_t local_port(int fd) {
  sockaddr_storage address;
  socklen_t length = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
  return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
}

}  // namespace

struct FakeProxy::Connection {
  enum class Mode { kUnknown, kPlain, kGzip, kBroken };

  int fd = -1;             // -1 once closed
  std::size_t index = 0;   // into connection_bytes_
  std::size_t budget = 0;  // bytes left before a budgeted behaviour closes the connection
  Mode mode = Mode::kUnknown;
  std::string head;  // first byte(s) while it is not yet known whether this is gzip
  z_stream inflater{};
  bool inflater_ready = false;
  bool member_ended = false;  // a gzip member ended; further bytes start the next one
  std::string partial;        // decoded text after the last '\n'

  ~Connection() {
    if (inflater_ready) inflateEnd(&inflater);
  }
};

std::unique_ptr<FakeProxy> FakeProxy::start(Options options, std::string* error) {
  std::unique_ptr<FakeProxy> proxy(new FakeProxy());
  proxy->address_ = options.bind_address;
  proxy->port_ = options.port;
  proxy->receive_buffer_ = options.receive_buffer;
  proxy->behavior_ = options.behavior;
  if (pipe(proxy->wake_fds_) != 0) {
    if (error) *error = std::string("pipe: ") + std::strerror(errno);
    return nullptr;
  }
  set_flags(proxy->wake_fds_[0]);
  set_flags(proxy->wake_fds_[1]);
  if (!proxy->restart(error)) return nullptr;
  return proxy;
}

uint16_t FakeProxy::reserve_port(const std::string& address) {
  int fd = bound_socket(address, 0, 0, nullptr);
  if (fd < 0) return 0;
  uint16_t port = local_port(fd);
  close(fd);
  return port;
}

bool FakeProxy::ipv6_available() {
  int fd = bound_socket("::1", 0, 0, nullptr);
  if (fd < 0) return false;
  close(fd);
  return true;
}

FakeProxy::~FakeProxy() {
  stop();
  for (int fd : wake_fds_) {
    if (fd >= 0) close(fd);
  }
}

void FakeProxy::set_behavior(Behavior behavior) {
  std::lock_guard<std::mutex> control(control_mutex_);
  std::unique_lock<std::mutex> lock(mutex_);
  behavior_ = behavior;
  const std::uint64_t target = ++generation_;
  if (!running_) return;  // a (re)started I/O thread picks it up first thing
  lock.unlock();
  wake();
  lock.lock();
  changed_.wait_for(lock, std::chrono::seconds(10),
                    [&] { return applied_generation_ >= target || !running_; });
}

void FakeProxy::stop() {
  std::lock_guard<std::mutex> control(control_mutex_);
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_requested_ = true;
  }
  wake();
  thread_.join();
  close_all_after_join();
}

bool FakeProxy::restart(std::string* error) {
  std::lock_guard<std::mutex> control(control_mutex_);
  if (thread_.joinable()) {
    if (running()) return true;
    thread_.join();  // the I/O thread gave up on its own; start over
    close_all_after_join();
  }
  int receive_buffer = receive_buffer_;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (receive_buffer == 0 && behavior_.kind == Kind::kStopReading)
      receive_buffer = kStopReadingReceiveBuffer;
  }
  int fd = bound_socket(address_, port_, receive_buffer, error);
  if (fd < 0) return false;
  if (listen(fd, 128) != 0) {
    if (error) *error = std::string("listen: ") + std::strerror(errno);
    close(fd);
    return false;
  }
  if (port_ == 0) port_ = local_port(fd);
  listener_fd_ = fd;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = true;
    stop_requested_ = false;
  }
  thread_ = std::thread(&FakeProxy::run, this);
  return true;
}

void FakeProxy::close_all_after_join() {
  if (listener_fd_ >= 0) close(listener_fd_);
  listener_fd_ = -1;
  for (auto& connection : open_) close_connection(*connection, false);
  open_.clear();
}

void FakeProxy::wake() const {
  const char byte = 1;
  [[maybe_unused]] ssize_t ignored = write(wake_fds_[1], &byte, 1);  // a full pipe is awake enough
}

void FakeProxy::run() {
  std::vector<pollfd> fds;
  std::vector<Connection*> polled;
  bool first = true;
  std::uint64_t applied = 0;
  for (;;) {
    Behavior behavior;
    std::uint64_t generation = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stop_requested_) break;
      behavior = behavior_;
      generation = generation_;
    }
    if (first || generation != applied) {
      apply_behavior(behavior);  // before acknowledging, so set_behavior() returns once it took effect
      first = false;
      applied = generation;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        applied_generation_ = generation;
      }
      changed_.notify_all();
    }

    fds.assign({pollfd{wake_fds_[0], POLLIN, 0}, pollfd{listener_fd_, POLLIN, 0}});
    polled.clear();
    if (behavior.kind != Kind::kStopReading) {
      for (auto& connection : open_) {
        fds.push_back(pollfd{connection->fd, POLLIN, 0});
        polled.push_back(connection.get());
      }
    }
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents != 0) {
      char drain[64];
      while (read(wake_fds_[0], drain, sizeof(drain)) > 0) {
      }
    }
    if (fds[1].revents != 0) accept_all(behavior);
    for (std::size_t i = 0; i < polled.size(); ++i) {
      if (fds[i + 2].revents != 0) read_from(*polled[i], behavior);
    }
    open_.erase(std::remove_if(open_.begin(), open_.end(), [](const auto& c) { return c->fd < 0; }),
                open_.end());
    if (behavior.kind == Kind::kOneByteAtATime) {
      pollfd pause{wake_fds_[0], POLLIN, 0};
      poll(&pause, 1, 1);  // the deliberate slowness under test; a behaviour change cuts it short
    }
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = false;
  }
  changed_.notify_all();
}

void FakeProxy::apply_behavior(const Behavior& behavior) {
  for (auto& connection : open_) {  // closed ones are pruned by run() (poll ignores their fd of -1)
    if (behavior.kind == Kind::kAcceptThenClose) {
      close_connection(*connection, false);
    } else if (is_budgeted(behavior.kind)) {
      connection->budget = behavior.bytes;
      if (behavior.bytes == 0) close_connection(*connection, behavior.kind == Kind::kResetAfterBytes);
    } else if (behavior.kind == Kind::kStopReading) {
      int size = receive_buffer_ > 0 ? receive_buffer_ : kStopReadingReceiveBuffer;
      setsockopt(connection->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    }
  }
  if (behavior.kind == Kind::kStopReading && receive_buffer_ == 0) {
    int size = kStopReadingReceiveBuffer;  // for connections accepted from now on
    setsockopt(listener_fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  }
}

void FakeProxy::accept_all(const Behavior& behavior) {
  for (;;) {
    int fd = accept(listener_fd_, nullptr, nullptr);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // EAGAIN: nothing more pending (other errors: try again on the next poll)
    }
    set_flags(fd);
    auto connection = std::make_unique<Connection>();
    connection->fd = fd;
    connection->budget = behavior.bytes;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      connection->index = connection_bytes_.size();
      connection_bytes_.emplace_back();
    }
    changed_.notify_all();
    if (behavior.kind == Kind::kAcceptThenClose || (is_budgeted(behavior.kind) && behavior.bytes == 0)) {
      close_connection(*connection, behavior.kind == Kind::kResetAfterBytes);
    } else {
      open_.push_back(std::move(connection));
    }
  }
}

void FakeProxy::read_from(Connection& connection, const Behavior& behavior) {
  char buffer[64 * 1024];
  std::size_t want = behavior.kind == Kind::kOneByteAtATime ? 1 : sizeof(buffer);
  if (is_budgeted(behavior.kind)) want = std::min(want, connection.budget);
  const ssize_t n = recv(connection.fd, buffer, want, 0);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) close_connection(connection, false);
    return;
  }
  if (n == 0) {
    close_connection(connection, false);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    record(connection, buffer, static_cast<std::size_t>(n));
  }
  changed_.notify_all();
  if (is_budgeted(behavior.kind)) {
    connection.budget -= static_cast<std::size_t>(n);
    if (connection.budget == 0) close_connection(connection, behavior.kind == Kind::kResetAfterBytes);
  }
}

void FakeProxy::close_connection(Connection& connection, bool reset) {
  if (connection.fd < 0) return;
  if (reset) {
    linger abort_on_close{1, 0};
    setsockopt(connection.fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
  }
  close(connection.fd);
  connection.fd = -1;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++closed_connections_;
    if (!connection.partial.empty() || !connection.head.empty()) ++discarded_fragments_;
    connection.partial.clear();
    connection.head.clear();
  }
  changed_.notify_all();
}

void FakeProxy::record(Connection& connection, const char* data, std::size_t size) {
  received_.append(data, size);
  connection_bytes_[connection.index].append(data, size);
  largest_read_ = std::max(largest_read_, size);
  decode(connection, data, size);
}

void FakeProxy::decode(Connection& connection, const char* data, std::size_t size) {
  using Mode = Connection::Mode;
  if (connection.mode == Mode::kUnknown) {
    connection.head.append(data, size);
    const std::string& head = connection.head;
    if (head.size() < 2 && head[0] == '\x1f') return;  // might still be gzip
    const bool gzip = head.size() >= 2 && head[0] == '\x1f' && head[1] == '\x8b';
    connection.mode = gzip ? Mode::kGzip : Mode::kPlain;
    if (gzip) {
      connection.inflater_ready = inflateInit2(&connection.inflater, 16 + MAX_WBITS) == Z_OK;
      if (!connection.inflater_ready) connection.mode = Mode::kBroken;
    }
    std::string bytes = std::move(connection.head);
    connection.head.clear();
    if (connection.mode != Mode::kBroken) decode(connection, bytes.data(), bytes.size());
    return;
  }
  if (connection.mode == Mode::kPlain) {
    add_text(connection, data, size);
    return;
  }
  if (connection.mode != Mode::kGzip) return;
  z_stream& z = connection.inflater;
  z.next_in = reinterpret_cast<const Bytef*>(data);
  z.avail_in = static_cast<uInt>(size);
  char out[16 * 1024];
  for (;;) {
    if (connection.member_ended) {
      if (z.avail_in == 0) return;
      inflateReset(&z);  // another gzip member follows (concatenated gzip streams)
      connection.member_ended = false;
    }
    z.next_out = reinterpret_cast<Bytef*>(out);
    z.avail_out = sizeof(out);
    const int rc = inflate(&z, Z_SYNC_FLUSH);
    add_text(connection, out, sizeof(out) - z.avail_out);
    if (rc == Z_STREAM_END) {
      connection.member_ended = true;
    } else if (rc == Z_BUF_ERROR || (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0)) {
      return;  // everything decodable so far is out; wait for more bytes
    } else if (rc != Z_OK) {
      connection.mode = Mode::kBroken;
      ++decode_errors_;
      return;
    }
  }
}

void FakeProxy::add_text(Connection& connection, const char* data, std::size_t size) {
  const char* end = data + size;
  while (data != end) {
    const auto* newline =
        static_cast<const char*>(std::memchr(data, '\n', static_cast<std::size_t>(end - data)));
    if (newline == nullptr) {
      connection.partial.append(data, end);
      return;
    }
    connection.partial.append(data, newline);
    lines_.push_back(std::move(connection.partial));
    connection.partial.clear();
    data = newline + 1;
  }
}

std::size_t FakeProxy::open_connection_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return connection_bytes_.size() - closed_connections_;
}

}  // namespace wavefront::testing
