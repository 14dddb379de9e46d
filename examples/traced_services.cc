// Two services tracing one request across a process boundary: "frontend" calls "inventory" with the
// trace context in request headers (W3C traceparent), each with its own sender and Tracer, as two
// processes would. Every request is one trace across both; both derive RED metrics and send heartbeats.
//
//   wfsend listen --port 2878 &                 a local receiver that checks every line
//   traced_services proxy://localhost:2878      or http://..., https://TOKEN@... (any make_sender URL)
//
// The two "processes" are threads here, talking through an in-memory request queue that stands for
// HTTP: only headers and a body cross it, exactly what would cross a network.
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "wavefront/client_factory.h"
#include "wavefront/tracer.h"

namespace {

struct Request {
  wavefront::HeaderMap headers;
  std::string body;
};

struct Response {
  int status = 200;
};

// A blocking request/response channel between the two threads (stands for HTTP).
class Channel {
 public:
  Response call(Request request) {
    std::unique_lock<std::mutex> lock(mutex_);
    requests_.push_back(std::move(request));
    changed_.notify_all();
    changed_.wait(lock, [&] { return response_.has_value(); });
    const Response response = *response_;
    response_.reset();
    return response;
  }
  // The next request, or nothing once the client hung up.
  std::optional<Request> next() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return !requests_.empty() || closed_; });
    if (requests_.empty()) return std::nullopt;
    Request request = std::move(requests_.front());
    requests_.pop_front();
    return request;
  }
  void reply(Response response) {
    std::lock_guard<std::mutex> lock(mutex_);
    response_ = response;
    changed_.notify_all();
  }
  void hang_up() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Request> requests_;
  std::optional<Response> response_;
  bool closed_ = false;
};

wavefront::ApplicationTags service(const char* name) {
  wavefront::ApplicationTags tags;
  tags.application = "shop";
  tags.service = name;
  tags.cluster = "us-west";
  return tags;
}

std::unique_ptr<wavefront::Sender> make(const std::string& url) {
  wavefront::SenderConfig settings;
  settings.logger = wavefront::make_stderr_logger(wavefront::LogLevel::warning);
  auto created = wavefront::make_sender(url, settings);
  if (!created) {
    std::fprintf(stderr, "cannot create a sender: %s\n", created.status().message().c_str());
    return nullptr;
  }
  return created.release();
}

// The inventory service: extracts the caller's context and continues its trace.
void run_inventory(wavefront::Sender& sender, Channel& channel) {
  wavefront::TracerConfig config;
  config.source = "inventory-1";
  wavefront::Tracer tracer(sender, service("inventory"), config);
  while (std::optional<Request> request = channel.next()) {
    wavefront::Span span = tracer.start_span("reserve", tracer.extract(request->headers));
    const wavefront::SpanScope scope = tracer.activate(span);
    span.set_tag("span.kind", "server");
    span.set_tag("component", "http");
    Response response;
    {
      wavefront::Span query = tracer.start_span("db.query");  // a child of the active span
      query.set_tag("span.kind", "client");
      query.set_tag("db.type", "sql");
      if (request->body == "sku-404") {
        query.log({{"event", "error"}, {"message", "no such item"}});
        query.set_error();
        response.status = 404;
      }
    }
    span.set_tag("http.status_code", std::to_string(response.status));
    if (response.status >= 400) span.set_error();
    span.finish();
    channel.reply(response);
  }
  // The tracer's destructor makes the final RED report through the sender.
}

// The frontend: one trace per incoming request, calling inventory with the context injected.
std::string run_frontend(wavefront::Sender& sender, Channel& channel) {
  wavefront::TracerConfig config;
  config.source = "frontend-1";
  wavefront::Tracer tracer(sender, service("frontend"), config);
  std::string traces;
  for (const char* item : {"sku-1", "sku-2", "sku-404"}) {
    wavefront::Span request = tracer.start_span("GET /checkout");
    const wavefront::SpanScope scope = tracer.activate(request);
    request.set_tag("span.kind", "server");
    request.set_tag("component", "http");
    request.set_baggage_item("customer", "c-42");
    wavefront::Span call = tracer.start_span("inventory.reserve");
    call.set_tag("span.kind", "client");
    Request outgoing;
    outgoing.body = item;
    tracer.inject(call.context(), outgoing.headers);
    const Response response = channel.call(std::move(outgoing));
    call.set_tag("http.status_code", std::to_string(response.status));
    if (response.status >= 400) call.set_error();
    call.finish();
    traces +=
        wavefront::uuid_string(request.context().trace_id) + (response.status >= 400 ? " error\n" : " ok\n");
  }
  channel.hang_up();
  return traces;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  const std::string url = argc > 1 ? argv[1] : "proxy://localhost:2878";
  // One sender per "process", as two real services would have.
  std::unique_ptr<wavefront::Sender> frontend_sender = make(url);
  std::unique_ptr<wavefront::Sender> inventory_sender = make(url);
  if (!frontend_sender || !inventory_sender) return 2;

  Channel channel;
  std::thread inventory([&] { run_inventory(*inventory_sender, channel); });
  const std::string traces = run_frontend(*frontend_sender, channel);
  inventory.join();

  const bool frontend_closed = frontend_sender->close(10s).ok();
  const bool inventory_closed = inventory_sender->close(10s).ok();
  const std::uint64_t failures = frontend_sender->failure_count() + inventory_sender->failure_count();
  std::printf("traces (one per request, across both services):\n%s", traces.c_str());
  std::printf("failures: %llu\n", static_cast<unsigned long long>(failures));
  return frontend_closed && inventory_closed && failures == 0 ? 0 : 1;
}
