// Formats one point of every data type and prints the exact wire lines a proxy would receive.
//
// Run it to see what the library writes; copy from it to format lines yourself.
#include <cstdio>
#include <string>

#include "wavefront/format.h"

int main() {
  using wavefront::Granularity;
  std::string lines;
  std::string span_logs;
  const auto check = [](const wavefront::Status& status) {
    if (!status.ok()) std::fprintf(stderr, "refused: %s\n", status.to_string().c_str());
  };

  check(wavefront::format_metric(lines, "cpu.usage", 42.5, 1700000000, "host-01",
                                 {{"env", "prod"}, {"region", "us"}}));
  check(
      wavefront::format_delta_counter(lines, "jobs.done", 3, std::nullopt, "worker-7", {{"queue", "email"}}));
  check(wavefront::format_distribution(lines, "request.latency", {{30.0, 20}, {5.1, 10}},
                                       Granularity::minute | Granularity::hour, 1700000040, "app-1",
                                       {{"region", "us-west"}}));
  check(wavefront::format_span(
      lines, span_logs, "getUser", 1700000000123, 45, "api-3", "7b3bf470-9456-11e8-9eb6-529269fb1459",
      "0313bafe-9457-11e8-9eb6-529269fb1459", {"2f64e538-9457-11e8-9eb6-529269fb1459"}, {},
      {{"application", "shop"}, {"service", "users"}, {"cluster", "none"}, {"shard", "none"}},
      {{1700000000123456, {{"event", "cache miss"}}}}));
  check(wavefront::format_event(lines, "deploy v42", 1700000000000, 1700000060000, "ci-1",
                                {{"severity", "info"}, {"type", "deploy"}}, {"release"}));
  // A refused point: the error names the field, the rule and the value; nothing is written.
  check(wavefront::format_metric(lines, "cpu.usage", 1, std::nullopt, "host-01", {{"path", "C:\\temp\\"}}));

  std::fputs(lines.c_str(), stdout);
  std::fputs(span_logs.c_str(), stdout);
  std::string event_json;
  check(wavefront::format_event_json(event_json, "deploy v42", 1700000000000, 1700000060000, "ci-1",
                                     {{"severity", "info"}}, {"release"}));
  std::printf("%s\n", event_json.c_str());
  return 0;
}
