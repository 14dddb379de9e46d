// Property test of the format functions: random strings (control characters, quotes, backslashes,
// multi-byte and invalid UTF-8, lengths near the limits) go into every string argument of every format
// function. Accepted calls must append exactly the expected lines, each passing the strict wire parser
// with every field equal to what the reference model (support/reference_sanitizer.h) predicts; refused
// calls must leave the output alone and return an error code the reference predicts. Deterministic seeds.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
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

Timestamp random_timestamp(RandomText& random) {
  const std::size_t roll = random.below(100);
  if (roll < 30) return std::nullopt;
  if (roll < 33) return 0;
  if (roll < 35) return -random.between(1, 1000000);
  if (roll < 36) return random.chance(0.5) ? 1 : std::numeric_limits<std::int64_t>::max();
  return random.between(1600000000, 1800000000);
}

std::string show_timestamp(Timestamp timestamp) {
  return timestamp ? std::to_string(timestamp.count()) : std::string("std::nullopt");
}

std::string show_double(double value) {
  if (std::isnan(value)) return "NaN";
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

bool same_double(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// The lines appended after kPrevious, parsed strictly as `kind`; reports a failure and returns nullopt
// when they do not parse or are not `count` lines.
std::optional<std::vector<WireLine>> appended_lines(const std::string& out, LineKind kind, std::size_t count,
                                                    const std::string& call, Failures& failures) {
  if (out.compare(0, std::strlen(kPrevious), kPrevious) != 0) {
    failures.add(call, "earlier output was modified");
    return std::nullopt;
  }
  const std::string appended = out.substr(std::strlen(kPrevious));
  ParseResult<std::vector<WireLine>> lines = parse_wire_lines(appended, kind);
  if (!lines.ok()) {
    failures.add(call, "output " + show(appended) + " refused by the strict parser: " + lines.error());
    return std::nullopt;
  }
  if (lines->size() != count) {
    failures.add(call, "expected " + std::to_string(count) + " line(s), got " + show(appended));
    return std::nullopt;
  }
  return *lines;
}

// Name rules shared by metrics, delta counters and distributions.
std::string expected_name(std::string_view raw, const Limits& limits, Expect& expect) {
  const ref::Outcome name = ref::sanitize_name(raw, ErrorCode::invalid_name);
  if (!name.ok()) {
    expect.refuse(ErrorCode::invalid_name);
  } else if (ref::utf16_length(name.text) > limits.max_name_length) {
    expect.refuse(ErrorCode::name_too_long);
  }
  return name.text;
}

bool starts_with_delta(std::string_view text) {
  return text.rfind("\xE2\x88\x86", 0) == 0 || text.rfind("\xCE\x94", 0) == 0;
}

void compare_point_tags(const KeyValues& actual, const ExpectedPointTags& expected, const std::string& call,
                        Failures& failures) {
  if (actual != expected.at_first && actual != expected.at_last) {
    std::string got;
    for (const auto& [key, value] : actual) got += show(key) + "=" + show(value) + " ";
    std::string want;
    for (const auto& [key, value] : expected.at_last) want += show(key) + "=" + show(value) + " ";
    failures.add(call, "tags read back as " + got + "; reference expects " + want);
  }
}

const std::vector<std::string> kNameSpecials = {"\xE2\x88\x86",
                                                "\xCE\x94",
                                                "\xE2\x88\x86~",
                                                "~",
                                                "~~",
                                                "\xE2\x88\x86x",
                                                "\xCE\x94y",
                                                "~x",
                                                " x ",
                                                "a\xE2\x88\x86",
                                                "\xE2\x88\x86\xE2\x88\x86",
                                                "source"};

// Metrics and delta counters (through format_metric and format_delta_counter).
void run_points(bool delta, std::uint64_t seed, int iterations) {
  RandomText random(seed);
  const FormatOptions customer = test_options(false), small = test_options(true);
  Failures failures;
  for (int i = 0; i < iterations; ++i) {
    const FormatOptions& options = i % 4 == 3 ? small : customer;
    const Limits& limits = options.limits;
    const std::string name = random.text(limits.max_name_length, kNameSpecials, true);
    const double value = random.number();
    const Timestamp timestamp = random_timestamp(random);
    const std::string source = random.text(limits.max_source_length, {"source", "\\"}, false);
    const std::vector<RawTag> tags = random_point_tags(random, limits);
    const std::vector<Tag> views = tag_views(tags);
    const std::string call = std::string(delta ? "format_delta_counter" : "format_metric") + "(out, " +
                             show(name) + ", " + show_double(value) + ", " + show_timestamp(timestamp) +
                             ", " + show(source) + ", " + show_tags(tags) + ", " + show_options(options) +
                             ")";

    Expect expect;
    std::string wire_name;
    bool zero_delta = false;
    if (delta) {
      const bool prefixed = ref::decode_utf8(name).has_value() && starts_with_delta(name);
      wire_name = expected_name(prefixed ? name : "\xE2\x88\x86" + name, limits, expect);
      if (!ref::decode_utf8(name)) expect.refuse(ErrorCode::invalid_name);
    } else {
      wire_name = expected_name(name, limits, expect);
    }
    if (!std::isfinite(value)) {
      expect.refuse(ErrorCode::non_finite_value);
    } else if (delta && value == 0) {
      zero_delta = true;
    } else if ((delta && value < 0) || (starts_with_delta(wire_name) && value <= 0)) {
      expect.refuse(ErrorCode::negative_delta);
    }
    if (timestamp && (timestamp.count() <= 0 || timestamp.count() >= 1000000000000)) {
      expect.refuse(ErrorCode::invalid_timestamp);
    }
    const ref::LineValue wire_source = expected_source(source, limits.max_source_length, expect);
    const ExpectedPointTags wire_tags = expected_point_tags(tags, limits, expect);
    if (zero_delta) {  // nothing is sent; whether other faults are still reported is left open
      expect.optional.insert(expect.required.begin(), expect.required.end());
      expect.required.clear();
    }

    std::string out = kPrevious;
    const Status status =
        delta ? format_delta_counter(out, name, value, timestamp, source, TagList(views), options)
              : format_metric(out, name, value, timestamp, source, TagList(views), options);
    if (status.ok() && zero_delta) {
      if (out != kPrevious)
        failures.add(call, "a zero delta appended " + show(out.substr(std::strlen(kPrevious))));
      continue;
    }
    if (!judge(status, expect, out == kPrevious, call, failures)) continue;
    const auto lines = appended_lines(out, LineKind::metric, 1, call, failures);
    if (!lines) continue;
    const MetricLine& line = (*lines)[0].metric();
    if (line.name != wire_name)
      failures.add(call, "name " + show(line.name) + ", expected " + show(wire_name));
    if (!same_double(line.value, value)) failures.add(call, "value written as " + line.value_text);
    if (Timestamp(line.timestamp) != timestamp) failures.add(call, "timestamp differs");
    if (line.source != wire_source.read_back) {
      failures.add(call, "source " + show(line.source) + ", expected " + show(wire_source.read_back));
    }
    compare_point_tags(line.tags, wire_tags, call, failures);
  }
  EXPECT_EQ(failures.count(), 0) << "mismatches in " << iterations << " calls";
  std::printf("%s\n", failures.summary().c_str());
}

TEST(FormatProperty, Metric) { run_points(false, 0x5EED0001, 4000); }

TEST(FormatProperty, DeltaCounter) { run_points(true, 0x5EED0002, 3000); }

// Centroids after skipping zero counts and merging adjacent equal means; `merge_across_zero` says
// whether a skipped zero-count centroid still separates two equal means (the spec leaves it open).
std::vector<WireCentroid> expected_centroids(const std::vector<Centroid>& centroids, bool merge_across_zero) {
  std::vector<WireCentroid> result;
  bool separated = false;
  for (const Centroid& centroid : centroids) {
    if (centroid.count == 0) {
      separated = !merge_across_zero;
      continue;
    }
    if (!result.empty() && !separated && result.back().mean == centroid.mean) {
      result.back().count += centroid.count;
    } else {
      result.push_back({centroid.count, centroid.mean});
    }
    separated = false;
  }
  return result;
}

bool same_centroids(const std::vector<WireCentroid>& a, const std::vector<WireCentroid>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].count != b[i].count || !same_double(a[i].mean, b[i].mean)) return false;
  }
  return true;
}

std::vector<Centroid> random_centroids(RandomText& random) {
  static const std::vector<double> kMeans = {1.5, 2, -3.25, 0.1, 1e-7, 1e21};
  std::vector<Centroid> centroids;
  const std::size_t count = random.below(5);
  for (std::size_t i = 0; i < count; ++i) {
    Centroid centroid;
    const std::size_t roll = random.below(100);
    centroid.mean = roll < 60 ? random.pick(kMeans) : roll < 97 ? random.number() : std::nan("");
    if (roll >= 97 && random.chance(0.5)) centroid.mean = -std::numeric_limits<double>::infinity();
    if (centroid.mean == 0) centroid.mean = 0;  // no -0: which zero a merge keeps is not specified
    const std::size_t count_roll = random.below(100);
    centroid.count = count_roll < 8    ? 0
                     : count_roll < 11 ? -random.between(1, 5)
                     : count_roll < 13 ? random.between(2147483648LL, 2147483650LL)
                                       : random.between(1, 1000);
    centroids.push_back(centroid);
  }
  if (count == 0 && random.chance(0.3)) centroids.emplace_back(4.5, 2147483647);
  return centroids;
}

TEST(FormatProperty, Distribution) {
  RandomText random(0x5EED0003);
  const FormatOptions customer = test_options(false), small = test_options(true);
  Failures failures;
  for (int i = 0; i < 3000; ++i) {
    const FormatOptions& options = i % 4 == 3 ? small : customer;
    const Limits& limits = options.limits;
    const std::string name = random.text(limits.max_name_length, kNameSpecials, true);
    const std::vector<Centroid> centroids = random_centroids(random);
    const auto bits = static_cast<std::uint8_t>(random.chance(0.05) ? 0 : 1 + random.below(7));
    GranularitySet granularities;
    std::string granularity_chars;
    for (const auto& [granularity, letter] :
         {std::pair{Granularity::minute, 'M'}, std::pair{Granularity::hour, 'H'},
          std::pair{Granularity::day, 'D'}}) {
      if ((bits & static_cast<std::uint8_t>(granularity)) == 0) continue;
      granularities |= granularity;
      granularity_chars += letter;
    }
    const Timestamp timestamp = random_timestamp(random);
    const std::string source = random.text(limits.max_source_length, {}, false);
    const std::vector<RawTag> tags = random_point_tags(random, limits);
    const std::vector<Tag> views = tag_views(tags);
    std::string call = "format_distribution(out, " + show(name) + ", {";
    for (const Centroid& c : centroids)
      call += "{" + show_double(c.mean) + ", " + std::to_string(c.count) + "}, ";
    call += "}, bits " + std::to_string(bits) + ", " + show_timestamp(timestamp) + ", " + show(source) +
            ", " + show_tags(tags) + ", " + show_options(options) + ")";

    Expect expect;
    const std::string wire_name = expected_name(name, limits, expect);
    for (const Centroid& centroid : centroids) {
      if (centroid.count < 0 || centroid.count > 2147483647) expect.refuse(ErrorCode::invalid_centroid);
      if (!std::isfinite(centroid.mean)) {
        if (centroid.count == 0) {
          expect.maybe(ErrorCode::non_finite_value);
        } else {
          expect.refuse(ErrorCode::non_finite_value);
        }
      }
    }
    const auto merged = expected_centroids(centroids, true);
    const auto separated = expected_centroids(centroids, false);
    if (merged.empty() || granularities.empty()) expect.refuse(ErrorCode::empty_histogram);
    if (timestamp && (timestamp.count() <= 0 || timestamp.count() >= 1000000000000)) {
      expect.refuse(ErrorCode::invalid_timestamp);
    }
    const ref::LineValue wire_source = expected_source(source, limits.max_source_length, expect);
    const ExpectedPointTags wire_tags = expected_point_tags(tags, limits, expect);

    std::string out = kPrevious;
    const Status status = format_distribution(out, name, Centroids(centroids.data(), centroids.size()),
                                              granularities, timestamp, source, TagList(views), options);
    if (!judge(status, expect, out == kPrevious, call, failures)) continue;
    const auto lines = appended_lines(out, LineKind::distribution, granularity_chars.size(), call, failures);
    if (!lines) continue;
    for (std::size_t k = 0; k < lines->size(); ++k) {
      const DistributionLine& line = (*lines)[k].distribution();
      if (line.granularity != granularity_chars[k]) failures.add(call, "granularity lines out of order");
      if (!same_centroids(line.centroids, merged) && !same_centroids(line.centroids, separated)) {
        failures.add(call, "centroids differ from the reference");
      }
      if (line.name != wire_name)
        failures.add(call, "name " + show(line.name) + ", expected " + show(wire_name));
      if (Timestamp(line.timestamp) != timestamp) failures.add(call, "timestamp differs");
      if (line.source != wire_source.read_back) failures.add(call, "source " + show(line.source));
      compare_point_tags(line.tags, wire_tags, call, failures);
    }
  }
  EXPECT_EQ(failures.count(), 0);
  std::printf("%s\n", failures.summary().c_str());
}

// Every code point of the Basic Multilingual Plane (and a sample above it), alone and inside a value
// and in a name: blank classification, control replacement and per-code-point name sanitizing.
TEST(FormatProperty, EveryCodePoint) {
  const FormatOptions options = test_options(false);
  Failures failures;
  std::vector<char32_t> code_points;
  for (char32_t c = 0; c <= 0xFFFF; ++c) {
    if (c < 0xD800 || c > 0xDFFF) code_points.push_back(c);
  }
  for (char32_t c = 0x10000; c <= 0x10FFFF; c += 0x1111) code_points.push_back(c);
  code_points.push_back(0x1F600);
  code_points.push_back(0x10FFFF);
  for (const char32_t c : code_points) {
    std::string character;
    ref::append_utf8(character, c);
    for (const std::string& value : {character, "a" + character + "b"}) {
      const std::string call =
          "format_metric(out, \"m\", 1, std::nullopt, \"h\", {{\"k\", " + show(value) + "}})";
      Expect expect;
      const ExpectedPointTags tags = expected_point_tags({{"k", value}}, options.limits, expect);
      std::string out = kPrevious;
      const Status status = format_metric(out, "m", 1, std::nullopt, "h", {{"k", value}}, options);
      if (!judge(status, expect, out == kPrevious, call, failures)) continue;
      const auto lines = appended_lines(out, LineKind::metric, 1, call, failures);
      if (lines) compare_point_tags((*lines)[0].metric().tags, tags, call, failures);
    }
    const std::string name = character + "x";
    const std::string call = "format_metric(out, " + show(name) + ", 1, std::nullopt, \"h\", {})";
    Expect expect;
    const std::string wire_name = expected_name(name, options.limits, expect);
    std::string out = kPrevious;
    const Status status = format_metric(out, name, 1, std::nullopt, "h", {}, options);
    if (!judge(status, expect, out == kPrevious, call, failures)) continue;
    const auto lines = appended_lines(out, LineKind::metric, 1, call, failures);
    if (lines && (*lines)[0].metric().name != wire_name)
      failures.add(call, "name " + show((*lines)[0].metric().name));
  }
  EXPECT_EQ(failures.count(), 0);
}

// The strict parser accepts every expected line of the conformance vectors (test/vectors/*.jsonl).
TEST(WireParserVectors, AcceptsEveryExpectedLine) {
  const char* env = std::getenv("WAVEFRONT_VECTORS_DIR");
  std::string directory = env != nullptr ? env : std::string(__FILE__);
  if (env == nullptr) directory = directory.substr(0, directory.rfind("unit/property_test.cc")) + "vectors";
  int checked = 0;
  for (const char* file : {"metric.jsonl", "histogram.jsonl", "span.jsonl", "event.jsonl"}) {
    std::ifstream in(directory + "/" + file);
    ASSERT_TRUE(in) << "cannot open " << directory << "/" << file;
    for (std::string text; std::getline(in, text);) {
      if (text.empty()) continue;
      const nlohmann::json vector = nlohmann::json::parse(text);
      const std::string kind = vector["call"]["kind"];
      if (!vector["expect"].contains("lines")) continue;
      const auto& lines = vector["expect"]["lines"];
      for (std::size_t i = 0; i < lines.size(); ++i) {
        const LineKind expected = kind == "distribution" ? LineKind::distribution
                                  : kind == "event"      ? LineKind::event
                                  : kind == "span"       ? (i == 0 ? LineKind::span : LineKind::span_logs)
                                                         : LineKind::metric;
        const auto parsed = parse_wire_line(lines[i].get<std::string>(), expected);
        EXPECT_TRUE(parsed.ok()) << vector["id"] << " line " << i << ": " << parsed.error();
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 50);
}

}  // namespace
}  // namespace wavefront::testing
