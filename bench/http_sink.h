// A minimal HTTP/1.1 receiver for the HTTP benchmarks (bench/http_throughput.cc): it listens on
// 127.0.0.1 (an ephemeral port), serves each keep-alive connection on its own thread, answers
// `POST /report?...` with 202, inflates gzip bodies with zlib and counts the '\n' bytes inside, so a
// benchmark can wait until every line it sent has arrived.
//
//   wavefront_bench::HttpSink sink;
//   config.server = sink.url();
//   ... send N lines ...
//   if (!sink.wait_for_lines(sink.lines() + N, std::chrono::seconds(60))) { /* lines went missing */ }
//
// Raw POSIX sockets rather than cpp-httplib: the sink shares the machine's cores with the sender it
// measures, so it does no more than a receiver must (read the headers, read Content-Length bytes,
// inflate, count, answer). It judges nothing (the tests' fake HTTP server does that). Only
// Content-Length bodies are understood; chunked requests are answered 411 and the connection closed.
//
// Its own CPU time is measured: each of its threads reads CLOCK_THREAD_CPUTIME_ID after every request
// (before the lines are counted) and `cpu_seconds()` adds them up, so a benchmark can subtract the
// sink's share from the process's CPU time.
//
// Thread-safety: every public method may be called from any thread while the sink runs. Counters are
// cumulative over the sink's life; benchmarks take differences. The destructor closes every socket
// and joins every thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wavefront_bench {

class HttpSink {
 public:
  // Binds, listens and starts the accepting thread. Aborts the program if the socket cannot be set up.
  HttpSink();
  ~HttpSink();
  HttpSink(const HttpSink&) = delete;
  HttpSink& operator=(const HttpSink&) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string url() const;

  // Totals over all connections: lines ('\n' in the inflated bodies), request bodies as received
  // (compressed), the same bodies inflated, and requests answered with 202.
  std::uint64_t lines() const { return lines_.load(std::memory_order_acquire); }
  std::uint64_t body_bytes() const { return body_bytes_.load(std::memory_order_acquire); }
  std::uint64_t inflated_bytes() const { return inflated_bytes_.load(std::memory_order_acquire); }
  std::uint64_t accepted_requests() const { return accepted_requests_.load(std::memory_order_acquire); }
  // Requests answered with anything but 202 (bad gzip, unknown path, malformed request).
  std::uint64_t refused_requests() const { return refused_requests_.load(std::memory_order_acquire); }

  // Waits until the line total reaches `total`; false if `timeout` passed first.
  bool wait_for_lines(std::uint64_t total, std::chrono::milliseconds timeout);

  // CPU time used so far by the sink's threads (accepting and serving), in seconds. A serving thread's
  // figure is brought up to date after each request, before its lines are counted: once
  // wait_for_lines() has seen a request's lines, this includes the work on that request (all but
  // writing its 202).
  double cpu_seconds() const;

 private:
  struct Connection;

  void accept_loop();
  void serve(Connection& connection);
  void count_request(Connection& connection, std::uint64_t lines, std::uint64_t body_bytes,
                     std::uint64_t inflated_bytes);

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> lines_{0};
  std::atomic<std::uint64_t> body_bytes_{0};
  std::atomic<std::uint64_t> inflated_bytes_{0};
  std::atomic<std::uint64_t> accepted_requests_{0};
  std::atomic<std::uint64_t> refused_requests_{0};
  std::atomic<std::int64_t> accept_cpu_ns_{0};

  mutable std::mutex mutex_;  // guards connections_; lines_arrived_ waits on it
  std::condition_variable lines_arrived_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::thread acceptor_;
};

}  // namespace wavefront_bench
