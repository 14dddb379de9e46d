// Every public function and member of include/wavefront/*.h, called through the shared library.
//
// This program links libwavefront.so only (never the static library, never src/ headers), so a
// function that is declared in a public header but not exported (a struct without WAVEFRONT_API whose
// members are defined in a .cc file, say) fails the link here, as it would in a user's program. The
// checks on results are light: behaviour is tested elsewhere; this test is about reachability.
//
// To extend it when a header gains a function or member: add a call to it in the TEST of that header
// below (one TEST per header, named after it). A function defined inline in the header needs no
// export, but calling it here costs nothing and keeps the list complete. The companion check
// `scripts/check-exports.sh` (ctest `exports.public_symbols`) finds hidden symbols of public classes
// that no call here reaches yet.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "wavefront/application.h"
#include "wavefront/client_factory.h"
#include "wavefront/clock.h"
#include "wavefront/format.h"
#include "wavefront/histogram.h"
#include "wavefront/http_client.h"
#include "wavefront/json.h"
#include "wavefront/line_reader.h"
#include "wavefront/logger.h"
#include "wavefront/metrics.h"
#include "wavefront/proxy_client.h"
#include "wavefront/reporter.h"
#include "wavefront/sampler.h"
#include "wavefront/tracer.h"
#include "wavefront/transport.h"

namespace wavefront {
namespace {

using std::chrono::milliseconds;

// A loopback TCP port that listens and never reads: connections complete in the kernel's backlog, so
// a proxy client sending there behaves as with a real proxy that is slow to read.
class SilentPort {
 public:
  SilentPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen on loopback";
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentPort() { ::close(fd_); }
  SilentPort(const SilentPort&) = delete;
  SilentPort& operator=(const SilentPort&) = delete;
  std::uint16_t port() const { return port_; }
  std::string url() const { return "tcp://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

SenderConfig quick_config() {
  SenderConfig config;
  config.close_timeout = milliseconds(200);
  config.logger = make_stderr_logger(LogLevel::error);
  return config;
}

TEST(PublicApi, StatusH) {
  for (ErrorCode code : {ErrorCode::ok, ErrorCode::invalid_name, ErrorCode::too_large}) {
    EXPECT_FALSE(error_code_name(code).empty());
  }
  const Status refused(ErrorCode::invalid_name, "name: refused");
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.message(), "name: refused");
  EXPECT_EQ(refused.to_string(), "invalid_name: name: refused");
  EXPECT_EQ(Status::success().to_string(), "ok");
  EXPECT_EQ(field_name(Field::trace_id), "trace_id");
  Status located(ErrorCode::invalid_tag_key, "tag");
  located.at(Field::tags, 2);
  EXPECT_EQ(located.field(), Field::tags);
  EXPECT_EQ(located.index(), 2U);
  EXPECT_TRUE(Status::success().message().empty());
  const Expected<int> value(3);
  EXPECT_EQ(*value, 3);
}

TEST(PublicApi, TypesH) {
  const Timestamp from_double(1.5);
  EXPECT_EQ(from_double.milliseconds(), 1500);
  const Timestamp from_time_point(std::chrono::system_clock::time_point(milliseconds(2500)));
  EXPECT_EQ(from_time_point.milliseconds(), 2500);
  EXPECT_EQ(Timestamp::from_seconds(2).milliseconds(), 2000);
}

TEST(PublicApi, SenderH) {
  EXPECT_FALSE(data_type_name(DataType::metric).empty());
  EXPECT_FALSE(drop_reason_name(DropReason::queue_full).empty());
}

TEST(PublicApi, FormatH) {
  EXPECT_FALSE(local_host_name().empty());
  const FormatOptions& options = default_format_options();
  std::string out;
  std::string logs;
  EXPECT_TRUE(format_metric(out, "m", 1, 1700000000, "s", {{"k", "v"}}, options).ok());
  EXPECT_TRUE(format_delta_counter(out, "d", 1, std::nullopt, "s", {}).ok());
  EXPECT_TRUE(format_distribution(out, "h", {{1.0, 2}}, Granularity::minute, 1700000000, "s", {}).ok());
  const std::string id = "01234567-89ab-cdef-0123-456789abcdef";
  EXPECT_TRUE(format_span(out, logs, "op", 1700000000000, 5, "s", id, id, {}, {}, {}, {}).ok());
  EXPECT_TRUE(format_event(out, "e", 1700000000000, 0, "s", {}, {}).ok());
  std::string json;
  EXPECT_TRUE(format_event_json(json, "e", 1700000000000, 0, "s", {}, {}).ok());
  EXPECT_FALSE(json.empty());
  EXPECT_EQ(quote_for_message("a\"b"), "\"a\\\"b\"");
  EXPECT_EQ(timestamp_by_magnitude(1700000000123.0), Timestamp::from_milliseconds(1700000000123));
}

TEST(PublicApi, JsonH) {
  JsonParser parser;
  JsonValue value;
  ASSERT_TRUE(parser.parse(R"({"n":12,"x":1.5,"s":"t"})", value).ok());
  ASSERT_NE(value.find("n"), nullptr);
  EXPECT_EQ(json_as_int64(*value.find("n")), 12);
  EXPECT_EQ(json_as_double(*value.find("x")), 1.5);
  EXPECT_EQ(json_type_name(value.find("s")->type), "string");
  EXPECT_FALSE(parser.parse("{\"a\":}", value).ok());
  EXPECT_EQ(parser.error_offset(), 5U);
}

TEST(PublicApi, ClientFactoryH) {
  const auto url = parse_sender_url("https://secret@example.com");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->redacted(), "https://***@example.com:443");

  SilentPort proxy;
  auto first = make_sender(proxy.url(), quick_config());
  auto second = make_sender(proxy.url(), quick_config());
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE(second.ok());
  auto failed = make_sender("gopher://example.com", quick_config());
  EXPECT_FALSE(failed);
  EXPECT_EQ(failed->send_metric("m", 1).code(), failed.error().code());
  EXPECT_EQ(failed.get()->failure_count(), 1U);
  EXPECT_EQ(failed.release(), nullptr);
  std::vector<MultiSender::Endpoint> endpoints;
  endpoints.push_back({"first", first.release()});
  endpoints.push_back({"second", second.release()});
  MultiSender multi(std::move(endpoints));
  const std::string id = "01234567-89ab-cdef-0123-456789abcdef";
  EXPECT_TRUE(multi.send_metric("m", 1, std::nullopt, "s", {}).ok());
  EXPECT_TRUE(multi.send_delta_counter("d", 1, std::nullopt, "s", {}).ok());
  EXPECT_TRUE(multi.send_distribution("h", {{1.0, 1}}, Granularity::minute, std::nullopt, "s", {}).ok());
  EXPECT_FALSE(multi.send_span("op", 1, 1, "s", id, id, {}, {}, {}, {}).ok());  // no tracing port
  EXPECT_TRUE(multi.send_event("e", 1700000000000, 0, "s", {}, {}).ok());
  EXPECT_EQ(multi.endpoint_count(), 2U);
  EXPECT_EQ(multi.endpoint_name(1), "second");
  (void)multi.flush(milliseconds(1000));
  EXPECT_EQ(multi.stats()[DataType::metric].accepted, 4U);  // metric and delta counter, twice
  EXPECT_EQ(multi.endpoint_stats(0)[DataType::metric].accepted, 2U);
  EXPECT_GE(multi.failure_count(), 2U);
  (void)multi.close(milliseconds(200));
}

TEST(PublicApi, ProxyClientAndQueuedSenderH) {
  SilentPort proxy;
  ProxyClientConfig config;
  static_cast<SenderConfig&>(config) = quick_config();
  config.host = "127.0.0.1";
  config.metrics_port = proxy.port();
  config.tracing_port = proxy.port();
  auto client = ProxyClient::create(config);
  ASSERT_TRUE(client.ok()) << client.status().message();
  QueuedSender& sender = static_cast<QueuedSender&>(*client);
  const std::string id = "01234567-89ab-cdef-0123-456789abcdef";
  EXPECT_TRUE(sender.send_metric("m", 1, std::nullopt, "s", {}).ok());
  EXPECT_TRUE(sender.send_delta_counter("d", 1, std::nullopt, "s", {}).ok());
  EXPECT_TRUE(sender.send_distribution("h", {{1.0, 1}}, Granularity::minute, std::nullopt, "s", {}).ok());
  EXPECT_TRUE(sender.send(MetricPoint("m", 2).tag("k", "v")).ok());
  EXPECT_TRUE(sender.send(DeltaPoint("d", 2)).ok());
  EXPECT_TRUE(sender.send(DistributionPoint("h", {{1.0, 1}}, Granularity::minute)).ok());
  EXPECT_TRUE(sender.send(SpanPoint("op", 1700000000000, 1, id, id)).ok());
  EXPECT_TRUE(sender.send(EventPoint("e", 1700000000000)).ok());
  EXPECT_TRUE(sender.send_span("op", 1700000000000, 1, "s", id, id, {}, {}, {}, {}).ok());
  EXPECT_TRUE(sender.send_event("e", 1700000000000, 0, "s", {}, {}).ok());
  EXPECT_TRUE(sender.flush(milliseconds(2000)).ok());
  EXPECT_EQ(sender.stats()[DataType::metric].delivered, 4U);  // metric and delta, positional and typed
  EXPECT_EQ(sender.failure_count(), 0U);                      // distributions go to the metrics port
  EXPECT_TRUE(sender.close(milliseconds(500)).ok());
}

TEST(PublicApi, HttpClientH) {
  HttpClientConfig config;
  static_cast<SenderConfig&>(config) = quick_config();
  config.server = "http://127.0.0.1:1";
  auto client = HttpClient::create(config);
  ASSERT_TRUE(client.ok()) << client.status().message();
  (void)client->close(milliseconds(0));
  auto direct = HttpClient::direct("https://127.0.0.1:1", "token");
  ASSERT_TRUE(direct.ok()) << direct.status().message();
  (void)direct->close(milliseconds(0));
}

// A user's transport: only the pure virtual members overridden, so the base's defaults are called.
class CountingTransport final : public Transport {
 public:
  bool routes(DataType /*type*/) const override { return true; }
  std::string route_hint(DataType /*type*/) const override { return {}; }
  DeliveryResult deliver(DataType /*type*/, std::string_view lines, std::size_t items,
                         const DeliveryDeadline& /*deadline*/) override {
    DeliveryResult result;
    result.attempted = true;
    result.delivered = items;
    result.delivered_bytes = lines.size();
    return result;
  }
};

TEST(PublicApi, TransportH) {
  auto sender = make_transport_sender([] { return std::make_unique<CountingTransport>(); }, quick_config());
  ASSERT_TRUE(sender.ok()) << sender.status().message();
  EXPECT_TRUE((*sender)->send_metric("m", 1, std::nullopt, "s", {}).ok());
  EXPECT_TRUE((*sender)->flush(milliseconds(2000)).ok());
  EXPECT_EQ((*sender)->stats()[DataType::metric].delivered, 1U);
  EXPECT_TRUE((*sender)->close(milliseconds(500)).ok());
  EXPECT_TRUE(register_transport_scheme("public-api-test", [](const SenderUrl&, const SenderConfig&) {
                return Expected<TransportFactory>(
                    TransportFactory([] { return std::make_unique<CountingTransport>(); }));
              }).ok());
  EXPECT_TRUE(transport_scheme_known("public-api-test"));
  EXPECT_TRUE(transport_scheme_known("unix"));
  auto registered = make_sender("public-api-test://anything", quick_config());
  ASSERT_TRUE(registered.ok()) << registered.status().message();
  (void)registered->close(milliseconds(200));
}

TEST(PublicApi, ClockLoggerH) {
  const std::shared_ptr<Clock> clock = Clock::system();
  EXPECT_GT(clock->wall_time().time_since_epoch().count(), 0);
  (void)clock->now();
  (void)clock->coarse_wall_time();
  EXPECT_EQ(log_level_name(LogLevel::warning), "warning");
  make_stderr_logger(LogLevel::error)->log(LogLevel::debug, "not shown");
}

TEST(PublicApi, HistogramH) {
  Histogram histogram;
  histogram.update(1);
  histogram.update(3);
  EXPECT_EQ(histogram.count(), 2);
  EXPECT_EQ(histogram.min(), 1);
  EXPECT_EQ(histogram.max(), 3);
  EXPECT_EQ(histogram.mean(), 2);
  EXPECT_EQ(histogram.sum(), 4);
  EXPECT_GE(histogram.quantile(0.5), 1);
  EXPECT_EQ(histogram.ignored(), 0U);
  EXPECT_TRUE(histogram.granularities().contains(Granularity::minute));
  EXPECT_EQ(histogram.take_completed(true).size(), 1U);

  DistributionDigest digest;
  digest.add(1);
  digest.add(1);
  digest.add(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(digest.count(), 2);
  EXPECT_EQ(digest.ignored(), 1U);
  EXPECT_EQ(digest.quantile(0.5), 1);
  std::vector<Centroid> centroids;
  digest.centroids(centroids);
  ASSERT_EQ(centroids.size(), 1U);
  EXPECT_EQ(centroids[0].count, 2);
  DistributionDigest moved(std::move(digest));
  EXPECT_EQ(moved.count(), 2);
}

TEST(PublicApi, LineReaderH) {
  EXPECT_EQ(line_kind_name(LineKind::metric), "metric");
  EXPECT_EQ(line_data_type(LineKind::span_logs), DataType::span_log);
  EXPECT_EQ(detect_line_kind("!M 1700000000 #1 1.0 h"), LineKind::distribution);
  LineReader reader;
  reader.set_default_source("here");
  EXPECT_TRUE(reader.read("m 1 source=s").ok());
  EXPECT_EQ(reader.parsed().name, "m");
  EXPECT_FALSE(reader.canonical().empty());
  EXPECT_TRUE(reader.warnings().empty());
  EXPECT_FALSE(reader.read("m x source=s").ok());
  EXPECT_GT(reader.error_column(), 0U);
  LineReader moved(std::move(reader));
  reader = std::move(moved);
  EXPECT_EQ(reader.options().format.default_source, "here");
  SilentPort proxy;
  auto sender = make_sender(proxy.url(), quick_config());
  ASSERT_TRUE(sender.ok());
  ASSERT_TRUE(reader.read("m 1 source=s").ok());
  EXPECT_TRUE(reader.send_to(*sender).ok());
  (void)sender->close(milliseconds(200));
}

TEST(PublicApi, MetricsReporterH) {
  MetricRegistry registry;
  registry.counter("c").inc();
  registry.delta_counter("d", {{"k", "v"}}).inc(2);
  registry.gauge("g").set(1.5);
  registry.gauge_callback("gc", {}, [] { return 2.0; });
  registry.cumulative_callback("cc", {}, [] { return std::uint64_t{3}; });
  registry.histogram("h").update(1);
  registry.histogram("h2", {}, HistogramOptions()).update(1);
  registry.timer("t").record(std::chrono::milliseconds(1));
  EXPECT_EQ(registry.size(), 8U);
  std::size_t visited = 0;
  registry.for_each([&](MetricRegistry::Entry&) { ++visited; });
  EXPECT_EQ(visited, 8U);

  SilentPort proxy;
  auto sender = make_sender(proxy.url(), quick_config());
  ASSERT_TRUE(sender.ok());
  EXPECT_EQ(report_registry(registry, *sender, ReporterConfig(), false), 0U);  // none refused
  {
    Reporter reporter(registry, *sender);
    reporter.report_now();
    EXPECT_EQ(reporter.reports(), 1U);
    reporter.stop();
  }
  (void)sender->close(milliseconds(200));
}

TEST(PublicApi, SamplerH) {
  EXPECT_TRUE(RateSampler(1.0).sample("op", 1, 1));
  EXPECT_TRUE(DurationSampler(milliseconds(5)).sample("op", 1, 10));
  const CompositeSampler composite(
      {std::make_shared<ConstantSampler>(false), std::make_shared<DurationSampler>(milliseconds(5))});
  EXPECT_TRUE(composite.sample("op", 1, 10));
  EXPECT_FALSE(composite.early());
}

TEST(PublicApi, TraceContextH) {
  const Id128 id = random_id(128);
  char text[36];
  write_uuid(id, text);
  EXPECT_EQ(std::string(text, sizeof text), uuid_string(id));
  Id128 parsed;
  EXPECT_TRUE(parse_uuid(uuid_string(id), parsed));
  EXPECT_EQ(parsed, id);

  SpanContext context;
  context.trace_id = id;
  context.span_id = random_id(64);
  context.set_baggage_item("user", "ann");
  EXPECT_EQ(context.baggage_item("user"), "ann");
  HeaderMap headers;
  inject_context(context, PropagationFormat::w3c, headers);
  EXPECT_FALSE(headers.get("traceparent").empty());
  headers.set("x-other", "1");
  EXPECT_EQ(extract_context(headers).trace_id, id);
}

TEST(PublicApi, TracerApplicationH) {
  SilentPort proxy;
  ProxyClientConfig config;
  static_cast<SenderConfig&>(config) = quick_config();
  config.host = "127.0.0.1";
  config.metrics_port = config.distribution_port = config.tracing_port = proxy.port();
  auto sender = ProxyClient::create(config);
  ASSERT_TRUE(sender.ok());
  ApplicationTags application = ApplicationTags::from_environment("WAVEFRONT_PUBLIC_API_TEST_");
  application.application = "app";
  application.service = "svc";
  EXPECT_FALSE(application.as_tags().empty());
  EXPECT_EQ(random_uuid().size(), 36U);
  {
    Tracer tracer(*sender, application);
    Span root = tracer.start_root_span("root");
    {
      const SpanScope scope = tracer.activate(root);
      EXPECT_EQ(tracer.active_span(), &root);
      Span child = tracer.start_span("child");
      Span other = tracer.start_span("other", root.context());
      Span moved(std::move(child));
      child = std::move(moved);
      child.set_tag("k", "v");
      child.log({{"event", "x"}});
      child.set_baggage_item("b", "1");
      EXPECT_EQ(child.operation(), "child");
      child.finish();
      other.finish();
    }
    root.finish();
    tracer.report_now();
    EXPECT_EQ(tracer.spans_sent() + tracer.spans_discarded(), 3U);
    tracer.close();
  }
  {
    HeartbeaterConfig heartbeat;
    heartbeat.interval = std::chrono::hours(1);
    Heartbeater heartbeater(*sender, application, "component", heartbeat);
    heartbeater.stop();
    EXPECT_LE(heartbeater.beats_sent(), 1U);
  }
  {
    ScopedSpan parent(*sender, "parent", application);
    ScopedSpan child(*sender, "child", application, parent);
    child.add_tag("k", "v");
    child.add_log({{"event", "x"}});
    child.set_error();
    EXPECT_TRUE(child.finish().ok());
  }
  (void)sender->close(milliseconds(200));
}

}  // namespace
}  // namespace wavefront
