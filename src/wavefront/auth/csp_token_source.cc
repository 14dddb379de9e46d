// CSP token exchange and refresh; see csp_token_source.h.
#include "wavefront/auth/csp_token_source.h"

#include <algorithm>

#include "wavefront/auth/json_field.h"

namespace wavefront::auth {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string form_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') ||
        byte == '-' || byte == '_' || byte == '.' || byte == '~') {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[byte >> 4];
      encoded += kHex[byte & 0xF];
    }
  }
  return encoded;
}

std::string base64(std::string_view text) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string encoded;
  std::size_t index = 0;
  for (; index + 2 < text.size(); index += 3) {
    const unsigned value = (static_cast<unsigned char>(text[index]) << 16) |
                           (static_cast<unsigned char>(text[index + 1]) << 8) |
                           static_cast<unsigned char>(text[index + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) encoded += kAlphabet[(value >> shift) & 0x3F];
  }
  const std::size_t rest = text.size() - index;
  if (rest > 0) {
    unsigned value = static_cast<unsigned char>(text[index]) << 16;
    if (rest == 2) value |= static_cast<unsigned char>(text[index + 1]) << 8;
    encoded += kAlphabet[(value >> 18) & 0x3F];
    encoded += kAlphabet[(value >> 12) & 0x3F];
    encoded += rest == 2 ? kAlphabet[(value >> 6) & 0x3F] : '=';
    encoded += '=';
  }
  return encoded;
}

}  // namespace

seconds csp_refresh_delay(seconds expires_in) {
  const seconds delay = expires_in < seconds(600) ? expires_in - seconds(30) : expires_in - seconds(180);
  return std::max(delay, seconds(1));
}

CspTokenSource::CspTokenSource(CspCredentials credentials, transport::HttpSettings http,
                               std::shared_ptr<Clock> clock, internal::RateLimitedLog& log,
                               milliseconds backoff_initial, milliseconds backoff_max)
    : credentials_(std::move(credentials)),
      http_settings_(std::move(http)),
      clock_(std::move(clock)),
      log_(log),
      backoff_(backoff_initial, backoff_max,
               static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())) {
  thread_.start([this] { run(); });
}

CspTokenSource::~CspTokenSource() { stop(); }

std::string CspTokenSource::token() {
  std::lock_guard<std::mutex> lock(mutex_);
  return token_;
}

void CspTokenSource::invalidate() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    refresh_now_ = true;
  }
  wake_.notify_one();
}

void CspTokenSource::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ && !thread_.running_here()) return;
    stopping_ = true;
  }
  abort_.set(std::chrono::steady_clock::now());  // ends an exchange in flight
  wake_.notify_one();
  if (!thread_.is_current()) thread_.join();
}

std::optional<seconds> CspTokenSource::fetch(transport::HttpExchange& http) {
  std::string url = credentials_.base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  std::vector<std::string> headers = {"Content-Type: application/x-www-form-urlencoded",
                                      "Accept: application/json"};
  std::string body;
  if (credentials_.kind == CspCredentials::Kind::api_token) {
    url += "/csp/gateway/am/api/auth/api-tokens/authorize";
    body = "api_token=" + form_encode(credentials_.api_token);
  } else {
    url += "/csp/gateway/am/api/auth/authorize";
    headers.push_back("Authorization: Basic " +
                      base64(credentials_.client_id + ":" + credentials_.client_secret));
    body = "grant_type=client_credentials";
    if (!credentials_.org_id.empty()) body += "&orgId=" + form_encode(credentials_.org_id);
  }
  const transport::HttpResponse response = http.post(url, headers, body, abort_);
  const auto access_token = json_string_field(response.body, "access_token");
  const auto expires_in = json_number_field(response.body, "expires_in");
  if (response.status < 200 || response.status >= 300 || !access_token || access_token->empty() ||
      !expires_in) {
    log_.log(LogLevel::warning, internal::LogKind::token_refresh, [&] {
      return "CSP token exchange at " + credentials_.base_url + " failed: " +
             (response.status == 0 ? response.error.message()
                                   : "status " + std::to_string(response.status) +
                                         (response.status < 300 ? " without access_token/expires_in" : "")) +
             "; retrying with backoff";
    });
    return std::nullopt;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  token_ = *access_token;
  return seconds(static_cast<std::int64_t>(std::max(0.0, *expires_in)));
}

void CspTokenSource::run() {
  auto made = transport::make_http_exchange(http_settings_);
  if (!made.ok()) {
    // Not reached: HttpClient refuses CSP (https://) in a build without libcurl.
    log_.log(LogLevel::error, internal::LogKind::token_refresh, [&] { return made.status().message(); });
    return;
  }
  transport::HttpExchange& http = **made;
  auto scheduled = clock_->now();           // the next planned exchange
  auto earliest_on_demand = clock_->now();  // invalidate() may bring it forward to no earlier than this
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      // Re-check the clock at least every 100 ms: it may be a manual clock in tests.
      const auto due = [&] {
        const auto now = clock_->now();
        return stopping_ || now >= scheduled || (refresh_now_ && now >= earliest_on_demand);
      };
      while (!due()) wake_.wait_for(lock, milliseconds(100));
      if (stopping_) return;
      refresh_now_ = false;
    }
    if (const auto lifetime = fetch(http)) {
      backoff_.reset();
      scheduled = clock_->now() + csp_refresh_delay(*lifetime);
      earliest_on_demand = clock_->now();
    } else {
      scheduled = clock_->now() + backoff_.next();
      earliest_on_demand = scheduled;
    }
  }
}

}  // namespace wavefront::auth
