// What every build has of the HTTP seam, with libcurl or without; see http_exchange.h.
#include "wavefront/transport/http_exchange.h"

#include <algorithm>
#include <charconv>
#include <ctime>

namespace wavefront::transport {

HttpExchange::~HttpExchange() = default;

Status http_unavailable(std::string_view scheme) {
  return Status(
      ErrorCode::invalid_argument,
      std::string(scheme) +
          ":// needs HTTP, but this libwavefront was built without libcurl (WAVEFRONT_WITH_CURL=OFF); "
          "it sends over tcp://, unix:// and registered schemes only");
}

std::chrono::milliseconds parse_retry_after(std::string_view value,
                                            std::chrono::system_clock::time_point now) {
  if (value.empty()) return std::chrono::milliseconds(0);
  long long seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error == std::errc() && end == value.data() + value.size()) {
    return std::chrono::milliseconds(std::max(0LL, std::min(seconds, 86400LL)) * 1000);
  }
  // An HTTP date, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
  std::tm parsed{};
  const std::string text(value);
  if (strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parsed) == nullptr)
    return std::chrono::milliseconds(0);
  const auto when = std::chrono::system_clock::from_time_t(timegm(&parsed));
  const auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
  return std::clamp(delay, std::chrono::milliseconds(0), std::chrono::milliseconds(86400 * 1000));
}

}  // namespace wavefront::transport
