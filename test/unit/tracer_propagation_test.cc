// Propagation: W3C Trace Context, B3 single and multi-header, baggage, malformed input; UUID mapping.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "wavefront/trace_context.h"

namespace wavefront {
namespace {

SpanContext sample_context(bool wide_trace) {
  SpanContext context;
  context.trace_id =
      wide_trace ? Id128{0x4bf92f3577b34da6ULL, 0xa3ce929d0e0e4736ULL} : Id128{0, 0x463ac35c9f6413adULL};
  context.span_id = Id128{0, 0x00f067aa0ba902b7ULL};
  context.sampling = SamplingDecision::keep;
  context.baggage = {{"user", "alice smith"}, {"tenant", "a,b;c=d%"}};
  return context;
}

void expect_same(const SpanContext& expected, const SpanContext& actual) {
  EXPECT_EQ(expected.trace_id, actual.trace_id);
  EXPECT_EQ(expected.span_id, actual.span_id);
  EXPECT_EQ(expected.sampling, actual.sampling);
  EXPECT_EQ(expected.debug, actual.debug);
  EXPECT_EQ(expected.baggage, actual.baggage);
}

TEST(TracerPropagationTest, UuidTextRoundTrips) {
  const Id128 id{0x4bf92f3577b34da6ULL, 0xa3ce929d0e0e4736ULL};
  EXPECT_EQ(uuid_string(id), "4bf92f35-77b3-4da6-a3ce-929d0e0e4736");
  Id128 parsed;
  ASSERT_TRUE(parse_uuid("4BF92F35-77B3-4DA6-A3CE-929D0E0E4736", parsed));
  EXPECT_EQ(parsed, id);
  EXPECT_FALSE(parse_uuid("4bf92f35-77b3-4da6-a3ce-929d0e0e473", parsed));
  EXPECT_FALSE(parse_uuid("4bf92f35x77b3-4da6-a3ce-929d0e0e4736", parsed));
  EXPECT_EQ(uuid_string(Id128{0, 0x00f067aa0ba902b7ULL}), "00000000-0000-0000-00f0-67aa0ba902b7");
}

TEST(TracerPropagationTest, RandomIdsAreNonZeroAndDistinct) {
  const Id128 first = random_id(64);
  const Id128 second = random_id(64);
  EXPECT_EQ(first.high, 0U);
  EXPECT_NE(first.low, 0U);
  EXPECT_NE(first, second);
  const Id128 wide = random_id(128);
  EXPECT_FALSE(wide.empty());
}

TEST(TracerPropagationTest, W3cInjectWritesTheSpecFormat) {
  HeaderMap headers;
  inject_context(sample_context(true), PropagationFormat::w3c, headers);
  EXPECT_EQ(headers.get("traceparent"), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_EQ(headers.get("baggage"), "user=alice%20smith,tenant=a%2Cb%3Bc=d%25");
}

TEST(TracerPropagationTest, W3cRoundTrip) {
  for (const SamplingDecision sampling : {SamplingDecision::keep, SamplingDecision::drop}) {
    SpanContext context = sample_context(true);
    context.sampling = sampling;
    context.tracestate = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";
    HeaderMap headers;
    inject_context(context, PropagationFormat::w3c, headers);
    const SpanContext extracted = extract_context(headers);
    expect_same(context, extracted);
    EXPECT_EQ(extracted.tracestate, context.tracestate);
  }
}

TEST(TracerPropagationTest, W3cHeaderNamesAreCaseInsensitive) {
  HeaderMap headers({{"TraceParent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"}});
  const SpanContext context = extract_context(headers);
  ASSERT_TRUE(context.valid());
  EXPECT_EQ(context.sampling, SamplingDecision::drop);
  EXPECT_EQ(uuid_string(context.trace_id), "4bf92f35-77b3-4da6-a3ce-929d0e0e4736");
}

TEST(TracerPropagationTest, W3cFutureVersionIsReadAsVersionZero) {
  HeaderMap headers(
      {{"traceparent", "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds"}});
  EXPECT_TRUE(extract_context(headers).valid());
}

TEST(TracerPropagationTest, B3SingleRoundTripBothIdWidths) {
  for (const bool wide : {true, false}) {
    const SpanContext context = sample_context(wide);
    HeaderMap headers;
    inject_context(context, PropagationFormat::b3_single, headers);
    EXPECT_EQ(headers.get("b3"), wide ? "4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1"
                                      : "463ac35c9f6413ad-00f067aa0ba902b7-1");
    expect_same(context, extract_context(headers));
  }
}

TEST(TracerPropagationTest, B3SingleReadsDebugAndParent) {
  HeaderMap headers({{"b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-d-05e3ac9a4f6e3b90"}});
  const SpanContext context = extract_context(headers);
  ASSERT_TRUE(context.valid());
  EXPECT_TRUE(context.debug);
  EXPECT_EQ(context.sampling, SamplingDecision::keep);
  EXPECT_EQ(context.span_id, (Id128{0, 0xe457b5a2e4d86bd1ULL}));
}

TEST(TracerPropagationTest, B3SingleDenyOnlyCarriesTheDecision) {
  HeaderMap headers({{"b3", "0"}});
  const SpanContext context = extract_context(headers);
  EXPECT_FALSE(context.valid());
  EXPECT_EQ(context.sampling, SamplingDecision::drop);
}

TEST(TracerPropagationTest, B3MultiRoundTripBothIdWidths) {
  for (const bool wide : {true, false}) {
    for (const SamplingDecision sampling : {SamplingDecision::keep, SamplingDecision::drop}) {
      SpanContext context = sample_context(wide);
      context.sampling = sampling;
      HeaderMap headers;
      inject_context(context, PropagationFormat::b3_multi, headers);
      EXPECT_EQ(headers.get("x-b3-sampled"), sampling == SamplingDecision::keep ? "1" : "0");
      expect_same(context, extract_context(headers));
    }
  }
  SpanContext debug = sample_context(true);
  debug.debug = true;
  HeaderMap headers;
  inject_context(debug, PropagationFormat::b3_multi, headers);
  EXPECT_EQ(headers.get("X-B3-Flags"), "1");
  expect_same(debug, extract_context(headers));
}

TEST(TracerPropagationTest, B3MultiAcceptsUpperCaseHex) {
  HeaderMap headers(
      {{"X-B3-TraceId", "463AC35C9F6413AD"}, {"X-B3-SpanId", "A2FB4A1D1A96D312"}, {"X-B3-Sampled", "1"}});
  const SpanContext context = extract_context(headers);
  ASSERT_TRUE(context.valid());
  EXPECT_EQ(context.trace_id, (Id128{0, 0x463ac35c9f6413adULL}));
}

TEST(TracerPropagationTest, MalformedHeadersGiveAnInvalidContext) {
  const std::vector<std::vector<std::pair<std::string, std::string>>> cases = {
      {{"traceparent", ""}},
      {{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"}},        // no flags
      {{"traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"}},     // upper case
      {{"traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"}},     // zero trace id
      {{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"}},     // zero span id
      {{"traceparent", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}},     // version ff
      {{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xx"}},  // 00 with extra
      {{"traceparent", "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01"}},
      {{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01"}},
      {{"traceparent", std::string(4096, '-')}},
      {{"b3", "463ac35c9f6413ad"}},
      {{"b3", "463ac35c9f6413ad-"}},
      {{"b3", "463ac35c9f6413ad-a2fb4a1d1a96d31-1"}},
      {{"b3", "463ac35c9f6413ad-a2fb4a1d1a96d312-x"}},
      {{"b3", "463ac35c9f6413ad-a2fb4a1d1a96d312-1-05e3ac9a4f6e3b9"}},
      {{"b3", "463ac35c9f6413ad-a2fb4a1d1a96d312-1-05e3ac9a4f6e3b90-extra"}},
      {{"b3", "463ac35c9f6413ad463ac35c9f6413ad1-a2fb4a1d1a96d312"}},
      {{"X-B3-TraceId", "463ac35c9f6413ad"}},
      {{"X-B3-TraceId", "463ac35c9f6413a"}, {"X-B3-SpanId", "a2fb4a1d1a96d312"}},
      {{"X-B3-TraceId", "463ac35c9f6413ad"}, {"X-B3-SpanId", "a2fb4a1d1a96d3123"}},
      {{"X-B3-TraceId", "zz3ac35c9f6413ad"}, {"X-B3-SpanId", "a2fb4a1d1a96d312"}},
  };
  for (const auto& items : cases) {
    HeaderMap headers(items);
    const SpanContext context = extract_context(headers);
    EXPECT_FALSE(context.valid()) << items.front().first << ": " << items.front().second;
  }
}

TEST(TracerPropagationTest, MalformedBaggageMembersAreSkipped) {
  HeaderMap headers({{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                     {"baggage", "good=1, bad key=2,noequals,pct=%zz,props=v;p=1 , enc=%41%42"}});
  const SpanContext context = extract_context(headers);
  ASSERT_TRUE(context.valid());
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"good", "1"}, {"props", "v"}, {"enc", "AB"}};
  EXPECT_EQ(context.baggage, expected);
  HeaderMap huge({{"baggage", "k=" + std::string(9000, 'v')}});
  EXPECT_TRUE(extract_context(huge).baggage.empty());
}

// Random and mutated headers: extraction never crashes, and whatever it accepts round-trips exactly.
TEST(TracerPropagationTest, RandomHeadersEitherFailOrRoundTrip) {
  std::mt19937_64 random(20261207);
  const std::string alphabet = "0123456789abcdefABCDEF-dx ,;=%";
  const std::vector<std::string> seeds = {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                                          "463ac35c9f6413ad-a2fb4a1d1a96d312-1-05e3ac9a4f6e3b90",
                                          "user=alice%20smith,tenant=a%2Cb"};
  const char* names[] = {"traceparent", "b3", "baggage"};
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    const std::size_t which = round % 3;
    std::string value = seeds[which];
    const int edits = static_cast<int>(random() % 4);
    for (int edit = 0; edit < edits && !value.empty(); ++edit) {
      value[random() % value.size()] = alphabet[random() % alphabet.size()];
    }
    if (random() % 8 == 0) value.resize(random() % (value.size() + 1));
    HeaderMap headers({{names[which], value}});
    if (which == 2) headers.set("traceparent", seeds[0]);  // baggage travels with a trace
    const SpanContext context = extract_context(headers);
    if (!context.valid()) continue;
    ++accepted;
    for (const PropagationFormat format :
         {PropagationFormat::w3c, PropagationFormat::b3_single, PropagationFormat::b3_multi}) {
      HeaderMap again;
      inject_context(context, format, again);
      const SpanContext round_trip = extract_context(again);
      EXPECT_EQ(round_trip.trace_id, context.trace_id) << value;
      EXPECT_EQ(round_trip.span_id, context.span_id) << value;
      EXPECT_EQ(round_trip.baggage, context.baggage) << value;
      if (format != PropagationFormat::w3c) {
        EXPECT_EQ(round_trip.sampling, context.sampling) << value;
      } else {  // W3C has one sampled bit: keep or drop
        EXPECT_EQ(round_trip.sampling == SamplingDecision::keep,
                  context.sampling == SamplingDecision::keep || context.debug)
            << value;
      }
    }
  }
  EXPECT_GT(accepted, 1000);  // the unmutated and harmlessly mutated seeds
}

TEST(TracerPropagationTest, InvalidContextInjectsNothing) {
  HeaderMap headers;
  inject_context(SpanContext(), PropagationFormat::w3c, headers);
  EXPECT_TRUE(headers.items().empty());
}

}  // namespace
}  // namespace wavefront
