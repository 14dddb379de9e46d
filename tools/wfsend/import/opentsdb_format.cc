// `--format opentsdb`: OpenTSDB's telnet-style `put` lines, on the importer registry.
//
// Spec: http://opentsdb.net/docs/build/html/api_telnet/put.html . A line
// `put <metric> <timestamp> <value> <tagk=tagv> ...` becomes one point named `metric` with the tags as
// point tags (a `source` or `host` tag becomes the point's source). The timestamp is epoch seconds, or
// milliseconds when it has more than 10 digits (as OpenTSDB tells them apart), kept in its unit. Any
// other command is refused as a problem.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "wfsend/import/text_import.h"

namespace wfsend::import {
namespace {

using wavefront::ErrorCode;

class OpenTsdbImport final : public TextLineImport {
 protected:
  void import_line(std::string_view line) override {
    split_words(line, words_);
    if (words_[0].text != "put") {
      refuse(words_[0].offset + 1, ErrorCode::malformed_line,
             "only put lines are imported, not \"" + std::string(words_[0].text) + "\"");
      return;
    }
    if (words_.size() < 4) {
      refuse(line.size() + 1, ErrorCode::malformed_line,
             "expected: put metric timestamp value tagk=tagv ...");
      return;
    }
    tags_.clear();
    for (std::size_t index = 4; index < words_.size(); ++index) {
      if (!add_tag(words_[index].text, words_[index].offset + 1, "tagk=tagv", tags_)) return;
    }
    const std::string_view timestamp_text = words_[2].text;
    std::int64_t count = 0;
    if (!parse_integer(timestamp_text, count) || count < 0) {
      refuse(words_[2].offset + 1, ErrorCode::invalid_timestamp,
             "timestamp \"" + std::string(timestamp_text) + "\" is not epoch seconds or milliseconds");
      return;
    }
    const wavefront::Timestamp timestamp = timestamp_text.size() > 10
                                               ? wavefront::Timestamp::from_milliseconds(count)
                                               : wavefront::Timestamp::from_seconds(count);
    double value = 0;
    if (!parse_value(words_[3].text, words_[3].offset + 1, "value", value)) return;
    const std::string source = take_source(tags_);
    send(words_[1].text, value, timestamp, source, tags_, words_[1].offset + 1);
  }

 private:
  std::vector<Word> words_;
  std::vector<std::pair<std::string, std::string>> tags_;
};

class OpenTsdbFormat final : public ImportFormat {
 public:
  std::string name() const override { return "opentsdb"; }
  std::string description() const override {
    return "OpenTSDB telnet: put metric timestamp value tagk=tagv ...";
  }
  std::vector<std::string> extensions() const override { return {}; }
  std::unique_ptr<Importer> make_importer(const std::string&, std::string&) override {
    return std::make_unique<OpenTsdbImport>();
  }
};

}  // namespace

std::unique_ptr<ImportFormat> make_opentsdb_format() { return std::make_unique<OpenTsdbFormat>(); }

}  // namespace wfsend::import
