// ProxyClient against a fake proxy on loopback: routing per port, batching, flush/close, config.
#include <gtest/gtest.h>

#include <set>

#include "support/client_test_util.h"
#include "support/fake_proxy.h"
#include "wavefront/proxy_client.h"

namespace wavefront {
namespace {

using namespace std::chrono_literals;
using testing::expect_accounting_identity;
using testing::expect_all_lines_valid;
using testing::FakeProxy;

constexpr std::string_view kTrace = "7b3bf470-9456-11e8-9eb6-529269fb1459";
constexpr std::string_view kSpan = "0313bafe-9457-11e8-9eb6-529269fb1459";

ProxyClientConfig config_for(const FakeProxy& metrics) {
  ProxyClientConfig config;
  config.host = metrics.bind_address();
  config.metrics_port = metrics.port();
  config.flush_interval = 20ms;
  config.retry_backoff_initial = 10ms;
  config.retry_backoff_max = 200ms;
  config.self_metrics_interval = 0ms;
  return config;
}

std::unique_ptr<Sender> make_client(const ProxyClientConfig& config) {
  return testing::create_or_fail<ProxyClient>(config);
}

TEST(ProxyClient, EveryDataTypeGoesToItsPort) {
  auto metrics = FakeProxy::start();
  auto histograms = FakeProxy::start();
  auto tracing = FakeProxy::start();
  ASSERT_TRUE(metrics && histograms && tracing);
  ProxyClientConfig config = config_for(*metrics);
  config.distribution_port = histograms->port();
  config.tracing_port = tracing->port();
  auto client = make_client(config);
  ASSERT_TRUE(client);

  EXPECT_TRUE(client->send_metric("cpu.usage", 42.5, 1700000000, "h", {{"env", "prod"}}).ok());
  EXPECT_TRUE(client->send_delta_counter("jobs", 3, std::nullopt, "h", {}).ok());
  EXPECT_TRUE(
      client->send_distribution("lat", {{1, 2}}, Granularity::minute | Granularity::hour, 1700000040, "h", {})
          .ok());
  const std::vector<Tag> log_fields = {{"event", "miss"}};
  EXPECT_TRUE(client
                  ->send_span("get", 1700000000123, 5, "h", kTrace, kSpan, {}, {}, {{"application", "a"}},
                              {SpanLog(1700000000123456, log_fields)})
                  .ok());
  EXPECT_TRUE(client->send_event("deploy", 1700000000000, 0, "h", {{"type", "deploy"}}, {"release"}).ok());
  ASSERT_TRUE(client->flush(10s).ok());

  ASSERT_TRUE(metrics->wait_for_lines(3, 5s));
  ASSERT_TRUE(histograms->wait_for_lines(2, 5s));
  ASSERT_TRUE(tracing->wait_for_lines(2, 5s));
  EXPECT_EQ(metrics->lines(),
            (std::vector<std::string>{"\"cpu.usage\" 42.5 1700000000 source=\"h\" \"env\"=\"prod\"",
                                      "\"\xE2\x88\x86jobs\" 3 source=\"h\"",
                                      "@Event 1700000000000 1700000000001 \"deploy\" \"type\"=\"deploy\" "
                                      "host=\"h\" tag=\"release\""}));
  EXPECT_EQ(expect_all_lines_valid(histograms->lines(), testing::LineKind::distribution), 2u);
  const auto tracing_lines = tracing->lines();
  ASSERT_EQ(tracing_lines.size(), 2u);
  EXPECT_TRUE(testing::parse_span_line(tracing_lines[0]).ok()) << tracing_lines[0];
  EXPECT_TRUE(testing::parse_span_logs_line(tracing_lines[1]).ok()) << tracing_lines[1];

  const SenderStats stats = client->stats();
  expect_accounting_identity(stats);
  EXPECT_EQ(stats[DataType::metric].delivered, 2u);
  EXPECT_EQ(stats[DataType::distribution].delivered, 2u);
  EXPECT_EQ(stats[DataType::span].delivered, 1u);
  EXPECT_EQ(stats[DataType::span_log].delivered, 1u);
  EXPECT_EQ(stats[DataType::event].delivered, 1u);
  EXPECT_EQ(client->failure_count(), 0u);
}

TEST(ProxyClient, UnsetPortsAreTheMetricsPort) {
  auto metrics = FakeProxy::start();
  ASSERT_TRUE(metrics);
  auto client = make_client(config_for(*metrics));  // only metrics_port set, as tcp://host:port does
  EXPECT_TRUE(client->send_span("s", 1700000000000, 1, "h", kTrace, kSpan).ok());
  EXPECT_TRUE(client->send_distribution("d", {{1, 1}}, Granularity::minute, 1700000040, "h").ok());
  ASSERT_TRUE(client->flush(5s).ok());
  ASSERT_TRUE(metrics->wait_for_lines(2, 5s));
  const SenderStats stats = client->stats();
  EXPECT_EQ(stats[DataType::span].delivered, 1u);
  EXPECT_EQ(stats[DataType::distribution].delivered, 1u);
  expect_accounting_identity(stats);
}

TEST(ProxyClient, DataTypeWithoutPortIsRefusedAndCounted) {
  auto histograms = FakeProxy::start();
  ASSERT_TRUE(histograms);
  ProxyClientConfig config = config_for(*histograms);
  config.metrics_port.reset();  // no push port: spans have no destination left
  config.distribution_port = histograms->port();
  auto client = make_client(config);
  const Status status = client->send_span("s", 1700000000000, 1, "h", kTrace, kSpan, {}, {}, {}, {});
  EXPECT_EQ(status.code(), ErrorCode::not_configured);
  EXPECT_NE(status.message().find("tracing_port"), std::string::npos) << status.message();
  EXPECT_EQ(client->send_metric("m", 1, std::nullopt, "h", {}).code(), ErrorCode::not_configured);
  const SenderStats stats = client->stats();
  EXPECT_EQ(stats[DataType::span].dropped_by_reason[static_cast<std::size_t>(DropReason::not_configured)],
            1u);
  expect_accounting_identity(stats);
}

TEST(ProxyClient, InvalidPointsAreRefusedCountedAndHarmless) {
  auto metrics = FakeProxy::start();
  ASSERT_TRUE(metrics);
  auto client = make_client(config_for(*metrics));
  EXPECT_EQ(client->send_metric("m", 1, std::nullopt, "h", {{"k", "bad\\"}}).code(),
            ErrorCode::invalid_tag_value);
  EXPECT_TRUE(client->send_metric("m", 2, std::nullopt, "h", {}).ok());
  ASSERT_TRUE(client->flush(5s).ok());
  ASSERT_TRUE(metrics->wait_for_lines(1, 5s));
  EXPECT_EQ(metrics->lines(), std::vector<std::string>{"\"m\" 2 source=\"h\""});
  EXPECT_EQ(client->stats()[DataType::metric].invalid, 1u);
  EXPECT_EQ(client->failure_count(), 1u);
}

TEST(ProxyClient, RefusesBadConfigurationNamingTheField) {
  ProxyClientConfig config;
  config.metrics_port.reset();
  EXPECT_NE(ProxyClient::create(config).status().message().find("metrics_port"), std::string::npos);
  config.metrics_port = 0;
  EXPECT_NE(ProxyClient::create(config).status().message().find("metrics_port"), std::string::npos);
  config.metrics_port = 2878;
  config.host = "";
  EXPECT_NE(ProxyClient::create(config).status().message().find("host"), std::string::npos);
  config.host = "localhost";
  config.batch_items = config.max_queue_items + 1;
  EXPECT_NE(ProxyClient::create(config).status().message().find("batch_items"), std::string::npos);
  config.batch_items = 10;
  config.flush_interval = 0ms;
  EXPECT_EQ(ProxyClient::create(config).status().code(), ErrorCode::invalid_argument);
}

TEST(ProxyClient, SendAfterCloseIsRefusedAndCounted) {
  auto metrics = FakeProxy::start();
  ASSERT_TRUE(metrics);
  auto client = make_client(config_for(*metrics));
  EXPECT_TRUE(client->send_metric("m", 1, std::nullopt, "h", {}).ok());
  EXPECT_TRUE(client->close(5s).ok());
  EXPECT_TRUE(client->close(5s).ok()) << "close is idempotent";
  EXPECT_EQ(client->send_metric("m", 2, std::nullopt, "h", {}).code(), ErrorCode::closed);
  const SenderStats stats = client->stats();
  EXPECT_EQ(stats[DataType::metric].delivered, 1u);
  EXPECT_EQ(stats[DataType::metric].dropped_by_reason[static_cast<std::size_t>(DropReason::closed)], 1u);
  expect_accounting_identity(stats);
}

TEST(ProxyClient, BatchesWritesInsteadOfOneSyscallPerPoint) {
  auto metrics = FakeProxy::start();
  ASSERT_TRUE(metrics);
  ProxyClientConfig config = config_for(*metrics);
  config.flush_interval = 10s;  // only full batches and the flush below trigger writes
  config.batch_items = 1000;
  auto client = make_client(config);
  for (int index = 0; index < 5000; ++index)
    ASSERT_TRUE(client->send_metric("m", index, std::nullopt, "h", {}).ok());
  ASSERT_TRUE(client->flush(10s).ok());
  ASSERT_TRUE(metrics->wait_for_lines(5000, 10s));
  EXPECT_GT(metrics->largest_read(), 1000u) << "lines arrive in batches";
  EXPECT_EQ(client->stats().connects, 1u);
}

TEST(ProxyClient, TheFlushIntervalRunsOnTheInjectedClock) {
  auto metrics = FakeProxy::start();
  ASSERT_TRUE(metrics);
  auto clock = std::make_shared<testing::ManualClock>();
  ProxyClientConfig config = config_for(*metrics);
  config.flush_interval = std::chrono::hours(1);
  config.clock = clock;
  auto client = make_client(config);
  ASSERT_TRUE(client->send_metric("m", 1, std::nullopt, "h", {}).ok());
  // An hour of real time never passes here: only the manual clock can make this point go out.
  clock->advance(std::chrono::hours(1));
  ASSERT_TRUE(metrics->wait_for_lines(1, 10s)) << client->stats()[DataType::metric].queued << " queued, "
                                               << client->stats()[DataType::metric].dropped << " dropped";
  // The proxy may read the line before the flusher has counted it: wait for the count too.
  EXPECT_TRUE(testing::eventually([&] { return client->stats()[DataType::metric].delivered == 1; }));
}

TEST(ProxyClient, FlushWaitsForEverythingQueuedBeforeIt) {
  auto metrics = FakeProxy::start();
  ASSERT_TRUE(metrics);
  ProxyClientConfig config = config_for(*metrics);
  config.flush_interval = 60s;
  auto client = make_client(config);
  for (int index = 0; index < 100; ++index) client->send_metric("m", index, std::nullopt, "h", {});
  const FlushResult result = client->flush(10s);
  EXPECT_TRUE(result.ok()) << result.status.to_string();
  EXPECT_EQ(result.items_left, 0u);
  EXPECT_EQ(client->stats()[DataType::metric].delivered, 100u);
}

TEST(ProxyClient, FlushReportsWhatIsLeftWhenTheProxyIsDown) {
  const std::uint16_t port = FakeProxy::reserve_port();
  ProxyClientConfig config;
  config.host = "127.0.0.1";
  config.metrics_port = port;
  config.self_metrics_interval = 0ms;
  auto client = make_client(config);
  for (int index = 0; index < 10; ++index) client->send_metric("m", index, std::nullopt, "h", {});
  const FlushResult result = client->flush(200ms);
  EXPECT_EQ(result.status.code(), ErrorCode::timeout);
  EXPECT_EQ(result.items_left, 10u);
  const FlushResult closed = client->close(100ms);
  EXPECT_EQ(closed.items_left, 10u);
  const SenderStats stats = client->stats();
  EXPECT_EQ(stats[DataType::metric].dropped_by_reason[static_cast<std::size_t>(DropReason::unsent_at_close)],
            10u);
  expect_accounting_identity(stats);
}

TEST(ProxyClient, CloseDrainsAMillionQueuedPoints) {
  auto metrics = FakeProxy::start();
  ASSERT_TRUE(metrics);
  ProxyClientConfig config = config_for(*metrics);
  config.flush_interval = 60s;  // nothing goes out until batches fill or close drains
  config.max_queue_items = 1'100'000;
  config.max_queue_bytes = 256u << 20;
  auto client = make_client(config);
  constexpr int kPoints = 1'000'000;
  for (int index = 0; index < kPoints; ++index) {
    ASSERT_TRUE(client->send_metric("drain.test", index, std::nullopt, "h", {{"k", "v"}}).ok()) << index;
  }
  const FlushResult result = client->close(60s);
  EXPECT_TRUE(result.ok()) << result.status.to_string();
  ASSERT_TRUE(metrics->wait_for_lines(kPoints, 30s)) << metrics->line_count();
  EXPECT_EQ(metrics->line_count(), static_cast<std::size_t>(kPoints));
  const SenderStats stats = client->stats();
  EXPECT_EQ(stats[DataType::metric].delivered, static_cast<std::uint64_t>(kPoints));
  expect_accounting_identity(stats);
}

TEST(ProxyClient, EightProducerThreadsLoseNothing) {
  auto metrics = FakeProxy::start();
  ASSERT_TRUE(metrics);
  ProxyClientConfig config = config_for(*metrics);
  config.max_queue_items = 200'000;
  auto client = make_client(config);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 5000;
  std::vector<std::thread> producers;
  for (int thread = 0; thread < kThreads; ++thread) {
    producers.emplace_back([&, thread] {
      const std::string name = "producer." + std::to_string(thread);
      for (int index = 0; index < kPerThread; ++index) {
        EXPECT_TRUE(client->send_metric(name, index, std::nullopt, "h", {{"t", "x"}}).ok());
      }
    });
  }
  for (auto& producer : producers) producer.join();
  ASSERT_TRUE(client->flush(30s).ok());
  ASSERT_TRUE(metrics->wait_for_lines(kThreads * kPerThread, 10s));
  std::set<std::string> distinct;
  for (const std::string& line : metrics->lines()) distinct.insert(line);
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(expect_all_lines_valid(metrics->lines(), testing::LineKind::metric),
            static_cast<std::size_t>(kThreads * kPerThread));
  expect_accounting_identity(client->stats());
}

// stats() keeps the library's self-metrics apart: the user's counters hold exactly what the user
// sent, the self-metrics their own (with the same accounting identity).
TEST(ProxyClient, StatsKeepSelfMetricsApartFromTheUsersPoints) {
  auto metrics = FakeProxy::start();
  ASSERT_TRUE(metrics);
  ProxyClientConfig config = config_for(*metrics);
  config.self_metrics_interval = 20ms;
  auto client = make_client(config);
  constexpr int kSent = 4000;
  for (int index = 0; index < kSent; ++index) {
    ASSERT_TRUE(client->send_metric("user.metric", index, std::nullopt, "h", {{"env", "prod"}}).ok());
  }
  ASSERT_TRUE(testing::eventually([&] {
    for (const std::string& line : metrics->lines()) {
      if (line.find("~sdk.cpp.core.sender.proxy.points.valid") != std::string::npos) return true;
    }
    return false;
  }));
  ASSERT_TRUE(client->flush(5s).ok());
  const SenderStats stats = client->stats();
  EXPECT_EQ(stats[DataType::metric].accepted, static_cast<std::uint64_t>(kSent));
  EXPECT_EQ(stats[DataType::metric].delivered, static_cast<std::uint64_t>(kSent));
  const TypeStats& self = stats.self_metrics;
  EXPECT_GT(self.accepted, 0u);
  EXPECT_EQ(self.accepted, self.delivered + self.queued + self.dropped);
  std::size_t user_lines = 0;
  for (const std::string& line : metrics->lines())
    user_lines += line.rfind("\"user.metric\"", 0) == 0 ? 1 : 0;
  EXPECT_EQ(user_lines, static_cast<std::size_t>(kSent));
  expect_accounting_identity(stats);
}

TEST(ProxyClient, ReportsItsOwnMetrics) {
  auto metrics = FakeProxy::start();
  ASSERT_TRUE(metrics);
  ProxyClientConfig config = config_for(*metrics);
  config.self_metrics_interval = 50ms;
  auto client = make_client(config);
  client->send_metric("user.metric", 1, std::nullopt, "h", {});
  ASSERT_TRUE(testing::eventually([&] {
    for (const std::string& line : metrics->lines()) {
      if (line.find("~sdk.cpp.core.sender.proxy.points.valid") != std::string::npos) return true;
    }
    return false;
  }));
  bool saw_version = false;
  for (const std::string& line : metrics->lines()) {
    const auto parsed = testing::parse_metric_line(line);
    ASSERT_TRUE(parsed.ok()) << line << ": " << parsed.error();
    if (parsed->name == "~sdk.cpp.core.sender.proxy.version") saw_version = true;
    if (parsed->name.find("~sdk.") != std::string::npos ||
        parsed->name.find("sdk.cpp") != std::string::npos) {
      const bool has_pid = std::any_of(parsed->tags.begin(), parsed->tags.end(),
                                       [](const auto& tag) { return tag.first == "pid"; });
      EXPECT_TRUE(has_pid) << line;
    }
  }
  EXPECT_TRUE(saw_version);
}

}  // namespace
}  // namespace wavefront
