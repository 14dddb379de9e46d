// The final report of `wfsend import`: rows read, what the sender accepted, delivered, dropped (by
// reason) and still held, what was invalid (refused by wfsend's checks plus the library's validation),
// bytes, time and rate; as text for stderr or as one JSON object (--json). The sender's numbers are the
// library's own final SenderStats, so they match its accounting exactly. import_command.cc fills it.
//
// Thread-safety: plain data and pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "wavefront/sender.h"
#include "wfsend/import/import_context.h"

namespace wfsend::import {

struct ImportSummary {
  std::string file;         // display name of the input
  std::string format;       // csv, lines, jsonl
  std::string destination;  // Destination::description
  ImportCounts counts;
  std::uint64_t problems = 0;
  std::uint64_t distributions = 0;  // sent by the aggregator
  std::uint64_t file_bytes = 0;     // read from the file (compressed bytes for gzip)
  std::uint64_t input_bytes = 0;    // after inflating
  bool compressed = false;
  double elapsed_seconds = 0;
  wavefront::SenderStats stats;
  bool interrupted = false;
  bool stopped_at_max_errors = false;
  bool stalled = false;                    // the destination took nothing for --block-timeout
  std::uint64_t distributions_unsent = 0;  // aggregated, never sent because the destination stalled
  int exit_code = 0;
};

std::string render_text(const ImportSummary& summary);
// One line of JSON, ending in '\n'.
std::string render_json(const ImportSummary& summary);

}  // namespace wfsend::import
