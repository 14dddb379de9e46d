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
    split_words(line, words_);
    if (words_.size() > 3) {
      refuse(words_[3].offset + 1, ErrorCode::malformed_line, "unexpected text after the timestamp");
      return;
    }
    if (words_.size() < 2) {
      refuse(line.size() + 1, ErrorCode::malformed_line, "expected: path value timestamp");
      return;
    }
    std::string_view path = words_[0].text;
    tags_.clear();
    if (const std::size_t semicolon = path.find(';'); semicolon != std::string_view::npos) {
      std::size_t tag_at = semicolon + 1;
      while (tag_at <= path.size()) {
        std::size_t end = path.find(';', tag_at);
        if (end == std::string_view::npos) end = path.size();
        const std::string_view tag = path.substr(tag_at, end - tag_at);
        if (!add_tag(tag, words_[0].offset + tag_at + 1, "key=value", tags_)) return;
        tag_at = end + 1;
      }
      path = path.substr(0, semicolon);
    }
    wavefront::Timestamp timestamp;
    if (words_.size() == 3 && words_[2].text != "-1") {
      std::int64_t seconds = 0;
      if (!parse_integer(words_[2].text, seconds)) {
        refuse(words_[2].offset + 1, ErrorCode::invalid_timestamp,
               "timestamp \"" + std::string(words_[2].text) + "\" is not an integer of epoch seconds");
        return;
      }
      timestamp = wavefront::Timestamp::from_seconds(seconds);
    }
    double value = 0;
    if (!parse_value(words_[1].text, words_[1].offset + 1, "value", value)) return;
    const std::string source = take_source(tags_);
    send(path, value, timestamp, source, tags_, words_[0].offset + 1);
  }

 private:
  std::vector<Word> words_;
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
