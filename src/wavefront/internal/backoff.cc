// Exponential backoff with jitter; see backoff.h.
#include "wavefront/internal/backoff.h"

#include <algorithm>

namespace wavefront::internal {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds maximum, std::uint64_t seed)
    : initial_(std::max(initial, std::chrono::milliseconds(1))),
      maximum_(std::max(maximum, initial_)),
      state_(seed | 1) {}

std::chrono::milliseconds Backoff::next() {
  std::int64_t delay = initial_.count();
  for (unsigned doubling = 0; doubling < attempt_ && delay < maximum_.count(); ++doubling) delay *= 2;
  delay = std::min<std::int64_t>(delay, maximum_.count());
  if (attempt_ < 64) ++attempt_;
  // xorshift64*: cheap, good enough to spread reconnects of many processes apart.
  state_ ^= state_ >> 12;
  state_ ^= state_ << 25;
  state_ ^= state_ >> 27;
  const std::uint64_t random = state_ * 0x2545F4914F6CDD1DULL;
  const std::int64_t half = delay / 2;
  const std::int64_t jitter =
      half > 0 ? static_cast<std::int64_t>(random % static_cast<std::uint64_t>(half + 1)) : 0;
  return std::chrono::milliseconds(delay - half + jitter);
}

}  // namespace wavefront::internal
