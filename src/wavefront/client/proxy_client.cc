// ProxyClient: validates its configuration and wires a TcpTransport into a SenderCore.
#include "wavefront/proxy_client.h"

#include <unistd.h>

#include "wavefront/client/core_handle.h"
#include "wavefront/client/sender_core.h"
#include "wavefront/transport/tcp_transport.h"
#include "wavefront/version.h"

namespace wavefront {
namespace {

Status invalid(const std::string& message) { return Status(ErrorCode::invalid_argument, message); }

Status validate(const ProxyClientConfig& config) {
  if (Status status = client::validate_sender_config(config); !status.ok()) return status;
  if (config.host.empty()) return invalid("host must not be empty");
  const std::pair<const char*, std::optional<std::uint16_t>> ports[] = {
      {"metrics_port", config.metrics_port},
      {"distribution_port", config.distribution_port},
      {"tracing_port", config.tracing_port},
      {"event_port", config.event_port}};
  bool any = false;
  for (const auto& [name, port] : ports) {
    if (port && *port == 0) return invalid(std::string(name) + " must be between 1 and 65535");
    any = any || port.has_value();
  }
  if (!any) return invalid("at least one of metrics_port, distribution_port, tracing_port must be set");
  if (config.connect_timeout <= std::chrono::milliseconds(0))
    return invalid("connect_timeout must be positive");
  if (config.write_timeout <= std::chrono::milliseconds(0)) return invalid("write_timeout must be positive");
  if (config.gzip_level < 1 || config.gzip_level > 9) return invalid("gzip_level must be between 1 and 9");
  return Status();
}

transport::TcpTransportConfig transport_config(const ProxyClientConfig& config) {
  transport::TcpTransportConfig tcp;
  tcp.host = config.host;
  // A port left unset is the metrics (push) port, which a proxy accepts every data type on: nothing
  // is dropped for want of a port unless metrics_port itself is unset.
  const auto or_metrics = [&](std::optional<std::uint16_t> port) {
    return port ? port : config.metrics_port;
  };
  tcp.ports = {config.metrics_port, or_metrics(config.distribution_port), or_metrics(config.tracing_port),
               or_metrics(config.tracing_port), or_metrics(config.event_port)};
  tcp.port_setting_names = {"metrics_port", "distribution_port (or metrics_port)",
                            "tracing_port (or metrics_port)", "tracing_port (or metrics_port)",
                            "event_port (or metrics_port)"};
  tcp.connect_timeout = config.connect_timeout;
  tcp.write_timeout = config.write_timeout;
  tcp.reconnect_backoff_initial = config.retry_backoff_initial;
  tcp.reconnect_backoff_max = config.retry_backoff_max;
  tcp.gzip = config.gzip;
  tcp.gzip_level = config.gzip_level;
  tcp.resend_window_bytes = config.resend_window_bytes;
  return tcp;
}

}  // namespace

SenderHandle ProxyClient::create(const ProxyClientConfig& config) {
  if (Status status = validate(config); !status.ok()) return status;
  // Made again in a child of fork() (core_handle.h), with the child's pid.
  auto make_core = [config] {
    client::ClientIdentity identity{"proxy",
                                    {{"pid", std::to_string(::getpid())}, {"version", version_string()}}};
    return std::make_unique<client::SenderCore>(
        config, std::move(identity), [&](internal::RateLimitedLog& log) {
          return std::make_unique<transport::TcpTransport>(transport_config(config), log);
        });
  };
  return SenderHandle(
      std::unique_ptr<Sender>(new ProxyClient(std::make_unique<client::CoreHandle>(make_core))));
}

}  // namespace wavefront
