// The receiver component: a local Wavefront-compatible receiver, as a library. It is what
// `wfsend listen` runs, and what tests and other programs embed to receive what the library's clients
// (or a proxy's) send, over raw TCP, gzip-compressed TCP and HTTP.
//
// It binds the push port (every kind of line, detected per line) and optionally a distribution port
// and a tracing port (only lines of that kind), validates every line with the library's strict reader
// (wavefront/line_reader.h), hands accepted lines in canonical form to options.accepted_sink and/or
// writes them to options.output_fd, reports refusals on options.report_fd and counts everything
// (stats.h). Every timeout and bound, and so its memory use, is a field of ReceiverOptions (options.h).
// It runs one event-loop thread; a client that is slow, fast or hostile cannot starve the others.
//
//   wfreceiver::ReceiverOptions options;
//   options.port = 0;   // any free port
//   options.accepted_sink = [&](std::string_view lines) { ... };   // on the loop thread
//   auto receiver = wfreceiver::Receiver::create(std::move(options));   // binds
//   if (!receiver.ok()) ...;                                            // io_error naming the port
//   (*receiver)->start();                 // or run() on the calling thread
//   ... send to 127.0.0.1:(*receiver)->port() ...
//   (*receiver)->stop();                  // drains what clients already sent, closes every connection
//   (*receiver)->wait();
//   wfreceiver::ReceiverStats stats = (*receiver)->stats();
//
// Thread-safety: create, run/start, wait and the destructor from one thread; stop() from any thread,
// and from a signal handler (it only writes to an eventfd); stats() and the port accessors from any
// thread at any time. The sink is called on the loop thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "receiver/options.h"
#include "receiver/stats.h"
#include "wavefront/status.h"

namespace wfreceiver {

class EventLoop;

class Receiver {
 public:
  // Checks the options, binds and listens on every configured port. Fails with invalid_argument for
  // an option out of range and io_error naming a port that cannot be bound.
  static wavefront::Expected<std::unique_ptr<Receiver>> create(ReceiverOptions options);
  ~Receiver();
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  // The bound ports (the ones picked when the options asked for port 0).
  std::uint16_t port() const noexcept;
  std::optional<std::uint16_t> distribution_port() const noexcept;
  std::optional<std::uint16_t> tracing_port() const noexcept;

  // Serves until stop(); then processes what clients already sent (up to options.drain_timeout),
  // closes every connection and flushes the accepted lines.
  void run();
  // run() on a new thread; wait() joins it.
  void start();
  void wait();
  void stop() noexcept;

  // The counters so far (exact each, not taken at one instant while the loop runs).
  ReceiverStats stats() const;

 private:
  explicit Receiver(std::unique_ptr<EventLoop> loop);
  std::unique_ptr<EventLoop> loop_;
};

}  // namespace wfreceiver
