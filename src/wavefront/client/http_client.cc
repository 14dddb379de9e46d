// HttpClient: validates its configuration and wires an HttpTransport (on the libcurl exchange, and a
// token source) into a SenderCore; refuses every URL in a build without libcurl.
#include "wavefront/http_client.h"

#include <unistd.h>

#include "wavefront/auth/csp_token_source.h"
#include "wavefront/client/core_handle.h"
#include "wavefront/client/sender_core.h"
#include "wavefront/client_factory.h"
#include "wavefront/transport/http_transport.h"
#include "wavefront/version.h"

namespace wavefront {
namespace {

Status invalid(const std::string& message) { return Status(ErrorCode::invalid_argument, message); }

Status validate(const HttpClientConfig& config, const SenderUrl& url) {
  if (Status status = client::validate_sender_config(config); !status.ok()) return status;
  if (url.kind == SenderUrl::Kind::proxy_tcp) return invalid("server must be an http:// or https:// URL");
  if (config.connect_timeout <= std::chrono::milliseconds(0))
    return invalid("connect_timeout must be positive");
  if (config.request_timeout <= std::chrono::milliseconds(0))
    return invalid("request_timeout must be positive");
  if (config.gzip_level < 1 || config.gzip_level > 9) return invalid("gzip_level must be between 1 and 9");
  if (config.max_response_bytes < 1024) return invalid("max_response_bytes must be at least 1024");
  if (config.csp.kind == CspCredentials::Kind::api_token && config.csp.api_token.empty()) {
    return invalid("csp.api_token must be set for CSP API-token authentication");
  }
  if (config.csp.kind == CspCredentials::Kind::client_credentials &&
      (config.csp.client_id.empty() || config.csp.client_secret.empty())) {
    return invalid("csp.client_id and csp.client_secret must be set for CSP client credentials");
  }
  if (config.csp.kind != CspCredentials::Kind::none && url.kind != SenderUrl::Kind::direct_https) {
    return invalid("CSP authentication needs an https:// server");
  }
  return Status();
}

std::string base_url(const SenderUrl& url) {
  const std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  return std::string(url.kind == SenderUrl::Kind::direct_https ? "https://" : "http://") + host + ":" +
         std::to_string(url.port);
}

}  // namespace

SenderHandle HttpClient::create(const HttpClientConfig& config) {
  auto parsed = parse_sender_url(config.server);
  if (!parsed.ok()) return Status(ErrorCode::invalid_argument, "server: " + parsed.status().message());
  const SenderUrl& url = *parsed;
  if (url.kind != SenderUrl::Kind::proxy_tcp && !transport::http_available()) {
    return transport::http_unavailable(url.scheme);
  }
  if (Status status = validate(config, url); !status.ok()) return status;

  const std::string token = !config.token.empty() ? config.token : url.token;
  const bool https = url.kind == SenderUrl::Kind::direct_https;
  if ((!token.empty() || url.ignored_token) && !https && config.logger) {
    config.logger->log(LogLevel::warning, "a token was given for plain-http server " + url.redacted() +
                                              "; it is ignored, never sent in clear");
  }
  const bool direct = https && (!token.empty() || config.csp.kind != CspCredentials::Kind::none);

  transport::HttpTransportConfig transport_config;
  transport_config.base_url = base_url(url);
  transport_config.direct = direct;
  transport_config.gzip_level = config.gzip_level;
  transport_config.http.connect_timeout = config.connect_timeout;
  transport_config.http.request_timeout = config.request_timeout;
  transport_config.http.ca_file = config.ca_file;
  transport_config.http.trusted_certificate = config.trusted_certificate;
  transport_config.http.max_response_bytes = config.max_response_bytes;

  const std::shared_ptr<Clock> clock = config.clock ? config.clock : Clock::system();
  std::string auth_type = "NONE";
  if (direct) {
    auth_type = config.csp.kind == CspCredentials::Kind::none
                    ? "API_TOKEN"
                    : (config.csp.kind == CspCredentials::Kind::api_token ? "CSP_API_TOKEN"
                                                                          : "CSP_CLIENT_CREDENTIALS");
  }
  // Made again in a child of fork() (core_handle.h), with the child's pid.
  auto make_core = [config, direct, auth_type, token, transport_config, clock] {
    client::ClientIdentity identity{
        direct ? "direct" : "wfclient",
        {{"pid", std::to_string(::getpid())}, {"version", version_string()}, {"authType", auth_type}},
        direct};
    return std::make_unique<client::SenderCore>(
        config, std::move(identity),
        [&](internal::RateLimitedLog& log) -> std::unique_ptr<transport::Transport> {
          std::unique_ptr<auth::TokenSource> token_source;
          if (direct && config.csp.kind != CspCredentials::Kind::none) {
            token_source = std::make_unique<auth::CspTokenSource>(config.csp, transport_config.http, clock,
                                                                  log, config.retry_backoff_initial,
                                                                  config.retry_backoff_max);
          } else if (direct) {
            token_source = std::make_unique<auth::FixedToken>(token);
          }
          // Cannot fail: create() refused the client when the build has no HTTP exchange.
          auto exchange = transport::make_http_exchange(transport_config.http);
          return std::make_unique<transport::HttpTransport>(transport_config, std::move(exchange).value(),
                                                            std::move(token_source), clock, log);
        });
  };
  return SenderHandle(
      std::unique_ptr<Sender>(new HttpClient(std::make_unique<client::CoreHandle>(make_core))));
}

SenderHandle HttpClient::direct(const std::string& server, const std::string& token) {
  HttpClientConfig config;
  config.server = server;
  config.token = token;
  return create(config);
}

}  // namespace wavefront
