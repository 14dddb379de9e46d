// The receiver component embedded in-process as any program would: this test sees only receiver.h and
// the library's public headers (its target links wavefront_receiver and the public library, nothing
// from src/ or the wfsend tool). The library's real clients send over TCP and HTTP; the accepted lines
// are read from the sink, waited for with a condition variable (no sleeps).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "receiver/receiver.h"
#include "wavefront/client_factory.h"
#include "wavefront/format.h"
#include "wavefront/sender_config.h"

namespace {

using namespace std::chrono_literals;

// Collects what the receiver's sink gets, from the loop thread, for the test thread.
class Collected {
 public:
  void add(std::string_view lines) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      text_.append(lines);
      ++calls_;
    }
    changed_.notify_all();
  }
  // Waits until `count` lines arrived; false after the timeout.
  bool wait_for_lines(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return lines_locked() >= count; });
  }
  std::string text() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return text_;
  }
  std::size_t calls() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }

 private:
  std::size_t lines_locked() const {
    std::size_t count = 0;
    for (char c : text_) count += c == '\n' ? 1 : 0;
    return count;
  }

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string text_;
  std::size_t calls_ = 0;
};

// A receiver on any free port whose accepted lines go to `collected` only.
std::unique_ptr<wfreceiver::Receiver> start_receiver(Collected& collected) {
  wfreceiver::ReceiverOptions options;
  options.port = 0;
  options.output_fd = -1;
  options.report_fd = -1;
  options.accepted_sink = [&collected](std::string_view lines) { collected.add(lines); };
  auto receiver = wfreceiver::Receiver::create(std::move(options));
  if (!receiver.ok()) {
    ADD_FAILURE() << receiver.status().to_string();
    return nullptr;
  }
  (*receiver)->start();
  return std::move(*receiver);
}

wavefront::SenderConfig fast_settings() {
  wavefront::SenderConfig settings;
  settings.flush_interval = 20ms;
  settings.self_metrics_interval = 0ms;
  settings.retry_backoff_initial = 5ms;
  settings.retry_backoff_max = 50ms;
  return settings;
}

// Sends two metrics and an event with the sender at `url`, and returns what the library writes for
// them.
std::string send_and_expect(const std::string& url) {
  auto sender = wavefront::make_sender(url, fast_settings());
  if (!sender.ok()) {
    ADD_FAILURE() << sender.status().to_string();
    return {};
  }
  EXPECT_TRUE(sender->send_metric("cpu.usage", 42.5, 1700000000, "host-01", {{"env", "prod"}}).ok());
  EXPECT_TRUE(sender->send_metric("mem.free", 7, 1700000001, "host-01", {}).ok());
  EXPECT_TRUE(sender->send_event("deploy", 1700000000000, 1700000060000, "ci-1", {}, {}).ok());
  EXPECT_TRUE(sender->flush(10s).ok());
  EXPECT_TRUE(sender->close(10s).ok());

  std::string expected;
  const wavefront::FormatOptions options;
  wavefront::format_metric(expected, "cpu.usage", 42.5, 1700000000, "host-01", {{"env", "prod"}}, options);
  wavefront::format_metric(expected, "mem.free", 7, 1700000001, "host-01", {}, options);
  wavefront::format_event(expected, "deploy", 1700000000000, 1700000060000, "ci-1", {}, {}, options);
  return expected;
}

TEST(ReceiverComponent, AcceptsTcpLinesIntoTheSink) {
  Collected collected;
  auto receiver = start_receiver(collected);
  ASSERT_NE(receiver, nullptr);
  const std::string expected = send_and_expect("tcp://127.0.0.1:" + std::to_string(receiver->port()));
  ASSERT_TRUE(collected.wait_for_lines(3, 10s)) << collected.text();
  EXPECT_EQ(collected.text(), expected);
  receiver->stop();
  receiver->wait();
  const wfreceiver::ReceiverStats stats = receiver->stats();
  EXPECT_EQ(stats.lines.total_accepted(), 3u);
  EXPECT_EQ(stats.lines.total_rejected(), 0u);
  EXPECT_GE(stats.connections, 1u);
}

TEST(ReceiverComponent, AcceptsProxyHttpRequestsIntoTheSink) {
  Collected collected;
  auto receiver = start_receiver(collected);
  ASSERT_NE(receiver, nullptr);
  const std::string expected = send_and_expect("proxy://127.0.0.1:" + std::to_string(receiver->port()));
  ASSERT_TRUE(collected.wait_for_lines(3, 10s)) << collected.text();
  receiver->stop();
  receiver->wait();
  // The HTTP client sends metrics and events in separate requests: compare as sorted lines.
  auto split = [](const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
      lines.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  EXPECT_EQ(split(collected.text()), split(expected));
  const wfreceiver::ReceiverStats stats = receiver->stats();
  EXPECT_EQ(stats.lines.total_accepted(), 3u);
  EXPECT_GE(stats.http_responses.count(202), 1u);
}

TEST(ReceiverComponent, RefusedLinesNeverReachTheSink) {
  Collected collected;
  auto receiver = start_receiver(collected);
  ASSERT_NE(receiver, nullptr);
  // The library's senders validate what they send, so the bad line comes over a plain socket.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(receiver->port());
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  const std::string_view data = "\"ok\" 1 source=\"s\"\nnot a line\n\"after\" 2 source=\"s\"\n";
  ASSERT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  ::close(fd);
  ASSERT_TRUE(collected.wait_for_lines(2, 10s)) << collected.text();
  receiver->stop();
  receiver->wait();
  EXPECT_EQ(collected.text(), "\"ok\" 1 source=\"s\"\n\"after\" 2 source=\"s\"\n");
  const wfreceiver::ReceiverStats stats = receiver->stats();
  EXPECT_EQ(stats.lines.total_accepted(), 2u);
  EXPECT_EQ(stats.lines.total_rejected(), 1u);
}

TEST(ReceiverComponent, CreateRefusesABoundOutOfRange) {
  wfreceiver::ReceiverOptions options;
  options.port = 0;
  options.max_connections = 0;
  auto receiver = wfreceiver::Receiver::create(std::move(options));
  ASSERT_FALSE(receiver.ok());
  EXPECT_NE(receiver.status().message().find("max_connections"), std::string::npos);
}

}  // namespace
