// Number and UUID writers; see numbers.h.
#include "wavefront/format/numbers.h"

#include <charconv>
#include <iterator>

namespace wavefront::format {

namespace {

std::size_t decimal_digits(std::uint64_t value) {
  std::size_t digits = 1;
  for (; value >= 10; value /= 10) ++digits;
  return digits;
}

// Fast path for the values most metrics have: at most 15 significant digits and 6 decimals, printed in
// fixed notation. A decimal of at most 15 significant digits is the only one of that size that reads
// back to its double (DBL_DIG), so when it reads back exactly it is the shortest round-trip form, the
// one std::to_chars prints. Returns false (appending nothing) to leave the value to std::to_chars.
bool append_short_decimal(std::string& out, double value) {
  const double magnitude = value < 0 ? -value : value;
  if (!(magnitude >= 1e-6 && magnitude < 1e15)) return false;
  static constexpr double kPowersOf10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
  for (std::size_t decimals = 0; decimals < std::size(kPowersOf10); ++decimals) {
    const double scaled = magnitude * kPowersOf10[decimals];
    if (scaled >= 1e15) return false;
    auto digits = static_cast<std::uint64_t>(scaled);
    // digits / 10^decimals is correctly rounded, so equality means the decimal reads back as value.
    if (static_cast<double>(digits) != scaled) continue;
    if (static_cast<double>(digits) / kPowersOf10[decimals] != magnitude) continue;
    std::size_t places = decimals;
    for (; places > 0 && digits % 10 == 0; --places) digits /= 10;
    const std::size_t length = decimal_digits(digits);
    std::size_t significant = length;
    for (std::uint64_t rest = digits; rest % 10 == 0; rest /= 10) --significant;
    // to_chars picks the shorter of fixed and scientific notation, fixed on a tie.
    const std::size_t fixed_length = (length > places ? length : places + 1) + (places > 0 ? 1 : 0);
    const long exponent = static_cast<long>(length) - 1 - static_cast<long>(places);
    const std::size_t scientific_length =
        significant + (significant > 1 ? 1 : 0) + 2 + ((exponent >= 100 || exponent <= -100) ? 3 : 2);
    if (scientific_length < fixed_length) return false;
    char buffer[24];
    char* const end = buffer + sizeof buffer;
    char* cursor = end;
    std::uint64_t rest = digits;
    for (std::size_t place = 0; place < places; ++place, rest /= 10)
      *--cursor = static_cast<char>('0' + rest % 10);
    if (places > 0) *--cursor = '.';
    do {
      *--cursor = static_cast<char>('0' + rest % 10);
      rest /= 10;
    } while (rest != 0);
    if (value < 0) *--cursor = '-';
    out.append(cursor, static_cast<std::size_t>(end - cursor));
    return true;
  }
  return false;
}

}  // namespace

void append_double(std::string& out, double value) {
  if (append_short_decimal(out, value)) return;
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, static_cast<std::size_t>(result.ptr - buffer));
}

void append_int(std::string& out, std::int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, static_cast<std::size_t>(result.ptr - buffer));
}

bool append_uuid(std::string& out, std::string_view id) {
  constexpr std::size_t kLength = 36;
  if (id.size() != kLength) return false;
  char lower[kLength];
  for (std::size_t index = 0; index < kLength; ++index) {
    const char c = id[index];
    if (index == 8 || index == 13 || index == 18 || index == 23) {
      if (c != '-') return false;
      lower[index] = c;
    } else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
      lower[index] = c;
    } else if (c >= 'A' && c <= 'F') {
      lower[index] = static_cast<char>(c - 'A' + 'a');
    } else {
      return false;
    }
  }
  out.append(lower, kLength);
  return true;
}

}  // namespace wavefront::format
