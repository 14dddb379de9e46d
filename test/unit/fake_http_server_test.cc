// Tests of the HTTP fakes (test/support/fake_http_server.h, test_certificates.h), driven by libcurl
// directly, so that the HTTP sender tests built on them can trust what they record and how they answer.
#include "support/fake_http_server.h"

#include <curl/curl.h>
#include <zlib.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_certificates.h"

namespace wavefront::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Answer = FakeHttpAnswer;
constexpr std::chrono::milliseconds kWait{10000};

const bool kCurlReady = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;

struct Reply {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::string headers;
  std::size_t body_bytes = 0;
};

struct Request {
  Request(std::string url_, std::string body_, std::vector<std::string> headers_)
      : url(std::move(url_)), body(std::move(body_)), headers(std::move(headers_)) {}
  std::string url;
  std::string body;
  std::vector<std::string> headers;
  std::string ca_file;
  long timeout_ms = 20000;
  std::size_t keep_body = 1 << 20;     // bytes of the response body kept in Reply::body
  std::size_t abort_after = SIZE_MAX;  // fail the transfer once this many body bytes arrived
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* state = static_cast<std::pair<Reply*, const Request*>*>(user);
  Reply& reply = *state->first;
  reply.body_bytes += size * count;
  if (reply.body.size() < state->second->keep_body) reply.body.append(data, size * count);
  return reply.body_bytes > state->second->abort_after ? 0 : size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<Reply*>(user)->headers.append(data, size * count);
  return size * count;
}

// One POST; reuses `handle` (and its keep-alive connection) when given.
Reply post(const Request& request, CURL* handle = nullptr) {
  Reply reply;
  CURL* curl = handle != nullptr ? handle : curl_easy_init();
  curl_slist* headers = nullptr;
  for (const std::string& header : request.headers) headers = curl_slist_append(headers, header.c_str());
  std::pair<Reply*, const Request*> state(&reply, &request);
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, request.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply);
  if (!request.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, request.ca_file.c_str());
  reply.code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all(headers);
  if (handle == nullptr) curl_easy_cleanup(curl);
  return reply;
}

std::string gzip(const std::string& text) {
  z_stream stream{};
  deflateInit2(&stream, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, text.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

Request report(const FakeHttpServer& server, const std::string& format, const std::string& lines) {
  return Request(server.url() + "/report?f=" + format, gzip(lines),
                 {"Content-Type: application/octet-stream", "Content-Encoding: gzip", "Expect:"});
}

// The status of a POST of `body` to `url` (0 when no answer came).
long status_of(const std::string& url, const std::string& body, std::vector<std::string> headers) {
  return post(Request(url, body, std::move(headers))).status;
}

Request with_header(Request request, const std::string& header) {
  request.headers.push_back(header);
  return request;
}

TEST(FakeHttpServerTest, InflatesGzipAndSplitsLinesPerFormat) {
  ASSERT_TRUE(kCurlReady);
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  EXPECT_EQ(post(report(*server, "wavefront", "\"a\" 1 source=\"h\"\n\n\"b\" 2 source=\"h\"\n")).status, 202);
  Request histogram = report(*server, "histogram", "!M 1 #1 2 \"d\" source=\"h\"\n");
  histogram.url = server->url() + "/any/prefix/report?f=histogram";
  EXPECT_EQ(post(histogram).status, 202);
  Request two_members = report(*server, "trace", "x\n");
  two_members.body += gzip("y\n");
  EXPECT_EQ(post(two_members).status, 202);
  EXPECT_EQ(status_of(server->url() + "/report?f=spanLogs", "{\"plain\":1}\n", {}), 202);  // not gzip

  EXPECT_THAT(server->lines("wavefront"), ElementsAre("\"a\" 1 source=\"h\"", "\"b\" 2 source=\"h\""));
  EXPECT_THAT(server->lines("histogram"), ElementsAre("!M 1 #1 2 \"d\" source=\"h\""));
  EXPECT_THAT(server->lines("trace"), ElementsAre("x", "y"));
  EXPECT_THAT(server->lines("spanLogs"), ElementsAre("{\"plain\":1}"));
  const std::vector<RecordedRequest> requests = server->requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/report");
  EXPECT_EQ(requests[0].format, "wavefront");
  EXPECT_EQ(requests[0].content_type, "application/octet-stream");
  EXPECT_EQ(requests[0].content_encoding, "gzip");
  EXPECT_EQ(requests[0].raw_body_bytes, gzip("\"a\" 1 source=\"h\"\n\n\"b\" 2 source=\"h\"\n").size());
  EXPECT_EQ(requests[0].body_bytes, 35u);
  EXPECT_EQ(requests[0].line_count, 2u);
  EXPECT_EQ(requests[0].status, 202);
  EXPECT_EQ(requests[1].path, "/any/prefix/report");
  EXPECT_EQ(requests[3].content_encoding, "");
}

TEST(FakeHttpServerTest, RefusesBadRequestsWithoutRecordingLines) {
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  EXPECT_EQ(post(report(*server, "nope", "x\n")).status, 400);
  const std::string url = server->url() + "/report?f=wavefront";
  EXPECT_EQ(status_of(server->url() + "/report", gzip("x\n"), {"Content-Encoding: gzip"}), 400);  // no f
  EXPECT_EQ(status_of(url, "not gzip", {"Content-Encoding: gzip"}), 400);
  const std::string whole = gzip("\"a\" 1\n");
  EXPECT_EQ(status_of(url, whole.substr(0, whole.size() - 4), {"Content-Encoding: gzip"}), 400);  // truncated
  EXPECT_EQ(status_of(url, whole + "junk", {"Content-Encoding: gzip"}), 400);
  EXPECT_EQ(status_of(url, "x\n", {"Content-Encoding: br"}), 415);
  EXPECT_EQ(status_of(server->url() + "/elsewhere?f=wavefront", "x\n", {}), 404);
  EXPECT_THAT(server->lines("wavefront"), IsEmpty());
  EXPECT_EQ(server->request_count(), 7u);
}

TEST(FakeHttpServerTest, RequiredTokenGives401ThenAccepts) {
  FakeHttpServer::Options options;
  options.required_token = "secret-token";
  auto server = FakeHttpServer::start(options);
  ASSERT_TRUE(server);
  server->script({Answer::status_code(503)});  // not consumed by refused requests
  const Reply missing = post(report(*server, "wavefront", "\"a\" 1\n"));
  EXPECT_EQ(missing.status, 401);
  EXPECT_THAT(missing.headers, ::testing::HasSubstr("WWW-Authenticate: Bearer"));
  EXPECT_EQ(
      post(with_header(report(*server, "wavefront", "\"b\" 1\n"), "Authorization: Bearer wrong")).status,
      401);
  EXPECT_EQ(server->scripted_left(), 1u);
  const Request good =
      with_header(report(*server, "wavefront", "\"c\" 1\n"), "Authorization: Bearer secret-token");
  EXPECT_EQ(post(good).status, 503);
  EXPECT_EQ(post(good).status, 202);
  EXPECT_THAT(server->lines("wavefront"), ElementsAre("\"c\" 1"));
  EXPECT_EQ(server->requests()[2].authorization, "Bearer secret-token");
  server->set_required_token(std::nullopt);
  EXPECT_EQ(post(report(*server, "wavefront", "\"d\" 1\n")).status, 202);
}

TEST(FakeHttpServerTest, ScriptedAnswersThenDefault) {
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  server->script({Answer::status_code(500), Answer::status_code(429, "7"), Answer::status_code(200)});
  EXPECT_EQ(post(report(*server, "wavefront", "\"a\" 1\n")).status, 500);
  const Reply throttled = post(report(*server, "wavefront", "\"b\" 1\n"));
  EXPECT_EQ(throttled.status, 429);
  EXPECT_THAT(throttled.headers, ::testing::HasSubstr("Retry-After: 7\r\n"));
  EXPECT_EQ(post(report(*server, "wavefront", "\"c\" 1\n")).status, 200);
  EXPECT_EQ(post(report(*server, "wavefront", "\"d\" 1\n")).status, 202);
  EXPECT_THAT(server->lines("wavefront"), ElementsAre("\"c\" 1", "\"d\" 1"));
  const auto requests = server->requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].status, 500);
  EXPECT_EQ(requests[0].line_count, 1u);  // decoded, but not accepted
  EXPECT_EQ(requests[1].status, 429);
}

TEST(FakeHttpServerTest, BodyOverMaxSizeGets413AndBombGets400) {
  FakeHttpServer::Options options;
  options.max_body_bytes = 1000;
  auto server = FakeHttpServer::start(options);
  ASSERT_TRUE(server);
  EXPECT_EQ(post(report(*server, "wavefront", std::string(999, 'x') + "\n")).status, 202);
  EXPECT_EQ(post(report(*server, "wavefront", std::string(1000, 'x') + "\n")).status, 413);
  EXPECT_EQ(server->requests()[1].body_bytes, 1001u);

  auto defaults = FakeHttpServer::start();  // 16 MiB max body, 64 MiB inflate limit
  ASSERT_TRUE(defaults);
  EXPECT_EQ(post(report(*defaults, "wavefront", std::string((16 << 20) + 1, '\n'))).status, 413);
  const Request bomb = report(*defaults, "wavefront", std::string(std::size_t{200} << 20, '\n'));
  EXPECT_LT(bomb.body.size(), 4u << 20);
  EXPECT_EQ(post(bomb).status, 400);
  EXPECT_EQ(defaults->requests()[1].body_bytes, 0u);
}

TEST(FakeHttpServerTest, EventsAreJsonObjectsPerRequest) {
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  const std::string event = R"({"name":"deploy","startTime":1,"endTime":2})";
  const std::string url = server->url() + "/api/v2/event";
  EXPECT_EQ(status_of(url, event, {"Content-Type: application/json"}), 200);
  EXPECT_EQ(status_of(url, "{\"name\":", {"Content-Type: application/json"}), 400);
  EXPECT_EQ(status_of(url, "[1]", {"Content-Type: application/json"}), 400);
  EXPECT_THAT(server->event_json_bodies(), ElementsAre(event));
  EXPECT_EQ(server->requests()[0].content_type, "application/json");
  EXPECT_TRUE(server->wait_for_events(1, kWait));
}

TEST(FakeHttpServerTest, DelayMakesTheClientTimeOut) {
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  server->script({Answer::delayed(std::chrono::milliseconds(600))});
  Request slow = report(*server, "wavefront", "\"a\" 1\n");
  slow.timeout_ms = 200;
  EXPECT_EQ(post(slow).code, CURLE_OPERATION_TIMEDOUT);
  ASSERT_TRUE(server->wait_for_requests(1, kWait));  // recorded when the delay is over
  EXPECT_EQ(post(report(*server, "wavefront", "\"b\" 1\n")).status, 202);
}

TEST(FakeHttpServerTest, ResetDropsTheConnectionWithoutAnswer) {
  for (const bool tls : {false, true}) {
    FakeHttpServer::Options options;
    options.tls = tls;
    auto server = FakeHttpServer::start(options);
    ASSERT_TRUE(server);
    server->script({Answer::reset_connection()});
    Request request = report(*server, "wavefront", "\"a\" 1\n");
    request.ca_file = localhost_certificate().cert_file;
    const Reply reset = post(request);
    EXPECT_TRUE(reset.code == CURLE_RECV_ERROR || reset.code == CURLE_GOT_NOTHING)
        << curl_easy_strerror(reset.code);
    EXPECT_EQ(reset.status, 0);
    ASSERT_TRUE(server->wait_for_requests(1, kWait));
    EXPECT_TRUE(server->requests()[0].reset);
    EXPECT_EQ(server->requests()[0].status, 0);
    EXPECT_EQ(post(request).status, 202);
    EXPECT_THAT(server->lines("wavefront"), ElementsAre("\"a\" 1"));
  }
}

TEST(FakeHttpServerTest, HugeAndEndlessResponses) {
  FakeHttpServer::Options options;
  options.huge_response_bytes = std::size_t{100} << 20;
  auto server = FakeHttpServer::start(options);
  ASSERT_TRUE(server);
  Request request = report(*server, "wavefront", "\"a\" 1\n");
  request.keep_body = 16;
  request.abort_after = 1 << 20;
  const Reply aborted = post(request);
  EXPECT_EQ(aborted.code, CURLE_WRITE_ERROR);
  EXPECT_EQ(aborted.status, 200);
  EXPECT_THAT(aborted.headers, ::testing::HasSubstr("Content-Length: 104857600"));
  server->set_default_answer(Answer::huge(std::size_t{8} << 20, 202));
  request.abort_after = SIZE_MAX;
  const Reply whole = post(request);
  EXPECT_EQ(whole.status, 202);
  EXPECT_EQ(whole.body_bytes, std::size_t{8} << 20);
  EXPECT_EQ(whole.body.substr(0, 4), "xxxx");
  server->script({Answer::huge(Answer::kEndless)});
  request.abort_after = 4 << 20;
  EXPECT_EQ(post(request).code, CURLE_WRITE_ERROR);
  server->set_default_answer({});
  EXPECT_EQ(post(request).status, 202);
  EXPECT_EQ(server->lines("wavefront").size(), 4u);
}

TEST(FakeHttpServerTest, TlsVerifiesWithTheGeneratedCertificateOnly) {
  FakeHttpServer::Options options;
  options.tls = true;
  auto server = FakeHttpServer::start(options);
  ASSERT_TRUE(server);
  EXPECT_EQ(server->url().rfind("https://localhost:", 0), 0u);
  Request request = report(*server, "wavefront", "\"a\" 1\n");
  request.ca_file = localhost_certificate().cert_file;
  EXPECT_EQ(post(request).status, 202);
  request.url = "https://127.0.0.1:" + std::to_string(server->port()) + "/report?f=wavefront";
  EXPECT_EQ(post(request).status, 202);  // IP subjectAltName
  request.ca_file = other_certificate().cert_file;
  EXPECT_EQ(post(request).code, CURLE_PEER_FAILED_VERIFICATION);
  request.ca_file.clear();  // the system bundle does not know it either
  EXPECT_EQ(post(request).code, CURLE_PEER_FAILED_VERIFICATION);
  EXPECT_THAT(server->lines("wavefront"), ElementsAre("\"a\" 1", "\"a\" 1"));
  EXPECT_NE(localhost_certificate().cert_pem, other_certificate().cert_pem);
}

TEST(FakeHttpServerTest, StopsPromptlyWithIdleKeepAliveConnections) {
  CURL* handle = curl_easy_init();
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  EXPECT_EQ(post(report(*server, "wavefront", "\"a\" 1\n"), handle).status, 202);
  const auto before = std::chrono::steady_clock::now();
  server.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(2));
  curl_easy_cleanup(handle);
}

TEST(FakeHttpServerTest, ConcurrentClientsAreAllRecorded) {
  auto server = FakeHttpServer::start();
  ASSERT_TRUE(server);
  std::vector<std::thread> clients;
  std::atomic<int> accepted{0};
  for (int client = 0; client < 4; ++client) {
    clients.emplace_back([&, client] {
      CURL* handle = curl_easy_init();
      for (int i = 0; i < 10; ++i) {
        const std::string line = "\"c" + std::to_string(client) + "\" " + std::to_string(i) + "\n";
        if (post(report(*server, "wavefront", line), handle).status == 202) ++accepted;
      }
      curl_easy_cleanup(handle);
    });
  }
  EXPECT_TRUE(server->wait_for_lines("wavefront", 40, kWait));
  for (auto& client : clients) client.join();
  EXPECT_EQ(accepted.load(), 40);
  EXPECT_EQ(server->request_count(), 40u);
}

Request csp_request(const FakeCsp& csp, const std::string& path, const std::string& form) {
  return Request(csp.url() + "/csp/gateway/am/api/auth/" + path, form,
                 {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"});
}

TEST(FakeCspTest, ApiTokenGrant) {
  auto csp = FakeCsp::start();
  ASSERT_TRUE(csp);
  const Reply granted = post(csp_request(*csp, "api-tokens/authorize", "api_token=csp-user-api-token"));
  EXPECT_EQ(granted.status, 200);
  EXPECT_EQ(granted.body,
            R"({"access_token":"csp-access-1","expires_in":1799,"token_type":"bearer","scope":""})");
  EXPECT_EQ(csp->grant_count(), 1);
  EXPECT_EQ(csp->current_access_token(), "csp-access-1");
  EXPECT_TRUE(csp->is_valid_token("csp-access-1"));
  EXPECT_FALSE(csp->is_valid_token("csp-access-2"));
  EXPECT_EQ(csp->last_form_body(), "api_token=csp-user-api-token");
  EXPECT_EQ(csp->last_path(), "/csp/gateway/am/api/auth/api-tokens/authorize");
  EXPECT_EQ(post(csp_request(*csp, "api-tokens/authorize", "api_token=wrong")).status, 400);
  Request not_form = csp_request(*csp, "api-tokens/authorize", "api_token=csp-user-api-token");
  not_form.headers = {"Content-Type: application/json"};
  EXPECT_EQ(post(not_form).status, 415);
  csp->fail_next(2, 503);
  csp->set_expires_in(0);
  const Request again = csp_request(*csp, "api-tokens/authorize", "api_token=csp-user-api-token");
  EXPECT_EQ(post(again).status, 503);
  EXPECT_EQ(post(again).status, 503);
  EXPECT_EQ(post(again).status, 200);
  EXPECT_EQ(csp->current_access_token(), "csp-access-2");
  EXPECT_FALSE(csp->is_valid_token("csp-access-2"));  // expires_in 0
  EXPECT_EQ(csp->request_count(), 6);
}

TEST(FakeCspTest, ClientCredentialsGrantAndTokenCheckingServer) {
  FakeCsp::Options options;
  options.tls = true;
  options.org_id = "org-1";
  auto csp = FakeCsp::start(options);
  ASSERT_TRUE(csp);
  FakeHttpServer::Options server_options;
  server_options.token_validator = [&csp](const std::string& token) { return csp->is_valid_token(token); };
  auto server = FakeHttpServer::start(server_options);
  ASSERT_TRUE(server);
  EXPECT_EQ(post(report(*server, "wavefront", "\"a\" 1\n")).status, 401);

  Request grant = csp_request(*csp, "authorize", "grant_type=client_credentials&orgId=org-1");
  grant.ca_file = localhost_certificate().cert_file;
  EXPECT_EQ(post(grant).status, 401);  // no Basic credentials
  // base64("csp-client-id:csp-client-secret")
  const std::string basic = "Authorization: Basic Y3NwLWNsaWVudC1pZDpjc3AtY2xpZW50LXNlY3JldA==";
  EXPECT_EQ(post(with_header(grant, "Authorization: Basic d3Jvbmc6d3Jvbmc=")).status, 401);
  grant.headers.push_back(basic);
  const Reply granted = post(grant);
  EXPECT_EQ(granted.status, 200);
  EXPECT_EQ(csp->last_authorization(), basic.substr(15));
  EXPECT_EQ(csp->last_form_body(), "grant_type=client_credentials&orgId=org-1");
  grant.body = "grant_type=client_credentials";
  EXPECT_EQ(post(grant).status, 200);
  grant.body = "grant_type=client_credentials&orgId=org-2";
  EXPECT_EQ(post(grant).status, 400);
  grant.body = "grant_type=password";
  EXPECT_EQ(post(grant).status, 400);
  EXPECT_TRUE(csp->wait_for_grants(2, kWait));

  const std::string bearer = "Authorization: Bearer " + csp->current_access_token();
  EXPECT_EQ(post(with_header(report(*server, "wavefront", "\"b\" 1\n"), bearer)).status, 202);
  EXPECT_THAT(server->lines("wavefront"), ElementsAre("\"b\" 1"));
}

}  // namespace
}  // namespace wavefront::testing
