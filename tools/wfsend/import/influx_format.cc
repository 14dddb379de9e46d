// `--format influx`: InfluxDB line protocol, on the importer registry.
//
// Spec: https://docs.influxdata.com/influxdb/v2/reference/syntax/line-protocol/ . A line
// `measurement[,tag=value...] field=value[,field=value...] [timestamp]` becomes one point per field,
// named `measurement.field`, with the tags as point tags (a `source` or `host` tag becomes the point's
// source). Escaping as the spec says: in the measurement `\,` and `\ `; in tag keys, tag values and
// field keys `\,`, `\=` and `\ `; string field values are double-quoted with `\"` and `\\`. Field values:
// floats, integers (`1i`), unsigned (`1u`) and booleans (t/T/true/True/TRUE = 1, f/.../FALSE = 0, as
// Telegraf's Wavefront output converts them); string fields cannot be a Wavefront metric and are refused
// as problems (counted, with their column). The timestamp is in --influx-precision (ns by default, as
// InfluxDB); nanoseconds and microseconds are cut to milliseconds, the finest Wavefront keeps. Lines
// starting with '#' are comments.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "wfsend/import/text_import.h"

namespace wfsend::import {
namespace {

using wavefront::ErrorCode;

// Reads up to an unescaped character of `stops` (or the end), removing the escapes of `escapable`.
std::string read_escaped(std::string_view line, std::size_t& at, std::string_view stops,
                         std::string_view escapable) {
  std::string text;
  while (at < line.size() && stops.find(line[at]) == std::string_view::npos) {
    if (line[at] == '\\' && at + 1 < line.size() && escapable.find(line[at + 1]) != std::string_view::npos) {
      text += line[at + 1];
      at += 2;
      continue;
    }
    text += line[at++];
  }
  return text;
}

std::int64_t floor_divide(std::int64_t value, std::int64_t divisor) {
  return value / divisor - (value % divisor < 0 ? 1 : 0);
}

class InfluxImport final : public TextLineImport {
 public:
  explicit InfluxImport(std::string precision) : precision_(std::move(precision)) {}

 protected:
  void import_line(std::string_view line) override {
    std::size_t at = 0;
    while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
    if (line[at] == '#') return;
    const std::size_t start = at;
    const std::string measurement = read_escaped(line, at, ", ", ", \\");
    if (measurement.empty()) {
      refuse(start + 1, ErrorCode::malformed_line, "expected a measurement name");
      return;
    }
    tags_.clear();
    while (at < line.size() && line[at] == ',') {
      ++at;
      const std::size_t key_start = at;
      std::string key = read_escaped(line, at, ",= ", ",= \\");
      if (key.empty() || at >= line.size() || line[at] != '=') {
        refuse(key_start + 1, ErrorCode::malformed_line, "expected a tag as key=value");
        return;
      }
      ++at;
      std::string value = read_escaped(line, at, ", ", ",= \\");
      if (value.empty()) {
        refuse(key_start + 1, ErrorCode::malformed_line, "tag \"" + key + "\" has an empty value");
        return;
      }
      tags_.emplace_back(std::move(key), std::move(value));
    }
    if (at >= line.size() || line[at] != ' ') {
      refuse(at + 1, ErrorCode::malformed_line, "expected a space and the field set after the tags");
      return;
    }
    while (at < line.size() && line[at] == ' ') ++at;
    fields_.clear();
    for (;;) {
      Field field;
      field.column = at + 1;
      field.key = read_escaped(line, at, ",= ", ",= \\");
      if (field.key.empty() || at >= line.size() || line[at] != '=') {
        refuse(field.column, ErrorCode::malformed_line, "expected a field as key=value");
        return;
      }
      ++at;
      field.value_column = at + 1;
      if (at < line.size() && line[at] == '"') {
        field.is_string = true;
        ++at;
        while (at < line.size() && line[at] != '"') at += line[at] == '\\' ? 2 : 1;
        if (at >= line.size()) {
          refuse(field.value_column, ErrorCode::malformed_line,
                 "string field \"" + field.key + "\" has no closing quote");
          return;
        }
        ++at;
      } else {
        const std::size_t value_start = at;
        while (at < line.size() && line[at] != ',' && line[at] != ' ') ++at;
        field.text = line.substr(value_start, at - value_start);
      }
      fields_.push_back(std::move(field));
      if (at < line.size() && line[at] == ',') {
        ++at;
        continue;
      }
      break;
    }
    while (at < line.size() && line[at] == ' ') ++at;
    const std::size_t timestamp_start = at;
    while (at < line.size() && line[at] != ' ') ++at;
    const std::string_view timestamp_text = line.substr(timestamp_start, at - timestamp_start);
    while (at < line.size() && line[at] == ' ') ++at;
    if (at < line.size()) {
      refuse(at + 1, ErrorCode::malformed_line, "unexpected text after the timestamp");
      return;
    }
    wavefront::Timestamp timestamp;
    if (!timestamp_text.empty() && !read_timestamp(timestamp_text, timestamp_start + 1, timestamp)) return;
    const std::string source = take_source(tags_);
    for (const Field& field : fields_) {
      const std::string name = measurement + "." + field.key;
      if (field.is_string) {
        refuse(field.value_column, ErrorCode::invalid_number,
               "field \"" + field.key + "\" is a string; only numbers and booleans can be metric values");
        continue;
      }
      double value = 0;
      if (!field_value(field, value)) continue;
      send(name, value, timestamp, source, tags_, field.column);
    }
  }

 private:
  struct Field {
    std::string key;
    std::string_view text;
    bool is_string = false;
    std::size_t column = 0;
    std::size_t value_column = 0;
  };

  bool field_value(const Field& field, double& value) {
    const std::string_view text = field.text;
    if (text == "t" || text == "T" || text == "true" || text == "True" || text == "TRUE") {
      value = 1;
      return true;
    }
    if (text == "f" || text == "F" || text == "false" || text == "False" || text == "FALSE") {
      value = 0;
      return true;
    }
    if (!text.empty() && (text.back() == 'i' || text.back() == 'u')) {
      std::int64_t integer = 0;
      if (!parse_integer(text.substr(0, text.size() - 1), integer) || (text.back() == 'u' && integer < 0)) {
        refuse(field.value_column, ErrorCode::invalid_number,
               "field \"" + field.key + "\": \"" + std::string(text) + "\" is not an integer");
        return false;
      }
      value = static_cast<double>(integer);
      return true;
    }
    return parse_value(text, field.value_column, "field \"" + field.key + "\" value", value);
  }

  bool read_timestamp(std::string_view text, std::size_t column, wavefront::Timestamp& timestamp) {
    std::int64_t count = 0;
    if (!parse_integer(text, count)) {
      refuse(column, ErrorCode::invalid_timestamp,
             "timestamp \"" + std::string(text) + "\" is not an integer (of " + precision_ + ")");
      return false;
    }
    if (precision_ == "s") {
      timestamp = wavefront::Timestamp::from_seconds(count);
    } else if (precision_ == "ms") {
      timestamp = wavefront::Timestamp::from_milliseconds(count);
    } else if (precision_ == "us") {
      timestamp = wavefront::Timestamp::from_milliseconds(floor_divide(count, 1000));
    } else {
      timestamp = wavefront::Timestamp::from_milliseconds(floor_divide(count, 1000000));
    }
    return true;
  }

  std::string precision_;
  std::vector<std::pair<std::string, std::string>> tags_;
  std::vector<Field> fields_;
};

class InfluxFormat final : public ImportFormat {
 public:
  std::string name() const override { return "influx"; }
  std::string description() const override {
    return "InfluxDB line protocol: one point per field, named measurement.field, tags as tags";
  }
  std::vector<std::string> extensions() const override { return {".lp"}; }
  void add_options(CLI::App& command) override {
    command
        .add_option("--influx-precision", precision_,
                    "Unit of the line protocol timestamps: ns (InfluxDB's default), us, ms or s")
        ->check(CLI::IsMember({"ns", "us", "ms", "s"}))
        ->group("InfluxDB line protocol");
  }
  std::string given_option() const override { return precision_.empty() ? "" : "--influx-precision"; }
  std::unique_ptr<Importer> make_importer(const std::string&, std::string&) override {
    return std::make_unique<InfluxImport>(precision_.empty() ? "ns" : precision_);
  }

 private:
  std::string precision_;
};

}  // namespace

std::unique_ptr<ImportFormat> make_influx_format() { return std::make_unique<InfluxFormat>(); }

}  // namespace wfsend::import
