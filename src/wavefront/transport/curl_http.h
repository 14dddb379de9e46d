// One reusable libcurl handle for POST requests (private): keep-alive, HTTP/2 when offered, TLS
// verification always on, timeouts that apply, a response body read only up to a bound, and an abort
// deadline honoured during the transfer.
//
// Thread-safety: one CurlHttp per thread (the flusher, or the CSP token thread).
#pragma once

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

 private:
  HttpSettings settings_;
  void* handle_;  // CURL*, kept opaque here
};

// The delay a Retry-After value asks for: delta-seconds, or an HTTP date. 0 when absent or invalid.
std::chrono::milliseconds parse_retry_after(std::string_view value,
                                            std::chrono::system_clock::time_point now);

}  // namespace wavefront::transport
