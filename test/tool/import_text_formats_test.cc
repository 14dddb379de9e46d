// The text metric formats of `wfsend import` in process (prometheus, influx, graphite, opentsdb): the
// registry makes each by name; the same input read in 1-byte, 7-byte and whole chunks gives the same
// calls and the same problems; names, tags, sources and timestamps come out as the mapping says.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tool/import_test_util.h"
#include "wfsend/import/importer.h"

namespace wfsend::import {
namespace {

struct Result {
  std::vector<std::string> lines;
  std::vector<std::string> problems;
  ImportCounts counts;
};

Result import_as(const std::string& format_name, const std::string& text, std::size_t chunk) {
  testing::Harness harness;
  ImportFormats formats = make_import_formats();
  for (auto& format : formats) {
    if (format->name() != format_name) continue;
    std::string problem;
    std::unique_ptr<Importer> importer = format->make_importer("-", problem);
    EXPECT_NE(importer, nullptr) << problem;
    input::StringSource source(text, chunk);
    EXPECT_TRUE(importer->start(source).ok());
    importer->run(harness.context);
  }
  return Result{harness.lines(), harness.problem_lines(), harness.context.counts()};
}

void expect_same_in_chunks(const std::string& format, const std::string& text) {
  const Result whole = import_as(format, text, 1 << 20);
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{7}}) {
    const Result chunked = import_as(format, text, chunk);
    EXPECT_EQ(chunked.lines, whole.lines) << format << " " << chunk;
    EXPECT_EQ(chunked.problems, whole.problems) << format << " " << chunk;
    EXPECT_EQ(chunked.counts.rows, whole.counts.rows);
  }
}

TEST(TextFormats, RegistryKnowsEveryFormatOnce) {
  std::vector<std::string> names;
  for (const auto& format : make_import_formats()) names.push_back(format->name());
  EXPECT_EQ(names, (std::vector<std::string>{"csv", "lines", "jsonl", "prometheus", "influx", "graphite",
                                             "opentsdb"}));
}

TEST(TextFormats, PrometheusMapsSamplesAndReportsPositions) {
  const std::string text =
      "# TYPE h histogram\nh_bucket{le=\"0.5\",host=\"a\"} 3 1700000000123\nh_sum{host=\"a\"} 1.5\n"
      "c{host=\"b\",k=\"v w\"} 2\nc{host=\"b\"} NaN\nc{host=\"b\",} 4\n h 1\n";
  const Result result = import_as("prometheus", text, 3);
  EXPECT_EQ(result.lines, (std::vector<std::string>{
                              "\"h_bucket\" 3 1700000000123 source=\"a\" \"le\"=\"0.5\"",
                              "\"h_sum\" 1.5 source=\"a\"",
                              "\"c\" 2 source=\"b\" \"k\"=\"v w\"",
                              "\"c\" 4 source=\"b\"",
                          }));
  ASSERT_EQ(result.problems.size(), 2u);
  EXPECT_EQ(result.problems[0].rfind("in:5:13: non_finite_value", 0), 0u) << result.problems[0];
  EXPECT_EQ(result.problems[1].rfind("in:7:2: malformed_line: histogram h has samples", 0), 0u)
      << result.problems[1];
  expect_same_in_chunks("prometheus", text);
}

TEST(TextFormats, InfluxGraphiteOpenTsdbAreTheSameInChunks) {
  expect_same_in_chunks("influx", "m,host=a f=1,g=2i,s=\"x\" 1700000000000000000\nm,host=a f= 1\nbad\n");
  expect_same_in_chunks("graphite", "a.b;host=x 1 1700000000\nc nan 1\n\td 2 3 4\n");
  expect_same_in_chunks("opentsdb", "put a 1700000000 1 host=x\nput b x 1\nget\n");
  const Result influx =
      import_as("influx", "m,host=a f=1,g=2i,s=\"x\" 1700000000000000000\nm,host=a f= 1\n", 5);
  EXPECT_EQ(influx.lines, (std::vector<std::string>{"\"m.f\" 1 1700000000000 source=\"a\"",
                                                    "\"m.g\" 2 1700000000000 source=\"a\""}));
  EXPECT_EQ(influx.counts.empty_values, 1u);
  EXPECT_EQ(influx.counts.refused, 1u);  // the string field
}

}  // namespace
}  // namespace wfsend::import
