// Transports: how a sender's background thread delivers batches of lines, and the URL schemes
// make_sender knows.
//
// A sender made by make_sender, ProxyClient or HttpClient formats and queues on the caller's thread;
// one background thread per sender (the flusher) takes batches of whole lines of one data type and
// hands each to a `Transport`, which delivers what it can before the deadline and says how much went
// out. The sender does the rest: batching, retry with backoff, the drop reasons and stats(), flush()
// and close() deadlines, fork() and exit(). Implement `Transport` to send somewhere else (a message
// bus, a file, a test double), then either
//   - make a sender around it: `make_transport_sender([] { return std::make_unique<MyTransport>(); })`,
//   - or register a URL scheme, so that `make_sender("myscheme://...")` uses it:
//       wavefront::register_transport_scheme("myscheme", [](const SenderUrl& url, const SenderConfig&)
//           -> Expected<TransportFactory> { return TransportFactory([target = url.target] {
//             return std::make_unique<MyTransport>(target); }); });
// Built in: http://, proxy://, https:// (libcurl; refused in a build with WAVEFRONT_WITH_CURL=OFF),
// tcp:// and unix:///path/to.sock (a Unix-domain stream socket to a local proxy or agent, tcp://'s
// line protocol: every data type on the one socket).
//
// Thread-safety: a sender calls its transport from its flusher thread only (add_stats from any thread
// calling stats()), so a transport needs no locking of its own beyond what add_stats reads. A factory
// may be called again in a child of fork() (the child gets a fresh transport). The registry functions
// may be called from any thread; register schemes before the make_sender calls that use them.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "wavefront/client_factory.h"
#include "wavefront/export.h"
#include "wavefront/queued_sender.h"
#include "wavefront/sender.h"
#include "wavefront/sender_config.h"
#include "wavefront/status.h"

namespace wavefront {

// When a transport must give up on a delivery. The sender moves it earlier when close() sets a
// deadline, even while a delivery is under way: a transport that waits (on a socket, a lock, a
// response) re-reads it every few tens of milliseconds.
class DeliveryDeadline {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  DeliveryDeadline() { set(TimePoint::max()); }
  TimePoint get() const {
    return TimePoint(TimePoint::duration(nanoseconds_.load(std::memory_order_acquire)));
  }
  void set(TimePoint deadline) {
    nanoseconds_.store(deadline.time_since_epoch().count(), std::memory_order_release);
  }

 private:
  std::atomic<TimePoint::rep> nanoseconds_{0};
};

// What became of one batch. Lines are counted from the front of the batch: `delivered` went out,
// the `dropped` right after them are given up for good (with `drop_reason`), and if `failed` is set
// the rest is retried after a backoff (at least `retry_after`). A result that delivers and drops
// nothing and is not `failed` ends the delivery too: the rest is retried at the next flush.
struct DeliveryResult {
  std::size_t delivered = 0;
  std::size_t delivered_bytes = 0;
  std::size_t dropped = 0;
  std::size_t dropped_bytes = 0;
  DropReason drop_reason = DropReason::rejected;
  bool attempted = false;                    // a delivery was tried (counted as a report error if it failed)
  bool failed = false;                       // lines remain; retry them after a backoff
  std::chrono::milliseconds retry_after{0};  // the receiver's or the transport's own minimum delay
};

class WAVEFRONT_API Transport {
 public:
  virtual ~Transport();
  // Whether this data type has a destination at all (a send of one that has none is refused with
  // not_configured and route_hint's text).
  virtual bool routes(DataType type) const = 0;
  virtual std::string route_hint(DataType type) const = 0;
  // Delivers `lines` (`items` whole lines of `type`, each ending in '\n').
  virtual DeliveryResult deliver(DataType type, std::string_view lines, std::size_t items,
                                 const DeliveryDeadline& deadline) = 0;
  // Adds the transport's own counters (connections, possibly lost lines) to a stats snapshot.
  virtual void add_stats(SenderStats& stats) const;
  // Closes connections; called once, from the flusher thread, as it exits.
  virtual void shutdown();
  // In a child of fork(): closes this process's copies of the transport's sockets without writing
  // anything or taking a lock. The transport is never used again.
  virtual void abandon_after_fork();
};

// Makes a transport; called once per sender, and again in a child of fork().
using TransportFactory = std::function<std::unique_ptr<Transport>()>;

// A sender (queues, flusher thread, retries, stats, close deadlines) delivering through the transport
// `make_transport` makes. Fails with invalid_argument for an invalid `settings` or a null factory.
WAVEFRONT_API Expected<std::unique_ptr<QueuedSender>> make_transport_sender(
    TransportFactory make_transport, const SenderConfig& settings = SenderConfig());

// For make_sender: turns a parsed URL of a registered scheme (SenderUrl::Kind::registered; its
// `scheme` and `target`, the text after "://") into a transport factory, or says what is wrong with it.
using SchemeHandler =
    std::function<Expected<TransportFactory>(const SenderUrl& url, const SenderConfig& settings)>;

// Registers `scheme` (letters, digits, '+', '-', '.'; starting with a letter; compared ignoring case).
// Refused with invalid_argument for an invalid or already registered scheme (the built-in ones
// included).
WAVEFRONT_API Status register_transport_scheme(std::string_view scheme, SchemeHandler handler);
// Whether make_sender knows the scheme (built in or registered).
WAVEFRONT_API bool transport_scheme_known(std::string_view scheme);

}  // namespace wavefront
