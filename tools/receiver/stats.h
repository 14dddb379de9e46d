// The counters of a `wfsend listen` receiver: lines accepted and rejected per kind, connections, HTTP
// answers by status, bytes received; and their rendering as the final summary (text or JSON).
//
// The event-loop thread is the only writer of a LiveStats; Receiver::stats() and `GET /stats` read
// snapshots. listen_command.cc prints the summary on exit.
//
// Thread-safety: LiveStats may be read from any thread while its single writer (the event-loop
// thread) updates it; a snapshot's counters are each exact but not taken at one instant. Lines are
// tallied per read (or per HTTP request) and published when it ends, so the report about a refused line
// can be printed a moment before the line shows in the counters.
// ReceiverStats and Tally are plain values.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>

#include "wavefront/line_reader.h"

namespace wfreceiver {

// Lines counted per kind, indexed by wavefront::LineKind.
struct Tally {
  std::array<std::uint64_t, wavefront::kLineKindCount> accepted{};
  std::array<std::uint64_t, wavefront::kLineKindCount> rejected{};

  void accept(wavefront::LineKind kind) noexcept { ++accepted[static_cast<std::size_t>(kind)]; }
  void reject(wavefront::LineKind kind) noexcept { ++rejected[static_cast<std::size_t>(kind)]; }
  std::uint64_t total_accepted() const noexcept;
  std::uint64_t total_rejected() const noexcept;
  void clear() noexcept { *this = Tally(); }
};

struct ReceiverStats {
  Tally lines;
  std::uint64_t connections = 0;            // accepted and served
  std::uint64_t connections_refused = 0;    // closed at once: max_connections were open
  std::uint64_t connections_timed_out = 0;  // closed for the idle or the request timeout
  std::uint64_t connections_open = 0;
  std::uint64_t http_requests = 0;
  std::map<int, std::uint64_t> http_responses;  // final answers by status
  std::uint64_t bytes_received = 0;             // from sockets, before decompression
  std::uint64_t reports_suppressed = 0;         // reports over the rate limit, counted only
  bool output_failed = false;                   // accepted lines could not be written (EPIPE, disk full)
};

// One JSON object: {"accepted":{"metric":N,...},"rejected":{...},"connections":{...},"http":{...},...}.
std::string stats_json(const ReceiverStats& stats);
// A few human lines (each ending in '\n') for stderr.
std::string stats_text(const ReceiverStats& stats);

class LiveStats {
 public:
  static constexpr int kMaxStatus = 600;

  void add_lines(const Tally& tally) noexcept;
  void add(std::atomic<std::uint64_t>& counter, std::uint64_t amount = 1) noexcept {
    counter.store(counter.load(std::memory_order_relaxed) + amount, std::memory_order_relaxed);
  }
  void sub(std::atomic<std::uint64_t>& counter, std::uint64_t amount = 1) noexcept {
    counter.store(counter.load(std::memory_order_relaxed) - amount, std::memory_order_relaxed);
  }
  void count_response(int status) noexcept;
  ReceiverStats snapshot() const;

  std::array<std::atomic<std::uint64_t>, wavefront::kLineKindCount> accepted{};
  std::array<std::atomic<std::uint64_t>, wavefront::kLineKindCount> rejected{};
  std::atomic<std::uint64_t> connections{0};
  std::atomic<std::uint64_t> connections_refused{0};
  std::atomic<std::uint64_t> connections_timed_out{0};
  std::atomic<std::uint64_t> connections_open{0};
  std::atomic<std::uint64_t> http_requests{0};
  std::atomic<std::uint64_t> bytes_received{0};
  std::atomic<std::uint64_t> reports_suppressed{0};
  std::atomic<bool> output_failed{false};

 private:
  std::array<std::atomic<std::uint64_t>, kMaxStatus> responses_{};
};

}  // namespace wfreceiver
