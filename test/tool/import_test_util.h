// Helpers for the in-process tests of `wfsend import`'s pieces: an ImportContext over a
// RecordingSender whose problem messages are captured in memory (open_memstream), and importing CSV
// or JSONL text through it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "support/recording_sender.h"
#include "wfsend/import/aggregate.h"
#include "wfsend/import/csv_import.h"
#include "wfsend/import/import_context.h"
#include "wfsend/import/jsonl_import.h"
#include "wfsend/import/lines_import.h"

namespace wfsend::import::testing {

// What problems were printed, captured from a FILE*.
class CapturedOutput {
 public:
  CapturedOutput() { stream_ = open_memstream(&buffer_, &size_); }
  ~CapturedOutput() {
    std::fclose(stream_);
    std::free(buffer_);
  }
  CapturedOutput(const CapturedOutput&) = delete;
  CapturedOutput& operator=(const CapturedOutput&) = delete;
  std::FILE* stream() { return stream_; }
  std::string text() {
    std::fflush(stream_);
    return std::string(buffer_, size_);
  }
  std::vector<std::string> lines() {
    std::vector<std::string> result;
    const std::string all = text();
    std::size_t begin = 0;
    while (begin < all.size()) {
      std::size_t end = all.find('\n', begin);
      if (end == std::string::npos) end = all.size();
      result.push_back(all.substr(begin, end - begin));
      begin = end + 1;
    }
    return result;
  }

 private:
  std::FILE* stream_ = nullptr;
  char* buffer_ = nullptr;
  std::size_t size_ = 0;
};

// One import's worth of context: the recording sender, problems to memory, no progress line.
struct Harness {
  explicit Harness(ValueMode mode = ValueMode::point, std::uint64_t max_errors = 0,
                   AggregatorOptions aggregator_options = AggregatorOptions())
      : progress(false, stderr, nullptr),
        problems("in", output.stream(), 0, max_errors, &progress),
        aggregator(sender, aggregator_options,
                   [this](const wavefront::Status& status) {
                     problems.report(0, 0, status.code(), status.message());
                   }),
        context(sender, problems, progress, mode, &aggregator) {}

  // Imports CSV text; returns the start() status (a usage error) and leaves results in the members.
  wavefront::Status import_csv(const std::string& text, CsvImportOptions options, char delimiter = ',') {
    input::StringSource source(text, 7);  // small chunks: records cross refills
    CsvReaderOptions reader_options;
    reader_options.delimiter = delimiter;
    reader_options.buffer_bytes = 64;
    CsvReader reader(source, reader_options);
    CsvImporter importer(std::move(options));
    wavefront::Status status = importer.start(reader);
    if (!status.ok()) return status;
    importer.run(context, reader);
    aggregator.finish();
    return status;
  }
  void import_jsonl(const std::string& text) {
    input::StringSource source(text, 5);
    JsonlImporter(context).run(source);
    aggregator.finish();
  }
  void import_lines(const std::string& text) {
    input::StringSource source(text, 5);
    LinesImporter(context).run(source);
    aggregator.finish();
  }
  std::vector<std::string> lines() const { return sender.lines(); }
  std::vector<std::string> problem_lines() { return output.lines(); }

  wavefront::testing::RecordingSender sender;
  CapturedOutput output;
  Progress progress;
  ProblemLog problems;
  Aggregator aggregator;
  ImportContext context;
};

}  // namespace wfsend::import::testing
