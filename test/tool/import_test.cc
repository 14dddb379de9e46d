// `wfsend import` end to end, running the built binary: exact lines in input order on stdout, gzip
// and stdin input, and imports into receivers (the fake proxy over TCP, the fake HTTP server, and
// `wfsend listen` over TCP and HTTP) where what arrived must be what the input says; the JSON summary
// must match what arrived.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "import_binary_util.h"
#include "support/fake_http_server.h"
#include "support/fake_proxy.h"

namespace wfsend::import {
namespace {

using namespace testing;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using wavefront::testing::FakeHttpServer;
using wavefront::testing::FakeProxy;

const std::vector<std::string> kCsvMapping = {
    "--timestamp-column", "timestamp",      "--source-column", "host",
    "--tag-columns",      "region,service", "--value-column",  "cpu,mem"};

std::vector<std::string> with(std::vector<std::string> arguments, const std::vector<std::string>& more) {
  arguments.insert(arguments.end(), more.begin(), more.end());
  return arguments;
}

TEST(ImportBinary, CsvToStdoutGivesTheExactLinesInInputOrder) {
  TempDir directory;
  write_file(directory.file("data.csv"),
             "\xEF\xBB\xBFtime,host,region,service,cpu,mem\r\n"
             "2024-01-01T00:00:00Z,web-1,us-west,\"checkout, v2\",12.5,40\r\n"
             "1704067260,web-2,eu,\"say \"\"hi\"\"\",7,\r\n"
             "1704067320000,\"web\n3\",eu,plain,1e3,+7\r\n");
  const ProcessResult result =
      run_import({directory.file("data.csv"), "--timestamp-column", "time", "--source-column", "host",
                  "--tag-columns", "region,service", "--value-column", "cpu,mem", "--prefix", "app."});
  ASSERT_TRUE(result.exited) << result.stderr_text;
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(
      result.stdout_text,
      "\"app.cpu\" 12.5 1704067200 source=\"web-1\" \"region\"=\"us-west\" \"service\"=\"checkout, v2\"\n"
      "\"app.mem\" 40 1704067200 source=\"web-1\" \"region\"=\"us-west\" \"service\"=\"checkout, v2\"\n"
      "\"app.cpu\" 7 1704067260 source=\"web-2\" \"region\"=\"eu\" \"service\"=\"say \\\"hi\\\"\"\n"
      "\"app.cpu\" 1000 1704067320 source=\"web\\n3\" \"region\"=\"eu\" \"service\"=\"plain\"\n"
      "\"app.mem\" 7 1704067320 source=\"web\\n3\" \"region\"=\"eu\" \"service\"=\"plain\"\n");
  EXPECT_THAT(result.stderr_text, HasSubstr("3 rows in"));
  EXPECT_THAT(result.stderr_text, HasSubstr("5 sent: 5 delivered, 0 dropped"));
  EXPECT_THAT(result.stderr_text, HasSubstr("1 empty values skipped"));
  EXPECT_THAT(result.stderr_text, Not(HasSubstr("\r"))) << "no progress line when stderr is not a terminal";
}

TEST(ImportBinary, GzipAndStdinGiveTheSameLines) {
  TempDir directory;
  const std::string csv = generated_csv(5000);
  write_file(directory.file("plain.csv"), csv);
  write_gzip_file(directory.file("packed.csv.gz"), csv);
  const ProcessResult plain = run_import(with({directory.file("plain.csv")}, kCsvMapping));
  ASSERT_EQ(plain.exit_code, 0) << plain.stderr_text;
  EXPECT_EQ(split_lines(plain.stdout_text).size(), 10000u);
  const ProcessResult packed = run_import(with({directory.file("packed.csv.gz")}, kCsvMapping));
  EXPECT_EQ(packed.exit_code, 0) << packed.stderr_text;
  EXPECT_EQ(packed.stdout_text, plain.stdout_text);
  EXPECT_THAT(packed.stderr_text, HasSubstr("after gunzip"));
  const ProcessResult piped = run_import(with({"-", "--format", "csv"}, kCsvMapping), csv);
  EXPECT_EQ(piped.exit_code, 0) << piped.stderr_text;
  EXPECT_EQ(piped.stdout_text, plain.stdout_text);
}

TEST(ImportBinary, CsvOverTcpArrivesAtTheProxyAsItWasRead) {
  TempDir directory;
  write_file(directory.file("data.csv"), generated_csv(20000));
  const ProcessResult expected = run_import(with({directory.file("data.csv")}, kCsvMapping));
  ASSERT_EQ(expected.exit_code, 0);
  auto proxy = FakeProxy::start();
  ASSERT_TRUE(proxy);
  const ProcessResult result = run_import(with(
      {directory.file("data.csv"), "--to", "tcp://127.0.0.1:" + std::to_string(proxy->port())}, kCsvMapping));
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(result.stdout_text, "");
  ASSERT_TRUE(proxy->wait_for_lines(40000, std::chrono::seconds(30)));
  EXPECT_EQ(proxy->lines(), split_lines(expected.stdout_text));  // one connection: input order
  EXPECT_THAT(result.stderr_text, HasSubstr("40,000 sent: 40,000 delivered, 0 dropped"));
}

TEST(ImportBinary, CsvOverHttpArrivesAtTheServer) {
  TempDir directory;
  write_file(directory.file("data.csv"), generated_csv(3000));
  const ProcessResult expected = run_import(with({directory.file("data.csv")}, kCsvMapping));
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  const ProcessResult result =
      run_import(with({directory.file("data.csv"), "--to", server->url(), "--json"}, kCsvMapping));
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  ASSERT_TRUE(server->wait_for_lines("wavefront", 6000, std::chrono::seconds(30)));
  EXPECT_EQ(server->lines("wavefront"), split_lines(expected.stdout_text));
  const auto summary = nlohmann::json::parse(result.stdout_text);
  EXPECT_EQ(summary["rows"], 3000);
  EXPECT_EQ(summary["accepted"], 6000);
  EXPECT_EQ(summary["delivered"], 6000);
  EXPECT_EQ(summary["dropped"], 0);
  EXPECT_EQ(summary["invalid"], 0);
  EXPECT_EQ(summary["exit_code"], 0);
}

TEST(ImportBinary, JsonSummaryMatchesWhatArrived) {
  TempDir directory;
  write_file(directory.file("data.csv"), "host,cpu\nh1,1\nh2,oops\nh3,\nh4,4\n\"h\\\",5\n");
  auto proxy = FakeProxy::start();
  ASSERT_TRUE(proxy);
  const ProcessResult result =
      run_import({directory.file("data.csv"), "--source-column", "host", "--value-column", "cpu", "--json",
                  "--to", "tcp://127.0.0.1:" + std::to_string(proxy->port())});
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;  // some input refused
  ASSERT_TRUE(proxy->wait_for_lines(2, std::chrono::seconds(10)));
  const auto summary = nlohmann::json::parse(result.stdout_text);
  EXPECT_EQ(summary["rows"], 5);
  EXPECT_EQ(summary["accepted"], proxy->line_count());
  EXPECT_EQ(summary["delivered"], 2);
  EXPECT_EQ(summary["refused_by_wfsend"], 1);   // "oops"
  EXPECT_EQ(summary["invalid_by_library"], 1);  // a source ending in a backslash
  EXPECT_EQ(summary["invalid"], 2);
  EXPECT_EQ(summary["empty_values"], 1);
  EXPECT_EQ(summary["by_type"]["metric"]["delivered"], 2);
  EXPECT_EQ(summary["exit_code"], 1);
  EXPECT_THAT(result.stderr_text, HasSubstr("data.csv:3:4: invalid_number: column \"cpu\": \"oops\""));
  EXPECT_THAT(result.stderr_text, HasSubstr("data.csv:6:1: invalid_source: "));
}

TEST(ImportBinary, AllDataTypesFromJsonlAndTheExampleCsvIntoListenOverTcpAndHttp) {
  TempDir directory;
  const std::string example_jsonl = std::string(WFSEND_SOURCE_DIR) + "/examples/all_types.jsonl";
  const std::string example_csv = directory.file("example.csv");
  const auto generated = wavefront::testing::run_process(
      {"/bin/bash", std::string(WFSEND_SOURCE_DIR) + "/examples/generate_example_data.sh", example_csv,
       "2000"});
  ASSERT_EQ(generated.exit_code, 0) << generated.stderr_text;
  const std::vector<std::string> csv_mapping = {
      "--timestamp-column", "timestamp",      "--source-column", "host",
      "--tag-columns",      "region,service", "--value-column",  "cpu,mem,latency_ms"};
  const ProcessResult jsonl_lines = run_import({example_jsonl});
  const ProcessResult csv_lines = run_import(with({example_csv}, csv_mapping));
  ASSERT_EQ(jsonl_lines.exit_code, 0) << jsonl_lines.stderr_text;
  ASSERT_EQ(csv_lines.exit_code, 0) << csv_lines.stderr_text;
  std::vector<std::string> expected = split_lines(jsonl_lines.stdout_text + csv_lines.stdout_text);

  for (const std::string scheme : {"tcp", "http"}) {
    SCOPED_TRACE(scheme);
    TempDir listen_directory;
    ListenProcess listen(listen_directory);
    ASSERT_NE(listen.port(), 0);
    const std::string url = scheme + "://127.0.0.1:" + std::to_string(listen.port());
    const ProcessResult jsonl = run_import({example_jsonl, "--to", url});
    EXPECT_EQ(jsonl.exit_code, 0) << jsonl.stderr_text;
    const ProcessResult csv = run_import(with({example_csv, "--to", url}, csv_mapping));
    EXPECT_EQ(csv.exit_code, 0) << csv.stderr_text;
    ProcessResult listen_result;
    const std::vector<std::string> received = listen.stop_and_read(&listen_result);
    // Data types travel in separate queues (and HTTP requests), so only the per-type order is kept.
    EXPECT_EQ(sorted(received), sorted(expected)) << listen_result.stderr_text;
  }
}

TEST(ImportBinary, AggregateSendsDistributionsBinnedByTheRowTimestamps) {
  const ProcessResult result = run_import(
      {"-", "--format", "csv", "--timestamp-column", "t", "--source", "s", "--aggregate", "minute"},
      "t,latency\n1700000040,10\n1700000050,30\n1700000059,10\n1700000100,5\n");
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(
      result.stdout_text,
      "!M 1700000040 #2 10 #1 30 \"latency\" source=\"s\"\n!M 1700000100 #1 5 \"latency\" source=\"s\"\n");
  EXPECT_THAT(result.stderr_text, HasSubstr("4 values aggregated into 2 distributions"));
}

TEST(ImportBinary, LinesFormatReemitsCanonicalLines) {
  TempDir directory;
  const ProcessResult jsonl = run_import({std::string(WFSEND_SOURCE_DIR) + "/examples/all_types.jsonl"});
  ASSERT_EQ(jsonl.exit_code, 0);
  write_file(directory.file("all.wf"), jsonl.stdout_text);
  const ProcessResult lines = run_import({directory.file("all.wf"), "--format", "lines"});
  EXPECT_EQ(lines.exit_code, 0) << lines.stderr_text;
  EXPECT_EQ(lines.stdout_text, jsonl.stdout_text);
  const ProcessResult loose = run_import({"-", "--format", "lines"}, "cpu.usage  42 host=web-1 env=prod\n");
  EXPECT_EQ(loose.stdout_text, "\"cpu.usage\" 42 source=\"web-1\" \"env\"=\"prod\"\n");
}

}  // namespace
}  // namespace wfsend::import
