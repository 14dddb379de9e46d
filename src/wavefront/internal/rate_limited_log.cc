// Rate-limited logging; see rate_limited_log.h.
#include "wavefront/internal/rate_limited_log.h"

#include <cstdio>
#include <utility>

namespace wavefront::internal {

RateLimitedLog::RateLimitedLog(std::shared_ptr<Logger> logger, std::shared_ptr<Clock> clock,
                               std::chrono::milliseconds interval)
    : logger_(std::move(logger)), clock_(std::move(clock)), interval_(interval) {}

bool RateLimitedLog::admit(LogKind kind, std::uint64_t& suppressed) {
  std::lock_guard<std::mutex> lock(mutex_);
  KindState& state = kinds_[static_cast<std::size_t>(kind)];
  const auto now = clock_->now();
  if (state.logged && now - state.last < interval_) {
    ++state.suppressed;
    return false;
  }
  state.logged = true;
  state.last = now;
  suppressed = std::exchange(state.suppressed, 0);
  return true;
}

}  // namespace wavefront::internal
