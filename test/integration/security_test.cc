// Security review points for the library, each tested: an API token never reaches logs, error
// messages, self-metrics or stats; TLS verification is on by default. (The receiver side and the
// command line are covered in test/tool/security_tool_test.cc.)
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "support/client_test_util.h"
#include "support/http_test_util.h"
#include "wavefront/client_factory.h"

namespace {

using namespace std::chrono_literals;
using wavefront::DataType;
using wavefront::HttpClientConfig;
using wavefront::testing::FakeHttpAnswer;
using wavefront::testing::FakeHttpServer;
using wavefront::testing::RecordingLogger;

constexpr const char* kToken = "tok-3f9a1c-SECRET-never-shown";

void expect_no_token(const std::string& text, const std::string& where) {
  EXPECT_EQ(text.find(kToken), std::string::npos) << where << " shows the token: " << text;
  EXPECT_EQ(text.find("SECRET"), std::string::npos) << where << " shows part of the token: " << text;
}

TEST(Security, TheTokenNeverReachesLogsErrorsOrSelfMetrics) {
  FakeHttpServer::Options options;
  options.tls = true;  // a token only travels over https
  options.required_token = kToken;
  auto server = FakeHttpServer::start(options);
  ASSERT_TRUE(server);
  // Every kind of failure a log line is written for: refusals, server errors, resets, rate limits.
  server->script({FakeHttpAnswer::status_code(401), FakeHttpAnswer::status_code(403),
                  FakeHttpAnswer::status_code(500), FakeHttpAnswer::reset_connection(),
                  FakeHttpAnswer::reset_connection(), FakeHttpAnswer::status_code(429, "0"),
                  FakeHttpAnswer::status_code(400)});
  auto logger = std::make_shared<RecordingLogger>();
  HttpClientConfig config = wavefront::testing::fast_http_config(*server);
  config.token = kToken;
  config.logger = logger;
  config.log_interval = 0ms;
  config.self_metrics_interval = 50ms;  // self-metrics go to the same server: check their lines too
  auto client = wavefront::testing::make_http_client(config);
  for (int index = 0; index < 200; ++index) {
    client->send_metric("m", index, std::nullopt, "s", {{"k", "v"}});
  }
  const wavefront::Status refused = client->send_metric("bad name", 1, 0, "", {});
  expect_no_token(std::string(refused.message()), "a refusal");
  ASSERT_TRUE(server->wait_for_lines("wavefront", 1, 10s));
  client->flush(10s);
  const wavefront::FlushResult closed = client->close(5s);
  expect_no_token(std::string(closed.status.message()), "close()");

  ASSERT_FALSE(logger->messages().empty()) << "the failures above must have been logged";
  for (const std::string& message : logger->messages()) expect_no_token(message, "a log message");
  for (const std::string& line : server->lines("wavefront")) expect_no_token(line, "a sent line");
  const wavefront::SenderStats stats = client->stats();
  for (const auto& [code, count] : stats[DataType::metric].responses) {
    expect_no_token(std::to_string(code) + ":" + std::to_string(count), "stats");
  }
}

TEST(Security, MalformedUrlErrorsRedactTheToken) {
  for (const std::string& url :
       {std::string("https://") + kToken + "@", std::string("https://") + kToken + "@host:99999",
        std::string("ftp://") + kToken + "@host"}) {
    const auto sender = wavefront::make_sender(url);
    ASSERT_FALSE(sender.ok()) << url;
    expect_no_token(std::string(sender.status().message()), "the error for " + url);
  }
  const auto parsed = wavefront::parse_sender_url(std::string("https://") + kToken + "@example.com");
  ASSERT_TRUE(parsed.ok());
  expect_no_token(parsed->redacted(), "redacted()");
}

TEST(Security, TlsVerificationIsOnByDefault) {
  // A server with a self-signed certificate and a client configured like an application would
  // (no trusted_certificate, no ca_file): nothing may be delivered.
  FakeHttpServer::Options options;
  options.tls = true;
  auto server = FakeHttpServer::start(options);
  ASSERT_TRUE(server);
  HttpClientConfig config = wavefront::testing::fast_http_config(*server);
  config.trusted_certificate.clear();
  config.token = kToken;
  config.max_retry_age = 300ms;
  auto client = wavefront::testing::make_http_client(config);
  client->send_metric("m", 1, std::nullopt, "s", {});
  client->close(3s);
  EXPECT_EQ(server->request_count(), 0u) << "the request must fail the TLS handshake";
  const wavefront::SenderStats stats = client->stats();
  EXPECT_EQ(stats[DataType::metric].delivered, 0u);
  EXPECT_EQ(stats[DataType::metric].dropped, 1u);
}

}  // namespace
