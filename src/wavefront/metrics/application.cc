// Application tags, random ids, the heartbeater and scoped spans; see include/wavefront/application.h.
#include "wavefront/application.h"

#include "wavefront/internal/process_lifecycle.h"

#include <cstdlib>
#include <random>

extern char** environ;  // POSIX: the process environment

namespace wavefront {

ApplicationTags ApplicationTags::from_environment(std::string_view prefix) {
  ApplicationTags tags;
  const std::string tag_prefix = std::string(prefix) + "TAG_";
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    const std::size_t equals = variable.find('=');
    if (equals == std::string_view::npos || variable.substr(0, prefix.size()) != prefix) continue;
    const std::string_view key = variable.substr(prefix.size(), equals - prefix.size());
    const std::string value(variable.substr(equals + 1));
    if (key == "APPLICATION") {
      tags.application = value;
    } else if (key == "SERVICE") {
      tags.service = value;
    } else if (key == "CLUSTER") {
      tags.cluster = value;
    } else if (key == "SHARD") {
      tags.shard = value;
    } else if (variable.substr(0, tag_prefix.size()) == tag_prefix && equals > tag_prefix.size()) {
      tags.custom.emplace_back(std::string(variable.substr(tag_prefix.size(), equals - tag_prefix.size())),
                               value);
    }
  }
  return tags;
}

std::vector<std::pair<std::string, std::string>> ApplicationTags::as_tags() const {
  std::vector<std::pair<std::string, std::string>> tags = {
      {"application", application.empty() ? "none" : application},
      {"service", service.empty() ? "none" : service},
      {"cluster", cluster.empty() ? "none" : cluster},
      {"shard", shard.empty() ? "none" : shard}};
  tags.insert(tags.end(), custom.begin(), custom.end());
  return tags;
}

std::string random_uuid() {
  thread_local std::mt19937_64 generator(
      std::random_device{}() ^
      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::uint64_t high = generator();
  std::uint64_t low = generator();
  high = (high & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;    // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text(36, '-');
  std::size_t position = 0;
  const auto put = [&](std::uint64_t word, int nibbles) {
    for (int shift = nibbles * 4 - 4; shift >= 0; shift -= 4) {
      if (position == 8 || position == 13 || position == 18 || position == 23) ++position;
      text[position++] = kHex[(word >> shift) & 0xF];
    }
  };
  put(high, 16);
  put(low, 16);
  return text;
}

Heartbeater::Heartbeater(Sender& sender, const ApplicationTags& application, std::string component,
                         HeartbeaterConfig config)
    : sender_(sender), tags_(application.as_tags()), config_(std::move(config)) {
  tags_.insert(tags_.begin() + 4, {"component", std::move(component)});
  if (!config_.clock) config_.clock = Clock::system();
  const auto next = config_.clock->now() + config_.interval;  // read here: the thread may start late
  beat();  // at once, so the application appears as soon as it starts
  thread_ = std::make_unique<internal::OwnedThread>();
  thread_->start([this, next] { run(next); });
}

Heartbeater::~Heartbeater() { stop(); }

void Heartbeater::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_->join();
}

std::uint64_t Heartbeater::beats_sent() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return beats_;
}

void Heartbeater::beat() {
  sender_.send_metric("~component.heartbeat", 1, std::nullopt, config_.source, tags_);
  std::lock_guard<std::mutex> lock(mutex_);
  ++beats_;
}

void Heartbeater::run(std::chrono::steady_clock::time_point next) {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      // Re-read the clock at least every 100 ms: it may be a manual clock in tests.
      while (!stopping_ && config_.clock->now() < next) wake_.wait_for(lock, std::chrono::milliseconds(100));
      if (stopping_) return;
    }
    next += config_.interval;
    beat();
  }
}

ScopedSpan::ScopedSpan(Sender& sender, std::string name, const ApplicationTags& application)
    : sender_(sender),
      name_(std::move(name)),
      trace_id_(random_uuid()),
      span_id_(random_uuid()),
      tags_(application.as_tags()),
      start_wall_(std::chrono::system_clock::now()),
      start_(std::chrono::steady_clock::now()) {}

ScopedSpan::ScopedSpan(Sender& sender, std::string name, const ApplicationTags& application,
                       const ScopedSpan& parent)
    : ScopedSpan(sender, std::move(name), application) {
  trace_id_ = parent.trace_id_;
  parent_id_ = parent.span_id_;
}

ScopedSpan::~ScopedSpan() { finish(); }

void ScopedSpan::add_tag(std::string key, std::string value) {
  tags_.emplace_back(std::move(key), std::move(value));
}

void ScopedSpan::add_log(std::vector<std::pair<std::string, std::string>> fields) {
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  logs_.emplace_back(now.count(), std::move(fields));
}

void ScopedSpan::set_error() { add_tag("error", "true"); }

Status ScopedSpan::finish() {
  if (finished_) return Status();
  finished_ = true;
  const auto start_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(start_wall_.time_since_epoch()).count();
  const auto duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_)
          .count();
  std::vector<SpanLog> logs;
  logs.reserve(logs_.size());
  for (const auto& [timestamp_us, fields] : logs_) logs.emplace_back(timestamp_us, fields);
  std::vector<std::string_view> parents;
  if (!parent_id_.empty()) parents.push_back(parent_id_);
  return sender_.send_span(name_, start_ms, duration_ms, "", trace_id_, span_id_, parents, {}, tags_, logs);
}

}  // namespace wavefront
