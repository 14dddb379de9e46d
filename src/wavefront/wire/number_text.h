// Reading the numbers of a data-format line as the proxy's Java code reads them (private).
#pragma once

#include <cstdint>
#include <string_view>

namespace wavefront::wire {

enum class NumberText : unsigned char { ok, not_a_number, non_finite };

// Double.parseDouble's decimal forms: optional sign, digits with an optional '.', optional exponent;
// "NaN" and "Infinity" (signed) are numbers but not finite.
NumberText parse_double(std::string_view text, double& value) noexcept;

// An optionally signed decimal integer that fits 64 bits.
bool parse_int64(std::string_view text, std::int64_t& value) noexcept;

// A point timestamp in whatever unit the writer used, as epoch seconds: values of 10^17 and more are
// nanoseconds, 10^14 and more microseconds, 10^11 and more milliseconds, smaller ones seconds.
std::int64_t epoch_seconds(double timestamp) noexcept;
// Epoch seconds from here on would be read back as milliseconds.
inline constexpr std::int64_t kMaxEpochSeconds = 100000000000;

// Whether a token looks like a number to the proxy (its first character is a digit).
constexpr bool starts_with_digit(std::string_view text) noexcept {
  return !text.empty() && text.front() >= '0' && text.front() <= '9';
}

}  // namespace wavefront::wire
