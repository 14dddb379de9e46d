// Unit tests for capped exponential backoff with jitter.
#include "wavefront/internal/backoff.h"

#include <gtest/gtest.h>

namespace wavefront::internal {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesWithJitterUpToTheCap) {
  Backoff backoff(milliseconds(100), milliseconds(1000), 42);
  const std::int64_t expected_ceilings[] = {100, 200, 400, 800, 1000, 1000, 1000};
  for (std::int64_t ceiling : expected_ceilings) {
    const std::int64_t delay = backoff.next().count();
    EXPECT_GE(delay, ceiling / 2);
    EXPECT_LE(delay, ceiling);
  }
  backoff.reset();
  EXPECT_LE(backoff.next().count(), 100);
}

TEST(Backoff, JitterSpreadsDelays) {
  Backoff first(milliseconds(1000), milliseconds(1000), 1);
  Backoff second(milliseconds(1000), milliseconds(1000), 2);
  int different = 0;
  for (int index = 0; index < 20; ++index) different += first.next() != second.next() ? 1 : 0;
  EXPECT_GT(different, 10);
}

}  // namespace
}  // namespace wavefront::internal
