// wavefront::Timestamp: what each kind of argument becomes, and how it is written (spec §2.1).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "wavefront/format.h"
#include "wavefront/types.h"

namespace {

using wavefront::Timestamp;
using Unit = wavefront::Timestamp::Unit;

std::string written(Timestamp timestamp) {
  std::string out;
  const wavefront::Status status = wavefront::format_metric(out, "m", 1, timestamp, "s", {});
  return status.ok() ? out : std::string(wavefront::error_code_name(status.code()));
}

TEST(Timestamp, ConvertsFromWhatCallersHave) {
  EXPECT_FALSE(Timestamp(std::nullopt).has_value());
  EXPECT_FALSE(Timestamp().has_value());
  EXPECT_EQ(Timestamp(1700000000), Timestamp::from_seconds(1700000000));
  EXPECT_EQ(Timestamp(std::optional<std::int64_t>(5)), Timestamp::from_seconds(5));
  EXPECT_FALSE(Timestamp(std::optional<std::int64_t>()).has_value());
  // Doubles of seconds: whole stays seconds, a fraction becomes ms rounded to the nearest one.
  EXPECT_EQ(Timestamp(1700000000.0), Timestamp::from_seconds(1700000000));
  EXPECT_EQ(Timestamp(1700000000.5), Timestamp::from_milliseconds(1700000000500));
  EXPECT_EQ(Timestamp(1700000000.123), Timestamp::from_milliseconds(1700000000123));  // not ...122
  EXPECT_EQ(Timestamp(1700000000.9996), Timestamp::from_seconds(1700000001));
  EXPECT_EQ(Timestamp(std::nan("")).unit(), Unit::invalid);
  EXPECT_EQ(Timestamp(std::numeric_limits<double>::infinity()).unit(), Unit::invalid);
  // time_points: whole seconds as seconds, else milliseconds.
  using std::chrono::milliseconds;
  using std::chrono::system_clock;
  EXPECT_EQ(Timestamp(system_clock::time_point(milliseconds(1700000000000))),
            Timestamp::from_seconds(1700000000));
  EXPECT_EQ(Timestamp(system_clock::time_point(milliseconds(1700000000042))),
            Timestamp::from_milliseconds(1700000000042));
  EXPECT_EQ(Timestamp::from_milliseconds(1700000000999).seconds(), 1700000000);
  EXPECT_EQ(Timestamp::from_seconds(2).milliseconds(), 2000);
}

TEST(Timestamp, IsWrittenWhereTheProxyReadsTheSameInstant) {
  EXPECT_EQ(written(1700000000), "\"m\" 1 1700000000 source=\"s\"\n");
  EXPECT_EQ(written(1700000000.25), "\"m\" 1 1700000000250 source=\"s\"\n");
  // Milliseconds below 10^12 would be read as seconds: written as microseconds instead.
  EXPECT_EQ(written(Timestamp::from_milliseconds(946684800500)), "\"m\" 1 946684800500000 source=\"s\"\n");
  EXPECT_EQ(written(Timestamp::from_milliseconds(5)), "invalid_timestamp");
  // Seconds of 10^12 and more, or milliseconds of 10^13 and more, would be read in another unit.
  EXPECT_EQ(written(1000000000000), "invalid_timestamp");
  EXPECT_EQ(written(Timestamp::from_milliseconds(10000000000000)), "invalid_timestamp");
  EXPECT_EQ(written(std::nan("")), "invalid_timestamp");
  EXPECT_EQ(written(0), "invalid_timestamp");
  // Distributions keep whole seconds.
  std::string out;
  ASSERT_TRUE(wavefront::format_distribution(out, "d", {{1.0, 1}}, wavefront::Granularity::minute,
                                             Timestamp::from_milliseconds(1700000040999), "s", {})
                  .ok());
  EXPECT_EQ(out, "!M 1700000040 #1 1 \"d\" source=\"s\"\n");
}

}  // namespace
