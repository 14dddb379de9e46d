// `wfsend listen` against hostile and broken clients, in process: overlong lines, gzip bombs, slowloris,
// silent clients, too many connections, half requests and resets, oversized heads and bodies, and a
// client that pipelines without reading. Each time the receiver must stay bounded and keep serving.
#include <gtest/gtest.h>

#include <thread>

#include "tool/listen_test_util.h"

namespace wfreceiver {
namespace {

using namespace std::chrono_literals;
using testing::RunningReceiver;
using testing::TestClient;
using wavefront::LineKind;

// A well-behaved client gets its answer while something else is going on.
void expect_served(RunningReceiver& receiver) {
  const auto answer = testing::curl_post(receiver.url() + "/report?f=wavefront", "ok 1 source=s\n");
  EXPECT_EQ(answer.status, 202) << answer.error;
}

TEST(ReceiverHostile, OverlongLineIsSkippedAndLaterLinesAccepted) {
  ReceiverOptions options;
  options.max_line_length = 4096;
  RunningReceiver receiver(options);
  TestClient client(receiver.port());
  ASSERT_TRUE(client.send("first 1 source=s\n"));
  const std::string chunk(1 << 20, 'x');
  for (int index = 0; index < 16; ++index) ASSERT_TRUE(client.send(chunk));  // a 16 MiB line
  ASSERT_TRUE(client.send("\nafter 2 source=s\n"));
  ASSERT_TRUE(receiver.wait_for_output_lines(2));
  EXPECT_EQ(receiver.output(), "\"first\" 1 source=\"s\"\n\"after\" 2 source=\"s\"\n");
  ASSERT_TRUE(receiver.wait_for_report("line 2: column 4097: line_too_long"));
  EXPECT_EQ(testing::count_of(receiver.reports(), "line_too_long"), 1u);
  EXPECT_EQ(receiver.rejected(LineKind::metric), 1u);
}

TEST(ReceiverHostile, OverlongLineInAnHttpBody) {
  ReceiverOptions options;
  options.max_line_length = 100;
  RunningReceiver receiver(options);
  const auto answer = testing::curl_post(receiver.url() + "/report?f=wavefront",
                                         "a 1 source=s\n" + std::string(1000, 'y') + "\nb 2 source=s\n");
  EXPECT_EQ(answer.body, "accepted 2, rejected 1\n");
}

TEST(ReceiverHostile, GzipBombGets413AndLeavesNothing) {
  ReceiverOptions options;
  options.max_body_bytes = 4 << 20;
  RunningReceiver receiver(options);
  std::string body;
  for (int index = 0; index < 100; ++index) body += "early" + std::to_string(index) + " 1 source=s\n";
  const std::string bomb = testing::gzip(body) + testing::gzip_zeros(std::size_t{256} << 20);
  const auto answer =
      testing::curl_post(receiver.url() + "/report?f=wavefront", bomb, {"Content-Encoding: gzip"});
  EXPECT_EQ(answer.status, 413) << answer.error;
  EXPECT_EQ(receiver.output(), "");  // the lines before the bomb are not kept either
  EXPECT_EQ(receiver.accepted(LineKind::metric), 0u);
  expect_served(receiver);
}

TEST(ReceiverHostile, BodyTooLargeByContentLength) {
  ReceiverOptions options;
  options.max_body_bytes = 1000;
  RunningReceiver receiver(options);
  TestClient client(receiver.port());
  ASSERT_TRUE(client.send("POST /report HTTP/1.1\r\nContent-Length: 5000\r\n\r\n" + std::string(100, 'a')));
  auto answer = client.read_answer();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 413);
  EXPECT_TRUE(answer->closes);
  // A chunked body that grows past the limit.
  TestClient chunked(receiver.port());
  std::string request = "POST /report HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int index = 0; index < 20; ++index) request += "64\r\n" + std::string(99, 'b') + "\n\r\n";
  ASSERT_TRUE(chunked.send(request));
  answer = chunked.read_answer();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 413);
  EXPECT_EQ(receiver.output(), "");
}

TEST(ReceiverHostile, HugeHeadGets431) {
  ReceiverOptions options;
  options.max_head_bytes = 4096;
  RunningReceiver receiver(options);
  TestClient client(receiver.port());
  ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nX-Big: " + std::string(10000, 'h') + "\r\n\r\n"));
  auto answer = client.read_answer();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 431);
  EXPECT_TRUE(client.wait_closed(10s));
}

TEST(ReceiverHostile, SlowlorisIsClosedWhileOthersAreServed) {
  ReceiverOptions options;
  options.request_timeout = 600ms;
  options.idle_timeout = 10s;
  RunningReceiver receiver(options);
  TestClient slow(receiver.port());
  ASSERT_TRUE(slow.send("POST /report HTTP/1.1\r\nContent-Length: 100\r\n"));
  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  std::string received;
  // Trickle a byte now and then (never idle), serving another client each time.
  while (!closed && std::chrono::steady_clock::now() - start < 10s) {
    expect_served(receiver);
    slow.send("X");
    auto text = slow.read_until_closed(100ms, &closed);
    if (text) received += *text;
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_NE(received.find("408 Request Timeout"), std::string::npos) << received;
  EXPECT_GE(receiver.stats().connections_timed_out, 1u);
}

TEST(ReceiverHostile, SlowLineOverRawTcpIsClosed) {
  ReceiverOptions options;
  options.request_timeout = 500ms;
  RunningReceiver receiver(options);
  TestClient slow(receiver.port());
  ASSERT_TRUE(slow.send("done 1 source=s\nslow"));
  EXPECT_TRUE(slow.wait_closed(10s));
  ASSERT_TRUE(receiver.wait_for_report("a line not finished within 500 ms"));
  EXPECT_EQ(receiver.output(), "\"done\" 1 source=\"s\"\n");
}

TEST(ReceiverHostile, SilentClientIsClosedAfterTheIdleTimeout) {
  ReceiverOptions options;
  options.idle_timeout = 300ms;
  RunningReceiver receiver(options);
  TestClient silent(receiver.port());
  ASSERT_TRUE(silent.connected());
  expect_served(receiver);
  EXPECT_TRUE(silent.wait_closed(10s));
  ASSERT_TRUE(receiver.wait_for_report("nothing received for 300 ms"));
  EXPECT_EQ(receiver.stats().connections_timed_out, 1u);
}

TEST(ReceiverHostile, ConnectionsOverTheMaximumAreClosed) {
  ReceiverOptions options;
  options.max_connections = 2;
  RunningReceiver receiver(options);
  TestClient first(receiver.port());
  TestClient second(receiver.port());
  ASSERT_TRUE(first.send("a 1 source=s\n"));
  ASSERT_TRUE(second.send("b 1 source=s\n"));
  ASSERT_TRUE(receiver.wait_for_output_lines(2));
  TestClient third(receiver.port());
  EXPECT_TRUE(third.wait_closed(10s));
  EXPECT_EQ(receiver.stats().connections_refused, 1u);
  ASSERT_TRUE(receiver.wait_for_report("connections are open (--max-connections)"));
  // A slot frees when a client leaves.
  first.reset();
  ASSERT_TRUE(wavefront::testing::eventually([&] { return receiver.stats().connections_open == 1; }));
  TestClient fourth(receiver.port());
  ASSERT_TRUE(fourth.send("d 1 source=s\n"));
  ASSERT_TRUE(receiver.wait_for_output_lines(3));
}

TEST(ReceiverHostile, UnfinishedRawLinesShareMaxBufferedBytes) {
  ReceiverOptions options;
  options.max_buffered_bytes = std::size_t{2} << 20;
  RunningReceiver receiver(options);
  // Each client holds an unfinished line of 600 KB: a few fit in 2 MiB, the next is closed.
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int index = 0; index < 6; ++index) {
    clients.push_back(std::make_unique<TestClient>(receiver.port()));
    ASSERT_TRUE(clients.back()->send(std::string(600000, 'u')));
  }
  ASSERT_TRUE(receiver.wait_for_report(
      "more than 2097152 bytes held for unfinished lines and requests (--max-buffered-bytes); closing"));
  ASSERT_TRUE(wavefront::testing::eventually([&] { return receiver.stats().connections_open < 6; }));
  expect_served(receiver);
}

TEST(ReceiverHostile, HalfARequestThenAReset) {
  RunningReceiver receiver;
  {
    TestClient client(receiver.port());
    ASSERT_TRUE(
        client.send("POST /report?f=wavefront HTTP/1.1\r\nContent-Length: 1000\r\n\r\na 1 source=s\nb 2"));
    ASSERT_TRUE(wavefront::testing::eventually([&] { return receiver.stats().http_requests == 1; }));
    client.reset();
  }
  ASSERT_TRUE(wavefront::testing::eventually([&] { return receiver.stats().connections_open == 0; }));
  EXPECT_EQ(receiver.output(), "");  // an unfinished request leaves nothing
  expect_served(receiver);
}

TEST(ReceiverHostile, CorruptGzipStreamIsReportedAndClosed) {
  RunningReceiver receiver;
  TestClient client(receiver.port());
  ASSERT_TRUE(client.send(std::string("\x1f\x8b", 2) + std::string(100, 'z')));
  EXPECT_TRUE(client.wait_closed(10s));
  ASSERT_TRUE(receiver.wait_for_report("not a valid gzip stream"));
}

TEST(ReceiverHostile, PipeliningWithoutReadingIsBounded) {
  RunningReceiver receiver;
  TestClient greedy(receiver.port());
  // Thousands of tiny requests whose answers are never read.
  std::string requests;
  for (int index = 0; index < 2000; ++index) requests += "GET /health HTTP/1.1\r\n\r\n";
  std::thread writer([&] {
    for (int round = 0; round < 50; ++round) {
      if (!greedy.send(requests)) break;
    }
  });
  expect_served(receiver);
  ASSERT_TRUE(wavefront::testing::eventually([&] { return receiver.stats().http_requests > 1000; }));
  greedy.shutdown_both();
  writer.join();
  expect_served(receiver);
}

TEST(ReceiverHostile, FloodOfBadLinesIsRateLimited) {
  ReceiverOptions options;
  options.max_reports_per_second = 10;
  RunningReceiver receiver(options);
  TestClient client(receiver.port());
  std::string garbage;
  for (int index = 0; index < 5000; ++index) garbage += "bad line here\n";
  ASSERT_TRUE(client.send(garbage));
  ASSERT_TRUE(wavefront::testing::eventually([&] { return receiver.rejected(LineKind::metric) == 5000; }));
  receiver.stop();
  const std::string reports = receiver.reports();
  EXPECT_LE(testing::count_of(reports, "invalid_number"), 10u * 3);
  EXPECT_NE(reports.find("more reports not shown"), std::string::npos);
  EXPECT_GT(receiver.stats().reports_suppressed, 4000u);
}

}  // namespace
}  // namespace wfreceiver
