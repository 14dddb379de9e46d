// `wfsend lint`: FILE:LINE:COLUMN: code: message per problem, exit codes, stdin, gzip, long lines.
#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <string>

#include "support/subprocess.h"

namespace {

using wavefront::testing::run_process;
using wavefront::testing::Subprocess;
using wavefront::testing::TempDir;

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

const std::string kMixed =
    "cpu.usage 42.5 1700000000 source=web-1 env=prod\n"
    "\"cpu usage\" 1 source=s\n"
    "\n"
    "!M 1700000040 #20 30 #10 5.1 request.latency source=app-1\r\n"
    "m NaN source=s\n"
    "@Event 1700000000000 1700000060000 \"deploy\" host=ci-1\n"
    "m 1 source=s b\xC3\xA9=2\n"
    "m 1 source=\"unterminated";

TEST(WfsendLint, ReportsEachProblemWithFileLineColumnAndCode) {
  TempDir dir;
  const std::string path = dir.file("lines.txt");
  write_file(path, kMixed);
  const auto result = run_process({WFSEND_PATH, "lint", path});
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 1);
  const std::string expected_start[] = {
      path + ":2:5: invalid_name: ",
      path + ":5:3: non_finite_value: ",
      path + ":7:15: invalid_tag_key: ",
      path + ":8:12: malformed_line: unterminated quoted string",
  };
  std::size_t position = 0;
  for (const std::string& start : expected_start) {
    ASSERT_EQ(result.stdout_text.compare(position, start.size(), start), 0)
        << "expected " << start << " at " << position << " in\n"
        << result.stdout_text;
    position = result.stdout_text.find('\n', position) + 1;
  }
  EXPECT_EQ(position, result.stdout_text.size()) << result.stdout_text;
  EXPECT_NE(result.stderr_text.find("8 lines, 4 with errors, 0 with warnings"), std::string::npos)
      << result.stderr_text;
}

TEST(WfsendLint, CleanInputExitsZeroAndReadsStdinAndGzip) {
  TempDir dir;
  const std::string good = "a 1 source=s\nb 2 1700000000 source=s k=v\n";
  const auto from_stdin = [&] {
    Subprocess::Options options;
    options.stdin_text = good;
    return run_process({WFSEND_PATH, "lint", "-", "--quiet"}, options);
  }();
  EXPECT_EQ(from_stdin.exit_code, 0) << from_stdin.stdout_text << from_stdin.stderr_text;
  EXPECT_EQ(from_stdin.stdout_text, "");
  EXPECT_EQ(from_stdin.stderr_text, "");

  const std::string gz_path = dir.file("lines.gz");
  gzFile gz = gzopen(gz_path.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  gzwrite(gz, kMixed.data(), static_cast<unsigned>(kMixed.size()));
  gzclose(gz);
  const auto gzipped = run_process({WFSEND_PATH, "lint", gz_path});
  EXPECT_EQ(gzipped.exit_code, 1);
  EXPECT_NE(gzipped.stdout_text.find(gz_path + ":7:15: invalid_tag_key"), std::string::npos)
      << gzipped.stdout_text;
}

TEST(WfsendLint, UnreadableFileIsAUsageError) {
  const auto result = run_process({WFSEND_PATH, "lint", "/nonexistent/file"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.stderr_text.find("/nonexistent/file: No such file or directory"), std::string::npos)
      << result.stderr_text;
}

TEST(WfsendLint, ExpectedFormatAndProxyLineLimits) {
  TempDir dir;
  const std::string path = dir.file("lines.txt");
  write_file(path, "m 1 source=s\n" + std::string("m 1 source=s k=") + std::string(40000, 'v') +
                       "\nlast 1 source=s\n" + std::string(3 << 20, 'x') + "\nafter 1 source=s\n");
  const auto result = run_process({WFSEND_PATH, "lint", path, "--format", "metric"});
  EXPECT_EQ(result.exit_code, 1);
  // The 40 000-character tag value: too long for a tag and for the push port.
  EXPECT_NE(result.stdout_text.find(path + ":2:"), std::string::npos) << result.stdout_text.substr(0, 500);
  // The 3 MiB line is reported once without being held in memory, and the next line is still read.
  EXPECT_NE(result.stdout_text.find(path + ":4:1048577: line_too_long"), std::string::npos)
      << result.stdout_text.substr(0, 500);
  EXPECT_EQ(result.stdout_text.find(":5:"), std::string::npos) << result.stdout_text.substr(0, 500);
  const auto spans_only = run_process({WFSEND_PATH, "lint", path, "--format", "span", "--max-problems", "1"});
  EXPECT_EQ(spans_only.exit_code, 1);
  EXPECT_NE(spans_only.stdout_text.find("a metric line where span lines are expected"), std::string::npos);
  EXPECT_NE(spans_only.stderr_text.find("(first 1 shown)"), std::string::npos) << spans_only.stderr_text;
}

// Lines the proxy accepts but a correct SDK would not write: warnings naming their rule, exit code 4;
// --strict makes them errors (exit code 1); errors stay errors.
TEST(WfsendLint, WarningsNameTheirRuleAndStrictMakesThemErrors) {
  TempDir dir;
  const std::string path = dir.file("lines.txt");
  write_file(path,
             "cpu 1 1700000000 host=web-1\n"
             "span source=a traceId=testtraceid spanId=0313bafe-9457-11e8-9eb6-529269fb1459 1700000000123 5\n"
             "cpu 1 source=s\n");
  const auto warned = run_process({WFSEND_PATH, "lint", path});
  ASSERT_TRUE(warned.exited);
  EXPECT_EQ(warned.exit_code, 4) << warned.stdout_text << warned.stderr_text;
  EXPECT_NE(warned.stdout_text.find(path + ":1:18: warning: host-for-source: "), std::string::npos)
      << warned.stdout_text;
  EXPECT_NE(warned.stdout_text.find(path + ":2:23: warning: non-uuid-id: "), std::string::npos)
      << warned.stdout_text;
  EXPECT_NE(warned.stderr_text.find("3 lines, 0 with errors, 2 with warnings"), std::string::npos)
      << warned.stderr_text;

  const auto strict = run_process({WFSEND_PATH, "lint", "--strict", path});
  ASSERT_TRUE(strict.exited);
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.stdout_text.find(path + ":1:18: host-for-source: "), std::string::npos)
      << strict.stdout_text;

  write_file(path, "cpu 1 source=\"\"\ncpu 1 host=h\n");
  const auto both = run_process({WFSEND_PATH, "lint", path});
  ASSERT_TRUE(both.exited);
  EXPECT_EQ(both.exit_code, 1);
  EXPECT_NE(both.stdout_text.find(":1:14: invalid_source: "), std::string::npos) << both.stdout_text;
  EXPECT_NE(both.stderr_text.find("2 lines, 1 with errors, 1 with warnings"), std::string::npos);

  const auto help = run_process({WFSEND_PATH, "lint", "--help"});
  for (const char* rule :
       {"host-for-source", "non-uuid-id", "repeated-tag", "tag-key-renamed", "reserved-tag-key",
        "timestamp-unit", "span-time-unit", "span-tag-value-truncated", "span-logs-without-span",
        "span-logs-ids-differ", "span-logs-marker", "event-without-host", "event-time-unit", "--strict"}) {
    EXPECT_NE(help.stdout_text.find(rule), std::string::npos) << rule;
  }
}

}  // namespace
