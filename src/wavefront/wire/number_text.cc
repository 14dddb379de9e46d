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

std::int64_t epoch_seconds(double timestamp) noexcept {
  double seconds = timestamp;
  if (timestamp >= 1e17) {
    seconds = timestamp / 1e9;
  } else if (timestamp >= 1e14) {
    seconds = timestamp / 1e6;
  } else if (timestamp >= 1e11) {
    seconds = timestamp / 1e3;
  }
  if (!(seconds < 9.2e18)) return std::numeric_limits<std::int64_t>::max();
  return static_cast<std::int64_t>(std::floor(seconds));
}

}  // namespace wavefront::wire
