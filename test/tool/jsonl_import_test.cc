// `wfsend import --format jsonl`, in process: every conformance vector's call, written as one JSONL
// line, must give exactly the vector's lines or its error code (so the JSONL shape is the vectors'
// call shape); then the importer's own refusals with their line and column.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "import_test_util.h"
#include "support/conformance_vectors.h"

namespace wfsend::import {
namespace {

using ::testing::ElementsAre;
using testing::Harness;
using ::testing::HasSubstr;

using Vector = wavefront::testing::ConformanceVector;

std::vector<Vector> load_vectors() {
  return wavefront::testing::load_conformance_vectors(IMPORT_VECTORS_DIR);
}

class JsonlVectorTest : public ::testing::TestWithParam<Vector> {};

TEST_P(JsonlVectorTest, ReplaysLikeTheLibraryCall) {
  const Vector& vector = GetParam();
  Harness harness;
  harness.import_jsonl(vector.call.dump() + "\n");
  if (vector.expect.contains("error")) {
    const std::string code = vector.expect["error"].get<std::string>();
    EXPECT_TRUE(harness.lines().empty());
    ASSERT_EQ(harness.problem_lines().size(), 1u) << harness.output.text();
    EXPECT_THAT(harness.problem_lines()[0], HasSubstr(": " + code + ": "));
    EXPECT_THAT(harness.problem_lines()[0], ::testing::StartsWith("in:1:"));
    return;
  }
  std::vector<std::string> expected;
  for (const auto& line : vector.expect.at("lines")) expected.push_back(line.get<std::string>());
  EXPECT_EQ(harness.lines(), expected);
  EXPECT_EQ(harness.output.text(), "");
  EXPECT_EQ(harness.context.counts().rows, 1u);
}

std::string vector_name(const ::testing::TestParamInfo<Vector>& info) {
  std::string name = info.param.id;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Vectors, JsonlVectorTest, ::testing::ValuesIn(load_vectors()), vector_name);

TEST(JsonlImport, TagsMayBeAnObjectAndOptionalFieldsMayBeLeftOut) {
  Harness harness;
  harness.import_jsonl(R"({"kind":"metric","name":"m","value":1,"tags":{"b":"2","a":"1"}})"
                       "\n"
                       R"({"kind":"distribution","name":"d","centroids":[[1.5,2]]})"
                       "\n"
                       R"({"kind":"event","name":"e","start_ms":1700000000000})"
                       "\n");
  EXPECT_THAT(harness.lines(), ElementsAre(R"("m" 1 source="test-host" "b"="2" "a"="1")",
                                           R"(!M #2 1.5 "d" source="test-host")",
                                           R"(@Event 1700000000000 1700000000001 "e" host="test-host")"));
  EXPECT_EQ(harness.output.text(), "");
}

TEST(JsonlImport, NonFiniteStringsReachTheLibraryAndAreRefusedThere) {
  Harness harness;
  harness.import_jsonl(R"({"kind":"metric","name":"m","value":"Infinity"})"
                       "\n"
                       R"({"kind":"distribution","name":"d","centroids":[["NaN",2]]})"
                       "\n");
  EXPECT_TRUE(harness.lines().empty());
  // The column of the refused argument, and within a list the refused element (Status::index).
  EXPECT_THAT(harness.problem_lines(), ElementsAre(::testing::StartsWith("in:1:37: non_finite_value: "),
                                                   ::testing::StartsWith("in:2:48: non_finite_value: ")));
  EXPECT_EQ(harness.context.counts().invalid_by_library, 2u);
  EXPECT_EQ(harness.context.counts().refused, 0u);
}

TEST(JsonlImport, RefusalsNameLineColumnAndRule) {
  Harness harness;
  harness.import_jsonl(
      "\n"                                                        // blank: skipped, not a row
      R"({"kind":"metric","name":"m","value":1,"colour":"red"})"  // unknown field
      "\n"
      R"({"kind":"gauge","name":"m"})"  // unknown kind
      "\n"
      R"({"name":"m","value":1})"  // no kind
      "\n"
      R"({"kind":"metric","name":"m","value":"12"})"  // a number in a string
      "\n"
      R"({"kind":"metric","name":"m"})"  // missing value
      "\n"
      R"({"kind":"metric","name":"m","value":1,"timestamp":"now"})"  // timestamp not a number
      "\n"
      R"({"kind":"metric","name":"m","value":1,"tags":[["a"]]})"  // bad pair
      "\n"
      R"({"kind":"metric","name":"m","value":1,"value":2})"  // repeated field
      "\n"
      R"([1,2])"  // not an object
      "\n"
      R"({"kind":"metric","name":"m","value":1)"  // syntax
      "\n"
      R"({"kind":"span","name":"s","start_ms":1700000000000,"duration_ms":1,"trace_id":"x","span_id":"y"})"
      "\n");
  EXPECT_TRUE(harness.lines().empty());
  const std::vector<std::string> problems = harness.problem_lines();
  ASSERT_EQ(problems.size(), 11u) << harness.output.text();
  EXPECT_THAT(problems[0], ::testing::StartsWith("in:2:39: malformed_line: unknown field \"colour\""));
  EXPECT_THAT(problems[1], ::testing::StartsWith("in:3:9: malformed_line: kind \"gauge\""));
  EXPECT_THAT(problems[2], ::testing::StartsWith("in:4:1: malformed_line: no \"kind\""));
  EXPECT_THAT(problems[3], ::testing::StartsWith("in:5:37: invalid_number: \"value\" must be a number"));
  EXPECT_THAT(problems[4], ::testing::StartsWith("in:6:1: malformed_line: missing \"value\""));
  EXPECT_THAT(problems[5], ::testing::StartsWith("in:7:51: invalid_number: \"timestamp\" must be a number"));
  EXPECT_THAT(problems[6], ::testing::StartsWith("in:8:47: malformed_line: \"tags\" items must be"));
  EXPECT_THAT(problems[7], ::testing::StartsWith("in:9:39: malformed_line: field \"value\" is given twice"));
  EXPECT_THAT(problems[8], ::testing::StartsWith("in:10:1: malformed_line: a line must be one JSON object"));
  EXPECT_THAT(problems[9], ::testing::StartsWith("in:11:"));
  EXPECT_THAT(problems[9], HasSubstr(": malformed_line: "));
  EXPECT_THAT(problems[10], ::testing::StartsWith("in:12:"));
  EXPECT_THAT(problems[10], HasSubstr(": invalid_id: trace_id"));
  EXPECT_EQ(harness.context.counts().rows, 11u);
  EXPECT_EQ(harness.context.counts().refused, 10u);
  EXPECT_EQ(harness.context.counts().invalid_by_library, 1u);
}

TEST(JsonlImport, SpanLogsFieldsInBothShapesAndUnknownLogFields) {
  Harness harness;
  const std::string span =
      R"("kind":"span","name":"s","start_ms":1700000000000,"duration_ms":5,"source":"h",)"
      R"("trace_id":"11111111-2222-3333-4444-555555555555","span_id":"11111111-0000-0001-0002-123456789012",)";
  harness.import_jsonl("{" + span +
                       R"("span_logs":[{"timestamp_us":1700000000000001,"fields":[["k","v"]]}]})" + "\n{" +
                       span + R"("span_logs":[{"timestamp_us":1,"when":2}]})" + "\n");
  ASSERT_EQ(harness.lines().size(), 2u);
  EXPECT_THAT(harness.lines()[0], HasSubstr(R"("_spanLogs"="true" 1700000000000 5)"));
  EXPECT_THAT(harness.lines()[1], HasSubstr(R"("logs":[{"timestamp":1700000000000001,"fields":{"k":"v"}}])"));
  ASSERT_EQ(harness.problem_lines().size(), 1u);
  EXPECT_THAT(harness.problem_lines()[0], HasSubstr("unknown span log field \"when\""));
}

// Python's time.time() gives fractional seconds: kept to the nearest millisecond (spec §2.1); whole
// seconds stay seconds; integers of 10^12 and more are read by magnitude as the proxy reads them.
TEST(JsonlImport, FractionalTimestampsKeepTheirMilliseconds) {
  Harness harness(ValueMode::point, 0);
  harness.import_jsonl(R"({"kind":"metric","name":"m","value":1,"timestamp":1700000000.5,"source":"h"})"
                       "\n"
                       R"({"kind":"delta","name":"d","value":1,"timestamp":1700000000.123,"source":"h"})"
                       "\n"
                       R"({"kind":"metric","name":"m","value":1,"timestamp":1700000000.0,"source":"h"})"
                       "\n"
                       R"({"kind":"metric","name":"m","value":1,"timestamp":1700000000123456,"source":"h"})"
                       "\n");
  EXPECT_TRUE(harness.problem_lines().empty()) << harness.output.text();
  EXPECT_THAT(harness.lines(),
              ElementsAre(R"("m" 1 1700000000500 source="h")", R"("∆d" 1 1700000000123 source="h")",
                          R"("m" 1 1700000000 source="h")", R"("m" 1 1700000000123 source="h")"));
}

TEST(JsonlImport, AggregateModeTurnsMetricsIntoDistributionsAndPassesTheRestThrough) {
  AggregatorOptions options;
  options.granularity = wavefront::Granularity::minute;
  Harness harness(ValueMode::aggregate, 0, options);
  harness.import_jsonl(R"({"kind":"metric","name":"lat","value":10,"timestamp":1700000040,"source":"h"})"
                       "\n"
                       R"({"kind":"metric","name":"lat","value":20,"timestamp":1700000059,"source":"h"})"
                       "\n"
                       R"({"kind":"delta","name":"jobs","value":2,"source":"h"})"
                       "\n");
  EXPECT_THAT(harness.lines(),
              ElementsAre(R"("∆jobs" 2 source="h")", R"(!M 1700000040 #1 10 #1 20 "lat" source="h")"));
  EXPECT_EQ(harness.context.counts().aggregated_values, 2u);
}

TEST(JsonlImport, MaxErrorsStopsReading) {
  Harness harness(ValueMode::point, 2);
  harness.import_jsonl("x\ny\nz\n{\"kind\":\"metric\",\"name\":\"m\",\"value\":1}\n");
  EXPECT_EQ(harness.problem_lines().size(), 2u);
  EXPECT_TRUE(harness.lines().empty());
  EXPECT_EQ(harness.context.counts().rows, 2u);
}

}  // namespace
}  // namespace wfsend::import
