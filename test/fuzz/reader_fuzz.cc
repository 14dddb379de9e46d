// libFuzzer target: the LineReader (what lint and listen run on every line) and the JSON reader.
// Neither may crash; every line the reader accepts must come out as a line the strict test parser
// accepts as that kind, and reading the canonical line again must give it back unchanged.
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
      const auto strict = wavefront::testing::parse_wire_line(body, strict_kind(reader.parsed().kind));
      if (!strict.ok()) std::abort();
      if (!again.read(body).ok() || again.canonical() != canonical) std::abort();
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
