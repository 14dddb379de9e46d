// `--format prometheus`: the Prometheus text exposition format (version 0.0.4), on the importer registry.
//
// Spec: https://prometheus.io/docs/instrumenting/exposition_formats/ (text-based format). Every sample
// line `name{label="value",...} value [timestamp_ms]` becomes one point named as the sample is (so a
// histogram's `x_bucket` (with its `le` tag), `x_sum` and `x_count`, a summary's `x` (with its `quantile`
// tag), `x_sum` and `x_count`), its labels point tags, except `source` or `host`, which becomes the
// point's source. The timestamp is epoch milliseconds and stays milliseconds; without one the point has
// none (the sender's time). This is Telegraf's `metric_version = 2` naming without its "prometheus"
// measurement prefix (docs/import-formats.md). `# TYPE` lines are checked (a known type; a histogram's
// buckets carry `le`, a summary's quantiles `quantile`); `# HELP` and other comments are skipped.
// NaN and infinite sample values are refused as problems (Wavefront takes finite values only).
#include <cctype>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "wfsend/import/text_import.h"

namespace wfsend::import {
namespace {

using wavefront::ErrorCode;

bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == ':';
}
bool is_name_char(char c) { return is_name_start(c) || std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

class PrometheusImport final : public TextLineImport {
 protected:
  void import_line(std::string_view line) override {
    std::size_t at = 0;
    while (at < line.size() && is_blank(line[at])) ++at;
    if (line[at] == '#') {
      comment(line, at);
      return;
    }
    const std::size_t name_start = at;
    if (!is_name_start(line[at])) {
      refuse(at + 1, ErrorCode::malformed_line, "expected a metric name or a # comment");
      return;
    }
    while (at < line.size() && is_name_char(line[at])) ++at;
    const std::string_view name = line.substr(name_start, at - name_start);
    labels_.clear();
    if (at < line.size() && line[at] == '{' && !read_labels(line, at)) return;
    if (at >= line.size() || !is_blank(line[at])) {
      refuse(at + 1, ErrorCode::malformed_line,
             "expected a space and the sample value after the metric name");
      return;
    }
    while (at < line.size() && is_blank(line[at])) ++at;
    const std::size_t value_start = at;
    while (at < line.size() && !is_blank(line[at])) ++at;
    const std::string_view value_text = line.substr(value_start, at - value_start);
    while (at < line.size() && is_blank(line[at])) ++at;
    const std::size_t timestamp_start = at;
    while (at < line.size() && !is_blank(line[at])) ++at;
    const std::string_view timestamp_text = line.substr(timestamp_start, at - timestamp_start);
    while (at < line.size() && is_blank(line[at])) ++at;
    if (at < line.size()) {
      refuse(at + 1, ErrorCode::malformed_line, "unexpected text after the timestamp");
      return;
    }
    if (!check_family(name, name_start + 1)) return;
    wavefront::Timestamp timestamp;
    if (!timestamp_text.empty()) {
      std::int64_t milliseconds = 0;
      if (!parse_integer(timestamp_text, milliseconds)) {
        refuse(timestamp_start + 1, ErrorCode::invalid_timestamp,
               "timestamp \"" + std::string(timestamp_text) + "\" is not an integer of epoch milliseconds");
        return;
      }
      timestamp = wavefront::Timestamp::from_milliseconds(milliseconds);
    }
    double value = 0;
    if (value_text == "+Inf" || value_text == "-Inf" || value_text == "NaN") {
      refuse(
          value_start + 1, ErrorCode::non_finite_value,
          "sample value " + std::string(value_text) + " is not finite; Wavefront takes finite values only");
      return;
    }
    if (!parse_value(value_text, value_start + 1, "sample value", value)) return;
    const std::string source = take_source(labels_);
    send(name, value, timestamp, source, labels_, name_start + 1);
  }

 private:
  // `# TYPE name type` is remembered; `# HELP` and other comments are skipped.
  void comment(std::string_view line, std::size_t at) {
    ++at;
    while (at < line.size() && is_blank(line[at])) ++at;
    if (line.substr(at, 5) != "TYPE " && line.substr(at, 5) != "TYPE\t") return;
    at += 5;
    auto word = [&](std::size_t& start) {
      while (at < line.size() && is_blank(line[at])) ++at;
      start = at;
      while (at < line.size() && !is_blank(line[at])) ++at;
      return line.substr(start, at - start);
    };
    std::size_t name_start = 0;
    std::size_t type_start = 0;
    const std::string_view name = word(name_start);
    const std::string_view type = word(type_start);
    if (name.empty() || type.empty()) {
      refuse(at + 1, ErrorCode::malformed_line, "# TYPE needs a metric name and a type");
      return;
    }
    if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" &&
        type != "untyped") {
      refuse(type_start + 1, ErrorCode::malformed_line,
             "unknown metric type \"" + std::string(type) +
                 "\" (expected counter, gauge, histogram, summary or untyped)");
      return;
    }
    types_[std::string(name)] = std::string(type);
  }

  // Reads `{name="value",...}` from line[at] == '{'; false (and refused) when malformed.
  bool read_labels(std::string_view line, std::size_t& at) {
    ++at;
    for (;;) {
      while (at < line.size() && is_blank(line[at])) ++at;
      if (at < line.size() && line[at] == '}') {
        ++at;
        return true;
      }
      const std::size_t key_start = at;
      if (at >= line.size() ||
          !(std::isalpha(static_cast<unsigned char>(line[at])) != 0 || line[at] == '_')) {
        refuse(at + 1, ErrorCode::malformed_line, "expected a label name or '}'");
        return false;
      }
      while (at < line.size() && (std::isalnum(static_cast<unsigned char>(line[at])) != 0 || line[at] == '_'))
        ++at;
      std::string key(line.substr(key_start, at - key_start));
      while (at < line.size() && is_blank(line[at])) ++at;
      if (at + 1 >= line.size() || line[at] != '=' || line[at + 1] != '"') {
        refuse(at + 1, ErrorCode::malformed_line, "expected =\" after label name \"" + key + "\"");
        return false;
      }
      at += 2;
      std::string value;
      for (;;) {
        if (at >= line.size()) {
          refuse(key_start + 1, ErrorCode::malformed_line,
                 "the value of label \"" + key + "\" has no closing quote");
          return false;
        }
        const char c = line[at++];
        if (c == '"') break;
        if (c != '\\') {
          value += c;
          continue;
        }
        if (at >= line.size()) continue;
        const char escaped = line[at++];
        if (escaped == 'n') {
          value += '\n';
        } else if (escaped == '\\' || escaped == '"') {
          value += escaped;
        } else {  // the spec keeps an unknown escape as it is
          value += '\\';
          value += escaped;
        }
      }
      labels_.emplace_back(std::move(key), std::move(value));
      while (at < line.size() && is_blank(line[at])) ++at;
      if (at < line.size() && line[at] == ',') {
        ++at;
      } else if (at >= line.size() || line[at] != '}') {
        refuse(at + 1, ErrorCode::malformed_line, "expected ',' or '}' after a label");
        return false;
      }
    }
  }

  bool has_label(std::string_view key) const {
    for (const auto& label : labels_) {
      if (label.first == key) return true;
    }
    return false;
  }

  // A histogram's bucket needs `le`, a summary's quantile sample `quantile`.
  bool check_family(std::string_view name, std::size_t column) {
    std::string base(name);
    std::string_view suffix;
    for (std::string_view candidate : {"_bucket", "_sum", "_count"}) {
      if (ends_with(name, candidate)) {
        const auto found = types_.find(std::string(name.substr(0, name.size() - candidate.size())));
        if (found != types_.end() && (found->second == "histogram" || found->second == "summary")) {
          base = found->first;
          suffix = candidate;
        }
        break;
      }
    }
    const auto type = types_.find(base);
    if (type == types_.end()) return true;
    if (type->second == "histogram" && suffix == "_bucket" && !has_label("le")) {
      refuse(column, ErrorCode::malformed_line,
             "histogram bucket " + std::string(name) + " has no \"le\" label");
      return false;
    }
    if (type->second == "histogram" && suffix.empty()) {
      refuse(column, ErrorCode::malformed_line,
             "histogram " + base + " has samples _bucket, _sum and _count only, not " + std::string(name));
      return false;
    }
    if (type->second == "summary" && suffix.empty() && !has_label("quantile")) {
      refuse(column, ErrorCode::malformed_line,
             "summary quantile " + std::string(name) + " has no \"quantile\" label");
      return false;
    }
    return true;
  }

  std::map<std::string, std::string> types_;  // from # TYPE
  std::vector<std::pair<std::string, std::string>> labels_;
};

class PrometheusFormat final : public ImportFormat {
 public:
  std::string name() const override { return "prometheus"; }
  std::string description() const override {
    return "Prometheus text exposition: each sample one point named as the sample, labels as tags";
  }
  std::vector<std::string> extensions() const override { return {".prom"}; }
  std::unique_ptr<Importer> make_importer(const std::string&, std::string&) override {
    return std::make_unique<PrometheusImport>();
  }
};

}  // namespace

std::unique_ptr<ImportFormat> make_prometheus_format() { return std::make_unique<PrometheusFormat>(); }

}  // namespace wfsend::import
