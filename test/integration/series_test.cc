// Pre-registered series (series.h) and per-thread staging through a real ProxyClient and a fake proxy
// on loopback: the same wire lines as send_metric, refusals when the handle is made, counting, and
// flush() from one thread delivering what other threads have staged.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "support/client_test_util.h"
#include "support/fake_proxy.h"
#include "wavefront/proxy_client.h"
#include "wavefront/series.h"

namespace wavefront {
namespace {

using namespace std::chrono_literals;
using testing::expect_accounting_identity;
using testing::FakeProxy;

ProxyClientConfig config_for(const FakeProxy& metrics) {
  ProxyClientConfig config;
  config.host = metrics.bind_address();
  config.metrics_port = metrics.port();
  config.flush_interval = 1h;  // only flush() delivers: the tests see what it collects
  config.self_metrics_interval = 0ms;
  return config;
}

TEST(Series, SendsTheSameLinesAsSendMetric) {
  auto proxy = FakeProxy::start();
  ASSERT_TRUE(proxy);
  auto client = testing::create_or_fail<ProxyClient>(config_for(*proxy));
  ASSERT_TRUE(client);
  const std::vector<Tag> tags = {{"env", "prod"}, {"region", "us-west-2"}};
  Expected<Series> cpu = client->series("cpu.usage", tags, "h");
  ASSERT_TRUE(cpu) << cpu.status().message();
  Expected<Series> jobs = client->series("jobs", {}, "h", SeriesKind::delta_counter);
  ASSERT_TRUE(jobs) << jobs.status().message();
  EXPECT_TRUE(cpu->send(42.5).ok());
  EXPECT_TRUE(cpu->send(0.125, 1700000000).ok());
  EXPECT_TRUE(cpu->send(-3, Timestamp::from_milliseconds(1700000000123)).ok());
  EXPECT_TRUE(jobs->send(3).ok());
  EXPECT_TRUE(jobs->send(0).ok()) << "a zero delta is valid and sends nothing";
  EXPECT_TRUE(client->send_metric("cpu.usage", 42.5, std::nullopt, "h", tags).ok());
  EXPECT_TRUE(client->send_delta_counter("jobs", 3, std::nullopt, "h", {}).ok());
  ASSERT_TRUE(client->flush(10s).ok());
  ASSERT_TRUE(proxy->wait_for_lines(6, 5s));
  const std::vector<std::string> lines = proxy->lines();
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0], "\"cpu.usage\" 42.5 source=\"h\" \"env\"=\"prod\" \"region\"=\"us-west-2\"");
  EXPECT_EQ(lines[1],
            "\"cpu.usage\" 0.125 1700000000 source=\"h\" \"env\"=\"prod\" \"region\"=\"us-west-2\"");
  EXPECT_EQ(lines[2],
            "\"cpu.usage\" -3 1700000000123 source=\"h\" \"env\"=\"prod\" \"region\"=\"us-west-2\"");
  EXPECT_EQ(lines[4], lines[0]) << "the series line equals send_metric's";
  EXPECT_EQ(lines[5], lines[3]);
  const TypeStats stats = client->stats()[DataType::metric];
  EXPECT_EQ(stats.accepted, 6u);
  EXPECT_EQ(stats.delivered, 6u);
  expect_accounting_identity(client->stats());
}

TEST(Series, InvalidSeriesAreRefusedWhenTheHandleIsMade) {
  auto proxy = FakeProxy::start();
  ASSERT_TRUE(proxy);
  auto client = testing::create_or_fail<ProxyClient>(config_for(*proxy));
  ASSERT_TRUE(client);
  EXPECT_EQ(client->series("", {}).status().code(), ErrorCode::invalid_name);
  EXPECT_EQ(client->series("cpu", {{"", "v"}}).status().code(), ErrorCode::invalid_tag_key);
  EXPECT_EQ(client->series("cpu", {{"k", ""}}).status().code(), ErrorCode::invalid_tag_value);
  Series empty;
  EXPECT_EQ(empty.send(1).code(), ErrorCode::invalid_argument);
  // A valid handle refuses bad values per send, and counts them as invalid.
  Expected<Series> cpu = client->series("cpu", {}, "h");
  ASSERT_TRUE(cpu);
  EXPECT_EQ(cpu->send(std::nan("")).code(), ErrorCode::non_finite_value);
  Expected<Series> delta = client->series("jobs", {}, "h", SeriesKind::delta_counter);
  ASSERT_TRUE(delta);
  EXPECT_EQ(delta->send(-1).code(), ErrorCode::negative_delta);
  EXPECT_EQ(client->stats()[DataType::metric].invalid, 2u);
  EXPECT_EQ(client->stats()[DataType::metric].accepted, 0u);
}

// Threads still alive, their lines staged (flush_interval is an hour): flush() from the main thread
// delivers them all, each thread's lines in its order.
TEST(Staging, FlushFromAnotherThreadDeliversWhatThreadsStaged) {
  auto proxy = FakeProxy::start();
  ASSERT_TRUE(proxy);
  auto client = testing::create_or_fail<ProxyClient>(config_for(*proxy));
  ASSERT_TRUE(client);
  constexpr int kThreads = 3;
  constexpr int kLines = 50;
  std::mutex mutex;
  std::condition_variable changed;
  int ready = 0;
  bool done = false;
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&, thread] {
      for (int line = 0; line < kLines; ++line) {
        EXPECT_TRUE(client->send_metric("t" + std::to_string(thread), line, std::nullopt, "h", {}).ok());
      }
      std::unique_lock<std::mutex> lock(mutex);
      ++ready;
      changed.notify_all();
      changed.wait(lock, [&] { return done; });
    });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return ready == kThreads; });
  }
  EXPECT_EQ(client->stats()[DataType::metric].queued, std::uint64_t{kThreads} * kLines);
  ASSERT_TRUE(client->flush(10s).ok());
  ASSERT_TRUE(proxy->wait_for_lines(kThreads * kLines, 5s));
  {
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
  }
  changed.notify_all();
  for (std::thread& thread : threads) thread.join();
  std::vector<int> next(kThreads, 0);
  for (const std::string& line : proxy->lines()) {
    const int thread = line[2] - '0';
    const std::string expected = "\"t" + std::to_string(thread) + "\" " + std::to_string(next[thread]++);
    EXPECT_EQ(line.substr(0, expected.size()), expected) << "per-thread order";
  }
  expect_accounting_identity(client->stats());
}

// Series points are staged as records the flusher writes (line_queue.h): from several threads at
// once, among send_metric lines of the same threads, each thread's lines arrive in its order and
// equal what send_metric writes for the same point.
TEST(Series, ThreadsSendingSeriesAndMetricsKeepTheirOrder) {
  auto proxy = FakeProxy::start();
  ASSERT_TRUE(proxy);
  auto client = testing::create_or_fail<ProxyClient>(config_for(*proxy));
  ASSERT_TRUE(client);
  constexpr int kThreads = 3;
  constexpr int kLines = 400;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&, thread] {
      const std::string name = "t" + std::to_string(thread);
      Expected<Series> series = client->series(name, {{"k", "v"}}, "h");
      ASSERT_TRUE(series);
      for (int line = 0; line < kLines; ++line) {
        const Status status = line % 3 == 0
                                  ? client->send_metric(name, line, 1700000000 + line, "h", {{"k", "v"}})
                                  : series->send(line, 1700000000 + line);
        EXPECT_TRUE(status.ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_TRUE(client->flush(10s).ok());
  ASSERT_TRUE(proxy->wait_for_lines(std::size_t{kThreads} * kLines, 5s));
  std::vector<int> next(kThreads, 0);
  for (const std::string& line : proxy->lines()) {
    const int thread = line[2] - '0';
    const int at = next[thread]++;
    EXPECT_EQ(line, "\"t" + std::to_string(thread) + "\" " + std::to_string(at) + " " +
                        std::to_string(1700000000 + at) + " source=\"h\" \"k\"=\"v\"");
  }
  for (int thread = 0; thread < kThreads; ++thread) EXPECT_EQ(next[thread], kLines);
  const TypeStats stats = client->stats()[DataType::metric];
  EXPECT_EQ(stats.delivered, std::uint64_t{kThreads} * kLines);
  EXPECT_EQ(stats.queued_bytes, 0u);
  expect_accounting_identity(client->stats());
}

}  // namespace
}  // namespace wavefront
