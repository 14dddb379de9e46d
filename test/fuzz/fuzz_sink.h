// A Sender for the import fuzz targets: every call is formatted by the library's format functions, and
// whatever they accept must be lines the strict test parser accepts as the call's kind; a refusal must
// append nothing. Any other outcome aborts. It counts calls, so the targets can check the importers'
// own accounting against it.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "support/wire_parser.h"
#include "wavefront/format.h"
#include "wavefront/sender.h"

namespace wavefront::fuzzing {

class CheckingSink final : public Sender {
 public:
  CheckingSink() : Sender(sink_options()) {}

  FlushResult flush(std::chrono::milliseconds) override { return FlushResult(); }
  FlushResult close(std::chrono::milliseconds) override { return FlushResult(); }
  std::uint64_t failure_count() const override { return 0; }
  SenderStats stats() const override { return SenderStats(); }

  std::uint64_t calls = 0;                         // every send call
  std::uint64_t refused = 0;                       // calls the format functions refused
  std::uint64_t lines = 0;                         // lines written by accepted calls
  std::uint64_t distributions = 0;                 // distribution sends
  std::uint64_t digest = 14695981039346656037ULL;  // FNV-1a of every outcome and line, in order

 protected:
  // Every send arrives here once per data type it writes (a span with logs: span, then span_log).
  Status submit(const FormattedLines& formatted) override {
    const bool logs = formatted.type == DataType::span_log;
    if (formatted.type == DataType::distribution) ++distributions;
    if (!logs) ++calls;  // a span's logs belong to its call
    mix(std::string_view(error_code_name(formatted.status.code())));
    mix(formatted.lines);
    if (!formatted.status.ok()) {
      if (!logs) ++refused;
      if (!formatted.lines.empty()) std::abort();  // a refusal appends nothing
      return formatted.status;
    }
    // Only a delta counter of 0 is accepted without a line.
    check_lines(formatted.lines, kind_of(formatted.type), formatted.type == DataType::metric);
    if (formatted.items != count_newlines(formatted.lines)) std::abort();  // the count is exact
    return formatted.status;
  }

 private:
  static FormatOptions sink_options() {
    FormatOptions options;
    options.default_source = "fuzz-host";
    return options;
  }

  static testing::LineKind kind_of(DataType type) {
    switch (type) {
      case DataType::metric:
        return testing::LineKind::metric;
      case DataType::distribution:
        return testing::LineKind::distribution;
      case DataType::span:
        return testing::LineKind::span;
      case DataType::span_log:
        return testing::LineKind::span_logs;
      case DataType::event:
        return testing::LineKind::event;
    }
    std::abort();
  }

  static std::size_t count_newlines(std::string_view text) {
    std::size_t count = 0;
    for (const char byte : text) count += byte == '\n' ? 1 : 0;
    return count;
  }

  void check_lines(std::string_view text, testing::LineKind kind, bool may_be_empty) {
    if (text.empty()) {
      if (!may_be_empty) std::abort();  // an accepted call writes at least one line
      return;
    }
    std::size_t begin = 0;
    while (begin < text.size()) {
      const std::size_t end = text.find('\n', begin);
      if (end == std::string_view::npos) std::abort();  // every line ends with '\n'
      if (!testing::parse_wire_line(text.substr(begin, end - begin), kind).ok()) std::abort();
      ++lines;
      begin = end + 1;
    }
  }

  void mix(std::string_view text) {
    for (const char byte : text) digest = (digest ^ static_cast<unsigned char>(byte)) * 1099511628211ULL;
    digest = (digest ^ 0xFF) * 1099511628211ULL;
  }
};

}  // namespace wavefront::fuzzing
