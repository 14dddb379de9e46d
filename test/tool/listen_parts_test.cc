// Unit tests of the pieces of `wfsend listen`: the HTTP request parser, the line splitter, paced gzip
// input, and the direct-ingestion event JSON.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "receiver/http_request.h"
#include "receiver/line_input.h"
#include "receiver/line_splitter.h"
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

TEST(LineSplitter, SplitsAcrossPiecesAndSkipsLongLines) {
  LineSplitter splitter(10);
  std::vector<std::string> lines;
  std::vector<std::uint64_t> too_long;
  auto feed = [&](std::string_view data) {
    splitter.feed(
        data,
        [&](std::string_view line, std::uint64_t number) {
          lines.push_back(std::to_string(number) + ":" + std::string(line));
        },
        [&](std::string_view, std::uint64_t number) { too_long.push_back(number); });
  };
  feed("ab");
  feed("c\r\nde");
  feed("f\n0123456789ABC");  // line 3 goes over the limit while still open
  feed("DEFGHIJ");
  feed("KL\nok\n");
  feed("0123456789toolong\nlast");
  splitter.finish([&](std::string_view line, std::uint64_t number) {
    lines.push_back("last " + std::to_string(number) + ":" + std::string(line));
  });
  EXPECT_EQ(lines, (std::vector<std::string>{"1:abc", "2:def", "4:ok", "last 6:last"}));
  EXPECT_EQ(too_long, (std::vector<std::uint64_t>{3, 5}));
  EXPECT_FALSE(splitter.in_line());
}

struct Collect final : LineTarget {
  std::vector<std::string> lines;
  std::size_t too_long = 0;
  void on_line(std::string_view line, std::uint64_t) override { lines.emplace_back(line); }
  void on_too_long(std::string_view, std::uint64_t) override { ++too_long; }
};

TEST(LineInput, PacesDecompressionByTheBudget) {
  std::string scratch(4096, '\0');
  LineInput input(1000, scratch);
  std::string text;
  for (int index = 0; index < 5000; ++index) text += "line " + std::to_string(index) + "\n";
  const std::string compressed = testing::gzip(text);
  input.start(true, 0);
  Collect collect;
  std::size_t budget = 8192;
  EXPECT_EQ(input.feed(compressed, collect, budget), LineInput::Outcome::budget_spent);
  EXPECT_TRUE(input.has_leftover());
  int turns = 1;
  while (input.has_leftover()) {
    budget = 8192;
    ASSERT_NE(input.resume(collect, budget), LineInput::Outcome::corrupt);
    ++turns;
  }
  EXPECT_GT(turns, 5);
  EXPECT_TRUE(input.finish([](std::string_view, std::uint64_t) {}));
  ASSERT_EQ(collect.lines.size(), 5000u);
  EXPECT_EQ(collect.lines.back(), "line 4999");
}

// zlib can take every input byte it was given while it still holds output for them (the output
// buffer was full, in the middle of a long match). That output must come out now, not when more input
// happens to arrive, and corrupt data in those bytes must be seen now (found by listen_fuzz:
// corpus/listen/regression-gzip-cut-then-garbage).
TEST(LineInput, GivesOutputZlibHoldsAfterTheLastInputByte) {
  const std::size_t trailer = 8;  // CRC-32 and size: no output comes from them
  for (int repeats = 1; repeats <= 40; ++repeats) {
    // Ends in a long repeat, so the member's last code is a match.
    const std::string text = "x " + std::to_string(repeats) + "\n" + std::string(repeats * 7, 'a') + " 1\n";
    const std::string compressed = testing::gzip(text);
    const std::string_view deflated = std::string_view(compressed).substr(0, compressed.size() - trailer);
    for (const std::size_t scratch_size : {std::size_t{1}, std::size_t{7}, std::size_t{64}}) {
      for (const std::size_t piece : {std::size_t{1}, std::size_t{5}, deflated.size()}) {
        SCOPED_TRACE(std::to_string(repeats) + " repeats, scratch " + std::to_string(scratch_size) +
                     ", piece " + std::to_string(piece));
        std::string scratch(scratch_size, '\0');
        LineInput input(1000, scratch);
        input.start(true, 0);
        Collect collect;
        std::size_t budget = 1 << 20;
        for (std::size_t offset = 0; offset < deflated.size(); offset += piece) {
          ASSERT_EQ(input.feed(deflated.substr(offset, piece), collect, budget), LineInput::Outcome::ok);
          EXPECT_FALSE(input.has_leftover());
        }
        ASSERT_EQ(collect.lines.size(), 2u);  // before the trailer arrives
        EXPECT_EQ(collect.lines.back(), std::string(repeats * 7, 'a') + " 1");
        ASSERT_EQ(input.feed(std::string_view(compressed).substr(deflated.size()), collect, budget),
                  LineInput::Outcome::ok);
        EXPECT_TRUE(input.finish([](std::string_view, std::uint64_t) {}));
        EXPECT_EQ(collect.lines.size(), 2u);

        // The same stream with garbage in place of its trailer: corrupt, however small the buffer.
        input.start(true, 0);
        std::string damaged(deflated);
        damaged += "\xff\xff\xff\xff\xff\xff\xff\xff";
        EXPECT_EQ(input.feed(damaged, collect, budget), LineInput::Outcome::corrupt);
      }
    }
  }
}

TEST(LineInput, StopsAGzipBombAtTheLimit) {
  std::string scratch(64 * 1024, '\0');
  LineInput input(1000, scratch);
  const std::string bomb = testing::gzip_zeros(64 << 20);
  input.start(true, 1 << 20);
  Collect collect;
  LineInput::Outcome outcome = LineInput::Outcome::ok;
  std::size_t budget = 1 << 30;
  outcome = input.feed(bomb, collect, budget);
  EXPECT_EQ(outcome, LineInput::Outcome::too_large);
  EXPECT_LE(input.decoded_bytes(), (1u << 20) + scratch.size());
}

TEST(LineInput, ReportsCorruptAndTruncatedGzip) {
  std::string scratch(4096, '\0');
  LineInput input(1000, scratch);
  Collect collect;
  std::size_t budget = 1 << 20;
  input.start(true, 0);
  EXPECT_EQ(input.feed("\x1f\x8bnot really gzip at all", collect, budget), LineInput::Outcome::corrupt);
  EXPECT_FALSE(input.error().empty());

  const std::string compressed = testing::gzip("a 1\nb 2\n");
  input.start(true, 0);
  EXPECT_EQ(input.feed(compressed.substr(0, compressed.size() - 4), collect, budget), LineInput::Outcome::ok);
  EXPECT_FALSE(input.finish([](std::string_view, std::uint64_t) {}));

  // Concatenated members are read one after the other.
  collect.lines.clear();
  input.start(true, 0);
  EXPECT_EQ(input.feed(testing::gzip("a 1\n") + testing::gzip("b 2\n"), collect, budget),
            LineInput::Outcome::ok);
  EXPECT_TRUE(input.finish([](std::string_view, std::uint64_t) {}));
  EXPECT_EQ(collect.lines, (std::vector<std::string>{"a 1", "b 2"}));
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
