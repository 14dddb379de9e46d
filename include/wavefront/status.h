// Errors as values: the stable error codes of the wire-format contract, `Status` and `Expected<T>`.
//
// Every call on the send path returns one of these instead of throwing. Application code checks
// `status.ok()` (or just ignores it: a refused point is also counted by the sender), logs
// `status.message()`, and may switch on `status.code()`, whose spelling from `error_code_name` is
// stable and matches the spec (`invalid_tag_value`, `name_too_long`, ...).
//
// Thread-safety: value types; distinct objects may be used from distinct threads freely.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "wavefront/export.h"

namespace wavefront {

// Why something was refused or failed. The first group is the wire-format contract (§3.5 of the
// spec); the rest come from senders and configuration.
enum class ErrorCode : std::uint8_t {
  ok = 0,
  // Input refused by validation.
  invalid_name,
  invalid_source,
  invalid_tag_key,
  invalid_tag_value,
  non_finite_value,
  negative_delta,
  invalid_timestamp,
  name_too_long,
  source_too_long,
  too_many_tags,
  tag_key_too_long,
  tag_value_too_long,
  tag_too_long,
  span_name_too_long,
  span_logs_too_long,
  empty_histogram,
  invalid_centroid,
  invalid_id,
  // Reading lines written by someone else (LineReader).
  malformed_line,  // not in the data format: a missing field, an unterminated quote, a stray token
  invalid_number,  // a value, timestamp, count or mean that is not a number
  line_too_long,   // longer than the reader's max_line_length
  // Senders and configuration.
  invalid_argument,  // a configuration value or argument outside its documented range
  not_configured,    // the data type has no destination (e.g. no tracing port)
  closed,            // the sender was closed
  queue_full,        // the per-type buffer was full and the point was dropped
  timeout,           // a deadline passed before the operation completed
  io_error,          // a socket, file or HTTP failure
  too_large,         // one item larger than the sender's queue can ever hold (max_queue_bytes)
};

// The stable snake_case spelling of a code, e.g. "invalid_tag_value".
WAVEFRONT_API std::string_view error_code_name(ErrorCode code) noexcept;

// The outcome of an operation: ok, or a code plus a message that names the field, the rule and the
// offending value. Success costs no allocation.
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

 private:
  ErrorCode code_ = ErrorCode::ok;
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
