// Delivering batches over HTTP(S) with gzip (private): the HttpClient's transport.
//
// Each batch is one gzip-compressed POST to `/report?f=<format>`; direct-ingestion events are one JSON
// POST each to `/api/v2/event`. The answer decides (spec §4): 2xx delivered; 400 dropped for good;
// 413 split in halves (a single line that is still too large is dropped); 401/403 kept and the token
// refreshed; 406/429 kept with the receiver's Retry-After honoured; 408, 5xx, other answers, timeouts
// and connection errors kept and retried after backoff. Answers are counted per status code.
//
// Every request goes through the HttpExchange it is constructed on (http_exchange.h): libcurl in the
// library (make_http_exchange), a scripted exchange in test/unit/http_transport_test.cc.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "wavefront/auth/token_source.h"
#include "wavefront/clock.h"
#include "wavefront/internal/rate_limited_log.h"
#include "wavefront/transport/http_exchange.h"
#include "wavefront/transport/transport.h"

namespace wavefront::transport {

struct HttpTransportConfig {
  std::string base_url;  // "scheme://host:port", no trailing slash
  bool direct = false;   // direct ingestion: Bearer token, events as JSON to /api/v2/event
  int gzip_level = 1;
  HttpSettings http;
};

class HttpTransport final : public Transport {
 public:
  // Sends every request through `exchange` (not null).
  HttpTransport(HttpTransportConfig config, std::unique_ptr<HttpExchange> exchange,
                std::unique_ptr<auth::TokenSource> token_source, std::shared_ptr<Clock> clock,
                internal::RateLimitedLog& log);

  bool routes(DataType) const override { return true; }
  std::string route_hint(DataType) const override { return "every data type has a destination over HTTP"; }
  DeliveryResult deliver(DataType type, std::string_view lines, std::size_t items,
                         const AbortDeadline& deadline) override;
  void add_stats(SenderStats& stats) const override;
  void shutdown() override;
  void abandon_after_fork() override;

 private:
  DeliveryResult deliver_report(DataType type, std::string_view lines, std::size_t items,
                                const AbortDeadline& deadline);
  DeliveryResult deliver_event_objects(std::string_view lines, const AbortDeadline& deadline);
  // Sends one request; records its status. Fails without sending when a token is needed but none
  // is available yet.
  HttpResponse post(DataType type, const std::string& url, std::vector<std::string> headers,
                    std::string_view body, const AbortDeadline& deadline);
  // Fills `result` for an answer that was not 2xx/400/413.
  void keep_for_retry(DataType type, const HttpResponse& response, DeliveryResult& result);

  const HttpTransportConfig config_;
  std::unique_ptr<auth::TokenSource> token_source_;
  std::shared_ptr<Clock> clock_;
  internal::RateLimitedLog& log_;
  std::unique_ptr<HttpExchange> exchange_;
  std::string compressed_;
  mutable std::mutex responses_mutex_;
  std::array<std::map<int, std::uint64_t>, kDataTypeCount> responses_;
};

}  // namespace wavefront::transport
