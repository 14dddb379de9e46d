// Helpers shared by the format unit tests: run a format call and capture its status and output.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "wavefront/format.h"

namespace wavefront::testing_util {

struct Result {
  Status status;
  std::string out;
  std::string code() const { return std::string(error_code_name(status.code())); }
};

inline FormatOptions options_with_default(std::string default_source = "default-src") {
  FormatOptions options;
  options.default_source = std::move(default_source);
  return options;
}

inline Result metric(std::string_view name, double value, TagList tags = {}, std::string_view source = "s",
                     Timestamp timestamp = std::nullopt,
                     const FormatOptions& options = options_with_default()) {
  Result result;
  result.status = format_metric(result.out, name, value, timestamp, source, tags, options);
  return result;
}

inline Result delta(std::string_view name, double value, TagList tags = {}, std::string_view source = "s",
                    const FormatOptions& options = options_with_default()) {
  Result result;
  result.status = format_delta_counter(result.out, name, value, std::nullopt, source, tags, options);
  return result;
}

inline std::string repeat(std::string_view text, std::size_t count) {
  std::string result;
  for (std::size_t index = 0; index < count; ++index) result += text;
  return result;
}

// Tags that own their strings, for tests that build many.
using OwnedTags = std::vector<std::pair<std::string, std::string>>;

}  // namespace wavefront::testing_util
