// Errors as values: the stable error codes of the wire-format contract, `Status` and `Expected<T>`.
//
// Every call on the send path returns one of these instead of throwing. Application code checks
// `status.ok()` (or just ignores it: a refused point is also counted by the sender), logs
// `status.message()`, and may switch on `status.code()`, whose spelling from `error_code_name` is
// stable and matches the spec (`invalid_tag_value`, `name_too_long`, ...).
//
// Thread-safety: value types; distinct objects may be used from distinct threads freely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "wavefront/export.h"

namespace wavefront {

// Why something was refused or failed. The first group is the wire-format contract (§3.5 of the
// spec); the rest come from senders and configuration.
//
// The numbers are part of the API (programs store and compare them): each is written out, never
// changes and is never reused, even if its code is retired. A new code takes the next unused number.
// test/unit/status_test.cc fails when one changes.
enum class ErrorCode : std::uint8_t {
  ok = 0,
  // Input refused by validation.
  invalid_name = 1,
  invalid_source = 2,
  invalid_tag_key = 3,
  invalid_tag_value = 4,
  non_finite_value = 5,
  negative_delta = 6,
  invalid_timestamp = 7,
  name_too_long = 8,
  source_too_long = 9,
  too_many_tags = 10,
  tag_key_too_long = 11,
  tag_value_too_long = 12,
  tag_too_long = 13,
  span_name_too_long = 14,
  span_logs_too_long = 15,
  empty_histogram = 16,
  invalid_centroid = 17,
  invalid_id = 18,
  // Reading lines written by someone else (LineReader).
  malformed_line = 19,  // not in the data format: a missing field, an unterminated quote, a stray token
  invalid_number = 20,  // a value, timestamp, count or mean that is not a number
  line_too_long = 21,   // longer than the reader's max_line_length
  // Senders and configuration.
  invalid_argument = 22,  // a configuration value or argument outside its documented range
  not_configured = 23,    // the data type has no destination (e.g. no tracing port)
  closed = 24,            // the sender was closed
  queue_full = 25,        // the per-type buffer was full and the point was dropped
  timeout = 26,           // a deadline passed before the operation completed
  io_error = 27,          // a socket, file or HTTP failure
  too_large = 28,         // one item larger than the sender's queue can ever hold (max_queue_bytes)
};

// Which argument of a send call (or format function) a validation refusal is about. Named after the
// parameters of `Sender`'s send calls; `field_name` spells them. Pinned and never reused, like
// ErrorCode. For a list argument, `Status::index()` says which element.
enum class Field : std::uint8_t {
  none = 0,           // not about one argument (queue_full, closed, a malformed line, ...)
  name = 1,           // metric, distribution, span or event name
  value = 2,          // a metric's or delta counter's value
  timestamp = 3,      // a point's or distribution's timestamp
  source = 4,         // the source (an event's host)
  tags = 5,           // point tags, span tags, an event's plain tags; index: the tag
  centroids = 6,      // index: the centroid
  granularities = 7,  // a distribution's granularity set
  start_ms = 8,       // a span's or event's start
  duration_ms = 9,    // a span's duration
  end_ms = 10,        // an event's end
  trace_id = 11,      // a span's trace id
  span_id = 12,       // a span's own id
  parents = 13,       // index: the parent id
  follows_from = 14,  // index: the follows-from id
  span_logs = 15,     // index: the span log (none: the whole span-logs line)
  annotations = 16,   // an event's annotations (key=value); index: the annotation
};

// The stable snake_case spelling of a field, e.g. "trace_id"; "" for Field::none.
WAVEFRONT_API std::string_view field_name(Field field) noexcept;

// The stable snake_case spelling of a code, e.g. "invalid_tag_value".
WAVEFRONT_API std::string_view error_code_name(ErrorCode code) noexcept;

// The outcome of an operation: ok, or a code plus a message that names the field, the rule and the
// offending value; a validation refusal also carries the refused argument as a value (`field()`, and
// `index()` for an element of a list), set where the rule is checked, so that tools can point at it
// without reading the message. Success costs no allocation.
class WAVEFRONT_API Status {
 public:
  Status() noexcept = default;
  Status(ErrorCode code, std::string message)
      : code_(code),
        message_(code == ErrorCode::ok ? nullptr : std::make_shared<const std::string>(std::move(message))) {}
  // Shares an immutable message: copying such a Status allocates nothing (used for refusals that
  // can happen on every send, such as queue_full).
  Status(ErrorCode code, std::shared_ptr<const std::string> message)
      : code_(code), message_(std::move(message)) {}

  static Status success() noexcept { return Status(); }

  bool ok() const noexcept { return code_ == ErrorCode::ok; }
  explicit operator bool() const noexcept { return ok(); }
  ErrorCode code() const noexcept { return code_; }
  // Empty when ok.
  const std::string& message() const noexcept;

  // "code: message", or "ok".
  std::string to_string() const;

  // The refused argument; Field::none when the refusal is not about one.
  Field field() const noexcept { return field_; }
  // The refused element of a list argument (tags, centroids, parents, span logs, ...), or kNoIndex.
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
  std::size_t index() const noexcept { return index_ == kNoIndex32 ? kNoIndex : index_; }
  // Sets the refused argument (and element); used where a rule is checked. Chains:
  // `return Status(code, message).at(Field::tags, 3);`
  Status& at(Field field, std::size_t index = kNoIndex) & noexcept {
    field_ = field;
    index_ = index >= kNoIndex32 ? kNoIndex32 : static_cast<std::uint32_t>(index);
    return *this;
  }
  Status&& at(Field field, std::size_t index = kNoIndex) && noexcept { return std::move(at(field, index)); }

 private:
  static constexpr std::uint32_t kNoIndex32 = 0xFFFFFFFFU;
  ErrorCode code_ = ErrorCode::ok;
  Field field_ = Field::none;
  std::uint32_t index_ = kNoIndex32;  // fits beside code_ and field_: a Status stays 24 bytes
  // Only an error carries a message, so a successful Status is a code and a null pointer.
  std::shared_ptr<const std::string> message_;
};

// A value of type T, or the Status that explains why there is none.
template <class T>
class Expected {
 public:
  Expected(T value) : value_(std::move(value)) {}       // NOLINT(google-explicit-constructor)
  Expected(Status error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const noexcept { return error_.ok(); }
  explicit operator bool() const noexcept { return ok(); }
  const Status& status() const noexcept { return error_; }

  // Only meaningful when ok().
  T& value() & { return value_; }
  const T& value() const& { return value_; }
  T&& value() && { return std::move(value_); }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }
  T& operator*() & { return value_; }
  const T& operator*() const& { return value_; }

 private:
  T value_{};
  Status error_;
};

}  // namespace wavefront
