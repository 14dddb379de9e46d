// The formats people migrate from, through the built binary with exact stdout (`--to -`): samples
// written from each public specification (Prometheus text exposition, InfluxDB line protocol, Graphite
// plaintext, OpenTSDB telnet put), their bad lines reported as FILE:LINE:COLUMN with nothing silently
// dropped, the formats listed by `--help` from the registry, and a file read in gzip giving the same.
#include <gtest/gtest.h>

#include <string>

#include "support/gzip_test_util.h"
#include "tool/import_binary_util.h"

namespace wfsend::import {
namespace {

using namespace testing;

TEST(ImportFormats, PrometheusTextExposition) {
  TempDir directory;
  const std::string text =
      "# HELP http_requests_total The total number of HTTP requests.\n"
      "# TYPE http_requests_total counter\n"
      "http_requests_total{method=\"post\",code=\"200\",host=\"web-1\"} 1027 1395066363000\n"
      "http_requests_total{method=\"post\",code=\"400\",host=\"web-1\"}    3 1395066363000\n"
      "\n"
      "# Escaping in label values:\n"
      "msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find "
      "file:\\n\\\"FILE.TXT\\\"\","
      "host=\"pc\"} 1.458255915e9\n"
      "# TYPE queue_depth gauge\n"
      "queue_depth{source=\"q1\"} -2.5\n"
      "# TYPE rpc_duration_seconds summary\n"
      "rpc_duration_seconds{quantile=\"0.5\",host=\"web-1\"} 4773\n"
      "rpc_duration_seconds_sum{host=\"web-1\"} 1.7560473e+07\n"
      "rpc_duration_seconds_count{host=\"web-1\"} 2693\n"
      "# TYPE http_request_duration_seconds histogram\n"
      "http_request_duration_seconds_bucket{le=\"0.05\",host=\"web-1\"} 24054\n"
      "http_request_duration_seconds_bucket{le=\"+Inf\",host=\"web-1\"} 144320\n"
      "http_request_duration_seconds_sum{host=\"web-1\"} 53423\n"
      "http_request_duration_seconds_count{host=\"web-1\"} 144320\n"
      "something_weird{problem=\"division by zero\",host=\"x\"} +Inf -3982045\n"
      "bad{x=\"1\" 2\n"
      "http_request_duration_seconds_bucket{host=\"web-1\"} 5\n"
      "# TYPE odd enum\n";
  write_file(directory.file("metrics.prom"), text);
  const ProcessResult result = run_import({directory.file("metrics.prom"), "--to", "-"});
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;
  EXPECT_EQ(
      result.stdout_text,
      "\"http_requests_total\" 1027 1395066363000 source=\"web-1\" \"method\"=\"post\" \"code\"=\"200\"\n"
      "\"http_requests_total\" 3 1395066363000 source=\"web-1\" \"method\"=\"post\" \"code\"=\"400\"\n"
      "\"msdos_file_access_time_seconds\" 1458255915 source=\"pc\" \"path\"=\"C:\\DIR\\FILE.TXT\" "
      "\"error\"=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"\n"
      "\"queue_depth\" -2.5 source=\"q1\"\n"
      "\"rpc_duration_seconds\" 4773 source=\"web-1\" \"quantile\"=\"0.5\"\n"
      "\"rpc_duration_seconds_sum\" 17560473 source=\"web-1\"\n"
      "\"rpc_duration_seconds_count\" 2693 source=\"web-1\"\n"
      "\"http_request_duration_seconds_bucket\" 24054 source=\"web-1\" \"le\"=\"0.05\"\n"
      "\"http_request_duration_seconds_bucket\" 144320 source=\"web-1\" \"le\"=\"+Inf\"\n"
      "\"http_request_duration_seconds_sum\" 53423 source=\"web-1\"\n"
      "\"http_request_duration_seconds_count\" 144320 source=\"web-1\"\n");
  const std::string file = directory.file("metrics.prom");
  EXPECT_NE(result.stderr_text.find(file + ":19:54: non_finite_value: sample value +Inf"), std::string::npos)
      << result.stderr_text;
  EXPECT_NE(result.stderr_text.find(file + ":20:11: malformed_line: expected ',' or '}' after a label"),
            std::string::npos);
  EXPECT_NE(result.stderr_text.find(file + ":21:1: malformed_line: histogram bucket "
                                           "http_request_duration_seconds_bucket has no \"le\" label"),
            std::string::npos);
  EXPECT_NE(result.stderr_text.find(file + ":22:12: malformed_line: unknown metric type \"enum\""),
            std::string::npos);
  EXPECT_NE(result.stderr_text.find("4 invalid (4 refused by wfsend"), std::string::npos)
      << result.stderr_text;

  // The same file in gzip (detected by its magic bytes) gives the same points.
  write_file(directory.file("metrics.prom.gz"), wavefront::testing::gzip(text));
  const ProcessResult packed = run_import({directory.file("metrics.prom.gz"), "--to", "-"});
  EXPECT_EQ(packed.stdout_text, result.stdout_text);
}

TEST(ImportFormats, InfluxLineProtocol) {
  const std::string text =
      "# a comment\n"
      "weather,location=us-midwest,season=summer,host=h temperature=82,humidity=71i 1465839830100400200\n"
      "weather,location=us\\,midwest,host=h temperature=82 1465839830100400200\n"
      "wea\\ ther,loc\\=ation=a\\ b,host=h1 temp\\,erature=1.5e3,ok=t,bad=FALSE,up=12u 1465839830100400200\n"
      "home,room=kitchen,host=h note=\"it's \\\"hot\\\"\",temp=21.5\n"
      "home,room= temp=1\n"
      "home,host=h temp=abc 1\n"
      "home,host=h temp=1 notanumber\n";
  const ProcessResult result = run_import({"-", "--format", "influx", "--to", "-"}, text);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(
      result.stdout_text,
      "\"weather.temperature\" 82 1465839830100 source=\"h\" \"location\"=\"us-midwest\" "
      "\"season\"=\"summer\"\n"
      "\"weather.humidity\" 71 1465839830100 source=\"h\" \"location\"=\"us-midwest\" \"season\"=\"summer\"\n"
      "\"weather.temperature\" 82 1465839830100 source=\"h\" \"location\"=\"us,midwest\"\n"
      "\"wea-ther.temp,erature\" 1500 1465839830100 source=\"h1\" \"loc-ation\"=\"a b\"\n"
      "\"wea-ther.ok\" 1 1465839830100 source=\"h1\" \"loc-ation\"=\"a b\"\n"
      "\"wea-ther.bad\" 0 1465839830100 source=\"h1\" \"loc-ation\"=\"a b\"\n"
      "\"wea-ther.up\" 12 1465839830100 source=\"h1\" \"loc-ation\"=\"a b\"\n"
      "\"home.temp\" 21.5 source=\"h\" \"room\"=\"kitchen\"\n");
  EXPECT_NE(result.stderr_text.find("stdin:5:31: invalid_number: field \"note\" is a string"),
            std::string::npos)
      << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("stdin:6:6: malformed_line: tag \"room\" has an empty value"),
            std::string::npos);
  EXPECT_NE(
      result.stderr_text.find("stdin:7:18: invalid_number: field \"temp\" value \"abc\" is not a number"),
      std::string::npos);
  EXPECT_NE(result.stderr_text.find("stdin:8:20: invalid_timestamp"), std::string::npos);

  // Precision: the same instant in seconds, milliseconds and microseconds.
  for (const auto& [precision, stamp] : {std::pair<std::string, std::string>{"s", "1465839830"},
                                         {"ms", "1465839830100"},
                                         {"us", "1465839830100400"}}) {
    const ProcessResult timed =
        run_import({"-", "--format", "influx", "--influx-precision", precision, "--to", "-"},
                   "m,host=h f=1 " + stamp + "\n");
    const std::string expected_stamp = precision == "s" ? "1465839830" : "1465839830100";
    EXPECT_EQ(timed.stdout_text, "\"m.f\" 1 " + expected_stamp + " source=\"h\"\n") << precision;
  }
  const ProcessResult misuse = run_import({"-", "--format", "csv", "--influx-precision", "s"}, "a\n1\n");
  EXPECT_EQ(misuse.exit_code, 2);
  EXPECT_NE(misuse.stderr_text.find("--influx-precision applies to --format influx only"), std::string::npos);
}

TEST(ImportFormats, GraphitePlaintext) {
  const ProcessResult result = run_import({"-", "--format", "graphite", "--to", "-"},
                                          "servers.web1.cpu;host=web1 12.5 1700000000 \n"
                                          "servers.web1.load;host=web1;dc=eu\t0.7\t1700000000\n"
                                          "bad;host=a x 1\n"
                                          "a.b;host=a 1 1 extra\n"
                                          "x.y;host=a nan 1\n"
                                          "z.q;host=q 5 -1\n"
                                          "t;dc 1 1\n"
                                          "e.mpty\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.stdout_text,
            "\"servers.web1.cpu\" 12.5 1700000000 source=\"web1\"\n"
            "\"servers.web1.load\" 0.7 1700000000 source=\"web1\" \"dc\"=\"eu\"\n"
            "\"z.q\" 5 source=\"q\"\n");
  for (const char* expected : {"stdin:3:12: invalid_number: value \"x\" is not a number",
                               "stdin:4:16: malformed_line: unexpected text after the timestamp",
                               "stdin:5:12: non_finite_value: value nan is not finite",
                               "stdin:7:3: malformed_line: tag \"dc\" is not key=value",
                               "stdin:8:7: malformed_line: expected: path value timestamp"}) {
    EXPECT_NE(result.stderr_text.find(expected), std::string::npos) << expected << "\n" << result.stderr_text;
  }
}

TEST(ImportFormats, OpenTsdbTelnetPut) {
  const ProcessResult result = run_import({"-", "--format", "opentsdb", "--to", "-"},
                                          "put sys.cpu.user 1356998400 42.5 host=webserver01 cpu=0\n"
                                          "put sys.cpu.nice 1356998400123 18 host=web02\n"
                                          "version\n"
                                          "put x 1 abc host=b\n"
                                          "put y 1 2 novalue\n"
                                          "put z 1\n"
                                          "put w -5 1 host=b\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.stdout_text,
            "\"sys.cpu.user\" 42.5 1356998400 source=\"webserver01\" \"cpu\"=\"0\"\n"
            "\"sys.cpu.nice\" 18 1356998400123 source=\"web02\"\n");
  for (const char* expected :
       {"stdin:3:1: malformed_line: only put lines are imported, not \"version\"",
        "stdin:4:9: invalid_number: value \"abc\" is not a number",
        "stdin:5:11: malformed_line: tag \"novalue\" is not tagk=tagv",
        "stdin:6:8: malformed_line: expected: put metric timestamp value", "stdin:7:7: invalid_timestamp"}) {
    EXPECT_NE(result.stderr_text.find(expected), std::string::npos) << expected << "\n" << result.stderr_text;
  }
  EXPECT_NE(result.stderr_text.find("5 invalid (5 refused by wfsend"), std::string::npos)
      << result.stderr_text;
}

TEST(ImportFormats, HelpListsTheRegistryAndEmptyValuesAreCounted) {
  const ProcessResult help = run_import({"--help"});
  for (const char* name : {"prometheus:", "influx:", "graphite:", "opentsdb:", "csv:", "lines:", "jsonl:",
                           "InfluxDB line protocol:", "--influx-precision"}) {
    EXPECT_NE(help.stdout_text.find(name), std::string::npos) << name;
  }
  const ProcessResult empty = run_import({"-", "--format", "influx", "--to", "-"}, "m,host=h f= 1\n");
  EXPECT_EQ(empty.stdout_text, "");
  EXPECT_NE(empty.stderr_text.find("1 empty values skipped"), std::string::npos) << empty.stderr_text;
}

}  // namespace
}  // namespace wfsend::import
