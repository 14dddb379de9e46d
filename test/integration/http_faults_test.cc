// HttpClient against scripted failures: 500, 429 with and without Retry-After, 413 splitting, 400,
// 401/403 and CSP token refresh, slow answers beyond the timeout, connection resets, huge answers.
// For every retryable sequence every point must arrive exactly once and the counters must match.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "support/client_test_util.h"
#include "support/fake_http_server.h"
#include "support/http_test_util.h"
#include "support/test_certificates.h"
#include "wavefront/http_client.h"

namespace wavefront {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::expect_accounting_identity;
using testing::FakeCsp;
using testing::FakeHttpServer;
using Answer = testing::FakeHttpAnswer;

HttpClientConfig config_for(const FakeHttpServer& server) { return testing::fast_http_config(server); }

std::unique_ptr<Sender> make_client(const HttpClientConfig& config) {
  return testing::make_http_client(config);
}

void send_numbered(Sender& sender, int count, int first = 0) {
  for (int index = first; index < first + count; ++index) {
    ASSERT_TRUE(sender.send_metric("seq", index, std::nullopt, "h", {{"k", "v"}}).ok());
  }
}

// Every numbered point 0..count-1 arrived exactly once.
void expect_exactly_once(const FakeHttpServer& server, int count) {
  const auto lines = server.lines("wavefront");
  const std::set<std::string> distinct(lines.begin(), lines.end());
  EXPECT_EQ(lines.size(), static_cast<std::size_t>(count)) << "duplicates or losses";
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(count));
}

std::uint64_t response_count(const SenderStats& stats, int code) {
  const auto& responses = stats[DataType::metric].responses;
  const auto found = responses.find(code);
  return found == responses.end() ? 0 : found->second;
}

TEST(HttpFaults, ServerErrorThenSuccessDeliversOnce) {
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  server->script({Answer::status_code(500), Answer::status_code(503)});
  auto client = make_client(config_for(*server));
  send_numbered(*client, 100);
  ASSERT_TRUE(client->flush(10s).ok());
  expect_exactly_once(*server, 100);
  const SenderStats stats = client->stats();
  EXPECT_EQ(response_count(stats, 500), 1u);
  EXPECT_EQ(response_count(stats, 503), 1u);
  EXPECT_EQ(stats[DataType::metric].report_errors, 2u);
  EXPECT_EQ(stats[DataType::metric].delivered, 100u);
  expect_accounting_identity(stats);
}

TEST(HttpFaults, TooManyRequestsHonoursRetryAfter) {
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  server->script({Answer::status_code(429, "1"), Answer::status_code(429)});
  auto client = make_client(config_for(*server));
  send_numbered(*client, 10);
  client->flush(1ms);
  ASSERT_TRUE(server->wait_for_requests(1, 10s));
  const auto first_answer = std::chrono::steady_clock::now();
  ASSERT_TRUE(server->wait_for_requests(2, 10s));
  EXPECT_GE(std::chrono::steady_clock::now() - first_answer, 900ms) << "Retry-After: 1 was not honoured";
  ASSERT_TRUE(client->flush(10s).ok());  // the 429 without Retry-After backs off and retries too
  expect_exactly_once(*server, 10);
  EXPECT_EQ(response_count(client->stats(), 429), 2u);
}

TEST(HttpFaults, TooLargeBodiesAreSplitInHalves) {
  FakeHttpServer::Options options;
  options.max_body_bytes = 2000;
  auto server = FakeHttpServer::start(options);
  ASSERT_TRUE(server);
  HttpClientConfig config = config_for(*server);
  config.flush_interval = 10s;  // one big batch, sent by the flush below
  auto client = make_client(config);
  send_numbered(*client, 300);
  ASSERT_TRUE(client->flush(20s).ok());
  expect_exactly_once(*server, 300);
  const SenderStats stats = client->stats();
  EXPECT_GE(response_count(stats, 413), 1u);
  EXPECT_EQ(stats[DataType::metric].dropped, 0u);
  for (const testing::RecordedRequest& request : server->requests()) {
    if (request.status == 202) {
      EXPECT_LE(request.body_bytes, 2000u);
    }
  }
  expect_accounting_identity(stats);
}

TEST(HttpFaults, ALineThatAloneIsTooLargeIsDroppedAndCounted) {
  FakeHttpServer::Options options;
  options.max_body_bytes = 10;
  auto server = FakeHttpServer::start(options);
  ASSERT_TRUE(server);
  auto client = make_client(config_for(*server));
  send_numbered(*client, 2);
  ASSERT_TRUE(client->flush(10s).ok());
  const SenderStats stats = client->stats();
  EXPECT_EQ(stats[DataType::metric].dropped_by_reason[static_cast<std::size_t>(DropReason::rejected)], 2u);
  expect_accounting_identity(stats);
}

TEST(HttpFaults, BadRequestDropsTheBatchAndCountsIt) {
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  server->script({Answer::status_code(400)});
  auto client = make_client(config_for(*server));
  send_numbered(*client, 5);
  ASSERT_TRUE(client->flush(10s).ok());
  send_numbered(*client, 5, 5);
  ASSERT_TRUE(client->flush(10s).ok());
  const SenderStats stats = client->stats();
  EXPECT_EQ(stats[DataType::metric].dropped_by_reason[static_cast<std::size_t>(DropReason::rejected)], 5u);
  EXPECT_EQ(stats[DataType::metric].delivered, 5u);
  EXPECT_EQ(response_count(stats, 400), 1u);
  expect_accounting_identity(stats);
}

TEST(HttpFaults, ForbiddenIsRetriedNotDisabledAndTheTokenNeverLeaks) {
  FakeHttpServer::Options options;
  options.tls = false;
  auto server = FakeHttpServer::start(options);
  ASSERT_TRUE(server);
  server->script({Answer::status_code(403), Answer::status_code(401), Answer::status_code(403)});
  auto logger = std::make_shared<testing::RecordingLogger>();
  HttpClientConfig config = config_for(*server);
  config.logger = logger;
  config.log_interval = 0ms;
  auto client = make_client(config);
  send_numbered(*client, 20);
  ASSERT_TRUE(client->flush(10s).ok());
  expect_exactly_once(*server, 20);
  EXPECT_EQ(client->stats()[DataType::metric].report_errors, 3u);
  EXPECT_FALSE(logger->messages().empty());
}

TEST(HttpFaults, SlowAnswersBeyondTheTimeoutAreRetried) {
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  server->script({Answer::delayed(2s, 503)});
  HttpClientConfig config = config_for(*server);
  config.request_timeout = 300ms;
  auto client = make_client(config);
  send_numbered(*client, 10);
  ASSERT_TRUE(client->flush(20s).ok());
  expect_exactly_once(*server, 10);
  EXPECT_GE(client->stats()[DataType::metric].report_errors, 1u);
  expect_accounting_identity(client->stats());
}

TEST(HttpFaults, ConnectionResetsAreRetried) {
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  server->script({Answer::reset_connection(), Answer::reset_connection(), Answer::reset_connection()});
  auto client = make_client(config_for(*server));
  send_numbered(*client, 10);
  ASSERT_TRUE(client->flush(20s).ok());
  expect_exactly_once(*server, 10);
  expect_accounting_identity(client->stats());
}

TEST(HttpFaults, AHugeAnswerCannotGrowOurMemory) {
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  server->script({Answer::huge(200u << 20)});
  const auto resident_kib = [] {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return 0L;
  };
  const long before = resident_kib();
  auto client = make_client(config_for(*server));
  send_numbered(*client, 10);
  ASSERT_TRUE(client->flush(20s).ok());
  EXPECT_LT(resident_kib() - before, 64 * 1024) << "a 200 MiB answer must not be held in memory";
  EXPECT_EQ(client->stats()[DataType::metric].delivered, 10u);
}

TEST(HttpFaults, CspApiTokenIsExchangedRefreshedOnRejectionAndUsed) {
  auto csp = FakeCsp::start();
  ASSERT_TRUE(csp);
  FakeHttpServer::Options options;
  options.token_validator = [&](const std::string& token) { return csp->is_valid_token(token); };
  auto server = FakeHttpServer::start(options);
  ASSERT_TRUE(server);
  HttpClientConfig config = config_for(*server);
  // CSP needs an https server; the fake receiver speaks TLS only when asked, so point the client at
  // a TLS one below. Here: check that a plain-http server with CSP is refused clearly.
  config.csp.kind = CspCredentials::Kind::api_token;
  config.csp.api_token = "csp-user-api-token";
  config.csp.base_url = csp->url();
  EXPECT_NE(HttpClient::create(config).status().message().find("https"), std::string::npos);
}

TEST(HttpFaults, CspTokensOverTls) {
  for (const auto kind : {CspCredentials::Kind::api_token, CspCredentials::Kind::client_credentials}) {
    testing::FakeCspOptions csp_options;
    csp_options.org_id = "org-42";
    auto csp = FakeCsp::start(csp_options);
    ASSERT_TRUE(csp);
    FakeHttpServer::Options options;
    options.tls = true;
    options.token_validator = [&](const std::string& token) { return csp->is_valid_token(token); };
    auto server = FakeHttpServer::start(options);
    ASSERT_TRUE(server);
    HttpClientConfig config = config_for(*server);
    config.trusted_certificate = testing::localhost_certificate().cert_file;
    config.csp.kind = kind;
    config.csp.base_url = csp->url();
    config.csp.api_token = "csp-user-api-token";
    config.csp.client_id = "csp-client-id";
    config.csp.client_secret = "csp-client-secret";
    config.csp.org_id = "org-42";
    auto client = make_client(config);
    send_numbered(*client, 10);
    ASSERT_TRUE(client->flush(20s).ok());
    ASSERT_TRUE(csp->wait_for_grants(1, 10s));
    // A 401 from the receiver makes the client fetch a new token and retry.
    server->script({Answer::status_code(401)});
    send_numbered(*client, 10, 10);
    ASSERT_TRUE(client->flush(20s).ok());
    EXPECT_GE(csp->grant_count(), 2);
    expect_exactly_once(*server, 20);
    if (kind == CspCredentials::Kind::client_credentials) {
      EXPECT_EQ(csp->last_authorization().rfind("Basic ", 0), 0u);
      EXPECT_NE(csp->last_form_body().find("grant_type=client_credentials"), std::string::npos);
      EXPECT_NE(csp->last_form_body().find("orgId=org-42"), std::string::npos);
    } else {
      EXPECT_EQ(csp->last_form_body(), "api_token=csp-user-api-token");
    }
    for (const testing::RecordedRequest& request : server->requests()) {
      EXPECT_EQ(request.authorization.rfind("Bearer csp-access-", 0), 0u) << request.authorization;
    }
    expect_accounting_identity(client->stats());
  }
}

TEST(HttpFaults, CspTokensAreRefreshedBeforeTheyExpireAndFailuresRetried) {
  testing::FakeCspOptions csp_options;
  csp_options.expires_in_seconds = 31;  // refreshed 1 s after issue (expires_in - 30 s)
  auto csp = FakeCsp::start(csp_options);
  ASSERT_TRUE(csp);
  csp->fail_next(2, 500);
  FakeHttpServer::Options options;
  options.tls = true;
  auto server = FakeHttpServer::start(options);
  ASSERT_TRUE(server);
  HttpClientConfig config = config_for(*server);
  config.trusted_certificate = testing::localhost_certificate().cert_file;
  config.csp.kind = CspCredentials::Kind::api_token;
  config.csp.api_token = "csp-user-api-token";
  config.csp.base_url = csp->url();
  auto client = make_client(config);
  ASSERT_TRUE(csp->wait_for_grants(2, 20s)) << "two failures, a grant, then a refresh about 1 s later";
  EXPECT_GE(csp->request_count(), 4);
  const FlushResult closed = client->close(5s);
  EXPECT_TRUE(closed.ok());
  const int requests_at_close = csp->request_count();
  EXPECT_FALSE(csp->wait_for_requests(requests_at_close + 1, 1500ms)) << "refreshing stops on close";
}

}  // namespace
}  // namespace wavefront
