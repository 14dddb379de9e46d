// The soak's fake proxies: faults, replacement, settling and harvesting (see tcp_receiver.h).
#include "soak/tcp_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <iterator>
#include <thread>

#include "soak/rss_monitor.h"
#include "wavefront/proxy_client.h"

namespace wavefront::soak {
namespace {

using testing::FakeProxy;
using testing::FakeProxyBehavior;
using Milliseconds = std::chrono::milliseconds;

// The line a probe connection sends; never a soak point, so it is left out of the harvest.
constexpr std::string_view kProbeLine = "\"soak.probe\" 1 source=\"soak-probe\"";
constexpr auto kSettleTimeout = std::chrono::seconds(15);
constexpr int kRebindAttempts = 100;
constexpr auto kRebindPause = Milliseconds(20);
// What a fake holds per recorded line besides the line: raw bytes twice (all connections, per
// connection) with string growth, and a std::string in a growing vector plus its heap block.
constexpr std::uint64_t kHeldBytesPerByte = 5;
constexpr std::uint64_t kHeldBytesPerLine = 96;
constexpr std::size_t kMaxBudgetBytes = 64 * 1024;
// Every fake listens with a fixed receive buffer. Left at 0, FakeProxy shrinks the buffer of open
// connections and of its listener to 4 KiB when it stops reading, and never grows it back: on loopback
// (64 KiB segments) such a connection then moves data only by zero-window probes, backing off up to two
// minutes, long after the fault ended. With a fixed buffer, not reading is just that.
constexpr int kReceiveBuffer = 1024 * 1024;

testing::FakeProxyOptions fake_options(std::uint16_t port) {
  testing::FakeProxyOptions options;
  options.port = port;
  options.receive_buffer = kReceiveBuffer;
  return options;
}

bool send_probe(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const std::string line = std::string(kProbeLine) + "\n";
  const bool sent = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                    send(fd, line.data(), line.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(line.size());
  close(fd);
  return sent;
}

}  // namespace

TcpReceiver::TcpReceiver(PointLedger& ledger, TcpReceiverSettings settings)
    : ledger_(ledger), settings_(std::move(settings)) {}

TcpReceiver::~TcpReceiver() = default;

std::unique_ptr<TcpReceiver> TcpReceiver::start(PointLedger& ledger, TcpReceiverSettings settings,
                                                std::string* error) {
  std::unique_ptr<TcpReceiver> receiver(new TcpReceiver(ledger, std::move(settings)));
  const char* roles[] = {"metrics+events port", "distribution port", "tracing port"};
  for (std::size_t index = 0; index < receiver->ports_.size(); ++index) {
    Port& port = receiver->ports_[index];
    port.role = roles[index];
    port.fake = FakeProxy::start(fake_options(0), error);
    if (!port.fake) return nullptr;
    port.number = port.fake->port();
  }
  return receiver;
}

std::unique_ptr<Sender> TcpReceiver::make_sender(const SenderConfig& base, std::string* error) {
  ProxyClientConfig config;
  static_cast<SenderConfig&>(config) = base;
  config.host = "127.0.0.1";
  config.metrics_port = ports_[0].number;  // events go there too
  config.distribution_port = ports_[1].number;
  config.tracing_port = ports_[2].number;
  config.connect_timeout = settings_.connect_timeout;
  config.write_timeout = settings_.write_timeout;
  config.gzip = settings_.gzip;
  auto client = ProxyClient::create(config);
  if (!client.ok()) {
    if (error) *error = client.status().to_string();
    return nullptr;
  }
  return client.release();
}

std::string TcpReceiver::begin_fault(FaultRng& rng) {
  if (settings_.faults.empty()) return "";
  const std::string& name = settings_.faults[rng() % settings_.faults.size()];
  const bool every_port = rng() % 4 == 0;
  const std::size_t chosen = rng() % ports_.size();
  const std::size_t bytes = 1 + rng() % kMaxBudgetBytes;
  std::string detail;
  for (std::size_t index = 0; index < ports_.size(); ++index) {
    if (!every_port && index != chosen) continue;
    Port& port = ports_[index];
    if (port.killed) continue;
    if (name == "kill") {
      port.fake->stop();
      port.killed = true;
      ++totals_.kills;
    } else if (name == "stop_reading") {
      port.fake->set_behavior(FakeProxyBehavior::stop_reading());
    } else if (name == "reset") {
      port.fake->set_behavior(FakeProxyBehavior::reset_after_bytes(bytes));
      detail = " after " + std::to_string(bytes) + " bytes";
    } else if (name == "close") {
      port.fake->set_behavior(FakeProxyBehavior::close_after_bytes(bytes));
      detail = " after " + std::to_string(bytes) + " bytes";
    } else if (name == "slow") {
      port.fake->set_behavior(FakeProxyBehavior::one_byte_at_a_time());
    } else if (name == "accept_close") {
      port.fake->set_behavior(FakeProxyBehavior::accept_then_close());
    }
  }
  ++totals_.faults[name];
  return name + detail + " on " + (every_port ? std::string("every port") : ports_[chosen].role);
}

void TcpReceiver::end_fault() {
  for (Port& port : ports_) {
    if (port.killed) {
      port.killed = false;
      port.fake->set_behavior(FakeProxyBehavior::normal());  // taken up by the restarted I/O thread
      if (port.fake->line_count() >= settings_.replace_after_lines || !port.fake->restart()) {
        const std::string problem = replace(port);
        if (!problem.empty() && failure_.empty()) failure_ = problem;
      }
      continue;
    }
    if (port.fake->behavior().kind != FakeProxyBehavior::Kind::kNormal) {
      port.fake->set_behavior(FakeProxyBehavior::normal());
    }
    if (port.fake->line_count() >= settings_.replace_after_lines) {
      ++totals_.kills;  // a kill and an immediate restart by a fresh fake
      const std::string problem = replace(port);
      if (!problem.empty() && failure_.empty()) failure_ = problem;
    }
  }
}

bool TcpReceiver::quiesce(std::chrono::milliseconds) { return true; }

std::string TcpReceiver::go_down(const std::string& way, FaultRng& rng) {
  const std::string chosen = way == "random" ? kDownAtCloseWays[rng() % std::size(kDownAtCloseWays)] : way;
  if (chosen == "kill") {
    at_close_kill();
    return "killed";
  }
  if (chosen == "refuse") {
    for (Port& port : ports_) port.fake->set_behavior(FakeProxyBehavior::accept_then_close());
    return "closing every connection at once";
  }
  for (Port& port : ports_) port.fake->set_behavior(FakeProxyBehavior::stop_reading());
  kill_at_close_ = chosen == "hang_then_kill";
  return kill_at_close_ ? "hung (not reading), then killed as close() began" : "hung (not reading)";
}

void TcpReceiver::at_close() {
  if (kill_at_close_) at_close_kill();
}

void TcpReceiver::at_close_kill() {
  for (Port& port : ports_) {
    if (port.killed) continue;
    port.fake->stop();  // what it had not read is lost, as with a proxy that dies
    port.killed = true;
    ++totals_.kills;
  }
}

void TcpReceiver::harvest(Port& port) {
  const std::vector<std::string> lines = port.fake->lines();
  for (std::size_t index = port.harvested_lines; index < lines.size(); ++index) {
    port.harvested_bytes += lines[index].size() + 1;
    if (lines[index] != kProbeLine) ledger_.record_line(lines[index], std::nullopt);
  }
  port.harvested_lines = lines.size();
}

void TcpReceiver::retire(Port& port) {
  harvest(port);
  totals_.connections += port.fake->connection_count();
  totals_.discarded_fragments += port.fake->discarded_fragments();
  totals_.decode_errors += port.fake->decode_errors();
  const std::uint64_t held =
      kHeldBytesPerByte * port.harvested_bytes + kHeldBytesPerLine * port.harvested_lines;
  port.peak_held_bytes = std::max(port.peak_held_bytes, held);
}

std::string TcpReceiver::replace(Port& port) {
  port.fake->stop();
  retire(port);
  port.fake.reset();
  release_freed_memory();
  port.harvested_lines = 0;
  port.harvested_bytes = 0;
  ++totals_.replacements;
  std::string error;
  for (int attempt = 0; attempt < kRebindAttempts && !port.fake; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(kRebindPause);  // the port is busy: try again shortly
    port.fake = FakeProxy::start(fake_options(port.number), &error);
  }
  if (port.fake) return "";
  // Keep a stopped fake so that later calls have an object; the run is reported as failed.
  port.fake = FakeProxy::start({}, nullptr);
  if (port.fake) port.fake->stop();
  return "could not listen on port " + std::to_string(port.number) + " again: " + error;
}

std::string TcpReceiver::settle(Port& port) {
  const std::size_t before = port.fake->connection_count();
  if (!send_probe(port.number)) return "the probe could not reach the " + port.role;
  ++probes_;
  const auto deadline = std::chrono::steady_clock::now() + kSettleTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::size_t accepted = port.fake->connection_count();
    const std::size_t closed = port.fake->closed_connection_count();
    if (accepted > before && closed == accepted) {
      const std::vector<std::string> lines = port.fake->lines();
      if (std::find(lines.begin() + static_cast<std::ptrdiff_t>(port.harvested_lines), lines.end(),
                    kProbeLine) != lines.end()) {
        return "";
      }
    }
    port.fake->wait_for_closed_connections(closed + 1, Milliseconds(20));
  }
  return "the " + port.role + " did not settle within " + std::to_string(kSettleTimeout.count()) +
         " s after close (connections " + std::to_string(port.fake->connection_count()) + ", closed " +
         std::to_string(port.fake->closed_connection_count()) + ")";
}

std::string TcpReceiver::finish() {
  std::string problems = failure_;
  for (Port& port : ports_) {
    if (!port.killed) {
      port.fake->set_behavior(FakeProxyBehavior::normal());
      const std::string problem = settle(port);
      if (!problem.empty()) problems += (problems.empty() ? "" : "; ") + problem;
    }
    port.fake->stop();
    retire(port);
  }
  totals_.connections -= probes_;
  totals_.peak_held_bytes = 0;
  for (const Port& port : ports_) totals_.peak_held_bytes += port.peak_held_bytes;
  return problems;
}

}  // namespace wavefront::soak
