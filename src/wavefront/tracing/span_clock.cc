// The span clock: the time-stamp counter on the steady-clock timeline; see span_clock.h.
#include "wavefront/tracing/span_clock.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <x86intrin.h>
#define WAVEFRONT_SPAN_CLOCK_TSC 1
#endif

namespace wavefront::tracing {
namespace {

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

#ifdef WAVEFRONT_SPAN_CLOCK_TSC

constexpr std::int64_t kCalibrationNs = 10'000'000;  // the first rate is measured over 10 ms
constexpr std::int64_t kReanchorNs = 1'000'000'000;  // then the anchor is refreshed every second
constexpr double kMaxRateChange = 0.01;              // beyond this the counter is not trusted

bool invariant_tsc() {
  // Read once (a function-local static): the environment is not written concurrently by the library.
  const char* choice = std::getenv("WAVEFRONT_SPAN_CLOCK");  // NOLINT(concurrency-mt-unsafe)
  if (choice != nullptr && std::strcmp(choice, "steady") == 0) return false;
  unsigned eax = 0;
  unsigned ebx = 0;
  unsigned ecx = 0;
  unsigned edx = 0;
  if (__get_cpuid(0x80000007, &eax, &ebx, &ecx, &edx) == 0) return false;
  return (edx & (1U << 8)) != 0;
}

// The conversion: ns = anchor_ns + (tsc - anchor_tsc) * ns_per_tick, published under a sequence lock
// (odd while a writer changes it). ns_per_tick 0: not calibrated (or distrusted): use steady_clock.
struct Anchor {
  std::atomic<std::uint64_t> sequence{0};
  std::atomic<std::uint64_t> tsc{0};
  std::atomic<std::int64_t> ns{0};
  std::atomic<double> ns_per_tick{0};
  std::atomic<std::uint64_t> refresh_ticks{0};  // re-anchor once this many ticks have passed
  std::atomic<bool> writing{false};
};

Anchor& anchor() {
  static Anchor instance;
  return instance;
}

bool use_tsc() {
  static const bool usable = invariant_tsc();
  return usable;
}

// Re-reads steady_clock next to the counter and publishes a new anchor; one thread at a time.
void reanchor(Anchor& state, std::uint64_t old_tsc, std::int64_t old_ns, double old_rate) {
  if (state.writing.exchange(true, std::memory_order_acquire)) return;  // another thread does it
  const std::uint64_t tsc = __rdtsc();
  const std::int64_t ns = steady_ns();
  double rate = 0;
  std::uint64_t refresh = 0;
  if (old_tsc == 0) {
    rate = 0;  // first reading: calibrate over the next 10 ms
  } else if (tsc > old_tsc && ns > old_ns) {
    rate = static_cast<double>(ns - old_ns) / static_cast<double>(tsc - old_tsc);
    if (old_rate > 0 && (rate > old_rate * (1 + kMaxRateChange) || rate < old_rate * (1 - kMaxRateChange))) {
      rate = 0;  // the counter jumped or changed rate: calibrate again from here
    }
  }
  if (rate > 0) refresh = static_cast<std::uint64_t>(static_cast<double>(kReanchorNs) / rate);
  const std::uint64_t sequence = state.sequence.load(std::memory_order_relaxed);
  state.sequence.store(sequence + 1, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  state.tsc.store(tsc, std::memory_order_relaxed);
  state.ns.store(ns, std::memory_order_relaxed);
  state.ns_per_tick.store(rate, std::memory_order_relaxed);
  state.refresh_ticks.store(refresh, std::memory_order_relaxed);
  state.sequence.store(sequence + 2, std::memory_order_release);
  state.writing.store(false, std::memory_order_release);
}

#endif

}  // namespace

bool span_clock_uses_tsc() {
#ifdef WAVEFRONT_SPAN_CLOCK_TSC
  return use_tsc();
#else
  return false;
#endif
}

std::int64_t span_clock_ns() {
#ifdef WAVEFRONT_SPAN_CLOCK_TSC
  if (!use_tsc()) return steady_ns();
  Anchor& state = anchor();
  std::uint64_t anchor_tsc = 0;
  std::int64_t anchor_ns = 0;
  double rate = 0;
  std::uint64_t refresh = 0;
  for (;;) {
    const std::uint64_t before = state.sequence.load(std::memory_order_acquire);
    anchor_tsc = state.tsc.load(std::memory_order_relaxed);
    anchor_ns = state.ns.load(std::memory_order_relaxed);
    rate = state.ns_per_tick.load(std::memory_order_relaxed);
    refresh = state.refresh_ticks.load(std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_acquire);
    if ((before & 1) == 0 && state.sequence.load(std::memory_order_relaxed) == before) break;
  }
  if (rate <= 0) {  // not calibrated yet: steady_clock, and calibrate once 10 ms have passed
    const std::int64_t now = steady_ns();
    if (anchor_tsc == 0 || now - anchor_ns >= kCalibrationNs) reanchor(state, anchor_tsc, anchor_ns, 0);
    return now;
  }
  const std::uint64_t tsc = __rdtsc();
  if (tsc < anchor_tsc || tsc - anchor_tsc >= refresh) {
    reanchor(state, anchor_tsc, anchor_ns, rate);
    return steady_ns();
  }
  return anchor_ns + static_cast<std::int64_t>(static_cast<double>(tsc - anchor_tsc) * rate);
#else
  return steady_ns();
#endif
}

}  // namespace wavefront::tracing
