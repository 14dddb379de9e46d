// Direct-ingestion event JSON to an `@Event` line; see include/wavefront/event_json.h.
#include "wavefront/event_json.h"

#include <cstdint>
#include <vector>

#include "wavefront/types.h"
#include "wavefront/wire/json.h"

namespace wavefront {
namespace {

Status wrong_type(std::string_view member, std::string_view expected, const json::Value& value) {
  return Status(ErrorCode::malformed_line, "\"" + std::string(member) + "\" must be " +
                                               std::string(expected) + ", not " +
                                               std::string(json::type_name(value.type)));
}

Status read_strings(const json::Value& root, std::string_view member, std::vector<std::string_view>& out) {
  const json::Value* value = root.find(member);
  if (value == nullptr || value->type == json::Type::null) return Status();
  if (!value->is_array()) return wrong_type(member, "an array of strings", *value);
  for (const json::Value& item : value->items) {
    if (!item.is_string()) return wrong_type(std::string(member) + "[]", "a string", item);
    out.push_back(item.text);
  }
  return Status();
}

Status read_time(const json::Value& root, std::string_view member, bool required, std::int64_t& out) {
  const json::Value* value = root.find(member);
  if (value == nullptr || value->type == json::Type::null) {
    if (required) return Status(ErrorCode::malformed_line, "\"" + std::string(member) + "\" is missing");
    return Status();
  }
  const std::optional<std::int64_t> number = json::as_int64(*value);
  if (!number) return wrong_type(member, "an integer number of milliseconds", *value);
  out = *number;
  return Status();
}

}  // namespace

Status event_line_from_json(std::string& out, std::string_view body, const FormatOptions& options) {
  json::JsonParser parser;
  json::Value root;
  if (Status status = parser.parse(body, root); !status.ok()) {
    return Status(ErrorCode::malformed_line,
                  "not JSON: byte " + std::to_string(parser.error_offset() + 1) + ": " + status.message());
  }
  if (!root.is_object()) return wrong_type("the body", "one event object", root);
  const json::Value* name = root.find("name");
  if (name == nullptr) return Status(ErrorCode::malformed_line, "\"name\" is missing");
  if (!name->is_string()) return wrong_type("name", "a string", *name);
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  if (Status status = read_time(root, "startTime", true, start_ms); !status.ok()) return status;
  if (Status status = read_time(root, "endTime", false, end_ms); !status.ok()) return status;

  std::vector<Tag> annotations;
  if (const json::Value* value = root.find("annotations");
      value != nullptr && value->type != json::Type::null) {
    if (!value->is_object()) return wrong_type("annotations", "an object", *value);
    for (const auto& [key, annotation] : value->members) {
      if (!annotation.is_string())
        return wrong_type("annotations." + std::string(key), "a string", annotation);
      annotations.emplace_back(key, annotation.text);
    }
  }
  std::vector<std::string_view> hosts;
  std::vector<std::string_view> tags;
  if (Status status = read_strings(root, "hosts", hosts); !status.ok()) return status;
  if (Status status = read_strings(root, "tags", tags); !status.ok()) return status;
  if (hosts.size() > 1) {
    return Status(ErrorCode::malformed_line,
                  "\"hosts\" has " + std::to_string(hosts.size()) + " entries; an @Event line takes one");
  }
  const std::string_view source = hosts.empty() ? std::string_view() : hosts.front();
  return format_event(out, name->text, start_ms, end_ms, source, annotations, tags, options);
}

}  // namespace wavefront
