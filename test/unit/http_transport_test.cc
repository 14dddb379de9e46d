// HttpTransport's client logic below the socket: a scripted HttpExchange (http_exchange.h) records
// every request (gzip bodies inflated here with zlib) and answers from a script, so the 413 split,
// the 400/401/403 classification and the retryable results are checked request by request, with
// exact bodies. The same behaviours over real sockets: test/integration/http_faults_test.cc.
#include <gtest/gtest.h>
#include <zlib.h>

#include <array>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "support/client_test_util.h"
#include "wavefront/auth/token_source.h"
#include "wavefront/client/transport_registry.h"
#include "wavefront/internal/rate_limited_log.h"
#include "wavefront/transport.h"
#include "wavefront/transport/http_exchange.h"
#include "wavefront/transport/http_transport.h"

namespace wavefront {
namespace {

using namespace std::chrono_literals;
using transport::HttpResponse;

// Inflates one gzip stream; fails the test on anything else.
std::string gunzip(std::string_view compressed) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 16 + MAX_WBITS), Z_OK);
  std::string output;
  std::array<char, 4096> chunk{};
  // zlib's interface is not const-correct; it only reads the input.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));  // NOLINT
  stream.avail_in = static_cast<uInt>(compressed.size());
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out =
        reinterpret_cast<Bytef*>(chunk.data());  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
    stream.avail_out = static_cast<uInt>(chunk.size());
    result = inflate(&stream, Z_NO_FLUSH);
    output.append(chunk.data(), chunk.size() - stream.avail_out);
  }
  EXPECT_EQ(result, Z_STREAM_END) << "the body is not one whole gzip stream";
  EXPECT_EQ(stream.avail_in, 0u) << "bytes after the gzip stream";
  inflateEnd(&stream);
  return output;
}

HttpResponse answer(long status, std::string retry_after = "") {
  HttpResponse response;
  response.status = status;
  response.retry_after = std::move(retry_after);
  return response;
}

HttpResponse no_answer(ErrorCode code, const std::string& why) {
  HttpResponse response;
  response.error = Status(code, why);
  return response;
}

struct Request {
  std::string url;
  std::vector<std::string> headers;
  std::string body;  // inflated when the request said Content-Encoding: gzip
};

// What the scripted exchange saw and will answer; shared with the test, which outlives the sender.
struct ExchangeScript {
  std::mutex mutex;
  std::vector<Request> requests;
  std::deque<HttpResponse> answers;  // taken in order; when none is left, `rule` answers
  std::function<HttpResponse(const Request&)> rule = [](const Request&) { return answer(202); };

  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mutex);
    std::vector<std::string> result;
    for (const Request& request : requests) result.push_back(request.body);
    return result;
  }
};

class ScriptedExchange final : public transport::HttpExchange {
 public:
  explicit ScriptedExchange(std::shared_ptr<ExchangeScript> script) : script_(std::move(script)) {}

  HttpResponse post(const std::string& url, const std::vector<std::string>& headers, std::string_view body,
                    const transport::AbortDeadline& /*deadline*/) override {
    Request request{url, headers, std::string(body)};
    for (const std::string& header : headers) {
      if (header == "Content-Encoding: gzip") request.body = gunzip(body);
    }
    std::lock_guard<std::mutex> lock(script_->mutex);
    script_->requests.push_back(request);
    if (script_->answers.empty()) return script_->rule(request);
    HttpResponse next = std::move(script_->answers.front());
    script_->answers.pop_front();
    return next;
  }

 private:
  std::shared_ptr<ExchangeScript> script_;
};

class RecordingToken final : public auth::TokenSource {
 public:
  explicit RecordingToken(std::shared_ptr<int> invalidations) : invalidations_(std::move(invalidations)) {}
  std::string token() override { return "secret-token"; }
  void invalidate() override { ++*invalidations_; }
  void stop() override {}

 private:
  std::shared_ptr<int> invalidations_;
};

constexpr const char* kBaseUrl = "http://collector.test:2878";

// One HttpTransport on a scripted exchange, called directly.
struct ScriptedTransport {
  std::shared_ptr<ExchangeScript> script = std::make_shared<ExchangeScript>();
  std::shared_ptr<testing::ManualClock> clock = std::make_shared<testing::ManualClock>();
  internal::RateLimitedLog log{nullptr, clock, 0ms};
  std::shared_ptr<int> invalidations = std::make_shared<int>(0);
  std::unique_ptr<transport::HttpTransport> transport;

  explicit ScriptedTransport(bool direct = false) {
    transport::HttpTransportConfig config;
    config.base_url = kBaseUrl;
    config.direct = direct;
    std::unique_ptr<auth::TokenSource> token;
    if (direct) token = std::make_unique<RecordingToken>(invalidations);
    transport = std::make_unique<transport::HttpTransport>(config, std::make_unique<ScriptedExchange>(script),
                                                           std::move(token), clock, log);
  }
  DeliveryResult deliver(DataType type, std::string_view lines, std::size_t items) {
    const DeliveryDeadline deadline;
    return transport->deliver(type, lines, items, deadline);
  }
  std::map<int, std::uint64_t> responses(DataType type = DataType::metric) const {
    SenderStats stats;
    transport->add_stats(stats);
    return stats[type].responses;
  }
};

// Four metric lines, the batch most tests deliver.
std::string four_lines() {
  return "\"a\" 1 source=\"s\"\n\"b\" 2 source=\"s\"\n\"c\" 3 source=\"s\"\n\"d\" 4 source=\"s\"\n";
}

TEST(HttpTransportLogic, A2xxDeliversTheBatchAsOneGzipPostToTheReportEndpoint) {
  const std::string lines = four_lines();
  ScriptedTransport fake;
  const DeliveryResult result = fake.deliver(DataType::metric, lines, 4);
  EXPECT_TRUE(result.attempted);
  EXPECT_FALSE(result.failed);
  EXPECT_EQ(result.delivered, 4u);
  EXPECT_EQ(result.delivered_bytes, lines.size());
  EXPECT_EQ(result.dropped, 0u);
  ASSERT_EQ(fake.script->requests.size(), 1u);
  const Request& request = fake.script->requests[0];
  EXPECT_EQ(request.url, std::string(kBaseUrl) + "/report?f=wavefront");
  EXPECT_EQ(request.headers,
            (std::vector<std::string>{"Content-Type: application/octet-stream", "Content-Encoding: gzip"}));
  EXPECT_EQ(request.body, lines);
  EXPECT_EQ(fake.responses(), (std::map<int, std::uint64_t>{{202, 1}}));
}

TEST(HttpTransportLogic, EachDataTypeGoesToItsReportFormat) {
  ScriptedTransport fake;
  fake.deliver(DataType::distribution, "!M 1 #1 2 \"h\" source=\"s\"\n", 1);
  fake.deliver(DataType::span, "x\n", 1);
  fake.deliver(DataType::span_log, "{}\n", 1);
  fake.deliver(DataType::event, "@Event 1 \"e\"\n", 1);
  std::vector<std::string> urls;
  for (const Request& request : fake.script->requests) urls.push_back(request.url);
  const std::string base = kBaseUrl;
  EXPECT_EQ(urls, (std::vector<std::string>{base + "/report?f=histogram", base + "/report?f=trace",
                                            base + "/report?f=spanLogs", base + "/report?f=event"}));
}

TEST(HttpTransportLogic, A413SendsTheFirstHalfAndLeavesTheRestQueued) {
  const std::string lines = four_lines();
  ScriptedTransport fake;
  fake.script->answers = {answer(413)};
  const DeliveryResult result = fake.deliver(DataType::metric, lines, 4);
  EXPECT_FALSE(result.failed);
  EXPECT_EQ(result.delivered, 2u);
  EXPECT_EQ(result.delivered_bytes, std::string("\"a\" 1 source=\"s\"\n\"b\" 2 source=\"s\"\n").size());
  EXPECT_EQ(result.dropped, 0u);
  EXPECT_EQ(fake.script->bodies(),
            (std::vector<std::string>{lines, "\"a\" 1 source=\"s\"\n\"b\" 2 source=\"s\"\n"}));
  EXPECT_EQ(fake.responses(), (std::map<int, std::uint64_t>{{202, 1}, {413, 1}}));
}

TEST(HttpTransportLogic, A413SplitsDownToOneLineWhichIsDroppedAsRejected) {
  const std::string lines = four_lines();
  ScriptedTransport fake;
  fake.script->rule = [](const Request&) { return answer(413); };
  const DeliveryResult result = fake.deliver(DataType::metric, lines, 4);
  EXPECT_FALSE(result.failed);
  EXPECT_EQ(result.delivered, 0u);
  EXPECT_EQ(result.dropped, 1u);
  EXPECT_EQ(result.dropped_bytes, std::string("\"a\" 1 source=\"s\"\n").size());
  EXPECT_EQ(result.drop_reason, DropReason::rejected);
  EXPECT_EQ(fake.script->bodies(),
            (std::vector<std::string>{lines, "\"a\" 1 source=\"s\"\n\"b\" 2 source=\"s\"\n",
                                      "\"a\" 1 source=\"s\"\n"}));
  EXPECT_EQ(fake.responses(), (std::map<int, std::uint64_t>{{413, 3}}));
}

TEST(HttpTransportLogic, A400DropsTheWholeBatchAsRejected) {
  const std::string lines = four_lines();
  ScriptedTransport fake;
  fake.script->answers = {answer(400)};
  const DeliveryResult result = fake.deliver(DataType::metric, lines, 4);
  EXPECT_FALSE(result.failed);
  EXPECT_EQ(result.dropped, 4u);
  EXPECT_EQ(result.dropped_bytes, lines.size());
  EXPECT_EQ(result.drop_reason, DropReason::rejected);
  EXPECT_EQ(fake.script->bodies(), (std::vector<std::string>{lines}));
}

TEST(HttpTransportLogic, UnauthorizedAndForbiddenKeepTheBatchAndRefreshTheToken) {
  const std::string lines = four_lines();
  ScriptedTransport fake(/*direct=*/true);
  for (const long status : {401L, 403L}) {
    fake.script->answers = {answer(status)};
    const DeliveryResult result = fake.deliver(DataType::metric, lines, 4);
    EXPECT_TRUE(result.failed) << status;
    EXPECT_EQ(result.delivered, 0u) << status;
    EXPECT_EQ(result.dropped, 0u) << status;
    EXPECT_EQ(result.retry_after, 0ms) << status;
  }
  EXPECT_EQ(*fake.invalidations, 2);
  ASSERT_EQ(fake.script->requests.size(), 2u);
  for (const Request& request : fake.script->requests) {
    EXPECT_EQ(request.headers.back(), "Authorization: Bearer secret-token");
    EXPECT_EQ(request.body, lines);
  }
  EXPECT_EQ(fake.responses(), (std::map<int, std::uint64_t>{{401, 1}, {403, 1}}));
}

TEST(HttpTransportLogic, ServerErrorsAndTransportErrorsAreRetryable) {
  const std::string lines = four_lines();
  ScriptedTransport fake;
  fake.script->answers = {answer(500), answer(503), answer(408), no_answer(ErrorCode::io_error, "refused"),
                          no_answer(ErrorCode::timeout, "deadline")};
  for (int attempt = 0; attempt < 5; ++attempt) {
    const DeliveryResult result = fake.deliver(DataType::metric, lines, 4);
    EXPECT_TRUE(result.attempted) << attempt;
    EXPECT_TRUE(result.failed) << attempt;
    EXPECT_EQ(result.delivered, 0u) << attempt;
    EXPECT_EQ(result.dropped, 0u) << attempt;
  }
  EXPECT_EQ(fake.script->bodies(), std::vector<std::string>(5, lines));
  // Only answers are counted; a request that got none is not.
  EXPECT_EQ(fake.responses(), (std::map<int, std::uint64_t>{{408, 1}, {500, 1}, {503, 1}}));
}

TEST(HttpTransportLogic, TooManyRequestsHonoursRetryAfter) {
  const std::string lines = four_lines();
  ScriptedTransport fake;
  fake.script->answers = {answer(429, "7"), answer(503, "7")};
  const DeliveryResult limited = fake.deliver(DataType::metric, lines, 4);
  EXPECT_TRUE(limited.failed);
  EXPECT_EQ(limited.retry_after, 7000ms);
  const DeliveryResult unavailable = fake.deliver(DataType::metric, lines, 4);
  EXPECT_TRUE(unavailable.failed);
  EXPECT_EQ(unavailable.retry_after, 0ms);  // only 406 and 429 carry the receiver's delay
}

TEST(HttpTransportLogic, DirectEventsAreOneJsonPostEach) {
  ScriptedTransport fake(/*direct=*/true);
  fake.script->answers = {answer(202), answer(400)};
  const std::string events = "{\"name\":\"one\"}\n{\"name\":\"two\"}\n{\"name\":\"three\"}\n";
  const DeliveryResult result = fake.deliver(DataType::event, events, 3);
  EXPECT_EQ(result.delivered, 1u);
  EXPECT_EQ(result.dropped, 1u);
  EXPECT_EQ(result.drop_reason, DropReason::rejected);
  EXPECT_EQ(fake.script->bodies(), (std::vector<std::string>{"{\"name\":\"one\"}", "{\"name\":\"two\"}"}));
  EXPECT_EQ(fake.script->requests[0].url, std::string(kBaseUrl) + "/api/v2/event");
}

// The whole sender on the scripted exchange: the core re-queues the rest after each partial delivery,
// so one flush walks the 413 split down to the lone line that is too large on its own, drops it under
// `rejected` and delivers everything else.
TEST(HttpTransportLogic, ASenderDropsOnlyTheLineThatAloneIsTooLargeAndCountsIt) {
  auto script = std::make_shared<ExchangeScript>();
  script->rule = [](const Request& request) {
    const bool several = request.body.find('\n') + 1 < request.body.size();
    const bool huge = request.body.find("huge") != std::string::npos;
    return answer(several || huge ? 413 : 202);
  };
  auto clock = std::make_shared<testing::ManualClock>();
  internal::RateLimitedLog log(nullptr, clock, 0ms);
  SenderConfig config;
  config.clock = clock;
  config.flush_interval = 1h;  // only flush() sends
  config.self_metrics_interval = 24h;
  auto sender = client::make_sender_over(
      [&] {
        transport::HttpTransportConfig transport_config;
        transport_config.base_url = kBaseUrl;
        return std::make_unique<transport::HttpTransport>(
            transport_config, std::make_unique<ScriptedExchange>(script), nullptr, clock, log);
      },
      config, "test");
  ASSERT_TRUE(sender.ok()) << sender.status().message();
  for (const char* name : {"a", "huge", "b", "c"})
    ASSERT_TRUE((*sender)->send_metric(name, 1, 1700000000, "s").ok());
  ASSERT_TRUE((*sender)->flush(5s).ok());
  const SenderStats stats = (*sender)->stats();
  ASSERT_TRUE((*sender)->close(5s).ok());

  const std::string a = "\"a\" 1 1700000000 source=\"s\"\n";
  const std::string huge = "\"huge\" 1 1700000000 source=\"s\"\n";
  const std::string b = "\"b\" 1 1700000000 source=\"s\"\n";
  const std::string c = "\"c\" 1 1700000000 source=\"s\"\n";
  EXPECT_EQ(script->bodies(),
            (std::vector<std::string>{a + huge + b + c, a + huge, a, huge + b + c, huge, b + c, b, c}));
  const TypeStats& metrics = stats[DataType::metric];
  EXPECT_EQ(metrics.delivered, 3u);
  EXPECT_EQ(metrics.dropped, 1u);
  EXPECT_EQ(metrics.dropped_by_reason[static_cast<std::size_t>(DropReason::rejected)], 1u);
  EXPECT_EQ(metrics.responses, (std::map<int, std::uint64_t>{{202, 3}, {413, 5}}));
  testing::expect_accounting_identity(stats);
}

}  // namespace
}  // namespace wavefront
