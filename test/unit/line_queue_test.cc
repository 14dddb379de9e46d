// Unit tests for the bounded line queue: bounds, batching, FIFO retries, blocking, accounting.
#include "wavefront/queue/line_queue.h"

#include <gtest/gtest.h>

#include <thread>

namespace wavefront::queue {
namespace {

using namespace std::chrono_literals;

QueueBounds bounds(std::size_t max_items, std::size_t max_bytes, std::size_t batch_items,
                   OverflowPolicy policy = OverflowPolicy::drop) {
  return QueueBounds{max_items, max_bytes, batch_items, 1 << 20, policy, 50ms};
}

Status push(LineQueue& queue, std::string_view line) {
  bool ready = false;
  return queue.push(line, 1, *Clock::system(), ready);
}

void expect_identity(const LineQueue& queue) {
  const TypeStats stats = queue.snapshot();
  EXPECT_EQ(stats.accepted, stats.delivered + stats.queued + stats.dropped);
}

TEST(LineQueue, RefusesBeyondItemAndByteBounds) {
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

TEST(LineQueue, SealsBatchesAtTheirBoundAndSignalsReadiness) {
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

TEST(LineQueue, LeftoversGoBackToTheFrontAndStayCounted) {
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

TEST(LineQueue, BlockPolicyWaitsForRoom) {
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

TEST(LineQueue, BlockPolicyGivesUpAfterItsTimeout) {
  LineQueue queue(bounds(1, 1000, 1, OverflowPolicy::block));
  ASSERT_TRUE(push(queue, "a\n").ok());
  EXPECT_EQ(push(queue, "b\n").code(), ErrorCode::queue_full);
  expect_identity(queue);
}

TEST(LineQueue, ClosedQueueRefusesAndWakesBlockedProducers) {
  LineQueue queue(bounds(1, 1000, 1, OverflowPolicy::block));
  ASSERT_TRUE(push(queue, "a\n").ok());
  queue.close();
  EXPECT_EQ(push(queue, "b\n").code(), ErrorCode::closed);
  expect_identity(queue);
}

}  // namespace
}  // namespace wavefront::queue
