// Reporting a registry through a sender; see include/wavefront/reporter.h.
#include "wavefront/reporter.h"

#include "wavefront/internal/process_lifecycle.h"

#include <cmath>

namespace wavefront {
namespace {

std::vector<std::pair<std::string, std::string>> all_tags(const MetricRegistry::Entry& entry,
                                                          const ReporterConfig& config) {
  std::vector<std::pair<std::string, std::string>> tags = config.global_tags;
  tags.insert(tags.end(), entry.tags.begin(), entry.tags.end());  // the metric's own tags win
  return tags;
}

}  // namespace

std::uint64_t report_registry(MetricRegistry& registry, Sender& sender, const ReporterConfig& config,
                              bool final) {
  std::uint64_t failures = 0;
  const auto count = [&](const Status& status) { failures += status.ok() ? 0 : 1; };
  registry.for_each([&](MetricRegistry::Entry& entry) {
    const std::string name = config.prefix + entry.name;
    const auto tags = all_tags(entry, config);
    switch (entry.kind) {
      case MetricRegistry::Kind::counter:
        count(sender.send_metric(name, static_cast<double>(entry.counter->value()), std::nullopt,
                                 config.source, tags));
        break;
      case MetricRegistry::Kind::delta_counter:
        if (const std::int64_t delta = entry.delta_counter->take(); delta != 0) {
          const Status status =
              sender.send_delta_counter(name, static_cast<double>(delta), std::nullopt, config.source, tags);
          if (!status.ok()) entry.delta_counter->inc(delta);  // refused now: report it next time
          count(status);
        }
        break;
      case MetricRegistry::Kind::gauge:
        count(sender.send_metric(name, entry.gauge->value(), std::nullopt, config.source, tags));
        break;
      case MetricRegistry::Kind::gauge_callback:
        if (entry.callback) {
          const double value = entry.callback();
          if (std::isfinite(value)) count(sender.send_metric(name, value, std::nullopt, config.source, tags));
        }
        break;
      case MetricRegistry::Kind::cumulative_callback:
        if (entry.cumulative) {
          const std::uint64_t current = entry.cumulative();
          if (current > entry.last_reported) {
            count(sender.send_delta_counter(name, static_cast<double>(current - entry.last_reported),
                                            std::nullopt, config.source, tags));
          }
          entry.last_reported = current;
        }
        break;
      case MetricRegistry::Kind::histogram:
      case MetricRegistry::Kind::timer: {
        Histogram& histogram =
            entry.kind == MetricRegistry::Kind::histogram ? *entry.histogram : entry.timer->histogram();
        for (const Histogram::Bin& bin : histogram.take_completed(final)) {
          count(sender.send_distribution(name, bin.centroids, histogram.granularities(), bin.start_seconds,
                                         config.source, tags));
        }
        break;
      }
    }
  });
  return failures;
}

Reporter::Reporter(MetricRegistry& registry, Sender& sender, ReporterConfig config)
    : registry_(registry), sender_(sender), config_(std::move(config)) {
  if (!config_.clock) config_.clock = Clock::system();
  const auto first = config_.clock->now() + config_.interval;  // read here: the thread may start late
  thread_ = std::make_unique<internal::OwnedThread>();
  thread_->start([this, first] { run(first); });
}

Reporter::~Reporter() { stop(); }

void Reporter::report_now() {
  std::lock_guard<std::mutex> report_lock(report_mutex_);
  report_registry(registry_, sender_, config_, false);
  std::lock_guard<std::mutex> lock(mutex_);
  ++reports_;
}

void Reporter::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    stopping_ = true;
  }
  wake_.notify_all();
  if (!thread_->join()) return;  // a child of fork(): the thread and its sender are the parent's
  std::lock_guard<std::mutex> report_lock(report_mutex_);
  report_registry(registry_, sender_, config_, true);
  std::lock_guard<std::mutex> lock(mutex_);
  ++reports_;
}

std::uint64_t Reporter::reports() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return reports_;
}

void Reporter::run(std::chrono::steady_clock::time_point first_report) {
  std::chrono::steady_clock::time_point next = first_report;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      // Re-read the clock at least every 100 ms: it may be a manual clock in tests.
      while (!stopping_ && config_.clock->now() < next) wake_.wait_for(lock, std::chrono::milliseconds(100));
      if (stopping_) return;
    }
    next += config_.interval;
    report_now();
  }
}

}  // namespace wavefront
