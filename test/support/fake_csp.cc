// The fake CSP (VMware Cloud Services) token endpoints of fake_http_server.h: both grant flows, issued
// tokens with an expiry, scripted failures.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <cctype>
#include <map>
#include <utility>

#include "support/fake_http_server.h"
#include "support/http_server_thread.h"

namespace wavefront::testing {
namespace {

constexpr char kApiTokenPath[] = "/csp/gateway/am/api/auth/api-tokens/authorize";
constexpr char kClientCredentialsPath[] = "/csp/gateway/am/api/auth/authorize";

std::string base64(const std::string& text) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, text.size() - i);
    unsigned group = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      group = (group << 8) | (k < n ? static_cast<unsigned char>(text[i + k]) : 0u);
    }
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(group >> (18 - 6 * k)) & 0x3F] : '=';
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string form_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// application/x-www-form-urlencoded fields; a repeated key keeps its first value.
std::map<std::string, std::string> parse_form(const std::string& body) {
  std::map<std::string, std::string> fields;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    const std::string pair = body.substr(start, end - start);
    const std::size_t equals = pair.find('=');
    if (!pair.empty()) {
      fields.emplace(form_decode(pair.substr(0, equals)),
                     equals == std::string::npos ? "" : form_decode(pair.substr(equals + 1)));
    }
    start = end + 1;
  }
  return fields;
}

std::string error_body(const std::string& error, const std::string& description) {
  return nlohmann::json{{"error", error}, {"error_description", description}}.dump();
}

}  // namespace

FakeCsp::FakeCsp(Options options) : options_(std::move(options)), expires_in_(options_.expires_in_seconds) {}

// Stop (ending and joining every handler) before the pointer handlers may read is cleared.
FakeCsp::~FakeCsp() {
  if (thread_) thread_->stop();
  thread_.reset();
}

std::unique_ptr<FakeCsp> FakeCsp::start(Options options, std::string* error) {
  std::unique_ptr<FakeCsp> self(new FakeCsp(std::move(options)));
  FakeCsp* raw = self.get();
  self->thread_ = detail::HttpServerThread::start(
      self->options_.tls,
      [raw](const httplib::Request& request, httplib::Response& response) { raw->serve(request, response); },
      error);
  if (!self->thread_) return nullptr;
  return self;
}

void FakeCsp::serve(const httplib::Request& request, httplib::Response& response) {
  const std::string content_type = request.get_header_value("Content-Type");
  const std::string authorization = request.get_header_value("Authorization");
  std::pair<int, std::string> answer;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++requests_;
    last_path_ = request.path;
    last_form_body_ = request.body;
    last_authorization_ = authorization;
    const auto fields = parse_form(request.body);
    const auto field = [&](const char* name) {
      const auto found = fields.find(name);
      return found == fields.end() ? std::optional<std::string>() : found->second;
    };
    if (failures_left_ > 0) {
      --failures_left_;
      answer = {failure_status_, error_body("server_error", "scripted failure")};
    } else if (request.path != kApiTokenPath && request.path != kClientCredentialsPath) {
      answer = {404, error_body("not_found", "no such endpoint")};
    } else if (content_type.rfind("application/x-www-form-urlencoded", 0) != 0) {
      answer = {415, error_body("unsupported_media_type", "expected a form body")};
    } else if (request.path == kApiTokenPath) {
      answer = field("api_token") == options_.api_token
                   ? grant()
                   : std::make_pair(400, error_body("invalid_grant", "invalid api_token"));
    } else if (authorization != "Basic " + base64(options_.client_id + ":" + options_.client_secret)) {
      answer = {401, error_body("invalid_client", "bad client credentials")};
    } else if (field("grant_type") != std::optional<std::string>("client_credentials")) {
      answer = {400, error_body("unsupported_grant_type", "expected client_credentials")};
    } else if (options_.org_id && field("orgId") && field("orgId") != options_.org_id) {
      answer = {400, error_body("invalid_request", "unknown orgId")};
    } else {
      answer = grant();
    }
  }
  changed_.notify_all();
  response.status = answer.first;
  response.set_content(answer.second, "application/json");
}

std::pair<int, std::string> FakeCsp::grant() {
  ++grants_;
  current_token_ = "csp-access-" + std::to_string(grants_);
  tokens_[current_token_] = std::chrono::steady_clock::now() + std::chrono::seconds(expires_in_);
  const nlohmann::ordered_json body = {
      {"access_token", current_token_}, {"expires_in", expires_in_}, {"token_type", "bearer"}, {"scope", ""}};
  return {200, body.dump()};
}

uint16_t FakeCsp::port() const { return thread_->port(); }
std::string FakeCsp::url() const { return thread_->url(); }

void FakeCsp::fail_next(int count, int status) {
  std::lock_guard<std::mutex> lock(mutex_);
  failures_left_ = count;
  failure_status_ = status;
}
void FakeCsp::set_expires_in(int seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  expires_in_ = seconds;
}

int FakeCsp::grant_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return grants_;
}
int FakeCsp::request_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}
std::string FakeCsp::last_path() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_path_;
}
std::string FakeCsp::last_form_body() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_form_body_;
}
std::string FakeCsp::last_authorization() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_authorization_;
}
std::string FakeCsp::current_access_token() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_token_;
}
bool FakeCsp::is_valid_token(const std::string& token) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = tokens_.find(token);
  return found != tokens_.end() && std::chrono::steady_clock::now() < found->second;
}

bool FakeCsp::wait_for_grants(int n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return grants_ >= n; });
}
bool FakeCsp::wait_for_requests(int n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return requests_ >= n; });
}

}  // namespace wavefront::testing
