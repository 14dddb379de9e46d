// RED metrics derived from spans: names, tags, exact values under concurrent spans; span contents,
// parents and the active-span scope; heartbeats.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "support/recording_sender.h"
#include "wavefront/tracer.h"
#include "wavefront/tracing/red_metrics.h"

namespace wavefront {
namespace {

using testing::RecordingSender;

ApplicationTags shop(std::string service) {
  ApplicationTags tags;
  tags.application = "shop";
  tags.service = std::move(service);
  tags.custom = {{"region", "eu"}};
  return tags;
}

// The lines whose metric name (first token, unquoted) is `name`.
std::vector<std::string> lines_named(const std::vector<std::string>& lines, std::string_view name) {
  std::vector<std::string> found;
  for (const std::string& line : lines) {
    const std::string quoted = "\"" + std::string(name) + "\" ";
    const std::string bare = std::string(name) + " ";
    if (line.rfind(quoted, 0) == 0 || line.rfind(bare, 0) == 0) found.push_back(line);
  }
  return found;
}

double value_of(const std::string& line) {
  const std::size_t name_end = line[0] == '"' ? line.find('"', 1) + 1 : line.find(' ');
  return std::stod(line.substr(name_end + 1));
}

bool has_tag(const std::string& line, std::string_view key, std::string_view value) {
  return line.find(" \"" + std::string(key) + "\"=\"" + std::string(value) + "\"") != std::string::npos;
}

TEST(TracerRedTest, MetricNameIsSanitizedAsTheJavaSdkDoes) {
  EXPECT_EQ(tracing::red_metric_name("shop", "web", "GET /cart"), "tracing.derived.shop.web.GET--cart");
  EXPECT_EQ(tracing::red_metric_name("a,b", "s", "op~x"), "tracing.derived.a_b.s.op-x");
  EXPECT_EQ(tracing::red_metric_name("~app", "s", "\xC3\xA9t\xF0\x9F\x98\x80"),
            "tracing.derived.~app.s.-t--");
}

TEST(TracerRedTest, NamesTagsAndValuesMatchTheSdks) {
  RecordingSender sender;
  TracerConfig config;
  config.source = "host-1";
  config.red_metrics_custom_tag_keys = {"tenant"};
  {
    Tracer tracer(sender, shop("web"), config);
    for (int index = 0; index < 3; ++index) {
      Span span = tracer.start_span("checkout");
      span.set_tag("span.kind", "server");
      span.set_tag("component", "http");
      span.set_tag("tenant", "acme");
      span.set_tag("http.status_code", "200");
      if (index == 0) span.set_error();
    }
  }
  const auto lines = sender.lines();
  const std::string base = "tracing.derived.shop.web.checkout.";
  const auto invocation = lines_named(lines, "\xE2\x88\x86" + base + "invocation.count");
  ASSERT_EQ(invocation.size(), 1U) << ::testing::PrintToString(lines);
  EXPECT_EQ(value_of(invocation[0]), 3);
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"application", "shop"},
                                                        {"service", "web"},
                                                        {"cluster", "none"},
                                                        {"shard", "none"},
                                                        {"operationName", "checkout"},
                                                        {"component", "http"},
                                                        {"span.kind", "server"},
                                                        {"tenant", "acme"},
                                                        {"http.status_code", "200"},
                                                        {"region", "eu"}}) {
    EXPECT_TRUE(has_tag(invocation[0], key, value)) << key << " in " << invocation[0];
  }
  EXPECT_NE(invocation[0].find("source=\"host-1\""), std::string::npos) << invocation[0];
  const auto errors = lines_named(lines, "\xE2\x88\x86" + base + "error.count");
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(value_of(errors[0]), 1);
  ASSERT_EQ(lines_named(lines, "\xE2\x88\x86" + base + "total_time.millis.count").size(), 0U)
      << "spans this short add 0 ms, and a zero delta is not sent";
  std::size_t duration_lines = 0;
  std::size_t error_duration_lines = 0;
  for (const std::string& line : lines) {
    if (line.find(base + "duration.micros") == std::string::npos) continue;
    EXPECT_EQ(line.rfind("!M ", 0), 0U) << line;
    ++duration_lines;
    if (has_tag(line, "error", "true")) {
      ++error_duration_lines;
      EXPECT_NE(line.find(" #1 "), std::string::npos) << line;
    }
  }
  EXPECT_EQ(duration_lines, 2U);
  EXPECT_EQ(error_duration_lines, 1U);
  // Heartbeats: the three components, and one for the RED tag set (without operationName).
  const auto beats = lines_named(lines, "~component.heartbeat");
  for (const char* component : {"wavefront-generated", "opentracing", "cpp", "http"}) {
    EXPECT_TRUE(std::any_of(beats.begin(), beats.end(), [&](const std::string& line) {
      return has_tag(line, "component", component);
    })) << component;
  }
  for (const std::string& line : beats) EXPECT_EQ(line.find("operationName"), std::string::npos) << line;
}

TEST(TracerRedTest, GlobalTagsAndManyCustomKeysReachTheRedTags) {
  RecordingSender sender;
  TracerConfig config;
  config.global_tags = {{"component", "grpc"}, {"k2", "global"}};
  config.red_metrics_custom_tag_keys = {"k1", "k2", "k3", "k4", "k5", "span.kind"};
  {
    Tracer tracer(sender, shop("web"), config);
    Span span = tracer.start_span("call");
    span.set_tag("k1", "one");
    span.set_tag("k5", "five");  // past the keys a span notes as they are set
    span.set_tag("k5", "five-again");
    span.set_tag("HTTP.Status_Code", "503");
  }
  const auto lines = sender.lines();
  const auto invocation = lines_named(lines, "\xE2\x88\x86tracing.derived.shop.web.call.invocation.count");
  ASSERT_EQ(invocation.size(), 1U) << ::testing::PrintToString(lines);
  EXPECT_TRUE(has_tag(invocation[0], "component", "grpc")) << invocation[0];
  EXPECT_TRUE(has_tag(invocation[0], "k1", "one")) << invocation[0];
  EXPECT_TRUE(has_tag(invocation[0], "k2", "global")) << invocation[0];
  EXPECT_TRUE(has_tag(invocation[0], "k5", "five-again")) << invocation[0];
  EXPECT_TRUE(has_tag(invocation[0], "http.status_code", "503")) << invocation[0];
  EXPECT_TRUE(has_tag(invocation[0], "span.kind", "none")) << invocation[0];
  EXPECT_EQ(invocation[0].find("\"k3\""), std::string::npos) << invocation[0];
}

// The per-thread series cache is keyed by what a span sets itself (and which fields it set): spans
// taking turns with a field unset, set to other values, and set to its default value each count in
// the right series, and the unset and the explicitly-default spans in the same one.
TEST(TracerRedTest, SpansTakingTurnsWithDifferentFieldsCountInTheirOwnSeries) {
  RecordingSender sender;
  TracerConfig config;
  config.red_metrics_custom_tag_keys = {"k1"};
  constexpr int kRounds = 50;
  {
    Tracer tracer(sender, shop("web"), config);
    for (int round = 0; round < kRounds; ++round) {
      { Span unset = tracer.start_span("op"); }
      {
        Span grpc = tracer.start_span("op");
        grpc.set_tag("component", "grpc");
      }
      {
        Span explicit_default = tracer.start_span("op");
        explicit_default.set_tag("component", "none");
      }
      {
        Span custom = tracer.start_span("op");
        custom.set_tag("component", "grpc");
        custom.set_tag("k1", "x");
      }
    }
  }
  const auto invocations =
      lines_named(sender.lines(), "\xE2\x88\x86tracing.derived.shop.web.op.invocation.count");
  const auto total = [&](std::string_view component, std::string_view k1) {
    double sum = 0;
    for (const auto& line : invocations) {
      const bool k1_matches = k1.empty() ? line.find("\"k1\"") == std::string::npos : has_tag(line, "k1", k1);
      if (has_tag(line, "component", component) && k1_matches) sum += value_of(line);
    }
    return sum;
  };
  EXPECT_EQ(total("none", ""), 2 * kRounds) << ::testing::PrintToString(invocations);
  EXPECT_EQ(total("grpc", ""), kRounds);  // an unset custom key is left out
  EXPECT_EQ(total("grpc", "x"), kRounds);
}

TEST(TracerRedTest, RedHeartbeatOncePerIntervalPerTagSet) {
  RecordingSender sender;
  TracerConfig config;
  config.heartbeat_interval = std::chrono::hours(1);
  {
    Tracer tracer(sender, shop("web"), config);
    for (int index = 0; index < 10; ++index) {
      for (const char* operation : {"a", "b"}) {  // two series, one RED tag set
        Span span = tracer.start_span(operation);
        span.set_tag("component", "grpc");
      }
    }
    Span other = tracer.start_span("a");
    other.set_tag("component", "kafka");  // another tag set
  }
  const auto beats = lines_named(sender.lines(), "~component.heartbeat");
  const auto count = [&](const char* component) {
    return std::count_if(beats.begin(), beats.end(),
                         [&](const std::string& line) { return has_tag(line, "component", component); });
  };
  EXPECT_EQ(count("grpc"), 1);
  EXPECT_EQ(count("kafka"), 1);
  EXPECT_EQ(count("cpp"), 1);  // the component heartbeats: once at start, the next an hour later
}

TEST(TracerRedTest, ValuesAreExactUnderConcurrentSpans) {
  RecordingSender sender;
  constexpr int kThreads = 4;
  constexpr int kSpans = 2000;
  {
    Tracer tracer(sender, shop("web"));
    std::vector<std::thread> threads;
    for (int thread = 0; thread < kThreads; ++thread) {
      threads.emplace_back([&tracer, thread] {
        for (int index = 0; index < kSpans; ++index) {
          Span span = tracer.start_span(index % 2 == 0 ? "even" : "odd");
          span.set_tag("worker", std::to_string(thread));
          if (index % 10 == 0) span.set_error();
        }
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(tracer.spans_sent(), static_cast<std::uint64_t>(kThreads * kSpans));
  }
  const auto lines = sender.lines();
  for (const char* operation : {"even", "odd"}) {
    const std::string base = std::string("tracing.derived.shop.web.") + operation + ".";
    double invocations = 0;
    for (const auto& line : lines_named(lines, "\xE2\x88\x86" + base + "invocation.count"))
      invocations += value_of(line);
    EXPECT_EQ(invocations, kThreads * kSpans / 2) << operation;
    double errors = 0;
    for (const auto& line : lines_named(lines, "\xE2\x88\x86" + base + "error.count"))
      errors += value_of(line);
    EXPECT_EQ(errors, std::string(operation) == "even" ? kThreads * kSpans / 10 : 0) << operation;
  }
  std::size_t spans = 0;
  for (const auto& line : lines)
    spans += (line.rfind("\"even\" ", 0) == 0 || line.rfind("\"odd\" ", 0) == 0) ? 1 : 0;
  EXPECT_EQ(spans, static_cast<std::size_t>(kThreads * kSpans));
}

TEST(TracerRedTest, ActiveSpanScopeMakesChildrenAndSpansCarryTheirTags) {
  RecordingSender sender;
  Tracer tracer(sender, shop("web"));
  std::string root_id;
  std::string trace_id;
  {
    Span root = tracer.start_span("root");
    root_id = uuid_string(root.context().span_id);
    trace_id = uuid_string(root.context().trace_id);
    EXPECT_EQ(tracer.active_span(), nullptr);
    const SpanScope scope = tracer.activate(root);
    EXPECT_EQ(tracer.active_span(), &root);
    Span child = tracer.start_span("child");
    EXPECT_EQ(child.context().trace_id, root.context().trace_id);
    EXPECT_EQ(child.parent_id(), root.context().span_id);
    child.set_tag("service", "override");
    child.log({{"event", "retry"}});
    Span other_root = tracer.start_root_span("separate");
    EXPECT_NE(other_root.context().trace_id, root.context().trace_id);
  }
  EXPECT_EQ(tracer.active_span(), nullptr);
  const auto lines = sender.lines();
  const auto child = std::find_if(lines.begin(), lines.end(),
                                  [](const std::string& line) { return line.rfind("\"child\" ", 0) == 0; });
  ASSERT_NE(child, lines.end()) << ::testing::PrintToString(lines);
  EXPECT_NE(child->find("traceId=" + trace_id), std::string::npos) << *child;
  EXPECT_NE(child->find("parent=" + root_id), std::string::npos) << *child;
  EXPECT_TRUE(has_tag(*child, "service", "override")) << *child;
  EXPECT_FALSE(has_tag(*child, "service", "web")) << *child;
  EXPECT_TRUE(has_tag(*child, "_spanLogs", "true")) << *child;
}

TEST(TracerRedTest, ManyTagsAndLongTextSpillOverCorrectly) {
  RecordingSender sender;
  Tracer tracer(sender, shop("web"));
  {
    Span span = tracer.start_span("wide");
    for (int index = 0; index < 30; ++index) {
      span.set_tag("key" + std::to_string(index), std::string(20, static_cast<char>('a' + index % 26)));
    }
    Span moved = std::move(span);
    EXPECT_TRUE(span.finished());  // NOLINT(bugprone-use-after-move): moved-from spans are finished
  }
  const auto lines = sender.lines();
  const auto wide = std::find_if(lines.begin(), lines.end(),
                                 [](const std::string& line) { return line.rfind("\"wide\" ", 0) == 0; });
  ASSERT_NE(wide, lines.end());
  for (int index = 0; index < 30; ++index) {
    EXPECT_TRUE(
        has_tag(*wide, "key" + std::to_string(index), std::string(20, static_cast<char>('a' + index % 26))))
        << index << " in " << *wide;
  }
}

}  // namespace
}  // namespace wavefront
