// The argument types of the send and format calls: tags, centroids, granularities, span logs.
//
// They are light views and small values, built at the call site (tags may also be a std::map, a
// std::unordered_map or a vector of string pairs; `Tags` is the owning type for a variable):
//
//   sender.send_metric("cpu.usage", 42.5, std::nullopt, "host-01", {{"env", "prod"}});
//   sender.send_distribution("latency", {{30.0, 20}, {5.1, 10}}, Granularity::minute, ts, "", {});
//   sender.send_metric("cpu.usage", 42.5, std::chrono::system_clock::now(), "host-01", {});
//
// The views' strings are `std::string_view`s into the caller's memory: nothing is copied until the
// point is formatted, which happens before the call returns. `Tags` owns its strings.
//
// Thread-safety: plain values and views; see list_view.h.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "wavefront/export.h"
#include "wavefront/list_view.h"

namespace wavefront {

// One point tag, span tag, event annotation or span-log field: a key and a value.
struct Tag {
  std::string_view key;
  std::string_view value;

  Tag() = default;
  Tag(std::string_view tag_key, std::string_view tag_value) : key(tag_key), value(tag_value) {}
};

// A view of tags in the caller's order, the parameter type of every send and format call: it reads a
// braced list, a std::map, a std::unordered_map, or a vector/array of pairs or of Tag, without copying.
// For points, a repeated key keeps its last value; spans keep repeats. Like std::string_view it does
// not own what it shows: write it in the call, do not store it.
using TagList = ListView<Tag>;

// Tags to keep: key/value pairs that own their strings, in insertion order. What a variable of tags
// should be (`Tags tags{{"env", prefix + "x"}};` owns "prodx", nothing dangles); every send call reads
// it through TagList.
using Tags = std::vector<std::pair<std::string, std::string>>;

// Whether a type may be stored past a statement without dangling: true for the owning Tags, false for
// the views. test/unit/tags_ownership_test.cc pins both.
template <class T>
struct owns_its_strings : std::false_type {};
template <>
struct owns_its_strings<std::vector<std::pair<std::string, std::string>>> : std::true_type {};
// A list of strings: span parent ids, follows-from ids, event tags.
using Strings = ListView<std::string_view>;

// Teach ListView<Tag> to read std::pair<K, V> elements, e.g. std::vector<std::pair<std::string,
// std::string>>.
template <class Key, class Value>
struct ListElementAdapter<Tag, std::pair<Key, Value>> {
  static constexpr bool supported = std::is_convertible_v<const Key&, std::string_view> &&
                                    std::is_convertible_v<const Value&, std::string_view>;
  static Tag get(const std::pair<Key, Value>& element) {
    return Tag(std::string_view(element.first), std::string_view(element.second));
  }
};

// When a metric or distribution happened: nothing (the receiver stamps the point), epoch seconds, or
// epoch milliseconds. It converts implicitly from what callers have at hand:
//
//   std::nullopt or {}                      no timestamp
//   1700000000 (any integer)                epoch seconds
//   1700000000.5 (a double of seconds)      whole: seconds; with a fraction: milliseconds, rounded to
//                                           the nearest millisecond (spec §2.1)
//   std::chrono::system_clock::now()        whole second: seconds; otherwise milliseconds (rounded)
//
// Seconds stay seconds and milliseconds stay milliseconds on the wire, so no precision is lost. A
// double that is not finite or out of range makes an invalid timestamp, which the format functions
// refuse with invalid_timestamp. Distributions use whole seconds (their bins are a minute or more).
class WAVEFRONT_API Timestamp {
 public:
  enum class Unit : std::uint8_t { none, seconds, milliseconds, invalid };

  constexpr Timestamp() noexcept = default;
  constexpr Timestamp(std::nullopt_t /*none*/) noexcept {}  // NOLINT(google-explicit-constructor)
  template <class Integer, std::enable_if_t<std::is_integral_v<Integer> && !std::is_same_v<Integer, bool>,
                                            int> = 0>
  constexpr Timestamp(Integer epoch_seconds) noexcept  // NOLINT(google-explicit-constructor)
      : value_(static_cast<std::int64_t>(epoch_seconds)), unit_(Unit::seconds) {}
  Timestamp(double epoch_seconds) noexcept;                        // NOLINT(google-explicit-constructor)
  Timestamp(std::chrono::system_clock::time_point time) noexcept;  // NOLINT(google-explicit-constructor)
  constexpr Timestamp(std::optional<std::int64_t> epoch_seconds) noexcept  // NOLINT
      : value_(epoch_seconds.value_or(0)), unit_(epoch_seconds ? Unit::seconds : Unit::none) {}

  static constexpr Timestamp from_seconds(std::int64_t seconds) noexcept { return Timestamp(seconds); }
  static constexpr Timestamp from_milliseconds(std::int64_t milliseconds) noexcept {
    Timestamp timestamp;
    timestamp.value_ = milliseconds;
    timestamp.unit_ = Unit::milliseconds;
    return timestamp;
  }

  constexpr bool has_value() const noexcept { return unit_ != Unit::none; }
  constexpr explicit operator bool() const noexcept { return has_value(); }
  constexpr Unit unit() const noexcept { return unit_; }
  // The number in its own unit (seconds or milliseconds); 0 when there is none.
  constexpr std::int64_t count() const noexcept { return value_; }
  // Epoch seconds, rounded down when the timestamp is in milliseconds.
  constexpr std::int64_t seconds() const noexcept {
    if (unit_ != Unit::milliseconds) return value_;
    return value_ / 1000 - (value_ % 1000 < 0 ? 1 : 0);
  }
  // Epoch milliseconds (saturating at the int64 range).
  std::int64_t milliseconds() const noexcept;
  constexpr void reset() noexcept { *this = Timestamp(); }

  friend constexpr bool operator==(const Timestamp& left, const Timestamp& right) noexcept {
    return left.unit_ == right.unit_ && left.value_ == right.value_;
  }
  friend constexpr bool operator!=(const Timestamp& left, const Timestamp& right) noexcept {
    return !(left == right);
  }

 private:
  std::int64_t value_ = 0;
  Unit unit_ = Unit::none;
};

// One centroid of a distribution: a mean and how many samples it stands for (1 ... 2^31-1; zero
// counts are skipped, others are refused with invalid_centroid).
struct Centroid {
  double mean = 0;
  std::int64_t count = 0;

  Centroid() = default;
  Centroid(double centroid_mean, std::int64_t centroid_count) : mean(centroid_mean), count(centroid_count) {}
};
using Centroids = ListView<Centroid>;

// The time bins a distribution is reported for; one wire line per granularity (`!M`, `!H`, `!D`).
enum class Granularity : std::uint8_t { minute = 1, hour = 2, day = 4 };

// A set of granularities: `Granularity::minute`, `Granularity::minute | Granularity::hour`, or
// `{Granularity::minute, Granularity::day}`. Lines are written minute, hour, day, whatever the order.
class GranularitySet {
 public:
  constexpr GranularitySet() noexcept = default;
  constexpr GranularitySet(Granularity granularity) noexcept  // NOLINT(google-explicit-constructor)
      : bits_(static_cast<std::uint8_t>(granularity)) {}
  constexpr GranularitySet(std::initializer_list<Granularity> granularities) noexcept {
    for (Granularity granularity : granularities) bits_ |= static_cast<std::uint8_t>(granularity);
  }
  constexpr bool contains(Granularity granularity) const noexcept {
    return (bits_ & static_cast<std::uint8_t>(granularity)) != 0;
  }
  constexpr bool empty() const noexcept { return bits_ == 0; }
  constexpr GranularitySet& operator|=(GranularitySet other) noexcept {
    bits_ |= other.bits_;
    return *this;
  }
  constexpr std::uint8_t bits() const noexcept { return bits_; }

 private:
  std::uint8_t bits_ = 0;
};

constexpr GranularitySet operator|(GranularitySet left, GranularitySet right) noexcept {
  return left |= right;
}
constexpr GranularitySet operator|(Granularity left, Granularity right) noexcept {
  return GranularitySet(left) | GranularitySet(right);
}

// One timestamped log record of a span: microseconds since the epoch, and its fields in order. The
// fields are a view: a braced list written inside the send call lives long enough, but a SpanLog
// stored in a variable must view fields that outlive it (e.g. a std::vector<Tag>).
struct SpanLog {
  std::int64_t timestamp_us = 0;
  TagList fields;

  SpanLog() = default;
  SpanLog(std::int64_t log_timestamp_us, TagList log_fields)
      : timestamp_us(log_timestamp_us), fields(log_fields) {}
};
using SpanLogs = ListView<SpanLog>;

}  // namespace wavefront
