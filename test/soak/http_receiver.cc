// The soak's fake HTTP receiver behind its relay: faults, replacement, settling and harvesting (see
// http_receiver.h).
#include "soak/http_receiver.h"

#include <algorithm>
#include <iterator>
#include <thread>

#include "soak/rss_monitor.h"
#include "wavefront/http_client.h"

namespace wavefront::soak {
namespace {

using Milliseconds = std::chrono::milliseconds;
using testing::LineKind;

// What the fake holds per recorded request: the inflated body (with string growth) and its lines, as
// strings in growing vectors, plus the request's other fields.
constexpr std::uint64_t kHeldBytesPerBodyByte = 3;
constexpr std::uint64_t kHeldBytesPerLine = 96;
constexpr std::uint64_t kHeldBytesPerRequest = 512;
constexpr auto kSettleMargin = std::chrono::seconds(2);
constexpr auto kPollPause = Milliseconds(20);

// The data type and line kind a /report format carries.
std::optional<std::pair<DataType, LineKind>> format_kind(const std::string& format) {
  if (format == "wavefront") return std::make_pair(DataType::metric, LineKind::metric);
  if (format == "histogram") return std::make_pair(DataType::distribution, LineKind::distribution);
  if (format == "trace") return std::make_pair(DataType::span, LineKind::span);
  if (format == "spanLogs") return std::make_pair(DataType::span_log, LineKind::span_logs);
  if (format == "event") return std::make_pair(DataType::event, LineKind::event);
  return std::nullopt;
}

bool enabled(const std::vector<std::string>& faults, const char* name) {
  return std::find(faults.begin(), faults.end(), name) != faults.end();
}

}  // namespace

HttpReceiver::HttpReceiver(PointLedger& ledger, HttpReceiverSettings settings)
    : ledger_(ledger), settings_(std::move(settings)) {}

HttpReceiver::~HttpReceiver() = default;

std::unique_ptr<HttpReceiver> HttpReceiver::start(PointLedger& ledger, HttpReceiverSettings settings,
                                                  std::string* error) {
  std::unique_ptr<HttpReceiver> receiver(new HttpReceiver(ledger, std::move(settings)));
  receiver->fake_ = testing::FakeHttpServer::start({}, error);
  if (!receiver->fake_) return nullptr;
  receiver->relay_ = HttpRelay::start(receiver->fake_->port(), error);
  if (!receiver->relay_) return nullptr;
  return receiver;
}

std::unique_ptr<Sender> HttpReceiver::make_sender(const SenderConfig& base, std::string* error) {
  HttpClientConfig config;
  static_cast<SenderConfig&>(config) = base;
  config.server = "http://127.0.0.1:" + std::to_string(relay_->port());  // a proxy's HTTP listener
  config.connect_timeout = settings_.connect_timeout;
  config.request_timeout = settings_.request_timeout;
  auto client = HttpClient::create(config);
  if (!client.ok()) {
    if (error) *error = client.status().to_string();
    return nullptr;
  }
  return client.release();
}

HttpReceiver::Answer HttpReceiver::random_answer(FaultRng& rng, bool errors_only) {
  std::vector<const char*> kinds;
  for (const char* kind : {"429", "500", "503", "413", "reset", "delay"}) {
    if (enabled(settings_.faults, kind)) kinds.push_back(kind);
  }
  if (!errors_only || kinds.empty()) kinds.push_back("202");
  const std::string kind = kinds[rng() % kinds.size()];
  if (kind == "429") return Answer::status_code(429, rng() % 2 == 0 ? "0" : "1");
  if (kind == "500" || kind == "503" || kind == "413") return Answer::status_code(std::stoi(kind));
  if (kind == "reset") return Answer::reset_connection();
  if (kind == "delay") return Answer::delayed(Milliseconds(50 + rng() % 750));
  return Answer();
}

std::string HttpReceiver::begin_fault(FaultRng& rng) {
  if (settings_.faults.empty()) return "";
  const std::string& name = settings_.faults[rng() % settings_.faults.size()];
  std::string detail;
  if (name == "429") {
    const std::string retry_after = rng() % 2 == 0 ? "0" : "1";
    fake_->set_default_answer(Answer::status_code(429, retry_after));
    detail = " (Retry-After " + retry_after + ") to every request";
  } else if (name == "500" || name == "503") {
    fake_->set_default_answer(Answer::status_code(std::stoi(name)));
    detail = " to every request";
  } else if (name == "413" || name == "reset") {
    const std::size_t count = 1 + rng() % (name == "413" ? 3 : 4);
    fake_->script(
        std::vector<Answer>(count, name == "413" ? Answer::status_code(413) : Answer::reset_connection()));
    detail = " x" + std::to_string(count) + " scripted";
  } else if (name == "delay") {
    const Milliseconds delay(100 + rng() % 1400);
    fake_->set_default_answer(Answer::delayed(delay));
    detail = " of " + std::to_string(delay.count()) + " ms on every request";
  } else if (name == "timeout") {
    fake_->script({Answer::delayed(too_late())});
    detail = ": one answer after " + std::to_string(too_late().count()) + " ms (past the request timeout)";
  } else if (name == "kill") {
    relay_->stop();
    killed_ = true;
    ++totals_.kills;
  } else if (name == "stall") {
    relay_->set_stalled(true);
    stalled_ = true;
  } else if (name == "mixed") {
    std::vector<Answer> answers(4 + rng() % 9);
    for (Answer& answer : answers) answer = random_answer(rng, false);
    fake_->script(answers);
    detail = ": " + std::to_string(answers.size()) + " scripted answers";
  }
  ++totals_.faults[name];
  return name + detail;
}

void HttpReceiver::end_fault() {
  fake_->set_default_answer(Answer());
  if (stalled_) {
    relay_->set_stalled(false);
    stalled_ = false;
  }
  const bool full = fake_->request_count() >= settings_.replace_after_requests;
  if (!killed_ && full) {
    relay_->stop();  // a kill and an immediate restart with a fresh fake
    ++totals_.kills;
  }
  if (killed_ || full) {
    if (full) {
      const std::string problem = replace();
      if (!problem.empty() && failure_.empty()) failure_ = problem;
    }
    std::string error;
    if (!relay_->restart(&error) && failure_.empty()) failure_ = error;
    killed_ = false;
  }
}

bool HttpReceiver::quiesce(std::chrono::milliseconds at_most) {
  fake_->set_default_answer(Answer());
  const auto deadline = std::chrono::steady_clock::now() + at_most;
  // Scripted answers are taken by requests; polled, as the fake has no notification for it.
  while (fake_->scripted_left() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(kPollPause);
  }
  return fake_->scripted_left() == 0;
}

std::string HttpReceiver::go_down(const std::string& way, FaultRng& rng) {
  const std::string chosen = way == "random" ? kDownAtCloseWays[rng() % std::size(kDownAtCloseWays)] : way;
  if (chosen == "kill") {
    relay_->stop();
    killed_ = true;
    ++totals_.kills;
    return "killed";
  }
  if (chosen == "refuse") {
    fake_->set_default_answer(Answer::status_code(503));
    return "answering 503";
  }
  relay_->set_stalled(true);
  stalled_ = true;
  kill_at_close_ = chosen == "hang_then_kill";
  return kill_at_close_ ? "hung (not reading), then killed as close() began" : "hung (not reading)";
}

void HttpReceiver::at_close() {
  if (!kill_at_close_) return;
  relay_->stop();
  killed_ = true;
  ++totals_.kills;
}

void HttpReceiver::settle_and_harvest() {
  const std::uint64_t forwarded = relay_->forwarded_requests();
  if (!fake_->wait_for_requests(forwarded, too_late() + kSettleMargin)) {
    const std::uint64_t answered = fake_->request_count();
    totals_.unsettled_requests += forwarded > answered ? forwarded - answered : 0;
  }
  harvest();
}

void HttpReceiver::harvest() {
  const std::vector<testing::RecordedRequest> requests = fake_->requests();
  for (std::size_t index = harvested_requests_; index < requests.size(); ++index) {
    const testing::RecordedRequest& request = requests[index];
    ++totals_.statuses[request.reset ? 0 : request.status];
    held_bytes_ += kHeldBytesPerBodyByte * request.body.size() + kHeldBytesPerRequest;
    if (request.reset || request.status < 200 || request.status >= 300) continue;
    const auto kind = format_kind(request.format);
    std::uint32_t lines = 0;
    std::size_t start = 0;
    while (start < request.body.size()) {
      std::size_t end = request.body.find('\n', start);
      if (end == std::string::npos) end = request.body.size();
      if (end > start) {
        ledger_.record_line(std::string_view(request.body).substr(start, end - start),
                            kind ? std::optional<LineKind>(kind->second) : std::nullopt);
        ++lines;
      }
      start = end + 1;
    }
    held_bytes_ += kHeldBytesPerLine * lines;
    if (kind) totals_.accepted_request_lines[static_cast<std::size_t>(kind->first)].push_back(lines);
  }
  harvested_requests_ = requests.size();
  totals_.peak_held_bytes = std::max(totals_.peak_held_bytes, held_bytes_);
}

std::string HttpReceiver::replace() {
  settle_and_harvest();
  std::string error;
  auto fresh = testing::FakeHttpServer::start({}, &error);
  if (!fresh) return "could not start a fresh fake HTTP server: " + error;
  fake_ = std::move(fresh);  // the old one stops: handlers still waiting end, connections close
  release_freed_memory();
  relay_->set_backend(fake_->port());
  harvested_requests_ = 0;
  held_bytes_ = 0;
  ++totals_.replacements;
  return "";
}

std::string HttpReceiver::finish() {
  relay_->stop();
  settle_and_harvest();
  totals_.connections = relay_->accepted_connections();
  totals_.unparsed_connections = relay_->unparsed_connections();
  return failure_;
}

}  // namespace wavefront::soak
