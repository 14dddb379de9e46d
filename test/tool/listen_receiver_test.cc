// In-process tests of the `wfsend listen` Receiver: raw TCP lines (plain and gzip), kinded ports, HTTP
// /report and /api/v2/event, tokens, keep-alive, chunked bodies, 100-continue, and the answers to
// requests it does not serve.
#include <gtest/gtest.h>

#include "tool/listen_test_util.h"

namespace wfreceiver {
namespace {

using namespace std::chrono_literals;
using testing::RunningReceiver;
using testing::TestClient;
using wavefront::LineKind;

constexpr std::string_view kSpan =
    "getUser source=api-3 traceId=7b3bf470-9456-11e8-9eb6-529269fb1459 "
    "spanId=0313bafe-9457-11e8-9eb6-529269fb1459 application=shop service=users 1700000000123 45";
constexpr std::string_view kSpanLogs =
    R"({"traceId":"7b3bf470-9456-11e8-9eb6-529269fb1459","spanId":"0313bafe-9457-11e8-9eb6-529269fb1459",)"
    R"("logs":[{"timestamp":1700000000123000,"fields":{"event":"error"}}],)"
    R"("span":"getUser source=api-3 traceId=7b3bf470-9456-11e8-9eb6-529269fb1459 )"
    R"(spanId=0313bafe-9457-11e8-9eb6-529269fb1459 1700000000123 45"})";

// Stops the receiver and expects exactly one report, the one that contains `text`.
void expect_single_report(RunningReceiver& receiver, std::string_view text) {
  receiver.stop();
  const std::string reports = receiver.reports();
  EXPECT_EQ(testing::count_of(reports, "\n"), 1u) << reports;
  EXPECT_NE(reports.find(text), std::string::npos) << reports;
}

TEST(Receiver, WritesCanonicalLinesAndCountsThemPerKind) {
  RunningReceiver receiver;
  TestClient client(receiver.port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(
      client.send("cpu.usage 42.5 host=web-1 env=prod\n"
                  "requests 1\r\n"
                  "\n"
                  "!M 1700000040 #20 30 #10 5.1 request.latency source=app-1\n"
                  "@Event 1700000000000 1700000060000 \"deploy\" host=ci-1\n" +
                  std::string(kSpan) + "\n"));
  ASSERT_TRUE(receiver.wait_for_output_lines(5));
  EXPECT_EQ(receiver.output(),
            "\"cpu.usage\" 42.5 source=\"web-1\" \"env\"=\"prod\"\n"
            "\"requests\" 1 source=\"127.0.0.1\"\n"
            "!M 1700000040 #20 30 #10 5.1 \"request.latency\" source=\"app-1\"\n"
            "@Event 1700000000000 1700000060000 \"deploy\" host=\"ci-1\"\n"
            "\"getUser\" source=\"api-3\" traceId=7b3bf470-9456-11e8-9eb6-529269fb1459 "
            "spanId=0313bafe-9457-11e8-9eb6-529269fb1459 \"application\"=\"shop\" \"service\"=\"users\" "
            "1700000000123 45\n");
  EXPECT_EQ(receiver.accepted(LineKind::metric), 2u);
  EXPECT_EQ(receiver.accepted(LineKind::distribution), 1u);
  EXPECT_EQ(receiver.accepted(LineKind::event), 1u);
  EXPECT_EQ(receiver.accepted(LineKind::span), 1u);
  EXPECT_EQ(receiver.stats().connections, 1u);
}

TEST(Receiver, ReportsRejectedLinesWithLineColumnAndCode) {
  RunningReceiver receiver;
  TestClient client(receiver.port());
  ASSERT_TRUE(
      client.send("good 1 source=a\nbad value source=a\ngood 2 source=a\nname 1 source=a bad$key=1\n"));
  ASSERT_TRUE(receiver.wait_for_output_lines(2));
  ASSERT_TRUE(receiver.wait_for_report("line 4"));
  const std::string reports = receiver.reports();
  EXPECT_NE(reports.find("listen: 127.0.0.1:"), std::string::npos) << reports;
  EXPECT_NE(reports.find(": line 2: column 5: invalid_number: "), std::string::npos) << reports;
  EXPECT_NE(reports.find(": line 4: column 20: invalid_tag_key: "), std::string::npos) << reports;
  EXPECT_EQ(receiver.rejected(LineKind::metric), 2u);
  EXPECT_EQ(receiver.accepted(LineKind::metric), 2u);
}

TEST(Receiver, ReadsAGzipStreamOfLines) {
  RunningReceiver receiver;
  std::string text;
  for (int index = 0; index < 20000; ++index) text += "m" + std::to_string(index) + " 1 source=s\n";
  TestClient client(receiver.port());
  ASSERT_TRUE(client.send(testing::gzip(text)));
  ASSERT_TRUE(receiver.wait_for_output_lines(20000));
  EXPECT_EQ(receiver.accepted(LineKind::metric), 20000u);
  EXPECT_EQ(testing::split_lines(receiver.output()).back(), "\"m19999\" 1 source=\"s\"");
}

TEST(Receiver, PacedDecompressionLosesNothing) {
  ReceiverOptions options;
  options.turn_budget_bytes = 4096;  // many turns per read: leftovers everywhere
  RunningReceiver receiver(options);
  std::string text;
  for (int index = 0; index < 30000; ++index) text += "m" + std::to_string(index) + " 1 source=s\n";
  const std::string compressed = testing::gzip(text);
  TestClient stream(receiver.port());
  ASSERT_TRUE(stream.send(compressed));
  TestClient http(receiver.port());
  for (int request = 0; request < 3; ++request) {
    ASSERT_TRUE(
        http.send(testing::http_post("/report?f=wavefront", compressed, "Content-Encoding: gzip\r\n")));
    auto answer = http.read_answer();
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->body, "accepted 30000, rejected 0\n");
  }
  ASSERT_TRUE(receiver.wait_for_output_lines(4 * 30000));
  EXPECT_EQ(receiver.accepted(LineKind::metric), 4u * 30000);
}

TEST(Receiver, KindedPortsAdmitOnlyTheirKind) {
  ReceiverOptions options;
  options.distribution_port = 0;
  options.tracing_port = 0;
  RunningReceiver receiver(options);
  ASSERT_TRUE(receiver->distribution_port() && receiver->tracing_port());
  TestClient tracing(*receiver->tracing_port());
  ASSERT_TRUE(tracing.send(std::string(kSpan) + "\n" + std::string(kSpanLogs) + "\nmetric 1 source=a\n"));
  TestClient distribution(*receiver->distribution_port());
  ASSERT_TRUE(distribution.send("!M 1700000040 #1 2 d source=a\nmetric 1 source=a\n"));
  ASSERT_TRUE(receiver.wait_for_output_lines(3));
  ASSERT_TRUE(receiver.wait_for_report("distribution lines are expected"));
  ASSERT_TRUE(receiver.wait_for_report("span lines are expected"));
  EXPECT_EQ(receiver.accepted(LineKind::span), 1u);
  EXPECT_EQ(receiver.accepted(LineKind::span_logs), 1u);
  EXPECT_EQ(receiver.accepted(LineKind::distribution), 1u);
  EXPECT_EQ(receiver.rejected(LineKind::span), 1u);
  EXPECT_EQ(receiver.rejected(LineKind::distribution), 1u);
}

TEST(Receiver, UnterminatedLastLineIsReportedAsTheProxyDropsIt) {
  RunningReceiver receiver;
  {
    TestClient client(receiver.port());
    ASSERT_TRUE(client.send("a 1 source=s\nb 2 source=s"));
  }
  ASSERT_TRUE(receiver.wait_for_report("line 2: column 13: malformed_line: the connection ended"));
  EXPECT_EQ(receiver.output(), "\"a\" 1 source=\"s\"\n");
  EXPECT_EQ(receiver.rejected_once(LineKind::metric, 1), 1u);
}

TEST(Receiver, HttpReportPlainAndGzip) {
  RunningReceiver receiver;
  const auto plain = testing::curl_post(receiver.url() + "/report?f=wavefront", "a 1 source=s\nb 2");
  EXPECT_EQ(plain.status, 202) << plain.error;
  EXPECT_EQ(plain.body, "accepted 2, rejected 0\n");
  const auto zipped =
      testing::curl_post(receiver.url() + "/report?f=histogram",
                         testing::gzip("!M 1700000040 #1 2 d source=a\nnot a histogram\n"),
                         {"Content-Encoding: gzip", "Content-Type: application/octet-stream"});
  EXPECT_EQ(zipped.status, 202) << zipped.error;
  EXPECT_EQ(zipped.body, "accepted 1, rejected 1\n");
  // The lines are in the output before the answer is sent.
  EXPECT_EQ(receiver.output(),
            "\"a\" 1 source=\"s\"\n\"b\" 2 source=\"127.0.0.1\"\n!M 1700000040 #1 2 \"d\" source=\"a\"\n");
  EXPECT_EQ(receiver.rejected(LineKind::distribution), 1u);
  ASSERT_TRUE(receiver.wait_for_report("request 1: line 2: column 1: malformed_line"));
  EXPECT_EQ(receiver.stats().http_responses.at(202), 2u);
}

TEST(Receiver, HttpFormatsSelectTheKind) {
  RunningReceiver receiver;
  EXPECT_EQ(testing::curl_post(receiver.url() + "/report?f=trace", std::string(kSpan)).body,
            "accepted 1, rejected 0\n");
  EXPECT_EQ(testing::curl_post(receiver.url() + "/report?f=spanLogs", std::string(kSpanLogs)).body,
            "accepted 1, rejected 0\n");
  EXPECT_EQ(testing::curl_post(receiver.url() + "/x/y?format=event", "@Event 1 2 e host=h").body,
            "accepted 1, rejected 0\n");
  EXPECT_EQ(testing::curl_post(receiver.url() + "/report", "m 1 source=s\n" + std::string(kSpan)).body,
            "accepted 2, rejected 0\n");  // no f: detected per line
  EXPECT_EQ(testing::curl_post(receiver.url() + "/report?f=wavefront", std::string(kSpan)).body,
            "accepted 0, rejected 1\n");
  const auto unknown = testing::curl_post(receiver.url() + "/report?f=graphite", "m 1");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("unknown format"), std::string::npos);
}

TEST(Receiver, DirectIngestionEvents) {
  RunningReceiver receiver;
  const auto good = testing::curl_post(
      receiver.url() + "/api/v2/event",
      R"({"name":"deploy","annotations":{"severity":"info"},"hosts":["ci-1"],"tags":["r"],"startTime":1700000000000,"endTime":1700000060000})",
      {"Content-Type: application/json"});
  EXPECT_EQ(good.status, 202) << good.error;
  EXPECT_EQ(receiver.output(),
            "@Event 1700000000000 1700000060000 \"deploy\" \"severity\"=\"info\" host=\"ci-1\" tag=\"r\"\n");
  const auto bad = testing::curl_post(receiver.url() + "/api/v2/event", R"({"name":"x"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body, "malformed_line: \"startTime\" is missing\n");
  EXPECT_EQ(receiver.accepted(LineKind::event), 1u);
  EXPECT_EQ(receiver.rejected(LineKind::event), 1u);
  ASSERT_TRUE(receiver.wait_for_report("answered 400 Bad Request: malformed_line: \"startTime\" is missing"));
}

TEST(Receiver, BodyLabelledGzipThatIsNotGzipIsRefusedWhole) {
  RunningReceiver receiver;
  const std::string fault = "Content-Encoding says gzip but the body is not gzip data (no gzip magic bytes";
  // What the Python SDK's direct-ingestion client sends for an event: plain JSON labelled gzip.
  const auto event = testing::curl_post(
      receiver.url() + "/api/v2/event",
      R"({"name":"deploy","hosts":["ci-1"],"startTime":1700000000000,"endTime":1700000060000})",
      {"Content-Type: application/json", "Content-Encoding: gzip"});
  EXPECT_EQ(event.status, 400) << event.error;
  EXPECT_EQ(event.body.rfind(fault, 0), 0u) << event.body;
  const auto lines = testing::curl_post(receiver.url() + "/report?f=wavefront",
                                        "a 1 source=s\nb 2 source=s\n", {"Content-Encoding: gzip"});
  EXPECT_EQ(lines.status, 400) << lines.error;
  EXPECT_EQ(lines.body.rfind(fault, 0), 0u) << lines.body;
  EXPECT_EQ(receiver.output(), "");
  EXPECT_EQ(receiver.accepted(LineKind::metric) + receiver.accepted(LineKind::event), 0u);
  // A single byte that could start gzip, then the end, is a truncated body.
  TestClient client(receiver.port());
  ASSERT_TRUE(client.send(testing::http_post("/report", "\x1f", "Content-Encoding: gzip\r\n")));
  const auto answer = client.read_answer();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 400);
  EXPECT_EQ(answer->body.rfind("truncated gzip body", 0), 0u) << answer->body;
}

TEST(Receiver, TruncatedGzipBodyIsReportedOnceAndKeepsNoLine) {
  RunningReceiver receiver;
  const auto answer =
      testing::curl_post(receiver.url() + "/report?f=wavefront",
                         testing::gzip_unfinished("a 1 source=s\nb 2 sou"), {"Content-Encoding: gzip"});
  EXPECT_EQ(answer.status, 400) << answer.error;
  EXPECT_EQ(answer.body.rfind("truncated gzip body", 0), 0u) << answer.body;
  EXPECT_EQ(receiver.output(), "");
  EXPECT_EQ(receiver.accepted(LineKind::metric), 0u);
  EXPECT_EQ(receiver.rejected(LineKind::metric), 0u);
  expect_single_report(receiver, "answered 400 Bad Request: truncated gzip body");
  // The same cut on a raw gzip stream: the complete line counts, the piece of the cut is not a line.
  RunningReceiver stream_receiver;
  {
    TestClient client(stream_receiver.port());
    ASSERT_TRUE(client.send(testing::gzip_unfinished("a 1 source=s\nb 2 sou")));
  }
  ASSERT_TRUE(stream_receiver.wait_for_report("the gzip stream ended in the middle of a gzip member"));
  EXPECT_EQ(stream_receiver.output(), "\"a\" 1 source=\"s\"\n");
  EXPECT_EQ(stream_receiver.rejected(LineKind::metric), 0u);
  expect_single_report(stream_receiver, "the gzip stream ended in the middle of a gzip member");
}

TEST(Receiver, TokenIsRequiredForHttpWhenSet) {
  ReceiverOptions options;
  options.token = "s3cret-token";
  RunningReceiver receiver(options);
  const auto missing = testing::curl_post(receiver.url() + "/report?f=wavefront", "a 1 source=s");
  EXPECT_EQ(missing.status, 401);
  const auto wrong = testing::curl_post(receiver.url() + "/report?f=wavefront", "a 1 source=s",
                                        {"Authorization: Bearer s3cret-tokeX"});
  EXPECT_EQ(wrong.status, 401);
  const auto longer = testing::curl_post(receiver.url() + "/report?f=wavefront", "a 1 source=s",
                                         {"Authorization: Bearer s3cret-token2"});
  EXPECT_EQ(longer.status, 401);
  const auto good = testing::curl_post(receiver.url() + "/report?f=wavefront", "a 1 source=s",
                                       {"Authorization: Bearer s3cret-token"});
  EXPECT_EQ(good.status, 202);
  EXPECT_EQ(receiver.output(), "\"a\" 1 source=\"s\"\n");
  EXPECT_EQ(receiver.stats().http_responses.at(401), 3u);
  receiver.stop();
  EXPECT_EQ(receiver.reports().find("s3cret"), std::string::npos);
}

TEST(Receiver, TwoAuthorizationHeadersAreRefusedWhicheverComesLast) {
  ReceiverOptions options;
  options.token = "SECRET";
  RunningReceiver receiver(options);
  for (const char* headers : {"Authorization: Bearer WRONG\r\nAuthorization: Bearer SECRET\r\n",
                              "Authorization: Bearer SECRET\r\nAuthorization: Bearer WRONG\r\n"}) {
    TestClient client(receiver.port());
    ASSERT_TRUE(client.send(testing::http_post("/report?f=wavefront", "a 1 source=s\n", headers)));
    const auto answer = client.read_answer();
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 400) << headers;
    EXPECT_EQ(answer->body, "more than one Authorization header\n");
    EXPECT_TRUE(answer->closes);
  }
  EXPECT_EQ(receiver.output(), "");
  EXPECT_EQ(receiver.accepted(LineKind::metric), 0u);
}

TEST(Receiver, StatsNeedTheTokenButHealthDoesNot) {
  ReceiverOptions options;
  options.token = "SECRET";
  RunningReceiver receiver(options);
  TestClient client(receiver.port());
  ASSERT_TRUE(
      client.send("GET /stats HTTP/1.1\r\n\r\nHEAD /stats HTTP/1.1\r\nAuthorization: Bearer WRONG\r\n\r\n"
                  "GET /health HTTP/1.1\r\n\r\nGET /stats HTTP/1.1\r\nAuthorization: Bearer SECRET\r\n\r\n"));
  auto stats = client.read_answer();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 401);
  EXPECT_NE(stats->head.find("WWW-Authenticate: Bearer"), std::string::npos);
  EXPECT_EQ(stats->body.find("\"http\""), std::string::npos) << stats->body;
  auto head = client.read_answer(10s, true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 401);
  auto health = client.read_answer();
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok\n");
  auto allowed = client.read_answer();
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200);
  EXPECT_NE(allowed->body.find("\"http\":{\"requests\":4"), std::string::npos) << allowed->body;
}

TEST(Receiver, KeepAliveServesSeveralRequestsOnOneConnection) {
  RunningReceiver receiver;
  TestClient client(receiver.port());
  ASSERT_TRUE(client.send(testing::http_post("/report?f=wavefront", "a 1 source=s\n")));
  auto first = client.read_answer();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 202);
  EXPECT_FALSE(first->closes);
  // Two pipelined requests in one write, one of them chunked.
  ASSERT_TRUE(client.send(testing::http_post("/report?f=wavefront", "b 2 source=s\n") +
                          "POST /report?f=wavefront HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "6\r\nc 3 so\r\n8\r\nurce=s\nd\r\n9\r\n 4 source\r\n3\r\n=s\n\r\n0\r\n\r\n"));
  auto second = client.read_answer();
  auto third = client.read_answer();
  ASSERT_TRUE(second && third);
  EXPECT_EQ(second->body, "accepted 1, rejected 0\n");
  EXPECT_EQ(third->body, "accepted 2, rejected 0\n");
  EXPECT_EQ(receiver.output(),
            "\"a\" 1 source=\"s\"\n\"b\" 2 source=\"s\"\n\"c\" 3 source=\"s\"\n\"d\" 4 source=\"s\"\n");
  EXPECT_EQ(receiver.stats().connections, 1u);
}

TEST(Receiver, ExpectContinueGetsAnInterimAnswer) {
  RunningReceiver receiver;
  TestClient client(receiver.port());
  const std::string body = "a 1 source=s\n";
  ASSERT_TRUE(client.send("POST /report?f=wavefront HTTP/1.1\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = client.read_answer();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.send(body));
  auto final_answer = client.read_answer();
  ASSERT_TRUE(final_answer);
  EXPECT_EQ(final_answer->status, 202);

  // Refused before the body: no 100, the final answer at once, then the connection closes.
  TestClient refused(receiver.port());
  ASSERT_TRUE(
      refused.send("POST /report?f=nope HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  auto answer = refused.read_answer();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 400);
  EXPECT_TRUE(answer->closes);
  EXPECT_TRUE(refused.wait_closed(10s));
}

TEST(Receiver, LargeBodyWithCurlExpect100) {
  RunningReceiver receiver;
  std::string body;
  for (int index = 0; body.size() < 3 * 1024 * 1024; ++index)
    body += "m" + std::to_string(index) + " 1 source=s\n";
  const std::size_t lines = testing::count_of(body, "\n");
  const auto answer =
      testing::curl_post(receiver.url() + "/report?f=wavefront", body, {"Expect: 100-continue"});
  EXPECT_EQ(answer.status, 202) << answer.error;
  EXPECT_EQ(answer.body, "accepted " + std::to_string(lines) + ", rejected 0\n");
  EXPECT_EQ(testing::count_of(receiver.output(), "\n"), lines);
}

TEST(Receiver, AnswersWhatItDoesNotServe) {
  RunningReceiver receiver;
  TestClient client(receiver.port());
  ASSERT_TRUE(
      client.send("GET /health HTTP/1.1\r\n\r\nHEAD /health HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n"
                  "DELETE /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /stats HTTP/1.1\r\n\r\n"));
  auto health = client.read_answer();
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok\n");
  auto head = client.read_answer(10s, true);  // Content-Length 3 but no body
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_NE(head->head.find("Content-Length: 3"), std::string::npos);
  auto root = client.read_answer();
  ASSERT_TRUE(root);
  EXPECT_EQ(root->status, 404);
  EXPECT_NE(root->body.find("/report?f="), std::string::npos);
  EXPECT_FALSE(root->closes);
  auto method = client.read_answer();
  ASSERT_TRUE(method);
  EXPECT_EQ(method->status, 405);
  EXPECT_NE(method->head.find("Allow: GET, HEAD, POST"), std::string::npos);
  auto stats = client.read_answer();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
  EXPECT_NE(stats->body.find("\"http\":{\"requests\":5"), std::string::npos) << stats->body;
}

TEST(Receiver, MalformedHttpGets400AndClose) {
  RunningReceiver receiver;
  TestClient client(receiver.port());
  ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nno colon here\r\n\r\n"));
  auto answer = client.read_answer();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 400);
  EXPECT_TRUE(answer->closes);
  EXPECT_TRUE(client.wait_closed(10s));
}

TEST(Receiver, StopDrainsWhatClientsAlreadySent) {
  RunningReceiver receiver;
  TestClient client(receiver.port());
  std::string text;
  for (int index = 0; index < 1000; ++index) text += "m" + std::to_string(index) + " 1 source=s\n";
  ASSERT_TRUE(client.send(text));
  ASSERT_TRUE(wavefront::testing::eventually([&] { return receiver.stats().bytes_received > 0; }));
  receiver.stop();
  EXPECT_EQ(receiver.accepted(LineKind::metric), 1000u);
  EXPECT_EQ(testing::count_of(receiver.output(), "\n"), 1000u);
  EXPECT_EQ(receiver.stats().connections_open, 0u);
}

}  // namespace
}  // namespace wfreceiver
