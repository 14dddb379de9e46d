// `HttpClient`: sends over HTTP(S), to a proxy's HTTP listener or straight to the Wavefront service.
//
// The C++ counterpart of the seed's `WavefrontDirectClient(server, token)` and of the newer SDKs'
// unified client. Batches are gzip-compressed and POSTed to `/report?f=...`; with a token (direct
// ingestion) each request carries `Authorization: Bearer <token>` and events go one JSON object per
// `POST /api/v2/event`. The receiver's answers drive what happens to a batch: 2xx delivered, 400
// dropped, 413 split in halves, everything else kept (within the queue bounds) and retried with
// backoff. The token never appears in logs, errors or metrics. Most code creates it from a URL with
// `make_sender` (client_factory.h); use this header to set everything by hand:
//
//   wavefront::HttpClientConfig config;
//   config.server = "https://mycluster.wavefront.com";
//   config.token = api_token;
//   auto client = wavefront::HttpClient::create(config);
//
// Thread-safety: all methods are safe to call concurrently from any thread, close() included.
// After fork() the child's client starts over with an empty queue on first use; at exit() a client
// still alive is closed with close_timeout (details in queued_sender.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "wavefront/export.h"
#include "wavefront/queued_sender.h"
#include "wavefront/sender_config.h"
#include "wavefront/sender_handle.h"

namespace wavefront {

// VMware Cloud Services credentials, exchanged for short-lived access tokens off the caller's path.
struct CspCredentials {
  enum class Kind { none, api_token, client_credentials };
  Kind kind = Kind::none;
  std::string base_url = "https://console.cloud.vmware.com";
  std::string api_token;  // Kind::api_token: a CSP user API token
  std::string client_id;  // Kind::client_credentials: a server-to-server app
  std::string client_secret;
  std::string org_id;  // optional, client credentials only
};

struct HttpClientConfig : SenderConfig {
  // "https://host[:port]" for direct ingestion, "http://host[:port]" for a proxy (port 2878 there).
  std::string server;
  // A Wavefront API token with the Direct Data Ingestion permission. Sent only over https.
  std::string token;
  // Alternatively, CSP credentials; the access token they yield is used as the Bearer token.
  CspCredentials csp;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds request_timeout{30000};  // the whole request, response included
  // TLS: verification is always on. `ca_file` replaces the system CA bundle; `trusted_certificate`
  // (a PEM file) is trusted as its own authority, for tests against a self-signed receiver.
  std::string ca_file;
  std::string trusted_certificate;
  // gzip level of request bodies, 1 (fastest) to 9 (smallest); see docs/benchmarks.md for why 1.
  int gzip_level = 1;
  // At most this much of a response body is read; the rest is discarded.
  std::size_t max_response_bytes = std::size_t{64} * 1024;
};

class WAVEFRONT_API HttpClient final : public QueuedSender {
 public:
  // Validates the configuration and starts the background thread (and the CSP token thread).
  static SenderHandle create(const HttpClientConfig& config);
  // The seed's WavefrontDirectClient(server, token), with default settings.
  static SenderHandle direct(const std::string& server, const std::string& token);

 private:
  using QueuedSender::QueuedSender;
};

}  // namespace wavefront
