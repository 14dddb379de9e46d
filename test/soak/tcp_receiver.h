// The soak's raw TCP receiving side: three FakeProxy listeners, one per ProxyClient port (metrics and
// events, distributions, tracing), each misbehaving on the fault schedule: killed and restarted, not
// reading, closing or resetting connections after some bytes, reading one byte at a time, closing every
// new connection at once.
//
// A killed fake keeps what it recorded; its lines are harvested into the ledger when it is replaced (once
// it holds `replace_after_lines`) and at the end. At the end, after the sender closed its connections, a
// probe connection sends one marker line to each live fake: once the fake has accepted the probe (so every
// connection queued before it) and every accepted connection has reached its end, all bytes the sender
// wrote that can still arrive have arrived, and the lines are harvested.
//
// Thread-safety: driven by one thread (the phase's control thread).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "soak/point_ledger.h"
#include "soak/soak_receiver.h"
#include "support/fake_proxy.h"

namespace wavefront::soak {

struct TcpReceiverSettings {
  std::vector<std::string> faults;  // names from all_tcp_faults()
  bool gzip = false;
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds write_timeout{
      1500};                                // a fake that stops reading for longer breaks the connection
  std::size_t replace_after_lines = 20000;  // per fake
};

class TcpReceiver final : public SoakReceiver {
 public:
  // Null and *error if a listener cannot start.
  static std::unique_ptr<TcpReceiver> start(PointLedger& ledger, TcpReceiverSettings settings,
                                            std::string* error);
  ~TcpReceiver() override;

  std::string transport_name() const override { return "tcp"; }
  std::unique_ptr<Sender> make_sender(const SenderConfig& base, std::string* error) override;
  std::string begin_fault(FaultRng& rng) override;
  void end_fault() override;
  bool quiesce(std::chrono::milliseconds at_most) override;
  std::string go_down(const std::string& way, FaultRng& rng) override;
  void at_close() override;
  std::string finish() override;
  ReceiverTotals totals() const override { return totals_; }

 private:
  struct Port {
    std::string role;
    std::uint16_t number = 0;
    std::unique_ptr<testing::FakeProxy> fake;
    std::size_t harvested_lines = 0;  // of the current fake
    std::uint64_t harvested_bytes = 0;
    std::uint64_t peak_held_bytes = 0;  // over this port's fakes
    bool killed = false;
  };

  TcpReceiver(PointLedger& ledger, TcpReceiverSettings settings);
  void harvest(Port& port);
  void retire(Port& port);  // final harvest of the current fake and its counters
  std::string replace(Port& port);
  std::string settle(Port& port);
  void at_close_kill();

  PointLedger& ledger_;
  const TcpReceiverSettings settings_;
  std::array<Port, 3> ports_;
  ReceiverTotals totals_;
  std::string failure_;  // the first infrastructure failure (a port that could not be bound again)
  std::uint64_t probes_ = 0;
  bool kill_at_close_ = false;
};

}  // namespace wavefront::soak
