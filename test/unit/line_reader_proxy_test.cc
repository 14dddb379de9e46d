// LineReader under the proxy's rules (docs/reading-rules.md): what it keeps that the senders would not
// write, the warnings it records, and the reader_fuzz findings of the new rules as regression tests.
#include <gtest/gtest.h>

#include <string>

#include "wavefront/line_reader.h"

namespace {

using wavefront::ErrorCode;
using wavefront::LineReader;

LineReader make_reader() {
  wavefront::LineReaderOptions options;
  options.format.default_source = "peer";
  return LineReader(options);
}

// Reads a line, checks that its canonical form reads back to itself, and returns that form.
std::string canonical(const std::string& line) {
  LineReader reader = make_reader();
  const wavefront::Status status = reader.read(line);
  EXPECT_TRUE(status.ok()) << line << ": " << status.to_string();
  const std::string out(reader.canonical());
  if (!out.empty()) {
    LineReader again = make_reader();
    EXPECT_TRUE(again.read(out.substr(0, out.size() - 1)).ok()) << out;
    EXPECT_EQ(again.canonical(), out);
  }
  return out;
}

ErrorCode refused(const std::string& line) {
  LineReader reader = make_reader();
  const wavefront::Status status = reader.read(line);
  EXPECT_FALSE(status.ok()) << line << " was accepted as " << reader.canonical();
  EXPECT_GT(reader.error_column(), 0u) << line;
  return status.code();
}

std::string rules(const std::string& line) {
  LineReader reader = make_reader();
  EXPECT_TRUE(reader.read(line).ok()) << line;
  std::string names;
  for (const wavefront::ReadWarning& warning : reader.warnings()) names += std::string(warning.rule) + " ";
  return names;
}

constexpr char kIds[] =
    "traceId=7b3bf470-9456-11e8-9eb6-529269fb1459 spanId=0313bafe-9457-11e8-9eb6-529269fb1459";

TEST(LineReaderProxy, WarningsNameTheRule) {
  EXPECT_EQ(rules("cpu 1 source=s"), "");
  EXPECT_EQ(rules("cpu 1 host=h"), "host-for-source ");
  EXPECT_EQ(rules("cpu 1 source=s k=1 k=2"), "repeated-tag ");
  EXPECT_EQ(rules("cpu 1 source=s tag=x"), "tag-key-renamed ");
  EXPECT_EQ(rules("cpu 1 1700000000123456 source=s"), "timestamp-unit ");
  EXPECT_EQ(rules("s source=a traceId=t spanId=0313bafe-9457-11e8-9eb6-529269fb1459 1700000000123 5"),
            "non-uuid-id ");
  EXPECT_EQ(rules(std::string("s source=a ") + kIds + " 1700000000 5"), "span-time-unit ");
  EXPECT_EQ(rules(std::string("s source=a ") + kIds + " tag=x 1700000000123 5"), "reserved-tag-key ");
  EXPECT_EQ(rules("@Event 1700000000000 e"), "event-without-host ");
  EXPECT_EQ(rules("@Event 1700000000 e host=h"), "event-time-unit ");
}

TEST(LineReaderProxy, ReaderFuzzFindings) {
  // Times below 10^12 are seconds to the proxy: kept in seconds when their milliseconds would be read
  // as microseconds, and an end time read as seconds is after a start in milliseconds.
  EXPECT_EQ(canonical("@Event 1533520779900 0766764989000 x host=h"),
            "@Event 1533520779900 766764989000 \"x\" host=\"h\"\n");
  EXPECT_EQ(canonical("@Event 0850000000000 0850000000001 x host=h"),
            "@Event 850000000000 850000000001 \"x\" host=\"h\"\n");
  // An end not after the start makes an instant event (start + 1 ms), as the proxy stores it.
  EXPECT_EQ(canonical("@Event 1533520779900 1533520779000 x host=h"),
            "@Event 1533520779900 1533520779901 \"x\" host=\"h\"\n");
  EXPECT_EQ(refused("@Event 0850000000000 x host=h"), ErrorCode::invalid_timestamp);  // +1 ms: no unit
  // A distribution keeps whole seconds (the proxy aligns it to its bin).
  EXPECT_EQ(canonical("!M 1700000040999 #1 1 d source=s"), "!M 1700000040 #1 1 \"d\" source=\"s\"\n");
  // An id with a control character could not be written back unchanged.
  EXPECT_EQ(refused("s source=a traceId=7b3bf470\x0E"
                    "9456 spanId=x 1700000000123 5"),
            ErrorCode::invalid_id);
  // A point tag traceId= would make the canonical line a span.
  EXPECT_EQ(refused("m 1 source=\"a \"traceId=x"), ErrorCode::malformed_line);
  // Durations that overflow Java's long, or times the proxy could not read back exactly (past 2^53).
  EXPECT_EQ(refused("s source=a traceId=t spanId=s 1 1234567894567892434"), ErrorCode::invalid_timestamp);
  EXPECT_EQ(refused("s source=a traceId=t spanId=s 1442868868 450121415320121"),
            ErrorCode::invalid_timestamp);
}

}  // namespace
