// make_sender: clients from URLs; see include/wavefront/client_factory.h.
#include <cstdlib>
#include <string>
#include <vector>

#include "wavefront/client/transport_registry.h"
#include "wavefront/client_factory.h"
#include "wavefront/format/utf8.h"
#include "wavefront/http_client.h"
#include "wavefront/proxy_client.h"
#include "wavefront/transport/http_exchange.h"

namespace wavefront {
namespace {

std::string environment(const char* name) {
  // Reading the environment races only with setenv/putenv in another thread, which a process that
  // configures telemetry from its environment does not do concurrently.
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe)
  return value != nullptr ? value : "";
}

SenderHandle make_one(const SenderUrl& url, const SenderConfig& settings) {
  if (url.ignored_token && settings.logger) {
    settings.logger->log(
        LogLevel::warning,
        "the token in " + url.redacted() + " is ignored: it would travel in clear; use https:// to send it");
  }
  if (url.kind == SenderUrl::Kind::registered) {
    const SchemeHandler handler = client::find_scheme_handler(url.scheme);
    if (!handler)
      return Status(ErrorCode::invalid_argument, "no transport is registered for " + url.scheme + "://");
    auto make_transport = handler(url, settings);
    if (!make_transport.ok()) return make_transport.status();
    // unix:// talks to a local proxy: its self-metrics are a proxy client's.
    auto sender = client::make_sender_over(std::move(make_transport).value(), settings,
                                           url.scheme == "unix" ? "proxy" : url.scheme);
    if (!sender.ok()) return sender.status();
    return SenderHandle(std::unique_ptr<Sender>(std::move(sender).value()));
  }
  if (url.kind == SenderUrl::Kind::proxy_tcp) {
    ProxyClientConfig config;
    static_cast<SenderConfig&>(config) = settings;
    config.host = url.host;
    config.metrics_port = url.port;  // unset ports default to it, as in ProxyClientConfig
    config.distribution_port = url.distribution_port;
    config.tracing_port = url.tracing_port;
    config.event_port = url.event_port;
    return ProxyClient::create(config);
  }
  // http://, https://, proxy://: the scheme is named in the refusal of a build without libcurl.
  if (!transport::http_available()) return transport::http_unavailable(url.scheme);
  HttpClientConfig config;
  static_cast<SenderConfig&>(config) = settings;
  config.server = url.redacted();  // host and port; the token travels separately
  if (url.kind == SenderUrl::Kind::direct_https) {
    config.server = "https://" + (url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host) +
                    ":" + std::to_string(url.port);
    config.token = !url.token.empty() ? url.token : environment("WAVEFRONT_TOKEN");
  }
  return HttpClient::create(config);
}

}  // namespace

SenderHandle make_sender(std::string_view urls, const SenderConfig& settings) {
  std::string from_environment;
  if (format::trim(urls).empty()) {
    from_environment = environment("WAVEFRONT_URL");
    if (from_environment.empty()) {
      return Status(ErrorCode::invalid_argument, "no sender URL was given and WAVEFRONT_URL is not set");
    }
    urls = from_environment;
  }
  std::vector<MultiSender::Endpoint> endpoints;
  std::size_t start = 0;
  while (start <= urls.size()) {
    const std::size_t comma = std::min(urls.find(',', start), urls.size());
    const std::string_view one = format::trim(urls.substr(start, comma - start));
    start = comma + 1;
    auto url = parse_sender_url(one);
    if (!url.ok()) return url.status();
    auto sender = make_one(*url, settings);
    if (!sender.ok()) {
      return Status(sender.status().code(), url->redacted() + ": " + sender.status().message());
    }
    endpoints.push_back(MultiSender::Endpoint{url->redacted(), sender.release()});
  }
  if (endpoints.size() == 1) return SenderHandle(std::move(endpoints.front().sender));
  return SenderHandle(std::unique_ptr<Sender>(std::make_unique<MultiSender>(std::move(endpoints))));
}

}  // namespace wavefront
