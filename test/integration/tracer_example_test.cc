// End to end: examples/traced_services (two services, two tracers, headers between them) sending into
// the built `wfsend listen`. Every line must be accepted; each request must be one trace across both
// services; RED metrics, their histograms and heartbeats must arrive with the SDKs' names and tags.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/subprocess.h"

namespace {

using namespace std::chrono_literals;
using wavefront::testing::ProcessResult;
using wavefront::testing::Subprocess;
using wavefront::testing::TempDir;

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  return lines;
}

// The value of `key=` or `"key"=` in a canonical line, quotes removed; empty when absent.
std::string field(const std::string& line, const std::string& key) {
  for (const std::string& prefix : {" " + key + "=", " \"" + key + "\"="}) {
    const std::size_t at = line.find(prefix);
    if (at == std::string::npos) continue;
    std::size_t begin = at + prefix.size();
    if (line[begin] == '"') return line.substr(begin + 1, line.find('"', begin + 1) - begin - 1);
    return line.substr(begin, line.find(' ', begin) - begin);
  }
  return {};
}

bool starts_with(const std::string& line, const std::string& prefix) { return line.rfind(prefix, 0) == 0; }

// The value of a metric line ("name" value ...).
double metric_value(const std::string& line) {
  const std::size_t name_end = line.find("\" ");
  return std::stod(line.substr(name_end + 2));
}

TEST(TracerExampleTest, TwoServicesMakeOneTracePerRequestAndRedMetrics) {
  TempDir directory;
  const std::string port_file = directory.file("port");
  const std::string out_file = directory.file("out.txt");
  Subprocess listen(
      {WFSEND_PATH, "listen", "--port", "0", "--port-file", port_file, "--out", out_file, "--json"});
  const auto port_text = wavefront::testing::wait_for_file(port_file, 20s);
  ASSERT_TRUE(port_text) << listen.stderr_so_far();
  const std::string url = "proxy://127.0.0.1:" + std::to_string(std::stoi(*port_text));

  const ProcessResult example = wavefront::testing::run_process({TRACED_SERVICES_PATH, url}, {}, 60s);
  ASSERT_EQ(example.exit_code, 0) << example.stdout_text << example.stderr_text;
  listen.signal(SIGINT);
  const ProcessResult listened = listen.wait(20s);
  ASSERT_EQ(listened.exit_code, 0) << listened.stderr_text;
  const nlohmann::json summary = nlohmann::json::parse(listened.stdout_text);
  EXPECT_EQ(summary["lines_rejected"], 0) << listened.stdout_text << listened.stderr_text;

  // The example prints one trace id per request.
  std::vector<std::string> traces;
  std::istringstream printed(example.stdout_text);
  for (std::string line; std::getline(printed, line);) {
    if (line.size() > 36 && line[8] == '-' && line[36] == ' ') traces.push_back(line.substr(0, 36));
  }
  ASSERT_EQ(traces.size(), 3U) << example.stdout_text;

  const std::vector<std::string> lines = read_lines(out_file);
  for (const std::string& trace : traces) {
    std::map<std::string, std::string> span_ids;  // operation -> span id
    std::map<std::string, std::string> parents;   // operation -> parent id
    std::map<std::string, std::string> sources;
    for (const std::string& line : lines) {
      if (line[0] != '"' || field(line, "traceId") != trace || line.find(" spanId=") == std::string::npos)
        continue;
      const std::string operation = line.substr(1, line.find('"', 1) - 1);
      span_ids[operation] = field(line, "spanId");
      parents[operation] = field(line, "parent");
      sources[operation] = field(line, "source");
    }
    ASSERT_EQ(span_ids.size(), 4U) << trace;
    EXPECT_EQ(parents["GET /checkout"], "");
    EXPECT_EQ(parents["inventory.reserve"], span_ids["GET /checkout"]);
    EXPECT_EQ(parents["reserve"], span_ids["inventory.reserve"]);  // across the "process" boundary
    EXPECT_EQ(parents["db.query"], span_ids["reserve"]);
    EXPECT_EQ(sources["GET /checkout"], "frontend-1");
    EXPECT_EQ(sources["reserve"], "inventory-1");
  }

  // The failed lookup's span log, in its own line.
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                          [](const std::string& line) {
                            return starts_with(line, "{\"traceId\":") &&
                                   line.find("\"message\":\"no such item\"") != std::string::npos;
                          }),
            1);

  // RED metrics: name -> summed value, checked with their tags.
  const std::string delta = "\"\xE2\x88\x86tracing.derived.shop.";
  std::map<std::string, double> red;
  for (const std::string& line : lines) {
    if (!starts_with(line, delta)) continue;
    const std::string name = line.substr(delta.size(), line.find('"', 1) - delta.size());
    red[name] += metric_value(line);
    EXPECT_EQ(field(line, "application"), "shop") << line;
    EXPECT_EQ(field(line, "cluster"), "us-west") << line;
    EXPECT_EQ(field(line, "shard"), "none") << line;
    EXPECT_FALSE(field(line, "operationName").empty()) << line;
    EXPECT_FALSE(field(line, "span.kind").empty()) << line;
  }
  EXPECT_EQ(red["frontend.GET--checkout.invocation.count"], 3);
  EXPECT_EQ(red["frontend.inventory.reserve.invocation.count"], 3);
  EXPECT_EQ(red["frontend.inventory.reserve.error.count"], 1);
  EXPECT_EQ(red["inventory.reserve.invocation.count"], 3);
  EXPECT_EQ(red["inventory.reserve.error.count"], 1);
  EXPECT_EQ(red["inventory.db.query.invocation.count"], 3);
  EXPECT_EQ(red["inventory.db.query.error.count"], 1);

  std::map<std::string, int> histogram_samples;  // name -> samples (sum of centroid counts)
  for (const std::string& line : lines) {
    if (!starts_with(line, "!M ") || line.find("tracing.derived.shop.") == std::string::npos) continue;
    const std::size_t name_at = line.find("\"tracing.derived.shop.");
    const std::string name = line.substr(name_at + 22, line.find('"', name_at + 1) - name_at - 22);
    for (std::size_t at = line.find(" #"); at != std::string::npos && at < name_at;
         at = line.find(" #", at + 1)) {
      histogram_samples[name] += std::stoi(line.substr(at + 2));
    }
  }
  EXPECT_EQ(histogram_samples["inventory.db.query.duration.micros"], 3);
  EXPECT_EQ(histogram_samples["frontend.GET--checkout.duration.micros"], 3);

  std::map<std::string, int> heartbeats;  // service/component -> lines
  for (const std::string& line : lines) {
    if (starts_with(line, "\"~component.heartbeat\" 1 ")) {
      ++heartbeats[field(line, "service") + "/" + field(line, "component")];
    }
  }
  for (const char* key : {"frontend/wavefront-generated", "frontend/opentracing", "frontend/cpp",
                          "frontend/http", "inventory/wavefront-generated", "inventory/http"}) {
    EXPECT_GE(heartbeats[key], 1) << key;
  }
}

}  // namespace
