// Unit tests for events: the @Event line and the direct-ingestion JSON body agree on every rule.
#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "unit/format_test_util.h"

namespace wavefront {
namespace {

using testing_util::options_with_default;

struct EventResult {
  Status line_status;
  Status json_status;
  std::string line;
  std::string json;
  std::string code() const {
    EXPECT_EQ(line_status.code(), json_status.code()) << "line and JSON forms must agree";
    return std::string(error_code_name(line_status.code()));
  }
};

EventResult event(std::string_view name, std::int64_t start, std::int64_t end, TagList annotations = {},
                  Strings tags = {}, std::string_view source = "h") {
  EventResult result;
  const FormatOptions options = options_with_default();
  result.line_status = format_event(result.line, name, start, end, source, annotations, tags, options);
  result.json_status = format_event_json(result.json, name, start, end, source, annotations, tags, options);
  return result;
}

TEST(FormatEvent, InstantEventsGetAnEnd) {
  EXPECT_EQ(event("e", 1000, 0).line, "@Event 1000 1001 \"e\" host=\"h\"\n");
  EXPECT_EQ(event("e", 1000, 1000).line, "@Event 1000 1001 \"e\" host=\"h\"\n");
  EXPECT_EQ(event("e", 1000, 5).line, "@Event 1000 1001 \"e\" host=\"h\"\n");
  EXPECT_EQ(event("e", 1000, 2000).line, "@Event 1000 2000 \"e\" host=\"h\"\n");
  EXPECT_EQ(event("e", 0, 0).code(), "invalid_timestamp");
  EXPECT_EQ(event("e", -1, 0).code(), "invalid_timestamp");
  EXPECT_EQ(event("e", std::numeric_limits<std::int64_t>::max(), 0).code(), "invalid_timestamp");
}

TEST(FormatEvent, AnnotationsAndTags) {
  const auto result =
      event("say \"hi\"", 1, 2, {{"my key", "two\nlines"}, {"x", "1"}, {"my:key", "last"}}, {"a", " b "});
  ASSERT_TRUE(result.line_status.ok()) << result.line_status.to_string();
  EXPECT_EQ(result.line,
            "@Event 1 2 \"say \\\"hi\\\"\" \"x\"=\"1\" \"my-key\"=\"last\" host=\"h\" tag=\"a\" tag=\"b\"\n");
  const auto json = nlohmann::json::parse(result.json);
  EXPECT_EQ(json["name"], "say \"hi\"");
  EXPECT_EQ(json["annotations"], (nlohmann::json{{"x", "1"}, {"my-key", "last"}}));
  EXPECT_EQ(json["hosts"], nlohmann::json::array({"h"}));
  EXPECT_EQ(json["tags"], nlohmann::json::array({"a", "b"}));
  EXPECT_EQ(json["startTime"], 1);
  EXPECT_EQ(json["endTime"], 2);
}

TEST(FormatEvent, JsonKeepsControlCharactersAsEscapes) {
  const auto result = event(std::string_view("a\x01z", 3), 1, 2, {{"k", "tab\there"}});
  ASSERT_TRUE(result.json_status.ok());
  EXPECT_EQ(result.json.find('\x01'), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(result.json)["name"], std::string("a\x01z", 3));
  EXPECT_EQ(result.line.substr(0, 17), "@Event 1 2 \"a-z\" ");
}

TEST(FormatEvent, RefusalsMatchInBothForms) {
  EXPECT_EQ(event(" ", 1, 2).code(), "invalid_name");
  EXPECT_EQ(event("e\\", 1, 2).code(), "invalid_name");
  EXPECT_EQ(event("e", 1, 2, {{"host", "x"}}).code(), "invalid_tag_key");
  EXPECT_EQ(event("e", 1, 2, {{"tag", "x"}}).code(), "invalid_tag_key");
  // Read back as a tag by the proxy (found by listen_fuzz: a JSON event's "eventTag" annotation).
  EXPECT_EQ(event("e", 1, 2, {{"eventTag", "x"}}).code(), "invalid_tag_key");
  EXPECT_EQ(event("e", 1, 2, {{"", "x"}}).code(), "invalid_tag_key");
  EXPECT_EQ(event("e", 1, 2, {{"k", "  "}}).code(), "invalid_tag_value");
  EXPECT_EQ(event("e", 1, 2, {}, {"ok", ""}).code(), "invalid_tag_value");
  EXPECT_EQ(event("e", 1, 2, {}, {}, "x\\").code(), "invalid_source");
  EXPECT_EQ(event("\xFF", 1, 2).code(), "invalid_name");
}

TEST(FormatEvent, BlankSourceUsesTheDefault) {
  const auto result = event("e", 1, 2, {}, {}, " ");
  EXPECT_EQ(result.line, "@Event 1 2 \"e\" host=\"default-src\"\n");
  EXPECT_EQ(nlohmann::json::parse(result.json)["hosts"], nlohmann::json::array({"default-src"}));
}

}  // namespace
}  // namespace wavefront
