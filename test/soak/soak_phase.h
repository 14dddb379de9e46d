// One phase of the fault soak: one sender (ProxyClient over TCP or HttpClient over HTTP), its producers,
// its receiver and the receiver's fault schedule, from start to close; then the comparison of what the
// sender says (stats()) with what the producers sent and the receiver got.
//
// A phase runs for its duration: normal stretches and faults alternate on a schedule drawn from the
// phase's seed. A clean phase ends with a fault-free tail and closes with the receiver healthy; the other
// kind takes the receiver down (killed or hung) shortly before close(), so that close() must give up at its
// deadline and count what is left as unsent_at_close. check_phase() turns the numbers into failures.
//
// Thread-safety: run_phase() is self-contained; two phases may run at once on different threads.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "soak/point_ledger.h"
#include "soak/soak_options.h"
#include "soak/soak_receiver.h"
#include "wavefront/sender.h"
#include "wavefront/sender_config.h"

namespace wavefront::soak {

struct PhaseSpec {
  std::string label;      // "tcp-drop", ...: also the phase part of every point id
  std::string transport;  // "tcp" or "http"
  OverflowPolicy policy = OverflowPolicy::drop;
  bool clean_close = true;
  std::chrono::milliseconds duration{0};
  std::uint64_t seed = 0;
};

struct PhaseResult {
  PhaseSpec spec;
  std::string setup_error;  // the phase could not run at all
  double seconds = 0;
  std::uint64_t calls = 0;
  std::string receiver_at_close;  // "healthy", or how it was taken down
  bool quiet_at_close = false;    // clean phases: no fault pending when close() began
  std::chrono::milliseconds close_timeout{0};
  double close_seconds = 0;
  std::string close_status;
  std::uint64_t close_items_left = 0;
  std::uint64_t snapshots = 0;  // stats() snapshots taken during the run
  std::uint64_t broken_snapshots = 0;
  std::string first_broken_snapshot;
  SenderStats stats;  // after close()
  LedgerSummary ledger;
  ReceiverTotals receiver;
  std::string receiver_problem;  // from the receiver's finish(): it could not settle, or rebind
  // Per data type: how many received lines beyond `delivered` the protocol allows (see check_phase), and
  // for HTTP the 2xx answers the fake gave that the client never saw.
  std::array<std::uint64_t, kDataTypeCount> copies_bound{};
  std::array<std::int64_t, kDataTypeCount> lost_answers{};
  std::uint64_t ledger_bytes = 0;
  std::uint64_t sender_bound_bytes = 0;
  std::vector<std::string> failures;
};

// The settings every soak sender gets (bounds from the options, faster retries than the defaults).
SenderConfig soak_sender_config(const SoakOptions& options, OverflowPolicy policy);
// What one sender may hold in memory under `config`: its queues, their spare buffers, transport buffers.
std::uint64_t sender_memory_bound(const SenderConfig& config);

PhaseResult run_phase(const PhaseSpec& spec, const SoakOptions& options);
// Fills result.copies_bound, result.lost_answers and result.failures.
void check_phase(PhaseResult& result, const SoakOptions& options);

// Prints one line (under a lock shared by all phases).
void log_line(const std::string& text);

}  // namespace wavefront::soak
