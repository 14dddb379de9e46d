// The binned, sharded Histogram on top of the t-digest; see include/wavefront/histogram.h.
#include "wavefront/histogram.h"

#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>

#include "wavefront/histogram/t_digest.h"

namespace wavefront {
namespace {

// Enough shards that the two to eight threads of a typical service rarely share one.
constexpr std::size_t kShards = 8;

std::size_t this_threads_shard() {
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t shard = next.fetch_add(1, std::memory_order_relaxed) % kShards;
  return shard;
}

std::int64_t bin_width_seconds(GranularitySet granularities) {
  if (granularities.contains(Granularity::minute) || granularities.empty()) return 60;
  if (granularities.contains(Granularity::hour)) return 3600;
  return 86400;
}

}  // namespace

struct Histogram::Impl {
  struct alignas(64) Shard {
    std::mutex mutex;
    std::map<std::int64_t, histogram::TDigest> bins;  // bin start (epoch seconds) -> samples
  };

  explicit Impl(HistogramOptions histogram_options)
      : options(std::move(histogram_options)), width(bin_width_seconds(options.granularities)) {
    if (!options.clock) options.clock = Clock::system();
    if (options.granularities.empty()) options.granularities = Granularity::minute;
  }

  std::int64_t current_bin() const {
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(options.clock->wall_time().time_since_epoch())
            .count();
    return seconds - ((seconds % width) + width) % width;
  }

  // The current bin's samples from every shard, merged.
  histogram::TDigest current_digest() const {
    histogram::TDigest merged(options.compression);
    const std::int64_t bin = current_bin();
    for (Shard& shard : shards) {
      std::lock_guard<std::mutex> lock(shard.mutex);
      const auto found = shard.bins.find(bin);
      if (found != shard.bins.end()) merged.merge(found->second);
    }
    return merged;
  }

  HistogramOptions options;
  const std::int64_t width;
  mutable std::array<Shard, kShards> shards;
  std::atomic<std::uint64_t> ignored{0};
};

Histogram::Histogram(HistogramOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Histogram::~Histogram() = default;

void Histogram::update(double value) {
  if (!std::isfinite(value)) {
    impl_->ignored.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const std::int64_t bin = impl_->current_bin();
  Impl::Shard& shard = impl_->shards[this_threads_shard()];
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto latest = shard.bins.empty() ? shard.bins.end() : std::prev(shard.bins.end());
  if (latest == shard.bins.end() || latest->first != bin) {
    latest = shard.bins.try_emplace(bin, impl_->options.compression).first;
  }
  latest->second.add(value);
}

std::int64_t Histogram::count() const { return impl_->current_digest().count(); }

double Histogram::min() const {
  const auto digest = impl_->current_digest();
  return digest.count() == 0 ? std::numeric_limits<double>::quiet_NaN() : digest.min();
}

double Histogram::max() const {
  const auto digest = impl_->current_digest();
  return digest.count() == 0 ? std::numeric_limits<double>::quiet_NaN() : digest.max();
}

double Histogram::mean() const {
  const auto digest = impl_->current_digest();
  return digest.count() == 0 ? std::numeric_limits<double>::quiet_NaN() : digest.sum() / digest.count();
}

double Histogram::sum() const { return impl_->current_digest().sum(); }

double Histogram::quantile(double q) const {
  const auto digest = impl_->current_digest();
  return digest.count() == 0 ? std::numeric_limits<double>::quiet_NaN() : digest.quantile(q);
}

std::uint64_t Histogram::ignored() const { return impl_->ignored.load(std::memory_order_relaxed); }

GranularitySet Histogram::granularities() const { return impl_->options.granularities; }

std::vector<Histogram::Bin> Histogram::take_completed(bool include_current) {
  const std::int64_t current = impl_->current_bin();
  std::map<std::int64_t, histogram::TDigest> taken;
  for (Impl::Shard& shard : impl_->shards) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    for (auto bin = shard.bins.begin(); bin != shard.bins.end();) {
      if (bin->first >= current && !include_current) break;  // ordered: the rest are current or later
      auto& merged = taken.try_emplace(bin->first, impl_->options.compression).first->second;
      merged.merge(bin->second);
      bin = shard.bins.erase(bin);
    }
  }
  std::vector<Bin> bins;
  bins.reserve(taken.size());
  for (auto& [start, digest] : taken) {
    Bin bin;
    bin.start_seconds = start;
    for (const auto& centroid : digest.centroids()) bin.centroids.emplace_back(centroid.mean, centroid.count);
    if (!bin.centroids.empty()) bins.push_back(std::move(bin));
  }
  return bins;
}

}  // namespace wavefront
