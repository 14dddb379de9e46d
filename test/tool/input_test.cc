// The tools' input stack (tools/input/): files and gzip (single and concatenated members, corrupt and
// truncated streams), sizes for import's progress line, pulled line splitting (CRLF, a last line
// without a line end, the byte order mark, lines over the bound), the splitter pushed in pieces, and
// listen's paced gzip stream (budget, output zlib holds after the last input byte, gzip bombs).
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "input/byte_source.h"
#include "input/line_source.h"
#include "input/line_splitter.h"
#include "input/line_stream.h"
#include "support/gzip_test_util.h"
#include "support/subprocess.h"

namespace wfsend::input {
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

TEST(InputFile, PlainFileReadsAsIsAndKnowsItsSize) {
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

TEST(InputFile, GzipIsDetectedByItsMagicBytesAndInflatedAsAStream) {
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

TEST(InputFile, ConcatenatedGzipMembersAreReadLikeZcat) {
  TempDir directory;
  write_file(directory.file("two.gz"), gzip("first\n") + gzip("second\n"));
  auto input = InputFile::open(directory.file("two.gz"));
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(read_all(**input, 1 << 20), "first\nsecond\n");
}

TEST(InputFile, TruncatedAndCorruptGzipAreReadErrors) {
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

TEST(InputFile, MissingFileAndDirectoryAreErrorsNamingThePath) {
  TempDir directory;
  auto missing = InputFile::open(directory.file("nope.csv"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope.csv"), std::string::npos);
  auto folder = InputFile::open(directory.path());
  ASSERT_FALSE(folder.ok());
  EXPECT_NE(folder.status().message().find("directory"), std::string::npos);
}

TEST(InputFile, TinyFilesShorterThanTheMagic) {
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
  LineSource input(source, max_line, 32);
  std::vector<std::string> lines;
  std::string_view line;
  for (;;) {
    const LineSource::Result result = input.next(line);
    if (result == LineSource::Result::end) return lines;
    if (result == LineSource::Result::too_long) {
      if (too_long != nullptr) too_long->push_back(input.line_number());
      continue;
    }
    EXPECT_EQ(result, LineSource::Result::line);
    lines.emplace_back(std::string(line) + "@" + std::to_string(input.line_number()));
  }
}

TEST(LineSource, SplitsLinesWithNumbers) {
  for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{1000}}) {
    EXPECT_EQ(lines_of("\xEF\xBB\xBF"
                       "a\r\nbb\n\nccc",
                       chunk),
              (std::vector<std::string>{"a@1", "bb@2", "@3", "ccc@4"}))
        << chunk;
  }
}

TEST(LineSource, LinesOverTheBoundAreSkippedWithTheirNumber) {
  for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
    std::vector<std::uint64_t> too_long;
    const std::string text = "ok\n" + std::string(300, 'x') + "\nfine\n" + std::string(100, 'y');
    EXPECT_EQ(lines_of(text, chunk, 64, &too_long), (std::vector<std::string>{"ok@1", "fine@3"})) << chunk;
    EXPECT_EQ(too_long, (std::vector<std::uint64_t>{2, 4})) << chunk;
  }
}

TEST(LineSplitter, SplitsAcrossPiecesAndSkipsLongLines) {
  LineSplitter splitter(10);
  std::vector<std::string> lines;
  std::vector<std::uint64_t> too_long;
  auto feed = [&](std::string_view data) {
    splitter.feed(
        data,
        [&](std::string_view line, std::uint64_t number) {
          lines.push_back(std::to_string(number) + ":" + std::string(line));
        },
        [&](std::string_view, std::uint64_t number) { too_long.push_back(number); });
  };
  feed("ab");
  feed("c\r\nde");
  feed("f\n0123456789ABC");  // line 3 goes over the limit while still open
  feed("DEFGHIJ");
  feed("KL\nok\n");
  feed("0123456789toolong\nlast");
  splitter.finish([&](std::string_view line, std::uint64_t number) {
    lines.push_back("last " + std::to_string(number) + ":" + std::string(line));
  });
  EXPECT_EQ(lines, (std::vector<std::string>{"1:abc", "2:def", "4:ok", "last 6:last"}));
  EXPECT_EQ(too_long, (std::vector<std::uint64_t>{3, 5}));
  EXPECT_FALSE(splitter.in_line());
}

struct Collect final : LineTarget {
  std::vector<std::string> lines;
  std::size_t too_long = 0;
  void on_line(std::string_view line, std::uint64_t) override { lines.emplace_back(line); }
  void on_too_long(std::string_view, std::uint64_t) override { ++too_long; }
};

TEST(LineStream, PacesDecompressionByTheBudget) {
  std::string scratch(4096, '\0');
  LineStream input(1000, scratch);
  std::string text;
  for (int index = 0; index < 5000; ++index) text += "line " + std::to_string(index) + "\n";
  const std::string compressed = wavefront::testing::gzip(text);
  input.start(true, 0);
  Collect collect;
  std::size_t budget = 8192;
  EXPECT_EQ(input.feed(compressed, collect, budget), LineStream::Outcome::budget_spent);
  EXPECT_TRUE(input.has_leftover());
  int turns = 1;
  while (input.has_leftover()) {
    budget = 8192;
    ASSERT_NE(input.resume(collect, budget), LineStream::Outcome::corrupt);
    ++turns;
  }
  EXPECT_GT(turns, 5);
  EXPECT_TRUE(input.finish([](std::string_view, std::uint64_t) {}));
  ASSERT_EQ(collect.lines.size(), 5000u);
  EXPECT_EQ(collect.lines.back(), "line 4999");
}

// zlib can take every input byte it was given while it still holds output for them (the output
// buffer was full, in the middle of a long match). That output must come out now, not when more input
// happens to arrive, and corrupt data in those bytes must be seen now (found by listen_fuzz:
// corpus/listen/regression-gzip-cut-then-garbage).
TEST(LineStream, GivesOutputZlibHoldsAfterTheLastInputByte) {
  const std::size_t trailer = 8;  // CRC-32 and size: no output comes from them
  for (int repeats = 1; repeats <= 40; ++repeats) {
    // Ends in a long repeat, so the member's last code is a match.
    const std::string text = "x " + std::to_string(repeats) + "\n" + std::string(repeats * 7, 'a') + " 1\n";
    const std::string compressed = wavefront::testing::gzip(text);
    const std::string_view deflated = std::string_view(compressed).substr(0, compressed.size() - trailer);
    for (const std::size_t scratch_size : {std::size_t{1}, std::size_t{7}, std::size_t{64}}) {
      for (const std::size_t piece : {std::size_t{1}, std::size_t{5}, deflated.size()}) {
        SCOPED_TRACE(std::to_string(repeats) + " repeats, scratch " + std::to_string(scratch_size) +
                     ", piece " + std::to_string(piece));
        std::string scratch(scratch_size, '\0');
        LineStream input(1000, scratch);
        input.start(true, 0);
        Collect collect;
        std::size_t budget = 1 << 20;
        for (std::size_t offset = 0; offset < deflated.size(); offset += piece) {
          ASSERT_EQ(input.feed(deflated.substr(offset, piece), collect, budget), LineStream::Outcome::ok);
          EXPECT_FALSE(input.has_leftover());
        }
        ASSERT_EQ(collect.lines.size(), 2u);  // before the trailer arrives
        EXPECT_EQ(collect.lines.back(), std::string(repeats * 7, 'a') + " 1");
        ASSERT_EQ(input.feed(std::string_view(compressed).substr(deflated.size()), collect, budget),
                  LineStream::Outcome::ok);
        EXPECT_TRUE(input.finish([](std::string_view, std::uint64_t) {}));
        EXPECT_EQ(collect.lines.size(), 2u);

        // The same stream with garbage in place of its trailer: corrupt, however small the buffer.
        input.start(true, 0);
        std::string damaged(deflated);
        damaged += "\xff\xff\xff\xff\xff\xff\xff\xff";
        EXPECT_EQ(input.feed(damaged, collect, budget), LineStream::Outcome::corrupt);
      }
    }
  }
}

TEST(LineStream, StopsAGzipBombAtTheLimit) {
  std::string scratch(64 * 1024, '\0');
  LineStream input(1000, scratch);
  const std::string bomb = wavefront::testing::gzip(std::string(std::size_t{16} << 20, '\0'), 9);
  input.start(true, 1 << 20);
  Collect collect;
  LineStream::Outcome outcome = LineStream::Outcome::ok;
  std::size_t budget = 1 << 30;
  outcome = input.feed(bomb, collect, budget);
  EXPECT_EQ(outcome, LineStream::Outcome::too_large);
  EXPECT_LE(input.decoded_bytes(), (1u << 20) + scratch.size());
}

TEST(LineStream, ReportsCorruptAndTruncatedGzip) {
  std::string scratch(4096, '\0');
  LineStream input(1000, scratch);
  Collect collect;
  std::size_t budget = 1 << 20;
  input.start(true, 0);
  EXPECT_EQ(input.feed("\x1f\x8bnot really gzip at all", collect, budget), LineStream::Outcome::corrupt);
  EXPECT_FALSE(input.error().empty());

  const std::string compressed = wavefront::testing::gzip("a 1\nb 2\n");
  input.start(true, 0);
  EXPECT_EQ(input.feed(compressed.substr(0, compressed.size() - 4), collect, budget),
            LineStream::Outcome::ok);
  EXPECT_FALSE(input.finish([](std::string_view, std::uint64_t) {}));

  // Concatenated members are read one after the other.
  collect.lines.clear();
  input.start(true, 0);
  EXPECT_EQ(
      input.feed(wavefront::testing::gzip("a 1\n") + wavefront::testing::gzip("b 2\n"), collect, budget),
      LineStream::Outcome::ok);
  EXPECT_TRUE(input.finish([](std::string_view, std::uint64_t) {}));
  EXPECT_EQ(collect.lines, (std::vector<std::string>{"a 1", "b 2"}));
}

}  // namespace
}  // namespace wfsend::input
