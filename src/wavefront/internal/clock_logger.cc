// The system clock and the standard-error logger; see clock.h and logger.h.
#include <time.h>

#include <cstdio>
#include <mutex>
#include <string>

#include "wavefront/clock.h"
#include "wavefront/logger.h"

namespace wavefront {
namespace {

class SystemClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point now() const override { return std::chrono::steady_clock::now(); }
  std::chrono::system_clock::time_point wall_time() const override {
    return std::chrono::system_clock::now();
  }
  // CLOCK_REALTIME_COARSE: the time of the last tick (a few ms), read from the vDSO without the
  // hardware clock read that makes the precise clock cost ~25 ns on virtual machines.
  std::chrono::system_clock::time_point coarse_wall_time() const override {
    timespec now{};
    if (clock_gettime(CLOCK_REALTIME_COARSE, &now) != 0) return wall_time();
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec)));
  }
};

class StderrLogger final : public Logger {
 public:
  explicit StderrLogger(LogLevel minimum) : minimum_(minimum) {}
  void log(LogLevel level, std::string_view message) noexcept override {
    if (level < minimum_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    std::fprintf(stderr, "wavefront %.*s: %.*s\n", static_cast<int>(log_level_name(level).size()),
                 log_level_name(level).data(), static_cast<int>(message.size()), message.data());
  }

 private:
  LogLevel minimum_;
  std::mutex mutex_;
};

}  // namespace

std::shared_ptr<Clock> Clock::system() {
  // Never destroyed: flushers of senders still open at exit keep reading it.
  static const auto* const clock = new std::shared_ptr<Clock>(std::make_shared<SystemClock>());
  return *clock;
}

std::string_view log_level_name(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warning:
      return "warning";
    case LogLevel::error:
      return "error";
  }
  return "unknown";
}

std::shared_ptr<Logger> make_stderr_logger(LogLevel minimum) {
  return std::make_shared<StderrLogger>(minimum);
}

}  // namespace wavefront
