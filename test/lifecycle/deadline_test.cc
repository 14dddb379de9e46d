// close(), flush() and the destructor keep their deadlines with a request in flight and a receiver
// that never answers, over TCP, HTTP and HTTPS and during a CSP token exchange; close() from several
// threads at once; an item larger than the whole queue gets its own reason. The figures are printed
// (RecordProperty) and asserted with a generous slack, wider under sanitizers.
#include <gtest/gtest.h>

#include <thread>

#include "support/client_test_util.h"
#include "support/fake_http_server.h"
#include "support/fake_proxy.h"
#include "support/http_test_util.h"
#include "support/test_certificates.h"
#include "wavefront/http_client.h"
#include "wavefront/proxy_client.h"

namespace wavefront::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr auto kSlack = 1500ms;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr auto kSlack = 1500ms;
#else
constexpr auto kSlack = 400ms;
#endif
#else
constexpr auto kSlack = 400ms;
#endif

std::chrono::milliseconds elapsed_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

// Sends points and waits until a request carrying them is in flight at the hung server.
void put_a_request_in_flight(Sender& sender, FakeHttpServer& server) {
  for (int i = 0; i < 10; ++i) sender.send_metric("deadline.n", i, std::nullopt, "h", {});
  sender.flush(0ms);
  ASSERT_TRUE(server.wait_for_arrivals(1, 10s));
}

std::unique_ptr<FakeHttpServer> hung_server(bool tls) {
  FakeHttpServer::Options options;
  options.tls = tls;
  auto server = FakeHttpServer::start(options);
  if (server) server->set_default_answer(FakeHttpAnswer::delayed(20s));
  return server;
}

class HttpDeadlines : public ::testing::TestWithParam<bool> {};

TEST_P(HttpDeadlines, CloseWithARequestInFlightReturnsByItsDeadline) {
  for (const auto timeout : {50ms, 1100ms}) {
    auto server = hung_server(GetParam());
    ASSERT_TRUE(server);
    auto client = make_http_client(fast_http_config(*server));
    put_a_request_in_flight(*client, *server);
    const auto start = Clock::now();
    const FlushResult result = client->close(timeout);
    const auto took = elapsed_since(start);
    RecordProperty("close_" + std::to_string(timeout.count()) + "ms_took_ms", std::to_string(took.count()));
    EXPECT_LT(took, timeout + kSlack);
    EXPECT_EQ(result.status.code(), ErrorCode::timeout);
    EXPECT_EQ(result.items_left, 10u);
    const SenderStats stats = client->stats();
    expect_accounting_identity(stats);
    EXPECT_EQ(
        stats[DataType::metric].dropped_by_reason[static_cast<std::size_t>(DropReason::unsent_at_close)],
        10u);
  }
}

TEST_P(HttpDeadlines, FlushAndTheDestructorKeepTheirDeadlines) {
  auto server = hung_server(GetParam());
  ASSERT_TRUE(server);
  HttpClientConfig config = fast_http_config(*server);
  config.close_timeout = 200ms;
  auto client = make_http_client(config);
  put_a_request_in_flight(*client, *server);
  auto start = Clock::now();
  EXPECT_EQ(client->flush(100ms).status.code(), ErrorCode::timeout);
  EXPECT_LT(elapsed_since(start), 100ms + kSlack);
  start = Clock::now();
  client.reset();  // close(close_timeout)
  const auto took = elapsed_since(start);
  RecordProperty("destructor_200ms_took_ms", std::to_string(took.count()));
  EXPECT_LT(took, 200ms + kSlack);
}

INSTANTIATE_TEST_SUITE_P(PlainAndTls, HttpDeadlines, ::testing::Values(false, true),
                         [](const auto& param_info) { return param_info.param ? "Https" : "Http"; });

TEST(Deadlines, CloseDuringACspTokenExchangeThatNeverAnswers) {
  auto csp = FakeProxy::start();  // accepts connections and reads, never answers
  ASSERT_TRUE(csp);
  auto server = hung_server(true);
  ASSERT_TRUE(server);
  HttpClientConfig config = fast_http_config(*server);
  config.csp.kind = CspCredentials::Kind::api_token;
  config.csp.base_url = "http://127.0.0.1:" + std::to_string(csp->port());
  config.csp.api_token = "never-exchanged";
  auto client = make_http_client(config);
  client->send_metric("deadline.n", 1, std::nullopt, "h", {});
  ASSERT_TRUE(csp->wait_for_bytes(1, 10s));  // the exchange is in flight
  const auto start = Clock::now();
  client->close(100ms);
  const auto took = elapsed_since(start);
  RecordProperty("close_100ms_csp_in_flight_took_ms", std::to_string(took.count()));
  EXPECT_LT(took, 100ms + kSlack);
}

TEST(Deadlines, TcpCloseAgainstAProxyThatStoppedReading) {
  auto proxy = FakeProxy::start({"127.0.0.1", 0, FakeProxy::Behavior::stop_reading(), 0});
  ASSERT_TRUE(proxy);
  ProxyClientConfig config;
  config.host = "127.0.0.1";
  config.metrics_port = proxy->port();
  config.flush_interval = 10ms;
  config.self_metrics_interval = 0ms;
  config.max_queue_items = 1000000;
  config.max_queue_bytes = std::size_t{64} << 20;
  auto client = create_or_fail<ProxyClient>(config);
  // More than the kernel buffers hold, so a write is blocked when close() comes.
  for (int i = 0; i < 400000; ++i)
    client->send_metric("deadline.padding.to.fill.buffers", i, std::nullopt, "h", {});
  client->flush(300ms);
  const auto start = Clock::now();
  const FlushResult result = client->close(500ms);
  const auto took = elapsed_since(start);
  RecordProperty("tcp_close_500ms_took_ms", std::to_string(took.count()));
  EXPECT_LT(took, 500ms + kSlack);
  EXPECT_EQ(result.status.code(), ErrorCode::timeout);
  expect_accounting_identity(client->stats());
}

TEST(Deadlines, ConcurrentClosesShareOneResultAndTheEarliestDeadline) {
  auto server = hung_server(false);
  ASSERT_TRUE(server);
  for (int round = 0; round < 10; ++round) {
    auto client = make_http_client(fast_http_config(*server));
    put_a_request_in_flight(*client, *server);
    const auto start = Clock::now();
    FlushResult slow_result;
    std::thread slow([&] { slow_result = client->close(30s); });
    const FlushResult fast_result = client->close(100ms);
    slow.join();
    const auto took = elapsed_since(start);
    EXPECT_LT(took, 100ms + kSlack) << "round " << round;
    EXPECT_EQ(fast_result.status.code(), ErrorCode::timeout);
    EXPECT_EQ(slow_result.status.code(), ErrorCode::timeout);
    EXPECT_EQ(fast_result.items_left, 10u);
    EXPECT_EQ(slow_result.items_left, 10u);
    // Later calls, and the destructor, return the same result at once.
    EXPECT_EQ(client->close(1s).items_left, 10u);
  }
}

TEST(Deadlines, AnItemLargerThanTheQueueHasItsOwnReason) {
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  HttpClientConfig config = fast_http_config(*server);
  config.max_queue_bytes = 4096;
  config.batch_bytes = 4096;
  auto client = make_http_client(config);
  std::vector<std::pair<std::string, std::string>> annotations;
  for (int i = 0; i < 60; ++i) annotations.emplace_back("key" + std::to_string(i), std::string(100, 'v'));
  const Status status = client->send_event("too big", 1700000000000, 0, "h", annotations, {});
  EXPECT_EQ(status.code(), ErrorCode::too_large) << status.message();
  EXPECT_NE(status.message().find("max_queue_bytes (4096)"), std::string::npos) << status.message();
  EXPECT_EQ(client->send_metric("small", 1, std::nullopt, "h", {}).code(), ErrorCode::ok);
  const SenderStats stats = client->stats();
  expect_accounting_identity(stats);
  EXPECT_EQ(stats[DataType::event].dropped_by_reason[static_cast<std::size_t>(DropReason::too_large)], 1u);
  EXPECT_EQ(stats[DataType::event].dropped_by_reason[static_cast<std::size_t>(DropReason::queue_full)], 0u);
}

}  // namespace
}  // namespace wavefront::testing
