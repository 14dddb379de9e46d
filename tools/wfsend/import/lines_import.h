// `wfsend import --format lines`: lines already in the Wavefront data format (any data type, in the
// proxy's grammar), each read and validated by wavefront::LineReader and re-sent through its typed
// call, so what goes out is the canonical form this library writes. A refused line is reported with
// its line, the reader's column, the contract's error code and the reason. With --aggregate, metric
// lines (not delta counters) go into the aggregator instead.
//
// Spans with logs: on the wire a span tagged "_spanLogs"="true" is followed by its span-logs line,
// which embeds the span again, and re-sending the span-logs line writes both (span, then logs). So a
// span line with that tag is held until the next line: its own span-logs line replaces it; anything
// else sends the held span on its own first (the tag cannot be expressed without the logs).
//
// Thread-safety: none; one importer per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "input/byte_source.h"
#include "wavefront/line_reader.h"
#include "wfsend/import/import_context.h"

namespace wfsend::import {

class LinesImporter {
 public:
  explicit LinesImporter(ImportContext& context,
                         wavefront::LineReaderOptions options = wavefront::LineReaderOptions());

  // Reads every line of `source` until its end, a stop (Ctrl-C, --max-errors) or a read error.
  void run(input::ByteSource& source);
  // Imports one line, given without its line end (blank lines are skipped and not counted as rows).
  void import_line(std::string_view line, std::uint64_t line_number);
  // Sends a held span, if any (run() calls it at the end of the input).
  void finish();

 private:
  void send_parsed(std::uint64_t line_number);
  void send_pending_span();

  ImportContext& context_;
  wavefront::LineReader reader_;
  std::string pending_span_;  // a span line waiting for its span-logs line
  std::uint64_t pending_line_number_ = 0;
  std::string pending_ids_;  // its trace id and span id, to recognize its span-logs line
};

}  // namespace wfsend::import
