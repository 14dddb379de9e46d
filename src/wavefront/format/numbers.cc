// Number and UUID writers; see numbers.h.
#include "wavefront/format/numbers.h"

#include <charconv>
#include <cstring>
#include <initializer_list>
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
// one std::to_chars prints. Returns nullptr (writing nothing) to leave the value to std::to_chars.
char* write_short_decimal(char* at, double value) {
  const double magnitude = value < 0 ? -value : value;
  if (!(magnitude >= 1e-6 && magnitude < 1e15)) return nullptr;
  static constexpr double kPowersOf10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
  for (std::size_t decimals = 0; decimals < std::size(kPowersOf10); ++decimals) {
    const double scaled = magnitude * kPowersOf10[decimals];
    if (scaled >= 1e15) return nullptr;
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
    if (scientific_length < fixed_length) return nullptr;
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
    const auto written = static_cast<std::size_t>(end - cursor);
    std::memcpy(at, cursor, written);
    return at + written;
  }
  return nullptr;
}

}  // namespace

char* write_double(char* at, double value) {
  if (char* end = write_short_decimal(at, value)) return end;
  return std::to_chars(at, at + kMaxDoubleChars, value).ptr;
}

char* write_int(char* at, std::int64_t value) { return std::to_chars(at, at + kMaxIntChars, value).ptr; }

void append_double(std::string& out, double value) {
  char buffer[kMaxDoubleChars];
  out.append(buffer, static_cast<std::size_t>(write_double(buffer, value) - buffer));
}

void append_int(std::string& out, std::int64_t value) {
  char buffer[kMaxIntChars];
  out.append(buffer, static_cast<std::size_t>(write_int(buffer, value) - buffer));
}

namespace {

// The UUID check eight bytes at a time (SWAR). The canonical form's separators ('-', 0x2D) and digits
// ('0'-'9', 'a'-'f') all have bit 0x20 set and 'A'-'F' differ from 'a'-'f' only by it, so once the
// text is known valid, OR-ing 0x20 into every byte writes its lowercase form.
constexpr std::uint64_t kEachByte = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = kEachByte * 0x80;

std::uint64_t load8(const char* bytes) {
  std::uint64_t word;
  std::memcpy(&word, bytes, sizeof word);
  return word;
}

// 0x80 in every byte of `word` that is an ASCII hex digit of either case, 0 elsewhere. Each byte is
// first cut to 7 bits, so the additions below carry into no neighbour.
std::uint64_t hex_digit_bytes(std::uint64_t word) {
  const std::uint64_t ascii = ~word & kHighBits;
  const std::uint64_t low = word & ~kHighBits;
  const std::uint64_t at_least_0 = low + kEachByte * (0x80 - '0');
  const std::uint64_t above_9 = low + kEachByte * (0x80 - '9' - 1);
  const std::uint64_t folded = low | (kEachByte * 0x20);
  const std::uint64_t at_least_a = folded + kEachByte * (0x80 - 'a');
  const std::uint64_t above_f = folded + kEachByte * (0x80 - 'f' - 1);
  return ((at_least_0 & ~above_9) | (at_least_a & ~above_f)) & ascii;
}

// The 0x80 bits of the bytes at `positions` (little-endian: byte i is bits 8i..8i+7).
constexpr std::uint64_t byte_mask(std::initializer_list<int> positions, std::uint64_t byte = 0x80) {
  std::uint64_t mask = 0;
  for (const int position : positions) mask |= byte << (8 * position);
  return mask;
}

}  // namespace

bool append_uuid(std::string& out, std::string_view id) {
  constexpr std::size_t kLength = 36;
  if (id.size() != kLength) return false;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  // Bytes 0-7, 8-15, 16-23, 24-31 and 28-35; the separators are bytes 8, 13, 18 and 23.
  const std::uint64_t words[5] = {load8(id.data()), load8(id.data() + 8), load8(id.data() + 16),
                                  load8(id.data() + 24), load8(id.data() + 28)};
  constexpr std::uint64_t kDashes1 = byte_mask({0, 5}, 0xFF);
  constexpr std::uint64_t kDashes2 = byte_mask({2, 7}, 0xFF);
  const bool separators =
      (words[1] & kDashes1) == (byte_mask({0, 5}, '-')) && (words[2] & kDashes2) == (byte_mask({2, 7}, '-'));
  const bool digits = hex_digit_bytes(words[0]) == kHighBits &&
                      (hex_digit_bytes(words[1]) | byte_mask({0, 5})) == kHighBits &&
                      (hex_digit_bytes(words[2]) | byte_mask({2, 7})) == kHighBits &&
                      hex_digit_bytes(words[3]) == kHighBits && hex_digit_bytes(words[4]) == kHighBits;
  if (!separators || !digits) return false;
  char lower[kLength];
  for (std::size_t index = 0; index < 4; ++index) {
    const std::uint64_t word = words[index] | (kEachByte * 0x20);
    std::memcpy(lower + 8 * index, &word, sizeof word);
  }
  const std::uint64_t tail = words[4] | (kEachByte * 0x20);
  std::memcpy(lower + 28, &tail, sizeof tail);
  out.append(lower, kLength);
  return true;
#else
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
#endif
}

}  // namespace wavefront::format
