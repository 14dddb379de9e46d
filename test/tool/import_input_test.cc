// The input side of `wfsend import`: files and gzip (single and concatenated members, corrupt and
// truncated streams), sizes for the progress line, and line splitting (CRLF, a last line without a
// line end, the byte order mark, lines over the bound).
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "support/gzip_test_util.h"
#include "support/subprocess.h"
#include "wfsend/import/input.h"
#include "wfsend/import/line_input.h"

namespace wfsend::import {
namespace {

using wavefront::testing::gzip;
using wavefront::testing::TempDir;

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream file(path, std::ios::binary);
  file << bytes;
}

// Reads everything with reads of `capacity` bytes; the Status of a failure, if any.
std::string read_all(ByteSource& source, std::size_t capacity, wavefront::Status* failure = nullptr) {
  std::string text;
  std::vector<char> buffer(capacity);
  for (;;) {
    wavefront::Expected<std::size_t> count = source.read(buffer.data(), buffer.size());
    if (!count) {
      if (failure != nullptr) *failure = count.status();
      return text;
    }
    if (*count == 0) return text;
    text.append(buffer.data(), *count);
  }
}

std::string random_text(std::size_t size) {
  std::mt19937 random(7);
  std::string text;
  while (text.size() < size) text += "row," + std::to_string(random() % 100000) + ",\"x, y\"\n";
  return text;
}

TEST(ImportInput, PlainFileReadsAsIsAndKnowsItsSize) {
  TempDir directory;
  const std::string text = random_text(3 << 20);
  write_file(directory.file("plain.csv"), text);
  auto input = InputFile::open(directory.file("plain.csv"));
  ASSERT_TRUE(input.ok()) << input.status().to_string();
  EXPECT_FALSE((*input)->compressed());
  EXPECT_EQ((*input)->total_file_bytes(), text.size());
  EXPECT_EQ(read_all(**input, 1 << 20), text);
  EXPECT_EQ((*input)->file_bytes_read(), text.size());
  EXPECT_EQ((*input)->bytes_delivered(), text.size());
}

TEST(ImportInput, GzipIsDetectedByItsMagicBytesAndInflatedAsAStream) {
  TempDir directory;
  const std::string text = random_text(5 << 20);
  const std::string compressed = gzip(text);
  write_file(directory.file("data.bin"), compressed);  // no .gz: the bytes decide
  for (std::size_t capacity : {std::size_t{1} << 20, std::size_t{4096}, std::size_t{1}}) {
    if (capacity == 1) {  // one byte at a time over 5 MiB is slow; use a smaller file
      write_file(directory.file("data.bin"), gzip(text.substr(0, 20000)));
    }
    auto input = InputFile::open(directory.file("data.bin"));
    ASSERT_TRUE(input.ok());
    EXPECT_TRUE((*input)->compressed());
    const std::string expected = capacity == 1 ? text.substr(0, 20000) : text;
    EXPECT_EQ(read_all(**input, capacity), expected) << capacity;
    EXPECT_EQ((*input)->bytes_delivered(), expected.size());
  }
}

TEST(ImportInput, ConcatenatedGzipMembersAreReadLikeZcat) {
  TempDir directory;
  write_file(directory.file("two.gz"), gzip("first\n") + gzip("second\n"));
  auto input = InputFile::open(directory.file("two.gz"));
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(read_all(**input, 1 << 20), "first\nsecond\n");
}

TEST(ImportInput, TruncatedAndCorruptGzipAreReadErrors) {
  TempDir directory;
  const std::string compressed = gzip(random_text(100000));
  write_file(directory.file("cut.gz"), compressed.substr(0, compressed.size() / 2));
  auto cut = InputFile::open(directory.file("cut.gz"));
  ASSERT_TRUE(cut.ok());
  wavefront::Status failure;
  read_all(**cut, 1 << 20, &failure);
  EXPECT_EQ(failure.code(), wavefront::ErrorCode::io_error);
  EXPECT_NE(failure.message().find("truncated"), std::string::npos) << failure.message();

  std::string corrupt = compressed;
  for (std::size_t index = 20; index < 60 && index < corrupt.size(); ++index) corrupt[index] ^= 0x5a;
  write_file(directory.file("corrupt.gz"), corrupt);
  auto bad = InputFile::open(directory.file("corrupt.gz"));
  ASSERT_TRUE(bad.ok());
  failure = wavefront::Status();
  read_all(**bad, 1 << 20, &failure);
  EXPECT_EQ(failure.code(), wavefront::ErrorCode::io_error);
  EXPECT_NE(failure.message().find("gzip"), std::string::npos) << failure.message();
}

TEST(ImportInput, MissingFileAndDirectoryAreErrorsNamingThePath) {
  TempDir directory;
  auto missing = InputFile::open(directory.file("nope.csv"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope.csv"), std::string::npos);
  auto folder = InputFile::open(directory.path());
  ASSERT_FALSE(folder.ok());
  EXPECT_NE(folder.status().message().find("directory"), std::string::npos);
}

TEST(ImportInput, TinyFilesShorterThanTheMagic) {
  TempDir directory;
  write_file(directory.file("one"), "x");
  auto one = InputFile::open(directory.file("one"));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(read_all(**one, 16), "x");
  write_file(directory.file("empty"), "");
  auto empty = InputFile::open(directory.file("empty"));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(read_all(**empty, 16), "");
}

std::vector<std::string> lines_of(const std::string& text, std::size_t chunk, std::size_t max_line = 1 << 20,
                                  std::vector<std::uint64_t>* too_long = nullptr) {
  StringSource source(text, chunk);
  LineInput input(source, max_line, 32);
  std::vector<std::string> lines;
  std::string_view line;
  for (;;) {
    const LineInput::Result result = input.next(line);
    if (result == LineInput::Result::end) return lines;
    if (result == LineInput::Result::too_long) {
      if (too_long != nullptr) too_long->push_back(input.line_number());
      continue;
    }
    EXPECT_EQ(result, LineInput::Result::line);
    lines.emplace_back(std::string(line) + "@" + std::to_string(input.line_number()));
  }
}

TEST(ImportLineInput, SplitsLinesWithNumbers) {
  for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{1000}}) {
    EXPECT_EQ(lines_of("\xEF\xBB\xBF"
                       "a\r\nbb\n\nccc",
                       chunk),
              (std::vector<std::string>{"a@1", "bb@2", "@3", "ccc@4"}))
        << chunk;
  }
}

TEST(ImportLineInput, LinesOverTheBoundAreSkippedWithTheirNumber) {
  for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
    std::vector<std::uint64_t> too_long;
    const std::string text = "ok\n" + std::string(300, 'x') + "\nfine\n" + std::string(100, 'y');
    EXPECT_EQ(lines_of(text, chunk, 64, &too_long), (std::vector<std::string>{"ok@1", "fine@3"})) << chunk;
    EXPECT_EQ(too_long, (std::vector<std::uint64_t>{2, 4})) << chunk;
  }
}

}  // namespace
}  // namespace wfsend::import
