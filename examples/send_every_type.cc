// Every data type through the new API, in ten lines; docs/python-comparison.md has the Python SDK's
// equivalent.
#include <wavefront/client_factory.h>

int main() {
  auto sender = wavefront::make_sender("proxy://localhost:2878");
  sender->send_metric("cpu.usage", 42.5, {}, "host-01", {{"env", "prod"}});
  sender->send_delta_counter("jobs.done", 3);
  sender->send_distribution("latency", {{12.5, 30}, {48, 2}}, wavefront::Granularity::minute);
  sender->send(wavefront::SpanPoint("checkout", 1700000000123, 45, "7b3bf470-9456-11e8-9eb6-529269fb1459",
                                    "0313bafe-9457-11e8-9eb6-529269fb1459")
                   .tag("application", "shop"));
  sender->send_event("deploy", 1700000000000);
  return sender->close(std::chrono::seconds(5)).ok() ? 0 : 1;
}
