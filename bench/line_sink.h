// A loopback TCP receiver for the sender benchmarks: it accepts any number of connections on
// 127.0.0.1 (an ephemeral port), reads everything with a large buffer on its own thread and counts the
// '\n' bytes it received, so a benchmark can wait until every line it sent has arrived.
//
//   wavefront_bench::LineSink sink;
//   config.metrics_port = sink.port();
//   ... send N lines ...
//   if (!sink.wait_for_lines(N, std::chrono::seconds(60))) { /* lines went missing */ }
//
// It judges nothing (the tests' fake proxy and wire parser do that); it is a cheap, fast consumer.
//
// Thread-safety: port(), lines(), bytes() and wait_for_lines() may be called from any thread while the
// reader thread runs. The destructor stops the reader and closes every socket.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace wavefront_bench {

class LineSink {
 public:
  // Binds and listens, then starts the reader thread. Aborts the program if the socket cannot be set up
  // (a benchmark cannot run without it).
  LineSink();
  ~LineSink();
  LineSink(const LineSink&) = delete;
  LineSink& operator=(const LineSink&) = delete;

  std::uint16_t port() const { return port_; }
  // Lines ('\n' bytes) and bytes received so far, over all connections.
  std::uint64_t lines() const { return lines_.load(std::memory_order_acquire); }
  std::uint64_t bytes() const { return bytes_.load(std::memory_order_acquire); }
  // Waits until at least `count` lines have arrived; false if `timeout` passed first.
  bool wait_for_lines(std::uint64_t count, std::chrono::milliseconds timeout);

 private:
  void run();
  void count_received(const char* data, std::size_t size);

  int listen_fd_ = -1;
  int wake_fds_[2] = {-1, -1};  // a pipe: the destructor writes to it to stop the reader
  std::uint16_t port_ = 0;
  std::atomic<std::uint64_t> lines_{0};
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<int> waiters_{0};  // the reader only takes the mutex to notify when someone waits
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::thread reader_;
};

// A port on 127.0.0.1 where nothing listens: bound to port 0, read back and closed again.
std::uint16_t reserve_unused_port();

}  // namespace wavefront_bench
