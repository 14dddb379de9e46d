// CSP (VMware Cloud Services) access tokens, kept fresh by a background thread (private).
//
// Exchanges a user API token (`/csp/gateway/am/api/auth/api-tokens/authorize`) or server-to-server
// client credentials (`/csp/gateway/am/api/auth/authorize`, Basic auth) for an access token, and
// refreshes it `expires_in - 30 s` after issue when it lives under 10 minutes, else `expires_in -
// 180 s`. Failures are retried with capped exponential backoff; a 401/403 from the receiver
// (invalidate()) asks for a new token at once. Senders never wait for it: until a token exists,
// their deliveries fail and are retried like any other.
//
// Thread-safety: token(), invalidate() and stop() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "wavefront/auth/token_source.h"
#include "wavefront/clock.h"
#include "wavefront/http_client.h"
#include "wavefront/internal/backoff.h"
#include "wavefront/internal/process_lifecycle.h"
#include "wavefront/internal/rate_limited_log.h"
#include "wavefront/transport/http_exchange.h"

namespace wavefront::auth {

// When to refresh a token that lives `expires_in`, per the spec.
std::chrono::seconds csp_refresh_delay(std::chrono::seconds expires_in);

class CspTokenSource final : public TokenSource {
 public:
  CspTokenSource(CspCredentials credentials, transport::HttpSettings http, std::shared_ptr<Clock> clock,
                 internal::RateLimitedLog& log, std::chrono::milliseconds backoff_initial,
                 std::chrono::milliseconds backoff_max);
  ~CspTokenSource() override;

  std::string token() override;
  void invalidate() override;
  void stop() override;

 private:
  void run();
  // One exchange; on success stores the token and returns its lifetime.
  std::optional<std::chrono::seconds> fetch(transport::HttpExchange& http);

  const CspCredentials credentials_;
  const transport::HttpSettings http_settings_;
  const std::shared_ptr<Clock> clock_;
  internal::RateLimitedLog& log_;
  internal::Backoff backoff_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::string token_;
  bool refresh_now_ = true;
  bool stopping_ = false;
  transport::AbortDeadline abort_;
  internal::OwnedThread thread_;
};

}  // namespace wavefront::auth
