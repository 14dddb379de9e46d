// Sends one point of each data type through a sender made from a URL, then prints what happened.
//
//   send_points tcp://localhost:2878            raw TCP to a proxy (every type to its push port)
//   send_points http://localhost:2878           HTTP to a proxy
//   send_points https://TOKEN@xyz.wavefront.com direct ingestion
//
// The pattern to copy: one sender per process, created once, shared, flushed and closed at exit.
#include <chrono>
#include <cstdio>
#include <string>

#include "wavefront/client_factory.h"

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  const std::string url = argc > 1 ? argv[1] : "tcp://localhost:2878";
  auto created = wavefront::make_sender(url);  // warnings go to stderr by default
  if (!created) {
    std::fprintf(stderr, "cannot create a sender: %s\n", created.error().message().c_str());
    return 2;
  }
  wavefront::Sender& sender = *created;

  const auto report = [](const char* what, const wavefront::Status& status) {
    std::printf("%-13s %s\n", what, status.ok() ? "accepted" : status.to_string().c_str());
  };
  report("metric", sender.send(wavefront::MetricPoint("example.cpu.usage", 42.5).tag("env", "dev")));
  report("delta counter", sender.send(wavefront::DeltaPoint("example.jobs.done", 3)));
  report("distribution", sender.send(wavefront::DistributionPoint("example.latency", {{12.5, 30}, {48, 2}},
                                                                  wavefront::Granularity::minute)));
  report("span", sender.send(wavefront::SpanPoint("example.op", 1700000000123, 45,
                                                  "7b3bf470-9456-11e8-9eb6-529269fb1459",
                                                  "0313bafe-9457-11e8-9eb6-529269fb1459")
                                 .tags({{"application", "example"}, {"service", "demo"}})));
  report("event",
         sender.send(wavefront::EventPoint("example deploy", 1700000000000).annotation("type", "deploy")));

  const wavefront::FlushResult closed = sender.close(5s);
  const wavefront::SenderStats stats = sender.stats();
  std::printf("\n%-11s %9s %9s %9s %9s\n", "type", "accepted", "delivered", "dropped", "invalid");
  for (std::size_t index = 0; index < wavefront::kDataTypeCount; ++index) {
    const auto type = static_cast<wavefront::DataType>(index);
    const wavefront::TypeStats& counts = stats[type];
    std::printf("%-11.*s %9llu %9llu %9llu %9llu\n", static_cast<int>(wavefront::data_type_name(type).size()),
                wavefront::data_type_name(type).data(), static_cast<unsigned long long>(counts.accepted),
                static_cast<unsigned long long>(counts.delivered),
                static_cast<unsigned long long>(counts.dropped),
                static_cast<unsigned long long>(counts.invalid));
  }
  if (!closed.ok()) std::printf("\nclose: %s\n", closed.status.message().c_str());
  return closed.ok() ? 0 : 1;
}
