// Reading timestamps given on the command line or in CSV columns (wfsend send and import).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "wavefront/types.h"

namespace wfsend {

// How a timestamp is written. `automatic` reads all-digit values by magnitude (seconds below
// 10^11, milliseconds below 10^14, microseconds below 10^17, nanoseconds above, as the proxy does),
// anything else as ISO 8601.
enum class TimestampUnit { automatic, seconds, milliseconds, iso8601 };

// Parses "s", "ms", "iso", "auto".
std::optional<TimestampUnit> parse_timestamp_unit(std::string_view text) noexcept;

// Epoch milliseconds, or nullopt when the text is not a timestamp of that unit. ISO 8601 forms:
// 2026-11-25, 2026-11-25T10:20:30, with fractions of a second, with Z or +hh:mm / -hhmm offsets
// (no offset means UTC); a space may stand for the T. Decimal seconds ("1700000000.25") are read too.
std::optional<std::int64_t> parse_timestamp_ms(std::string_view text, TimestampUnit unit) noexcept;

// Epoch milliseconds as a point timestamp that keeps them: whole seconds as seconds, else milliseconds.
inline wavefront::Timestamp point_timestamp_of_ms(std::int64_t milliseconds) noexcept {
  return milliseconds % 1000 == 0 ? wavefront::Timestamp::from_seconds(milliseconds / 1000)
                                  : wavefront::Timestamp::from_milliseconds(milliseconds);
}

}  // namespace wfsend
