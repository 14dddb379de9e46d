// `wfsend lint FILE... | -`: checks lines in the Wavefront data format as the proxy would read them.
//
// Each error is printed on stdout as `FILE:LINE:COLUMN: code: message` (the shape compilers use, so
// editors jump to it), each warning as `FILE:LINE:COLUMN: warning: rule: message`; a summary goes to
// stderr. Exit code 1 if any line has an error (or a warning, with --strict), 4 if there are warnings
// only, 2 if an input cannot be read. Input is streamed in large blocks (gzip read transparently), so files
// of any size are checked in constant memory.
#include <zlib.h>
#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <unistd.h>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "input/byte_source.h"
#include "input/line_source.h"
#include "wavefront/line_reader.h"
#include "wfsend/commands.h"

namespace wfsend {
namespace {

struct LintOptions {
  std::vector<std::string> files;
  std::string format = "auto";
  std::size_t max_problems = 1000;
  bool quiet = false;
  bool strict = false;  // warnings are errors
  bool no_warnings = false;
};

// What `wfsend lint --help` lists: each warning rule (docs/reading-rules.md has their sources).
constexpr const char* kWarningHelp =
    "Warnings: lines the proxy accepts but a correct SDK does not write (--strict makes them errors):\n"
    "  host-for-source           host= where SDKs write source=\n"
    "  non-uuid-id               a span's traceId/spanId/parent/followsFrom, or span logs' ids, not a UUID\n"
    "  repeated-tag              a tag, source= or span id given twice (points keep the last value)\n"
    "  tag-key-renamed           a point tag \"tag\", which the proxy stores as \"_tag\"\n"
    "  reserved-tag-key          a span tag \"tag\" (the proxy keeps it; SDKs reserve the key)\n"
    "  timestamp-unit            a point timestamp in microseconds or nanoseconds (the proxy keeps ms)\n"
    "  span-time-unit            span times not in milliseconds (the proxy converts them)\n"
    "  span-tag-value-truncated  a span tag value over the limit, which the proxy truncates (WF-433)\n"
    "  span-logs-without-span    span logs without their \"span\" member\n"
    "  span-logs-ids-differ      span logs whose ids differ from their embedded span's\n"
    "  span-logs-marker          span logs whose embedded span has no \"_spanLogs\"=\"true\"\n"
    "  event-without-host        an @Event line with no host=\n"
    "  event-time-unit           event times not in milliseconds (the proxy converts them)\n"
    "Exit codes: 0 clean, 1 errors (or warnings with --strict), 4 warnings only, 2 unreadable input.\n";

// The proxy's per-port line limits (spec §1): push port 32 768, histogram ports 64 KiB, tracing 1 MiB.
std::size_t proxy_line_limit(wavefront::LineKind kind) {
  switch (kind) {
    case wavefront::LineKind::metric:
    case wavefront::LineKind::event:
      return 32768;
    case wavefront::LineKind::distribution:
      return 65536;
    case wavefront::LineKind::span:
    case wavefront::LineKind::span_logs:
      break;
  }
  return std::size_t{1024} * 1024;
}

class Linter {
 public:
  Linter(const LintOptions& options, std::optional<wavefront::LineKind> expected)
      : options_(options), expected_(expected) {
    wavefront::LineReaderOptions reader_options;
    reader_options.format.default_source = "lint";  // the proxy fills in the sender's address
    reader_ = wavefront::LineReader(reader_options);
    output_.reserve(1 << 16);
  }

  // Returns false if the file cannot be read.
  bool lint(const std::string& path) {
    const std::string shown = path == "-" ? "<stdin>" : path;
    auto file = input::InputFile::open(path);
    if (!file.ok()) {
      std::cerr << "wfsend lint: " << file.status().message() << "\n";
      return false;
    }
    input::LineSource lines(**file, kMaxLine);
    std::string_view line;
    bool ok = true;
    for (bool more = true; more;) {
      switch (lines.next(line)) {
        case input::LineSource::Result::line:
          check(shown, lines.line_number(), line);
          break;
        case input::LineSource::Result::too_long:
          ++lines_;
          report(shown, lines.line_number(), kMaxLine + 1, "line_too_long",
                 "the line is longer than " + std::to_string(kMaxLine) + " bytes");
          break;
        case input::LineSource::Result::error:
          std::cerr << "wfsend lint: " << shown << ": " << lines.error() << "\n";
          ok = false;
          more = false;
          break;
        case input::LineSource::Result::end:
          more = false;
          break;
      }
    }
    flush_output();
    return ok;
  }

  void finish_summary() const {
    if (options_.quiet) return;
    std::cerr << "wfsend lint: " << lines_ << " lines, " << problems_ << " with errors, " << warned_lines_
              << " with warnings" << (options_.strict && warned_lines_ != 0 ? " (errors with --strict)" : "");
    if (printed_ > options_.max_problems) std::cerr << " (first " << options_.max_problems << " shown)";
    std::cerr << "\n";
  }
  std::uint64_t problems() const { return problems_; }
  std::uint64_t warned_lines() const { return warned_lines_; }

 private:
  static constexpr std::size_t kMaxLine = std::size_t{1} << 20;  // the reader's and the tracing port's limit

  void check(const std::string& file, std::size_t line_number, std::string_view line) {
    ++lines_;
    if (line.find_first_not_of(" \t") == std::string_view::npos)
      return;  // blank lines are skipped, as the proxy does
    const wavefront::Status status = reader_.read(line, expected_);
    if (!status.ok()) {
      report(file, line_number, reader_.error_column(), wavefront::error_code_name(status.code()),
             status.message());
      return;
    }
    if (!reader_.warnings().empty() && !options_.no_warnings) {
      ++warned_lines_;
      for (const wavefront::ReadWarning& warning : reader_.warnings()) {
        if (options_.strict) {
          print(file, line_number, warning.column, warning.rule, warning.message);
        } else {
          print(file, line_number, warning.column, "warning",
                std::string(warning.rule) + ": " + warning.message);
        }
      }
    }
    const std::size_t limit = proxy_line_limit(reader_.parsed().kind);
    if (line.size() > limit) {
      report(file, line_number, limit + 1, "line_too_long",
             "a " + std::string(wavefront::line_kind_name(reader_.parsed().kind)) + " line of " +
                 std::to_string(line.size()) + " bytes; the proxy drops lines over " + std::to_string(limit));
    }
  }

  void report(const std::string& file, std::size_t line_number, std::size_t column, std::string_view code,
              std::string_view message) {
    ++problems_;
    print(file, line_number, column, code, message);
  }

  void print(const std::string& file, std::size_t line_number, std::size_t column, std::string_view code,
             std::string_view message) {
    if (++printed_ > options_.max_problems) return;
    output_ += file;
    output_ += ':';
    output_ += std::to_string(line_number);
    output_ += ':';
    output_ += std::to_string(column);
    output_ += ": ";
    output_ += code;
    output_ += ": ";
    output_ += message;
    output_ += '\n';
    if (output_.size() > (1 << 16)) flush_output();
  }

  void flush_output() {
    std::fwrite(output_.data(), 1, output_.size(), stdout);
    std::fflush(stdout);
    output_.clear();
  }

  const LintOptions& options_;
  std::optional<wavefront::LineKind> expected_;
  wavefront::LineReader reader_;
  std::string output_;
  std::uint64_t lines_ = 0;
  std::uint64_t problems_ = 0;      // lines with an error
  std::uint64_t warned_lines_ = 0;  // accepted lines with at least one warning
  std::uint64_t printed_ = 0;
};

int run_lint(const LintOptions& options) {
  std::optional<wavefront::LineKind> expected;
  if (options.format != "auto") {
    for (std::size_t index = 0; index < wavefront::kLineKindCount; ++index) {
      const auto kind = static_cast<wavefront::LineKind>(index);
      if (options.format == wavefront::line_kind_name(kind)) expected = kind;
    }
  }
  Linter linter(options, expected);
  bool readable = true;
  for (const std::string& file : options.files) readable = linter.lint(file) && readable;
  linter.finish_summary();
  if (!readable) return kExitUsage;
  if (linter.problems() != 0 || (options.strict && linter.warned_lines() != 0)) return kExitRejected;
  return linter.warned_lines() == 0 ? kExitOk : kExitWarnings;
}

}  // namespace

void add_lint_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<LintOptions>();
  CLI::App* command = app.add_subcommand(
      "lint",
      "Check lines in the Wavefront data format; print FILE:LINE:COLUMN: code: message for each problem");
  command
      ->add_option("files", options->files, "Files to check (- for standard input; gzip read transparently)")
      ->required();
  command
      ->add_option("--format", options->format,
                   "The kind every line must be (default: detected per line, as the proxy does)")
      ->check(CLI::IsMember({"auto", "metric", "distribution", "span", "span_logs", "event"}))
      ->capture_default_str();
  command
      ->add_option("--max-problems", options->max_problems,
                   "Print at most this many problems (all are counted)")
      ->capture_default_str();
  command->add_flag("--quiet,-q", options->quiet, "No summary on stderr; only problems and the exit code");
  command->add_flag(
      "--strict", options->strict,
      "Warnings are errors (exit code 1): what the proxy accepts but a correct SDK would not write");
  command->add_flag("--no-warnings", options->no_warnings, "Report errors only");
  command->footer(kWarningHelp);
  command->callback([options, &exit_code] { exit_code = run_lint(*options); });
}

}  // namespace wfsend
