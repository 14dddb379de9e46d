// ResendWindow: which lines a break re-sends and which it counts as possibly lost, by stream offset.
#include "wavefront/transport/tcp_resend_window.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>

namespace wavefront::transport {
namespace {

constexpr auto kMetric = DataType::metric;
constexpr auto kSpan = DataType::span;

std::string joined(const std::deque<ResendLines>& resend) {
  std::string text;
  for (const ResendLines& lines : resend) text += lines.text;
  return text;
}

TEST(ResendWindow, PlainTextResendsFromTheFirstLineNotAcknowledgedWhole) {
  ResendWindow window(1 << 20);
  window.add(kMetric, "a 1\nb 2\n", 2, 8);  // stream bytes [0, 8)
  window.add(kSpan, "c 3\nd 4\n", 2, 8);    // [8, 16)
  std::deque<ResendLines> resend;
  // Acknowledged up to the middle of "c 3\n": it and "d 4\n" go again; nothing may be unread.
  const LineCounts lost = window.split_at_break(10, 0, true, resend);
  ASSERT_EQ(resend.size(), 1u);
  EXPECT_EQ(resend[0].type, kSpan);
  EXPECT_EQ(resend[0].text, "c 3\nd 4\n");
  EXPECT_EQ(resend[0].lines, 2u);
  EXPECT_EQ(lost, LineCounts{});
  EXPECT_EQ(window.stream_bytes(), 0u) << "emptied";
}

TEST(ResendWindow, AcknowledgedLinesWithinTheUnreadBytesArePossiblyLost) {
  ResendWindow window(1 << 20);
  window.add(kMetric, "a 1\nb 2\n", 2, 8);
  window.add(kSpan, "c 3\nd 4\n", 2, 8);
  std::deque<ResendLines> resend;
  // All 16 bytes acknowledged, the last 5 (from offset 11) maybe unread: "c 3\n" ends at 12 and
  // "d 4\n" at 16, so both may be lost; "b 2\n" ends at 8 and was read.
  const LineCounts lost = window.split_at_break(16, 5, true, resend);
  EXPECT_TRUE(resend.empty());
  EXPECT_EQ(lost[static_cast<std::size_t>(kSpan)], 2u);
  EXPECT_EQ(lost[static_cast<std::size_t>(kMetric)], 0u);
}

TEST(ResendWindow, GzipResendsWholeBatchesOnly) {
  ResendWindow window(1 << 20);
  window.add(kMetric, "a 1\nb 2\n", 2, 5);  // compressed: [0, 5)
  window.add(kMetric, "c 3\nd 4\n", 2, 5);  // [5, 10)
  std::deque<ResendLines> resend;
  const LineCounts lost = window.split_at_break(7, 0, false, resend);
  EXPECT_EQ(joined(resend), "c 3\nd 4\n");
  EXPECT_EQ(lost, LineCounts{});
}

TEST(ResendWindow, LinesThatFellOutOfTheWindowCountAsPossiblyLostWhenTheBreakReachesThem) {
  ResendWindow window(8);  // holds one batch of 8 bytes
  window.add(kMetric, "a 1\nb 2\n", 2, 8);
  window.add(kMetric, "c 3\nd 4\n", 2, 8);  // pushes the first batch out
  std::deque<ResendLines> resend;
  const LineCounts lost = window.split_at_break(4, 0, true, resend);
  EXPECT_EQ(joined(resend), "c 3\nd 4\n") << "what is still held is re-sent";
  EXPECT_EQ(lost[static_cast<std::size_t>(kMetric)], 2u) << "\"b 2\" was never acknowledged and is gone";

  ResendWindow off(0);
  off.add(kMetric, "a 1\n", 1, 4);
  EXPECT_EQ(off.split_at_break(0, 0, true, resend)[static_cast<std::size_t>(kMetric)], 1u);
}

}  // namespace
}  // namespace wavefront::transport
