// Helpers of the strict wire parser's own tests (wire_parser_test.cc, wire_parser_lines_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wavefront::testing {

struct BadLine {
  std::string line;
  std::string fragment;  // expected inside the error message (e.g. "column 3: ...")
};

template <class Parse>
void expect_all_refused(Parse parse, const std::vector<BadLine>& cases) {
  for (const BadLine& bad : cases) {
    SCOPED_TRACE("line: " + bad.line);
    const auto parsed = parse(bad.line);
    ASSERT_FALSE(parsed.ok()) << "accepted";
    EXPECT_NE(parsed.error().find(bad.fragment), std::string::npos) << parsed.error();
  }
}

inline constexpr char kTrace[] = "7b3bf470-9456-11e8-9eb6-529269fb1459";
inline constexpr char kSpan[] = "0313bafe-9457-11e8-9eb6-529269fb1459";

}  // namespace wavefront::testing
