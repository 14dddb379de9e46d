// The interop corpus (test/interop/*.tsv): lines as each official SDK writes them and the inputs of the
// proxy's decoder tests, each with the outcome the proxy gives it. See test/interop/README.md.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "wavefront/line_reader.h"

namespace wavefront::testing {

struct InteropLine {
  std::string file;  // e.g. "python_sdk.tsv"
  std::size_t number = 0;
  bool accept = false;
  std::string kind;  // metric, delta, distribution, span, span_logs, event
  std::string line;
};

inline LineKind interop_line_kind(const std::string& kind) {
  if (kind == "distribution") return LineKind::distribution;
  if (kind == "span") return LineKind::span;
  if (kind == "span_logs") return LineKind::span_logs;
  if (kind == "event") return LineKind::event;
  return LineKind::metric;  // metric, delta
}

// The /report?f= format (the proxy's port handlers) for a kind.
inline std::string interop_format(const std::string& kind) {
  if (kind == "distribution") return "histogram";
  if (kind == "span") return "trace";
  if (kind == "span_logs") return "spanLogs";
  if (kind == "event") return "event";
  return "wavefront";
}

// Every row of every corpus file, in file-name order; an unreadable or malformed row is a row with an
// empty kind (tests fail on it).
inline std::vector<InteropLine> load_interop_corpus(const std::string& directory) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().extension() == ".tsv") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<InteropLine> corpus;
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string text;
    std::size_t number = 0;
    while (std::getline(in, text)) {
      ++number;
      if (text.empty() || text[0] == '#') continue;
      InteropLine row;
      row.file = path.filename().string();
      row.number = number;
      const std::size_t first = text.find('\t');
      const std::size_t second = first == std::string::npos ? first : text.find('\t', first + 1);
      if (second != std::string::npos) {
        const std::string outcome = text.substr(0, first);
        row.accept = outcome == "accept";
        if (outcome == "accept" || outcome == "refuse") row.kind = text.substr(first + 1, second - first - 1);
        row.line = text.substr(second + 1);
      }
      corpus.push_back(row);
    }
  }
  return corpus;
}

inline void PrintTo(const InteropLine& row, std::ostream* out) {
  *out << row.file << ":" << row.number << " " << row.line;
}

// A test name: file stem and line number, e.g. "python_sdk_12".
inline std::string interop_test_name(const InteropLine& row) {
  std::string stem = row.file.substr(0, row.file.find('.'));
  return stem + "_" + std::to_string(row.number);
}

}  // namespace wavefront::testing
