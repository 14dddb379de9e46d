// Typed points: one value type per kind of data, built from its required fields, with the optional
// ones set by name through chained setters, and sent with `sender.send(point)` (sender.h):
//
//   sender.send(wavefront::MetricPoint("cpu.usage", 42.5).source("host-01").tag("env", "prod"));
//   sender.send(wavefront::SpanPoint("checkout", start, duration_ms, trace_id, span_id).parent(parent_id));
//
// A point owns its strings (names, sources, tags, ids): it may be kept, copied, moved to another
// thread and sent later, whatever happened to the strings it was built from. Setting a tag key again
// on a metric, delta counter or distribution replaces its value; span tags keep repeats, as the wire
// format allows. Nothing is validated until the point is sent (then exactly as the positional sends
// validate: the Status names the field, the rule and the value).
//
// Thread-safety: plain values; a point may be read from several threads while nobody modifies it.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wavefront/types.h"

namespace wavefront {

// Owned key/value pairs (tags, annotations, span-log fields), in insertion order: the same type as
// Tags (types.h), which a TagList reads directly.
using OwnedTags = Tags;

namespace detail {
// Milliseconds since the epoch of a time point, rounded to the nearest millisecond.
inline std::int64_t epoch_ms(std::chrono::system_clock::time_point time) {
  return std::chrono::round<std::chrono::milliseconds>(time.time_since_epoch()).count();
}
// Appends every pair of a map, unordered_map, vector of pairs or braced list to `tags`.
template <class Pairs>
void append_pairs(OwnedTags& tags, const Pairs& pairs) {
  for (const auto& [key, value] : pairs) tags.emplace_back(std::string(key), std::string(value));
}
// Sets one key: replaces its value when present, appends it otherwise.
inline void set_tag(OwnedTags& tags, std::string_view key, std::string_view value) {
  for (auto& [existing, old_value] : tags) {
    if (existing == key) {
      old_value.assign(value);
      return;
    }
  }
  tags.emplace_back(std::string(key), std::string(value));
}
}  // namespace detail

// Shared by the point kinds that carry point tags and an optional source and timestamp.
template <class Self>
class PointFields {
 public:
  // The source (host); empty means the sender's configured default source.
  Self& source(std::string_view source) {
    source_.assign(source);
    return self();
  }
  // Epoch seconds, a time point (milliseconds kept), or {} for "now" (the receiver stamps it).
  Self& timestamp(Timestamp timestamp) {
    timestamp_ = timestamp;
    return self();
  }
  // One point tag; a key set again keeps its last value.
  Self& tag(std::string_view key, std::string_view value) {
    detail::set_tag(tags_, key, value);
    return self();
  }
  // Several tags from a std::map, std::unordered_map, a vector of pairs or a braced list.
  template <class Pairs>
  Self& tags(const Pairs& pairs) {
    for (const auto& [key, value] : pairs) tag(key, value);
    return self();
  }
  Self& tags(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
    for (const auto& [key, value] : pairs) tag(key, value);
    return self();
  }

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  Timestamp timestamp() const { return timestamp_; }
  const OwnedTags& tags() const { return tags_; }

 protected:
  explicit PointFields(std::string_view name) : name_(name) {}

 private:
  Self& self() { return static_cast<Self&>(*this); }
  std::string name_;
  std::string source_;
  Timestamp timestamp_;
  OwnedTags tags_;
};

// A metric value (gauge or counter): sender.send_metric's fields.
class MetricPoint : public PointFields<MetricPoint> {
 public:
  MetricPoint(std::string_view name, double value) : PointFields(name), value_(value) {}
  double value() const { return value_; }

 private:
  double value_;
};

// A delta counter increment (the name gets the `∆` prefix): 0 sends nothing, negative is refused.
class DeltaPoint : public PointFields<DeltaPoint> {
 public:
  DeltaPoint(std::string_view name, double value) : PointFields(name), value_(value) {}
  double value() const { return value_; }

 private:
  double value_;
};

// A distribution (histogram) for one or more granularities; timestamps are whole seconds.
class DistributionPoint : public PointFields<DistributionPoint> {
 public:
  DistributionPoint(std::string_view name, Centroids centroids, GranularitySet granularities)
      : PointFields(name), centroids_(centroids.begin(), centroids.end()), granularities_(granularities) {}
  const std::vector<Centroid>& centroids() const { return centroids_; }
  GranularitySet granularities() const { return granularities_; }

 private:
  std::vector<Centroid> centroids_;
  GranularitySet granularities_;
};

// A span: name, start, duration and its trace and span ids (UUIDs) are required.
class SpanPoint {
 public:
  SpanPoint(std::string_view name, std::int64_t start_ms, std::int64_t duration_ms, std::string_view trace_id,
            std::string_view span_id)
      : name_(name), trace_id_(trace_id), span_id_(span_id), start_ms_(start_ms), duration_ms_(duration_ms) {}
  SpanPoint(std::string_view name, std::chrono::system_clock::time_point start,
            std::chrono::milliseconds duration, std::string_view trace_id, std::string_view span_id)
      : SpanPoint(name, detail::epoch_ms(start), duration.count(), trace_id, span_id) {}

  SpanPoint& source(std::string_view source) {
    source_.assign(source);
    return *this;
  }
  SpanPoint& parent(std::string_view span_id) {
    parents_.emplace_back(span_id);
    return *this;
  }
  SpanPoint& follows_from(std::string_view span_id) {
    follows_from_.emplace_back(span_id);
    return *this;
  }
  // Span tags keep repeated keys (the wire format allows them).
  SpanPoint& tag(std::string_view key, std::string_view value) {
    tags_.emplace_back(std::string(key), std::string(value));
    return *this;
  }
  template <class Pairs>
  SpanPoint& tags(const Pairs& pairs) {
    detail::append_pairs(tags_, pairs);
    return *this;
  }
  SpanPoint& tags(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
    detail::append_pairs(tags_, pairs);
    return *this;
  }
  // One span log: microseconds since the epoch and its fields.
  SpanPoint& log(std::int64_t timestamp_us,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
    logs_.emplace_back(timestamp_us, OwnedTags());
    detail::append_pairs(logs_.back().second, fields);
    return *this;
  }

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  const std::string& trace_id() const { return trace_id_; }
  const std::string& span_id() const { return span_id_; }
  std::int64_t start_ms() const { return start_ms_; }
  std::int64_t duration_ms() const { return duration_ms_; }
  const std::vector<std::string>& parents() const { return parents_; }
  const std::vector<std::string>& follows_from() const { return follows_from_; }
  const OwnedTags& tags() const { return tags_; }
  const std::vector<std::pair<std::int64_t, OwnedTags>>& logs() const { return logs_; }

 private:
  std::string name_, source_, trace_id_, span_id_;
  std::int64_t start_ms_;
  std::int64_t duration_ms_;
  std::vector<std::string> parents_, follows_from_;
  OwnedTags tags_;
  std::vector<std::pair<std::int64_t, OwnedTags>> logs_;
};

// An event: name and start are required; without an end it is an instant event.
class EventPoint {
 public:
  EventPoint(std::string_view name, std::int64_t start_ms) : name_(name), start_ms_(start_ms) {}
  EventPoint(std::string_view name, std::chrono::system_clock::time_point start)
      : EventPoint(name, detail::epoch_ms(start)) {}

  EventPoint& end(std::int64_t end_ms) {
    end_ms_ = end_ms;
    return *this;
  }
  EventPoint& end(std::chrono::system_clock::time_point end) { return this->end(detail::epoch_ms(end)); }
  EventPoint& source(std::string_view source) {
    source_.assign(source);
    return *this;
  }
  // An annotation ("severity", "details", "type", ...); a key set again keeps its last value.
  EventPoint& annotation(std::string_view key, std::string_view value) {
    detail::set_tag(annotations_, key, value);
    return *this;
  }
  EventPoint& tag(std::string_view tag) {
    tags_.emplace_back(tag);
    return *this;
  }

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  std::int64_t start_ms() const { return start_ms_; }
  std::int64_t end_ms() const { return end_ms_; }
  const OwnedTags& annotations() const { return annotations_; }
  const std::vector<std::string>& tags() const { return tags_; }

 private:
  std::string name_, source_;
  std::int64_t start_ms_;
  std::int64_t end_ms_ = 0;
  OwnedTags annotations_;
  std::vector<std::string> tags_;
};

}  // namespace wavefront
