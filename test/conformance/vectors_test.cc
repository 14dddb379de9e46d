// Runs every conformance vector (test/vectors/*.jsonl, copied from the spec) as its own test case.
//
// Each vector is a call (kind and arguments) and the expected result: exact wire lines, or an error
// code with nothing written. Event vectors also give the direct-ingestion JSON body. Any *.jsonl file
// dropped into the vectors directory is picked up.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/conformance_vectors.h"
#include "wavefront/format.h"
#include "wavefront/line_reader.h"

namespace {

using nlohmann::ordered_json;

using Vector = wavefront::testing::ConformanceVector;

std::string vectors_dir() {
  if (const char* dir = std::getenv("WAVEFRONT_VECTORS_DIR")) return dir;
  return WAVEFRONT_VECTORS_DIR;
}

std::vector<Vector> load_vectors() { return wavefront::testing::load_conformance_vectors(vectors_dir()); }

double number(const ordered_json& value) {
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
    throw std::runtime_error("not a number: " + text);
  }
  return value.get<double>();
}

wavefront::Timestamp timestamp(const ordered_json& call) {
  if (!call.contains("timestamp") || call["timestamp"].is_null()) return std::nullopt;
  // An integer is epoch seconds; a float goes through Timestamp's double constructor (spec §2.1).
  if (call["timestamp"].is_number_float()) return call["timestamp"].get<double>();
  // An integer is epoch seconds; a float goes through Timestamp's double constructor (spec §2.1).
  if (call["timestamp"].is_number_float()) return call["timestamp"].get<double>();
  return call["timestamp"].get<std::int64_t>();
}

// Owns the strings a call's views point into.
struct CallArguments {
  std::vector<std::pair<std::string, std::string>> tags;
  std::vector<std::string> strings_a;
  std::vector<std::string> strings_b;
  std::vector<wavefront::Centroid> centroids;
  std::vector<std::vector<std::pair<std::string, std::string>>> log_fields;
  std::vector<wavefront::SpanLog> logs;
};

std::vector<std::pair<std::string, std::string>> pairs(const ordered_json& value) {
  std::vector<std::pair<std::string, std::string>> result;
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) result.emplace_back(key, item.get<std::string>());
  } else {
    for (const auto& item : value)
      result.emplace_back(item.at(0).get<std::string>(), item.at(1).get<std::string>());
  }
  return result;
}

std::vector<std::string> strings(const ordered_json& value) {
  std::vector<std::string> result;
  for (const auto& item : value) result.push_back(item.get<std::string>());
  return result;
}

wavefront::GranularitySet granularities(const ordered_json& value) {
  wavefront::GranularitySet set;
  for (const auto& item : value) {
    const std::string name = item.get<std::string>();
    if (name == "minute") set |= wavefront::Granularity::minute;
    if (name == "hour") set |= wavefront::Granularity::hour;
    if (name == "day") set |= wavefront::Granularity::day;
  }
  return set;
}

// Runs one call; returns the status, with the line output in `lines` and any event JSON in `json`.
wavefront::Status run_call(const ordered_json& call, std::string& lines, std::string& json) {
  const std::string kind = call.at("kind").get<std::string>();
  const std::string name = call.at("name").get<std::string>();
  const std::string source = call.value("source", "");
  CallArguments args;
  if (kind == "metric" || kind == "delta") {
    args.tags = pairs(call.at("tags"));
    const auto format = kind == "metric" ? wavefront::format_metric : wavefront::format_delta_counter;
    return format(lines, name, number(call.at("value")), timestamp(call), source, args.tags,
                  wavefront::default_format_options());
  }
  if (kind == "distribution") {
    args.tags = pairs(call.at("tags"));
    for (const auto& centroid : call.at("centroids")) {
      args.centroids.emplace_back(number(centroid.at(0)), centroid.at(1).get<std::int64_t>());
    }
    return wavefront::format_distribution(lines, name, args.centroids,
                                          granularities(call.at("granularities")), timestamp(call), source,
                                          args.tags);
  }
  if (kind == "span") {
    args.tags = pairs(call.at("tags"));
    args.strings_a = strings(call.at("parents"));
    args.strings_b = strings(call.at("follows_from"));
    for (const auto& log : call.at("span_logs")) args.log_fields.push_back(pairs(log.at("fields")));
    for (std::size_t index = 0; index < args.log_fields.size(); ++index) {
      args.logs.emplace_back(call["span_logs"][index].at("timestamp_us").get<std::int64_t>(),
                             args.log_fields[index]);
    }
    std::string span_logs;
    wavefront::Status status = wavefront::format_span(
        lines, span_logs, name, call.at("start_ms").get<std::int64_t>(),
        call.at("duration_ms").get<std::int64_t>(), source, call.at("trace_id").get<std::string>(),
        call.at("span_id").get<std::string>(), args.strings_a, args.strings_b, args.tags, args.logs);
    lines += span_logs;
    return status;
  }
  if (kind == "event") {
    args.tags = pairs(call.at("annotations"));
    args.strings_a = strings(call.at("tags"));
    const auto start = call.at("start_ms").get<std::int64_t>();
    const auto end = call.at("end_ms").get<std::int64_t>();
    wavefront::Status status =
        wavefront::format_event(lines, name, start, end, source, args.tags, args.strings_a);
    wavefront::Status json_status =
        wavefront::format_event_json(json, name, start, end, source, args.tags, args.strings_a);
    EXPECT_EQ(status.code(), json_status.code())
        << "line and JSON forms disagree: " << json_status.to_string();
    return status;
  }
  throw std::runtime_error("unknown kind " + kind);
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> result;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) {
      ADD_FAILURE() << "output does not end with a newline: " << text;
      result.push_back(text.substr(begin));
      break;
    }
    result.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return result;
}

class VectorTest : public testing::TestWithParam<Vector> {};

TEST_P(VectorTest, MatchesSpec) {
  const Vector& vector = GetParam();
  std::string lines = "prefix already in the buffer\n";
  const std::size_t prefix_length = lines.size();
  std::string json;
  const wavefront::Status status = run_call(vector.call, lines, json);
  const std::string written = lines.substr(prefix_length);
  ASSERT_EQ(lines.substr(0, prefix_length), "prefix already in the buffer\n")
      << "existing output was changed";
  if (vector.expect.contains("error")) {
    const std::string expected_code = vector.expect["error"].get<std::string>();
    EXPECT_EQ(std::string(wavefront::error_code_name(status.code())), expected_code) << status.to_string();
    EXPECT_FALSE(status.message().empty()) << "a refusal must explain itself";
    EXPECT_EQ(written, "") << "a refused call must write nothing";
    EXPECT_EQ(json, "");
    return;
  }
  ASSERT_TRUE(status.ok()) << status.to_string();
  std::vector<std::string> expected;
  for (const auto& line : vector.expect.at("lines")) expected.push_back(line.get<std::string>());
  EXPECT_EQ(split_lines(written), expected);
  if (vector.expect.contains("json")) {
    ASSERT_FALSE(json.empty());
    EXPECT_EQ(nlohmann::json::parse(json), nlohmann::json::parse(vector.expect["json"].dump())) << json;
  }
}

// Every line the spec expects reads back, through the proxy-grammar LineReader, to itself: canonical
// form is a fixed point, and nothing the formatters write is refused by the reader.
TEST_P(VectorTest, ReadsBackToItself) {
  const Vector& vector = GetParam();
  if (!vector.expect.contains("lines")) return;
  wavefront::LineReader reader;
  for (const auto& line : vector.expect.at("lines")) {
    const std::string text = line.get<std::string>();
    const wavefront::Status status = reader.read(text);
    ASSERT_TRUE(status.ok()) << text << "\ncolumn " << reader.error_column() << ": " << status.to_string();
    EXPECT_EQ(reader.canonical(), text + "\n");
  }
}

std::string test_name(const testing::TestParamInfo<Vector>& info) {
  std::string name = info.param.id;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Spec, VectorTest, testing::ValuesIn(load_vectors()), test_name);

TEST(VectorFiles, AllFourDataTypeFilesArePresent) {
  for (const char* file : {"metric.jsonl", "histogram.jsonl", "span.jsonl", "event.jsonl"}) {
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(vectors_dir()) / file)) << file;
  }
  EXPECT_GE(load_vectors().size(), 83u);
}

}  // namespace
