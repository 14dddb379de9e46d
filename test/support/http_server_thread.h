// Internal to the HTTP fakes (fake_http_server.h): a cpp-httplib Server or SSLServer on 127.0.0.1 with an
// ephemeral port, serving every POST from its own thread, plus the socket tricks the fakes need (resetting
// one connection from its handler, shutting connections down on stop).
//
// Include only from .cc files that are compiled with cpp-httplib's pkg-config flags.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace wavefront::testing::detail {

// The header a pre-routing handler moves Content-Encoding to, so that httplib keeps the raw request body
// (it would otherwise inflate gzip itself, without any size bound).
inline constexpr char kRawEncodingHeader[] = "X-Fake-Original-Content-Encoding";

class HttpServerThread {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  // Listening and accepting when it returns (TLS with localhost_certificate()); nullptr and *error if not.
  static std::unique_ptr<HttpServerThread> start(bool tls, Handler handler, std::string* error);
  ~HttpServerThread();  // stop()
  HttpServerThread(const HttpServerThread&) = delete;
  HttpServerThread& operator=(const HttpServerThread&) = delete;

  uint16_t port() const { return port_; }
  std::string url() const;

  // Waits `delay` unless the server stops first; true when the full delay passed.
  bool wait_unless_stopping(std::chrono::milliseconds delay);
  bool stopping() const;

  // Ends every handler wait and streamed answer, closes the listener and connections, joins. Idempotent.
  void stop();

  // The descriptor of the connection `request` came on (from inside its handler), or -1.
  static int connection_socket(const httplib::Request& request);
  // Drops that connection, leaving the descriptor open (httplib owns it; its answer then fails with
  // EPIPE). Plain: connect(AF_UNSPEC), on which Linux sends RST at once. TLS: SO_LINGER {1, 0} and
  // shutdown(SHUT_RDWR): the client reads end-of-stream before any answer, httplib's close sends RST.
  static void reset_connection(int fd, bool tls);

 private:
  HttpServerThread() = default;
  void run();
  bool finished() const;

  bool tls_ = false;
  std::unique_ptr<httplib::Server> server_;
  uint16_t port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable stopped_;
  bool stopping_ = false;
  bool finished_ = false;
  std::set<int> peers_;  // client ports that sent requests; stop() shuts their connections down
};

}  // namespace wavefront::testing::detail
