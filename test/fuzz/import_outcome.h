// What the import fuzz targets (jsonl_fuzz.cc, import_format_fuzz.cc) keep of one import, so that the
// text read in chunks and read at once can be compared: the importer's counters, what reached the
// CheckingSink (fuzz_sink.h), and the problem messages word for word (lines and columns included).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_sink.h"
#include "wfsend/import/import_context.h"

namespace wavefront::fuzzing {

struct ImportOutcome {
  wfsend::import::ImportCounts counts;
  std::uint64_t calls = 0;
  std::uint64_t lines = 0;
  std::uint64_t digest = 0;
  std::string problems;

  void record(const wfsend::import::ImportCounts& import_counts, const CheckingSink& sink) {
    counts = import_counts;
    calls = sink.calls;
    lines = sink.lines;
    digest = sink.digest;
  }
  // The same calls, lines and problem messages (the counters are compared by each target).
  bool same_output(const ImportOutcome& other) const {
    return calls == other.calls && lines == other.lines && digest == other.digest &&
           problems == other.problems;
  }
};

// An in-memory stream for a ProblemLog: pass stream(), and once the log is gone, take() the text.
class ProblemText {
 public:
  ProblemText() : stream_(open_memstream(&text_, &size_)) {
    if (stream_ == nullptr) std::abort();
  }
  ~ProblemText() {
    if (stream_ != nullptr) std::fclose(stream_);
    std::free(text_);
  }
  ProblemText(const ProblemText&) = delete;
  ProblemText& operator=(const ProblemText&) = delete;

  std::FILE* stream() const { return stream_; }
  std::string take() {
    std::fclose(stream_);
    stream_ = nullptr;
    return std::string(text_, size_);
  }

 private:
  char* text_ = nullptr;
  std::size_t size_ = 0;
  std::FILE* stream_ = nullptr;
};

}  // namespace wavefront::fuzzing
