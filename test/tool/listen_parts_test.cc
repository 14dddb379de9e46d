// Unit tests of the pieces of `wfsend listen`: the HTTP request parser and the direct-ingestion event
// JSON (its line splitting and paced gzip input are tools/input/, tested in input_test.cc).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "receiver/http_request.h"
#include "tool/listen_test_util.h"
#include "wavefront/event_json.h"

namespace wfreceiver {
namespace {

using Step = HttpRequestParser::Step;

struct Parsed {
  std::vector<Step> steps;
  std::string body;
  std::string method, target, path, query;
  std::optional<std::uint64_t> content_length;
  bool chunked = false, keep_alive = false, expect_continue = false;
  int error_status = 0;
  std::string error_message;
};

// Feeds `input` in pieces of `piece` bytes and records every step.
Parsed parse_all(HttpRequestParser& parser, std::string_view input, std::size_t piece) {
  Parsed parsed;
  for (std::size_t offset = 0; offset <= input.size();) {
    const std::string_view chunk = input.substr(offset, piece);
    std::size_t used = 0;
    for (;;) {
      const auto result = parser.parse(chunk.substr(used));
      used += result.consumed;
      if (result.step == Step::need_more) break;
      parsed.steps.push_back(result.step);
      if (result.step == Step::head) {
        const HttpRequest& request = parser.request();
        parsed.method = std::string(request.method);
        parsed.target = std::string(request.target);
        parsed.path = std::string(request.path);
        parsed.query = std::string(request.query);
        parsed.content_length = request.content_length;
        parsed.chunked = request.chunked;
        parsed.keep_alive = request.keep_alive;
        parsed.expect_continue = request.expect_continue;
      }
      if (result.step == Step::body) parsed.body.append(result.body);
      if (result.step == Step::error) {
        parsed.error_status = parser.error_status();
        parsed.error_message = parser.error_message();
        return parsed;
      }
      if (result.step == Step::complete) parser.reset();
    }
    if (chunk.empty()) break;
    offset += chunk.size();
  }
  return parsed;
}

class HttpParserTest : public ::testing::TestWithParam<std::size_t> {};

TEST_P(HttpParserTest, ContentLengthBodyInAnyPieces) {
  HttpRequestParser parser;
  const Parsed parsed = parse_all(
      parser, "POST /report?f=wavefront HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world",
      GetParam());
  EXPECT_EQ(parsed.method, "POST");
  EXPECT_EQ(parsed.path, "/report");
  EXPECT_EQ(parsed.query, "f=wavefront");
  EXPECT_EQ(parsed.content_length, 11u);
  EXPECT_TRUE(parsed.keep_alive);
  EXPECT_EQ(parsed.body, "hello world");
  EXPECT_EQ(parsed.steps.front(), Step::head);
  EXPECT_EQ(parsed.steps.back(), Step::complete);
}

TEST_P(HttpParserTest, ChunkedBodyWithExtensionsAndTrailers) {
  HttpRequestParser parser;
  const Parsed parsed = parse_all(parser,
                                  "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  "5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n",
                                  GetParam());
  EXPECT_TRUE(parsed.chunked);
  EXPECT_EQ(parsed.body, "hello 0123456789");
  EXPECT_EQ(parsed.steps.back(), Step::complete);
}

TEST_P(HttpParserTest, PipelinedRequests) {
  HttpRequestParser parser;
  const Parsed parsed =
      parse_all(parser,
                "GET /health HTTP/1.1\r\n\r\nPOST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
                "\r\nPOST /b HTTP/1.0\r\nContent-Length: 0\r\n\r\n",
                GetParam());
  int completes = 0;
  for (Step step : parsed.steps) completes += step == Step::complete ? 1 : 0;
  EXPECT_EQ(completes, 3);
  EXPECT_EQ(parsed.body, "abc");
  EXPECT_EQ(parsed.path, "/b");
  EXPECT_FALSE(parsed.keep_alive);  // HTTP/1.0 without keep-alive
}

INSTANTIATE_TEST_SUITE_P(Pieces, HttpParserTest, ::testing::Values(1, 2, 3, 7, 64, 100000));

TEST(HttpParser, HeadersAndConnectionRules) {
  HttpRequestParser parser;
  Parsed parsed =
      parse_all(parser,
                "POST /x HTTP/1.1\r\nconnection: Close\r\nEXPECT: 100-continue\r\n"
                "Content-Encoding:  gzip \r\nAuthorization: Bearer abc\r\nContent-Length: 0\r\n\r\n",
                1000);
  EXPECT_FALSE(parsed.keep_alive);
  EXPECT_TRUE(parsed.expect_continue);
  parser.reset();
  ASSERT_EQ(parser.parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\nX-Y: z\r\n\r\n").step, Step::head);
  EXPECT_TRUE(parser.request().keep_alive);
  EXPECT_EQ(parser.request().header("x-y"), "z");
  parser.reset();
  ASSERT_EQ(parser.parse("POST / HTTP/1.1\nContent-Encoding: gzip\nAuthorization: Bearer t\n\n").step,
            Step::head);
  EXPECT_EQ(parser.request().content_encoding, "gzip");
  EXPECT_EQ(parser.request().authorization, "Bearer t");
}

TEST(HttpParser, RefusesMalformedRequests) {
  const std::vector<std::pair<std::string, int>> cases = {
      {"GARBAGE\r\n\r\n", 400},
      {"GET / HTTP/2.0\r\n\r\n", 505},
      {"GET / FTP/1.0\r\n\r\n", 400},
      {"GET  / HTTP/1.1\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nAuthorization: Bearer a\r\nauthorization: Bearer a\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {"POST / HTTP/1.1\r\nExpect: magic\r\n\r\n", 417},
      {"POST / HTTP/1.1\r\n folded: header\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nbad header\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1234567890123456\r\n", 400},
  };
  for (const auto& [input, status] : cases) {
    HttpRequestParser parser;
    const Parsed parsed = parse_all(parser, input, 1000);
    EXPECT_EQ(parsed.error_status, status) << input;
  }
}

TEST(HttpParser, BoundsTheHeadAndChunkLines) {
  HttpRequestParser parser(HttpParserLimits{1024, 64});
  std::string head = "GET / HTTP/1.1\r\nX: " + std::string(5000, 'a');
  Parsed parsed = parse_all(parser, head, 100);
  EXPECT_EQ(parsed.error_status, 431);

  HttpRequestParser chunks(HttpParserLimits{1024, 64});
  parsed = parse_all(chunks,
                     "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;" + std::string(200, 'e'), 10);
  EXPECT_EQ(parsed.error_status, 400);

  HttpRequestParser trailers(HttpParserLimits{1024, 64});
  parsed = parse_all(
      trailers, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + std::string(3000, 't'), 10);
  EXPECT_EQ(parsed.error_status, 431);
}

// A refusal names the same reason whether the bytes come whole or cut anywhere: Beast is shown at most
// one line's limit of a chunk-size line either way (found by listen_fuzz: an over-long line of non-hex
// bytes was "bad chunk" whole and "too long" cut; one with a long extension was accepted whole).
TEST(HttpParser, RefusalsDoNotDependOnTheCut) {
  const std::string chunked = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc";
  const struct {
    std::string rest;  // from the end of the first chunk's data on
    int status;
    std::string message;
  } cases[] = {
      {"\r\n" + std::string(120, '\xff') + "0\r\n0\r\n\r\n", 400, "chunk-size line too long"},
      {"\r\n1;" + std::string(200, 'e') + "\r\nx\r\n0\r\n\r\n", 400, "chunk-size line too long"},
      {"\r\n0\r\n" + std::string(3000, 't') + "\r\n\r\n", 431, "trailers too long"},
      {"\r\n0\r\n\rT\nX: y\r\n\r\n", 400, "chunk line not ended by CRLF"},
      {"\r\nzz\r\nabc\r\n", 400, "malformed request: bad chunk"},
      // A CR then not LF after the data (listen_fuzz, CI of stop 15): refused for the data, however cut.
      {"\rT\n0\r\n\r\n", 400, "chunk data not followed by CRLF"},
      {"\r\r\n0\r\n\r\n", 400, "chunk data not followed by CRLF"},
  };
  for (const auto& refused : cases) {
    for (std::size_t piece : {1, 2, 3, 7, 64, 100000}) {
      HttpRequestParser parser(HttpParserLimits{1024, 64});
      const Parsed parsed = parse_all(parser, chunked + refused.rest, piece);
      EXPECT_EQ(parsed.error_status, refused.status) << refused.message << ", pieces of " << piece;
      EXPECT_EQ(parsed.error_message, refused.message) << "pieces of " << piece;
    }
  }
}

// Beast's chunked framing is strict: a head may end its lines with a bare LF (RFC 9112 §2.2), chunk
// lines may not.
TEST(HttpParser, ChunkedFramingNeedsCrlf) {
  for (std::size_t piece : {1, 5, 1000}) {
    HttpRequestParser parser;
    const Parsed parsed =
        parse_all(parser, "POST / HTTP/1.1\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n", piece);
    EXPECT_EQ(parsed.error_status, 400) << piece;
  }
}

// Trailer fields are read and dropped: one named Authorization is not a second Authorization header,
// and the next request on the connection parses normally.
TEST(HttpParser, TrailersAreReadAndIgnored) {
  for (std::size_t piece : {1, 4, 1000}) {
    HttpRequestParser parser;
    const Parsed parsed =
        parse_all(parser,
                  "POST /a HTTP/1.1\r\nAuthorization: Bearer t\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "3\r\nabc\r\n0\r\nAuthorization: Bearer u\r\nX: y\r\n\r\n"
                  "GET /health HTTP/1.1\r\n\r\n",
                  piece);
    EXPECT_EQ(parsed.error_status, 0) << piece;
    EXPECT_EQ(parsed.body, "abc") << piece;
    EXPECT_EQ(parsed.path, "/health") << piece;
    EXPECT_EQ(std::count(parsed.steps.begin(), parsed.steps.end(), Step::complete), 2) << piece;
  }
}

TEST(QueryParameter, FindsValues) {
  EXPECT_EQ(query_parameter("f=wavefront", "f"), "wavefront");
  EXPECT_EQ(query_parameter("a=1&format=histogram", "format"), "histogram");
  EXPECT_EQ(query_parameter("a=1&f", "f"), "");
  EXPECT_EQ(query_parameter("ff=1", "f"), std::nullopt);
}

TEST(EventJson, FormatsTheCanonicalEventLine) {
  wavefront::FormatOptions options;
  options.default_source = "10.0.0.1";
  std::string out;
  ASSERT_TRUE(wavefront::event_line_from_json(
                  out,
                  R"({"name":"deploy v42","annotations":{"severity":"info","type":"deploy"},)"
                  R"("hosts":["ci-1"],"tags":["release"],"startTime":1700000000000,)"
                  R"("endTime":1700000060000,"unknown":[1,2]})",
                  options)
                  .ok());
  EXPECT_EQ(out,
            "@Event 1700000000000 1700000060000 \"deploy v42\" \"severity\"=\"info\" \"type\"=\"deploy\" "
            "host=\"ci-1\" tag=\"release\"\n");
  out.clear();
  ASSERT_TRUE(wavefront::event_line_from_json(out, R"({"name":"x","startTime":5})", options).ok());
  EXPECT_EQ(out, "@Event 5 6 \"x\" host=\"10.0.0.1\"\n");
}

TEST(EventJson, RefusesWithAReason) {
  const wavefront::FormatOptions options;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "not JSON"},
      {"[1]", "one event object"},
      {R"({"startTime":1})", "\"name\" is missing"},
      {R"({"name":"x"})", "\"startTime\" is missing"},
      {R"({"name":"x","startTime":"soon"})", "startTime"},
      {R"({"name":"x","startTime":1,"hosts":["a","b"]})", "takes one"},
      {R"({"name":"x","startTime":1,"annotations":{"k":1}})", "annotations.k"},
      {R"({"name":"x","startTime":1,"tags":[1]})", "tags[]"},
      {R"({"name":"x","startTime":-5})", ""},
  };
  for (const auto& [body, fragment] : cases) {
    std::string out;
    const wavefront::Status status = wavefront::event_line_from_json(out, body, options);
    EXPECT_FALSE(status.ok()) << body;
    EXPECT_NE(status.message().find(fragment), std::string::npos) << body << " -> " << status.message();
    EXPECT_TRUE(out.empty());
  }
}

}  // namespace
}  // namespace wfreceiver
