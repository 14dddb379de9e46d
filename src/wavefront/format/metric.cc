// Metric and delta-counter lines (spec §2.1).
#include <cmath>
#include <cstring>
#include <string>

#include "wavefront/format.h"
#include "wavefront/format/fields.h"
#include "wavefront/format/metric.h"
#include "wavefront/format/numbers.h"
#include "wavefront/format/sanitize.h"
#include "wavefront/format/tags.h"

namespace wavefront {
namespace {

constexpr std::string_view kDeltaPrefix = "\xE2\x88\x86";  // ∆

enum class PointKind { metric, delta_counter };

Status refuse_delta(std::string_view name, double value, bool zero_allowed) {
  std::string value_text;
  format::append_double(value_text, value);
  std::string message = "delta counter " + format::quote_for_message(name) + " has value " + value_text +
                        (zero_allowed ? "; deltas must not be negative"
                                      : "; a name starting with a delta sign makes "
                                        "a delta counter, whose value must be > 0");
  return Status(ErrorCode::negative_delta, std::move(message)).at(Field::value);
}

Status write_point(std::string& out, std::string_view name, double value, Timestamp timestamp,
                   std::string_view source, TagList tags, const FormatOptions& options, PointKind kind) {
  const bool named_delta = format::has_delta_prefix(name);
  const bool delta = kind == PointKind::delta_counter || named_delta;
  const format::FieldRules name_rules{delta ? "delta counter name" : "metric name", ErrorCode::invalid_name,
                                      options.limits.max_name_length, ErrorCode::name_too_long};
  out += '"';
  const std::string_view prefix = (kind == PointKind::delta_counter && !named_delta) ? kDeltaPrefix : "";
  if (Status status = format::write_metric_name(out, name, prefix, name_rules); !status.ok()) {
    return status.at(Field::name);
  }
  if (Status status = format::check_finite(value, delta ? "delta counter value" : "metric value");
      !status.ok()) {
    return status.at(Field::value);
  }
  if (kind == PointKind::delta_counter ? value < 0 : (named_delta && !(value > 0))) {
    return refuse_delta(name, value, kind == PointKind::delta_counter);
  }
  out.push_back('"');  // byte by byte: push_back is inlined, append is a library call
  out.push_back(' ');
  format::append_double(out, value);
  if (Status status = format::append_timestamp(out, timestamp, "timestamp"); !status.ok()) {
    return status.at(Field::timestamp);
  }
  out.append(" source=\"", 9);
  if (Status status = format::write_source(out, source, options); !status.ok())
    return status.at(Field::source);
  out += '"';
  if (Status status = format::append_tags(out, tags, format::point_tag_rules(options.limits)); !status.ok()) {
    return status;
  }
  out += '\n';
  return Status();
}

// The fast path: a point whose every field is written unchanged (clean name and keys, plain values),
// within every limit, with distinct tag keys and a timestamp in a directly writable range, is written
// into a stack buffer through a pointer and appended once. Returns false (appending nothing) for
// anything else, which the general writer above handles, refusals and their messages included. The
// output is the general writer's, byte for byte: each condition below is the case where that writer
// copies the field as it is.
constexpr std::size_t kFastLineBytes = 768;
constexpr std::size_t kFastMaxTags = 16;

char* put(char* at, std::string_view text) {
  std::memcpy(at, text.data(), text.size());
  return at + text.size();
}

bool plain_tags(TagList tags, const Limits& limits, std::size_t& bytes) {
  if (tags.size() > kFastMaxTags || (limits.max_point_tags != 0 && tags.size() > limits.max_point_tags)) {
    return false;
  }
  std::string_view keys[kFastMaxTags];
  for (std::size_t index = 0; index < tags.size(); ++index) {
    const Tag tag = tags[index];
    if (tag.key.size() > limits.max_tag_key_length || tag.value.size() > limits.max_tag_value_length ||
        (limits.max_tag_length != 0 && tag.key.size() + tag.value.size() > limits.max_tag_length)) {
      return false;
    }
    if (tag.key.empty() || !format::is_clean_name(tag.key) || !format::is_plain_value(tag.value))
      return false;
    if (tag.key == "source" || tag.key == "host" || tag.key == "tag") return false;
    for (std::size_t earlier = 0; earlier < index; ++earlier) {
      if (keys[earlier] == tag.key) return false;  // repeated keys: last value wins, in the general path
    }
    keys[index] = tag.key;
    bytes += tag.key.size() + tag.value.size() + 6;  // ` "k"="v"`
  }
  return true;
}

bool format_plain_point(std::string& out, std::string_view name, double value, Timestamp timestamp,
                        std::string_view source, TagList tags, const FormatOptions& options, PointKind kind) {
  const Limits& limits = options.limits;
  const bool delta = kind == PointKind::delta_counter;
  if (!std::isfinite(value) || (delta && !(value > 0))) return false;
  if (source.empty()) source = options.default_source;
  const std::size_t name_length = name.size() + (delta ? 1 : 0);
  if (name.empty() || name_length > limits.max_name_length || source.size() > limits.max_source_length) {
    return false;
  }
  // A clean name is ASCII, so it has no delta sign of its own.
  if (!format::is_clean_name(name) || !format::is_plain_value(source)) return false;
  std::size_t bytes = kDeltaPrefix.size() + name.size() + format::kMaxDoubleChars + format::kMaxIntChars +
                      source.size() + 20;  // quotes, spaces, " source=", "000", '\n'
  if (!plain_tags(tags, limits, bytes) || bytes > kFastLineBytes) return false;
  char line[kFastLineBytes];
  char* at = line;
  *at++ = '"';
  if (delta) at = put(at, kDeltaPrefix);
  at = put(at, name);
  *at++ = '"';
  *at++ = ' ';
  at = format::write_double(at, value);
  at = format::write_timestamp(at, timestamp);
  if (at == nullptr) return false;
  at = put(at, " source=\"");
  at = put(at, source);
  *at++ = '"';
  for (std::size_t index = 0; index < tags.size(); ++index) {
    const Tag tag = tags[index];
    *at++ = ' ';
    *at++ = '"';
    at = put(at, tag.key);
    at = put(at, "\"=\"");
    at = put(at, tag.value);
    *at++ = '"';
  }
  *at++ = '\n';
  out.append(line, static_cast<std::size_t>(at - line));
  return true;
}

Status format_point(std::string& out, std::string_view name, double value, Timestamp timestamp,
                    std::string_view source, TagList tags, const FormatOptions& options, PointKind kind,
                    bool fast_path = true) {
  if (fast_path && format_plain_point(out, name, value, timestamp, source, tags, options, kind)) {
    return Status();
  }
  const std::size_t start = out.size();
  Status status = write_point(out, name, value, timestamp, source, tags, options, kind);
  // A refused point, or a zero delta (valid, but nothing to send), leaves no bytes behind.
  if (!status.ok() || (kind == PointKind::delta_counter && value == 0)) out.resize(start);
  return status;
}

}  // namespace

Status format_metric(std::string& out, std::string_view name, double value, Timestamp timestamp,
                     std::string_view source, TagList tags, const FormatOptions& options) {
  return format_point(out, name, value, timestamp, source, tags, options, PointKind::metric);
}

Status format_delta_counter(std::string& out, std::string_view name, double value, Timestamp timestamp,
                            std::string_view source, TagList tags, const FormatOptions& options) {
  return format_point(out, name, value, timestamp, source, tags, options, PointKind::delta_counter);
}

namespace format {

Status format_point_without_fast_path(std::string& out, std::string_view name, double value,
                                      Timestamp timestamp, std::string_view source, TagList tags,
                                      const FormatOptions& options, bool delta_counter) {
  return format_point(out, name, value, timestamp, source, tags, options,
                      delta_counter ? PointKind::delta_counter : PointKind::metric, false);
}

}  // namespace format
}  // namespace wavefront
