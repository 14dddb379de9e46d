// A tiny application using the wavefront library the way a user's program would: it formats one
// metric and one refused delta counter and prints the results. The packaging tests build it against
// an installed prefix (find_package, pkg-config) and from source (add_subdirectory) and check its output.
#include <cstdio>
#include <optional>
#include <string>

#include <wavefront/format.h>
#include <wavefront/status.h>

#ifndef WAVEFRONT_CONSUMER_KIND
#define WAVEFRONT_CONSUMER_KIND "unknown"
#endif

int main() {
  std::string line;
  const wavefront::Status status =
      wavefront::format_metric(line, "cpu.usage", 42.5, std::nullopt, "host-01", {{"env", "prod"}});
  if (!status.ok()) {
    std::fprintf(stderr, "format_metric failed: %s\n", status.to_string().c_str());
    return 1;
  }
  std::printf("consumer[%s]: %s", WAVEFRONT_CONSUMER_KIND, line.c_str());

  std::string refused;
  const wavefront::Status negative =
      wavefront::format_delta_counter(refused, "jobs.done", -1.0, std::nullopt, "host-01", {});
  const std::string code(wavefront::error_code_name(negative.code()));
  std::printf("consumer[%s]: refused %s, appended %zu bytes\n", WAVEFRONT_CONSUMER_KIND, code.c_str(),
              refused.size());
  return 0;
}
