// Fakes for the HTTP sender tests, built on cpp-httplib: FakeHttpServer, a Wavefront proxy / direct
// ingestion endpoint (`POST .../report?f=<format>`, `POST /api/v2/event`), and FakeCsp, the VMware Cloud
// Services token endpoints. Both listen on 127.0.0.1 with an ephemeral port, plain or TLS (with
// localhost_certificate() from test_certificates.h), serve from their own threads, and are thread-safe;
// accessors return copies. Waiting is done with wait_for_*() (condition variable), never with sleeps.
//
//   auto server = wavefront::testing::FakeHttpServer::start();  // or start(options)
//   ASSERT_TRUE(server);
//   server->script({FakeHttpAnswer::status_code(503, "7"), FakeHttpAnswer::reset_connection()});
//   ... POST gzip lines to server->url() + "/report?f=wavefront" ...
//   ASSERT_TRUE(server->wait_for_lines("wavefront", 2, std::chrono::seconds(5)));
//
// Answering a request, in this order:
//  1. token check (required_token / token_validator): refused with 401, no scripted answer consumed;
//  2. path and body: neither .../report nor /api/v2/event → 404; Content-Encoding other than none or gzip
//     → 415; a gzip body (one or more members) that is corrupt, truncated, followed by junk, or inflates
//     beyond inflate_limit (gzip bomb) → 400; larger than max_body_bytes after inflating → 413; /report
//     without a known f → 400; an event body that is not one JSON object → 400. Again nothing consumed;
//  3. the next scripted answer (or the default answer): delay, then reset, or status (0 = 202 for /report,
//     200 for events) with Retry-After and body.
// Only data answered 2xx is recorded in lines() / event_json_bodies(); every POST is in requests().
//
// Reset: the handler finds its own connection's socket (the one whose local and peer ports are the
// request's among this process's sockets), records the request, then drops the connection under httplib:
// plain HTTP with connect(AF_UNSPEC), which makes Linux send RST at once (libcurl: CURLE_RECV_ERROR, 56,
// "Connection reset by peer"); TLS with SO_LINGER {1, 0} + shutdown(), so the client reads end-of-stream
// before any answer (libcurl: CURLE_GOT_NOTHING, 52) and httplib's close then sends RST.
// Beware: libcurl transparently retries a request once when a *reused* keep-alive connection dies
// without any answer. That retry is a new request here and consumes the next scripted answer, so a client
// that reuses connections needs two resets scripted to see one failure.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace wavefront::testing {

namespace detail {
class HttpServerThread;  // the cpp-httplib server and its thread (http_server_thread.h)
}

struct FakeHttpAnswer {
  static constexpr std::size_t kEndless = static_cast<std::size_t>(-1);

  int status = 0;                          // 0: the endpoint's success status (202 / 200)
  std::optional<std::string> retry_after;  // Retry-After header value
  std::chrono::milliseconds delay{0};      // waited in the handler before answering (or resetting)
  bool reset = false;                      // drop the connection without answering (see the top)
  std::string body;                        // response body (text/plain), unless body_bytes is set
  std::size_t body_bytes = 0;              // a streamed body of this many 'x' (kEndless: chunked, never ends)

  static FakeHttpAnswer status_code(int code, std::optional<std::string> retry_after = std::nullopt) {
    FakeHttpAnswer answer;
    answer.status = code;
    answer.retry_after = std::move(retry_after);
    return answer;
  }
  static FakeHttpAnswer delayed(std::chrono::milliseconds delay, int code = 0) {
    FakeHttpAnswer answer = status_code(code);
    answer.delay = delay;
    return answer;
  }
  static FakeHttpAnswer reset_connection() {
    FakeHttpAnswer answer;
    answer.reset = true;
    return answer;
  }
  static FakeHttpAnswer huge(std::size_t bytes, int code = 200) {
    FakeHttpAnswer answer = status_code(code);
    answer.body_bytes = bytes;
    return answer;
  }
};

struct RecordedRequest {
  std::string method;
  std::string path;    // without the query
  std::string format;  // the query parameter f ("" if absent)
  std::string content_type;
  std::string content_encoding;
  std::string authorization;
  std::string user_agent;
  std::size_t raw_body_bytes = 0;  // as received
  std::size_t body_bytes = 0;      // after inflating (0 when refused before or while inflating)
  std::string body;                // the inflated body, when it was within max_body_bytes
  std::size_t line_count = 0;      // non-empty lines in body
  int status = 0;                  // the status answered; 0 when the connection was reset
  bool reset = false;
};

struct FakeHttpServerOptions {
  bool tls = false;
  std::optional<std::string> required_token;  // "Authorization: Bearer <token>" required when set
  // When set, decides instead of required_token (e.g. [&csp](auto& t) { return csp->is_valid_token(t); }).
  std::function<bool(const std::string& token)> token_validator;
  std::size_t max_body_bytes = 16 << 20;  // the proxy's cap after decompression; larger → 413
  std::size_t inflate_limit = 64 << 20;   // inflating stops here → 400 (gzip bomb guard)
  std::size_t huge_response_bytes = 0;    // > 0: the default answer is FakeHttpAnswer::huge(this)
};

class FakeHttpServer {
 public:
  using Answer = FakeHttpAnswer;
  using Options = FakeHttpServerOptions;

  // Listening and serving when it returns; nullptr (and *error if given) on failure.
  static std::unique_ptr<FakeHttpServer> start(Options options = {}, std::string* error = nullptr);
  ~FakeHttpServer();  // stops: ends delays and streamed answers, closes connections, joins threads
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  uint16_t port() const;
  std::string url() const;  // "http://127.0.0.1:<port>" or "https://localhost:<port>"
  bool tls() const { return options_.tls; }

  // Queued answers, consumed one per request that passes the checks (appended to what is left).
  void script(std::vector<Answer> answers);
  void set_default_answer(Answer answer);
  std::size_t scripted_left() const;
  void set_required_token(std::optional<std::string> token);

  std::vector<std::string> lines(const std::string& format) const;  // accepted lines, arrival order
  std::vector<std::string> event_json_bodies() const;               // accepted /api/v2/event bodies
  std::vector<RecordedRequest> requests() const;                    // every POST, in answer order
  std::size_t request_count() const;

  bool wait_for_lines(const std::string& format, std::size_t n, std::chrono::milliseconds timeout) const;
  bool wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const;
  // Requests whose handling has begun (read whole, perhaps not answered yet: a delayed answer).
  bool wait_for_arrivals(std::size_t n, std::chrono::milliseconds timeout) const;
  bool wait_for_events(std::size_t n, std::chrono::milliseconds timeout) const;

 private:
  explicit FakeHttpServer(Options options);
  void serve(const httplib::Request& request, httplib::Response& response);
  // Checks and decodes; fills `record` and the lines to keep; returns the answer (status resolved).
  Answer decide(const std::string& raw_body, bool event, RecordedRequest& record,
                std::vector<std::string>& lines);
  bool authorized(const std::string& authorization) const;
  Answer next_answer();
  void record_request(RecordedRequest request, const std::vector<std::string>& lines, bool event);

  const Options options_;
  std::unique_ptr<detail::HttpServerThread> thread_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::optional<std::string> required_token_;
  std::deque<Answer> script_;
  Answer default_answer_;
  std::map<std::string, std::vector<std::string>> lines_;
  std::vector<std::string> events_;
  std::vector<RecordedRequest> requests_;
  std::size_t arrivals_ = 0;
};

struct FakeCspOptions {
  bool tls = false;
  std::string api_token = "csp-user-api-token";  // accepted by .../api-tokens/authorize
  std::string client_id = "csp-client-id";       // accepted by .../authorize (Basic auth)
  std::string client_secret = "csp-client-secret";
  std::optional<std::string> org_id;  // when set, a given orgId must match (400 otherwise)
  int expires_in_seconds = 1799;
};

// The CSP token endpoints. Grants answer
// {"access_token":"csp-access-<n>","expires_in":<s>,"token_type":"bearer","scope":""}.
// Wrong API token → 400 {"error":"invalid_grant"}; wrong or missing Basic credentials → 401; a request
// that is not application/x-www-form-urlencoded → 415; other paths → 404.
class FakeCsp {
 public:
  using Options = FakeCspOptions;
  static std::unique_ptr<FakeCsp> start(Options options = {}, std::string* error = nullptr);
  ~FakeCsp();
  FakeCsp(const FakeCsp&) = delete;
  FakeCsp& operator=(const FakeCsp&) = delete;

  uint16_t port() const;
  std::string url() const;  // the CSP base URL: "http://127.0.0.1:<port>" or "https://localhost:<port>"

  void fail_next(int count, int status = 500);  // the next `count` requests get `status`
  void set_expires_in(int seconds);             // for tokens issued from now on

  int grant_count() const;    // tokens issued
  int request_count() const;  // every request, failed ones included
  std::string last_path() const;
  std::string last_form_body() const;
  std::string last_authorization() const;
  std::string current_access_token() const;  // the latest issued, "" before the first
  // Issued by this fake and not expired by its expires_in (steady clock).
  bool is_valid_token(const std::string& token) const;

  bool wait_for_grants(int n, std::chrono::milliseconds timeout) const;
  bool wait_for_requests(int n, std::chrono::milliseconds timeout) const;

 private:
  explicit FakeCsp(Options options);
  void serve(const httplib::Request& request, httplib::Response& response);
  std::pair<int, std::string> grant();  // needs mutex_ held

  const Options options_;
  std::unique_ptr<detail::HttpServerThread> thread_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  int failures_left_ = 0;
  int failure_status_ = 500;
  int expires_in_ = 0;
  int grants_ = 0;
  int requests_ = 0;
  std::string last_path_;
  std::string last_form_body_;
  std::string last_authorization_;
  std::map<std::string, std::chrono::steady_clock::time_point> tokens_;  // token → expiry
  std::string current_token_;
};

}  // namespace wavefront::testing
