// The cpp-httplib server thread behind the HTTP fakes, and the socket tricks of http_server_thread.h.
#include "support/http_server_thread.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "support/test_certificates.h"

namespace wavefront::testing::detail {
namespace {

int port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  return -1;
}

// The connected sockets of this process as (fd, local port, peer port). Most of them belong to other
// threads and may be closed (and their numbers reused) meanwhile: only queries that cannot harm them are
// made here (getsockname and getpeername; not fstat, which ThreadSanitizer counts as an fd access).
struct OpenSocket {
  int fd;
  int local_port;
  int peer_port;
};
std::vector<OpenSocket> open_sockets() {
  std::vector<OpenSocket> sockets;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", error)) {
    const int fd = std::atoi(entry.path().filename().c_str());
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t local_length = sizeof(local);
    socklen_t peer_length = sizeof(peer);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_length) != 0) continue;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_length) != 0) continue;
    sockets.push_back({fd, port_of(local), port_of(peer)});
  }
  return sockets;
}

}  // namespace

std::unique_ptr<HttpServerThread> HttpServerThread::start(bool tls, Handler handler, std::string* error) {
  std::unique_ptr<HttpServerThread> self(new HttpServerThread());
  self->tls_ = tls;
  try {
    if (tls) {
      const TestCertificate& cert = localhost_certificate();
      self->server_ = std::make_unique<httplib::SSLServer>(cert.cert_file.c_str(), cert.key_file.c_str());
    } else {
      self->server_ = std::make_unique<httplib::Server>();
    }
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return nullptr;
  }
  if (!self->server_->is_valid()) {
    if (error) *error = "cpp-httplib server is not valid (TLS setup failed?)";
    return nullptr;
  }
  self->server_->set_pre_routing_handler([](const httplib::Request& request, httplib::Response&) {
    // Runs before the body is read. `request` is a mutable object inside httplib (only the handler's
    // view is const), so renaming the header here is well-defined.
    auto& headers = const_cast<httplib::Request&>(request).headers;
    const auto found = headers.find("Content-Encoding");
    if (found != headers.end()) {
      headers.emplace(kRawEncodingHeader, found->second);
      headers.erase(found);
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  HttpServerThread* raw = self.get();
  self->server_->Post(".*", [raw, handler](const httplib::Request& request, httplib::Response& response) {
    {
      std::lock_guard<std::mutex> lock(raw->mutex_);
      raw->peers_.insert(request.remote_port);
    }
    handler(request, response);
  });
  self->server_->set_payload_max_length(std::size_t{256} << 20);  // raw bytes; larger → 413 by httplib
  const int port = self->server_->bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    if (error) *error = "cannot bind 127.0.0.1";
    return nullptr;
  }
  self->port_ = static_cast<uint16_t>(port);
  self->thread_ = std::thread([raw] { raw->run(); });
  // The socket listens already (clients may connect), but httplib's stop() only works once its accept
  // loop runs, and it offers no notification for that: poll, bounded.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!self->server_->is_running() && !self->finished() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!self->server_->is_running()) {
    if (error) *error = "cpp-httplib server did not start";
    return nullptr;  // the destructor stops and joins
  }
  return self;
}

HttpServerThread::~HttpServerThread() { stop(); }

std::string HttpServerThread::url() const {
  return (tls_ ? "https://localhost:" : "http://127.0.0.1:") + std::to_string(port_);
}

bool HttpServerThread::wait_unless_stopping(std::chrono::milliseconds delay) {
  std::unique_lock<std::mutex> lock(mutex_);
  return !stopped_.wait_for(lock, delay, [this] { return stopping_; });
}

bool HttpServerThread::stopping() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopping_;
}

bool HttpServerThread::finished() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return finished_;
}

void HttpServerThread::run() {
  // httplib creates its worker threads from here, and they inherit this mask: a write to a connection
  // that the client closed (or that we reset) fails with EPIPE instead of raising SIGPIPE (OpenSSL
  // writes without MSG_NOSIGNAL). The test's own threads are not affected.
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &block, nullptr);
  server_->listen_after_bind();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
  }
  stopped_.notify_all();
}

void HttpServerThread::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stopped_.notify_all();
  if (!thread_.joinable()) return;
  server_->stop();  // closes the listener; httplib then joins its workers before listen returns
  // Workers idle in keep-alive waits (up to 5 s) would hold that up: shut their connections down,
  // repeatedly, as handlers that were still busy may go back to waiting. (A worker could close such a
  // descriptor between the port check and shutdown(), and another thread reuse the number; that window
  // is only open while a client hangs up exactly as the server stops.)
  std::unique_lock<std::mutex> lock(mutex_);
  while (!finished_) {
    const std::set<int> peers = peers_;
    lock.unlock();
    for (const OpenSocket& socket : open_sockets()) {
      if (socket.local_port == port_ && peers.count(socket.peer_port) > 0) shutdown(socket.fd, SHUT_RDWR);
    }
    lock.lock();
    stopped_.wait_for(lock, std::chrono::milliseconds(20), [this] { return finished_; });
  }
  lock.unlock();
  thread_.join();
}

int HttpServerThread::connection_socket(const httplib::Request& request) {
  for (const OpenSocket& socket : open_sockets()) {
    if (socket.local_port == request.local_port && socket.peer_port == request.remote_port) return socket.fd;
  }
  return -1;
}

void HttpServerThread::reset_connection(int fd, bool tls) {
  // Over TLS, OpenSSL takes the ENOTCONN that reads give after connect(AF_UNSPEC) for "retry", and
  // httplib 0.11 then retries for a second: close with FIN there (and RST at httplib's close).
  sockaddr unspecified{};
  unspecified.sa_family = AF_UNSPEC;
  if (tls || connect(fd, &unspecified, sizeof(unspecified)) != 0) {
    const linger abort_on_close{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
    shutdown(fd, SHUT_RDWR);
  }
}

}  // namespace wavefront::testing::detail
