// Numbers and ids on the wire (private): shortest round-trip doubles, integers, UUIDs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wavefront::format {

// The shortest decimal that reads back to the same double, locale-independent (std::to_chars).
// The caller has checked that value is finite.
void append_double(std::string& out, double value);

void append_int(std::string& out, std::int64_t value);

// The same two writers for callers that write through a pointer into room they reserved: they write
// at most kMaxDoubleChars / kMaxIntChars bytes at `at` and return the end of what they wrote.
inline constexpr std::size_t kMaxDoubleChars = 32;  // "-2.2250738585072014e-308" is 24
inline constexpr std::size_t kMaxIntChars = 20;     // "-9223372036854775808"
char* write_double(char* at, double value);
char* write_int(char* at, std::int64_t value);

// Writes a canonical 8-4-4-4-12 UUID in lower case; either case is accepted. Returns false (having
// appended nothing) for anything else.
bool append_uuid(std::string& out, std::string_view id);

}  // namespace wavefront::format
