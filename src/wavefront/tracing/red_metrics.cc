// RED metrics derived from spans; see red_metrics.h and docs/tracing.md for where each name comes from.
#include "wavefront/tracing/red_metrics.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "wavefront/tracer.h"
#include "wavefront/tracing/ascii.h"

namespace wavefront {
namespace tracing {
namespace {

constexpr std::string_view kPrefix = "tracing.derived.";  // SpanDerivedMetricsUtils.TRACING_DERIVED_PREFIX
constexpr std::string_view kNone = "none";                // Constants.NULL_TAG_VAL
constexpr char kSeparator = '\x1f';
constexpr std::size_t kCacheSlots = 64;

std::atomic<std::uint64_t> next_red_metrics_id{1};

// A per-thread cache entry: the series of the last span whose own RED values (the fields set on it,
// its operation and custom values) were `key`, with the same masks of fields set, for one RedMetrics.
// The other fields are that RedMetrics' defaults, so these determine the series.
struct CacheSlot {
  std::uint64_t owner = 0;
  std::uint64_t hash = 0;
  std::uint32_t masks = 0;
  std::string key;
  void* series = nullptr;
};

// Byte equality of short texts without a library call (a tag value is typically under 16 bytes).
template <class Word>
bool same_word(const char* left, const char* right) {
  Word a = 0;
  Word b = 0;
  std::memcpy(&a, left, sizeof a);
  std::memcpy(&b, right, sizeof b);
  return a == b;
}

// Word-wise, the last word overlapping the one before it: no loop over the bytes of a tail.
bool same_bytes(const char* left, const char* right, std::size_t size) {
  if (size >= 8) {
    for (std::size_t at = 0; at + 8 < size; at += 8) {
      if (!same_word<std::uint64_t>(left + at, right + at)) return false;
    }
    return same_word<std::uint64_t>(left + size - 8, right + size - 8);
  }
  if (size >= 4) {
    return same_word<std::uint32_t>(left, right) &&
           same_word<std::uint32_t>(left + size - 4, right + size - 4);
  }
  for (std::size_t index = 0; index < size; ++index) {
    if (left[index] != right[index]) return false;
  }
  return true;
}

// Whether `key` is the serialization of `parts` (each followed by kSeparator), compared in place so a
// cache hit builds nothing.
template <class Parts>
bool key_holds(std::string_view key, std::size_t& at, const Parts& parts) {
  for (std::string_view part : parts) {
    if (key.size() - at <= part.size() || key[at + part.size()] != kSeparator ||
        !same_bytes(key.data() + at, part.data(), part.size())) {
      return false;
    }
    at += part.size() + 1;
  }
  return true;
}

// Up to 8 bytes of `text` from `offset` as a number (byte order does not matter for a hash). Fixed-size
// copies only: a variable-length memcpy into the word costs a call and a store-forwarding stall.
std::uint64_t load_word(std::string_view text, std::size_t offset) {
  const std::size_t size = text.size() - offset;
  const char* const at = text.data() + offset;
  std::uint64_t word = 0;
  if (size >= 8) {
    std::memcpy(&word, at, 8);
  } else if (size >= 4) {  // two 4-byte loads that overlap: no loop over short parts
    std::uint32_t head = 0;
    std::uint32_t tail = 0;
    std::memcpy(&head, at, 4);
    std::memcpy(&tail, at + size - 4, 4);
    word = (std::uint64_t{head} << 32U) | tail;
  } else {
    for (std::size_t index = 0; index < size; ++index)
      word = (word << 8U) | static_cast<unsigned char>(at[index]);
  }
  return word;
}

// A cheap hash of a series' fields for the per-thread cache: the first and last 8 bytes and the length
// of each. Series it confuses share a slot (and take turns in it); the key comparison keeps it right.
template <class Parts>
std::uint64_t slot_hash(const Parts& parts, std::uint32_t masks) {
  std::uint64_t hash = masks;
  const auto mix = [&hash](std::string_view part) {
    const std::uint64_t head = part.empty() ? 0 : load_word(part, 0);
    const std::uint64_t tail = part.size() > 8 ? load_word(part, part.size() - 8) : 0;
    hash = (hash ^ head ^ (tail * 0xC2B2AE3D27D4EB4FULL) ^ part.size()) * 0x9E3779B97F4A7C15ULL;
    hash ^= hash >> 29U;
  };
  for (std::string_view part : parts) mix(part);
  return hash;
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

RedMetrics::RedMetrics(MetricRegistry& registry, Sender& sender, const ApplicationTags& application,
                       Settings settings)
    : registry_(registry),
      sender_(sender),
      application_(application),
      settings_(std::move(settings)),
      id_(next_red_metrics_id.fetch_add(1, std::memory_order_relaxed)) {
  // What every span starts with: the global tags, the last value of a key winning.
  static constexpr std::string_view kFieldKeys[] = {"application", "service",   "cluster",         "shard",
                                                    "component",   "span.kind", "http.status_code"};
  default_custom_.resize(settings_.custom_tag_keys.size());
  for (const auto& [key, value] : settings_.global_tags) {
    if (value.empty()) continue;
    for (std::size_t field = 0; field < 7; ++field) {
      if (field == 6 ? equals_ignore_case(key, kFieldKeys[field]) : key == kFieldKeys[field])
        defaults_[field] = value;
    }
    for (std::size_t index = 0; index < settings_.custom_tag_keys.size(); ++index) {
      if (settings_.custom_tag_keys[index] == key) default_custom_[index] = value;
    }
  }
  // SpanDerivedMetricsUtils.getNonEmptyOrDefaultValue defaults.
  if (defaults_[0].empty()) defaults_[0] = "unknown_application";
  if (defaults_[1].empty()) defaults_[1] = "unknown_service";
  for (std::size_t field : {2, 3, 4, 5}) {
    if (defaults_[field].empty()) defaults_[field] = kNone;
  }
}

void RedMetrics::record(const Span& span, std::int64_t duration_us, std::int64_t now_ns) {
  thread_local Fields fields;
  thread_local std::string key;
  // What the span itself brings: the cache is keyed by these (and which fields were set) alone; the
  // whole set of fields is only needed when the cache misses.
  thread_local std::vector<std::string_view> own;
  own.clear();
  for (std::size_t field = 0; field < Span::kRedFieldCount; ++field) {
    if ((span.red_field_mask_ & (1U << field)) != 0) own.push_back(span.text(span.red_fields_[field]));
  }
  own.push_back(or_default(span.operation(), "unknown_operation"));
  const std::size_t custom_count = settings_.custom_tag_keys.size();
  for (std::size_t index = 0; index < custom_count; ++index) {
    if (index < Span::kTrackedCustomKeys) {
      if ((span.red_custom_mask_ & (1U << index)) != 0) own.push_back(span.text(span.red_custom_[index]));
    } else {  // past the keys a span notes as they are set: search its tags
      std::string_view value = default_custom_[index];
      for (std::size_t tag = 0; tag < span.tag_count(); ++tag) {
        if (span.text(span.tag(tag).key) == settings_.custom_tag_keys[index])
          value = span.text(span.tag(tag).value);
      }
      own.push_back(value);
    }
  }

  thread_local std::array<CacheSlot, kCacheSlots> cache;
  const std::uint32_t masks = static_cast<std::uint32_t>(span.red_field_mask_) |
                              static_cast<std::uint32_t>(span.red_custom_mask_) << 16U;
  const std::uint64_t hash = slot_hash(own, masks);
  CacheSlot& slot = cache[hash % kCacheSlots];
  Series* series = nullptr;
  std::size_t at = 0;
  if (slot.owner == id_ && slot.hash == hash && slot.masks == masks && key_holds(slot.key, at, own) &&
      at == slot.key.size()) {
    series = static_cast<Series*>(slot.series);
  } else {
    // Every field: the span's own value where it set one, this RedMetrics' default elsewhere.
    auto next = own.begin();
    for (std::size_t field = 0; field < Span::kRedFieldCount; ++field) {
      fields.values[field] =
          (span.red_field_mask_ & (1U << field)) != 0 ? *next++ : std::string_view(defaults_[field]);
    }
    fields.values[7] = *next++;
    fields.custom.resize(custom_count);
    for (std::size_t index = 0; index < custom_count; ++index) {
      const bool own_value =
          index >= Span::kTrackedCustomKeys || (span.red_custom_mask_ & (1U << index)) != 0;
      fields.custom[index] = own_value ? *next++ : std::string_view(default_custom_[index]);
    }
    std::size_t length = 0;
    for (std::string_view part : fields.values) length += part.size() + 1;
    for (std::string_view part : fields.custom) length += part.size() + 1;
    key.resize(length);
    char* out = key.data();
    const auto put = [&out](std::string_view part) {
      std::memcpy(out, part.data(), part.size());
      out += part.size();
      *out++ = kSeparator;
    };
    for (std::string_view part : fields.values) put(part);
    for (std::string_view part : fields.custom) put(part);
    series = find_or_add(key, fields);
    slot.owner = id_;
    slot.hash = hash;
    slot.masks = masks;
    slot.key.clear();
    for (std::string_view part : own) slot.key.append(part).push_back(kSeparator);
    slot.series = series;
  }

  series->invocation->inc();
  if (span.error()) {
    series->errors->inc();
    series->error_duration_us->update(static_cast<double>(duration_us));
  } else {
    series->duration_us->update(static_cast<double>(duration_us));
  }
  if (duration_us >= 1000) series->total_time_ms->inc(duration_us / 1000);  // adding 0 changes nothing
  if (now_ns >= series->heartbeat->next_due_ns.load(std::memory_order_relaxed))
    beat(*series->heartbeat, now_ns);
}

RedMetrics::Series* RedMetrics::find_or_add(const std::string& key, const Fields& fields) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = series_.find(key);
  if (found != series_.end()) return found->second.get();

  // The tags of SpanDerivedMetricsUtils (source becomes the point's source), in its order.
  const auto& values = fields.values;
  std::vector<std::pair<std::string, std::string>> tags = {
      {"application", std::string(values[0])},   {"service", std::string(values[1])},
      {"cluster", std::string(values[2])},       {"shard", std::string(values[3])},
      {"operationName", std::string(values[7])}, {"component", std::string(values[4])}};
  for (std::size_t index = 0; index < fields.custom.size(); ++index) {
    if (!fields.custom[index].empty())
      tags.emplace_back(settings_.custom_tag_keys[index], fields.custom[index]);
  }
  if (!values[6].empty()) tags.emplace_back("http.status_code", values[6]);
  tags.emplace_back("span.kind", std::string(values[5]));

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

  const std::string name = red_metric_name(values[0], values[1], values[7]);
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
