// The settings of a receiver (receiver.h): ports, the optional HTTP token, where accepted lines go (a
// descriptor and/or a callback), and every bound that keeps its memory and connection slots limited
// whatever the clients do.
//
// `wfsend listen` (listen_command.cc) fills one from the command line; tests, benchmarks and embedding
// programs fill one directly and give it to Receiver::create. Memory stays below roughly
//   max_buffered_bytes (everything held open for unfinished requests and lines, all connections)
//   + max_connections x (2 x 64 KiB not counted per connection, HeldShare in context.h,
//                        + a few KiB of bookkeeping and answers waiting to be sent)
//   + one turn's growth (a read and its decompressed output) + the shared buffers and the output buffer
// whatever clients send; the process's own code and libraries come on top (tests allow 32 MiB).
//
// Thread-safety: a plain value.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace wfreceiver {

// Bytes read from a socket in one turn of the event loop.
inline constexpr std::size_t kReadChunkBytes = std::size_t{128} * 1024;

struct ReceiverOptions {
  std::string host = "127.0.0.1";  // address to bind (IPv4 or IPv6 literal, or a name)
  std::uint16_t port = 2878;       // the push port: every kind of line, detected per line; 0 = any free port
  std::optional<std::uint16_t> distribution_port;  // distribution lines only; 0 = any free port
  std::optional<std::uint16_t> tracing_port;       // span and span-log lines only; 0 = any free port

  // When set, every HTTP request but GET|HEAD /health (left open for load balancers' health checks)
  // needs `Authorization: Bearer <token>`, /stats included (401 otherwise). A request with more than one
  // Authorization header is refused (400) whether or not a token is set. Raw TCP lines need no token,
  // as on a proxy.
  std::string token;

  // Accepted lines in canonical form are written to this descriptor (the receiver does not close it);
  // -1 counts them only. Rejected lines and refused requests are reported on report_fd (-1: nowhere).
  int output_fd = -1;
  // Also (or instead) handed to this sink, when set: called on the receiver's event-loop thread with
  // blocks of whole accepted lines in canonical form, each ending in '\n', in the order they were
  // accepted (an HTTP request's lines once the request is complete, before its 202 is sent). The view
  // is valid during the call only. The sink must return quickly (the loop waits for it) and must not
  // call the Receiver except stop(). Tests and embedding programs read the accepted lines here.
  std::function<void(std::string_view lines)> accepted_sink;
  int report_fd = 2;
  // Reports beyond this many per second are counted and summarized instead of printed.
  std::size_t max_reports_per_second = 100;

  std::size_t max_connections = 256;  // more are accepted and closed at once
  // A connection that sends nothing for this long is closed.
  std::chrono::milliseconds idle_timeout{60000};
  // An HTTP request, or a TCP line, not complete this long after its first byte is refused (408) and
  // its connection closed: a client trickling bytes cannot hold a slot forever.
  std::chrono::milliseconds request_timeout{30000};
  // After a final answer that closes the connection, unread request bytes are drained this long so
  // that the client reads the answer instead of a reset.
  std::chrono::milliseconds linger_timeout{2000};
  // At shutdown, data clients already sent is processed for at most this long.
  std::chrono::milliseconds drain_timeout{2000};

  // Bytes; longer lines are refused (line_too_long) without being stored.
  std::size_t max_line_length = std::size_t{1024} * 1024;
  std::size_t max_body_bytes = std::size_t{16} * 1024 * 1024;  // HTTP body after decompression; 413 above
  std::size_t max_head_bytes = std::size_t{64} * 1024;         // HTTP request line and headers; 431 above
  // The memory held open for unfinished work, all connections together: the results of HTTP requests
  // (held until each request is complete: a request refused with 413 must leave nothing behind, as on
  // a proxy), unfinished lines, compressed bytes waiting for their turn, request heads and each live
  // gzip decompressor (counted as wfsend::input::GzipInflater::kStateBytes). The request whose growth
  // would pass it is answered 503 with Retry-After: 1 (a raw TCP stream is closed) and its memory given
  // back at once.
  std::size_t max_buffered_bytes = std::size_t{256} * 1024 * 1024;
  // Decompressed bytes one connection may produce per turn before the others get theirs.
  std::size_t turn_budget_bytes = std::size_t{1024} * 1024;
};

}  // namespace wfreceiver
