// One reusable libcurl handle for POST requests (private), the library's HttpExchange
// (http_exchange.h; built only with WAVEFRONT_WITH_CURL=ON): keep-alive, HTTP/2 when offered, TLS
// verification always on, timeouts that apply, a response body read only up to a bound, and an abort
// deadline honoured during the transfer: the transfer runs on a private curl multi handle whose wait
// re-reads the deadline every kAbortCheckInterval (25 ms), DNS lookups included (libcurl's threaded
// resolver), so a deadline moved earlier by close() ends a request in flight within that interval.
//
// Thread-safety: one CurlHttp per thread (the flusher, or the CSP token thread).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "wavefront/status.h"
#include "wavefront/transport/http_exchange.h"
#include "wavefront/transport/transport.h"

namespace wavefront::transport {

class CurlHttp final : public HttpExchange {
 public:
  explicit CurlHttp(HttpSettings settings);
  ~CurlHttp() override;

  // POSTs `body` to `url` with the given header lines ("Name: value").
  HttpResponse post(const std::string& url, const std::vector<std::string>& headers, std::string_view body,
                    const AbortDeadline& deadline) override;

  // In a child of fork(): closes this process's copies of the sockets libcurl holds open (kept-alive
  // connections), without any TLS or HTTP goodbye. The object must not be used again.
  void abandon_after_fork() override;

  // Sockets libcurl opened through this object and has not closed yet; lock-free, so a child of fork()
  // can read it. Sockets past its capacity are simply not tracked.
  class OpenSockets {
   public:
    OpenSockets();
    void add(int fd);
    void remove(int fd);
    void close_all();

   private:
    static constexpr std::size_t kCapacity = 16;
    std::array<std::atomic<int>, kCapacity> fds_;
  };

 private:
  HttpSettings settings_;
  void* handle_;  // CURL*, kept opaque here
  void* multi_;   // CURLM*: owns the connection cache
  OpenSockets sockets_;
};

}  // namespace wavefront::transport
