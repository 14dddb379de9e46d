// A scripted in-memory Transport (include/wavefront/transport.h) for testing client logic without
// sockets: batching, retries and backoff, partial deliveries and drops, close deadlines.
//
// The sender owns the FakeTransport; the test keeps the FakeTransportState it shares. Each deliver()
// records the batch and answers with the next scripted Outcome (deliver everything when the script is
// empty). Pair it with testing::ManualClock in SenderConfig::clock so the retry schedule moves only
// when the test advances the clock.
//
// Thread-safety: the state is locked; deliver() runs on the sender's flusher thread, the test reads
// from its own.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "wavefront/transport.h"

namespace wavefront::testing {

struct FakeBatch {
  DataType type;
  std::string lines;
  std::size_t items;
};

struct FakeOutcome {
  enum class Kind {
    deliver_all,   // every line delivered
    fail,          // nothing delivered; retry later
    deliver_then,  // `count` lines delivered, the rest failed (retry later)
    drop,          // the first `count` lines dropped for good with `reason`, the rest retried
    hang,          // wait until the deadline passes, then fail (a receiver that never answers)
  };
  Kind kind = Kind::deliver_all;
  std::size_t count = 0;
  DropReason reason = DropReason::rejected;
};

class FakeTransportState {
 public:
  void script(FakeOutcome outcome) {
    const std::lock_guard<std::mutex> lock(mutex_);
    script_.push_back(outcome);
  }
  std::vector<FakeBatch> batches() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return batches_;
  }
  std::size_t attempts() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return batches_.size();
  }
  bool shut_down() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return shut_down_;
  }

 private:
  friend class FakeTransport;
  mutable std::mutex mutex_;
  std::deque<FakeOutcome> script_;
  std::vector<FakeBatch> batches_;
  bool shut_down_ = false;
};

class FakeTransport final : public Transport {
 public:
  explicit FakeTransport(std::shared_ptr<FakeTransportState> state) : state_(std::move(state)) {}

  bool routes(DataType /*type*/) const override { return true; }
  std::string route_hint(DataType /*type*/) const override { return {}; }

  DeliveryResult deliver(DataType type, std::string_view lines, std::size_t items,
                         const DeliveryDeadline& deadline) override {
    FakeOutcome outcome;
    {
      const std::lock_guard<std::mutex> lock(state_->mutex_);
      state_->batches_.push_back(FakeBatch{type, std::string(lines), items});
      if (!state_->script_.empty()) {
        outcome = state_->script_.front();
        state_->script_.pop_front();
      }
    }
    DeliveryResult result;
    result.attempted = true;
    switch (outcome.kind) {
      case FakeOutcome::Kind::deliver_all:
        result.delivered = items;
        result.delivered_bytes = lines.size();
        break;
      case FakeOutcome::Kind::fail:
        result.failed = true;
        break;
      case FakeOutcome::Kind::deliver_then:
        result.delivered = std::min(outcome.count, items);
        result.delivered_bytes = prefix_bytes(lines, result.delivered);
        result.failed = result.delivered < items;
        break;
      case FakeOutcome::Kind::drop:
        result.dropped = std::min(outcome.count, items);
        result.dropped_bytes = prefix_bytes(lines, result.dropped);
        result.drop_reason = outcome.reason;
        // Nothing delivered before them: the first `count` lines are dropped, the rest retried.
        result.failed = result.dropped < items;
        break;
      case FakeOutcome::Kind::hang:
        // Polls the deadline (as a real transport re-reads it while it waits on a socket).
        while (std::chrono::steady_clock::now() < deadline.get()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        result.failed = true;
        break;
    }
    return result;
  }

  void shutdown() override {
    const std::lock_guard<std::mutex> lock(state_->mutex_);
    state_->shut_down_ = true;
  }

 private:
  static std::size_t prefix_bytes(std::string_view lines, std::size_t count) {
    std::size_t position = 0;
    for (std::size_t line = 0; line < count && position < lines.size(); ++line) {
      position = lines.find('\n', position);
      position = position == std::string_view::npos ? lines.size() : position + 1;
    }
    return position;
  }

  std::shared_ptr<FakeTransportState> state_;
};

// A factory for make_transport_sender / a scheme handler, sharing `state`.
inline TransportFactory fake_transport_factory(const std::shared_ptr<FakeTransportState>& state) {
  return [state] { return std::make_unique<FakeTransport>(state); };
}

}  // namespace wavefront::testing
