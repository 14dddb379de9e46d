// The HTTP exchange of a build without libcurl (WAVEFRONT_WITH_CURL=OFF): there is none; see
// http_exchange.h.
#include "wavefront/transport/http_exchange.h"

namespace wavefront::transport {

bool http_available() { return false; }

Expected<std::unique_ptr<HttpExchange>> make_http_exchange(const HttpSettings& /*settings*/) {
  return http_unavailable("http");
}

}  // namespace wavefront::transport
