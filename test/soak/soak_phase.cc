// Running one soak phase (see soak_phase.h): receiver, sender, producers, the fault schedule, close().
#include "soak/soak_phase.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

#include "soak/http_receiver.h"
#include "soak/producer.h"
#include "soak/rss_monitor.h"
#include "soak/tcp_receiver.h"

namespace wavefront::soak {
namespace {

using Clock = std::chrono::steady_clock;
using Milliseconds = std::chrono::milliseconds;

constexpr auto kFlushInterval = Milliseconds(200);
constexpr auto kBlockTimeout = Milliseconds(50);
constexpr auto kRetryBackoffInitial = Milliseconds(50);
constexpr auto kRetryBackoffMax = Milliseconds(1000);
constexpr auto kSnapshotInterval = Milliseconds(250);
constexpr std::int64_t kMaxDownBeforeCloseMs = 1000;  // producers keep sending to a receiver that is down
constexpr auto kMinCleanTail = Milliseconds(2000);
constexpr auto kMaxCleanTail = Milliseconds(5000);
// Per batch, what a sender holds besides its queues: the taken batch's compressed copy (gzip or the
// HTTP body), libcurl's and the socket's buffers.
constexpr std::uint64_t kTransportBatches = 4;
constexpr std::uint64_t kSpareBuffersPerQueue = 4;  // LineQueue keeps up to 4 spares of at most 2 batches

// A stretch length around `mean`: uniform between a quarter and 1.75 times it, three times that now and
// then, so that some faults outlast the write timeout and the retry backoff.
Milliseconds draw_length(FaultRng& rng, double mean_ms) {
  const double factor = 0.25 + 1.5 * std::uniform_real_distribution<double>(0, 1)(rng);
  const double stretch = rng() % 10 == 0 ? 3.0 : 1.0;
  return Milliseconds(static_cast<std::int64_t>(mean_ms * factor * stretch));
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t salt) {
  std::uint64_t value = seed + 0x9e3779b97f4a7c15ull * (salt + 1);
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ull;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebull;
  return value ^ (value >> 31);
}

// Sleeps until `until` in slices, checking the accounting identity of a stats() snapshot after each.
class Pacer {
 public:
  Pacer(const Sender& sender, PhaseResult& result) : sender_(sender), result_(result) {}
  void until(Clock::time_point until) {
    while (Clock::now() < until) {
      std::this_thread::sleep_for(std::min<Clock::duration>(kSnapshotInterval, until - Clock::now()));
      check_snapshot();
    }
  }

 private:
  void check_snapshot() {
    const SenderStats stats = sender_.stats();
    ++result_.snapshots;
    for (std::size_t index = 0; index < kDataTypeCount; ++index) {
      const TypeStats& type = stats.types[index];
      std::uint64_t reasons = 0;
      for (std::uint64_t count : type.dropped_by_reason) reasons += count;
      if (type.accepted == type.delivered + type.queued + type.dropped && type.dropped == reasons) continue;
      if (result_.broken_snapshots++ == 0) {
        result_.first_broken_snapshot =
            std::string(data_type_name(static_cast<DataType>(index))) + ": accepted " +
            std::to_string(type.accepted) + ", delivered " + std::to_string(type.delivered) + ", queued " +
            std::to_string(type.queued) + ", dropped " + std::to_string(type.dropped) + " (reasons sum " +
            std::to_string(reasons) + ")";
      }
    }
  }
  const Sender& sender_;
  PhaseResult& result_;
};

std::unique_ptr<SoakReceiver> make_receiver(const PhaseSpec& spec, const SoakOptions& options,
                                            PointLedger& ledger, std::string* error) {
  if (spec.transport == "tcp") {
    TcpReceiverSettings settings;
    settings.faults = options.tcp_faults;
    settings.gzip = options.tcp_gzip;
    return TcpReceiver::start(ledger, settings, error);
  }
  HttpReceiverSettings settings;
  settings.faults = options.http_faults;
  return HttpReceiver::start(ledger, settings, error);
}

}  // namespace

void log_line(const std::string& text) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  std::cout << text << std::endl;
}

SenderConfig soak_sender_config(const SoakOptions& options, OverflowPolicy policy) {
  SenderConfig config;
  config.flush_interval = kFlushInterval;
  config.max_queue_items = options.max_queue_items;
  config.max_queue_bytes = options.max_queue_bytes;
  config.batch_items = options.batch_items;
  config.batch_bytes = options.batch_bytes;
  config.overflow_policy = policy;
  config.block_timeout = kBlockTimeout;
  config.retry_backoff_initial = kRetryBackoffInitial;
  config.retry_backoff_max = kRetryBackoffMax;
  config.max_retry_age = Milliseconds(options.max_retry_age_ms);
  config.close_timeout = Milliseconds(options.close_timeout_ms);
  config.self_metrics_interval = Milliseconds(0);  // only the soak's own points are sent and counted
  config.format.default_source = "soak";
  return config;
}

std::uint64_t sender_memory_bound(const SenderConfig& config) {
  const std::uint64_t per_queue = 2 * config.max_queue_bytes  // lines, and string capacity slack
                                  + kSpareBuffersPerQueue * 2 * config.batch_bytes;
  return kDataTypeCount * per_queue + kTransportBatches * config.batch_bytes;
}

PhaseResult run_phase(const PhaseSpec& spec, const SoakOptions& options) {
  PhaseResult result;
  result.spec = spec;
  const auto started = Clock::now();
  PointLedger ledger(spec.label, options.producers);
  std::unique_ptr<SoakReceiver> receiver = make_receiver(spec, options, ledger, &result.setup_error);
  if (!receiver) return result;
  const SenderConfig config = soak_sender_config(options, spec.policy);
  result.sender_bound_bytes = sender_memory_bound(config);
  std::unique_ptr<Sender> sender = receiver->make_sender(config, &result.setup_error);
  if (!sender) return result;

  std::atomic<bool> stop{false};
  std::vector<std::uint64_t> calls(options.producers, 0);
  std::vector<ProducerSettings> producer_settings(options.producers);
  std::vector<std::thread> producers;
  for (std::size_t index = 0; index < options.producers; ++index) {
    producer_settings[index] = {index, options.rate, mix_seed(spec.seed, 1 + index),
                                options.invalid_fraction};
    producers.emplace_back(
        [&, index] { calls[index] = run_producer(*sender, ledger, producer_settings[index], stop); });
  }

  FaultRng rng(spec.seed);
  Pacer pacer(*sender, result);
  const auto end = started + spec.duration;
  const auto tail = spec.clean_close
                        ? std::clamp(spec.duration / 5, kMinCleanTail, kMaxCleanTail)
                        : Milliseconds(static_cast<std::int64_t>(rng() % (kMaxDownBeforeCloseMs + 1)));
  const auto faults_until = end - tail;
  const double fault_mean = static_cast<double>(options.fault_mean_ms);
  const double normal_mean =
      options.fault_fraction > 0 ? fault_mean * (1 - options.fault_fraction) / options.fault_fraction : 1e12;
  const auto prefix = [&] {
    char text[64];
    std::snprintf(text, sizeof text, "[%s +%.3fs] ", spec.label.c_str(), seconds_since(started));
    return std::string(text);
  };
  while (Clock::now() < faults_until) {
    pacer.until(std::min(Clock::now() + draw_length(rng, normal_mean), faults_until));
    if (Clock::now() >= faults_until) break;
    const Milliseconds length = draw_length(rng, fault_mean);
    const std::string fault = receiver->begin_fault(rng);
    if (options.verbose && !fault.empty())
      log_line(prefix() + fault + " for " + std::to_string(length.count()) + " ms");
    pacer.until(std::min(Clock::now() + length, faults_until));
    receiver->end_fault();
  }
  if (spec.clean_close) {
    result.receiver_at_close = "healthy";
    result.quiet_at_close = receiver->quiesce(std::chrono::duration_cast<Milliseconds>(tail / 2));
  } else {
    result.receiver_at_close = receiver->go_down(options.down_at_close, rng);
  }
  if (options.verbose) log_line(prefix() + "receiver " + result.receiver_at_close + "; closing at the end");
  pacer.until(end);
  stop = true;
  for (std::thread& producer : producers) producer.join();
  for (std::uint64_t count : calls) result.calls += count;
  receiver->at_close();

  result.close_timeout = Milliseconds(options.close_timeout_ms);
  const auto close_started = Clock::now();
  const FlushResult closed = sender->close(result.close_timeout);
  result.close_seconds = seconds_since(close_started);
  result.close_status = closed.status.to_string();
  result.close_items_left = closed.items_left;
  result.stats = sender->stats();
  result.receiver_problem = receiver->finish();
  result.receiver = receiver->totals();
  result.ledger = ledger.summarize();
  result.ledger_bytes = ledger.memory_bytes();
  sender.reset();
  receiver.reset();
  release_freed_memory();
  result.seconds = seconds_since(started);
  return result;
}

}  // namespace wavefront::soak
