// Where the HTTP transport gets the Bearer token it sends (private).
//
// A fixed API token, or CSP access tokens that a background thread keeps fresh. The transport asks
// for the current token before each request and calls invalidate() when the receiver answers 401 or
// 403, which makes a CSP source fetch a new one at once (with backoff).
//
// Thread-safety: token() and invalidate() may be called from any thread.
#pragma once

#include <string>
#include <utility>

namespace wavefront::auth {

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // The token to send now; empty while none is available yet.
  virtual std::string token() = 0;
  virtual void invalidate() = 0;
  // Stops background work; called once when the sender closes.
  virtual void stop() = 0;
};

class FixedToken final : public TokenSource {
 public:
  explicit FixedToken(std::string value) : value_(std::move(value)) {}
  std::string token() override { return value_; }
  void invalidate() override {}
  void stop() override {}

 private:
  const std::string value_;
};

}  // namespace wavefront::auth
