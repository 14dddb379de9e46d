// Unit tests for number writing: the fast path must print exactly what std::to_chars prints.
#include "wavefront/format/numbers.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <random>

namespace wavefront::format {
namespace {

std::string reference(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string ours(double value) {
  std::string out;
  append_double(out, value);
  return out;
}

TEST(Numbers, MatchesToCharsOnShortDecimals) {
  std::mt19937_64 random(20261125);
  std::uniform_int_distribution<std::int64_t> mantissa(-999'999'999'999'999, 999'999'999'999'999);
  std::uniform_int_distribution<int> scale(0, 20);
  for (int iteration = 0; iteration < 300'000; ++iteration) {
    const double value = static_cast<double>(mantissa(random) % (std::int64_t{1} << (iteration % 50))) /
                         std::pow(10.0, scale(random));
    ASSERT_EQ(ours(value), reference(value)) << value;
  }
}

TEST(Numbers, MatchesToCharsOnArbitraryDoubles) {
  std::mt19937_64 random(7);
  for (int iteration = 0; iteration < 300'000; ++iteration) {
    std::uint64_t bits = random();
    double value;
    std::memcpy(&value, &bits, sizeof value);
    if (!std::isfinite(value)) continue;
    ASSERT_EQ(ours(value), reference(value)) << bits;
  }
}

TEST(Numbers, EdgeValues) {
  for (double value :
       {0.0, -0.0, 1.0, -1.0, 0.1, 0.3, 1e-6, 1e-7, 999999999999999.0, 1e15, 1e16, 123456.789012, 1e21, 1e22,
        5e-324, 1.7976931348623157e308, 100.0, 1234500.0, 0.000001234}) {
    EXPECT_EQ(ours(value), reference(value)) << value;
  }
}

TEST(Numbers, Uuids) {
  std::string out;
  EXPECT_TRUE(append_uuid(out, "ABCDEF01-2345-6789-abcd-ef0123456789"));
  EXPECT_EQ(out, "abcdef01-2345-6789-abcd-ef0123456789");
  EXPECT_FALSE(append_uuid(out, "ABCDEF01-2345-6789-abcd-ef012345678"));
  EXPECT_EQ(out.size(), 36u) << "a refused id appends nothing";
}

// The byte-at-a-time rule the word-wise check must agree with.
bool reference_uuid(std::string_view id, std::string& lower) {
  if (id.size() != 36) return false;
  lower.clear();
  for (std::size_t index = 0; index < id.size(); ++index) {
    const char c = id[index];
    if (index == 8 || index == 13 || index == 18 || index == 23) {
      if (c != '-') return false;
      lower.push_back(c);
    } else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
      lower.push_back(c);
    } else if (c >= 'A' && c <= 'F') {
      lower.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      return false;
    }
  }
  return true;
}

TEST(Numbers, UuidCheckAgreesWithTheByteRuleOnEveryByteAtEveryPosition) {
  const std::string valid = "0123abcd-ABCD-ef01-89Ef-456789aBcDeF";
  std::string expected;
  for (std::size_t position = 0; position < valid.size(); ++position) {
    for (int byte = 0; byte < 256; ++byte) {
      std::string id = valid;
      id[position] = static_cast<char>(byte);
      std::string out = "x";
      const bool accepted = append_uuid(out, id);
      ASSERT_EQ(accepted, reference_uuid(id, expected)) << "position " << position << " byte " << byte;
      EXPECT_EQ(out, accepted ? "x" + expected : "x") << "position " << position << " byte " << byte;
    }
  }
  // Bytes at the edges of the valid ranges, a NUL among them.
  const std::string replacements("0aF-g/:@`G\x80 \0", 13);
  std::mt19937_64 random(7);
  for (int round = 0; round < 20000; ++round) {  // several bytes changed at once
    std::string id = valid;
    for (int change = 0; change < 3; ++change) {
      id[random() % id.size()] = replacements[random() % replacements.size()];
    }
    std::string out;
    const bool accepted = append_uuid(out, id);
    ASSERT_EQ(accepted, reference_uuid(id, expected)) << id;
    if (accepted) {
      EXPECT_EQ(out, expected);
    }
  }
}

}  // namespace
}  // namespace wavefront::format
