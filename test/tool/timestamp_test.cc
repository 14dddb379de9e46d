// Timestamps from command lines and CSV columns.
#include "wfsend/timestamp.h"

#include <gtest/gtest.h>

namespace {

using wfsend::parse_timestamp_ms;
using wfsend::TimestampUnit;

TEST(Timestamp, NumbersByUnitAndByMagnitude) {
  EXPECT_EQ(parse_timestamp_ms("1700000000", TimestampUnit::automatic), 1700000000000);
  EXPECT_EQ(parse_timestamp_ms("1700000000123", TimestampUnit::automatic), 1700000000123);
  EXPECT_EQ(parse_timestamp_ms("1700000000123456", TimestampUnit::automatic), 1700000000123);
  EXPECT_EQ(parse_timestamp_ms("1700000000123456789", TimestampUnit::automatic), 1700000000123);
  EXPECT_EQ(parse_timestamp_ms("1700000000.25", TimestampUnit::automatic), 1700000000250);
  EXPECT_EQ(parse_timestamp_ms("1700000000", TimestampUnit::milliseconds), 1700000000);
  EXPECT_EQ(parse_timestamp_ms("17", TimestampUnit::seconds), 17000);
  EXPECT_EQ(parse_timestamp_ms(" 1700000000 ", TimestampUnit::seconds), 1700000000000);
  EXPECT_FALSE(parse_timestamp_ms("0", TimestampUnit::automatic));
  EXPECT_FALSE(parse_timestamp_ms("", TimestampUnit::automatic));
  EXPECT_FALSE(parse_timestamp_ms("12x", TimestampUnit::seconds));
  EXPECT_FALSE(parse_timestamp_ms("2023-11-14", TimestampUnit::seconds));
}

TEST(Timestamp, Iso8601Forms) {
  EXPECT_EQ(parse_timestamp_ms("2023-11-14T22:13:20Z", TimestampUnit::automatic), 1700000000000);
  EXPECT_EQ(parse_timestamp_ms("2023-11-14 22:13:20", TimestampUnit::iso8601), 1700000000000);
  EXPECT_EQ(parse_timestamp_ms("2023-11-14T22:13:20.5Z", TimestampUnit::iso8601), 1700000000500);
  EXPECT_EQ(parse_timestamp_ms("2023-11-14T23:13:20+01:00", TimestampUnit::iso8601), 1700000000000);
  EXPECT_EQ(parse_timestamp_ms("2023-11-14T21:13:20-0100", TimestampUnit::iso8601), 1700000000000);
  EXPECT_EQ(parse_timestamp_ms("2023-11-14T22:13Z", TimestampUnit::iso8601), 1699999980000);
  EXPECT_EQ(parse_timestamp_ms("1970-01-02", TimestampUnit::iso8601), 86400000);
  EXPECT_EQ(parse_timestamp_ms("2024-02-29", TimestampUnit::iso8601), 1709164800000);
  EXPECT_FALSE(parse_timestamp_ms("2023-02-29", TimestampUnit::iso8601));
  EXPECT_FALSE(parse_timestamp_ms("2023-13-01", TimestampUnit::iso8601));
  EXPECT_FALSE(parse_timestamp_ms("2023-11-14T25:00:00Z", TimestampUnit::iso8601));
  EXPECT_FALSE(parse_timestamp_ms("2023-11-14T22:13:20Q", TimestampUnit::iso8601));
  EXPECT_FALSE(parse_timestamp_ms("yesterday", TimestampUnit::automatic));
}

}  // namespace
