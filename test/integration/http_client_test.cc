// HttpClient against a fake receiver on loopback: endpoints, headers and bodies, direct ingestion over
// TLS with a token, certificate checks, the URL factory and fan-out, self-metrics.
#include <gtest/gtest.h>

#include <set>

#include "support/client_test_util.h"
#include "support/fake_http_server.h"
#include "support/http_test_util.h"
#include "support/test_certificates.h"
#include "wavefront/client_factory.h"
#include "wavefront/http_client.h"

namespace wavefront {
namespace {

using namespace std::chrono_literals;
using testing::expect_accounting_identity;
using testing::expect_all_lines_valid;
using testing::FakeHttpServer;

constexpr std::string_view kTrace = "7b3bf470-9456-11e8-9eb6-529269fb1459";
constexpr std::string_view kSpan = "0313bafe-9457-11e8-9eb6-529269fb1459";

HttpClientConfig config_for(const FakeHttpServer& server) { return testing::fast_http_config(server); }

std::unique_ptr<Sender> make_client(const HttpClientConfig& config) {
  return testing::make_http_client(config);
}

void send_one_of_each(Sender& sender) {
  const std::vector<Tag> fields = {{"event", "miss"}};
  EXPECT_TRUE(sender.send_metric("cpu.usage", 42.5, 1700000000, "h", {{"env", "prod"}}).ok());
  EXPECT_TRUE(sender.send_delta_counter("jobs", 3, std::nullopt, "h", {}).ok());
  EXPECT_TRUE(sender.send_distribution("lat", {{1, 2}}, Granularity::minute, 1700000040, "h", {}).ok());
  EXPECT_TRUE(sender
                  .send_span("get", 1700000000123, 5, "h", kTrace, kSpan, {}, {}, {{"application", "a"}},
                             {SpanLog(1700000000123456, fields)})
                  .ok());
  EXPECT_TRUE(sender.send_event("deploy", 1700000000000, 0, "h", {{"type", "deploy"}}, {"release"}).ok());
}

TEST(HttpClient, ProxyModePostsGzipBatchesPerFormat) {
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  auto client = make_client(config_for(*server));
  send_one_of_each(*client);
  ASSERT_TRUE(client->flush(10s).ok());
  EXPECT_EQ(expect_all_lines_valid(server->lines("wavefront"), testing::LineKind::metric), 2u);
  EXPECT_EQ(expect_all_lines_valid(server->lines("histogram"), testing::LineKind::distribution), 1u);
  EXPECT_EQ(expect_all_lines_valid(server->lines("trace"), testing::LineKind::span), 1u);
  EXPECT_EQ(expect_all_lines_valid(server->lines("spanLogs"), testing::LineKind::span_logs), 1u);
  EXPECT_EQ(expect_all_lines_valid(server->lines("event"), testing::LineKind::event), 1u);
  for (const testing::RecordedRequest& request : server->requests()) {
    EXPECT_EQ(request.path, "/report");
    EXPECT_EQ(request.content_encoding, "gzip");
    EXPECT_EQ(request.content_type, "application/octet-stream");
    EXPECT_EQ(request.authorization, "") << "a proxy gets no token";
  }
  const SenderStats stats = client->stats();
  expect_accounting_identity(stats);
  EXPECT_EQ(stats[DataType::metric].delivered, 2u);
  EXPECT_EQ(stats[DataType::metric].responses.at(202), 1u);
}

TEST(HttpClient, DirectIngestionOverTlsWithAToken) {
  FakeHttpServer::Options options;
  options.tls = true;
  options.required_token = "direct-token";
  auto server = FakeHttpServer::start(options);
  ASSERT_TRUE(server);
  HttpClientConfig config = config_for(*server);
  config.token = "direct-token";
  auto client = make_client(config);
  send_one_of_each(*client);
  ASSERT_TRUE(client->flush(10s).ok()) << client->stats()[DataType::metric].report_errors;
  EXPECT_EQ(server->lines("wavefront").size(), 2u);
  EXPECT_EQ(server->lines("trace").size(), 1u);
  const auto events = server->event_json_bodies();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].find("\"name\":\"deploy\""), std::string::npos) << events[0];
  EXPECT_NE(events[0].find("\"hosts\":[\"h\"]"), std::string::npos) << events[0];
  for (const testing::RecordedRequest& request : server->requests()) {
    EXPECT_EQ(request.authorization, "Bearer direct-token");
    if (request.path == "/api/v2/event") {
      EXPECT_EQ(request.content_type, "application/json");
      EXPECT_EQ(request.content_encoding, "");
    }
  }
  expect_accounting_identity(client->stats());
}

TEST(HttpClient, AnUntrustedCertificateIsRefused) {
  FakeHttpServer::Options options;
  options.tls = true;
  auto server = FakeHttpServer::start(options);
  ASSERT_TRUE(server);
  HttpClientConfig config = config_for(*server);
  config.trusted_certificate = testing::other_certificate().cert_file;
  config.close_timeout = 50ms;  // nothing can be delivered; do not wait for it at the end
  auto client = make_client(config);
  client->send_metric("m", 1, std::nullopt, "h", {});
  ASSERT_TRUE(testing::eventually([&] { return client->stats()[DataType::metric].report_errors >= 2; }));
  EXPECT_EQ(server->request_count(), 0u) << "no request may go through an unverified connection";
  EXPECT_EQ(client->stats()[DataType::metric].delivered, 0u);

  config.trusted_certificate.clear();  // the system CA bundle does not know a self-signed certificate either
  auto system_trust = make_client(config);
  system_trust->send_metric("m", 1, std::nullopt, "h", {});
  ASSERT_TRUE(
      testing::eventually([&] { return system_trust->stats()[DataType::metric].report_errors >= 1; }));
  EXPECT_EQ(server->request_count(), 0u);
}

TEST(HttpClient, TokenInPlainHttpUrlIsIgnoredWithAWarning) {
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  auto logger = std::make_shared<testing::RecordingLogger>();
  SenderConfig settings;
  settings.logger = logger;
  settings.flush_interval = 20ms;
  settings.self_metrics_interval = 0ms;
  const std::string url = "http://leaky-secret@127.0.0.1:" + std::to_string(server->port());
  auto sender = make_sender(url, settings);
  ASSERT_TRUE(sender.ok()) << sender.status().to_string();
  sender->send_metric("m", 1, std::nullopt, "h", {});
  ASSERT_TRUE(sender->flush(10s).ok());
  for (const testing::RecordedRequest& request : server->requests()) EXPECT_EQ(request.authorization, "");
  bool warned = false;
  for (const std::string& message : logger->messages()) {
    EXPECT_EQ(message.find("leaky-secret"), std::string::npos) << message;
    warned = warned || message.find("ignored") != std::string::npos;
  }
  EXPECT_TRUE(warned);
}

TEST(HttpClient, MultiSenderFansOutAndReportsPerEndpoint) {
  auto first = FakeHttpServer::start();
  auto second = FakeHttpServer::start();
  ASSERT_TRUE(first && second);
  second->set_default_answer(FakeHttpServer::Answer::status_code(503));
  SenderConfig settings;
  settings.flush_interval = 20ms;
  settings.retry_backoff_initial = 5ms;
  settings.retry_backoff_max = 20ms;
  settings.self_metrics_interval = 0ms;
  settings.close_timeout = 100ms;
  auto sender = make_sender(first->url() + ", " + second->url(), settings);
  ASSERT_TRUE(sender.ok()) << sender.status().to_string();
  auto* multi = dynamic_cast<MultiSender*>(sender.get());
  ASSERT_NE(multi, nullptr);
  for (int index = 0; index < 10; ++index)
    EXPECT_TRUE(multi->send_metric("m", index, std::nullopt, "h", {}).ok());
  ASSERT_TRUE(first->wait_for_lines("wavefront", 10, 10s));
  ASSERT_TRUE(
      testing::eventually([&] { return multi->endpoint_stats(1)[DataType::metric].report_errors >= 1; }));
  // The receiver records before it answers: wait for the client to see the answer.
  EXPECT_TRUE(
      testing::eventually([&] { return multi->endpoint_stats(0)[DataType::metric].delivered == 10; }));
  EXPECT_EQ(multi->endpoint_stats(1)[DataType::metric].delivered, 0u);
  const FlushResult flushed = multi->flush(100ms);
  EXPECT_FALSE(flushed.ok());
  EXPECT_NE(flushed.status.message().find(multi->endpoint_name(1)), std::string::npos)
      << flushed.status.message();
  second->set_default_answer(FakeHttpServer::Answer::status_code(202));
  const FlushResult second_flush = multi->flush(10s);
  ASSERT_TRUE(second_flush.ok()) << second_flush.status.to_string();
  const SenderStats second_stats = multi->endpoint_stats(1);
  EXPECT_EQ(second_stats[DataType::metric].delivered, 10u);
  EXPECT_EQ(second->lines("wavefront").size(), 10u) << second->request_count();
  expect_accounting_identity(multi->stats());
}

TEST(HttpClient, ReportsPerStatusSelfMetrics) {
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  HttpClientConfig config = config_for(*server);
  config.self_metrics_interval = 50ms;
  auto client = make_client(config);
  client->send_metric("user.metric", 1, std::nullopt, "h", {});
  ASSERT_TRUE(testing::eventually([&] {
    for (const std::string& line : server->lines("wavefront")) {
      if (line.find("~sdk.cpp.core.sender.wfclient.points.report.202") != std::string::npos) return true;
    }
    return false;
  }));
  for (const std::string& line : server->lines("wavefront")) {
    if (line.find("~sdk.cpp.core.sender") == std::string::npos) continue;
    EXPECT_NE(line.find("\"authType\"=\"NONE\""), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace wavefront
