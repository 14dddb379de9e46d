// The soak's producer loop (see producer.h): one numbered call after another, paced.
#include "soak/producer.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "support/random_text.h"

namespace wavefront::soak {
namespace {

using Clock = std::chrono::steady_clock;

// A canonical 8-4-4-4-12 id built from two numbers (lower-case hex, as the library writes ids).
std::string make_uuid(std::uint64_t high, std::uint64_t low) {
  char text[40];
  std::snprintf(text, sizeof text, "%08llx-%04llx-4000-8000-%012llx",
                static_cast<unsigned long long>(high & 0xffffffffu),
                static_cast<unsigned long long>((low >> 48) & 0xffffu),
                static_cast<unsigned long long>(low & 0xffffffffffffu));
  return text;
}

std::int64_t epoch_milliseconds() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class PointSender {
 public:
  PointSender(Sender& sender, const ProducerSettings& settings)
      : sender_(sender),
        settings_(settings),
        text_(settings.seed),
        source_("soak-p" + std::to_string(settings.index)) {}

  Status send(PointKind kind, const std::string& id, std::uint64_t seq) {
    std::string payload = "v" + text_.wild(12, 0.0);
    if (text_.chance(settings_.invalid_fraction)) payload += text_.atom(1.0);  // invalid UTF-8: refused
    const std::int64_t now_ms = epoch_milliseconds();
    const std::int64_t now_s = now_ms / 1000;
    const double number = static_cast<double>(seq);
    const Tag tags[] = {{"soak", id}, {"payload", payload}};
    switch (kind) {
      case PointKind::metric:
        return sender_.send_metric("soak.metric", number, now_s, source_, tags);
      case PointKind::delta_counter:
        return sender_.send_delta_counter("soak.delta", number + 1, now_s, source_, tags);
      case PointKind::distribution:
        return sender_.send_distribution("soak.distribution", {{number, 1}, {number + 0.5, 2}},
                                         Granularity::minute, now_s, source_, tags);
      case PointKind::span:
      case PointKind::span_with_logs: {
        const std::string trace_id = make_uuid(settings_.index, seq / 8);
        const std::string span_id = make_uuid(settings_.index, seq);
        const auto duration_ms = static_cast<std::int64_t>(seq % 1000);
        if (kind == PointKind::span) {
          return sender_.send_span("soak.span", now_ms, duration_ms, source_, trace_id, span_id, {}, {}, tags,
                                   {});
        }
        const SpanLog logs[] = {SpanLog(now_ms * 1000, tags)};
        return sender_.send_span("soak.span", now_ms, duration_ms, source_, trace_id, span_id, {}, {}, tags,
                                 logs);
      }
      case PointKind::event:
        return sender_.send_event("soak.event", now_ms, 0, source_, tags, {"soak"});
    }
    return Status(ErrorCode::invalid_argument, "unknown point kind");
  }

 private:
  Sender& sender_;
  const ProducerSettings& settings_;
  testing::RandomText text_;
  const std::string source_;
};

}  // namespace

std::uint64_t run_producer(Sender& sender, PointLedger& ledger, const ProducerSettings& settings,
                           const std::atomic<bool>& stop) {
  PointSender point_sender(sender, settings);
  const auto period = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1.0 / settings.points_per_second));
  auto next = Clock::now();
  std::uint64_t seq = 0;
  for (; !stop.load(std::memory_order_relaxed); ++seq) {
    const PointKind kind = kind_of(settings.index, seq);
    const Status status = point_sender.send(kind, ledger.id_text(settings.index, seq), seq);
    ledger.record_send(settings.index, seq, outcome_of(kind, status), status.code());
    // Pacing, not synchronisation: a producer that fell behind (a blocking send) does not burst.
    next += period;
    const auto now = Clock::now();
    if (now > next + std::chrono::seconds(1)) next = now;
    if (next > now) std::this_thread::sleep_until(next);
  }
  return seq;
}

}  // namespace wavefront::soak
