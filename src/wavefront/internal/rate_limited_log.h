// A logger front that lets each kind of message through at most once per interval (private).
//
// Senders log through this so that a proxy that stays down cannot flood the application's log:
// the first message of a kind goes out, repeats within the interval are counted, and the next one
// that goes out says how many were suppressed.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "wavefront/clock.h"
#include "wavefront/logger.h"

namespace wavefront::internal {

enum class LogKind : std::uint8_t {
  connect_failed,
  connection_lost,
  delivery_failed,
  batch_rejected,
  data_dropped,
  data_expired,
  token_refresh,
  configuration,
};
inline constexpr std::size_t kLogKindCount = 8;

class RateLimitedLog {
 public:
  RateLimitedLog(std::shared_ptr<Logger> logger, std::shared_ptr<Clock> clock,
                 std::chrono::milliseconds interval);
  bool enabled() const { return logger_ != nullptr; }
  // Builds the message only when it will be logged.
  template <class MakeMessage>
  void log(LogLevel level, LogKind kind, MakeMessage&& make_message) {
    if (!logger_) return;
    std::uint64_t suppressed = 0;
    if (!admit(kind, suppressed)) return;
    std::string message = make_message();
    if (suppressed > 0) message += " (" + std::to_string(suppressed) + " similar messages suppressed)";
    logger_->log(level, message);
  }

 private:
  bool admit(LogKind kind, std::uint64_t& suppressed);

  std::shared_ptr<Logger> logger_;
  std::shared_ptr<Clock> clock_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  struct KindState {
    bool logged = false;
    std::chrono::steady_clock::time_point last{};
    std::uint64_t suppressed = 0;
  };
  std::array<KindState, kLogKindCount> kinds_{};
};

}  // namespace wavefront::internal
