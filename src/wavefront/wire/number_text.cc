// See number_text.h.
#include "wavefront/wire/number_text.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace wavefront::wire {

NumberText parse_double(std::string_view text, double& value) noexcept {
  bool negative = false;
  std::string_view digits = text;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  if (digits == "NaN") {
    value = std::numeric_limits<double>::quiet_NaN();
    return NumberText::non_finite;
  }
  if (digits == "Infinity") {
    value = negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    return NumberText::non_finite;
  }
  // from_chars also reads "inf", "nan" and hex forms, which Java does not: only digits and '.' may start.
  if (digits.empty() || !((digits.front() >= '0' && digits.front() <= '9') || digits.front() == '.')) {
    return NumberText::not_a_number;
  }
  const char* end = digits.data() + digits.size();
  const auto [last, error] = std::from_chars(digits.data(), end, value, std::chars_format::general);
  if (last != end) return NumberText::not_a_number;
  if (error == std::errc::result_out_of_range) {
    // Java rounds overflow to infinity and underflow to zero; from_chars leaves value unset. The
    // decimal exponent of the first significant digit says which one happened.
    long exponent = 0;
    long first_significant = 0;  // digits before the point, counted from the first non-zero one
    bool seen_point = false, seen_significant = false;
    for (const char* scan = digits.data(); scan != end; ++scan) {
      const char c = *scan;
      if (c == 'e' || c == 'E') {
        std::from_chars(scan + 1 + (scan[1] == '+' ? 1 : 0), end, exponent);
        break;
      }
      if (c == '.') {
        seen_point = true;
      } else if (c != '0' || seen_significant) {
        seen_significant = true;
        if (!seen_point) ++first_significant;
      } else if (seen_point) {
        --first_significant;
      }
    }
    value = first_significant + exponent > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  } else if (error != std::errc()) {
    return NumberText::not_a_number;
  }
  if (negative) value = -value;
  return std::isfinite(value) ? NumberText::ok : NumberText::non_finite;
}

bool parse_int64(std::string_view text, std::int64_t& value) noexcept {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  const auto [last, error] = std::from_chars(text.data(), end, value);
  return error == std::errc() && last == end;
}

namespace {

// Java's double-to-long conversion: truncation toward zero, saturating, NaN is 0.
std::int64_t java_long(double value) noexcept {
  if (std::isnan(value)) return 0;
  if (value >= 9.223372036854775807e18) return std::numeric_limits<std::int64_t>::max();
  if (value <= -9.223372036854775808e18) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(value);
}

}  // namespace

Timestamp proxy_timestamp(double timestamp) noexcept {
  const std::int64_t whole = java_long(timestamp);
  if (whole < 1000000000000) {
    const std::int64_t milliseconds = java_long(1000 * timestamp);
    if (milliseconds % 1000 == 0) return Timestamp::from_seconds(milliseconds / 1000);
    return Timestamp::from_milliseconds(milliseconds);
  }
  if (whole < 10000000000000) return Timestamp::from_milliseconds(whole);
  if (whole < 10000000000000000) return Timestamp::from_milliseconds(whole / 1000);
  return Timestamp::from_milliseconds(whole / 1000000);
}

}  // namespace wavefront::wire
