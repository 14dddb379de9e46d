// The fault soak's report: per phase a table per data type (calls, invalid, accepted, delivered, dropped by
// reason, possibly lost, received unique, duplicates, copies bound), the faults applied, the receiver's
// counters and close() timing; then the memory check; as text for people and optionally as JSON.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "soak/rss_monitor.h"
#include "soak/soak_options.h"
#include "soak/soak_phase.h"

namespace wavefront::soak {

// The resident-memory check: the peak must stay under baseline + allowance, where the allowance is what
// the senders, the fakes and the ledgers may hold, plus a fixed part for threads, libraries and allocator
// slack (scaled under sanitizers, whose runtimes keep shadow memory and quarantined blocks).
struct MemoryCheck {
  std::uint64_t baseline_bytes = 0;
  std::uint64_t heap_at_start_bytes = 0;  // malloc's bytes in use before the phases and after them all:
  std::uint64_t heap_at_end_bytes = 0;    // a leak in the senders shows as a difference (reported only)
  std::uint64_t peak_bytes = 0;
  double peak_seconds = 0;
  std::uint64_t samples = 0;
  std::uint64_t fixed_bytes = 0;
  std::vector<std::pair<std::string, std::uint64_t>> components;  // per transport: senders, fakes, ledgers
  std::string scaling;  // "" or how the allowance was scaled for a sanitizer
  std::uint64_t bound_bytes = 0;
  bool passed = false;
  std::vector<RssMonitor::Sample> timeline;
};

std::string phase_report(const PhaseResult& result);
std::string memory_report(const MemoryCheck& memory);
std::string json_report(const SoakOptions& options, const std::vector<PhaseResult>& phases,
                        const MemoryCheck& memory, bool passed);

}  // namespace wavefront::soak
