// Metric and delta-counter lines (spec §2.1).
#include <string>

#include "wavefront/format.h"
#include "wavefront/format/fields.h"
#include "wavefront/format/numbers.h"
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

Status format_point(std::string& out, std::string_view name, double value, Timestamp timestamp,
                    std::string_view source, TagList tags, const FormatOptions& options, PointKind kind) {
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

}  // namespace wavefront
