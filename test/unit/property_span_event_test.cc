// Property test of format_span (with span logs), format_event and format_event_json: random strings in
// every string argument, judged by the strict wire parser, the reference model and, for event JSON,
// nlohmann::json. See property_test.cc for metrics, delta counters and distributions.
#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/property_support.h"
#include "support/random_text.h"
#include "support/reference_sanitizer.h"
#include "support/wire_parser.h"
#include "wavefront/format.h"

namespace wavefront::testing {
namespace {

namespace ref = reference;

constexpr char kPrevious[] = "previous line\n";

struct RawLog {
  std::int64_t timestamp_us = 0;
  std::vector<RawTag> fields;
};

struct SpanCall {
  std::string name, source, trace_id, span_id;
  std::vector<std::string> parents, follows_from;
  std::vector<RawTag> tags;
  std::vector<RawLog> logs;
  std::int64_t start_ms = 0, duration_ms = 0;

  std::string show_call() const {
    std::string out = "format_span(span_out, logs_out, " + show(name) + ", " + std::to_string(start_ms) +
                      ", " + std::to_string(duration_ms) + ", " + show(source) + ", " + show(trace_id) +
                      ", " + show(span_id) + ", {";
    for (const auto& id : parents) out += show(id) + ", ";
    out += "}, {";
    for (const auto& id : follows_from) out += show(id) + ", ";
    out += "}, " + show_tags(tags) + ", {";
    for (const RawLog& log : logs)
      out += "{" + std::to_string(log.timestamp_us) + ", " + show_tags(log.fields) + "}, ";
    return out + "}, options)";
  }
};

struct ExpectedSpan {
  Expect expect;
  std::string line;       // the span line without its newline
  std::string logs_line;  // the span-logs JSON line without its newline, or empty
};

std::string expected_id(std::string_view id, Expect& expect) {
  const std::optional<std::string> canonical = ref::canonical_uuid(id);
  if (!canonical) expect.refuse(ErrorCode::invalid_id);
  return canonical.value_or("");
}

ExpectedSpan expected_span(const SpanCall& call, const Limits& limits) {
  ExpectedSpan result;
  Expect& expect = result.expect;
  const ref::LineValue name = ref::line_value(call.name, ErrorCode::invalid_name);
  if (!name.ok()) {
    expect.refuse(ErrorCode::invalid_name);
  } else if (ref::utf16_length(name.read_back) > limits.max_span_name_length) {
    expect.refuse(ErrorCode::span_name_too_long);
  }
  const ref::LineValue source = expected_source(call.source, limits.max_source_length, expect);
  const std::string trace_id = expected_id(call.trace_id, expect);
  const std::string span_id = expected_id(call.span_id, expect);
  std::string& line = result.line;
  line = "\"" + name.wire + "\" source=\"" + source.wire + "\" traceId=" + trace_id + " spanId=" + span_id;
  for (const auto& id : call.parents) line += " parent=" + expected_id(id, expect);
  for (const auto& id : call.follows_from) line += " followsFrom=" + expected_id(id, expect);
  for (const RawTag& tag : call.tags) {
    const ref::Outcome key = ref::sanitize_name(tag.key, ErrorCode::invalid_tag_key);
    const bool digits = key.text.find_first_not_of("0123456789") == std::string::npos;
    const bool reserved = key.text == "source" || key.text == "host" || key.text == "traceId" ||
                          key.text == "spanId" || key.text == "parent" || key.text == "followsFrom";
    if (!key.ok() || digits || reserved) {
      expect.refuse(ErrorCode::invalid_tag_key);
    } else if (key.text == "tag" || key.text == "_spanLogs") {
      expect.maybe(ErrorCode::invalid_tag_key);  // reserved for points; for spans the spec is unclear
    } else if (ref::utf16_length(key.text) > limits.max_span_tag_key_length) {
      expect.refuse(ErrorCode::tag_key_too_long);
    }
    const ref::LineValue value = ref::line_value(tag.value, ErrorCode::invalid_tag_value);
    if (!value.ok()) {
      expect.refuse(ErrorCode::invalid_tag_value);
    } else if (ref::utf16_length(value.read_back) > limits.max_span_tag_value_length) {
      expect.refuse(ErrorCode::tag_value_too_long);
    }
    line += " \"" + key.text + "\"=\"" + value.wire + "\"";
  }
  const std::size_t annotations =
      call.tags.size() + call.parents.size() + call.follows_from.size() + (call.logs.empty() ? 0 : 1);
  if (annotations > limits.max_span_annotations) expect.refuse(ErrorCode::too_many_tags);
  if (!call.logs.empty()) line += " \"_spanLogs\"=\"true\"";
  if (call.start_ms <= 0) expect.refuse(ErrorCode::invalid_timestamp);
  if (call.duration_ms < 0) expect.maybe(ErrorCode::invalid_timestamp);  // the spec does not say
  // A duration that is not below the start would be read by the proxy as an end time.
  if (call.start_ms > 0 && call.duration_ms >= call.start_ms) expect.maybe(ErrorCode::invalid_timestamp);
  line += " " + std::to_string(call.start_ms) + " " + std::to_string(call.duration_ms);
  if (call.logs.empty()) return result;

  std::string& json = result.logs_line;
  json = "{\"traceId\":\"" + trace_id + "\",\"spanId\":\"" + span_id + "\",\"logs\":[";
  for (std::size_t i = 0; i < call.logs.size(); ++i) {
    const RawLog& log = call.logs[i];
    if (log.timestamp_us <= 0) expect.refuse(ErrorCode::invalid_timestamp);
    json += std::string(i == 0 ? "" : ",") + "{\"timestamp\":" + std::to_string(log.timestamp_us) +
            ",\"fields\":{";
    for (std::size_t k = 0; k < log.fields.size(); ++k) {
      const RawTag& field = log.fields[k];
      if (!ref::decode_utf8(field.key)) expect.refuse(ErrorCode::invalid_tag_key);
      if (!ref::decode_utf8(field.value)) expect.refuse(ErrorCode::invalid_tag_value);
      json += std::string(k == 0 ? "" : ",") + "\"" + ref::json_escape(field.key) + "\":\"" +
              ref::json_escape(field.value) + "\"";
    }
    json += "}}";
  }
  json += "],\"span\":\"" + ref::json_escape(line) + "\"}";
  if (ref::utf16_length(json) > limits.max_span_logs_line_length)
    expect.refuse(ErrorCode::span_logs_too_long);
  return result;
}

SpanCall random_span(RandomText& random, const Limits& limits) {
  static const std::vector<std::string> kKeySpecials = {
      "source",    "host", "traceId", "spanId", "parent",      "followsFrom",  "tag",
      "_spanLogs", "123",  "0",       "1a",     "application", "\xE2\x88\x86", "~"};
  SpanCall call;
  call.name = random.text(limits.max_span_name_length, {"traceId=x", "\\", "a\\\n"}, false);
  call.source = random.text(limits.max_source_length, {}, false);
  call.trace_id = random.uuid();
  call.span_id = random.uuid();
  for (std::size_t i = random.below(3); i > 0; --i) call.parents.push_back(random.uuid());
  for (std::size_t i = random.below(2); i > 0; --i) call.follows_from.push_back(random.uuid());
  if (random.chance(0.03)) {  // around the annotation limit
    const std::size_t count = limits.max_span_annotations - 2 + random.below(3);
    for (std::size_t i = 0; i < count; ++i)
      call.tags.push_back({"k" + std::to_string(i % 7), random.clean(3)});
  } else {
    for (std::size_t i = random.below(5); i > 0; --i) {
      call.tags.push_back({random.text(limits.max_span_tag_key_length, kKeySpecials, true),
                           random.text(limits.max_span_tag_value_length, {}, false)});
      if (call.tags.size() > 1 && random.chance(0.1)) call.tags.back().key = call.tags.front().key;
    }
  }
  if (random.chance(0.4)) {
    for (std::size_t i = 1 + random.below(3); i > 0; --i) {
      RawLog log;
      log.timestamp_us = random.chance(0.02) ? -random.between(0, 5) : random.between(1, 1800000000000000);
      for (std::size_t k = random.below(4); k > 0; --k) {
        log.fields.push_back({random.text(0, {""}, false), random.text(0, {"\\", "\\u0041"}, false)});
      }
      call.logs.push_back(std::move(log));
    }
  }
  call.start_ms = random.chance(0.03) ? -random.between(-1, 1000) : random.between(1, 1800000000000);
  call.duration_ms = random.chance(0.02) ? -random.between(1, 10) : random.between(0, 100000);
  return call;
}

TEST(FormatProperty, SpanAndSpanLogs) {
  RandomText random(0x5EED0004);
  const FormatOptions customer = test_options(false), small = test_options(true);
  Failures failures;
  for (int i = 0; i < 6000; ++i) {
    const FormatOptions& options = i % 4 == 3 ? small : customer;
    const Limits& limits = options.limits;
    SpanCall call = random_span(random, limits);
    ExpectedSpan expected = expected_span(call, limits);
    if (!expected.logs_line.empty() && random.chance(0.05)) {  // a span-logs line near its length limit
      call.logs.back().fields.push_back({"filler", ""});
      const std::size_t base = ref::utf16_length(expected_span(call, limits).logs_line);
      const std::size_t target = limits.max_span_logs_line_length - 2 + random.below(5);
      if (base < target) call.logs.back().fields.back().value.assign(target - base, 'x');
      expected = expected_span(call, limits);
    }
    const std::vector<Tag> tags = tag_views(call.tags);
    std::vector<std::vector<Tag>> fields;
    for (const RawLog& log : call.logs) fields.push_back(tag_views(log.fields));
    std::vector<SpanLog> logs;
    for (std::size_t k = 0; k < call.logs.size(); ++k) {
      logs.emplace_back(call.logs[k].timestamp_us, TagList(fields[k].data(), fields[k].size()));
    }
    const std::vector<std::string_view> parents(call.parents.begin(), call.parents.end());
    const std::vector<std::string_view> follows(call.follows_from.begin(), call.follows_from.end());
    const std::string shown = call.show_call() + " with " + show_options(options);

    std::string span_out = kPrevious;
    std::string logs_out = kPrevious;
    const Status status = format_span(
        span_out, logs_out, call.name, call.start_ms, call.duration_ms, call.source, call.trace_id,
        call.span_id, Strings(parents.data(), parents.size()), Strings(follows.data(), follows.size()),
        TagList(tags.data(), tags.size()), SpanLogs(logs.data(), logs.size()), options);
    if (!judge(status, expected.expect, span_out == kPrevious && logs_out == kPrevious, shown, failures))
      continue;
    if (span_out.rfind(kPrevious, 0) != 0 || logs_out.rfind(kPrevious, 0) != 0) {
      failures.add(shown, "earlier output was modified");
      continue;
    }
    const std::string span_text = span_out.substr(std::strlen(kPrevious));
    const std::string logs_text = logs_out.substr(std::strlen(kPrevious));
    const auto spans = parse_wire_lines(span_text, LineKind::span);
    if (!spans.ok() || spans->size() != 1) {
      failures.add(shown,
                   "span output " + show(span_text) + " refused by the strict parser: " + spans.error());
      continue;
    }
    if (span_text != expected.line + "\n") {
      failures.add(shown, "span line " + show(span_text) + "\n  reference    " + show(expected.line + "\n"));
    }
    if (expected.logs_line.empty()) {
      if (!logs_text.empty()) failures.add(shown, "span-logs output without logs: " + show(logs_text));
      continue;
    }
    const auto logs_lines = parse_wire_lines(logs_text, LineKind::span_logs);
    if (!logs_lines.ok() || logs_lines->size() != 1) {
      failures.add(shown, "span-logs output " + show(logs_text) + " refused: " + logs_lines.error());
      continue;
    }
    if (logs_text != expected.logs_line + "\n") {
      failures.add(shown, "span-logs line " + show(logs_text) + "\n  reference " + show(expected.logs_line));
    }
    if ((*logs_lines)[0].span_logs().span_text + "\n" != span_text) {
      failures.add(shown, "the span-logs line embeds another span line");
    }
  }
  EXPECT_EQ(failures.count(), 0);
  std::printf("%s\n", failures.summary().c_str());
}

struct EventCall {
  std::string name, source;
  std::int64_t start_ms = 0, end_ms = 0;
  std::vector<RawTag> annotations;
  std::vector<std::string> tags;

  std::string show_call(const char* function) const {
    std::string out = std::string(function) + "(out, " + show(name) + ", " + std::to_string(start_ms) + ", " +
                      std::to_string(end_ms) + ", " + show(source) + ", " + show_tags(annotations) + ", {";
    for (const auto& tag : tags) out += show(tag) + ", ";
    return out + "}, options)";
  }
};

EventCall random_event(RandomText& random) {
  static const std::vector<std::string> kKeySpecials = {"host",     "tag",          "source",
                                                        "severity", "\xE2\x88\x86", "~"};
  EventCall call;
  call.name = random.text(300, {"@Event", "\\"}, false);
  call.source = random.text(0, {}, false);
  call.start_ms = random.chance(0.03) ? -random.between(-1, 1000) : random.between(1, 1800000000000);
  const std::size_t roll = random.below(10);
  call.end_ms = roll < 3   ? 0
                : roll < 5 ? call.start_ms - random.between(0, 1000)
                           : call.start_ms + random.between(1, 1000000);
  for (std::size_t i = random.below(4); i > 0; --i) {
    call.annotations.push_back({random.text(0, kKeySpecials, true), random.text(300, {}, false)});
    if (call.annotations.size() > 1 && random.chance(0.1))
      call.annotations.back().key = call.annotations[0].key;
  }
  for (std::size_t i = random.below(4); i > 0; --i) call.tags.push_back(random.text(0, {}, false));
  return call;
}

struct ExpectedEvent {
  Expect expect;
  EventLine line;            // as the proxy reads it back (annotations deduplicated, survivor last)
  KeyValues first_position;  // the same annotations, survivor where the key first appeared
  nlohmann::json json;
};

ExpectedEvent expected_event(const EventCall& call) {
  ExpectedEvent result;
  Expect& expect = result.expect;
  const ref::LineValue name = ref::line_value(call.name, ErrorCode::invalid_name);
  if (!name.ok()) expect.refuse(ErrorCode::invalid_name);
  if (call.start_ms <= 0) expect.refuse(ErrorCode::invalid_timestamp);
  result.line.start_ms = call.start_ms;
  result.line.end_ms = call.end_ms <= call.start_ms ? call.start_ms + 1 : call.end_ms;
  result.line.name = name.read_back;
  ref::LineValue host = ref::line_value(call.source, ErrorCode::invalid_source);
  ref::Outcome json_host = ref::json_value(call.source, ErrorCode::invalid_source);
  if (host.blank) {
    host = ref::line_value(kDefaultSource, ErrorCode::invalid_source);
    json_host = ref::json_value(kDefaultSource, ErrorCode::invalid_source);
  }
  if (!host.ok()) expect.refuse(ErrorCode::invalid_source);
  result.line.host = host.read_back;
  nlohmann::json annotations = nlohmann::json::object();
  KeyValues all;
  for (const RawTag& annotation : call.annotations) {
    const ref::Outcome key = ref::sanitize_name(annotation.key, ErrorCode::invalid_tag_key);
    if (!key.ok() || key.text == "host" || key.text == "tag") expect.refuse(ErrorCode::invalid_tag_key);
    const ref::LineValue value = ref::line_value(annotation.value, ErrorCode::invalid_tag_value);
    if (!value.ok()) expect.refuse(ErrorCode::invalid_tag_value);
    all.emplace_back(key.text, value.read_back);
    if (key.ok() && value.ok()) annotations[key.text] = ref::json_value(annotation.value, ErrorCode::ok).text;
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    bool earlier = false, later = false;
    std::string last = all[i].second;
    for (std::size_t j = 0; j < all.size(); ++j) {
      if (all[j].first != all[i].first) continue;
      if (j < i) earlier = true;
      if (j > i) later = true, last = all[j].second;
    }
    if (!later) result.line.annotations.push_back(all[i]);
    if (!earlier) result.first_position.emplace_back(all[i].first, last);
  }
  nlohmann::json tags = nlohmann::json::array();
  for (const std::string& tag : call.tags) {
    const ref::LineValue value = ref::line_value(tag, ErrorCode::invalid_tag_value);
    if (!value.ok()) expect.refuse(ErrorCode::invalid_tag_value);
    result.line.tags.push_back(value.read_back);
    tags.push_back(ref::json_value(tag, ErrorCode::ok).text);
  }
  if (expect.must_succeed()) {
    result.json = {{"name", ref::json_value(call.name, ErrorCode::ok).text},
                   {"annotations", annotations},
                   {"hosts", nlohmann::json::array({json_host.text})},
                   {"tags", tags},
                   {"startTime", result.line.start_ms},
                   {"endTime", result.line.end_ms}};
  }
  return result;
}

void compare_event_line(const EventLine& actual, const ExpectedEvent& expected, const std::string& call,
                        Failures& failures) {
  const EventLine& want = expected.line;
  if (actual.start_ms != want.start_ms || actual.end_ms != want.end_ms)
    failures.add(call, "event times differ");
  if (actual.name != want.name)
    failures.add(call, "name " + show(actual.name) + ", expected " + show(want.name));
  if (actual.annotations != want.annotations && actual.annotations != expected.first_position) {
    failures.add(call, "annotations differ from the reference");
  }
  if (actual.host != want.host)
    failures.add(call, "host " + show(actual.host) + ", expected " + show(want.host));
  if (actual.tags != want.tags) failures.add(call, "event tags differ from the reference");
}

TEST(FormatProperty, EventLineAndJson) {
  RandomText random(0x5EED0005);
  const FormatOptions options = test_options(false);
  Failures failures;
  for (int i = 0; i < 4000; ++i) {
    const EventCall call = random_event(random);
    const ExpectedEvent expected = expected_event(call);
    const std::vector<Tag> annotations = tag_views(call.annotations);
    const std::vector<std::string_view> tags(call.tags.begin(), call.tags.end());
    for (const bool json : {false, true}) {
      const std::string shown = call.show_call(json ? "format_event_json" : "format_event");
      std::string out = kPrevious;
      const Status status = (json ? format_event_json : format_event)(
          out, call.name, call.start_ms, call.end_ms, call.source,
          TagList(annotations.data(), annotations.size()), Strings(tags.data(), tags.size()), options);
      if (!judge(status, expected.expect, out == kPrevious, shown, failures)) continue;
      const std::string appended = out.substr(std::strlen(kPrevious));
      if (!json) {
        const auto lines = parse_wire_lines(appended, LineKind::event);
        if (!lines.ok() || lines->size() != 1) {
          failures.add(shown, "output " + show(appended) + " refused by the strict parser: " + lines.error());
        } else {
          compare_event_line((*lines)[0].event(), expected, shown, failures);
        }
        continue;
      }
      if (appended.empty() || appended.back() != '}') failures.add(shown, "JSON body does not end in '}'");
      const nlohmann::json parsed = nlohmann::json::parse(appended, nullptr, false);
      if (parsed.is_discarded()) {
        failures.add(shown, "invalid JSON " + show(appended));
      } else if (parsed != expected.json) {
        failures.add(shown, "JSON " + show(appended) + "\n  reference " + show(expected.json.dump()));
      }
    }
  }
  EXPECT_EQ(failures.count(), 0);
  std::printf("%s\n", failures.summary().c_str());
}

}  // namespace
}  // namespace wavefront::testing
