// One HTTP exchange (private): the seam between the HTTP client logic and libcurl.
//
// HttpTransport (batching, gzip, the answer classification of spec §4) and the CSP token source send
// every request through an `HttpExchange`: one POST of a body with header lines to a URL, answered by
// a status (0 when no answer came, with the transport error in `error`), the Retry-After header and a
// bounded response body. The library's exchange is CurlHttp (curl_http.h), made by
// make_http_exchange(); tests hand HttpTransport a scripted exchange instead, so the client logic runs
// without sockets (test/unit/http_transport_test.cc).
//
// When the library is built without libcurl (WAVEFRONT_WITH_CURL=OFF) there is no exchange:
// make_http_exchange() fails with http_unavailable(), and make_sender / HttpClient refuse every scheme
// that needs HTTP with that Status before making a sender.
//
// Thread-safety: one exchange per thread (the flusher, or the CSP token thread).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
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

class HttpExchange {
 public:
  virtual ~HttpExchange();
  HttpExchange() = default;
  HttpExchange(const HttpExchange&) = delete;
  HttpExchange& operator=(const HttpExchange&) = delete;
  HttpExchange(HttpExchange&&) = delete;
  HttpExchange& operator=(HttpExchange&&) = delete;

  // POSTs `body` to `url` with the given header lines ("Name: value"); gives up at `deadline`.
  virtual HttpResponse post(const std::string& url, const std::vector<std::string>& headers,
                            std::string_view body, const AbortDeadline& deadline) = 0;
  // In a child of fork(): closes this process's copies of the exchange's sockets without writing
  // anything. The exchange is never used again.
  virtual void abandon_after_fork() {}
};

// Whether this build of the library has an HTTP exchange (WAVEFRONT_WITH_CURL=ON).
bool http_available();
// The refusal of a scheme that needs HTTP in a build without libcurl; names `scheme`.
Status http_unavailable(std::string_view scheme);
// The library's exchange (libcurl), or http_unavailable("http") in a build without it.
Expected<std::unique_ptr<HttpExchange>> make_http_exchange(const HttpSettings& settings);

// The delay a Retry-After value asks for: delta-seconds, or an HTTP date. 0 when absent or invalid.
std::chrono::milliseconds parse_retry_after(std::string_view value,
                                            std::chrono::system_clock::time_point now);

}  // namespace wavefront::transport
