// Public transports (include/wavefront/transport.h): client logic over a scripted fake transport and
// a manual clock (batching, retry with backoff, partial deliveries, drops, close deadlines), the scheme
// registry behind make_sender, and unix:// against a real listening AF_UNIX socket.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "support/client_test_util.h"
#include "support/fake_transport.h"
#include "wavefront/client_factory.h"
#include "wavefront/format.h"
#include "wavefront/transport.h"

namespace wavefront {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::FakeOutcome;
using testing::FakeTransportState;
using testing::ManualClock;

struct FakeSender {
  std::shared_ptr<FakeTransportState> state = std::make_shared<FakeTransportState>();
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::unique_ptr<QueuedSender> sender;

  explicit FakeSender(SenderConfig config = SenderConfig()) {
    config.clock = clock;
    config.flush_interval = 1h;  // only flush() and full batches send
    config.self_metrics_interval = 24h;
    config.retry_backoff_initial = 1s;
    config.retry_backoff_max = 1s;
    auto made = make_transport_sender(testing::fake_transport_factory(state), config);
    EXPECT_TRUE(made.ok()) << made.status().message();
    sender = std::move(made).value();
  }
  void send(int count) {
    for (int index = 0; index < count; ++index) {
      ASSERT_TRUE(sender->send_metric("m" + std::to_string(index), index, 1700000000, "s", {}).ok());
    }
  }
};

TEST(FakeTransport, BatchesHoldAtMostBatchItemsLines) {
  SenderConfig config;
  config.batch_items = 3;
  FakeSender fake(config);
  fake.send(7);
  ASSERT_TRUE(fake.sender->flush(5s).ok());
  const auto batches = fake.state->batches();
  std::vector<std::size_t> sizes;
  for (const auto& batch : batches) sizes.push_back(batch.items);
  EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 3, 1}));
  EXPECT_EQ(batches[0].lines.substr(0, 4), "\"m0\"");
  EXPECT_EQ(fake.sender->stats()[DataType::metric].delivered, 7U);
  testing::expect_accounting_identity(fake.sender->stats());
}

TEST(FakeTransport, AFailedBatchWaitsForTheBackoffOnTheClockThenIsRetriedWhole) {
  FakeSender fake;
  fake.state->script({FakeOutcome::Kind::fail});
  fake.send(4);
  EXPECT_EQ(fake.sender->flush(50ms).status.code(), ErrorCode::timeout);
  ASSERT_TRUE(eventually([&] { return fake.sender->stats()[DataType::metric].report_errors == 1; }));
  // The manual clock stands still: no second attempt, the lines stay queued.
  EXPECT_EQ(fake.sender->flush(50ms).status.code(), ErrorCode::timeout);
  EXPECT_EQ(fake.state->attempts(), 1U);
  EXPECT_EQ(fake.sender->stats()[DataType::metric].queued, 4U);
  fake.clock->advance(2s);  // past the 1 s backoff
  ASSERT_TRUE(fake.sender->flush(5s).ok());
  const auto batches = fake.state->batches();
  ASSERT_EQ(batches.size(), 2U);
  EXPECT_EQ(batches[1].lines, batches[0].lines);
  EXPECT_EQ(fake.sender->stats()[DataType::metric].delivered, 4U);
  testing::expect_accounting_identity(fake.sender->stats());
}

TEST(FakeTransport, APartialDeliveryRetriesOnlyTheRest) {
  FakeSender fake;
  fake.state->script({FakeOutcome::Kind::deliver_then, 2});
  fake.send(5);
  (void)fake.sender->flush(50ms);
  ASSERT_TRUE(eventually([&] { return fake.sender->stats()[DataType::metric].delivered == 2; }));
  fake.clock->advance(2s);
  ASSERT_TRUE(fake.sender->flush(5s).ok());
  const auto batches = fake.state->batches();
  ASSERT_EQ(batches.size(), 2U);
  EXPECT_EQ(batches[1].items, 3U);
  EXPECT_EQ(batches[1].lines.substr(0, 4), "\"m2\"");
  testing::expect_accounting_identity(fake.sender->stats());
}

TEST(FakeTransport, DroppedLinesAreCountedUnderTheirReason) {
  FakeSender fake;
  fake.state->script({FakeOutcome::Kind::drop, 2, DropReason::rejected});
  fake.send(3);
  (void)fake.sender->flush(50ms);
  fake.clock->advance(2s);
  ASSERT_TRUE(fake.sender->flush(5s).ok());
  const TypeStats stats = fake.sender->stats()[DataType::metric];
  EXPECT_EQ(stats.dropped_by_reason[static_cast<std::size_t>(DropReason::rejected)], 2U);
  EXPECT_EQ(stats.delivered, 1U);
  testing::expect_accounting_identity(fake.sender->stats());
}

TEST(FakeTransport, CloseGivesUpOnAHungDeliveryAtItsDeadline) {
  FakeSender fake;
  fake.state->script({FakeOutcome::Kind::hang});
  fake.send(3);
  const auto start = std::chrono::steady_clock::now();
  const FlushResult result = fake.sender->close(200ms);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, 2s);  // a bound on a hang, not a performance figure
  EXPECT_FALSE(result.ok());
  const TypeStats stats = fake.sender->stats()[DataType::metric];
  EXPECT_EQ(stats.dropped_by_reason[static_cast<std::size_t>(DropReason::unsent_at_close)], 3U);
  EXPECT_TRUE(fake.state->shut_down());
  testing::expect_accounting_identity(fake.sender->stats());
}

TEST(TransportRegistry, ARegisteredSchemeIsUsedByMakeSender) {
  auto state = std::make_shared<FakeTransportState>();
  std::string seen_target;
  ASSERT_TRUE(register_transport_scheme("fake-test", [&](const SenderUrl& url, const SenderConfig&) {
                seen_target = url.target;
                return Expected<TransportFactory>(testing::fake_transport_factory(state));
              }).ok());
  EXPECT_TRUE(transport_scheme_known("FAKE-TEST"));
  auto sender = make_sender("fake-test://queue-7");
  ASSERT_TRUE(sender.ok()) << sender.status().message();
  EXPECT_EQ(seen_target, "queue-7");
  ASSERT_TRUE(sender->send_metric("m", 1, 1700000000, "s", {}).ok());
  ASSERT_TRUE(sender->flush(5s).ok());
  ASSERT_EQ(state->batches().size(), 1U);
  EXPECT_EQ(state->batches()[0].lines, "\"m\" 1 1700000000 source=\"s\"\n");
  (void)sender->close(1s);

  const Status again = register_transport_scheme("fake-test", [](const SenderUrl&, const SenderConfig&) {
    return Expected<TransportFactory>(Status(ErrorCode::invalid_argument, "unused"));
  });
  EXPECT_EQ(again.code(), ErrorCode::invalid_argument);
  EXPECT_NE(again.message().find("already registered"), std::string::npos);
  const Status built_in = register_transport_scheme("tcp", [](const SenderUrl&, const SenderConfig&) {
    return Expected<TransportFactory>(Status(ErrorCode::invalid_argument, "unused"));
  });
  EXPECT_NE(built_in.message().find("built in"), std::string::npos);
  EXPECT_EQ(register_transport_scheme("1bad", {}).code(), ErrorCode::invalid_argument);
}

TEST(TransportRegistry, AnUnknownSchemeIsRefusedByName) {
  auto sender = make_sender("nosuch://x");
  ASSERT_FALSE(sender.ok());
  EXPECT_NE(sender.status().message().find("unsupported scheme \"nosuch\""), std::string::npos);
  auto relative = make_sender("unix://relative.sock");
  ASSERT_FALSE(relative.ok());
  EXPECT_NE(relative.status().message().find("absolute socket path"), std::string::npos);
}

// A listening Unix-domain socket in a fresh directory that reads everything its one client writes.
class UnixListener {
 public:
  UnixListener() {
    char directory[] = "/tmp/wavefront-unix-XXXXXX";
    EXPECT_NE(::mkdtemp(directory), nullptr);
    directory_ = directory;
    path_ = directory_ + "/agent.sock";
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path_.copy(address.sun_path, path_.size());
    EXPECT_EQ(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(fd_, 4), 0);
    reader_ = std::thread([this] {
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      char buffer[4096];
      for (ssize_t got; (got = ::read(client, buffer, sizeof buffer)) > 0;) {
        const std::lock_guard<std::mutex> lock(mutex_);
        received_.append(buffer, static_cast<std::size_t>(got));
      }
      ::close(client);
    });
  }
  ~UnixListener() {
    ::shutdown(fd_, SHUT_RDWR);
    reader_.join();
    ::close(fd_);
    ::unlink(path_.c_str());
    ::rmdir(directory_.c_str());
  }
  UnixListener(const UnixListener&) = delete;
  UnixListener& operator=(const UnixListener&) = delete;
  const std::string& path() const { return path_; }
  std::string received() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }

 private:
  std::string directory_;
  std::string path_;
  int fd_ = -1;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::string received_;
};

TEST(UnixTransport, DeliversEveryDataTypeAsProxyLinesOverTheSocket) {
  UnixListener listener;
  SenderConfig config;
  config.self_metrics_interval = 24h;
  auto sender = make_sender("unix://" + listener.path(), config);
  ASSERT_TRUE(sender.ok()) << sender.status().message();
  const std::string id = "01234567-89ab-cdef-0123-456789abcdef";
  ASSERT_TRUE(sender->send_metric("cpu", 1.5, 1700000000, "h", {{"env", "prod"}}).ok());
  ASSERT_TRUE(sender->send_distribution("lat", {{2.0, 3}}, Granularity::minute, 1700000000, "h", {}).ok());
  ASSERT_TRUE(sender->send_span("op", 1700000000000, 5, "h", id, id, {}, {}, {}, {}).ok());
  ASSERT_TRUE(sender->send_event("deploy", 1700000000000, 0, "h", {}, {}).ok());
  ASSERT_TRUE(sender->flush(5s).ok());
  std::string expected;
  std::string logs;
  ASSERT_TRUE(format_metric(expected, "cpu", 1.5, 1700000000, "h", {{"env", "prod"}}).ok());
  ASSERT_TRUE(
      format_distribution(expected, "lat", {{2.0, 3}}, Granularity::minute, 1700000000, "h", {}).ok());
  ASSERT_TRUE(format_span(expected, logs, "op", 1700000000000, 5, "h", id, id, {}, {}, {}, {}).ok());
  ASSERT_TRUE(format_event(expected, "deploy", 1700000000000, 0, "h", {}, {}).ok());
  ASSERT_TRUE(sender->close(5s).ok());
  ASSERT_TRUE(eventually([&] { return listener.received().size() >= expected.size(); }));
  // One batch per data type, in the flusher's order; compare as sets of lines.
  auto sorted_lines = [](const std::string& text) {
    std::vector<std::string> lines;
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t end = text.find('\n', start);
      lines.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  EXPECT_EQ(sorted_lines(listener.received()), sorted_lines(expected));
  EXPECT_EQ(sender->stats().connects, 1U);
}

TEST(UnixTransport, ANoListenerIsAFailedAttemptAndTheDataStaysQueued) {
  SenderConfig config;
  config.self_metrics_interval = 24h;
  auto sender = make_sender("unix:///nonexistent-dir-wavefront/agent.sock", config);
  ASSERT_TRUE(sender.ok()) << sender.status().message();
  ASSERT_TRUE(sender->send_metric("m", 1, 1700000000, "s", {}).ok());
  EXPECT_EQ(sender->flush(100ms).status.code(), ErrorCode::timeout);
  ASSERT_TRUE(eventually([&] { return sender->stats()[DataType::metric].report_errors >= 1; }));
  EXPECT_EQ(sender->stats()[DataType::metric].queued, 1U);
  (void)sender->close(0ms);
}

}  // namespace
}  // namespace wavefront
