// Reading the numbers of a data-format line as the proxy's Java code reads them (private).
#pragma once

#include <cstdint>
#include <string_view>

#include "wavefront/types.h"

namespace wavefront::wire {

enum class NumberText : unsigned char { ok, not_a_number, non_finite };

// Double.parseDouble's decimal forms: optional sign, digits with an optional '.', optional exponent;
// "NaN" and "Infinity" (signed) are numbers but not finite.
NumberText parse_double(std::string_view text, double& value) noexcept;

// An optionally signed decimal integer that fits 64 bits.
bool parse_int64(std::string_view text, std::int64_t& value) noexcept;

// A point or event timestamp as the proxy stores it (AbstractIngesterFormatter.
// timestampInMilliseconds): below 10^12 seconds (a fraction kept to the millisecond, truncated as
// Java's (long) cast does), below 10^13 milliseconds, below 10^16 microseconds, else nanoseconds.
// Seconds without a fraction stay seconds; everything else becomes milliseconds.
Timestamp proxy_timestamp(double timestamp) noexcept;

// Whether a token looks like a number to the proxy (its first character is a digit).
constexpr bool starts_with_digit(std::string_view text) noexcept {
  return !text.empty() && text.front() >= '0' && text.front() <= '9';
}

}  // namespace wavefront::wire
