// Number and UUID writers; see numbers.h.
#include "wavefront/format/numbers.h"

#include <charconv>

namespace wavefront::format {

void append_double(std::string& out, double value) {
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
