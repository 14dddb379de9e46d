// Helpers for sender tests: a recording logger, a manual clock, the accounting identity, and a
// strict check of everything a fake receiver got.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/wire_parser.h"
#include "wavefront/clock.h"
#include "wavefront/logger.h"
#include "wavefront/sender.h"

namespace wavefront::testing {

class RecordingLogger final : public Logger {
 public:
  void log(LogLevel level, std::string_view message) noexcept override {
    std::lock_guard<std::mutex> lock(mutex_);
    messages_.emplace_back(std::string(log_level_name(level)) + ": " + std::string(message));
  }
  std::vector<std::string> messages() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return messages_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> messages_;
};

// A clock that only moves when the test says so.
class ManualClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point now() const override {
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(nanoseconds_.load()));
  }
  std::chrono::system_clock::time_point wall_time() const override {
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::nanoseconds(nanoseconds_.load())));
  }
  void advance(std::chrono::nanoseconds by) { nanoseconds_ += by.count(); }

 private:
  std::atomic<std::int64_t> nanoseconds_{1'000'000'000'000};
};

// accepted == delivered + queued + dropped, per data type and for the self-metrics, and dropped is the
// sum of its reasons.
inline void expect_accounting_identity(const SenderStats& stats) {
  for (std::size_t index = 0; index < kDataTypeCount; ++index) {
    const TypeStats& type = stats.types[index];
    std::uint64_t reasons = 0;
    for (std::uint64_t count : type.dropped_by_reason) reasons += count;
    EXPECT_EQ(type.accepted, type.delivered + type.queued + type.dropped)
        << data_type_name(static_cast<DataType>(index));
    EXPECT_EQ(type.dropped, reasons) << data_type_name(static_cast<DataType>(index));
  }
  const TypeStats& self = stats.self_metrics;
  EXPECT_EQ(self.accepted, self.delivered + self.queued + self.dropped) << "self-metrics";
}

// Every line must parse strictly as the expected kind; returns how many did.
inline std::size_t expect_all_lines_valid(const std::vector<std::string>& lines,
                                          std::optional<LineKind> kind = std::nullopt) {
  std::size_t valid = 0;
  for (const std::string& line : lines) {
    const auto parsed = parse_wire_line(line, kind);
    if (parsed.ok()) {
      ++valid;
    } else {
      ADD_FAILURE() << "malformed line on the wire: " << line << "\n  " << parsed.error();
    }
  }
  return valid;
}

// Client::create(config), failing the test (and returning null) when it refuses the configuration.
template <class Client, class Config>
std::unique_ptr<Client> create_or_fail(const Config& config) {
  auto client = Client::create(config);
  EXPECT_TRUE(client.ok()) << client.status().to_string();
  // create() made a Client (SenderHandle holds it as a Sender).
  return std::unique_ptr<Client>(static_cast<Client*>(client.release().release()));
}

// Polls a condition (for state that has no notification, such as a sender's counters).
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return condition();
}

}  // namespace wavefront::testing
