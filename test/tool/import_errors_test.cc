// Every bad-input class of `wfsend import`, running the built binary: its message on stderr and its
// exit code. Usage errors (2): unknown columns, bad options, bad URLs, unreadable files. Refused input
// (1): malformed CSV, bad numbers, bad JSONL, --max-errors. Undelivered (3): an unreachable endpoint
// and a receiver that dies mid-import, within the deadlines given. Interrupted (130): SIGINT.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "import_binary_util.h"
#include "support/fake_proxy.h"

namespace wfsend::import {
namespace {

using namespace testing;
using ::testing::HasSubstr;
using ::testing::Not;
using wavefront::testing::FakeProxy;

constexpr int kOk = 0, kRefused = 1, kUsage = 2, kUndelivered = 3, kInterrupted = 130;

TEST(ImportErrors, MalformedCsvIsReportedWithLineAndColumnAndTheImportGoesOn) {
  const ProcessResult result = run_import({"-", "--format", "csv", "--source", "s", "--value-column", "v"},
                                          "k,v\n\"a\"b,1\nc,2\nd,\"open\nquote\n");
  EXPECT_EQ(result.exit_code, kRefused);
  EXPECT_EQ(result.stdout_text, "\"v\" 2 source=\"s\"\n");
  EXPECT_THAT(result.stderr_text,
              HasSubstr("stdin:2:4: malformed_line: unexpected character after a closing quote"));
  EXPECT_THAT(result.stderr_text,
              HasSubstr("stdin:4:3: malformed_line: quoted field starting here is not closed"));
  EXPECT_THAT(result.stderr_text, HasSubstr("2 refused by wfsend"));
}

TEST(ImportErrors, BadNumbersAndTimestampsNameTheCellAndTheRule) {
  const ProcessResult result =
      run_import({"-", "--format", "csv", "--source", "s", "--timestamp-column", "t"},
                 "t,v\n1700000000,12,5\n1700000000,1.2.3\nsoon,4\n1700000000,inf\n1700000000,7\n");
  EXPECT_EQ(result.exit_code, kRefused);
  EXPECT_EQ(result.stdout_text, "\"v\" 7 1700000000 source=\"s\"\n");
  EXPECT_THAT(result.stderr_text,
              HasSubstr("stdin:2:15: malformed_line: row has 3 fields, the header has 2"));
  EXPECT_THAT(result.stderr_text,
              HasSubstr("stdin:3:12: invalid_number: column \"v\": \"1.2.3\" is not a number"));
  EXPECT_THAT(result.stderr_text, HasSubstr("stdin:4:1: invalid_timestamp: column \"t\": \"soon\" is not"));
  EXPECT_THAT(result.stderr_text, HasSubstr("stdin:5:12: non_finite_value: "));
}

TEST(ImportErrors, UnknownColumnsAreUsageErrorsListingTheHeader) {
  const ProcessResult result =
      run_import({"-", "--format", "csv", "--value-column", "cpu", "--tag-columns", "regoin"},
                 "host,region,cpu\nh,r,1\n");
  EXPECT_EQ(result.exit_code, kUsage);
  EXPECT_EQ(result.stdout_text, "");
  EXPECT_THAT(result.stderr_text, HasSubstr("--tag-columns: no column \"regoin\" in the header (1:\"host\", "
                                            "2:\"region\", 3:\"cpu\")"));
}

TEST(ImportErrors, BadOptionsUrlsAndFilesAreUsageErrors) {
  TempDir directory;
  write_file(directory.file("data.csv"), "v\n1\n");
  write_file(directory.file("data.txt"), "v 1\n");
  write_file(directory.file("header.csv"), "\"a\"b,c\n1,2\n");
  write_file(directory.file("empty.csv"), "");
  struct Case {
    std::vector<std::string> arguments;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{directory.file("missing.csv")}, "missing.csv: No such file or directory"},
      {{directory.file("data.txt")}, "give --format csv, lines or jsonl"},
      {{"-"}, "cannot tell the format of stdin"},
      {{directory.file("data.csv"), "--to", "bogus://host"}, "--to: invalid sender URL"},
      {{directory.file("data.csv"), "--to", "tcp://"}, "--to: "},
      {{directory.file("data.txt"), "--format", "lines", "--value-column", "v"},
       "--value-column applies to --format csv only"},
      {{directory.file("data.csv"), "--delta", "--aggregate", "hour"},
       "--delta and --aggregate exclude each other"},
      {{directory.file("data.csv"), "--tag", "novalue"}, "--tag novalue: expected key=value"},
      {{directory.file("data.csv"), "--delimiter", "ab"}, "--delimiter must be one character"},
      {{directory.file("data.csv"), "--format", "xml"}, "xml"},
      {{directory.file("data.csv"), "--aggregate", "week"}, "week"},
      {{directory.file("header.csv")},
       "header.csv: line 1, column 4: unexpected character after a closing quote"},
      {{directory.file("empty.csv")}, "empty.csv: the input is empty (no header row)"},
  };
  for (const Case& test : cases) {
    const ProcessResult result = run_import(test.arguments);
    EXPECT_EQ(result.exit_code, kUsage) << ::testing::PrintToString(test.arguments) << result.stderr_text;
    EXPECT_THAT(result.stderr_text, HasSubstr(test.message)) << ::testing::PrintToString(test.arguments);
    EXPECT_EQ(result.stdout_text, "");
  }
}

TEST(ImportErrors, CorruptGzipStopsTheImportWithAnIoError) {
  TempDir directory;
  std::string packed;
  write_gzip_file(directory.file("data.csv.gz"), generated_csv(20000));
  packed = read_file(directory.file("data.csv.gz"));
  write_file(directory.file("cut.csv.gz"), packed.substr(0, packed.size() / 2));
  const ProcessResult result = run_import({directory.file("cut.csv.gz"), "--value-column", "cpu"});
  EXPECT_EQ(result.exit_code, kUsage);
  EXPECT_THAT(result.stderr_text, HasSubstr("cut.csv.gz: io_error: gzip stream is truncated"));
  EXPECT_THAT(result.stderr_text, HasSubstr("could not be read to its end"));
  EXPECT_FALSE(result.stdout_text.empty()) << "what was read before the damage is still sent";
}

TEST(ImportErrors, BadJsonlLinesAndNonFiniteNumbers) {
  const ProcessResult result =
      run_import({"-", "--format", "jsonl"},
                 "{\"kind\":\"metric\",\"name\":\"m\",\"value\":\"-Infinity\",\"source\":\"s\"}\n"
                 "{\"kind\":\"metric\",\"name\":\"m\",\"value\":2,\"source\":\"s\",\"unit\":\"ms\"}\n"
                 "not json\n"
                 "{\"kind\":\"metric\",\"name\":\"m\",\"value\":3,\"source\":\"s\"}\n");
  EXPECT_EQ(result.exit_code, kRefused);
  EXPECT_EQ(result.stdout_text, "\"m\" 3 source=\"s\"\n");
  EXPECT_THAT(result.stderr_text, HasSubstr("stdin:1:37: non_finite_value: "));
  EXPECT_THAT(result.stderr_text, HasSubstr("stdin:2:52: malformed_line: unknown field \"unit\""));
  EXPECT_THAT(result.stderr_text, HasSubstr("stdin:3:1: malformed_line: "));
  EXPECT_THAT(result.stderr_text, HasSubstr("3 invalid (2 refused by wfsend, 1 by the library)"));
}

TEST(ImportErrors, MaxErrorsStopsEarlyAndMaxMessagesLimitsTheOutput) {
  std::string csv = "v\n";
  for (int row = 0; row < 50; ++row) csv += "x\n";
  csv += "1\n";
  const ProcessResult stopped =
      run_import({"-", "--format", "csv", "--source", "s", "--max-errors", "5"}, csv);
  EXPECT_EQ(stopped.exit_code, kRefused);
  EXPECT_EQ(stopped.stdout_text, "");
  EXPECT_THAT(stopped.stderr_text, HasSubstr("stopped after 5 problems (--max-errors 5)"));
  EXPECT_THAT(stopped.stderr_text, HasSubstr("stdin:6:1: invalid_number"));
  EXPECT_THAT(stopped.stderr_text, Not(HasSubstr("stdin:7:1:")));

  const ProcessResult limited =
      run_import({"-", "--format", "csv", "--source", "s", "--max-messages", "3"}, csv);
  EXPECT_EQ(limited.exit_code, kRefused);
  EXPECT_EQ(limited.stdout_text, "\"v\" 1 source=\"s\"\n");
  EXPECT_THAT(limited.stderr_text, HasSubstr("stdin:4:1: invalid_number"));
  EXPECT_THAT(limited.stderr_text, Not(HasSubstr("stdin:5:1:")));
  EXPECT_THAT(limited.stderr_text, HasSubstr("... and 47 more problems not shown (--max-messages 3)"));
  EXPECT_THAT(limited.stderr_text, HasSubstr("50 invalid (50 refused by wfsend, 0 by the library)"));
}

TEST(ImportErrors, UnreachableEndpointIsUndeliveredWithinTheDeadlines) {
  TempDir directory;
  const std::uint16_t port = FakeProxy::reserve_port();
  ASSERT_NE(port, 0);
  const std::string url = "tcp://127.0.0.1:" + std::to_string(port);
  // Small: everything fits in the queue; the close deadline decides.
  write_file(directory.file("small.csv"), generated_csv(100));
  const ProcessResult small = run_import(
      {directory.file("small.csv"), "--value-column", "cpu", "--to", url, "--close-timeout", "0.5", "--json"},
      {}, std::chrono::seconds(30));
  ASSERT_TRUE(small.exited) << "did not finish within the deadline";
  EXPECT_EQ(small.exit_code, kUndelivered) << small.stderr_text;
  const auto summary = nlohmann::json::parse(small.stdout_text);
  EXPECT_EQ(summary["dropped_by_reason"]["unsent_at_close"], 100);
  EXPECT_EQ(summary["delivered"], 0);
  // Large: the queue fills, a send waits --block-timeout, and the import stops reading.
  write_file(directory.file("large.csv"), generated_csv(120000));
  const ProcessResult large = run_import({directory.file("large.csv"), "--value-column", "cpu", "--to", url,
                                          "--close-timeout", "0.5", "--block-timeout", "0.5"},
                                         {}, std::chrono::seconds(30));
  ASSERT_TRUE(large.exited) << "did not finish within the deadline";
  EXPECT_EQ(large.exit_code, kUndelivered) << large.stderr_text;
  EXPECT_THAT(large.stderr_text, HasSubstr("queue_full"));
  EXPECT_THAT(large.stderr_text, HasSubstr("the destination took nothing for --block-timeout"));
}

TEST(ImportErrors, ReceiverDyingMidImportIsUndelivered) {
  TempDir directory;
  write_file(directory.file("data.csv"), generated_csv(300000));
  auto proxy = FakeProxy::start({"127.0.0.1", 0, FakeProxy::Behavior::stop_reading()});
  ASSERT_TRUE(proxy);
  Subprocess import(
      {WFSEND_PATH, "import", directory.file("data.csv"), "--value-column", "cpu,mem", "--to",
       "tcp://127.0.0.1:" + std::to_string(proxy->port()), "--block-timeout", "1", "--close-timeout", "1"},
      clean_environment());
  // The receiver accepts, reads nothing (so the import cannot finish), then dies.
  ASSERT_TRUE(proxy->wait_for_connections(1, std::chrono::seconds(30)));
  proxy->stop();
  const ProcessResult result = import.wait(std::chrono::seconds(60));
  ASSERT_TRUE(result.exited) << "did not finish within the deadline";
  EXPECT_EQ(result.exit_code, kUndelivered) << result.stderr_text;
  EXPECT_THAT(result.stderr_text, HasSubstr("dropped ("));
}

TEST(ImportErrors, SigintStopsReadingFlushesAndExits130) {
  TempDir directory;
  const std::string fifo = directory.file("rows.fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  auto proxy = FakeProxy::start();
  ASSERT_TRUE(proxy);
  Subprocess import({WFSEND_PATH, "import", fifo, "--format", "csv", "--source", "s", "--to",
                     "tcp://127.0.0.1:" + std::to_string(proxy->port()), "--close-timeout", "5"},
                    clean_environment());
  const int writer = ::open(fifo.c_str(), O_WRONLY);  // waits for the import to open it
  ASSERT_GE(writer, 0);
  const std::string rows = "v\n1\n2\n3\n";
  ASSERT_EQ(::write(writer, rows.data(), rows.size()), static_cast<ssize_t>(rows.size()));
  // The rows arrive while the import waits for more input; then Ctrl-C.
  ASSERT_TRUE(proxy->wait_for_lines(3, std::chrono::seconds(30)));
  import.signal(SIGINT);
  const ProcessResult result = import.wait(std::chrono::seconds(30));
  ::close(writer);
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, kInterrupted) << result.stderr_text;
  EXPECT_THAT(result.stderr_text, HasSubstr("3 sent: 3 delivered, 0 dropped"));
  EXPECT_THAT(result.stderr_text, HasSubstr("interrupted"));
  EXPECT_EQ(proxy->lines(), (std::vector<std::string>{"\"v\" 1 source=\"s\"", "\"v\" 2 source=\"s\"",
                                                      "\"v\" 3 source=\"s\""}));
  (void)kOk;
}

}  // namespace
}  // namespace wfsend::import
