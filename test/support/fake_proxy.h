// A fake Wavefront proxy for tests of the raw TCP sender: a loopback TCP listener that records every byte
// it receives, splits it into lines the way the real proxy does, and misbehaves on command.
//
// One I/O thread per FakeProxy polls the listener and all connections; every accessor is thread-safe and
// returns a copy. Waiting is done with wait_for_*() (condition variable fed by the I/O thread), never sleeps.
//
//   auto proxy = wavefront::testing::FakeProxy::start();
//   ASSERT_TRUE(proxy);
//   ... point a client at 127.0.0.1:proxy->port() and send ...
//   ASSERT_TRUE(proxy->wait_for_lines(2, std::chrono::seconds(5)));
//   EXPECT_EQ(proxy->lines()[0], "\"cpu\" 1 source=\"h\"");
//   proxy->set_behavior(wavefront::testing::FakeProxyBehavior::close_after_bytes(10));
//
// A connection whose first two bytes are 1F 8B is a gzip stream: lines() inflates it (streaming, so data
// flushed with Z_SYNC_FLUSH shows up before the stream ends). received() and connections() stay raw.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wavefront::testing {

// What the fake does with connections. Switchable at runtime with FakeProxy::set_behavior().
struct FakeProxyBehavior {
  enum class Kind {
    kNormal,           // read everything as fast as possible
    kAcceptThenClose,  // accept, then close at once (open connections are closed when switched to)
    kCloseAfterBytes,  // close a connection once it delivered `bytes` more; the rest is never read
    kStopReading,      // accept but never read, so kernel buffers fill up
    kOneByteAtATime,   // one byte per recv() per connection, with a 1 ms pause between rounds
    kResetAfterBytes,  // like kCloseAfterBytes, but close with SO_LINGER {1, 0} so the peer gets RST
  };
  // Closing a connection that still has unread bytes makes the kernel send RST even without SO_LINGER,
  // exactly as when a proxy process dies. kStopReading does not notice peers closing; switched to at
  // runtime it also shrinks SO_RCVBUF of open connections and of the listener (for later connections).
  Kind kind = Kind::kNormal;
  std::size_t bytes = 0;  // for kCloseAfterBytes and kResetAfterBytes, counted per connection

  static FakeProxyBehavior normal() { return {Kind::kNormal, 0}; }
  static FakeProxyBehavior accept_then_close() { return {Kind::kAcceptThenClose, 0}; }
  static FakeProxyBehavior close_after_bytes(std::size_t n) { return {Kind::kCloseAfterBytes, n}; }
  static FakeProxyBehavior stop_reading() { return {Kind::kStopReading, 0}; }
  static FakeProxyBehavior one_byte_at_a_time() { return {Kind::kOneByteAtATime, 0}; }
  static FakeProxyBehavior reset_after_bytes(std::size_t n) { return {Kind::kResetAfterBytes, n}; }
};

struct FakeProxyOptions {
  std::string bind_address = "127.0.0.1";  // or "::1"
  uint16_t port = 0;                       // 0 = ephemeral; see FakeProxy::port()
  FakeProxyBehavior behavior;
  // SO_RCVBUF of the listener (inherited by accepted connections); 0 = system default, except that a
  // listener opened while the behaviour is kStopReading gets kStopReadingReceiveBuffer.
  int receive_buffer = 0;
};

class FakeProxy {
 public:
  using Behavior = FakeProxyBehavior;
  using Options = FakeProxyOptions;
  static constexpr int kStopReadingReceiveBuffer = 4096;

  // Listens and starts the I/O thread. Returns nullptr (and sets *error if given) when it cannot listen.
  static std::unique_ptr<FakeProxy> start(Options options = {}, std::string* error = nullptr);

  // A port that is free right now on `address` (bound to port 0, read, closed; nothing listens on it).
  // Start a client against it, then start() a FakeProxy with Options::port set to it. Returns 0 on failure.
  static uint16_t reserve_port(const std::string& address = "127.0.0.1");

  // Whether "::1" can be bound on this machine (tests needing IPv6 skip otherwise).
  static bool ipv6_available();

  ~FakeProxy();
  FakeProxy(const FakeProxy&) = delete;
  FakeProxy& operator=(const FakeProxy&) = delete;

  const std::string& bind_address() const { return address_; }
  uint16_t port() const { return port_; }

  // Takes effect before this returns: bytes the I/O thread reads afterwards are handled the new way.
  // kCloseAfterBytes / kResetAfterBytes give every open connection (and each later one) a fresh budget.
  void set_behavior(Behavior behavior);
  Behavior behavior() const { return get(&FakeProxy::behavior_); }

  // Like a killed proxy: closes the listener and every connection; unread data is lost, unterminated
  // line fragments are discarded. Recorded data stays. Idempotent.
  void stop();
  // Listens again on the same port (SO_REUSEADDR) with the current behaviour. False if it cannot bind.
  bool restart(std::string* error = nullptr);
  bool running() const { return get(&FakeProxy::running_); }

  // Every byte received, in arrival order across connections (raw, gzip not inflated).
  std::string received() const { return get(&FakeProxy::received_); }
  // The raw bytes of each connection ever accepted, in accept order.
  std::vector<std::string> connections() const { return get(&FakeProxy::connection_bytes_); }
  std::size_t connection_count() const { return count(&FakeProxy::connection_bytes_); }
  std::size_t open_connection_count() const;
  std::size_t closed_connection_count() const { return count(&FakeProxy::closed_connections_); }

  // Complete lines (without their '\n'; a '\r' is kept) from all connections, in completion order.
  // gzip connections are inflated. An unterminated fragment of a closed connection is not a line.
  std::vector<std::string> lines() const { return get(&FakeProxy::lines_); }
  std::size_t line_count() const { return count(&FakeProxy::lines_); }
  std::size_t discarded_fragments() const { return count(&FakeProxy::discarded_fragments_); }
  // gzip connections that turned out to be corrupt (their later bytes are recorded but not decoded).
  std::size_t decode_errors() const { return count(&FakeProxy::decode_errors_); }
  // The largest number of bytes a single recv() returned (1 under kOneByteAtATime).
  std::size_t largest_read() const { return count(&FakeProxy::largest_read_); }

  // True as soon as the condition holds; false if `timeout` passes first.
  bool wait_for_lines(std::size_t n, std::chrono::milliseconds timeout) const {
    return wait_for_count(&FakeProxy::lines_, n, timeout);
  }
  bool wait_for_connections(std::size_t n, std::chrono::milliseconds timeout) const {
    return wait_for_count(&FakeProxy::connection_bytes_, n, timeout);
  }
  bool wait_for_closed_connections(std::size_t n, std::chrono::milliseconds timeout) const {
    return wait_for_count(&FakeProxy::closed_connections_, n, timeout);
  }
  bool wait_for_bytes(std::size_t n, std::chrono::milliseconds timeout) const {
    return wait_for_count(&FakeProxy::received_, n, timeout);
  }

 private:
  struct Connection;  // I/O-thread state of one open connection (fd, budget, inflater, partial line)

  FakeProxy() = default;
  void close_all_after_join();
  void run();  // the I/O thread
  void wake() const;
  void apply_behavior(const Behavior& behavior);
  void accept_all(const Behavior& behavior);
  void read_from(Connection& connection, const Behavior& behavior);
  void close_connection(Connection& connection, bool reset);
  void record(Connection& connection, const char* data, std::size_t size);    // needs mutex_ held
  void decode(Connection& connection, const char* data, std::size_t size);    // needs mutex_ held
  void add_text(Connection& connection, const char* data, std::size_t size);  // needs mutex_ held

  // Thread-safe reads of the members below mutex_.
  template <typename T>
  T get(T FakeProxy::*member) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return this->*member;
  }
  static std::size_t size_of(std::size_t value) { return value; }
  template <typename Container>
  static std::size_t size_of(const Container& container) {
    return container.size();
  }
  template <typename T>
  std::size_t count(T FakeProxy::*member) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return size_of(this->*member);
  }
  template <typename T>
  bool wait_for_count(T FakeProxy::*member, std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return size_of(this->*member) >= n; });
  }

  std::string address_;
  uint16_t port_ = 0;
  int receive_buffer_ = 0;
  int listener_fd_ = -1;  // owned by whoever holds control_mutex_ while the I/O thread is stopped
  int wake_fds_[2] = {-1, -1};
  std::thread thread_;
  std::vector<std::unique_ptr<Connection>> open_;  // I/O thread only (or control, after join)

  std::mutex control_mutex_;  // serializes stop / restart / set_behavior
  mutable std::mutex mutex_;  // guards everything below
  mutable std::condition_variable changed_;
  bool running_ = false;
  bool stop_requested_ = false;
  Behavior behavior_;
  std::uint64_t generation_ = 0;          // bumped by set_behavior
  std::uint64_t applied_generation_ = 0;  // last generation the I/O thread picked up
  std::string received_;
  std::vector<std::string> connection_bytes_;
  std::size_t closed_connections_ = 0;
  std::vector<std::string> lines_;
  std::size_t discarded_fragments_ = 0;
  std::size_t decode_errors_ = 0;
  std::size_t largest_read_ = 0;
};

}  // namespace wavefront::testing
