// Timestamp (include/wavefront/types.h) and writing it on a line (spec §2.1).
#include <cmath>
#include <limits>
#include <string>

#include "wavefront/format/fields.h"
#include "wavefront/format/numbers.h"
#include "wavefront/types.h"

namespace wavefront {
namespace {

// Doubles of seconds beyond this cannot be a timestamp in any unit the proxy reads (year 33658).
constexpr double kMaxSeconds = 1e12;

}  // namespace

Timestamp::Timestamp(double epoch_seconds) noexcept {
  if (!std::isfinite(epoch_seconds) || std::fabs(epoch_seconds) >= kMaxSeconds) {
    unit_ = Unit::invalid;
    return;
  }
  if (epoch_seconds == std::floor(epoch_seconds)) {
    value_ = static_cast<std::int64_t>(epoch_seconds);
    unit_ = Unit::seconds;
    return;
  }
  // Rounded to the nearest millisecond: 1700000000.123 is a little below .123 as a double.
  const auto milliseconds = static_cast<std::int64_t>(std::llround(epoch_seconds * 1000.0));
  value_ = milliseconds % 1000 == 0 ? milliseconds / 1000 : milliseconds;
  unit_ = milliseconds % 1000 == 0 ? Unit::seconds : Unit::milliseconds;
}

Timestamp::Timestamp(std::chrono::system_clock::time_point time) noexcept {
  using std::chrono::duration_cast;
  using Millis = std::chrono::duration<double, std::milli>;
  const double exact_ms = duration_cast<Millis>(time.time_since_epoch()).count();
  const auto milliseconds = static_cast<std::int64_t>(std::llround(exact_ms));
  value_ = milliseconds % 1000 == 0 ? milliseconds / 1000 : milliseconds;
  unit_ = milliseconds % 1000 == 0 ? Unit::seconds : Unit::milliseconds;
}

std::int64_t Timestamp::milliseconds() const noexcept {
  if (unit_ != Unit::seconds) return value_;
  constexpr std::int64_t kLimit = std::numeric_limits<std::int64_t>::max() / 1000;
  if (value_ > kLimit) return std::numeric_limits<std::int64_t>::max();
  if (value_ < -kLimit) return std::numeric_limits<std::int64_t>::min();
  return value_ * 1000;
}

namespace format {

// The proxy reads a number below 10^12 as seconds, below 10^13 as milliseconds, below 10^16 as
// microseconds, else nanoseconds (AbstractIngesterFormatter.timestampInMilliseconds). Each unit is
// written where the proxy reads it back as the same instant.
Status append_timestamp(std::string& out, Timestamp timestamp, std::string_view field) {
  const std::int64_t value = timestamp.count();
  switch (timestamp.unit()) {
    case Timestamp::Unit::none:
      return Status();
    case Timestamp::Unit::invalid:
      return Status(ErrorCode::invalid_timestamp,
                    std::string(field) + " is not finite or beyond the year 33000 (given as seconds)");
    case Timestamp::Unit::seconds:
      if (Status status = check_timestamp(value, field); !status.ok()) return status;
      if (value >= kMaxEpochSecondsOnWire) {
        return Status(ErrorCode::invalid_timestamp,
                      std::string(field) + " is " + std::to_string(value) +
                          " seconds; the proxy would read 10^12 or more as milliseconds");
      }
      out += ' ';
      append_int(out, value);
      return Status();
    case Timestamp::Unit::milliseconds:
      if (Status status = check_timestamp(value, field); !status.ok()) return status;
      if (value >= 10 * kMaxEpochSecondsOnWire) {
        return Status(ErrorCode::invalid_timestamp,
                      std::string(field) + " is " + std::to_string(value) +
                          " milliseconds; the proxy would read 10^13 or more as microseconds");
      }
      out += ' ';
      // Below 10^12 the proxy would take milliseconds for seconds: microseconds read back exactly.
      if (value < kMaxEpochSecondsOnWire) {
        if (value < kMaxEpochSecondsOnWire / 100) {
          return Status(ErrorCode::invalid_timestamp,
                        std::string(field) + " is " + std::to_string(value) +
                            " milliseconds; the proxy cannot read milliseconds before 1970-04-26 exactly");
        }
        append_int(out, value);
        out += "000";
        return Status();
      }
      append_int(out, value);
      return Status();
  }
  return Status();
}

bool timestamp_writable(Timestamp timestamp) noexcept {
  const std::int64_t value = timestamp.count();
  switch (timestamp.unit()) {
    case Timestamp::Unit::none:
      return true;
    case Timestamp::Unit::seconds:
      return value > 0 && value < kMaxEpochSecondsOnWire;
    case Timestamp::Unit::milliseconds:
      return value >= kMaxEpochSecondsOnWire / 100 && value < 10 * kMaxEpochSecondsOnWire;
    case Timestamp::Unit::invalid:
      return false;
  }
  return false;
}

char* write_timestamp(char* at, Timestamp timestamp) {
  if (!timestamp_writable(timestamp)) return nullptr;
  const std::int64_t value = timestamp.count();
  switch (timestamp.unit()) {
    case Timestamp::Unit::none:
    case Timestamp::Unit::invalid:
      return at;
    case Timestamp::Unit::seconds:
      *at++ = ' ';
      return write_int(at, value);
    case Timestamp::Unit::milliseconds:
      *at++ = ' ';
      at = write_int(at, value);
      if (value < kMaxEpochSecondsOnWire) {
        for (int zero = 0; zero < 3; ++zero) *at++ = '0';
      }
      return at;
  }
  return at;
}

}  // namespace format
}  // namespace wavefront
