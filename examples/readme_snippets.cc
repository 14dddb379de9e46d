// The README's C++ snippets, compiled: each block between "readme:begin" and "readme:end" is one
// ```cpp block of README.md, verbatim (indented two spaces here). readme_snippets_test checks that
// every README block appears here, so a snippet that stops compiling breaks the build.
#include <wavefront/client_factory.h>
#include <wavefront/tracer.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>

namespace httplib {  // stand-in for cpp-httplib's request type, which the tracing snippet reads
struct Request {
  std::map<std::string, std::string> headers;
};
}  // namespace httplib

namespace {

bool charge(const std::vector<std::pair<std::string, std::string>>& /*headers*/) { return true; }

void usage() {
  // clang-format off
  // readme:begin
  auto sender = wavefront::make_sender("proxy://localhost:2878");  // or "https://TOKEN@xyz.wavefront.com"
  sender->send_metric("cpu.usage", 42.5, {}, "host-01", {{"env", "prod"}});  // {}: timestamp "now"
  sender->close(std::chrono::seconds(5));  // delivers what is queued, then stops
  // readme:end
  // clang-format on
  // clang-format off
  // readme:begin
  std::map<std::string, std::string> tags = {{"env", "prod"}, {"region", "us-west-2"}};
  sender->send(wavefront::MetricPoint("cpu.usage", 42.5).tags(tags).timestamp(std::chrono::system_clock::now()));
  sender->send(wavefront::DistributionPoint("latency", {{12.5, 30}, {48, 2}}, wavefront::Granularity::minute)
                   .source("host-01"));
  // readme:end
  // clang-format on
}

void tracing(wavefront::Sender& sender, const httplib::Request& request) {
  // clang-format off
  // readme:begin
  wavefront::ApplicationTags app;  // or ApplicationTags::from_environment("WF_")
  app.application = "shop";
  app.service = "inventory";
  wavefront::TracerConfig config;  // optional: source, sampler, red_metrics_custom_tag_keys, ...
  config.sampler = std::make_shared<wavefront::RateSampler>(0.1);  // 10% of traces; errors always kept
  wavefront::Tracer tracer(sender, app, config);  // destroy it before the sender

  // Any HTTP library adapts with one method (here cpp-httplib, whose header lookup ignores case):
  struct RequestHeaders final : wavefront::HeaderReader {
    explicit RequestHeaders(const httplib::Request& request) : request_(request) {}
    std::string_view get(std::string_view name) const override {
      const auto found = request_.headers.find(std::string(name));
      return found == request_.headers.end() ? std::string_view() : std::string_view(found->second);
    }
    const httplib::Request& request_;
  };

  // Server side: continue the caller's trace (a new one if the headers have none or are malformed).
  RequestHeaders request_headers(request);  // or wavefront::HeaderMap({{"traceparent", "00-..."}})
  wavefront::Span span = tracer.start_span("reserve", tracer.extract(request_headers));
  wavefront::SpanScope scope = tracer.activate(span);  // spans started on this thread become children
  span.set_tag("span.kind", "server");
  {
    wavefront::Span call = tracer.start_span("payments.charge");  // child of "reserve"
    wavefront::HeaderMap outgoing;                               // or your own HeaderWriter
    tracer.inject(call.context(), outgoing);                     // traceparent: 00-<trace>-<span>-01
    if (!charge(outgoing.items())) call.set_error();             // error spans are always sent
  }  // finished (sent, RED metrics updated) at scope end, or call span.finish()
  // readme:end
  // clang-format on
}

}  // namespace

int main(int argc, char** /*argv*/) {
  if (argc > 1) {  // the snippets are compiled, not run: they need a proxy
    usage();
    auto sender = wavefront::make_sender("proxy://localhost:2878");
    tracing(*sender, httplib::Request());
  }
  return 0;
}
