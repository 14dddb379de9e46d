// Events: the proxy's `@Event` line and the direct-ingestion JSON body (spec §2.5).
#include <limits>
#include <string>
#include <vector>

#include "wavefront/format.h"
#include "wavefront/format/fields.h"
#include "wavefront/format/numbers.h"
#include "wavefront/format/sanitize.h"
#include "wavefront/format/tags.h"

namespace wavefront {
namespace {

constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();
// The proxy's event decoder reads `host` as a host and both `tag` and `eventTag` as tags, so none of
// them can be an annotation: written as one, it would come back as something else.
constexpr std::string_view kEventReservedKeys[] = {"host", "tag", "eventTag"};

const format::FieldRules kEventName{"event name", ErrorCode::invalid_name, kNoLimit,
                                    ErrorCode::name_too_long};
const format::FieldRules kEventTag{"event tag", ErrorCode::invalid_tag_value, kNoLimit,
                                   ErrorCode::tag_value_too_long};
const format::TagRules kAnnotationRules{"event annotation",
                                        kNoLimit,
                                        kNoLimit,
                                        0,
                                        kEventReservedKeys,
                                        std::size(kEventReservedKeys),
                                        false,
                                        true,
                                        0};

// Start must be positive; an end that is 0 or not after the start makes an instant event.
Status event_times(std::int64_t start_ms, std::int64_t end_ms, std::int64_t& effective_end) {
  if (Status status = format::check_timestamp(start_ms, "event start_ms"); !status.ok()) {
    return status.at(Field::start_ms);
  }
  if (start_ms == std::numeric_limits<std::int64_t>::max()) {
    return Status(ErrorCode::invalid_timestamp,
                  "event start_ms is the largest 64-bit integer; no end can follow it")
        .at(Field::start_ms);
  }
  effective_end = end_ms > start_ms ? end_ms : start_ms + 1;
  return Status();
}

Status write_event_line(std::string& out, std::string_view name, std::int64_t start_ms, std::int64_t end_ms,
                        std::string_view source, TagList annotations, Strings tags,
                        const FormatOptions& options) {
  std::int64_t effective_end = 0;
  if (Status status = event_times(start_ms, end_ms, effective_end); !status.ok()) return status;
  out += "@Event ";
  format::append_int(out, start_ms);
  out += ' ';
  format::append_int(out, effective_end);
  out += " \"";
  if (Status status = format::write_value(out, name, kEventName); !status.ok()) return status.at(Field::name);
  out += '"';
  if (Status status = format::append_tags(out, annotations, kAnnotationRules); !status.ok()) {
    return status.at(Field::annotations, status.index());
  }
  out += " host=\"";
  if (Status status = format::write_source(out, source, options); !status.ok())
    return status.at(Field::source);
  out += '"';
  for (std::size_t index = 0; index < tags.size(); ++index) {
    out += " tag=\"";
    if (Status status = format::write_value(out, tags[index], kEventTag); !status.ok()) {
      return status.at(Field::tags, index);
    }
    out += '"';
  }
  out += '\n';
  return Status();
}

Status write_json_value(std::string& out, std::string_view value, const format::FieldRules& rules) {
  out += '"';
  const format::FieldWrite written = format::append_json_value(out, value);
  if (written.problem != format::FieldProblem::none) {
    return format::problem_error(rules.invalid, rules.field, written.problem, value);
  }
  out += '"';
  return Status();
}

Status write_json_annotations(std::string& out, TagList annotations) {
  // Validate and sanitize through the line writer (same rules, same messages), then keep the last
  // value of each key in JSON form. Events are rare: the scratch allocations do not matter.
  std::string scratch;
  if (Status status = format::append_tags(scratch, annotations, kAnnotationRules); !status.ok())
    return status.at(Field::annotations, status.index());
  std::vector<std::string> keys;
  keys.reserve(annotations.size());
  for (const Tag annotation : annotations) {
    std::string key;
    format::append_sanitized_name(key, annotation.key);
    keys.push_back(std::move(key));
  }
  out += '{';
  bool first = true;
  for (std::size_t index = 0; index < keys.size(); ++index) {
    bool repeated_later = false;
    for (std::size_t later = index + 1; later < keys.size() && !repeated_later; ++later) {
      repeated_later = keys[later] == keys[index];
    }
    if (repeated_later) continue;
    if (!first) out += ',';
    first = false;
    out += '"';
    format::append_json_string(out, keys[index]);
    out += "\":";
    const format::FieldRules value_rules{"event annotation value", ErrorCode::invalid_tag_value, kNoLimit,
                                         ErrorCode::tag_value_too_long};
    if (Status status = write_json_value(out, annotations[index].value, value_rules); !status.ok())
      return status.at(Field::annotations, index);
  }
  out += '}';
  return Status();
}

Status write_event_json(std::string& out, std::string_view name, std::int64_t start_ms, std::int64_t end_ms,
                        std::string_view source, TagList annotations, Strings tags,
                        const FormatOptions& options) {
  std::int64_t effective_end = 0;
  if (Status status = event_times(start_ms, end_ms, effective_end); !status.ok()) return status;
  out += "{\"name\":";
  if (Status status = write_json_value(out, name, kEventName); !status.ok()) return status.at(Field::name);
  out += ",\"annotations\":";
  if (Status status = write_json_annotations(out, annotations); !status.ok()) return status;
  out += ",\"hosts\":[\"";
  if (Status status = format::write_source(out, source, options, /*json=*/true); !status.ok()) {
    return status.at(Field::source);
  }
  out += "\"],\"tags\":[";
  bool first = true;
  for (std::size_t index = 0; index < tags.size(); ++index) {
    if (!first) out += ',';
    first = false;
    if (Status status = write_json_value(out, tags[index], kEventTag); !status.ok()) {
      return status.at(Field::tags, index);
    }
  }
  out += "],\"startTime\":";
  format::append_int(out, start_ms);
  out += ",\"endTime\":";
  format::append_int(out, effective_end);
  out += '}';
  return Status();
}

}  // namespace

Status format_event(std::string& out, std::string_view name, std::int64_t start_ms, std::int64_t end_ms,
                    std::string_view source, TagList annotations, Strings tags,
                    const FormatOptions& options) {
  const std::size_t start = out.size();
  Status status = write_event_line(out, name, start_ms, end_ms, source, annotations, tags, options);
  if (!status.ok()) out.resize(start);
  return status;
}

Status format_event_json(std::string& out, std::string_view name, std::int64_t start_ms, std::int64_t end_ms,
                         std::string_view source, TagList annotations, Strings tags,
                         const FormatOptions& options) {
  const std::size_t start = out.size();
  Status status = write_event_json(out, name, start_ms, end_ms, source, annotations, tags, options);
  if (!status.ok()) out.resize(start);
  return status;
}

}  // namespace wavefront
