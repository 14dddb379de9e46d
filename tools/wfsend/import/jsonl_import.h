// `wfsend import --format jsonl`: one JSON object per line in the call shape of the conformance
// vectors (test/vectors/README.md), so that any data type can be replayed from a file:
//
//   {"kind": "metric", "name": "cpu", "value": 42.5, "timestamp": 1700000000, "source": "h", "tags": [["env",
//   "prod"]]}
//   {"kind": "delta", ...the same fields...}
//   {"kind": "distribution", "name": "lat", "centroids": [[30.0, 20], [5.1, 10]], "granularities":
//   ["minute"], ...}
//   {"kind": "span", "name": "get", "start_ms": 1700000000123, "duration_ms": 45, "source": "h",
//    "trace_id": "...", "span_id": "...", "parents": [], "follows_from": [], "tags": [["application", "a"]],
//    "span_logs": [{"timestamp_us": 1700000000123456, "fields": {"event": "error"}}]}
//   {"kind": "event", "name": "deploy", "start_ms": 1700000000000, "end_ms": 0, "source": "ci",
//    "annotations": {"severity": "info"}, "tags": ["release"]}
//
// Tags, annotations and span-log fields are a list of [key, value] pairs or an object. Optional fields:
// timestamp (absent or null: none), source (the default source), tags, parents, follows_from, span_logs,
// annotations ([]/{}), end_ms (0: an instant event), granularities (["minute"]). A number may be given as
// the string "NaN", "Infinity" or "-Infinity"; such values reach the library, which refuses them
// (non_finite_value) as the spec says. Unknown kinds and fields, wrong types and JSON syntax errors are
// refused with the line and column; library refusals point at the field they concern.
//
// Thread-safety: none; one importer per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "input/byte_source.h"
#include "wavefront/json.h"
#include "wavefront/types.h"
#include "wfsend/import/import_context.h"

namespace wfsend::import {

class JsonlImporter {
 public:
  explicit JsonlImporter(ImportContext& context) : context_(context) {}

  // Reads every line of `source` until its end, a stop (Ctrl-C, --max-errors) or a read error (reported).
  void run(input::ByteSource& source);
  // Imports one line (blank lines are skipped and not counted as rows).
  void import_line(std::string_view line, std::uint64_t line_number);

 private:
  struct Refusal {
    wavefront::ErrorCode code = wavefront::ErrorCode::ok;
    std::string message;
    std::size_t offset = 0;  // byte offset in the line
  };
  bool send_call(const wavefront::JsonValue& call, std::string_view kind, std::uint64_t line_number);
  bool read_tags(const wavefront::JsonValue* value, std::string_view field, std::vector<wavefront::Tag>& out);
  bool read_strings(const wavefront::JsonValue* value, std::string_view field,
                    std::vector<std::string_view>& out);
  bool read_span_logs(const wavefront::JsonValue* value);
  bool read_centroids(const wavefront::JsonValue* value);
  bool read_granularities(const wavefront::JsonValue* value, wavefront::GranularitySet& out);
  bool fail(wavefront::ErrorCode code, std::string message, const wavefront::JsonValue* at);
  std::size_t offset_of(const wavefront::JsonValue* value) const;
  std::uint64_t column_of(std::size_t offset) const;

  ImportContext& context_;
  wavefront::JsonParser parser_;
  wavefront::JsonValue object_;
  std::string_view line_;
  Refusal refusal_;
  // The call's lists, reused from line to line; views into the parsed line.
  std::vector<wavefront::Tag> tags_;
  std::vector<std::string_view> strings_a_;
  std::vector<std::string_view> strings_b_;
  std::vector<wavefront::Centroid> centroids_;
  std::vector<std::vector<wavefront::Tag>> log_fields_;
  std::vector<wavefront::SpanLog> span_logs_;
};

}  // namespace wfsend::import
