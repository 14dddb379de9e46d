// Sampling: determinism across tracers, head and late samplers, error spans always kept, sampled-out
// spans never sent but still counted.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "support/recording_sender.h"
#include "wavefront/tracer.h"

namespace wavefront {
namespace {

using testing::RecordingSender;

ApplicationTags shop(std::string service) {
  ApplicationTags tags;
  tags.application = "shop";
  tags.service = std::move(service);
  return tags;
}

std::size_t count_spans(const std::vector<std::string>& lines, std::string_view operation) {
  const std::string prefix = std::string(operation) + " ";
  const std::string quoted = "\"" + std::string(operation) + "\" ";
  return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [&](const std::string& line) {
    return line.rfind(prefix, 0) == 0 || line.rfind(quoted, 0) == 0;
  }));
}

TEST(TracerSamplingTest, RateSamplerMatchesJavaArithmetic) {
  const RateSampler ten_percent(0.1);  // boundary 1000
  EXPECT_TRUE(ten_percent.sample("op", 1000, 0));
  EXPECT_FALSE(ten_percent.sample("op", 1001, 0));
  EXPECT_TRUE(ten_percent.sample("op", 20999, 0));
  // Negative as a Java long: -1001 % 10000 == -1001, abs 1001.
  EXPECT_FALSE(ten_percent.sample("op", static_cast<std::uint64_t>(-1001), 0));
  EXPECT_TRUE(ten_percent.sample("op", static_cast<std::uint64_t>(-999), 0));
  const RateSampler none(0.0);  // Java keeps remainder 0 even at rate 0
  EXPECT_TRUE(none.sample("op", 10000, 0));
  EXPECT_FALSE(none.sample("op", 10001, 0));
}

TEST(TracerSamplingTest, SameDecisionInEveryTracerOfATrace) {
  RecordingSender sender_a;
  RecordingSender sender_b;
  TracerConfig config;
  config.sampler = std::make_shared<RateSampler>(0.3);
  Tracer front(sender_a, shop("front"), config);
  TracerConfig other = config;
  other.inject_format = PropagationFormat::b3_single;
  Tracer back(sender_b, shop("back"), other);
  int kept = 0;
  for (int trace = 0; trace < 400; ++trace) {
    Span root = front.start_span("request");
    HeaderMap headers;
    front.inject(root.context(), headers);
    Span remote = back.start_span("handle", back.extract(headers));
    EXPECT_EQ(remote.context().trace_id, root.context().trace_id);
    EXPECT_EQ(remote.sampled(), root.sampled());
    // A third tracer deciding on its own, from the id alone, agrees too.
    const bool fresh = RateSampler(0.3).sample("x", root.context().trace_id.low, 0);
    EXPECT_EQ(fresh, root.sampled());
    kept += root.sampled() ? 1 : 0;
  }
  EXPECT_GT(kept, 60);  // about 120 expected
  EXPECT_LT(kept, 200);
}

TEST(TracerSamplingTest, SampledOutSpansNeverReachTheSenderButAreCounted) {
  RecordingSender sender;
  TracerConfig config;
  config.sampler = std::make_shared<ConstantSampler>(false);
  {
    Tracer tracer(sender, shop("web"), config);
    for (int index = 0; index < 25; ++index) {
      Span span = tracer.start_span("quiet");
      span.set_tag("k", "v");
    }
    EXPECT_EQ(tracer.spans_sent(), 0U);
    EXPECT_EQ(tracer.spans_discarded(), 25U);
  }
  const auto lines = sender.lines();
  EXPECT_EQ(count_spans(lines, "quiet"), 0U);
  const auto invocation = std::find_if(lines.begin(), lines.end(), [](const std::string& line) {
    return line.find("tracing.derived.shop.web.quiet.invocation.count\" 25 ") != std::string::npos;
  });
  EXPECT_NE(invocation, lines.end());
}

TEST(TracerSamplingTest, ErrorSpansAreAlwaysKept) {
  RecordingSender sender;
  TracerConfig config;
  config.sampler = std::make_shared<ConstantSampler>(false);
  Tracer tracer(sender, shop("web"), config);
  {
    Span parent = tracer.start_span("parent");
    EXPECT_FALSE(parent.sampled());
    Span failing = tracer.start_span("failing", parent.context());
    failing.set_error();
    EXPECT_TRUE(failing.sampled());
    Span by_tag = tracer.start_span("by-tag");
    by_tag.set_tag("error", "true");
  }
  const auto lines = sender.lines();
  EXPECT_EQ(count_spans(lines, "failing"), 1U);
  EXPECT_EQ(count_spans(lines, "by-tag"), 1U);
  EXPECT_EQ(count_spans(lines, "parent"), 0U);
}

TEST(TracerSamplingTest, DurationSamplerKeepsLongSpans) {
  RecordingSender sender;
  TracerConfig config;
  config.sampler = std::make_shared<DurationSampler>(std::chrono::milliseconds(5));
  Tracer tracer(sender, shop("web"), config);
  {
    Span quick = tracer.start_span("quick");
    EXPECT_FALSE(quick.sampled());  // the head decision waits for the late sampler
  }
  {
    Span slow = tracer.start_span("slow");
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(7);
    while (std::chrono::steady_clock::now() < until) {
    }  // busy work: the span's duration is what is under test
  }
  const auto lines = sender.lines();
  EXPECT_EQ(count_spans(lines, "quick"), 0U);
  EXPECT_EQ(count_spans(lines, "slow"), 1U);
}

TEST(TracerSamplingTest, CompositeKeepsWhatAnyKeeps) {
  const CompositeSampler composite({std::make_shared<RateSampler>(0.0),
                                    std::make_shared<DurationSampler>(std::chrono::milliseconds(100))});
  EXPECT_FALSE(composite.early());
  EXPECT_TRUE(composite.sample("op", 10000, 0));    // the rate sampler's id
  EXPECT_FALSE(composite.sample("op", 10001, 50));  // neither
  EXPECT_TRUE(composite.sample("op", 10001, 101));  // the duration
  const CompositeSampler rates({std::make_shared<RateSampler>(0.1), std::make_shared<RateSampler>(0.2)});
  EXPECT_TRUE(rates.early());
}

TEST(TracerSamplingTest, DebugAndPriorityOverrideTheSampler) {
  RecordingSender sender;
  TracerConfig config;
  config.sampler = std::make_shared<ConstantSampler>(true);
  Tracer tracer(sender, shop("web"), config);
  {
    Span dropped = tracer.start_span("priority-zero");
    dropped.set_tag("sampling.priority", "0");
    Span debug = tracer.start_span("debug-root", [] {
      SpanContext context;
      context.sampling = SamplingDecision::drop;
      return context;
    }());
    EXPECT_FALSE(debug.sampled());
    debug.set_tag("debug", "true");
  }
  const auto lines = sender.lines();
  EXPECT_EQ(count_spans(lines, "priority-zero"), 0U);
  EXPECT_EQ(count_spans(lines, "debug-root"), 1U);
}

}  // namespace
}  // namespace wavefront
