// libFuzzer target: random call arguments for every formatter. Whatever the bytes, a formatter must
// either refuse (and append nothing) or append exactly the lines its data type produces, each of
// which the strict parser accepts. Any other outcome aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "support/wire_parser.h"
#include "wavefront/format.h"
#include "wavefront/format/metric.h"
#include "wavefront/format/span.h"
#include "wavefront/trace_context.h"

namespace {

// Splits the input into NUL-separated fields; the first byte picks the formatter.
struct Fields {
  explicit Fields(std::string_view data) {
    std::size_t start = 0;
    while (start <= data.size()) {
      const std::size_t end = std::min(data.find('\0', start), data.size());
      parts.emplace_back(data.substr(start, end - start));
      start = end + 1;
    }
  }
  std::string_view at(std::size_t index) const {
    return index < parts.size() ? parts[index] : std::string_view();
  }
  std::int64_t number(std::size_t index) const {
    std::uint64_t value = 0;  // unsigned: wraps instead of overflowing
    for (char c : at(index)) value = value * 31 + static_cast<unsigned char>(c);
    return static_cast<std::int64_t>(value >> 1);
  }
  std::vector<std::string_view> parts;
};

void check_lines(const std::string& out, std::size_t expected_lines, wavefront::Status& status) {
  if (!status.ok()) {
    if (!out.empty()) std::abort();  // a refusal appends nothing
    return;
  }
  std::size_t lines = 0;
  std::size_t begin = 0;
  while (begin < out.size()) {
    const std::size_t end = out.find('\n', begin);
    if (end == std::string::npos) std::abort();  // every line ends with '\n'
    const auto parsed = wavefront::testing::parse_wire_line(std::string_view(out).substr(begin, end - begin));
    if (!parsed.ok()) std::abort();
    ++lines;
    begin = end + 1;
  }
  if (expected_lines != 0 && lines != expected_lines) std::abort();
}

// The fast paths write what the general writers write, byte for byte, refusals included.
void check_same(const std::string& out, const wavefront::Status& status, const std::string& general_out,
                const wavefront::Status& general_status) {
  if (out != general_out || status.ok() != general_status.ok() || status.code() != general_status.code() ||
      status.message() != general_status.message()) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  const Fields fields(data);
  wavefront::FormatOptions options;
  options.default_source = "fuzz-host";
  const std::vector<wavefront::Tag> tags = {{fields.at(3), fields.at(4)}, {fields.at(5), fields.at(6)}};
  std::string out;
  wavefront::Status status;
  switch (bytes[0] % 6) {
    case 0: {
      const double value = static_cast<double>(fields.number(1)) / 7.0;
      const wavefront::Timestamp timestamp =
          fields.number(2) % 3 == 0 ? wavefront::Timestamp() : fields.number(2);
      status = wavefront::format_metric(out, fields.at(0), value, timestamp, fields.at(7), tags, options);
      std::string general_out;
      const wavefront::Status general = wavefront::format::format_point_without_fast_path(
          general_out, fields.at(0), value, timestamp, fields.at(7), tags, options, false);
      check_same(out, status, general_out, general);
      check_lines(out, 1, status);
      break;
    }
    case 1: {
      const double value = static_cast<double>(fields.number(1));
      status = wavefront::format_delta_counter(out, fields.at(0), value, 1700000000123, fields.at(7), tags,
                                               options);
      std::string general_out;
      const wavefront::Status general = wavefront::format::format_point_without_fast_path(
          general_out, fields.at(0), value, 1700000000123, fields.at(7), tags, options, true);
      check_same(out, status, general_out, general);
      check_lines(out, 0, status);
      break;
    }
    case 2: {
      const std::vector<wavefront::Centroid> centroids = {
          {static_cast<double>(fields.number(1)), fields.number(2)}, {1.5, 3}};
      status = wavefront::format_distribution(out, fields.at(0), centroids,
                                              static_cast<wavefront::Granularity>(1 << (bytes[0] / 6 % 3)),
                                              1700000000, fields.at(7), tags, options);
      check_lines(out, 1, status);
      break;
    }
    case 3: {
      const std::vector<wavefront::Tag> log_fields = {{fields.at(8), fields.at(9)}};
      const std::vector<wavefront::SpanLog> logs = {{1700000000000000, log_fields}};
      std::string span_logs;
      status = wavefront::format_span(
          out, span_logs, fields.at(0), 1700000000000, fields.number(1) & 0xFFFF, fields.at(7),
          fields.at(10).empty() ? "11111111-2222-3333-4444-555555555555" : fields.at(10),
          "11111111-0000-0001-0002-123456789012", {}, {}, tags,
          bytes[0] & 0x80 ? wavefront::SpanLogs(logs) : wavefront::SpanLogs(), options);
      if (status.ok() && !span_logs.empty()) out += span_logs;
      check_lines(out, 0, status);
      // 128-bit ids are written as their UUID text would be.
      const wavefront::Id128 trace{static_cast<std::uint64_t>(fields.number(11)),
                                   static_cast<std::uint64_t>(fields.number(12)) | 1};
      const wavefront::Id128 span{0, static_cast<std::uint64_t>(fields.number(13)) | 1};
      const wavefront::Id128 parent{static_cast<std::uint64_t>(fields.number(14)), 0};
      const std::string parent_text = wavefront::uuid_string(parent);
      std::vector<std::string_view> parents;
      if (!parent.empty()) parents.push_back(parent_text);
      std::string text_line;
      std::string ids_line;
      const wavefront::Status text_status = wavefront::format::format_span_line(
          text_line, fields.at(0), 1700000000000, fields.number(1) & 0xFFFF, fields.at(7),
          wavefront::uuid_string(trace), wavefront::uuid_string(span), parents, {}, tags, false, options);
      const wavefront::Status ids_status = wavefront::format::format_span_line_ids(
          ids_line, fields.at(0), 1700000000000, fields.number(1) & 0xFFFF, fields.at(7), trace, span, parent,
          tags, false, options);
      check_same(ids_line, ids_status, text_line, text_status);
      break;
    }
    case 4:
      status = wavefront::format_event(out, fields.at(0), 1700000000000, fields.number(1), fields.at(7), tags,
                                       {fields.at(8)}, options);
      check_lines(out, 1, status);
      break;
    default:
      status = wavefront::format_event_json(out, fields.at(0), 1700000000000, 0, fields.at(7), tags,
                                            {fields.at(8)}, options);
      if (!status.ok() && !out.empty()) std::abort();
      if (status.ok() && out.find('\n') != std::string::npos) std::abort();  // JSON escapes newlines
      break;
  }
  return 0;
}
