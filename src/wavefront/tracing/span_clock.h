// The clock spans are timed with (private to the library): steady-clock nanoseconds, read from the CPU's
// time-stamp counter where that is correct, because a precise clock_gettime costs ~25-30 ns on virtual
// machines (kvm-clock) and a span reads the clock twice.
//
// The counter is used only on x86-64 with an invariant TSC (CPUID 0x80000007, EDX bit 8: constant rate,
// running in every power state) and unless WAVEFRONT_SPAN_CLOCK=steady is set in the environment. Its
// readings are converted to the std::chrono::steady_clock timeline through an anchor (a counter value, the
// steady time read next to it, and nanoseconds per tick) that the first reader after each second
// re-reads from steady_clock; the rate comes from the last interval, so conversions follow
// steady_clock's own rate (NTP slewing included) to well under a microsecond per second. Until the first
// 10 ms have calibrated the rate, and whenever a re-anchoring sees the counter run backwards or change
// rate by more than 1 % (a migrated virtual machine), readings come from steady_clock itself.
//
// Thread-safety: span_clock_ns() may be called from any thread (the anchor is a sequence lock of atomics).
#pragma once

#include <cstdint>

namespace wavefront::tracing {

// Nanoseconds on the std::chrono::steady_clock timeline.
std::int64_t span_clock_ns();

// Whether span_clock_ns() reads the time-stamp counter in this process (for tests and benchmarks).
bool span_clock_uses_tsc();

}  // namespace wavefront::tracing
