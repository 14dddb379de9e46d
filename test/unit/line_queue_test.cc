// Unit tests for the bounded line queue: bounds, batching, FIFO retries, blocking, accounting.
#include "wavefront/queue/line_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace wavefront::queue {
namespace {

using namespace std::chrono_literals;

// Every test runs twice: with per-thread staging off (each push under the queue's mutex) and on.
std::size_t g_staging_bytes = 0;

class LineQueueModes : public ::testing::TestWithParam<std::size_t> {
 protected:
  void SetUp() override { g_staging_bytes = GetParam(); }
};

QueueBounds bounds(std::size_t max_items, std::size_t max_bytes, std::size_t batch_items,
                   OverflowPolicy policy = OverflowPolicy::drop) {
  return QueueBounds{max_items, max_bytes, batch_items, 1 << 20, policy, 50ms, g_staging_bytes};
}

Status push(LineQueue& queue, std::string_view line) {
  bool ready = false;
  return queue.push(line, 1, *Clock::system(), ready);
}

// A pre-registered series' point (push_deferred): `text` with the value and timestamp at `value_at`.
Status push_deferred(LineQueue& queue, std::string_view text, std::size_t value_at, double value,
                     Timestamp timestamp = {}) {
  bool ready = false;
  return queue.push_deferred(DeferredLine{text, value_at, value, timestamp}, ready);
}

// Everything the queue holds, delivered: the lines in order.
std::string take_everything(LineQueue& queue) {
  std::string lines;
  Batch batch;
  while (queue.take(batch, true)) {
    lines += batch.lines;
    queue.complete(batch, batch.items, batch.lines.size(), 0, 0, DropReason::rejected);
  }
  return lines;
}

void expect_identity(const LineQueue& queue) {
  const TypeStats stats = queue.snapshot();
  EXPECT_EQ(stats.accepted, stats.delivered + stats.queued + stats.dropped);
}

TEST_P(LineQueueModes, RefusesBeyondItemAndByteBounds) {
  LineQueue by_items(bounds(2, 1000, 10));
  EXPECT_TRUE(push(by_items, "a\n").ok());
  EXPECT_TRUE(push(by_items, "b\n").ok());
  EXPECT_EQ(push(by_items, "c\n").code(), ErrorCode::queue_full);
  EXPECT_EQ(by_items.snapshot().dropped_by_reason[static_cast<std::size_t>(DropReason::queue_full)], 1u);
  expect_identity(by_items);

  LineQueue by_bytes(bounds(100, 6, 10));
  EXPECT_TRUE(push(by_bytes, "abcd\n").ok());
  EXPECT_EQ(push(by_bytes, "ef\n").code(), ErrorCode::queue_full);
  expect_identity(by_bytes);
}

TEST_P(LineQueueModes, SealsBatchesAtTheirBoundAndSignalsReadiness) {
  LineQueue queue(bounds(100, 1000, 2));
  bool ready = false;
  queue.push("a\n", 1, *Clock::system(), ready);
  EXPECT_FALSE(ready);
  queue.push("b\n", 1, *Clock::system(), ready);
  EXPECT_TRUE(ready);
  Batch batch;
  ASSERT_TRUE(queue.take(batch, false));
  EXPECT_EQ(batch.lines, "a\nb\n");
  EXPECT_FALSE(queue.take(batch, false)) << "nothing full is left";
}

TEST_P(LineQueueModes, LeftoversGoBackToTheFrontAndStayCounted) {
  LineQueue queue(bounds(100, 1000, 3));
  for (std::string_view line : {"1\n", "2\n", "3\n", "4\n"}) ASSERT_TRUE(push(queue, line).ok());
  Batch batch;
  ASSERT_TRUE(queue.take(batch, true));
  EXPECT_EQ(batch.lines, "1\n2\n3\n");
  queue.complete(batch, 1, 2, 0, 0, DropReason::rejected);  // line 1 delivered, 2 and 3 to retry
  EXPECT_EQ(queue.snapshot().queued, 3u);
  expect_identity(queue);
  ASSERT_TRUE(queue.take(batch, true));
  EXPECT_EQ(batch.lines, "2\n3\n") << "the retry comes first";
  queue.complete(batch, 0, 0, 2, 4, DropReason::rejected);
  ASSERT_TRUE(queue.take(batch, true));
  EXPECT_EQ(batch.lines, "4\n");
  queue.complete(batch, 1, 2, 0, 0, DropReason::rejected);
  const TypeStats stats = queue.snapshot();
  EXPECT_EQ(stats.delivered, 2u);
  EXPECT_EQ(stats.dropped_by_reason[static_cast<std::size_t>(DropReason::rejected)], 2u);
  EXPECT_EQ(stats.queued, 0u);
  EXPECT_EQ(stats.queued_bytes, 0u);
  EXPECT_EQ(queue.finished_sequence(), 4u);
  expect_identity(queue);
}

TEST_P(LineQueueModes, BlockPolicyWaitsForRoom) {
  LineQueue queue(bounds(1, 1000, 1, OverflowPolicy::block));
  ASSERT_TRUE(push(queue, "a\n").ok());
  std::thread consumer([&] {
    Batch batch;
    while (!queue.take(batch, true)) std::this_thread::yield();
    queue.complete(batch, 1, 2, 0, 0, DropReason::rejected);
  });
  // Either the consumer frees room within block_timeout (ok) or the push times out (queue_full);
  // both are correct, and the counters must agree with what happened.
  const Status status = push(queue, "b\n");
  consumer.join();
  EXPECT_TRUE(status.ok() || status.code() == ErrorCode::queue_full);
  expect_identity(queue);
}

TEST_P(LineQueueModes, BlockPolicyGivesUpAfterItsTimeout) {
  LineQueue queue(bounds(1, 1000, 1, OverflowPolicy::block));
  ASSERT_TRUE(push(queue, "a\n").ok());
  EXPECT_EQ(push(queue, "b\n").code(), ErrorCode::queue_full);
  expect_identity(queue);
}

TEST_P(LineQueueModes, ClosedQueueRefusesAndWakesBlockedProducers) {
  LineQueue queue(bounds(1, 1000, 1, OverflowPolicy::block));
  ASSERT_TRUE(push(queue, "a\n").ok());
  queue.close();
  EXPECT_EQ(push(queue, "b\n").code(), ErrorCode::closed);
  expect_identity(queue);
}

// Producers that come and go while the flusher takes batches and another thread snapshots: every
// snapshot keeps the identity, and nothing staged by a thread that exited is lost.
TEST_P(LineQueueModes, IdentityHoldsWithThreadsThatComeAndGo) {
  LineQueue queue(bounds(1'000'000, 64 << 20, 100));
  constexpr int kRounds = 4;
  constexpr int kThreadsPerRound = 3;
  constexpr int kLinesPerThread = 2000;
  std::atomic<bool> producing{true};
  std::atomic<std::uint64_t> identity_failures{0};
  std::thread observer([&] {
    while (producing.load()) {
      const TypeStats stats = queue.snapshot();
      if (stats.accepted != stats.delivered + stats.queued + stats.dropped) ++identity_failures;
    }
  });
  std::uint64_t delivered = 0;
  std::uint64_t delivered_bytes = 0;
  std::thread flusher([&] {
    Batch batch;
    bool include_open = false;
    for (;;) {
      const bool more = producing.load();
      while (queue.take(batch, include_open)) {
        delivered += batch.items;
        delivered_bytes += batch.lines.size();
        queue.complete(batch, batch.items, batch.lines.size(), 0, 0, DropReason::rejected);
      }
      include_open = !include_open;
      if (!more) break;
    }
    while (queue.take(batch, true)) {
      delivered += batch.items;
      delivered_bytes += batch.lines.size();
      queue.complete(batch, batch.items, batch.lines.size(), 0, 0, DropReason::rejected);
    }
  });
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::thread> producers;
    for (int thread = 0; thread < kThreadsPerRound; ++thread) {
      producers.emplace_back([&] {
        // Every other line a deferred one that writes the same bytes.
        for (int line = 0; line < kLinesPerThread; ++line) {
          EXPECT_TRUE((line % 2 == 0 ? push(queue, "cpu 1 source=a\n")
                                     : push_deferred(queue, "cpu  source=a\n", 4, 1))
                          .ok());
        }
      });
    }
    for (std::thread& producer : producers) producer.join();
  }
  producing.store(false);
  flusher.join();
  observer.join();
  const TypeStats stats = queue.snapshot();
  constexpr std::uint64_t kTotal = std::uint64_t{kRounds} * kThreadsPerRound * kLinesPerThread;
  EXPECT_EQ(identity_failures.load(), 0u);
  EXPECT_EQ(stats.accepted, kTotal);
  EXPECT_EQ(stats.delivered, kTotal);
  EXPECT_EQ(delivered, kTotal);
  EXPECT_EQ(stats.queued, 0u);
  EXPECT_EQ(stats.queued_bytes, 0u);
  EXPECT_EQ(delivered_bytes, kTotal * std::string_view("cpu 1 source=a\n").size());
}

// Deferred lines come out written, in the order of the pushes, among the other lines and across
// hand-overs (4096 bytes of staging hands over every 2048); a 0xFF inside a line is only text.
TEST_P(LineQueueModes, DeferredLinesAreWrittenInOrderAmongOtherLines) {
  LineQueue queue(bounds(100'000, 1 << 20, 50));
  std::string expected;
  for (int line = 0; line < 300; ++line) {
    const std::string number = std::to_string(line);
    switch (line % 4) {
      case 0:
        ASSERT_TRUE(push(queue, "text " + number + " \xff\n").ok());
        expected += "text " + number + " \xff\n";
        break;
      case 1:
        ASSERT_TRUE(push_deferred(queue, "\"m\"  source=\"h\"\n", 4, line).ok());
        expected += "\"m\" " + number + " source=\"h\"\n";
        break;
      case 2:
        ASSERT_TRUE(push_deferred(queue, "\"m\"  t=\"v\"\n", 4, 0.5, 1700000000 + line).ok());
        expected += "\"m\" 0.5 " + std::to_string(1700000000 + line) + " t=\"v\"\n";
        break;
      default:
        ASSERT_TRUE(
            push_deferred(queue, "\"m\"  x\n", 4, -line, Timestamp::from_milliseconds(1700000000123)).ok());
        expected += "\"m\" -" + number + " 1700000000123 x\n";
        break;
    }
  }
  EXPECT_EQ(take_everything(queue), expected);
  const TypeStats stats = queue.snapshot();
  EXPECT_EQ(stats.delivered, 300u);
  EXPECT_EQ(stats.queued_bytes, 0u);
  expect_identity(queue);
}

// Staged, a deferred line counts at its longest (text + 56 bytes for value and timestamp); written,
// at its length; delivered, the whole byte budget is free again.
TEST_P(LineQueueModes, DeferredLinesCountTheirRoomUntilWritten) {
  constexpr std::size_t kMaxBytes = 1000;
  LineQueue queue(bounds(100, kMaxBytes, 100));
  ASSERT_TRUE(push_deferred(queue, "cpu  source=a\n", 4, 1).ok());
  const std::size_t written = std::string_view("cpu 1 source=a\n").size();
  const std::size_t staged = g_staging_bytes == 0 ? written : written - 1 + 56;
  EXPECT_EQ(queue.snapshot().queued_bytes, staged);
  Batch batch;
  ASSERT_TRUE(queue.take(batch, true));
  EXPECT_EQ(batch.lines, "cpu 1 source=a\n");
  EXPECT_EQ(queue.snapshot().queued_bytes, written) << "the unused room is released when written";
  queue.complete(batch, 1, batch.lines.size(), 0, 0, DropReason::rejected);
  EXPECT_EQ(queue.snapshot().queued_bytes, 0u);
  const std::string fills_the_bound(kMaxBytes - 1, 'x');
  EXPECT_TRUE(push(queue, fills_the_bound + "\n").ok()) << "every reserved byte was returned";
  expect_identity(queue);
}

// Without room under the block policy the deferred line is written by the caller and queued after
// the thread's staged lines; after block_timeout it is dropped as queue_full, counted once.
TEST_P(LineQueueModes, DeferredLinesFollowTheOverflowPolicy) {
  LineQueue queue(bounds(2, 1000, 10, OverflowPolicy::block));
  ASSERT_TRUE(push(queue, "a\n").ok());
  ASSERT_TRUE(push_deferred(queue, "b \n", 2, 2).ok());
  EXPECT_EQ(push_deferred(queue, "c \n", 2, 3).code(), ErrorCode::queue_full);
  EXPECT_EQ(queue.snapshot().dropped_by_reason[static_cast<std::size_t>(DropReason::queue_full)], 1u);
  EXPECT_EQ(take_everything(queue), "a\nb 2\n");
  ASSERT_TRUE(push_deferred(queue, "d \n", 2, 4).ok());
  queue.close();
  EXPECT_EQ(push_deferred(queue, "e \n", 2, 5).code(), ErrorCode::closed);
  EXPECT_EQ(take_everything(queue), "d 4\n");
  expect_identity(queue);

  LineQueue dropping(bounds(1, 1000, 10));
  ASSERT_TRUE(push_deferred(dropping, "a \n", 2, 1).ok());
  EXPECT_EQ(push_deferred(dropping, "b \n", 2, 2).code(), ErrorCode::queue_full);
  expect_identity(dropping);
}

// A deferred line too long to stage (over half of staging_bytes) is written at once and still
// keeps its place after the thread's staged lines.
TEST_P(LineQueueModes, DeferredLinesTooLongToStageKeepTheirPlace) {
  LineQueue queue(bounds(100, 1 << 20, 100));
  ASSERT_TRUE(push(queue, "first\n").ok());
  const std::string tags(3000, 't');
  ASSERT_TRUE(push_deferred(queue, "m  " + tags + "\n", 2, 7).ok());
  ASSERT_TRUE(push_deferred(queue, "m \n", 2, 8).ok());
  EXPECT_EQ(take_everything(queue), "first\nm 7 " + tags + "\nm 8\n");
  expect_identity(queue);
}

// The bound is shared: what one thread has staged leaves no room for another's lines.
TEST_P(LineQueueModes, OverflowPolicyAppliesPerThreadAgainstTheSharedBound) {
  LineQueue queue(bounds(100, 1 << 20, 1000));
  std::thread first([&] {
    for (int line = 0; line < 100; ++line) EXPECT_TRUE(push(queue, "a\n").ok());
  });
  first.join();
  std::thread second([&] { EXPECT_EQ(push(queue, "b\n").code(), ErrorCode::queue_full); });
  second.join();
  EXPECT_EQ(push(queue, "c\n").code(), ErrorCode::queue_full);
  const TypeStats stats = queue.snapshot();
  EXPECT_EQ(stats.queued, 100u);
  EXPECT_EQ(stats.dropped_by_reason[static_cast<std::size_t>(DropReason::queue_full)], 2u);
  expect_identity(queue);
  // Once the flusher has taken and delivered the lines, there is room again for any thread.
  Batch batch;
  ASSERT_TRUE(queue.take(batch, true));
  EXPECT_EQ(batch.items, 100u);
  queue.complete(batch, batch.items, batch.lines.size(), 0, 0, DropReason::rejected);
  std::thread third([&] { EXPECT_TRUE(push(queue, "d\n").ok()); });
  third.join();
  expect_identity(queue);
}

// A thread still alive with lines staged: another thread's flush sees them (accepted_sequence) and
// the flusher's take(include_open) collects them, in the thread's order.
TEST_P(LineQueueModes, FlushFromAnotherThreadSeesStagedLines) {
  LineQueue queue(bounds(1000, 1 << 20, 1000));
  std::mutex mutex;
  std::condition_variable changed;
  bool pushed = false;
  bool done = false;
  std::thread producer([&] {
    EXPECT_TRUE(push(queue, "1\n").ok());
    EXPECT_TRUE(push(queue, "2\n").ok());
    std::unique_lock<std::mutex> lock(mutex);
    pushed = true;
    changed.notify_all();
    changed.wait(lock, [&] { return done; });  // stays alive: its stage is not abandoned
  });
  {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return pushed; });
  }
  EXPECT_EQ(queue.accepted_sequence(), 2u);
  EXPECT_EQ(queue.snapshot().queued, 2u);
  Batch batch;
  ASSERT_TRUE(queue.take(batch, true));
  EXPECT_EQ(batch.lines, "1\n2\n");
  queue.complete(batch, 2, 4, 0, 0, DropReason::rejected);
  EXPECT_EQ(queue.finished_sequence(), 2u);
  {
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
  }
  changed.notify_all();
  producer.join();
  expect_identity(queue);
}

// close()'s last resort: everything queued or staged is dropped at once, counted for its reason.
TEST_P(LineQueueModes, DropEverythingCountsStagedAndQueuedLines) {
  LineQueue queue(bounds(1000, 1 << 20, 2));
  for (std::string_view line : {"1\n", "2\n", "3\n", "4\n", "5\n"}) ASSERT_TRUE(push(queue, line).ok());
  queue.drop_everything(DropReason::unsent_at_close);
  const TypeStats stats = queue.snapshot();
  EXPECT_EQ(stats.queued, 0u);
  EXPECT_EQ(stats.queued_bytes, 0u);
  EXPECT_EQ(stats.dropped_by_reason[static_cast<std::size_t>(DropReason::unsent_at_close)], 5u);
  EXPECT_EQ(queue.finished_sequence(), 5u);
  Batch batch;
  EXPECT_FALSE(queue.take(batch, true));
  expect_identity(queue);
}

INSTANTIATE_TEST_SUITE_P(StagingOffAndOn, LineQueueModes,
                         ::testing::Values(std::size_t{0}, std::size_t{4096}));

}  // namespace
}  // namespace wavefront::queue
