// RED metrics derived from spans; see red_metrics.h and docs/tracing.md for where each name comes from.
#include "wavefront/tracing/red_metrics.h"

#include <algorithm>
#include <array>
#include <functional>

#include "wavefront/tracer.h"

namespace wavefront {
namespace tracing {
namespace {

constexpr std::string_view kPrefix = "tracing.derived.";  // SpanDerivedMetricsUtils.TRACING_DERIVED_PREFIX
constexpr std::string_view kNone = "none";                // Constants.NULL_TAG_VAL
constexpr char kSeparator = '\x1f';
constexpr std::size_t kCacheSlots = 64;

std::atomic<std::uint64_t> next_red_metrics_id{1};

struct CacheSlot {
  std::uint64_t owner = 0;
  std::string key;
  void* series = nullptr;
};

bool equals_ignore_case(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) return false;
  for (std::size_t index = 0; index < left.size(); ++index) {
    const auto lower = [](char letter) {
      return letter >= 'A' && letter <= 'Z' ? static_cast<char>(letter - 'A' + 'a') : letter;
    };
    if (lower(left[index]) != lower(right[index])) return false;
  }
  return true;
}

std::string_view or_default(std::string_view value, std::string_view fallback) {
  return value.empty() ? fallback : value;
}

}  // namespace

std::string red_metric_name(std::string_view application, std::string_view service,
                            std::string_view operation) {
  std::string joined;
  joined.reserve(application.size() + service.size() + operation.size() + 2);
  joined.append(application).push_back('.');
  joined.append(service).push_back('.');
  joined.append(operation);
  // Java strings are UTF-16: one '-' per UTF-16 unit of a character the sanitizer refuses.
  std::string name(kPrefix);
  std::size_t unit = 0;  // UTF-16 index in the joined text
  bool delta_first = false;
  for (std::size_t index = 0; index < joined.size();) {
    const auto lead = static_cast<unsigned char>(joined[index]);
    std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (index + length > joined.size()) length = joined.size() - index;
    const std::string_view character(joined.data() + index, length);
    const bool is_delta = character == "\xE2\x88\x86" || character == "\xCE\x94";  // ∆ U+2206, Δ U+0394
    if (length == 1) {
      const char letter = character[0];
      const bool alphanumeric = (letter >= 'a' && letter <= 'z') || (letter >= 'A' && letter <= 'Z') ||
                                (letter >= '0' && letter <= '9');
      if (alphanumeric || letter == '_' || letter == '.' || letter == '-') {
        name.push_back(letter);
      } else if (letter == ',') {
        name.push_back('_');  // legal for the first sanitizer, not for the reporter's
      } else if (letter == '~' && (unit == 0 || (unit == 1 && delta_first))) {
        name.push_back('~');
      } else {
        name.push_back('-');
      }
      unit += 1;
    } else if (unit == 0 && is_delta) {
      delta_first = true;
      name.push_back('_');  // kept by the first sanitizer, replaced by the reporter's
      unit += 1;
    } else {
      const int units = length == 4 ? 2 : 1;
      name.append(static_cast<std::size_t>(units), '-');
      unit += static_cast<std::size_t>(units);
    }
    index += length;
  }
  return name;
}

struct RedMetrics::Fields {
  std::string_view application, service, cluster, shard, operation, component, span_kind, http_status;
  std::vector<std::string_view> custom;  // per custom key; empty when the span lacks it
};

RedMetrics::RedMetrics(MetricRegistry& registry, Sender& sender, const ApplicationTags& application,
                       Settings settings)
    : registry_(registry),
      sender_(sender),
      application_(application),
      settings_(std::move(settings)),
      id_(next_red_metrics_id.fetch_add(1, std::memory_order_relaxed)) {
  // span.kind is always a RED tag (WavefrontTracer.Builder.build adds it); it has its own field.
  auto& keys = settings_.custom_tag_keys;
  keys.erase(std::remove(keys.begin(), keys.end(), "span.kind"), keys.end());
}

void RedMetrics::record(const Span& span, Tags global_tags, std::int64_t duration_us, std::int64_t now_ns) {
  thread_local Fields fields;
  thread_local std::string key;
  fields.application = fields.service = fields.cluster = fields.shard = {};
  fields.component = fields.span_kind = fields.http_status = {};
  fields.operation = span.operation();
  fields.custom.assign(settings_.custom_tag_keys.size(), std::string_view());
  const auto visit = [&](std::string_view tag_key, std::string_view value) {
    if (tag_key == "application") {
      fields.application = value;
    } else if (tag_key == "service") {
      fields.service = value;
    } else if (tag_key == "cluster") {
      fields.cluster = value;
    } else if (tag_key == "shard") {
      fields.shard = value;
    } else if (tag_key == "component") {
      fields.component = value;
    } else if (tag_key == "span.kind") {
      fields.span_kind = value;
    } else if (equals_ignore_case(tag_key, "http.status_code")) {
      fields.http_status = value;
    }
    for (std::size_t index = 0; index < settings_.custom_tag_keys.size(); ++index) {
      if (settings_.custom_tag_keys[index] == tag_key) fields.custom[index] = value;
    }
  };
  for (const Tag& tag : global_tags) visit(tag.key, tag.value);
  for (std::size_t index = 0; index < span.tag_count(); ++index) {
    visit(span.text(span.tag(index).key), span.text(span.tag(index).value));
  }
  fields.application =
      or_default(fields.application, or_default(application_.application, "unknown_application"));
  fields.service = or_default(fields.service, or_default(application_.service, "unknown_service"));
  fields.cluster = or_default(fields.cluster, kNone);
  fields.shard = or_default(fields.shard, kNone);
  fields.operation = or_default(fields.operation, "unknown_operation");
  fields.component = or_default(fields.component, kNone);
  fields.span_kind = or_default(fields.span_kind, kNone);

  key.clear();
  for (std::string_view part : {fields.application, fields.service, fields.cluster, fields.shard,
                                fields.operation, fields.component, fields.span_kind, fields.http_status}) {
    key.append(part).push_back(kSeparator);
  }
  for (std::string_view value : fields.custom) key.append(value).push_back(kSeparator);

  thread_local std::array<CacheSlot, kCacheSlots> cache;
  CacheSlot& slot = cache[std::hash<std::string_view>()(key) % kCacheSlots];
  Series* series = nullptr;
  if (slot.owner == id_ && slot.key == key) {
    series = static_cast<Series*>(slot.series);
  } else {
    series = find_or_add(key, fields);
    slot.owner = id_;
    slot.key = key;
    slot.series = series;
  }

  series->invocation->inc();
  if (span.error()) {
    series->errors->inc();
    series->error_duration_us->update(static_cast<double>(duration_us));
  } else {
    series->duration_us->update(static_cast<double>(duration_us));
  }
  series->total_time_ms->inc(duration_us / 1000);
  if (now_ns >= series->heartbeat->next_due_ns.load(std::memory_order_relaxed))
    beat(*series->heartbeat, now_ns);
}

RedMetrics::Series* RedMetrics::find_or_add(const std::string& key, const Fields& fields) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = series_.find(key);
  if (found != series_.end()) return found->second.get();

  // The tags of SpanDerivedMetricsUtils (source becomes the point's source), in its order.
  std::vector<std::pair<std::string, std::string>> tags = {
      {"application", std::string(fields.application)}, {"service", std::string(fields.service)},
      {"cluster", std::string(fields.cluster)},         {"shard", std::string(fields.shard)},
      {"operationName", std::string(fields.operation)}, {"component", std::string(fields.component)}};
  for (std::size_t index = 0; index < fields.custom.size(); ++index) {
    if (!fields.custom[index].empty())
      tags.emplace_back(settings_.custom_tag_keys[index], fields.custom[index]);
  }
  if (!fields.http_status.empty()) tags.emplace_back("http.status_code", fields.http_status);
  tags.emplace_back("span.kind", std::string(fields.span_kind));

  // The heartbeat: the same tags without operationName (reportWavefrontGeneratedData's return value).
  std::vector<std::pair<std::string, std::string>> heartbeat_tags;
  std::string heartbeat_key;
  for (const auto& [tag_key, value] : tags) {
    if (tag_key == "operationName") continue;
    heartbeat_tags.emplace_back(tag_key, value);
    heartbeat_key.append(tag_key).push_back('=');
    heartbeat_key.append(value).push_back(kSeparator);
  }
  auto& heartbeat = heartbeats_[heartbeat_key];
  if (!heartbeat) {
    heartbeat = std::make_unique<Heartbeat>();
    heartbeat->tags = std::move(heartbeat_tags);
  }

  // The reporter's point tags (the application tags, custom ones included) where the metric has none.
  for (const auto& [tag_key, value] : application_.custom) {
    bool present = false;
    for (const auto& tag : tags) present = present || tag.first == tag_key;
    if (!present) tags.emplace_back(tag_key, value);
  }

  const std::string name = red_metric_name(fields.application, fields.service, fields.operation);
  auto series = std::make_unique<Series>();
  series->invocation = &registry_.delta_counter(name + ".invocation.count", tags);
  series->errors = &registry_.delta_counter(name + ".error.count", tags);
  series->total_time_ms = &registry_.delta_counter(name + ".total_time.millis.count", tags);
  series->duration_us = &registry_.histogram(name + ".duration.micros", tags);
  tags.emplace_back("error", "true");
  series->error_duration_us = &registry_.histogram(name + ".duration.micros", tags);
  series->heartbeat = heartbeat.get();
  return series_.emplace(key, std::move(series)).first->second.get();
}

void RedMetrics::beat(Heartbeat& heartbeat, std::int64_t now_ns) {
  std::int64_t due = heartbeat.next_due_ns.load(std::memory_order_relaxed);
  if (now_ns < due) return;
  if (!heartbeat.next_due_ns.compare_exchange_strong(due, now_ns + settings_.heartbeat_interval.count(),
                                                     std::memory_order_relaxed)) {
    return;  // another thread beats this interval
  }
  sender_.send_metric("~component.heartbeat", 1, std::nullopt, settings_.source, heartbeat.tags);
}

}  // namespace tracing
}  // namespace wavefront
