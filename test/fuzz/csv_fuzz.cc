// libFuzzer target: the CSV reader of `wfsend import` and its mapping of rows to metrics.
//
// Input: three parameter bytes, then the CSV text. Byte 0 picks the chunk size the text is handed out
// in, byte 1 the delimiter and the reader's buffer and record bounds, byte 2 a column configuration.
// The text is read twice: in those small chunks with a small buffer, and at once with a buffer as
// large as the record bound. Both must give the same records and errors (same fields, lines, columns,
// messages), must terminate (every result consumes input), and every field must be what the text
// holds at the line and column the reader reports for it (quoted fields unescaped). Line numbers never
// decrease. Then rows go through the CSV importer (one of four column configurations; points, delta
// counters or aggregated distributions) into a sink that formats each call with the library and judges
// the lines with the strict parser (fuzz_sink.h); the importer's counters must agree with what reached
// the sink, and no distribution the aggregator sends may be refused.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_sink.h"
#include "input/byte_source.h"
#include "wfsend/import/aggregate.h"
#include "wfsend/import/csv_import.h"
#include "wfsend/import/csv_reader.h"
#include "wfsend/import/import_context.h"
#include "wfsend/import/progress.h"

namespace {

using wfsend::import::CsvError;
using wfsend::import::CsvPosition;
using wfsend::import::CsvReader;
using wfsend::import::CsvReaderOptions;
using wfsend::import::CsvRecord;
using wfsend::input::StringSource;

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

struct Step {
  CsvReader::Result result = CsvReader::Result::end;
  std::uint64_t line = 0;
  std::vector<std::string> fields;
  std::vector<CsvPosition> positions;
  CsvPosition error_position;
  std::string error_message;
  bool fatal = false;
  std::uint64_t lines_read = 0;

  bool operator==(const Step& other) const {
    if (result != other.result || line != other.line || fields != other.fields || fatal != other.fatal ||
        error_message != other.error_message || lines_read != other.lines_read ||
        positions.size() != other.positions.size() || error_position.line != other.error_position.line ||
        error_position.column != other.error_position.column) {
      return false;
    }
    for (std::size_t index = 0; index < positions.size(); ++index) {
      if (positions[index].line != other.positions[index].line ||
          positions[index].column != other.positions[index].column) {
        return false;
      }
    }
    return true;
  }
};

// The text as physical lines, to find the byte a (line, column) position names.
class TextMap {
 public:
  explicit TextMap(std::string_view text) : text_(text) {
    std::size_t start = text.substr(0, kByteOrderMark.size()) == kByteOrderMark ? kByteOrderMark.size() : 0;
    starts_.push_back(start);
    for (std::size_t index = start; index < text.size(); ++index) {
      if (text[index] == '\n') starts_.push_back(index + 1);
    }
  }

  // The byte at 1-based line and character column (characters: bytes that are not UTF-8 continuation
  // bytes); aborts when the position is not in the text (the end of the text counts).
  std::size_t offset(const CsvPosition& position) const {
    if (position.line == 0 || position.line > starts_.size() || position.column == 0) std::abort();
    std::size_t at = starts_[position.line - 1];
    // A field starts just after a delimiter or a line end, so its byte is the first one that has
    // column - 1 characters before it on its line.
    for (std::uint64_t characters = 0; characters + 1 < position.column; ++at) {
      if (at >= text_.size()) std::abort();
      if ((static_cast<unsigned char>(text_[at]) & 0xC0) != 0x80) ++characters;
    }
    return at;
  }

  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  std::vector<std::size_t> starts_;
};

// A field as the text holds it at `at`: quoted (unescaped) or as is.
void check_field(const TextMap& map, std::size_t at, std::string_view value, char delimiter) {
  const std::string_view text = map.text();
  if (at < text.size() && text[at] == '"') {
    std::string expected;
    std::size_t index = at + 1;
    for (;;) {
      if (index >= text.size()) std::abort();  // a record with an unclosed quote
      if (text[index] == '"') {
        if (index + 1 < text.size() && text[index + 1] == '"') {
          expected += '"';
          index += 2;
          continue;
        }
        break;
      }
      expected += text[index++];
    }
    if (expected != value) std::abort();
    return;
  }
  if (text.substr(at, value.size()) != value) std::abort();
  const std::size_t after = at + value.size();
  const bool ends_field = after == text.size() || text[after] == delimiter || text[after] == '\n' ||
                          (text[after] == '\r' && (after + 1 == text.size() || text[after + 1] == '\n'));
  if (!ends_field) std::abort();
}

std::vector<Step> read_all(std::string_view text, std::size_t chunk, const CsvReaderOptions& options,
                           const TextMap& map) {
  StringSource source{std::string(text), chunk};
  CsvReader reader(source, options);
  CsvRecord record;
  std::vector<Step> steps;
  std::uint64_t last_line = 0;
  // Every result but the last consumes at least one byte (a BOM is one result's worth at most).
  const std::size_t max_steps = text.size() + 2;
  for (;;) {
    if (steps.size() > max_steps) std::abort();
    Step step;
    step.result = reader.next(record);
    step.lines_read = reader.lines_read();
    if (step.result == CsvReader::Result::end) {
      steps.push_back(std::move(step));
      break;
    }
    if (step.result == CsvReader::Result::record) {
      if (record.size() == 0) std::abort();
      step.line = record.line();
      if (step.line < last_line) std::abort();
      last_line = step.line;
      for (std::size_t index = 0; index < record.size(); ++index) {
        const CsvPosition position = record.position(index);
        if (position.line < record.line()) std::abort();
        if (index == 0 && (position.line != record.line() || position.column != 1)) std::abort();
        check_field(map, map.offset(position), record[index], options.delimiter);
        step.fields.emplace_back(record[index]);
        step.positions.push_back(position);
      }
    } else {
      const CsvError& error = reader.error();
      if (error.read_failed) std::abort();  // a string cannot fail to be read
      if (error.position.line < last_line) std::abort();
      last_line = error.position.line;
      step.error_position = error.position;
      step.error_message = error.message;
      step.fatal = error.fatal;
      const std::size_t at = map.offset(error.position);
      const std::string_view all = map.text();
      if (!error.fatal) {
        // A character after a closing quote that is neither a delimiter nor a line end.
        if (at == 0 || at >= all.size() || all[at - 1] != '"' || all[at] == options.delimiter ||
            all[at] == '\n') {
          std::abort();
        }
      } else if (error.message.rfind("quoted field", 0) == 0 && (at >= all.size() || all[at] != '"')) {
        std::abort();  // an open quote is located at the quote
      }
    }
    const bool fatal = step.fatal;
    steps.push_back(std::move(step));
    if (fatal) {
      // Reading stops for good.
      if (reader.next(record) != CsvReader::Result::end) std::abort();
    }
  }
  return steps;
}

// Column configurations for the importer (byte 2).
wfsend::import::CsvImportOptions import_options(unsigned config) {
  wfsend::import::CsvImportOptions options;
  switch (config % 4) {
    case 0:  // name, value, timestamp, source by position; every other column a tag
      options.header = false;
      options.name_column = "1";
      options.value_columns = {"2"};
      options.timestamp_column = "3";
      options.source_column = "4";
      options.tag_columns = {"all"};
      break;
    case 1:  // a header: every column is a value named by its header text
      options.prefix = "fuzz.";
      break;
    case 2:  // a fixed name, two value columns, a fixed tag and a fixed source
      options.header = false;
      options.name = "fuzz.metric";
      options.value_columns = {"1", "2"};
      options.fixed_tags = {{"fixed", "tag"}};
      options.source = "fixed-source";
      options.timestamp_unit = wfsend::TimestampUnit::iso8601;
      options.timestamp_column = "3";
      break;
    default:  // a header naming the roles
      options.name_column = "metric";
      options.value_columns = {"value"};
      options.timestamp_column = "time";
      options.source_column = "host";
      options.tag_columns = {"env", "region"};
      break;
  }
  return options;
}

void import_rows(std::string_view text, std::size_t chunk, const CsvReaderOptions& reader_options,
                 unsigned config) {
  static std::FILE* const null_output = std::fopen("/dev/null", "w");
  if (null_output == nullptr) std::abort();
  wavefront::fuzzing::CheckingSink sink;
  wfsend::import::Progress progress(false, nullptr, nullptr);
  wfsend::import::ProblemLog problems("fuzz.csv", null_output, 0, 0, &progress);
  const auto mode = static_cast<wfsend::import::ValueMode>((config / 4) % 3);
  bool aggregated_refused = false;
  wfsend::import::AggregatorOptions aggregator_options;
  aggregator_options.max_open_digests = 8;  // reach the early sends
  wfsend::import::Aggregator aggregator(sink, aggregator_options,
                                        [&](const wavefront::Status&) { aggregated_refused = true; });
  wfsend::import::ImportContext context(sink, problems, progress, mode, &aggregator);
  StringSource source{std::string(text), chunk};
  CsvReader reader(source, reader_options);
  wfsend::import::CsvImporter importer(import_options(config));
  if (!importer.start(reader).ok()) return;
  importer.run(context, reader);
  if (mode == wfsend::import::ValueMode::aggregate) {
    aggregator.finish();
    // Values were validated when added: every distribution the aggregator sends must be accepted
    // (corpus/csv/regression-aggregate-epoch-bin-zero).
    if (aggregated_refused || sink.refused != 0) std::abort();
    if (sink.calls != aggregator.distributions_sent() || sink.calls != sink.distributions) std::abort();
    if (context.counts().sends != 0) std::abort();
  } else {
    // Every send the importer counts reached the sender, and its refusals are the sender's.
    if (context.counts().sends != sink.calls) std::abort();
    if (context.counts().invalid_by_library != sink.refused) std::abort();
    if (context.counts().aggregated_values != 0) std::abort();
  }
  if (context.counts().input_failed) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size < 3) return 0;
  const std::string_view text(reinterpret_cast<const char*>(bytes) + 3, size - 3);
  const std::size_t chunk = bytes[0] < 240 ? 1 + bytes[0] % 48 : std::size_t{1} << (bytes[0] - 236);
  CsvReaderOptions small;
  small.delimiter = ",;\t|"[bytes[1] & 3];
  small.buffer_bytes = std::size_t{64} << ((bytes[1] >> 2) & 3);
  small.max_record_bytes =
      (bytes[1] & 0x40) != 0 ? std::size_t{1} << 16 : small.buffer_bytes << ((bytes[1] >> 4) & 3);
  CsvReaderOptions large = small;
  large.buffer_bytes = small.max_record_bytes;

  const TextMap map(text);
  const std::vector<Step> chunked = read_all(text, chunk, small, map);
  const std::vector<Step> whole = read_all(text, std::size_t{1} << 20, large, map);
  if (!(chunked == whole)) std::abort();  // the same text read in other pieces reads the same

  import_rows(text, chunk, small, bytes[2]);
  return 0;
}
