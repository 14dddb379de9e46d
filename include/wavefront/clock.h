// The time source of the senders, injectable so tests drive time by hand instead of sleeping.
//
// Senders read `now()` to schedule flushes, retries, backoff and self-metric reports, and
// `wall_time()` for timestamps they create themselves. Applications never need to touch this; tests
// pass a manual clock in the sender configuration.
//
// Thread-safety: implementations must be safe to call from any thread.
#pragma once

#include <chrono>
#include <memory>

#include "wavefront/export.h"

namespace wavefront {

class WAVEFRONT_API Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::steady_clock::time_point now() const = 0;
  virtual std::chrono::system_clock::time_point wall_time() const = 0;
  // Wall-clock time good to a few milliseconds, for callers that read it very often (histogram
  // bins). Defaults to wall_time(); the system clock answers from the kernel's coarse clock.
  virtual std::chrono::system_clock::time_point coarse_wall_time() const { return wall_time(); }

  // The real clocks (std::chrono::steady_clock and system_clock). Shared, never null.
  static std::shared_ptr<Clock> system();
};

}  // namespace wavefront
