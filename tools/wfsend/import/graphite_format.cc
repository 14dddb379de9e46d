// `--format graphite`: Graphite's plaintext protocol, on the importer registry.
//
// Spec: https://graphite.readthedocs.io/en/latest/feeding-carbon.html (the plaintext protocol, and
// tags as in https://graphite.readthedocs.io/en/latest/tags.html). A line `path value timestamp`
// (fields separated by spaces or tabs) becomes one point named `path`, at `timestamp` epoch seconds
// (a missing timestamp, or carbon's -1, means none: the sender's time). A tagged path
// `path;key=value;key=value` gives point tags (a `source` or `host` tag becomes the point's source).
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "wfsend/import/text_import.h"

namespace wfsend::import {
namespace {

using wavefront::ErrorCode;

class GraphiteImport final : public TextLineImport {
 protected:
  void import_line(std::string_view line) override {
    std::size_t starts[4] = {0, 0, 0, 0};
    std::string_view words[4];
    std::size_t count = 0;
    std::size_t at = 0;
    while (at < line.size()) {
      while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
      if (at >= line.size()) break;
      const std::size_t start = at;
      while (at < line.size() && line[at] != ' ' && line[at] != '\t') ++at;
      if (count == 3) {
        refuse(start + 1, ErrorCode::malformed_line, "unexpected text after the timestamp");
        return;
      }
      starts[count] = start;
      words[count++] = line.substr(start, at - start);
    }
    if (count < 2) {
      refuse(line.size() + 1, ErrorCode::malformed_line, "expected: path value timestamp");
      return;
    }
    std::string_view path = words[0];
    tags_.clear();
    if (const std::size_t semicolon = path.find(';'); semicolon != std::string_view::npos) {
      std::size_t tag_at = semicolon + 1;
      while (tag_at <= path.size()) {
        std::size_t end = path.find(';', tag_at);
        if (end == std::string_view::npos) end = path.size();
        const std::string_view tag = path.substr(tag_at, end - tag_at);
        const std::size_t equals = tag.find('=');
        if (equals == std::string_view::npos || equals == 0 || equals + 1 == tag.size()) {
          refuse(starts[0] + tag_at + 1, ErrorCode::malformed_line,
                 "tag \"" + std::string(tag) + "\" is not key=value");
          return;
        }
        tags_.emplace_back(std::string(tag.substr(0, equals)), std::string(tag.substr(equals + 1)));
        tag_at = end + 1;
      }
      path = path.substr(0, semicolon);
    }
    wavefront::Timestamp timestamp;
    if (count == 3 && words[2] != "-1") {
      std::int64_t seconds = 0;
      if (!parse_integer(words[2], seconds)) {
        refuse(starts[2] + 1, ErrorCode::invalid_timestamp,
               "timestamp \"" + std::string(words[2]) + "\" is not an integer of epoch seconds");
        return;
      }
      timestamp = wavefront::Timestamp::from_seconds(seconds);
    }
    double value = 0;
    if (!parse_value(words[1], starts[1] + 1, "value", value)) return;
    const std::string source = take_source(tags_);
    send(path, value, timestamp, source, tags_, starts[0] + 1);
  }

 private:
  std::vector<std::pair<std::string, std::string>> tags_;
};

class GraphiteFormat final : public ImportFormat {
 public:
  std::string name() const override { return "graphite"; }
  std::string description() const override {
    return "Graphite plaintext: path value timestamp, path;tag=v tags";
  }
  std::vector<std::string> extensions() const override { return {}; }
  std::unique_ptr<Importer> make_importer(const std::string&, std::string&) override {
    return std::make_unique<GraphiteImport>();
  }
};

}  // namespace

std::unique_ptr<ImportFormat> make_graphite_format() { return std::make_unique<GraphiteFormat>(); }

}  // namespace wfsend::import
