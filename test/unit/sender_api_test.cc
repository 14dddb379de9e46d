// The sender API a newcomer meets: typed points write exactly what the positional calls write, the one
// dispatch hands implementations exact item counts, a failed handle is safe to call, points own their
// strings, and tcp:// URLs name every port.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "support/recording_sender.h"
#include "wavefront/client_factory.h"
#include "wavefront/points.h"

namespace wavefront {
namespace {

constexpr std::string_view kTrace = "7b3bf470-9456-11e8-9eb6-529269fb1459";
constexpr std::string_view kSpan = "0313bafe-9457-11e8-9eb6-529269fb1459";

// Keeps what the dispatch hands over: data type, item count, lines, status.
class CapturingSender final : public Sender {
 public:
  struct Call {
    DataType type;
    std::size_t items;
    std::string lines;
    ErrorCode code;
  };
  FlushResult flush(std::chrono::milliseconds /*timeout*/) override { return {}; }
  FlushResult close(std::chrono::milliseconds /*timeout*/) override { return {}; }
  std::uint64_t failure_count() const override { return 0; }
  SenderStats stats() const override { return {}; }
  std::vector<Call> calls;

 protected:
  Status submit(const FormattedLines& lines) override {
    calls.push_back(Call{lines.type, lines.items, std::string(lines.lines), lines.status.code()});
    return lines.status;
  }
};

TEST(SenderApi, TypedPointsWriteWhatThePositionalCallsWrite) {
  testing::RecordingSender positional;
  testing::RecordingSender typed;
  ASSERT_TRUE(positional.send_metric("cpu.usage", 42.5, 1700000000, "h", {{"env", "prod"}}).ok());
  ASSERT_TRUE(
      typed.send(MetricPoint("cpu.usage", 42.5).timestamp(1700000000).source("h").tag("env", "prod")).ok());
  ASSERT_TRUE(positional.send_delta_counter("jobs", 3).ok());
  ASSERT_TRUE(typed.send(DeltaPoint("jobs", 3)).ok());
  ASSERT_TRUE(positional.send_distribution("lat", {{1.5, 2}}, Granularity::minute | Granularity::hour).ok());
  ASSERT_TRUE(typed.send(DistributionPoint("lat", {{1.5, 2}}, Granularity::minute | Granularity::hour)).ok());
  ASSERT_TRUE(positional
                  .send_span("op", 1700000000123, 45, "", kTrace, kSpan, {kTrace}, {},
                             {{"k", "v"}, {"k", "w"}}, {SpanLog(1700000000123456, {{"event", "x"}})})
                  .ok());
  ASSERT_TRUE(typed
                  .send(SpanPoint("op", 1700000000123, 45, kTrace, kSpan)
                            .parent(kTrace)
                            .tag("k", "v")
                            .tag("k", "w")
                            .log(1700000000123456, {{"event", "x"}}))
                  .ok());
  ASSERT_TRUE(positional.send_event("deploy", 1700000000000, 0, "", {{"type", "d"}}, {"t1"}).ok());
  ASSERT_TRUE(typed.send(EventPoint("deploy", 1700000000000).annotation("type", "d").tag("t1")).ok());
  EXPECT_EQ(typed.lines(), positional.lines());
  EXPECT_EQ(positional.lines().size(), 7U);  // metric, delta, 2 distribution lines, span, logs, event
}

TEST(SenderApi, DispatchHandsOverTheFormattersItemCounts) {
  CapturingSender sender;
  sender.send_metric("m", 1);
  sender.send_delta_counter("d", 0);  // valid, nothing to send
  sender.send_distribution("h", {{1, 1}}, {Granularity::minute, Granularity::hour, Granularity::day});
  sender.send_span("s", 1, 1, "", kTrace, kSpan, {}, {}, {}, {SpanLog(1, {{"a", "b"}})});
  sender.send_metric("", 1);  // refused: submitted with its status and no lines
  ASSERT_EQ(sender.calls.size(), 6U);
  EXPECT_EQ(sender.calls[0].items, 1U);
  EXPECT_EQ(sender.calls[1].items, 0U);
  EXPECT_TRUE(sender.calls[1].lines.empty());
  EXPECT_EQ(sender.calls[2].type, DataType::distribution);
  EXPECT_EQ(sender.calls[2].items, 3U);
  EXPECT_EQ(sender.calls[3].type, DataType::span);
  EXPECT_EQ(sender.calls[4].type, DataType::span_log);
  EXPECT_EQ(sender.calls[5].code, ErrorCode::invalid_name);
  EXPECT_EQ(sender.calls[5].items, 0U);
  for (const auto& call : sender.calls) {
    EXPECT_EQ(static_cast<std::size_t>(std::count(call.lines.begin(), call.lines.end(), '\n')), call.items);
  }
}

TEST(SenderApi, SpansWith128BitIdsWriteWhatTheUuidTextWrites) {
  const Id128 trace{0x7b3bf470945611e8ULL, 0x9eb6529269fb1459ULL};
  const Id128 span{0, 0x0313bafe94570001ULL};
  const Id128 parent{0, 0xABCDEF0123456789ULL};
  const std::string trace_text = uuid_string(trace);
  const std::string span_text = uuid_string(span);
  const std::string parent_text = uuid_string(parent);
  const std::vector<std::pair<std::string, std::string>> fields = {{"event", "x\"y"}};
  const std::vector<SpanLog> logs = {SpanLog(1700000000123456, TagList(fields))};
  CapturingSender text;
  CapturingSender binary;
  // No parent, one parent, span logs, tags that repeat a key, and a refusal (a blank name).
  text.send_span("op", 1700000000123, 45, "h", trace_text, span_text);
  binary.send_span("op", 1700000000123, 45, "h", trace, span, Id128{});
  text.send_span("op", 1700000000123, 45, "", trace_text, span_text, {parent_text}, {},
                 {{"k", "v"}, {"k", "w"}}, logs);
  binary.send_span("op", 1700000000123, 45, "", trace, span, parent, {{"k", "v"}, {"k", "w"}}, logs);
  text.send_span(" ", 1700000000123, 45, "h", trace_text, span_text, {}, {}, {}, logs);
  binary.send_span(" ", 1700000000123, 45, "h", trace, span, Id128{}, {}, logs);
  ASSERT_EQ(binary.calls.size(), text.calls.size());
  ASSERT_EQ(binary.calls.size(), 5U);  // span; span and span logs; refused span and span logs
  for (std::size_t index = 0; index < text.calls.size(); ++index) {
    EXPECT_EQ(binary.calls[index].type, text.calls[index].type) << index;
    EXPECT_EQ(binary.calls[index].items, text.calls[index].items) << index;
    EXPECT_EQ(binary.calls[index].lines, text.calls[index].lines) << index;
    EXPECT_EQ(binary.calls[index].code, text.calls[index].code) << index;
  }
  EXPECT_NE(binary.calls[1].lines.find("parent=00000000-0000-0000-abcd-ef0123456789"), std::string::npos);
  EXPECT_EQ(binary.calls[3].code, ErrorCode::invalid_name);
}

TEST(SenderApi, TimePointTimestampsKeepMilliseconds) {
  testing::RecordingSender sender;
  const auto when = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000123));
  ASSERT_TRUE(sender.send(MetricPoint("m", 1).timestamp(when)).ok());
  ASSERT_TRUE(sender.send_metric("m", 1, when).ok());
  ASSERT_EQ(sender.lines().size(), 2U);
  EXPECT_NE(sender.lines()[0].find(" 1700000000123 "), std::string::npos) << sender.lines()[0];
  EXPECT_EQ(sender.lines()[0], sender.lines()[1]);
}

TEST(SenderApi, PointsOwnTheirStringsAndTakeEveryTagContainer) {
  std::vector<MetricPoint> kept;
  {
    std::string suffix = "x";
    MetricPoint point(std::string("cpu.") + suffix, 1);
    point.tag(std::string("env") + suffix, std::string("prod") + suffix).source(std::string("host") + suffix);
    kept.push_back(point);
    suffix.assign(64, 'z');  // the temporaries are gone and the buffer reused
  }
  const std::map<std::string, std::string> ordered = {{"a", "1"}, {"b", "2"}};
  const std::unordered_map<std::string, std::string> hashed = {{"c", "3"}};
  const std::vector<std::pair<std::string, std::string>> pairs = {{"d", "4"}, {"a", "5"}};
  kept.push_back(MetricPoint("m", 2).tags(ordered).tags(hashed).tags(pairs).tags({{"e", "6"}}));
  testing::RecordingSender sender;
  for (const MetricPoint& point : kept) ASSERT_TRUE(sender.send(point).ok());
  ASSERT_EQ(sender.lines().size(), 2U);
  EXPECT_EQ(sender.lines()[0], "\"cpu.x\" 1 source=\"hostx\" \"envx\"=\"prodx\"");
  // A key set again keeps its last value ("a" from the vector).
  EXPECT_EQ(sender.lines()[1],
            "\"m\" 2 source=\"test-host\" \"a\"=\"5\" \"b\"=\"2\" \"c\"=\"3\" \"d\"=\"4\" \"e\"=\"6\"");
}

TEST(SenderApi, AFailedHandleReturnsItsErrorFromEveryCall) {
  auto sender = make_sender("gopher://example.com");
  ASSERT_FALSE(sender);
  EXPECT_NE(sender.error().message().find("gopher"), std::string::npos);
  ASSERT_NE(sender.get(), nullptr);
  const Status sent = sender->send_metric("cpu.usage", 42.5);
  EXPECT_EQ(sent.code(), sender.error().code());
  EXPECT_EQ(sent.message(), sender.error().message());
  EXPECT_EQ(sender->send(EventPoint("e", 1)).code(), sender.error().code());
  EXPECT_FALSE(sender->flush(std::chrono::milliseconds(10)).ok());
  EXPECT_FALSE(sender->close(std::chrono::milliseconds(10)).ok());
  EXPECT_EQ(sender->stats()[DataType::metric].invalid, 1U);
  EXPECT_EQ(sender->failure_count(), 2U);
  EXPECT_EQ(sender.release(), nullptr);
}

TEST(SenderApi, AWorkingHandleIsUsedWithOneArrow) {
  SenderConfig settings;
  settings.logger = nullptr;
  auto sender = make_sender("tcp://127.0.0.1:1", settings);
  ASSERT_TRUE(sender) << sender.error().to_string();
  EXPECT_TRUE(sender->send_metric("cpu.usage", 42.5).ok());
  sender->close(std::chrono::milliseconds(0));
}

TEST(SenderApi, TcpUrlsNameEveryPort) {
  const auto url = parse_sender_url("tcp://proxy:2878?distribution_port=40000&tracing_port=30000");
  ASSERT_TRUE(url.ok()) << url.status().to_string();
  EXPECT_EQ(url->port, 2878);
  EXPECT_EQ(url->distribution_port, std::optional<std::uint16_t>(40000));
  EXPECT_EQ(url->tracing_port, std::optional<std::uint16_t>(30000));
  EXPECT_FALSE(url->event_port.has_value());
  EXPECT_EQ(url->redacted(), "tcp://proxy:2878?distribution_port=40000&tracing_port=30000");
  const auto unknown = parse_sender_url("tcp://proxy:2878?histogram_port=1");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("histogram_port"), std::string::npos);
  EXPECT_FALSE(parse_sender_url("http://proxy:2878?tracing_port=30000").ok());
  EXPECT_FALSE(parse_sender_url("tcp://proxy?tracing_port=0").ok());
  EXPECT_FALSE(parse_sender_url("tcp://proxy?tracing_port=1&tracing_port=2").ok());
}

}  // namespace
}  // namespace wavefront
