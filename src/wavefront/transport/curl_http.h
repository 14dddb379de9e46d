// One reusable libcurl handle for POST requests (private): keep-alive, HTTP/2 when offered, TLS
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
#include "wavefront/transport/transport.h"

namespace wavefront::transport {

struct HttpSettings {
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds request_timeout{30000};
  std::string ca_file;              // replaces the system CA bundle when set
  std::string trusted_certificate;  // a PEM certificate trusted as its own authority
  std::size_t max_response_bytes = std::size_t{64} * 1024;
};

struct HttpResponse {
  long status = 0;   // 0 when no answer came (connection error, timeout, abort)
  Status error;      // why no answer came; never contains a token
  std::string body;  // at most max_response_bytes
  std::string retry_after;
};

class CurlHttp {
 public:
  explicit CurlHttp(HttpSettings settings);
  ~CurlHttp();
  CurlHttp(const CurlHttp&) = delete;
  CurlHttp& operator=(const CurlHttp&) = delete;

  // POSTs `body` to `url` with the given header lines ("Name: value").
  HttpResponse post(const std::string& url, const std::vector<std::string>& headers, std::string_view body,
                    const AbortDeadline& deadline);

  // In a child of fork(): closes this process's copies of the sockets libcurl holds open (kept-alive
  // connections), without any TLS or HTTP goodbye. The object must not be used again.
  void abandon_after_fork();

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

// The delay a Retry-After value asks for: delta-seconds, or an HTTP date. 0 when absent or invalid.
std::chrono::milliseconds parse_retry_after(std::string_view value,
                                            std::chrono::system_clock::time_point now);

}  // namespace wavefront::transport
