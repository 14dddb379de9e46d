// Writing the fields every line shares, with the error messages of the contract (private).
//
// Each function appends one field to `out` or returns the Status to refuse the call with; callers
// roll `out` back on refusal. Messages name the field, the rule and the offending value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "wavefront/format.h"
#include "wavefront/format/sanitize.h"
#include "wavefront/status.h"

namespace wavefront::format {

// How one quoted field is judged: what to call it, which codes to refuse it with, its limit.
struct FieldRules {
  std::string_view field;  // e.g. "metric name", "source"
  ErrorCode invalid;       // code for empty, blank, bad UTF-8, trailing backslash
  std::size_t max_length;  // UTF-16 units as read back
  ErrorCode too_long;
};

// A sanitized metric or distribution name (no quotes). `prefix` is written first and counted (the
// delta sign of a delta counter).
Status write_metric_name(std::string& out, std::string_view name, std::string_view prefix,
                         const FieldRules& rules);

// An escaped value (no quotes): span and event names, tag values.
Status write_value(std::string& out, std::string_view value, const FieldRules& rules);

// The source, falling back to options.default_source when it is empty or blank; line-escaped, or
// JSON-escaped when `json` is set.
Status write_source(std::string& out, std::string_view source, const FormatOptions& options,
                    bool json = false);

Status check_finite(double value, std::string_view field);
Status check_timestamp(std::int64_t value, std::string_view field);

// Numbers of 10^12 and more are not read as seconds by the proxy.
inline constexpr std::int64_t kMaxEpochSecondsOnWire = 1000000000000;

// Appends ' ' and the timestamp in its unit (nothing without one), or refuses one the proxy would
// read as another instant.
Status append_timestamp(std::string& out, Timestamp timestamp, std::string_view field);

// The same through a pointer, for callers that reserved kMaxTimestampChars bytes: writes ' ' and the
// timestamp (nothing without one) exactly as append_timestamp, and returns the end of what it wrote,
// or nullptr (the bytes at `at` being garbage) where append_timestamp would refuse the timestamp.
inline constexpr std::size_t kMaxTimestampChars = 24;
char* write_timestamp(char* at, Timestamp timestamp);
// Whether write_timestamp writes `timestamp` (append_timestamp accepts it), without writing it.
bool timestamp_writable(Timestamp timestamp) noexcept;

// Message builders for the refusals the writers above do not cover.
Status problem_error(ErrorCode code, std::string_view field, FieldProblem problem, std::string_view value);
Status too_long_error(ErrorCode code, std::string_view field, std::size_t length, std::size_t limit,
                      std::string_view value);

// True if a name starts with a delta sign (∆ U+2206 or Δ U+0394): a delta counter to the proxy.
bool has_delta_prefix(std::string_view name) noexcept;

}  // namespace wavefront::format
