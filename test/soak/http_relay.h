// A loopback TCP relay in front of the soak's fake HTTP receiver, so that the HTTP receiver can be killed
// and restarted on a fixed port, hang, and be replaced by a fresh FakeHttpServer (which always listens on
// an ephemeral port) while one HttpClient keeps sending to the same URL.
//
// Each accepted client connection gets its own connection to the backend (the current FakeHttpServer);
// bytes are copied both ways. stop() behaves like a killed receiver: the listener closes and every client
// connection is reset (RST); backend connections are closed normally. A reset from the backend (the fake's
// scripted reset) is passed on to the client as a reset. set_stalled(true) stops reading from clients
// (a hung receiver: requests make no progress and time out on the client); what was already forwarded is
// still answered. The relay also counts complete HTTP requests forwarded to the backend (it follows
// Content-Length), so the soak can wait until the fake has answered every request that reached it.
//
// Thread-safety: one I/O thread per relay; every public method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wavefront::soak {

class HttpRelay {
 public:
  // Listens on 127.0.0.1 (ephemeral port) and forwards to 127.0.0.1:backend_port. Null and *error on failure.
  static std::unique_ptr<HttpRelay> start(std::uint16_t backend_port, std::string* error);
  ~HttpRelay();
  HttpRelay(const HttpRelay&) = delete;
  HttpRelay& operator=(const HttpRelay&) = delete;

  std::uint16_t port() const { return port_; }

  // Closes the listener and every connection (clients get RST). Idempotent.
  void stop();
  // Listens again on the same port. False (and *error) if it cannot bind.
  bool restart(std::string* error);
  bool running() const;

  // The backend for connections accepted from now on; resets forwarded_requests(). Call while stopped.
  void set_backend(std::uint16_t backend_port);
  void set_stalled(bool stalled);

  // Complete requests (head plus Content-Length body) written to the current backend.
  std::uint64_t forwarded_requests() const { return forwarded_requests_.load(); }
  // Connections whose request stream could not be followed (no Content-Length, or chunked).
  std::uint64_t unparsed_connections() const { return unparsed_connections_.load(); }
  std::uint64_t accepted_connections() const { return accepted_connections_.load(); }

 private:
  struct Pipe;  // one client connection and its backend connection (I/O thread only)

  HttpRelay() = default;
  bool listen_on(std::uint16_t port, std::string* error);
  void run();
  void wake();
  void accept_all();
  // Moves bytes for one pipe; false once the pipe is finished (its sockets closed).
  bool service(Pipe& pipe, short client_events, short backend_events, bool stalled);
  void close_pipe(Pipe& pipe, bool reset_client);

  std::uint16_t port_ = 0;
  int listener_fd_ = -1;
  int wake_fds_[2] = {-1, -1};
  std::thread thread_;
  std::vector<std::unique_ptr<Pipe>> pipes_;  // I/O thread only (or the controller, after join)

  std::mutex control_mutex_;  // serializes stop / restart
  mutable std::mutex mutex_;  // guards the three below
  bool stop_requested_ = false;
  bool stalled_ = false;
  std::uint16_t backend_port_ = 0;
  std::atomic<bool> running_{false};
  std::atomic<std::uint64_t> forwarded_requests_{0};
  std::atomic<std::uint64_t> unparsed_connections_{0};
  std::atomic<std::uint64_t> accepted_connections_{0};
};

}  // namespace wavefront::soak
