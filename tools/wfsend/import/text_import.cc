// The shared reading loop of the line-oriented metric formats; see text_import.h.
#include "wfsend/import/text_import.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "input/line_source.h"

namespace wfsend::import {

using wavefront::ErrorCode;

wavefront::Status TextLineImport::start(input::ByteSource& input) {
  input_ = &input;
  return wavefront::Status();
}

void TextLineImport::run(ImportContext& context) {
  context_ = &context;
  input::LineSource lines(*input_, kMaxLineBytes);
  std::string_view line;
  while (!context.should_stop()) {
    const input::LineSource::Result result = lines.next(line);
    line_number_ = lines.line_number();
    if (result == input::LineSource::Result::end) return;
    if (result == input::LineSource::Result::error) {
      context.input_failed(lines.error());
      return;
    }
    if (result == input::LineSource::Result::too_long) {
      context.row_read();
      refuse(0, ErrorCode::line_too_long,
             "line is longer than " + std::to_string(kMaxLineBytes) + " bytes; skipped");
      continue;
    }
    if (std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; })) continue;
    context.row_read();
    import_line(line);
  }
}

void TextLineImport::refuse(std::size_t column, ErrorCode code, std::string_view message) {
  context_->refuse(line_number_, column, code, message);
}

bool TextLineImport::parse_value(std::string_view text, std::size_t column, std::string_view what,
                                 double& value) {
  if (text.empty()) {
    ++context_->counts().empty_values;
    return false;
  }
  std::string_view digits = text;
  if (digits.size() > 1 && digits.front() == '+') digits.remove_prefix(1);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) {
    refuse(column, ErrorCode::invalid_number,
           std::string(what) + " \"" + std::string(text) + "\" is not a number");
    return false;
  }
  if (!std::isfinite(value)) {
    refuse(
        column, ErrorCode::non_finite_value,
        std::string(what) + " " + std::string(text) + " is not finite; Wavefront takes finite values only");
    return false;
  }
  return true;
}

void TextLineImport::send(std::string_view name, double value, wavefront::Timestamp timestamp,
                          std::string_view source, wavefront::TagList tags, std::size_t column) {
  const wavefront::Status status = context_->send_value(name, value, timestamp, source, tags);
  if (!status.ok()) context_->report(status, line_number_, column);
}

void TextLineImport::split_words(std::string_view line, std::vector<Word>& words) {
  words.clear();
  std::size_t at = 0;
  while (at < line.size()) {
    while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
    if (at >= line.size()) break;
    const std::size_t start = at;
    while (at < line.size() && line[at] != ' ' && line[at] != '\t') ++at;
    words.push_back(Word{start, line.substr(start, at - start)});
  }
}

bool TextLineImport::add_tag(std::string_view text, std::size_t column, std::string_view shape,
                             std::vector<std::pair<std::string, std::string>>& tags) {
  const std::size_t equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0 || equals + 1 == text.size()) {
    refuse(column, wavefront::ErrorCode::malformed_line,
           "tag \"" + std::string(text) + "\" is not " + std::string(shape));
    return false;
  }
  tags.emplace_back(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  return true;
}

std::string take_source(std::vector<std::pair<std::string, std::string>>& tags) {
  for (const char* key : {"source", "host"}) {
    const auto found =
        std::find_if(tags.begin(), tags.end(), [&](const auto& tag) { return tag.first == key; });
    if (found != tags.end()) {
      std::string source = found->second;
      tags.erase(found);
      return source;
    }
  }
  return "";
}

bool parse_integer(std::string_view text, std::int64_t& value) {
  if (text.empty()) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace wfsend::import
