// The engine behind Receiver (receiver.h): the listeners and the epoll event loop of one receiver,
// private to tools/receiver/. Receiver forwards to it so that receiver.h stays small and free of the
// loop's bookkeeping.
//
// One thread runs an epoll loop over non-blocking sockets; each ready connection gets one turn per
// round, so a fast or hostile client cannot starve the others. Every connection speaks raw lines, gzip
// lines or HTTP (connection.h, http_session.h); lines are validated by the library's strict reader
// (ingest.h) and accepted ones written through the OutputWriter (output.h). Memory is bounded as
// options.h says.
//
// Thread-safety: as Receiver's (receiver.h).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "receiver/options.h"
#include "receiver/stats.h"
#include "wavefront/status.h"

namespace wfreceiver {

class Connection;
struct LoopContext;
enum class LineFilter : std::uint8_t;

class EventLoop {
 public:
  // Binds and listens on every configured port. Fails with io_error naming the port.
  static wavefront::Expected<std::unique_ptr<EventLoop>> create(ReceiverOptions options);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

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

  explicit EventLoop(ReceiverOptions options);
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

}  // namespace wfreceiver
