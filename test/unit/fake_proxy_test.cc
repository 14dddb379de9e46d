// Tests of the fake proxy itself (test/support/fake_proxy.h), driven by plain client sockets, so that the
// TCP sender tests built on it can trust what it records and how it misbehaves.
#include "support/fake_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wavefront::testing {
namespace {

using Behavior = FakeProxy::Behavior;
using ::testing::ElementsAre;
constexpr std::chrono::milliseconds kWait{10000};

// A client socket closed on destruction.
class Client {
 public:
  Client(const std::string& host, uint16_t port) {
    sockaddr_storage address{};
    socklen_t length = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
      v4->sin_family = AF_INET;
      v4->sin_port = htons(port);
      length = sizeof(*v4);
    } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
      v6->sin6_family = AF_INET6;
      v6->sin6_port = htons(port);
      length = sizeof(*v6);
    }
    fd_ = socket(address.ss_family, SOCK_STREAM, 0);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0) {
      error_ = errno;
      close(fd_);
      fd_ = -1;
    }
  }
  ~Client() {
    if (fd_ >= 0) close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return fd_ >= 0; }
  int error() const { return error_; }  // errno of a failed connect
  int fd() const { return fd_; }

  bool send_all(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Blocks until the peer closes: 0 for an orderly close, the errno otherwise (EAGAIN after 10 s).
  int wait_for_close() {
    timeval timeout{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    char buffer[256];
    for (;;) {
      ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n == 0) return 0;
      if (n < 0 && errno != EINTR) return errno;
    }
  }

 private:
  int fd_ = -1;
  int error_ = 0;
};

std::unique_ptr<FakeProxy> start(Behavior behavior = Behavior::normal(), std::string address = "127.0.0.1") {
  FakeProxy::Options options;
  options.bind_address = std::move(address);
  options.behavior = behavior;
  std::string error;
  auto proxy = FakeProxy::start(options, &error);
  EXPECT_TRUE(proxy) << error;
  return proxy;
}

// gzip-compresses pieces of text into one stream, ending each piece with the given flush.
class Gzip {
 public:
  Gzip() { EXPECT_EQ(deflateInit2(&z_, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK); }
  ~Gzip() { deflateEnd(&z_); }
  std::string compress(const std::string& text, int flush) {
    std::string out;
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z_.avail_in = static_cast<uInt>(text.size());
    char buffer[4096];
    do {
      z_.next_out = reinterpret_cast<Bytef*>(buffer);
      z_.avail_out = sizeof(buffer);
      deflate(&z_, flush);
      out.append(buffer, sizeof(buffer) - z_.avail_out);
    } while (z_.avail_out == 0);
    return out;
  }

 private:
  z_stream z_{};
};

TEST(FakeProxyTest, RecordsBytesAndLines) {
  auto proxy = start();
  ASSERT_TRUE(proxy);
  EXPECT_NE(proxy->port(), 0);
  Client client("127.0.0.1", proxy->port());
  ASSERT_TRUE(client.connected()) << std::strerror(client.error());
  ASSERT_TRUE(client.send_all("a 1\nb 2\n"));
  ASSERT_TRUE(proxy->wait_for_lines(2, kWait));
  EXPECT_EQ(proxy->received(), "a 1\nb 2\n");
  EXPECT_THAT(proxy->lines(), ElementsAre("a 1", "b 2"));
  EXPECT_EQ(proxy->line_count(), 2u);
  EXPECT_THAT(proxy->connections(), ElementsAre("a 1\nb 2\n"));
  EXPECT_EQ(proxy->open_connection_count(), 1u);
}

TEST(FakeProxyTest, KeepsConnectionsApartAndDiscardsTheUnterminatedFragment) {
  auto proxy = start();
  ASSERT_TRUE(proxy);
  {
    Client first("127.0.0.1", proxy->port());
    ASSERT_TRUE(first.send_all("x\nfrag"));
  }
  ASSERT_TRUE(proxy->wait_for_closed_connections(1, kWait));
  Client second("127.0.0.1", proxy->port());
  ASSERT_TRUE(second.send_all("y\n"));
  ASSERT_TRUE(proxy->wait_for_lines(2, kWait));
  EXPECT_THAT(proxy->lines(), ElementsAre("x", "y"));
  EXPECT_THAT(proxy->connections(), ElementsAre("x\nfrag", "y\n"));
  EXPECT_EQ(proxy->received(), "x\nfragy\n");
  EXPECT_EQ(proxy->discarded_fragments(), 1u);
  EXPECT_EQ(proxy->connection_count(), 2u);
}

TEST(FakeProxyTest, CloseAfterBytesKeepsOnlyThePrefix) {
  auto proxy = start(Behavior::close_after_bytes(5));
  ASSERT_TRUE(proxy);
  Client client("127.0.0.1", proxy->port());
  ASSERT_TRUE(client.send_all("abc\ndefgh\n"));
  ASSERT_TRUE(proxy->wait_for_closed_connections(1, kWait));
  const int closed = client.wait_for_close();
  EXPECT_TRUE(closed == 0 || closed == ECONNRESET) << std::strerror(closed);
  EXPECT_EQ(proxy->received(), "abc\nd");
  EXPECT_THAT(proxy->lines(), ElementsAre("abc"));
  EXPECT_EQ(proxy->discarded_fragments(), 1u);

  Client next("127.0.0.1", proxy->port());  // every connection gets the budget
  ASSERT_TRUE(next.send_all("xy\n"));
  ASSERT_TRUE(proxy->wait_for_lines(2, kWait));
  EXPECT_EQ(proxy->open_connection_count(), 1u);
}

TEST(FakeProxyTest, BudgetSetAtRuntimeCountsFromThen) {
  auto proxy = start();
  ASSERT_TRUE(proxy);
  Client client("127.0.0.1", proxy->port());
  ASSERT_TRUE(client.send_all("a\n"));
  ASSERT_TRUE(proxy->wait_for_lines(1, kWait));
  proxy->set_behavior(Behavior::close_after_bytes(3));
  EXPECT_EQ(proxy->behavior().kind, Behavior::Kind::kCloseAfterBytes);
  ASSERT_TRUE(client.send_all("bc\nde\n"));
  ASSERT_TRUE(proxy->wait_for_closed_connections(1, kWait));
  EXPECT_EQ(proxy->received(), "a\nbc\n");
  EXPECT_THAT(proxy->lines(), ElementsAre("a", "bc"));
  EXPECT_EQ(proxy->discarded_fragments(), 0u);
}

TEST(FakeProxyTest, ResetAfterBytesSendsRst) {
  auto proxy = start(Behavior::reset_after_bytes(3));
  ASSERT_TRUE(proxy);
  Client client("127.0.0.1", proxy->port());
  ASSERT_TRUE(client.send_all("abcdef\n"));
  ASSERT_TRUE(proxy->wait_for_closed_connections(1, kWait));
  EXPECT_EQ(client.wait_for_close(), ECONNRESET);
  EXPECT_EQ(proxy->received(), "abc");
  EXPECT_EQ(proxy->discarded_fragments(), 1u);
}

TEST(FakeProxyTest, AcceptThenCloseClosesNewAndOpenConnections) {
  auto proxy = start();
  ASSERT_TRUE(proxy);
  Client open("127.0.0.1", proxy->port());
  ASSERT_TRUE(proxy->wait_for_connections(1, kWait));
  proxy->set_behavior(Behavior::accept_then_close());
  EXPECT_EQ(proxy->closed_connection_count(), 1u);  // done before set_behavior returned
  EXPECT_EQ(open.wait_for_close(), 0);

  Client client("127.0.0.1", proxy->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(proxy->wait_for_closed_connections(2, kWait));
  const int closed = client.wait_for_close();
  EXPECT_TRUE(closed == 0 || closed == ECONNRESET) << std::strerror(closed);
  EXPECT_EQ(proxy->connection_count(), 2u);
  EXPECT_EQ(proxy->received(), "");
}

TEST(FakeProxyTest, StopReadingFillsBuffersUntilTheSenderGetsEagain) {
  auto proxy = start(Behavior::stop_reading());
  ASSERT_TRUE(proxy);
  Client client("127.0.0.1", proxy->port());
  ASSERT_TRUE(proxy->wait_for_connections(1, kWait));
  int small = 4096;
  setsockopt(client.fd(), SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
  fcntl(client.fd(), F_SETFL, fcntl(client.fd(), F_GETFL) | O_NONBLOCK);
  const std::string chunk(4096, 'z');
  std::size_t sent = 0;
  int error = 0;
  while (sent < (64u << 20)) {
    ssize_t n = send(client.fd(), chunk.data(), chunk.size(), MSG_NOSIGNAL);
    if (n < 0) {
      error = errno;
      if (error == EINTR) continue;
      break;
    }
    sent += static_cast<std::size_t>(n);
  }
  EXPECT_TRUE(error == EAGAIN || error == EWOULDBLOCK) << "sent " << sent << ": " << std::strerror(error);
  EXPECT_EQ(proxy->received().size(), 0u);

  proxy->set_behavior(Behavior::normal());  // the proxy drains what the kernel kept
  ASSERT_TRUE(proxy->wait_for_bytes(sent, kWait));
  EXPECT_EQ(proxy->received(), std::string(sent, 'z'));
}

TEST(FakeProxyTest, OneByteAtATimeReadsSingleBytes) {
  auto proxy = start(Behavior::one_byte_at_a_time());
  ASSERT_TRUE(proxy);
  Client client("127.0.0.1", proxy->port());
  ASSERT_TRUE(client.send_all("ab\ncd\n"));
  ASSERT_TRUE(proxy->wait_for_lines(2, kWait));
  EXPECT_THAT(proxy->lines(), ElementsAre("ab", "cd"));
  EXPECT_EQ(proxy->largest_read(), 1u);
}

TEST(FakeProxyTest, ReservedPortRefusesUntilStartedAndRestartReusesIt) {
  const uint16_t port = FakeProxy::reserve_port();
  ASSERT_NE(port, 0);
  Client early("127.0.0.1", port);
  EXPECT_FALSE(early.connected());
  EXPECT_EQ(early.error(), ECONNREFUSED);

  FakeProxy::Options options;
  options.port = port;
  auto proxy = FakeProxy::start(options);
  ASSERT_TRUE(proxy);
  EXPECT_EQ(proxy->port(), port);
  Client first("127.0.0.1", port);
  ASSERT_TRUE(first.send_all("one\npart"));
  ASSERT_TRUE(proxy->wait_for_bytes(8, kWait));

  proxy->stop();  // like a killed proxy: the open connection goes, its fragment is lost
  EXPECT_FALSE(proxy->running());
  EXPECT_EQ(first.wait_for_close(), 0);
  EXPECT_EQ(proxy->discarded_fragments(), 1u);
  Client refused("127.0.0.1", port);
  EXPECT_EQ(refused.error(), ECONNREFUSED);

  ASSERT_TRUE(proxy->restart());
  EXPECT_TRUE(proxy->running());
  Client second("127.0.0.1", port);
  ASSERT_TRUE(second.send_all("two\n"));
  ASSERT_TRUE(proxy->wait_for_lines(2, kWait));
  EXPECT_THAT(proxy->lines(), ElementsAre("one", "two"));
  EXPECT_EQ(proxy->connection_count(), 2u);
}

TEST(FakeProxyTest, WorksOverIpv6) {
  if (!FakeProxy::ipv6_available()) GTEST_SKIP() << "::1 is not available";
  auto proxy = start(Behavior::normal(), "::1");
  ASSERT_TRUE(proxy);
  EXPECT_EQ(proxy->bind_address(), "::1");
  Client client("::1", proxy->port());
  ASSERT_TRUE(client.connected()) << std::strerror(client.error());
  ASSERT_TRUE(client.send_all("v6 1\n"));
  ASSERT_TRUE(proxy->wait_for_lines(1, kWait));
  EXPECT_THAT(proxy->lines(), ElementsAre("v6 1"));
}

TEST(FakeProxyTest, InflatesGzipConnectionsIncludingSyncFlushedData) {
  auto proxy = start();
  ASSERT_TRUE(proxy);
  Client client("127.0.0.1", proxy->port());
  Gzip gzip;
  const std::string flushed = gzip.compress("a 1\nb 2\n", Z_SYNC_FLUSH);
  ASSERT_TRUE(client.send_all(flushed));
  ASSERT_TRUE(proxy->wait_for_lines(2, kWait));  // before the stream ends
  EXPECT_THAT(proxy->lines(), ElementsAre("a 1", "b 2"));

  const std::string rest = gzip.compress("c 3\nfrag", Z_FINISH);
  ASSERT_TRUE(client.send_all(rest));
  ASSERT_TRUE(proxy->wait_for_lines(3, kWait));
  ::shutdown(client.fd(), SHUT_WR);
  ASSERT_TRUE(proxy->wait_for_closed_connections(1, kWait));
  EXPECT_THAT(proxy->lines(), ElementsAre("a 1", "b 2", "c 3"));
  EXPECT_EQ(proxy->discarded_fragments(), 1u);
  EXPECT_EQ(proxy->received(), flushed + rest);  // raw bytes stay raw
  EXPECT_EQ(proxy->received().substr(0, 2), "\x1f\x8b");
  EXPECT_EQ(proxy->decode_errors(), 0u);
}

TEST(FakeProxyTest, InflatesGzipArrivingOneByteAtATime) {
  auto proxy = start(Behavior::one_byte_at_a_time());
  ASSERT_TRUE(proxy);
  Client client("127.0.0.1", proxy->port());
  Gzip gzip;
  ASSERT_TRUE(client.send_all(gzip.compress("slow 1\n", Z_FINISH)));
  ASSERT_TRUE(proxy->wait_for_lines(1, kWait));
  EXPECT_THAT(proxy->lines(), ElementsAre("slow 1"));
}

TEST(FakeProxyTest, LoneGzipMagicByteIsPlainText) {
  auto proxy = start(Behavior::one_byte_at_a_time());
  ASSERT_TRUE(proxy);
  Client client("127.0.0.1", proxy->port());
  ASSERT_TRUE(client.send_all("\x1fx\n"));
  ASSERT_TRUE(proxy->wait_for_lines(1, kWait));
  EXPECT_THAT(proxy->lines(), ElementsAre("\x1fx"));
}

TEST(FakeProxyTest, CountsCorruptGzip) {
  auto proxy = start();
  ASSERT_TRUE(proxy);
  Client client("127.0.0.1", proxy->port());
  const std::string corrupt = std::string("\x1f\x8b\x08\x00", 4) + std::string(40, '\xff');
  ASSERT_TRUE(client.send_all(corrupt));
  ASSERT_TRUE(proxy->wait_for_bytes(corrupt.size(), kWait));
  EXPECT_EQ(proxy->decode_errors(), 1u);
  EXPECT_EQ(proxy->line_count(), 0u);
}

TEST(FakeProxyTest, BehaviourChangesWhileClientsSendLoseNothing) {
  auto proxy = start();
  ASSERT_TRUE(proxy);
  constexpr int kClients = 4;
  constexpr int kLines = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> senders;
  for (int c = 0; c < kClients; ++c) {
    senders.emplace_back([&, c] {
      Client client("127.0.0.1", proxy->port());
      for (int i = 0; i < kLines; ++i) {
        if (!client.send_all("c" + std::to_string(c) + " " + std::to_string(i) + "\n")) ++failures;
      }
      ::shutdown(client.fd(), SHUT_WR);
      if (client.wait_for_close() != 0) ++failures;  // the proxy closes after reading everything
    });
  }
  for (int round = 0; round < 20; ++round) {
    proxy->set_behavior(round % 2 == 0 ? Behavior::one_byte_at_a_time() : Behavior::normal());
    (void)proxy->lines();
    (void)proxy->connections();
  }
  proxy->set_behavior(Behavior::normal());
  for (auto& sender : senders) sender.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_TRUE(proxy->wait_for_lines(kClients * kLines, kWait));
  EXPECT_EQ(proxy->connection_count(), static_cast<std::size_t>(kClients));
  EXPECT_EQ(proxy->discarded_fragments(), 0u);
}

std::size_t open_fds() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++count;
  return count;
}

TEST(FakeProxyTest, LeaksNoFileDescriptors) {
  if (!std::filesystem::exists("/proc/self/fd")) GTEST_SKIP() << "no /proc/self/fd";
  const std::size_t before = open_fds();
  {
    auto proxy = start(Behavior::stop_reading());
    ASSERT_TRUE(proxy);
    Client a("127.0.0.1", proxy->port());
    Client b("127.0.0.1", proxy->port());
    ASSERT_TRUE(proxy->wait_for_connections(2, kWait));
    proxy->stop();
    ASSERT_TRUE(proxy->restart());
    Client c("127.0.0.1", proxy->port());
    ASSERT_TRUE(proxy->wait_for_connections(3, kWait));
  }  // destroyed with a connection open
  EXPECT_EQ(open_fds(), before);
}

}  // namespace
}  // namespace wavefront::testing
