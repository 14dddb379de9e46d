// The library's names for the public JSON reader (include/wavefront/json.h), which the span-logs
// reader, the event reader and their tests use. The reader itself is public because wfsend's JSONL
// importer needs it too; this header only keeps the short names inside the library.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "wavefront/json.h"

namespace wavefront::json {

using Type = JsonType;
using Value = JsonValue;
using JsonParser = wavefront::JsonParser;

inline std::optional<std::int64_t> as_int64(const Value& value) noexcept { return json_as_int64(value); }
inline std::optional<double> as_double(const Value& value) noexcept { return json_as_double(value); }
inline std::string_view type_name(Type type) noexcept { return json_type_name(type); }

}  // namespace wavefront::json
