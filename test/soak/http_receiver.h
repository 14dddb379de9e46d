// The soak's HTTP receiving side: a FakeHttpServer (a proxy's HTTP listener, `POST /report?f=...`) behind
// an HttpRelay, so that the HttpClient keeps one URL while the receiver answers 429 (Retry-After 0 or 1),
// 500, 503, 413, resets connections, answers slowly or too late (after the client's request timeout), is
// killed and restarted, hangs, or runs a burst of mixed scripted answers.
//
// Harvesting reads the fake's recorded requests: only requests it answered 2xx carry lines (that is how
// the fake records), and every such request's line count is kept per data type: a 2xx answer that never
// reached the client (timeout, kill, hang) is the one way HTTP delivers a line twice, and those counts
// bound the duplicates. Before a harvest the relay is stopped and the soak waits (bounded) until the fake
// has answered every request the relay forwarded, so no recording is still on its way.
//
// Thread-safety: driven by one thread (the phase's control thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "soak/http_relay.h"
#include "soak/point_ledger.h"
#include "soak/soak_receiver.h"
#include "support/fake_http_server.h"

namespace wavefront::soak {

struct HttpReceiverSettings {
  std::vector<std::string> faults;  // names from all_http_faults()
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds request_timeout{2000};
  std::size_t replace_after_requests = 600;  // per fake
};

class HttpReceiver final : public SoakReceiver {
 public:
  static std::unique_ptr<HttpReceiver> start(PointLedger& ledger, HttpReceiverSettings settings,
                                             std::string* error);
  ~HttpReceiver() override;

  std::string transport_name() const override { return "http"; }
  std::unique_ptr<Sender> make_sender(const SenderConfig& base, std::string* error) override;
  std::string begin_fault(FaultRng& rng) override;
  void end_fault() override;
  bool quiesce(std::chrono::milliseconds at_most) override;
  std::string go_down(const std::string& way, FaultRng& rng) override;
  void at_close() override;
  std::string finish() override;
  ReceiverTotals totals() const override { return totals_; }

 private:
  using Answer = testing::FakeHttpAnswer;

  HttpReceiver(PointLedger& ledger, HttpReceiverSettings settings);
  Answer random_answer(FaultRng& rng, bool errors_only);
  // With the relay stopped: waits for the fake to answer what was forwarded, then harvests.
  void settle_and_harvest();
  void harvest();
  std::string replace();  // relay stopped: retire the fake and start a fresh one behind the relay
  std::chrono::milliseconds too_late() const {
    return settings_.request_timeout + std::chrono::milliseconds(500);
  }

  PointLedger& ledger_;
  const HttpReceiverSettings settings_;
  std::unique_ptr<testing::FakeHttpServer> fake_;
  std::unique_ptr<HttpRelay> relay_;
  std::size_t harvested_requests_ = 0;
  std::uint64_t held_bytes_ = 0;  // estimated, of the current fake
  bool killed_ = false;
  bool stalled_ = false;
  bool kill_at_close_ = false;
  ReceiverTotals totals_;
  std::string failure_;
};

}  // namespace wavefront::soak
