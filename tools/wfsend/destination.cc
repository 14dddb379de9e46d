// See destination.h.
#include "wfsend/destination.h"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "wavefront/client_factory.h"
#include "wavefront/http_client.h"
#include "wavefront/logger.h"
#include "wavefront/proxy_client.h"
#include "wfsend/commands.h"
#include "wfsend/stdout_sender.h"

namespace wfsend {

using wavefront::ErrorCode;
using wavefront::Status;

void add_destination_options(CLI::App& command, DestinationOptions& options) {
  command.add_option("--to", options.url,
                     "Where to send: tcp://HOST:PORT (raw TCP to a proxy), proxy://HOST[:PORT] or "
                     "http://HOST[:PORT] (HTTP to a proxy), https://TOKEN@HOST (direct ingestion), or - "
                     "(print the wire lines to standard output). Default: $WAVEFRONT_URL, else -");
  command.add_option("--distribution-port", options.distribution_port,
                     "tcp:// only: the proxy's histogram port (default: the URL's port)");
  command.add_option(
      "--tracing-port", options.tracing_port,
      "tcp:// only: the proxy's tracing port for spans and span logs (default: the URL's port)");
  command.add_option("--token-file", options.token_file,
                     "https:// only: read the API token from this file (else the URL or $WAVEFRONT_TOKEN)");
  command
      .add_option("--ca-file", options.ca_file, "https:// only: PEM bundle of CAs to verify the server with")
      ->check(CLI::ExistingFile);
  command
      .add_option("--close-timeout", options.close_timeout_seconds,
                  "Seconds the final flush may take before what is left counts as not delivered")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  command
      .add_option("--block-timeout", options.block_timeout_seconds,
                  "Seconds reading may wait for room in a full queue before a point is dropped")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
}

namespace {

std::chrono::milliseconds seconds_to_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0));
}

wavefront::Expected<std::string> read_token_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) return Status(ErrorCode::invalid_argument, "--token-file: cannot read " + path);
  std::stringstream text;
  text << file.rdbuf();
  std::string token = text.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  if (token.empty()) return Status(ErrorCode::invalid_argument, "--token-file: " + path + " is empty");
  return token;
}

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

wavefront::Expected<Destination> open_destination(const DestinationOptions& options) {
  std::string url = options.url;
  if (url.empty()) {
    const char* from_environment = std::getenv("WAVEFRONT_URL");
    url = from_environment != nullptr && *from_environment != '\0' ? from_environment : "-";
  }
  Destination destination;
  if (url == "-") {
    destination.sender = std::make_unique<StreamSender>(stdout);
    destination.description = "standard output";
    destination.to_stdout = true;
    return destination;
  }
  auto parsed = wavefront::parse_sender_url(url);
  if (!parsed.ok())
    return Status(ErrorCode::invalid_argument, "--to: " + std::string(parsed.status().message()));
  const wavefront::SenderUrl& target = *parsed;
  destination.description = target.redacted();

  wavefront::SenderConfig settings;
  // Reading waits for the sender rather than dropping: an import should go at the receiver's pace.
  settings.overflow_policy = wavefront::OverflowPolicy::block;
  settings.block_timeout = seconds_to_ms(options.block_timeout_seconds);
  settings.close_timeout = seconds_to_ms(options.close_timeout_seconds);
  settings.self_metrics_interval = std::chrono::milliseconds(0);  // a tool run adds nothing of its own
  settings.logger = wavefront::make_stderr_logger(wavefront::LogLevel::warning);
  settings.log_interval = std::chrono::milliseconds(5000);

  if (target.kind == wavefront::SenderUrl::Kind::proxy_tcp) {
    if (!options.token_file.empty() || !options.ca_file.empty()) {
      return Status(ErrorCode::invalid_argument, "--token-file and --ca-file apply to https:// only");
    }
    wavefront::ProxyClientConfig config;
    static_cast<wavefront::SenderConfig&>(config) = settings;
    config.host = target.host;
    config.metrics_port = target.port;
    config.distribution_port = options.distribution_port != 0 ? options.distribution_port : target.port;
    config.tracing_port = options.tracing_port != 0 ? options.tracing_port : target.port;
    auto client = wavefront::ProxyClient::create(config);
    if (!client.ok()) return client.status();
    destination.sender = client.release();
    return destination;
  }
  if (options.distribution_port != 0 || options.tracing_port != 0) {
    return Status(ErrorCode::invalid_argument,
                  "--distribution-port and --tracing-port apply to tcp:// only (HTTP uses one port)");
  }
  wavefront::HttpClientConfig config;
  static_cast<wavefront::SenderConfig&>(config) = settings;
  config.ca_file = options.ca_file;
  if (target.kind == wavefront::SenderUrl::Kind::direct_https || !options.token_file.empty()) {
    if (url.rfind("https://", 0) != 0) {
      return Status(ErrorCode::invalid_argument,
                    "--token-file needs an https:// URL (a token never travels in clear)");
    }
    config.server = "https://" + bracketed(target.host) + ":" + std::to_string(target.port);
    if (!target.token.empty()) {
      config.token = target.token;
    } else if (!options.token_file.empty()) {
      auto token = read_token_file(options.token_file);
      if (!token.ok()) return token.status();
      config.token = *token;
    } else if (const char* token = std::getenv("WAVEFRONT_TOKEN"); token != nullptr) {
      config.token = token;
    }
  } else {
    config.server = target.redacted();
  }
  auto client = wavefront::HttpClient::create(config);
  if (!client.ok()) return client.status();
  destination.sender = client.release();
  return destination;
}

wavefront::SenderStats close_destination(Destination& destination, const DestinationOptions& options) {
  destination.sender->close(seconds_to_ms(options.close_timeout_seconds));
  return destination.sender->stats();
}

Totals totals_of(const wavefront::SenderStats& stats) {
  Totals totals;
  for (const wavefront::TypeStats& type : stats.types) {
    totals.accepted += type.accepted;
    totals.invalid += type.invalid;
    totals.delivered += type.delivered;
    totals.dropped += type.dropped;
    totals.queued += type.queued;
  }
  return totals;
}

int exit_code_for(const wavefront::SenderStats& stats, std::uint64_t refused_rows) {
  const Totals totals = totals_of(stats);
  if (totals.dropped != 0 || totals.queued != 0) return kExitUndelivered;
  if (totals.invalid != 0 || refused_rows != 0) return kExitRejected;
  return kExitOk;
}

}  // namespace wfsend
