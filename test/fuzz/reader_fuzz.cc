// libFuzzer target: the LineReader (what lint and listen run on every line) and the JSON reader.
// Neither may crash; reading the canonical line of every accepted line again must give it back unchanged
// with the same meaning (kind, timestamps and span times, precision included), and a line accepted
// without warnings (what a correct SDK writes) must come out as a line the strict test parser accepts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "support/wire_parser.h"
#include "wavefront/line_reader.h"
#include "wavefront/wire/json.h"

namespace {

wavefront::testing::LineKind strict_kind(wavefront::LineKind kind) {
  return static_cast<wavefront::testing::LineKind>(static_cast<int>(kind));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  static const wavefront::LineReaderOptions options = [] {
    wavefront::LineReaderOptions fuzz_options;
    fuzz_options.format.default_source = "fuzz";
    return fuzz_options;
  }();
  static wavefront::LineReader reader(options);
  static wavefront::LineReader again(options);
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    if (reader.read(line).ok()) {
      const std::string canonical(reader.canonical());
      if (canonical.empty() || canonical.back() != '\n') std::abort();
      const std::string_view body(canonical.data(), canonical.size() - 1);
      if (body.find('\n') != std::string_view::npos) std::abort();  // one line in, one line out
      const wavefront::ParsedLine& first = reader.parsed();
      if (reader.warnings().empty() && first.hosts.size() <= 1) {
        const auto strict = wavefront::testing::parse_wire_line(body, strict_kind(first.kind));
        if (!strict.ok()) std::abort();
      }
      if (!again.read(body).ok() || again.canonical() != canonical) std::abort();
      const wavefront::ParsedLine& second = again.parsed();
      using wavefront::LineKind;
      const bool span = first.kind == LineKind::span || (first.kind == LineKind::span_logs && first.has_span);
      // A distribution is written in whole seconds (the proxy aligns it to its minute, hour or day bin).
      const bool same_time = first.kind == LineKind::metric ? second.timestamp == first.timestamp
                             : first.kind == LineKind::distribution
                                 ? second.timestamp.seconds() == first.timestamp.seconds()
                                 : true;
      if (second.kind != first.kind || !same_time ||
          (span && (second.span.start_ms != first.span.start_ms ||
                    second.span.duration_ms != first.span.duration_ms)) ||
          (first.kind == LineKind::event &&
           (second.start_ms != first.start_ms || second.end_ms != first.end_ms))) {
        std::abort();
      }
    } else if (reader.error_column() == 0) {
      std::abort();  // every refusal points somewhere
    }
    start = end + 1;
  }
  wavefront::json::JsonParser parser;
  wavefront::json::Value value;
  parser.parse(text, value);
  return 0;
}
