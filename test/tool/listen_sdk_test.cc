// The library's own clients sending every data type into an in-process `wfsend listen` receiver: proxy
// HTTP (`proxy://`), raw TCP (`tcp://`, and ProxyClient with distribution and tracing ports, plain and
// gzip). Every line must be accepted, and the output must be exactly what the library formats.
#include <gtest/gtest.h>

#include <algorithm>

#include "tool/listen_test_util.h"
#include "wavefront/client_factory.h"
#include "wavefront/format.h"
#include "wavefront/proxy_client.h"

namespace wfreceiver {
namespace {

using namespace std::chrono_literals;
using testing::RunningReceiver;
using wavefront::Granularity;
using wavefront::LineKind;

constexpr std::string_view kTrace = "7b3bf470-9456-11e8-9eb6-529269fb1459";
constexpr std::string_view kSpanId = "0313bafe-9457-11e8-9eb6-529269fb1459";

void send_everything(wavefront::Sender& sender) {
  ASSERT_TRUE(sender.send_metric("cpu.usage", 42.5, 1700000000, "host-01", {{"env", "prod"}}).ok());
  ASSERT_TRUE(sender.send_delta_counter("jobs.done", 3, std::nullopt, "worker-7", {{"queue", "email"}}).ok());
  ASSERT_TRUE(sender
                  .send_distribution("request.latency", {{30.0, 20}, {5.1, 10}},
                                     Granularity::minute | Granularity::hour, 1700000040, "app-1",
                                     {{"region", "us"}})
                  .ok());
  const std::vector<wavefront::Tag> fields = {{"event", "error"}, {"message", "quote \" and \\ and \n"}};
  const std::vector<wavefront::SpanLog> logs = {wavefront::SpanLog(1700000000123000, fields)};
  ASSERT_TRUE(
      sender
          .send_span("getUser", 1700000000123, 45, "api-3", kTrace, kSpanId, {}, {},
                     {{"application", "shop"}, {"service", "users"}, {"cluster", "none"}, {"shard", "none"}},
                     logs)
          .ok());
  ASSERT_TRUE(
      sender
          .send_event("deploy v42", 1700000000000, 1700000060000, "ci-1", {{"severity", "info"}}, {"release"})
          .ok());
}

// What the library writes for send_everything, line by line.
std::vector<std::string> expected_lines() {
  std::string out;
  std::string span_logs;
  wavefront::FormatOptions options;
  wavefront::format_metric(out, "cpu.usage", 42.5, 1700000000, "host-01", {{"env", "prod"}}, options);
  wavefront::format_distribution(out, "request.latency", {{30.0, 20}, {5.1, 10}},
                                 Granularity::minute | Granularity::hour, 1700000040, "app-1",
                                 {{"region", "us"}}, options);
  const std::vector<wavefront::Tag> fields = {{"event", "error"}, {"message", "quote \" and \\ and \n"}};
  const std::vector<wavefront::SpanLog> logs = {wavefront::SpanLog(1700000000123000, fields)};
  wavefront::format_span(
      out, span_logs, "getUser", 1700000000123, 45, "api-3", kTrace, kSpanId, {}, {},
      {{"application", "shop"}, {"service", "users"}, {"cluster", "none"}, {"shard", "none"}}, logs, options);
  out += span_logs;
  wavefront::format_event(out, "deploy v42", 1700000000000, 1700000060000, "ci-1", {{"severity", "info"}},
                          {"release"}, options);
  std::vector<std::string> lines = testing::split_lines(out);
  std::sort(lines.begin(), lines.end());
  return lines;
}

void expect_everything_received(RunningReceiver& receiver) {
  ASSERT_TRUE(wavefront::testing::eventually([&] { return receiver.stats().lines.total_accepted() >= 7; }));
  const ReceiverStats stats = receiver.stats();
  EXPECT_EQ(stats.lines.total_rejected(), 0u) << receiver.reports();
  EXPECT_EQ(stats.lines.accepted[static_cast<std::size_t>(LineKind::metric)], 2u);
  EXPECT_EQ(stats.lines.accepted[static_cast<std::size_t>(LineKind::distribution)], 2u);
  EXPECT_EQ(stats.lines.accepted[static_cast<std::size_t>(LineKind::span)], 1u);
  EXPECT_EQ(stats.lines.accepted[static_cast<std::size_t>(LineKind::span_logs)], 1u);
  EXPECT_EQ(stats.lines.accepted[static_cast<std::size_t>(LineKind::event)], 1u);
  std::vector<std::string> lines = testing::split_lines(receiver.output());
  // The delta counter has no timestamp and its source is set: compare all but it exactly.
  const auto delta = std::find_if(lines.begin(), lines.end(), [](const std::string& line) {
    return line.find("jobs.done") != std::string::npos;
  });
  ASSERT_NE(delta, lines.end());
  EXPECT_EQ(*delta, "\"\xE2\x88\x86jobs.done\" 3 source=\"worker-7\" \"queue\"=\"email\"");
  lines.erase(delta);
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, expected_lines());
}

wavefront::SenderConfig fast_settings() {
  wavefront::SenderConfig settings;
  settings.flush_interval = 20ms;
  settings.self_metrics_interval = 0ms;
  settings.retry_backoff_initial = 5ms;
  settings.retry_backoff_max = 50ms;
  return settings;
}

TEST(ListenSdk, ProxyHttpUrl) {
  RunningReceiver receiver;
  auto sender =
      wavefront::make_sender("proxy://127.0.0.1:" + std::to_string(receiver.port()), fast_settings());
  ASSERT_TRUE(sender.ok()) << sender.status().to_string();
  send_everything(*sender);
  EXPECT_TRUE(sender->flush(10s).ok());
  expect_everything_received(receiver);
  EXPECT_TRUE(sender->close(10s).ok());
  const wavefront::SenderStats stats = sender->stats();
  for (const wavefront::TypeStats& type : stats.types) EXPECT_EQ(type.dropped, 0u);
  EXPECT_GE(receiver.stats().http_responses.at(202), 5u);
}

TEST(ListenSdk, TcpUrlOnThePushPort) {
  RunningReceiver receiver;
  auto sender = wavefront::make_sender("tcp://127.0.0.1:" + std::to_string(receiver.port()), fast_settings());
  ASSERT_TRUE(sender.ok()) << sender.status().to_string();
  // tcp:// alone sends every data type to the push port.
  ASSERT_TRUE(sender->send_metric("m", 1, 1700000000, "s", {}).ok());
  ASSERT_TRUE(sender->send_distribution("d", {{1.0, 2}}, Granularity::minute, 1700000040, "s", {}).ok());
  ASSERT_TRUE(sender->send_event("e", 1700000000000, 0, "s", {}, {}).ok());
  EXPECT_TRUE(sender->flush(10s).ok());
  ASSERT_TRUE(receiver.wait_for_output_lines(3));
  EXPECT_EQ(receiver.output(),
            "\"m\" 1 1700000000 source=\"s\"\n!M 1700000040 #2 1 \"d\" source=\"s\"\n"
            "@Event 1700000000000 1700000000001 \"e\" host=\"s\"\n");
}

class ListenSdkProxyClient : public ::testing::TestWithParam<bool> {};

TEST_P(ListenSdkProxyClient, EveryTypeOnItsPort) {
  ReceiverOptions options;
  options.distribution_port = 0;
  options.tracing_port = 0;
  RunningReceiver receiver(options);
  wavefront::ProxyClientConfig config;
  static_cast<wavefront::SenderConfig&>(config) = fast_settings();
  config.host = "127.0.0.1";
  config.metrics_port = receiver.port();
  config.distribution_port = *receiver->distribution_port();
  config.tracing_port = *receiver->tracing_port();
  config.gzip = GetParam();
  auto client = wavefront::ProxyClient::create(config);
  ASSERT_TRUE(client.ok()) << client.status().to_string();
  send_everything(*client);
  EXPECT_TRUE(client->flush(10s).ok());
  expect_everything_received(receiver);
  client->close(10s);
}

INSTANTIATE_TEST_SUITE_P(Gzip, ListenSdkProxyClient, ::testing::Bool());

}  // namespace
}  // namespace wfreceiver
