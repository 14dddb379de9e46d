// See timestamp.h.
#include "wfsend/timestamp.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace wfsend {

std::optional<TimestampUnit> parse_timestamp_unit(std::string_view text) noexcept {
  if (text == "auto") return TimestampUnit::automatic;
  if (text == "s") return TimestampUnit::seconds;
  if (text == "ms") return TimestampUnit::milliseconds;
  if (text == "iso") return TimestampUnit::iso8601;
  return std::nullopt;
}

namespace {

// Reads exactly `width` digits at text[position].
bool read_digits(std::string_view text, std::size_t& position, std::size_t width, int& value) noexcept {
  if (position + width > text.size()) return false;
  value = 0;
  for (std::size_t index = 0; index < width; ++index) {
    const char c = text[position + index];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  position += width;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil-from-days inverse).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) noexcept {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

bool is_leap(int year) noexcept { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

std::optional<std::int64_t> parse_iso8601_ms(std::string_view text) noexcept {
  std::size_t at = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, at, 4, year) || at >= text.size() || text[at++] != '-') return std::nullopt;
  if (!read_digits(text, at, 2, month) || at >= text.size() || text[at++] != '-') return std::nullopt;
  if (!read_digits(text, at, 2, day)) return std::nullopt;
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 ||
      day > kDaysInMonth[month - 1] + (month == 2 && is_leap(year) ? 1 : 0)) {
    return std::nullopt;
  }
  std::int64_t millis = 0;
  std::int64_t offset_minutes = 0;
  if (at < text.size() && (text[at] == 'T' || text[at] == 't' || text[at] == ' ')) {
    ++at;
    if (!read_digits(text, at, 2, hour) || at >= text.size() || text[at++] != ':') return std::nullopt;
    if (!read_digits(text, at, 2, minute)) return std::nullopt;
    if (at < text.size() && text[at] == ':') {
      ++at;
      if (!read_digits(text, at, 2, second)) return std::nullopt;
      if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
        ++at;
        std::int64_t scale = 100;
        const std::size_t first = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
          millis += static_cast<std::int64_t>(text[at] - '0') * scale;
          scale /= 10;
          ++at;
        }
        if (at == first) return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (at < text.size()) {
      const char zone = text[at];
      if (zone == 'Z' || zone == 'z') {
        ++at;
      } else if (zone == '+' || zone == '-') {
        ++at;
        int offset_hours = 0, offset_mins = 0;
        if (!read_digits(text, at, 2, offset_hours)) return std::nullopt;
        if (at < text.size() && text[at] == ':') ++at;
        if (!read_digits(text, at, 2, offset_mins) || offset_hours > 23 || offset_mins > 59)
          return std::nullopt;
        offset_minutes = (zone == '+' ? 1 : -1) * (std::int64_t{offset_hours} * 60 + offset_mins);
      }
    }
  }
  if (at != text.size()) return std::nullopt;
  const std::int64_t seconds =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
      std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::optional<double> parse_number(std::string_view text) noexcept {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [last, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || last != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::int64_t> parse_timestamp_ms(std::string_view text, TimestampUnit unit) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  if (unit == TimestampUnit::iso8601) return parse_iso8601_ms(text);
  const bool numeric = text.find_first_not_of("0123456789.") == std::string_view::npos;
  if (!numeric) return unit == TimestampUnit::automatic ? parse_iso8601_ms(text) : std::nullopt;
  const std::optional<double> value = parse_number(text);
  if (!value || *value <= 0) return std::nullopt;
  double millis = *value;
  switch (unit) {
    case TimestampUnit::seconds:
      millis = *value * 1000.0;
      break;
    case TimestampUnit::milliseconds:
      break;
    case TimestampUnit::automatic:
      millis = *value < 1e11   ? *value * 1000.0
               : *value < 1e14 ? *value
               : *value < 1e17 ? *value / 1e3
                               : *value / 1e6;
      break;
    case TimestampUnit::iso8601:
      break;
  }
  if (!(millis < 9.2e18)) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(millis));
}

}  // namespace wfsend
