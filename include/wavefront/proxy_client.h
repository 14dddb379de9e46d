// `ProxyClient`: sends to a Wavefront proxy over raw TCP, one port per kind of data.
//
// The C++ counterpart of the seed's `WavefrontProxyClient`: give it the proxy host and the ports its
// listeners use (`pushListenerPorts` for metrics, `histogramDistListenerPorts` for distributions,
// `traceListenerPorts` for spans and span logs). A port left unset is the metrics port (a proxy's
// push port accepts every data type); only with metrics_port unset too is a kind of data refused
// with `not_configured` (and a warning logged). Create one per process and share it:
//
//   wavefront::ProxyClientConfig config;
//   config.host = "proxy.internal";
//   config.tracing_port = 30000;
//   auto client = wavefront::ProxyClient::create(config);
//   if (!client) { /* client.error() says which setting is wrong */ }
//   client->send_metric("cpu.usage", 42.5, {}, "", {{"env", "prod"}});
//
// Lines are batched and written by one background thread; reconnects resolve the host again and back
// off with jitter; a line is never split across connections. See sender.h for the guarantees.
//
// Thread-safety: all methods are safe to call concurrently from any thread, close() included.
// After fork() the child's client starts over with an empty queue on first use; at exit() a client
// still alive is closed with close_timeout (details in queued_sender.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "wavefront/export.h"
#include "wavefront/queued_sender.h"
#include "wavefront/sender_config.h"
#include "wavefront/sender_handle.h"

namespace wavefront {

struct ProxyClientConfig : SenderConfig {
  std::string host = "localhost";
  // The proxy's push port (pushListenerPorts) takes every data type; each port left unset below
  // defaults to it, exactly as `tcp://host:port` does (client_factory.h).
  std::optional<std::uint16_t> metrics_port = 2878;  // also delta counters
  std::optional<std::uint16_t> distribution_port;    // histogramDistListenerPorts; default: metrics_port
  std::optional<std::uint16_t> tracing_port;         // spans and span logs; default: metrics_port
  std::optional<std::uint16_t> event_port;           // default: metrics_port
  // Each connection attempt (per resolved address) gives up after this long.
  std::chrono::milliseconds connect_timeout{5000};
  // A write that makes no progress for this long (the proxy stopped reading) breaks the connection.
  std::chrono::milliseconds write_timeout{10000};
  // The last lines written to each connection are kept, up to this many bytes, so that those the
  // proxy's TCP never acknowledged can be written again when the connection breaks. Lines that fell
  // out of it cannot be re-sent and count as possibly lost. It should exceed the kernel's largest
  // TCP send buffer (Linux: net.ipv4.tcp_wmem, 4 MiB by default); 0 turns resending off.
  std::size_t resend_window_bytes = std::size_t{4} << 20;
  // Compress each connection as a gzip stream (the proxy detects it). Off by default.
  bool gzip = false;
  int gzip_level = 1;
};

class WAVEFRONT_API ProxyClient final : public QueuedSender {
 public:
  // Validates the configuration and starts the background thread. Connections open lazily.
  static SenderHandle create(const ProxyClientConfig& config);

 private:
  using QueuedSender::QueuedSender;
};

}  // namespace wavefront
