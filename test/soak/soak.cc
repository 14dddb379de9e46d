// wavefront_soak: the fault soak of the Wavefront senders. For each transport (raw TCP through ProxyClient,
// proxy HTTP through HttpClient; side by side with --transport both) it runs two phases, each with its own
// sender, receivers and producers, on loopback only:
//   <transport>-drop   overflow_policy drop, faults, then a fault-free tail; close() with the receiver up;
//   <transport>-block  overflow_policy block, faults, then the receiver goes down (killed or hung) one
//                      second before close(), which must give up at its deadline (unsent_at_close).
// Producers send numbered points of every data type while the receivers are killed and restarted, stop
// reading, reset or close connections, answer 429/500/503/413, answer late or never. At the end each phase
// compares what the sender reports with what was sent and what arrived (see phase_checks.cc), and the
// process's resident memory is checked against a bound derived from the configuration.
//
// Exit status: 0 when every invariant held, 1 when one did not, 2 on a bad command line.
// Replay a run with the seed and settings it prints first (the schedule's decisions repeat; thread timing
// does not, so a replay is a strong hint, not a bit-exact rerun).
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "soak/rss_monitor.h"
#include "soak/soak_options.h"
#include "soak/soak_phase.h"
#include "soak/soak_report.h"

namespace wavefront::soak {
namespace {

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WAVEFRONT_SOAK_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define WAVEFRONT_SOAK_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define WAVEFRONT_SOAK_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define WAVEFRONT_SOAK_TSAN 1
#endif

// Thread stacks (producers, flushers, fakes' I/O threads, httplib's pool), libcurl and OpenSSL state, and
// malloc's per-thread arenas holding freed blocks: measured at 20-40 MiB on loopback runs.
constexpr std::uint64_t kFixedAllowance = 64u << 20;
#if defined(WAVEFRONT_SOAK_ASAN)
constexpr std::uint64_t kSanitizerFactor = 3;          // redzones and shadow memory
constexpr std::uint64_t kSanitizerExtra = 256u << 20;  // ASan's default quarantine of freed blocks
constexpr const char* kSanitizerScaling = "x3 + 256 MiB under AddressSanitizer";
#elif defined(WAVEFRONT_SOAK_TSAN)
constexpr std::uint64_t kSanitizerFactor = 6;  // shadow memory and synchronisation metadata (measured: ~4)
constexpr std::uint64_t kSanitizerExtra = 0;
constexpr const char* kSanitizerScaling = "x6 under ThreadSanitizer";
#else
constexpr std::uint64_t kSanitizerFactor = 1;
constexpr std::uint64_t kSanitizerExtra = 0;
constexpr const char* kSanitizerScaling = "";
#endif

// Phase seeds: the run's seed mixed with the transport and the phase (splitmix64), so that each phase's
// schedule depends only on the seed, never on how the other transport's threads were scheduled.
std::uint64_t phase_seed(std::uint64_t seed, std::uint64_t transport, std::uint64_t phase) {
  std::uint64_t value = seed + 0x9e3779b97f4a7c15ull * (transport * 16 + phase);
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ull;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebull;
  return value ^ (value >> 31);
}

std::vector<PhaseSpec> phases_for(const std::string& transport, const SoakOptions& options,
                                  std::uint64_t salt) {
  const auto total = std::chrono::duration<double>(options.duration_seconds);
  const auto block = std::chrono::duration_cast<std::chrono::milliseconds>(total * options.block_fraction);
  const auto drop = std::chrono::duration_cast<std::chrono::milliseconds>(total) - block;
  return {
      {transport + "-drop", transport, OverflowPolicy::drop, true, drop, phase_seed(options.seed, salt, 1)},
      {transport + "-block", transport, OverflowPolicy::block, false, block,
       phase_seed(options.seed, salt, 2)},
  };
}

MemoryCheck check_memory(const SoakOptions& options, const std::vector<PhaseResult>& phases,
                         std::uint64_t baseline, const RssMonitor& monitor) {
  MemoryCheck memory;
  memory.baseline_bytes = baseline;
  memory.peak_bytes = monitor.peak_bytes();
  memory.peak_seconds = monitor.peak_seconds();
  memory.samples = monitor.samples();
  memory.timeline = monitor.timeline();
  memory.fixed_bytes = kFixedAllowance;
  // Phases of one transport run one after the other: the larger of them counts; transports add up.
  std::map<std::string, std::uint64_t> per_transport;
  for (const PhaseResult& phase : phases) {
    const std::uint64_t held = phase.sender_bound_bytes + phase.receiver.peak_held_bytes + phase.ledger_bytes;
    per_transport[phase.spec.transport] = std::max(per_transport[phase.spec.transport], held);
  }
  std::uint64_t allowance = kFixedAllowance;
  for (const auto& [transport, bytes] : per_transport) {
    memory.components.emplace_back(transport + " (sender + fakes + ledger)", bytes);
    allowance += bytes;
  }
  memory.scaling = kSanitizerScaling;
  memory.bound_bytes = baseline + kSanitizerFactor * allowance + kSanitizerExtra;
  if (options.rss_limit_mib > 0) {
    memory.bound_bytes = static_cast<std::uint64_t>(options.rss_limit_mib * 1024 * 1024);
    memory.scaling = "set by --rss-limit-mib";
  }
  memory.passed = memory.peak_bytes > 0 && memory.peak_bytes <= memory.bound_bytes;
  return memory;
}

int run(int argc, char** argv) {
  SoakOptions options;
  bool help = false;
  std::string error;
  if (!parse_options(argc, argv, options, help, error)) {
    std::cerr << "wavefront_soak: " << error << "\n";
    return 2;
  }
  if (help) {
    std::cout << usage();
    return 0;
  }
  std::cout << "wavefront_soak: seed " << options.seed << "\n  replay: " << replay_command(options)
            << std::endl;

  std::vector<std::string> transports;
  if (options.transport != "http") transports.push_back("tcp");
  if (options.transport != "tcp") transports.push_back("http");
  use_fixed_mmap_threshold();
  RssMonitor monitor;
  const std::uint64_t baseline = resident_bytes();
  const std::uint64_t heap_at_start = heap_in_use_bytes();
  monitor.start();
  std::vector<std::vector<PhaseResult>> results(transports.size());
  std::vector<std::thread> runners;
  for (std::size_t index = 0; index < transports.size(); ++index) {
    runners.emplace_back([&, index] {
      for (const PhaseSpec& spec : phases_for(transports[index], options, index + 1)) {
        log_line("[" + spec.label + "] starting: " + std::to_string(spec.duration.count()) + " ms, seed " +
                 std::to_string(spec.seed));
        results[index].push_back(run_phase(spec, options));
        log_line("[" + spec.label + "] done");
      }
    });
  }
  for (std::thread& runner : runners) runner.join();
  monitor.stop();

  std::vector<PhaseResult> phases;
  for (auto& transport_results : results) {
    for (PhaseResult& result : transport_results) phases.push_back(std::move(result));
  }
  bool passed = true;
  std::cout << "\n";
  for (PhaseResult& phase : phases) {
    check_phase(phase, options);
    passed = passed && phase.failures.empty();
    std::cout << phase_report(phase) << "\n";
  }
  MemoryCheck memory = check_memory(options, phases, baseline, monitor);
  memory.heap_at_start_bytes = heap_at_start;
  memory.heap_at_end_bytes = heap_in_use_bytes();
  passed = passed && memory.passed;
  std::cout << memory_report(memory) << "\n";
  std::cout << (passed ? "SOAK PASSED" : "SOAK FAILED") << " (seed " << options.seed << ")\n";
  if (!passed) std::cout << "  replay: " << replay_command(options) << "\n";
  if (!options.json_path.empty()) {
    const std::string json = json_report(options, phases, memory, passed);
    if (options.json_path == "-") {
      std::cout << json << "\n";
    } else {
      std::ofstream(options.json_path) << json << "\n";
    }
  }
  return passed ? 0 : 1;
}

}  // namespace
}  // namespace wavefront::soak

int main(int argc, char** argv) { return wavefront::soak::run(argc, argv); }
