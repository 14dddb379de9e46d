// The merging t-digest: buffer sorting, the merge pass under the k1 scale function, quantile and CDF.
#include "wavefront/histogram/t_digest.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace wavefront::histogram {
namespace {

constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;

// Maps a double to an unsigned key with the same order (negative numbers have their bits flipped).
std::uint64_t sort_key(double value) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return (bits & kSignBit) != 0 ? ~bits : bits | kSignBit;
}

double key_value(std::uint64_t key) {
  const std::uint64_t bits = (key & kSignBit) != 0 ? key & ~kSignBit : ~key;
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// Sorts finite doubles with a least-significant-digit radix sort on their keys, one byte per pass,
// skipping the bytes all keys share. std::sort pays a branch misprediction per comparison on random
// input (~35 ns per sample for a buffer of 1000 here); this has no data-dependent branch.
void radix_sort(std::vector<double>& values, std::vector<std::uint64_t>& keys,
                std::vector<std::uint64_t>& spare) {
  const std::size_t size = values.size();
  if (size < 2) return;
  keys.resize(size);
  spare.resize(size);
  std::uint32_t counts[8][256] = {};
  for (std::size_t i = 0; i < size; ++i) {
    const std::uint64_t key = sort_key(values[i]);
    keys[i] = key;
    for (int digit = 0; digit < 8; ++digit) ++counts[digit][(key >> (8 * digit)) & 0xff];
  }
  std::uint64_t* from = keys.data();
  std::uint64_t* to = spare.data();
  for (int digit = 0; digit < 8; ++digit) {
    const int shift = 8 * digit;
    std::uint32_t* count = counts[digit];
    if (count[(from[0] >> shift) & 0xff] == size) continue;
    std::uint32_t offset = 0;
    for (int bucket = 0; bucket < 256; ++bucket) offset += std::exchange(count[bucket], offset);
    for (std::size_t i = 0; i < size; ++i) to[count[(from[i] >> shift) & 0xff]++] = from[i];
    std::swap(from, to);
  }
  for (std::size_t i = 0; i < size; ++i) values[i] = key_value(from[i]);
}

// How heavy a centroid may grow, from the arcsine scale function k1(q) = (compression / pi) * asin(2q - 1): a
// centroid that starts at quantile q0 may extend to q1 with k1(q1) - k1(q0) <= 1. k1 spans `compression`
// units over [0, 1], so a pass leaves at most about 2 x compression centroids (two neighbours always span
// more than one unit; about 1.2 x in practice), and a centroid at q holds at most a fraction about (pi /
// compression) * sqrt(q (1 - q)) of the samples: 1.6% at the median, 0.1% at q = 0.001. That matches bounds
// on absolute rank error (0.005 in the middle, 0.001 at 0.001 and 0.999) better than k2 or k3, whose
// logarithmic scales spend most centroids on the far tails: with k2 normalized to the same ~130 centroids,
// interleaved merges missed the middle bound (0.0065), while k1 keeps 0.0015.
class SizeBound {
 public:
  SizeBound(double compression, double total)
      : total_(total), cos_step_(std::cos(kPi / compression)), sin_step_(std::sin(kPi / compression)) {}

  // The largest cumulative weight a centroid that starts after `weight_before` may end at:
  // q1 = (sin(asin(2 q0 - 1) + step) + 1) / 2, expanded so that only a square root is needed.
  double limit(double weight_before) const {
    const double q = weight_before / total_;
    const double sine = 2 * q - 1;
    if (sine >= cos_step_) return total_;  // asin(sine) + step reaches pi / 2
    const double cosine = 2 * std::sqrt(q * (1 - q));
    return total_ * (1 + sine * cos_step_ + cosine * sin_step_) / 2;
  }

 private:
  static constexpr double kPi = 3.141592653589793;
  double total_;
  double cos_step_;
  double sin_step_;
};

}  // namespace

TDigest::TDigest(double compression)
    : compression_(std::isnan(compression) ? kDefaultCompression
                                           : std::clamp(compression, kMinCompression, kMaxCompression)),
      buffer_capacity_(static_cast<std::size_t>(kBufferPerCompression * compression_)) {}

TDigest::TDigest(TDigest&& other) noexcept : TDigest(other.compression_) { *this = std::move(other); }

TDigest& TDigest::operator=(TDigest&& other) noexcept {
  if (this != &other) {
    compression_ = other.compression_;
    buffer_capacity_ = other.buffer_capacity_;
    count_ = other.count_;
    sum_ = other.sum_;
    min_ = other.min_;
    max_ = other.max_;
    clusters_ = std::move(other.clusters_);
    samples_ = std::move(other.samples_);
    weighted_ = std::move(other.weighted_);
    descending_next_ = other.descending_next_;
    other.clear();
  }
  return *this;
}

void TDigest::make_room() {
  if (samples_.size() >= buffer_capacity_) compress();
  if (samples_.capacity() < buffer_capacity_) samples_.reserve(buffer_capacity_);
}

TDigest::Workspace& TDigest::workspace() {
  thread_local Workspace space;
  return space;
}

void TDigest::add_samples(const double* values, std::size_t size) {
  while (size > 0) {
    make_room();
    const std::size_t taken = std::min(size, buffer_capacity_ - samples_.size());
    double sum = sum_;
    double low = min_;
    double high = max_;
    for (std::size_t i = 0; i < taken; ++i) {
      const double value = values[i];
      assert(std::isfinite(value));
      sum += value;
      low = value < low ? value : low;
      high = value > high ? value : high;
    }
    samples_.insert(samples_.end(), values, values + taken);
    sum_ = sum;
    min_ = low;
    max_ = high;
    count_ += static_cast<std::int64_t>(taken);
    values += taken;
    size -= taken;
  }
}

void TDigest::add_weighted(double value, std::int64_t weight) {
  if (weighted_.size() >= buffer_capacity_) compress();
  weighted_.push_back(Cluster{value, weight, true});
  sum_ += value * static_cast<double>(weight);
}

void TDigest::compress() const {
  if (samples_.empty() && weighted_.empty()) return;
  Workspace& space = workspace();
  std::vector<Cluster>& merged = space.merged;
  merged.clear();
  radix_sort(samples_, space.sort_keys, space.sort_spare);
  auto cluster = clusters_.begin();
  for (double sample : samples_) {
    while (cluster != clusters_.end() && cluster->mean < sample) merged.push_back(*cluster++);
    merged.push_back(Cluster{sample, 1, true});
  }
  merged.insert(merged.end(), cluster, clusters_.end());
  if (!weighted_.empty()) {
    auto by_mean = [](const Cluster& left, const Cluster& right) { return left.mean < right.mean; };
    std::sort(weighted_.begin(), weighted_.end(), by_mean);
    std::vector<Cluster>& spare = space.merged_spare;
    spare.clear();
    std::merge(merged.begin(), merged.end(), weighted_.begin(), weighted_.end(), std::back_inserter(spare),
               by_mean);
    merged.swap(spare);
  }
  samples_.clear();
  weighted_.clear();
  compress_sorted(merged);
}

// One pass over the sorted clusters, from the low or the high end (alternating, so that neither end is
// always the one that absorbs its neighbours). A cluster absorbs the next one while the cumulative weight
// stays within the size bound; the first and the last cluster absorb and are absorbed only by equal
// exact clusters, which keeps min and max in exact centroids of their own. Equal exact clusters always
// merge (up to kMaxCentroidCount): a centroid of repeated values is exact however heavy it is.
void TDigest::compress_sorted(const std::vector<Cluster>& sorted) const {
  clusters_.clear();
  const std::size_t size = sorted.size();
  if (size == 0) return;
  const bool descending = descending_next_;
  descending_next_ = !descending_next_;
  const SizeBound bound(compression_, static_cast<double>(count_));

  const Cluster& first = descending ? sorted[size - 1] : sorted[0];
  double base = first.mean;  // the first member's mean; the others are summed as offsets from it
  double last = base;
  double offset_sum = 0;
  std::int64_t count = first.count;
  bool exact = first.exact;
  double weight_before = 0;
  double weight_limit = 0;
  auto emit = [&] {
    double mean = base;
    if (!exact) {
      mean = base + offset_sum / static_cast<double>(count);
      mean = std::clamp(mean, std::min(base, last), std::max(base, last));
    }
    clusters_.push_back(Cluster{mean, count, exact});
  };
  for (std::size_t step = 1; step < size; ++step) {
    const Cluster& next = descending ? sorted[size - 1 - step] : sorted[step];
    const std::int64_t merged_count = count + next.count;
    const bool equal = exact && next.exact && next.mean == base;
    const bool within_bound =
        step + 1 < size && weight_before + static_cast<double>(merged_count) <= weight_limit;
    if (merged_count <= kMaxCentroidCount && (equal || within_bound)) {
      offset_sum += (next.mean - base) * static_cast<double>(next.count);
      count = merged_count;
      last = next.mean;
      exact = equal;
      continue;
    }
    emit();
    weight_before += static_cast<double>(count);
    weight_limit = bound.limit(weight_before);
    base = last = next.mean;
    offset_sum = 0;
    count = next.count;
    exact = next.exact;
  }
  emit();
  if (descending) std::reverse(clusters_.begin(), clusters_.end());
}

void TDigest::merge(const TDigest& other) {
  if (other.count_ == 0) return;
  other.compress();
  compress();
  std::vector<Cluster>& merged = workspace().merged;
  merged.clear();
  auto by_mean = [](const Cluster& left, const Cluster& right) { return left.mean < right.mean; };
  std::merge(clusters_.begin(), clusters_.end(), other.clusters_.begin(), other.clusters_.end(),
             std::back_inserter(merged), by_mean);
  // Each line reads `other` before writing, so a digest merging itself counts everything twice.
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  compress_sorted(merged);
}

namespace {

// The estimate is the piecewise-linear curve through anchor points (rank, value): (0, min), then per
// centroid either its centre (count / 2 past the weight before it) or, for an exact centroid, both
// ends of the ranks its samples occupy, then (count, max). Calls `visit(rank, value)` for each anchor
// in order until it returns false.
template <class Cluster, class Visit>
void visit_anchors(const std::vector<Cluster>& clusters, double min, double max, double total, Visit visit) {
  if (!visit(0.0, min)) return;
  double weight_before = 0;
  for (const Cluster& cluster : clusters) {
    const double weight = static_cast<double>(cluster.count);
    if (cluster.exact) {
      if (!visit(weight_before, cluster.mean) || !visit(weight_before + weight, cluster.mean)) return;
    } else if (!visit(weight_before + weight / 2, cluster.mean)) {
      return;
    }
    weight_before += weight;
  }
  visit(total, max);
}

// Where rank `rank` falls on the segment from (rank0, value0) to (rank1, value1), rank0 <= rank <= rank1.
double value_at(double rank0, double value0, double rank1, double value1, double rank) {
  if (rank1 <= rank0) return value1;
  return std::clamp(value0 + (value1 - value0) * ((rank - rank0) / (rank1 - rank0)), value0, value1);
}

}  // namespace

double TDigest::quantile(double q) const {
  if (count_ == 0 || std::isnan(q)) return std::numeric_limits<double>::quiet_NaN();
  compress();
  const double total = static_cast<double>(count_);
  const double target = std::clamp(q, 0.0, 1.0) * total;
  double previous_rank = 0;
  double previous_value = min_;
  double result = max_;
  visit_anchors(clusters_, min_, max_, total, [&](double rank, double value) {
    // Sample i occupies ranks [i, i + 1): at a rank where an exact centroid starts, it is the answer.
    if (target < rank) {
      result = value_at(previous_rank, previous_value, rank, value, target);
      return false;
    }
    previous_rank = rank;
    previous_value = value;
    return true;
  });
  return std::clamp(result, min_, max_);
}

double TDigest::cdf(double x) const {
  if (count_ == 0 || std::isnan(x)) return std::numeric_limits<double>::quiet_NaN();
  if (x < min_) return 0;
  if (x > max_) return 1;
  compress();
  const double total = static_cast<double>(count_);
  // The curve may stay at x over a range of ranks (repeated values): take the middle of that range.
  double lowest = min_ == x ? 0 : -1;  // the first rank where the curve reaches x, once found
  double highest = 0;                  // the last rank where the curve is at most x, so far
  double previous_rank = 0;
  double previous_value = min_;
  visit_anchors(clusters_, min_, max_, total, [&](double rank, double value) {
    if (previous_value > x) return false;
    // Only called where previous_value <= x <= value and the two differ.
    auto crossing = [&] {
      return previous_rank + (x - previous_value) / (value - previous_value) * (rank - previous_rank);
    };
    if (lowest < 0 && value >= x) lowest = previous_value == x ? previous_rank : crossing();
    highest = value <= x ? rank : crossing();
    previous_rank = rank;
    previous_value = value;
    return true;
  });
  return std::clamp((lowest + highest) / 2 / total, 0.0, 1.0);
}

void TDigest::centroids(std::vector<Centroid>& out) const {
  out.clear();
  compress();
  for (const Cluster& cluster : clusters_) {
    std::int64_t count = cluster.count;
    for (; count > kMaxCentroidCount; count -= kMaxCentroidCount)
      out.emplace_back(cluster.mean, kMaxCentroidCount);
    out.emplace_back(cluster.mean, count);
  }
}

void TDigest::clear() {
  count_ = 0;
  sum_ = 0;
  min_ = std::numeric_limits<double>::infinity();
  max_ = -std::numeric_limits<double>::infinity();
  clusters_.clear();
  samples_.clear();
  weighted_.clear();
  descending_next_ = false;
}

}  // namespace wavefront::histogram
