// ASCII helpers shared by the tracing code (private): header names and tag keys compare without case.
#pragma once

#include <cstddef>
#include <string_view>

namespace wavefront::tracing {

inline bool equals_ignore_case(std::string_view left, std::string_view right) noexcept {
  if (left.size() != right.size()) return false;
  for (std::size_t index = 0; index < left.size(); ++index) {
    const auto lower = [](char letter) {
      return letter >= 'A' && letter <= 'Z' ? static_cast<char>(letter - 'A' + 'a') : letter;
    };
    if (lower(left[index]) != lower(right[index])) return false;
  }
  return true;
}

}  // namespace wavefront::tracing
