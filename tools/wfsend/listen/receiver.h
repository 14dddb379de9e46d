// `wfsend listen`'s server: a local Wavefront-compatible receiver on one event-loop thread.
//
// It binds the push port (every kind of line, detected per line) and optionally a distribution port
// and a tracing port (only lines of that kind), each speaking raw lines, gzip-compressed lines or HTTP
// (see connection.h and http_session.h), validates every line with the library's strict reader, writes
// accepted lines in canonical form to options.output_fd and reports refusals on options.report_fd.
// One thread runs an epoll loop over non-blocking sockets; each ready connection gets one turn per
// round, so a fast or hostile client cannot starve the others. Memory is bounded as options.h says.
//
// listen_command.cc runs it on the main thread; tests and benchmarks start it on its own thread:
//
//   auto receiver = wfsend::listen::Receiver::create(options);   // binds; port 0 picks a free port
//   if (!receiver.ok()) ...;
//   (*receiver)->start();
//   ... connect to (*receiver)->port() ...
//   (*receiver)->stop();   // drains what clients already sent, then closes every connection
//   (*receiver)->wait();
//   wfsend::listen::ReceiverStats stats = (*receiver)->stats();
//
// Thread-safety: create, run/start, wait and the destructor from one thread; stop() from any thread,
// and from a signal handler (it only writes to an eventfd); stats() and the port accessors from any
// thread at any time.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "wavefront/status.h"
#include "wfsend/listen/options.h"
#include "wfsend/listen/stats.h"

namespace wfsend::listen {

class Connection;
struct LoopContext;
enum class LineFilter : std::uint8_t;

class Receiver {
 public:
  // Binds and listens on every configured port. Fails with io_error naming the port.
  static wavefront::Expected<std::unique_ptr<Receiver>> create(ReceiverOptions options);
  ~Receiver();
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  std::optional<std::uint16_t> distribution_port() const noexcept { return distribution_port_; }
  std::optional<std::uint16_t> tracing_port() const noexcept { return tracing_port_; }

  // Serves until stop(); then processes what clients already sent (up to options.drain_timeout),
  // closes every connection and flushes the output.
  void run();
  // run() on a new thread; wait() joins it.
  void start();
  void wait();
  void stop() noexcept;

  ReceiverStats stats() const;

 private:
  struct Listener {
    int fd = -1;
    LineFilter filter;
    bool paused = false;
  };
  struct Slot {
    std::unique_ptr<Connection> connection;
    std::uint32_t generation = 0;
    std::uint64_t round = 0;         // the last round it had a turn
    std::uint64_t queued_round = 0;  // the last round it was put on the work list
    std::uint32_t events = 0;        // registered with epoll
  };

  explicit Receiver(ReceiverOptions options);
  wavefront::Status listen_on(std::uint16_t requested, LineFilter filter, std::uint16_t& bound);
  void accept_from(Listener& listener);
  void serve(std::size_t slot_index);
  void after_turn(std::size_t slot_index);
  void check_deadlines();
  void close_listeners();
  void finish();

  std::unique_ptr<LoopContext> context_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::vector<Listener> listeners_;
  std::vector<Slot> slots_;
  std::vector<std::size_t> free_slots_;
  std::vector<std::size_t> touched_;  // slots that had a turn this round
  std::vector<std::size_t> work_;     // slots with work left for the next round
  std::uint64_t round_ = 0;
  std::uint16_t port_ = 0;
  std::optional<std::uint16_t> distribution_port_;
  std::optional<std::uint16_t> tracing_port_;
  std::thread thread_;
  bool output_error_reported_ = false;
};

}  // namespace wfsend::listen
