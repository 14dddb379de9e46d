// A baseline to compare the library against: Wavefront lines built the way a typical existing SDK does.
//
// Each call constructs a std::ostringstream, streams the pieces into it (sanitized names and escaped
// values come back from helpers as new std::strings), and appends `os.str()` to `out`. For valid input
// without repeated tag keys the bytes are exactly the library's: names sanitized with a simple loop
// (characters outside `A-Z a-z 0-9 . _ , - /` become `-`, a leading `~` is kept), values quoted with `"`
// escaped as `\"` and a newline as `\n`, JSON strings escaped as JSON. Unlike the library it validates
// nothing: no UTF-8 check, no trimming, no limits, no reserved keys, no UUID check.
//
// Doubles are written with `os << std::setprecision(17)`, which is lossless but not always shortest
// (0.1 becomes 0.10000000000000001, where the library writes 0.1); the benchmark inputs use values
// whose 17-digit form is also the shortest, so both write the same bytes.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wavefront/types.h"

namespace wavefront_bench::baseline {

using StringPairs = std::vector<std::pair<std::string, std::string>>;

// One log record of a span.
struct LogRecord {
  std::int64_t timestamp_us = 0;
  StringPairs fields;
};

// `"name" value [timestamp] source="source" "k"="v"...\n`
void format_metric(std::string& out, std::string_view name, double value,
                   std::optional<std::int64_t> timestamp, std::string_view source, const StringPairs& tags);

// The same into a caller's stream, so a benchmark can also measure a reused stream.
void write_metric(std::ostream& os, std::string_view name, double value,
                  std::optional<std::int64_t> timestamp, std::string_view source, const StringPairs& tags);

// A metric whose name gets the `∆` prefix.
void format_delta_counter(std::string& out, std::string_view name, double value,
                          std::optional<std::int64_t> timestamp, std::string_view source,
                          const StringPairs& tags);

// `!<granularity> timestamp #count mean ... "name" source="source" "k"="v"...\n`; granularity is 'M', 'H'
// or 'D'. Centroids are written as given (no merging, no skipping).
void format_distribution(std::string& out, std::string_view name,
                         const std::vector<wavefront::Centroid>& centroids, char granularity,
                         std::int64_t timestamp, std::string_view source, const StringPairs& tags);

// The span line into `span_out` and, when there are logs, the span-logs JSON line into `logs_out`.
void format_span(std::string& span_out, std::string& logs_out, std::string_view name, std::int64_t start_ms,
                 std::int64_t duration_ms, std::string_view source, std::string_view trace_id,
                 std::string_view span_id, const std::vector<std::string>& parents, const StringPairs& tags,
                 const std::vector<LogRecord>& logs);

// `@Event start end "name" "k"="v"... host="source" tag="t"...\n`
void format_event(std::string& out, std::string_view name, std::int64_t start_ms, std::int64_t end_ms,
                  std::string_view source, const StringPairs& annotations,
                  const std::vector<std::string>& tags);

// The direct-ingestion JSON body of the same event (no newline).
void format_event_json(std::string& out, std::string_view name, std::int64_t start_ms, std::int64_t end_ms,
                       std::string_view source, const StringPairs& annotations,
                       const std::vector<std::string>& tags);

}  // namespace wavefront_bench::baseline
