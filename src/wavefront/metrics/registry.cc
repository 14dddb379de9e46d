// The metric registry; see include/wavefront/metrics.h.
#include <algorithm>
#include <mutex>

#include "wavefront/metrics.h"

namespace wavefront {
namespace {

// kind, name and tags sorted by key: the same metric whatever order its tags were given in.
std::string identity_key(MetricRegistry::Kind kind, std::string_view name,
                         std::vector<std::pair<std::string, std::string>>& sorted_tags) {
  std::sort(sorted_tags.begin(), sorted_tags.end());
  std::string key(1, static_cast<char>('0' + static_cast<int>(kind)));
  key += name;
  for (const auto& [tag_key, tag_value] : sorted_tags) {
    key += '\n';
    key += tag_key;
    key += '=';
    key += tag_value;
  }
  return key;
}

}  // namespace

MetricRegistry::Entry& MetricRegistry::find_or_add(Kind kind, std::string_view name, TagList tags,
                                                   const HistogramOptions* options) {
  std::vector<std::pair<std::string, std::string>> owned;
  owned.reserve(tags.size());
  for (const Tag tag : tags) owned.emplace_back(std::string(tag.key), std::string(tag.value));
  std::vector<std::pair<std::string, std::string>> sorted = owned;
  const std::string key = identity_key(kind, name, sorted);
  {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    const auto found = index_.find(key);
    if (found != index_.end()) return *entries_[found->second];
  }
  std::unique_lock<std::shared_mutex> lock(mutex_);
  const auto found = index_.find(key);
  if (found != index_.end()) return *entries_[found->second];
  auto entry = std::make_unique<Entry>();
  entry->kind = kind;
  entry->name = std::string(name);
  entry->tags = std::move(owned);
  const HistogramOptions& histogram_options = options != nullptr ? *options : default_histogram_options_;
  switch (kind) {
    case Kind::counter:
      entry->counter = std::make_unique<Counter>();
      break;
    case Kind::delta_counter:
      entry->delta_counter = std::make_unique<DeltaCounter>();
      break;
    case Kind::gauge:
      entry->gauge = std::make_unique<Gauge>();
      break;
    case Kind::histogram:
      entry->histogram = std::make_unique<Histogram>(histogram_options);
      break;
    case Kind::timer:
      entry->timer = std::make_unique<Timer>(histogram_options);
      break;
    case Kind::gauge_callback:
    case Kind::cumulative_callback:
      break;
  }
  index_.emplace(key, entries_.size());
  entries_.push_back(std::move(entry));
  return *entries_.back();
}

Counter& MetricRegistry::counter(std::string_view name, TagList tags) {
  return *find_or_add(Kind::counter, name, tags, nullptr).counter;
}

DeltaCounter& MetricRegistry::delta_counter(std::string_view name, TagList tags) {
  return *find_or_add(Kind::delta_counter, name, tags, nullptr).delta_counter;
}

Gauge& MetricRegistry::gauge(std::string_view name, TagList tags) {
  return *find_or_add(Kind::gauge, name, tags, nullptr).gauge;
}

void MetricRegistry::gauge_callback(std::string_view name, TagList tags, std::function<double()> read) {
  Entry& entry = find_or_add(Kind::gauge_callback, name, tags, nullptr);
  std::unique_lock<std::shared_mutex> lock(mutex_);
  entry.callback = std::move(read);
}

void MetricRegistry::cumulative_callback(std::string_view name, TagList tags,
                                         std::function<std::uint64_t()> read) {
  Entry& entry = find_or_add(Kind::cumulative_callback, name, tags, nullptr);
  std::unique_lock<std::shared_mutex> lock(mutex_);
  entry.cumulative = std::move(read);
}

Histogram& MetricRegistry::histogram(std::string_view name, TagList tags) {
  return *find_or_add(Kind::histogram, name, tags, nullptr).histogram;
}

Histogram& MetricRegistry::histogram(std::string_view name, TagList tags, const HistogramOptions& options) {
  return *find_or_add(Kind::histogram, name, tags, &options).histogram;
}

Timer& MetricRegistry::timer(std::string_view name, TagList tags) {
  return *find_or_add(Kind::timer, name, tags, nullptr).timer;
}

void MetricRegistry::for_each(const std::function<void(Entry&)>& visit) {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  for (auto& entry : entries_) visit(*entry);
}

std::size_t MetricRegistry::size() const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace wavefront
