// Capped exponential backoff with jitter, for reconnects and retries (private).
#pragma once

#include <chrono>
#include <cstdint>

namespace wavefront::internal {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds maximum, std::uint64_t seed);
  // The next delay: doubles from `initial` up to `maximum`, each drawn uniformly from [d/2, d].
  std::chrono::milliseconds next();
  void reset() { attempt_ = 0; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds maximum_;
  unsigned attempt_ = 0;
  std::uint64_t state_;
};

}  // namespace wavefront::internal
