// Shared by the HTTP client tests: a client configuration for a fake receiver with short intervals and
// backoff (so retries happen within a test), trusting the test certificate when the receiver speaks TLS.
#pragma once

#include <chrono>
#include <memory>

#include "support/client_test_util.h"
#include "support/fake_http_server.h"
#include "support/test_certificates.h"
#include "wavefront/http_client.h"

namespace wavefront::testing {

inline HttpClientConfig fast_http_config(const FakeHttpServer& server) {
  using namespace std::chrono_literals;
  HttpClientConfig config;
  config.server = server.url();
  config.flush_interval = 20ms;
  config.retry_backoff_initial = 5ms;
  config.retry_backoff_max = 50ms;
  config.self_metrics_interval = 0ms;
  config.request_timeout = 5s;
  if (server.tls()) config.trusted_certificate = localhost_certificate().cert_file;
  return config;
}

inline std::unique_ptr<Sender> make_http_client(const HttpClientConfig& config) {
  return create_or_fail<HttpClient>(config);
}

}  // namespace wavefront::testing
