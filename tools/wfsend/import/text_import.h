// What the line-oriented metric formats (prometheus_format.cc, influx_format.cc, graphite_format.cc,
// opentsdb_format.cc) share: reading the input line by line through the tools' LineSource, the blank
// lines skipped, one metric value sent per parsed sample with its problems at FILE:LINE:COLUMN.
//
// A format derives from TextLineImport, implements import_line() (columns are 1-based byte offsets in
// the line) and sends with send(). Nothing is dropped silently: an empty
// value is counted (ImportCounts::empty_values, in the summary), a value that is not a number, NaN or
// infinite, or of a kind the format cannot send (a string field) is refused as a problem.
//
// Thread-safety: none; one importer per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "input/byte_source.h"
#include "wavefront/status.h"
#include "wavefront/types.h"
#include "wfsend/import/import_context.h"
#include "wfsend/import/importer.h"

namespace wfsend::import {

class TextLineImport : public Importer {
 public:
  // Lines longer than this are refused as line_too_long (and skipped without being held).
  static constexpr std::size_t kMaxLineBytes = std::size_t{1024} * 1024;

  wavefront::Status start(input::ByteSource& input) override;
  void run(ImportContext& context) override;

 protected:
  // One line that is not blank, without its line end; line_number() is its number.
  virtual void import_line(std::string_view line) = 0;

  std::uint64_t line_number() const noexcept { return line_number_; }
  ImportContext& context() noexcept { return *context_; }
  // A problem of wfsend's own checks at the 1-based column.
  void refuse(std::size_t column, wavefront::ErrorCode code, std::string_view message);
  // Parses a metric value; empty values are counted, bad and non-finite ones refused. False: not sent.
  bool parse_value(std::string_view text, std::size_t column, std::string_view what, double& value);
  // Sends one metric value; a refusal or drop is reported at `column` (the sample's start).
  void send(std::string_view name, double value, wavefront::Timestamp timestamp, std::string_view source,
            wavefront::TagList tags, std::size_t column);

  // A word of a line split at blanks (graphite_format.cc, opentsdb_format.cc): its text and its
  // 0-based byte offset in the line.
  struct Word {
    std::size_t offset = 0;
    std::string_view text;
  };
  // Splits `line` at runs of spaces and tabs into `words` (cleared first).
  static void split_words(std::string_view line, std::vector<Word>& words);
  // Appends the tag `text` ("key=value", both sides non-empty) to `tags`; otherwise refuses it at the
  // 1-based `column` as "tag "TEXT" is not SHAPE" and returns false.
  bool add_tag(std::string_view text, std::size_t column, std::string_view shape,
               std::vector<std::pair<std::string, std::string>>& tags);

 private:
  input::ByteSource* input_ = nullptr;
  ImportContext* context_ = nullptr;
  std::uint64_t line_number_ = 0;
};

// Takes the point's source out of the tags: the first "source" tag, else the first "host" tag (the
// proxy's rule for the data format); "" when neither is there (the sender's default source).
std::string take_source(std::vector<std::pair<std::string, std::string>>& tags);

// An integer of decimal digits (an optional leading '-'); false when it is not one or overflows.
bool parse_integer(std::string_view text, std::int64_t& value);

}  // namespace wfsend::import
