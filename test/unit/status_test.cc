// The numbers and spellings of ErrorCode and Field are part of the API: programs store them, compare
// them and switch on them. This test fails when one changes; a new code or field takes the next unused
// number and gets a row here, and a retired one keeps its row (its number is never reused).
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "wavefront/format.h"
#include "wavefront/status.h"

namespace wavefront {
namespace {

struct CodeRow {
  ErrorCode code;
  int number;
  const char* name;
};

constexpr CodeRow kCodes[] = {
    {ErrorCode::ok, 0, "ok"},
    {ErrorCode::invalid_name, 1, "invalid_name"},
    {ErrorCode::invalid_source, 2, "invalid_source"},
    {ErrorCode::invalid_tag_key, 3, "invalid_tag_key"},
    {ErrorCode::invalid_tag_value, 4, "invalid_tag_value"},
    {ErrorCode::non_finite_value, 5, "non_finite_value"},
    {ErrorCode::negative_delta, 6, "negative_delta"},
    {ErrorCode::invalid_timestamp, 7, "invalid_timestamp"},
    {ErrorCode::name_too_long, 8, "name_too_long"},
    {ErrorCode::source_too_long, 9, "source_too_long"},
    {ErrorCode::too_many_tags, 10, "too_many_tags"},
    {ErrorCode::tag_key_too_long, 11, "tag_key_too_long"},
    {ErrorCode::tag_value_too_long, 12, "tag_value_too_long"},
    {ErrorCode::tag_too_long, 13, "tag_too_long"},
    {ErrorCode::span_name_too_long, 14, "span_name_too_long"},
    {ErrorCode::span_logs_too_long, 15, "span_logs_too_long"},
    {ErrorCode::empty_histogram, 16, "empty_histogram"},
    {ErrorCode::invalid_centroid, 17, "invalid_centroid"},
    {ErrorCode::invalid_id, 18, "invalid_id"},
    {ErrorCode::malformed_line, 19, "malformed_line"},
    {ErrorCode::invalid_number, 20, "invalid_number"},
    {ErrorCode::line_too_long, 21, "line_too_long"},
    {ErrorCode::invalid_argument, 22, "invalid_argument"},
    {ErrorCode::not_configured, 23, "not_configured"},
    {ErrorCode::closed, 24, "closed"},
    {ErrorCode::queue_full, 25, "queue_full"},
    {ErrorCode::timeout, 26, "timeout"},
    {ErrorCode::io_error, 27, "io_error"},
    {ErrorCode::too_large, 28, "too_large"},
};

struct FieldRow {
  Field field;
  int number;
  const char* name;
};

constexpr FieldRow kFields[] = {
    {Field::none, 0, ""},
    {Field::name, 1, "name"},
    {Field::value, 2, "value"},
    {Field::timestamp, 3, "timestamp"},
    {Field::source, 4, "source"},
    {Field::tags, 5, "tags"},
    {Field::centroids, 6, "centroids"},
    {Field::granularities, 7, "granularities"},
    {Field::start_ms, 8, "start_ms"},
    {Field::duration_ms, 9, "duration_ms"},
    {Field::end_ms, 10, "end_ms"},
    {Field::trace_id, 11, "trace_id"},
    {Field::span_id, 12, "span_id"},
    {Field::parents, 13, "parents"},
    {Field::follows_from, 14, "follows_from"},
    {Field::span_logs, 15, "span_logs"},
    {Field::annotations, 16, "annotations"},
};

TEST(ErrorCodes, NumbersAndNamesArePinned) {
  for (const CodeRow& row : kCodes) {
    EXPECT_EQ(static_cast<int>(row.code), row.number) << row.name;
    EXPECT_EQ(error_code_name(row.code), row.name) << row.number;
  }
  // Every number up to the last has a row, i.e. a code (so none is skipped or left unnamed).
  EXPECT_EQ(static_cast<int>(std::size(kCodes)), static_cast<int>(ErrorCode::too_large) + 1);
  EXPECT_EQ(error_code_name(static_cast<ErrorCode>(std::size(kCodes))), "unknown");
}

TEST(ErrorCodes, FieldNumbersAndNamesArePinned) {
  for (const FieldRow& row : kFields) {
    EXPECT_EQ(static_cast<int>(row.field), row.number) << row.name;
    EXPECT_EQ(field_name(row.field), row.name) << row.number;
  }
  EXPECT_EQ(static_cast<int>(std::size(kFields)), static_cast<int>(Field::annotations) + 1);
}

TEST(StatusField, SuccessCarriesNoFieldAndStaysSmall) {
  const Status ok;
  EXPECT_EQ(ok.field(), Field::none);
  EXPECT_EQ(ok.index(), Status::kNoIndex);
  static_assert(sizeof(Status) <= 3 * sizeof(void*), "the field and index fit in the padding");
  Status refused(ErrorCode::invalid_tag_key, "bad");
  refused.at(Field::tags, 4);
  EXPECT_EQ(refused.field(), Field::tags);
  EXPECT_EQ(refused.index(), 4U);
  const Status copy = refused;
  EXPECT_EQ(copy.index(), 4U);
}

// The formatters set the refused argument where each rule is checked; a list argument also gets the
// element. (The reader's columns and the JSONL importer's columns are built on these.)
TEST(StatusField, FormattersNameTheRefusedArgumentAndElement) {
  std::string out;
  std::string logs;
  const std::string id = "01234567-89ab-cdef-0123-456789abcdef";
  const auto check = [](const Status& status, ErrorCode code, Field field, std::size_t index) {
    EXPECT_EQ(status.code(), code) << status.to_string();
    EXPECT_EQ(status.field(), field) << status.to_string();
    EXPECT_EQ(status.index(), index) << status.to_string();
  };
  constexpr std::size_t kNone = Status::kNoIndex;
  check(format_metric(out, "", 1, std::nullopt, "s", {}), ErrorCode::invalid_name, Field::name, kNone);
  check(format_metric(out, "m", std::nan(""), std::nullopt, "s", {}), ErrorCode::non_finite_value,
        Field::value, kNone);
  check(format_delta_counter(out, "m", -1, std::nullopt, "s", {}), ErrorCode::negative_delta, Field::value,
        kNone);
  check(format_metric(out, "m", 1, Timestamp::from_milliseconds(-5), "s", {}), ErrorCode::invalid_timestamp,
        Field::timestamp, kNone);
  check(format_metric(out, "m", 1, std::nullopt, std::string(200, 's'), {}), ErrorCode::source_too_long,
        Field::source, kNone);
  check(format_metric(out, "m", 1, std::nullopt, "s", {{"a", "1"}, {"b", "2"}, {"", "3"}}),
        ErrorCode::invalid_tag_key, Field::tags, 2);
  check(format_metric(out, "m", 1, std::nullopt, "s", {{"a", "1"}, {"b", ""}}), ErrorCode::invalid_tag_value,
        Field::tags, 1);
  check(format_distribution(out, "d", {{1.0, 1}, {2.0, -1}}, Granularity::minute, std::nullopt, "s", {}),
        ErrorCode::invalid_centroid, Field::centroids, 1);
  check(format_distribution(out, "d", {{1.0, 1}}, GranularitySet(), std::nullopt, "s", {}),
        ErrorCode::empty_histogram, Field::granularities, kNone);
  const std::string_view parents[] = {id, "not-a-uuid"};
  check(format_span(out, logs, "op", 1700000000000, 5, "s", id, id, parents, {}, {}, {}),
        ErrorCode::invalid_id, Field::parents, 1);
  check(format_span(out, logs, "op", 1700000000000, 5, "s", id, "x", {}, {}, {}, {}), ErrorCode::invalid_id,
        Field::span_id, kNone);
  check(format_span(out, logs, "op", 1700000000000, -5, "s", id, id, {}, {}, {}, {}),
        ErrorCode::invalid_timestamp, Field::duration_ms, kNone);
  const Tag bad_field[] = {{"k", "\xFF"}};
  const SpanLog span_logs[] = {{1, {}}, {2, TagList(bad_field, 1)}};
  check(format_span(out, logs, "op", 1700000000000, 5, "s", id, id, {}, {}, {}, span_logs),
        ErrorCode::invalid_tag_value, Field::span_logs, 1);
  check(format_event(out, "e", 1700000000000, 0, "s", {{"a", "1"}, {"host", "x"}}, {}),
        ErrorCode::invalid_tag_key, Field::annotations, 1);
  check(format_event(out, "e", 1700000000000, 0, "s", {}, {"fine", "\xFF"}), ErrorCode::invalid_tag_value,
        Field::tags, 1);
  check(format_event(out, "e", -1, 0, "s", {}, {}), ErrorCode::invalid_timestamp, Field::start_ms, kNone);
  check(format_event_json(out, "e", 1700000000000, 0, "s", {}, {"\xFF"}), ErrorCode::invalid_tag_value,
        Field::tags, 0);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(logs.empty());
}

}  // namespace
}  // namespace wavefront
