// Validating, counting and reporting received lines; see ingest.h.
#include "receiver/ingest.h"

namespace wfreceiver {
namespace {

using wavefront::LineKind;

wavefront::LineReaderOptions reader_options(const ReceiverOptions& options) {
  wavefront::LineReaderOptions reader;
  reader.max_line_length = options.max_line_length;
  return reader;
}

bool is_blank_line(std::string_view line) noexcept {
  for (char character : line) {
    if (character != ' ' && character != '\t') return false;
  }
  return true;
}

}  // namespace

std::optional<LineFilter> filter_for_format(std::string_view format) noexcept {
  if (format == "wavefront") return LineFilter::metric;
  if (format == "histogram") return LineFilter::distribution;
  if (format == "trace") return LineFilter::span;
  if (format == "spanLogs") return LineFilter::span_logs;
  if (format == "event") return LineFilter::event;
  return std::nullopt;
}

LineIngester::LineIngester(const ReceiverOptions& options, Diagnostics& diagnostics)
    : reader_(reader_options(options)), diagnostics_(diagnostics) {
  use_source("");
}

void LineIngester::use_source(std::string_view source) {
  if (source == current_source_ && !current_source_.empty()) return;
  current_source_.assign(source);
  reader_.set_default_source(source);
}

const wavefront::FormatOptions& LineIngester::format_options(std::string_view source) {
  format_options_.default_source.assign(source);
  return format_options_;
}

std::optional<LineKind> LineIngester::expected_kind(std::string_view line, LineFilter filter) noexcept {
  switch (filter) {
    case LineFilter::any:
      return std::nullopt;
    case LineFilter::metric:
      return LineKind::metric;
    case LineFilter::distribution:
      return LineKind::distribution;
    case LineFilter::tracing:
      return wavefront::detect_line_kind(line) == LineKind::span_logs ? LineKind::span_logs : LineKind::span;
    case LineFilter::span:
      return LineKind::span;
    case LineFilter::span_logs:
      return LineKind::span_logs;
    case LineFilter::event:
      return LineKind::event;
  }
  return std::nullopt;
}

LineKind LineIngester::counted_kind(std::string_view line, LineFilter filter) noexcept {
  const std::optional<LineKind> expected = expected_kind(line, filter);
  return expected ? *expected : wavefront::detect_line_kind(line);
}

void LineIngester::ingest(std::string_view line, std::uint64_t number, LineFilter filter,
                          const Origin& origin, std::string* out, Tally& tally,
                          Diagnostics::Clock::time_point now) {
  if (line.empty() || is_blank_line(line)) return;
  use_source(origin.source);
  const std::optional<LineKind> expected = expected_kind(line, filter);
  const wavefront::Status status = reader_.read(line, expected);
  if (status.ok()) {
    tally.accept(reader_.parsed().kind);
    if (out != nullptr) out->append(reader_.canonical());
    return;
  }
  tally.reject(expected ? *expected : wavefront::detect_line_kind(line));
  if (!diagnostics_.admit(now)) return;
  message_.assign(origin.label);
  message_.append(": line ").append(std::to_string(number));
  message_.append(": column ").append(std::to_string(reader_.error_column()));
  message_.append(": ").append(wavefront::error_code_name(status.code()));
  message_.append(": ").append(status.message());
  diagnostics_.print(message_);
}

void LineIngester::refuse(std::string_view line_start, std::uint64_t number, LineFilter filter,
                          const Origin& origin, wavefront::ErrorCode code, std::size_t column,
                          std::string_view message, Tally& tally, Diagnostics::Clock::time_point now) {
  tally.reject(counted_kind(line_start, filter));
  if (!diagnostics_.admit(now)) return;
  message_.assign(origin.label);
  message_.append(": line ").append(std::to_string(number));
  message_.append(": column ").append(std::to_string(column));
  message_.append(": ").append(wavefront::error_code_name(code));
  message_.append(": ").append(message);
  diagnostics_.print(message_);
}

void LineIngester::report(const Origin& origin, std::string_view message,
                          Diagnostics::Clock::time_point now) {
  if (!diagnostics_.admit(now)) return;
  message_.assign(origin.label);
  message_.append(": ").append(message);
  diagnostics_.print(message_);
}

}  // namespace wfreceiver
