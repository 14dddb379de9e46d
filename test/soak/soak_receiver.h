// What a soak phase needs from the receiving side, whichever transport it tests: build the sender that
// points at it, misbehave on the phase's fault schedule, go down for the close, and after the close settle
// and hand every received line to the PointLedger. TcpReceiver (fake proxies) and HttpReceiver (a fake HTTP
// server behind a relay) implement it.
//
// Receivers keep what they received in memory (the fakes record everything). To keep that bounded over a
// long soak, a receiver whose fakes hold more than a few tens of thousands of lines is killed, its lines
// are harvested into the ledger, and a fresh fake takes its place on the same port; `peak_held_bytes`
// says how much the fakes held at most, for the memory bound.
//
// Thread-safety: a receiver is driven by its phase's control thread only.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "wavefront/sender.h"
#include "wavefront/sender_config.h"

namespace wavefront::soak {

using FaultRng = std::mt19937_64;

// Counters a receiver reports at the end.
struct ReceiverTotals {
  std::map<std::string, std::uint64_t> faults;  // fault kind -> times applied
  std::uint64_t kills = 0;                      // receiver killed (and later restarted)
  std::uint64_t replacements = 0;               // a fresh fake took over the port
  std::uint64_t connections = 0;                // accepted by the fakes
  std::uint64_t discarded_fragments = 0;        // TCP: unterminated line ends of closed connections
  std::uint64_t decode_errors = 0;              // TCP: broken gzip streams
  // HTTP: per data type, the line count of every request the fake answered 2xx (recorded), and how many
  // requests it answered with each status (0: reset).
  std::array<std::vector<std::uint32_t>, kDataTypeCount> accepted_request_lines;
  std::map<int, std::uint64_t> statuses;
  std::uint64_t unsettled_requests = 0;  // HTTP: forwarded but not seen answered when harvested
  std::uint64_t unparsed_connections = 0;
  std::uint64_t peak_held_bytes = 0;  // the most the fakes held at once, with their overheads
};

// How a receiver can be down at close: killed; hung (not reading); hung, then killed as close() begins
// (what it had not read is lost); refusing (HTTP: 503 to everything; TCP: every connection closed at once).
inline const char* const kDownAtCloseWays[] = {"kill", "hang", "hang_then_kill", "refuse"};

class SoakReceiver {
 public:
  virtual ~SoakReceiver() = default;

  virtual std::string transport_name() const = 0;
  // A sender pointed at this receiver, with `base` for the shared settings; null and *error on failure.
  virtual std::unique_ptr<Sender> make_sender(const SenderConfig& base, std::string* error) = 0;
  // Applies one fault drawn from `rng` among the enabled kinds; returns what it did.
  virtual std::string begin_fault(FaultRng& rng) = 0;
  // Back to normal: behaviours reset, killed receivers restarted (replaced when they hold too much).
  virtual void end_fault() = 0;
  // Before a clean close: waits (bounded) until no fault is left pending (HTTP: scripted answers);
  // false if some still is.
  virtual bool quiesce(std::chrono::milliseconds at_most) = 0;
  // Takes the receiver down for a close that cannot deliver, the way `way` names (one of
  // down_at_close_ways(); "random" draws one from `rng`); returns what it did.
  virtual std::string go_down(const std::string& way, FaultRng& rng) = 0;
  // Called after the producers stopped, right before close(): finishes a go_down that kills at close.
  virtual void at_close() = 0;
  // After the sender's close: waits until everything sent has been read, harvests, and returns "" or
  // what went wrong.
  virtual std::string finish() = 0;
  virtual ReceiverTotals totals() const = 0;
};

}  // namespace wavefront::soak
