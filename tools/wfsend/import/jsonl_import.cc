// Reading JSONL calls and replaying them through the sender.
#include "wfsend/import/jsonl_import.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "input/line_source.h"
#include "wavefront/format.h"

namespace wfsend::import {

using wavefront::ErrorCode;
using wavefront::Status;
using Type = wavefront::JsonType;
using Value = wavefront::JsonValue;

namespace {

struct KindFields {
  std::string_view kind;
  std::vector<std::string_view> fields;
};

const std::vector<KindFields>& kinds() {
  static const std::vector<KindFields> table = {
      {"metric", {"kind", "name", "value", "timestamp", "source", "tags"}},
      {"delta", {"kind", "name", "value", "timestamp", "source", "tags"}},
      {"distribution", {"kind", "name", "centroids", "granularities", "timestamp", "source", "tags"}},
      {"span",
       {"kind", "name", "start_ms", "duration_ms", "source", "trace_id", "span_id", "parents", "follows_from",
        "tags", "span_logs"}},
      {"event", {"kind", "name", "start_ms", "end_ms", "source", "annotations", "tags"}},
  };
  return table;
}

std::string quoted(std::string_view text) { return wavefront::quote_for_message(text); }

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
}

}  // namespace

void JsonlImporter::run(input::ByteSource& source) {
  input::LineSource input(source);
  std::string_view line;
  while (!context_.should_stop()) {
    switch (input.next(line)) {
      case input::LineSource::Result::line:
        import_line(line, input.line_number());
        break;
      case input::LineSource::Result::too_long:
        context_.row_read();
        context_.refuse(input.line_number(), 0, ErrorCode::line_too_long, "line is too long; skipped");
        break;
      case input::LineSource::Result::end:
        return;
      case input::LineSource::Result::error:
        context_.input_failed(input.error());
        return;
    }
  }
}

std::size_t JsonlImporter::offset_of(const Value* value) const {
  if (value == nullptr) return 0;
  const char* first = line_.data();
  const char* last = first + line_.size();
  auto inside = [&](std::string_view view) { return view.data() >= first && view.data() < last; };
  switch (value->type) {
    case Type::string:
      // A string without escapes is a view into the line, just after its opening quote.
      if (inside(value->text)) return static_cast<std::size_t>(value->text.data() - first) - 1;
      break;
    case Type::number:
      if (inside(value->text)) return static_cast<std::size_t>(value->text.data() - first);
      break;
    case Type::array:
      if (!value->items.empty()) {
        // The '[' strictly before the first item (which may itself start with '[').
        const std::size_t item = offset_of(&value->items.front());
        if (item > 0 && item <= line_.size()) {
          const std::size_t bracket = line_.rfind('[', item - 1);
          return bracket == std::string_view::npos ? item : bracket;
        }
      }
      break;
    case Type::object:
      if (!value->members.empty() && inside(value->members.front().first)) {
        const auto key_quote = static_cast<std::size_t>(value->members.front().first.data() - first) - 1;
        const std::size_t brace = line_.rfind('{', key_quote);
        return brace == std::string_view::npos ? key_quote : brace;
      }
      break;
    default:
      break;
  }
  return 0;
}

std::uint64_t JsonlImporter::column_of(std::size_t offset) const {
  std::uint64_t column = 1;
  for (std::size_t index = 0; index < offset && index < line_.size(); ++index) {
    if ((static_cast<unsigned char>(line_[index]) & 0xC0) != 0x80) ++column;
  }
  // Column 1 is the first byte; the loop counted the characters before `offset`.
  return column;
}

bool JsonlImporter::fail(ErrorCode code, std::string message, const Value* at) {
  refusal_ = Refusal{code, std::move(message), offset_of(at)};
  return false;
}

void JsonlImporter::import_line(std::string_view line, std::uint64_t line_number) {
  if (is_blank(line)) return;
  context_.row_read();
  line_ = line;
  if (Status status = parser_.parse(line, object_); !status.ok()) {
    context_.refuse(line_number, column_of(parser_.error_offset()), status.code(), status.message());
    return;
  }
  const std::size_t object_offset = line.find_first_not_of(" \t");
  if (!object_.is_object()) {
    context_.refuse(
        line_number, column_of(object_offset), ErrorCode::malformed_line,
        "a line must be one JSON object, got " + std::string(wavefront::json_type_name(object_.type)));
    return;
  }
  const Value* kind = object_.find("kind");
  const KindFields* fields = nullptr;
  if (kind != nullptr && kind->is_string()) {
    for (const KindFields& candidate : kinds()) {
      if (candidate.kind == kind->text) fields = &candidate;
    }
  }
  if (fields == nullptr) {
    const std::string found = kind == nullptr ? std::string("no \"kind\"")
                              : kind->is_string()
                                  ? "kind " + quoted(kind->text)
                                  : "a kind that is a " + std::string(wavefront::json_type_name(kind->type));
    context_.refuse(
        line_number, column_of(kind == nullptr ? object_offset : offset_of(kind)), ErrorCode::malformed_line,
        found + "; expected \"kind\": \"metric\", \"delta\", \"distribution\", \"span\" or \"event\"");
    return;
  }
  for (std::size_t index = 0; index < object_.members.size(); ++index) {
    const std::string_view key = object_.members[index].first;
    const std::size_t key_offset = line_.data() <= key.data() && key.data() < line_.data() + line_.size()
                                       ? static_cast<std::size_t>(key.data() - line_.data()) - 1
                                       : object_offset;
    if (std::find(fields->fields.begin(), fields->fields.end(), key) == fields->fields.end()) {
      std::string known;
      for (std::string_view field : fields->fields) known += (known.empty() ? "" : ", ") + std::string(field);
      context_.refuse(
          line_number, column_of(key_offset), ErrorCode::malformed_line,
          "unknown field " + quoted(key) + " for kind " + quoted(fields->kind) + " (fields: " + known + ")");
      return;
    }
    for (std::size_t earlier = 0; earlier < index; ++earlier) {
      if (object_.members[earlier].first == key) {
        context_.refuse(line_number, column_of(key_offset), ErrorCode::malformed_line,
                        "field " + quoted(key) + " is given twice");
        return;
      }
    }
  }
  refusal_ = Refusal();
  if (!send_call(object_, fields->kind, line_number) && refusal_.code != ErrorCode::ok) {
    context_.refuse(line_number, column_of(refusal_.offset), refusal_.code, refusal_.message);
  }
}

}  // namespace wfsend::import
