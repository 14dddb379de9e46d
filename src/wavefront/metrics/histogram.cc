// The binned Histogram on top of the t-digest; see include/wavefront/histogram.h.
//
// Each thread that updates a histogram owns one Slot of it: a buffer of raw samples it appends to without
// a lock or a read-modify-write (the sample, then a release store of the new size), and its digests per
// bin. The owner takes the slot's mutex only when the buffer is full or the bin changes (once per
// kSlotSamples samples), to hand the buffer to the digest. Readers (count, quantile, take_completed) take
// each slot's mutex and read the digests plus the buffered samples below the published size; a reader
// that removes samples (take_completed) only advances `taken`, never rewrites what the owner may be
// writing. A thread that exits gives its slot up (the samples stay in it, so nothing is lost) and the
// next thread that updates the histogram reuses it.
#include "wavefront/histogram.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <vector>

#include "wavefront/histogram/t_digest.h"

namespace wavefront {
namespace {

// Samples a thread buffers before it takes its slot's lock: 2 KiB per (thread, histogram).
constexpr std::uint32_t kSlotSamples = 256;

std::int64_t bin_width_seconds(GranularitySet granularities) {
  if (granularities.contains(Granularity::minute) || granularities.empty()) return 60;
  if (granularities.contains(Granularity::hour)) return 3600;
  return 86400;
}

// Histogram ids are never reused, so a thread's cache entry for a destroyed histogram never matches.
std::atomic<std::uint64_t> next_histogram_id{1};

// One thread's share of a histogram (see the top of this file).
struct alignas(64) HistogramSlot {
  std::mutex mutex;
  std::map<std::int64_t, histogram::TDigest> bins;  // guarded by mutex: bin start -> samples
  std::int64_t buffered_bin = std::numeric_limits<std::int64_t>::min();  // written under mutex by owner
  std::uint32_t taken = 0;             // guarded by mutex: buffered samples already taken by a reader
  std::atomic<std::uint32_t> size{0};  // buffered samples published by the owner
  std::atomic<const void*> owner{nullptr};
  // Owner-only: the buffered bin's bounds in nanoseconds since the epoch.
  std::int64_t bin_begin_ns = 0;
  std::int64_t bin_end_ns = 0;
  std::array<double, kSlotSamples> samples{};
};

}  // namespace

struct Histogram::Impl {
  using Slot = HistogramSlot;

  explicit Impl(HistogramOptions histogram_options)
      : options(std::move(histogram_options)), width(bin_width_seconds(options.granularities)) {
    if (!options.clock) options.clock = Clock::system();
    if (options.granularities.empty()) options.granularities = Granularity::minute;
  }

  std::int64_t now_ns() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               options.clock->coarse_wall_time().time_since_epoch())
        .count();
  }

  std::int64_t bin_of(std::int64_t nanoseconds) const {
    const std::int64_t seconds = nanoseconds / 1000000000 - (nanoseconds % 1000000000 < 0 ? 1 : 0);
    return seconds - ((seconds % width) + width) % width;
  }

  std::int64_t current_bin() const { return bin_of(now_ns()); }

  histogram::TDigest& digest_of(Slot& slot, std::int64_t bin) const {
    return slot.bins.try_emplace(bin, options.compression).first->second;
  }

  // Under slot.mutex: moves the untaken buffered samples into the slot's digest of their bin.
  void fold_buffer(Slot& slot) const {
    const std::uint32_t size = slot.size.load(std::memory_order_acquire);
    if (size > slot.taken) {
      digest_of(slot, slot.buffered_bin).add_samples(slot.samples.data() + slot.taken, size - slot.taken);
    }
    slot.taken = size;
  }

  // The owner's slow path: the buffer is full or the sample belongs to another bin.
  void refill(Slot& slot, std::int64_t now) const {
    std::lock_guard<std::mutex> lock(slot.mutex);
    fold_buffer(slot);
    slot.taken = 0;
    slot.size.store(0, std::memory_order_relaxed);
    slot.buffered_bin = bin_of(now);
    slot.bin_begin_ns = slot.buffered_bin * 1000000000;
    slot.bin_end_ns = (slot.buffered_bin + width) * 1000000000;
  }

  // The current bin's samples from every slot, merged.
  histogram::TDigest current_digest() const {
    histogram::TDigest merged(options.compression);
    const std::int64_t bin = current_bin();
    std::lock_guard<std::mutex> slots_lock(slots_mutex);
    for (const auto& slot : slots) {
      std::lock_guard<std::mutex> lock(slot->mutex);
      const auto found = slot->bins.find(bin);
      if (found != slot->bins.end()) merged.merge(found->second);
      const std::uint32_t size = slot->size.load(std::memory_order_acquire);
      if (slot->buffered_bin == bin && size > slot->taken) {
        merged.add_samples(slot->samples.data() + slot->taken, size - slot->taken);
      }
    }
    std::lock_guard<std::mutex> lock(exiting.mutex);
    const auto found = exiting.bins.find(bin);
    if (found != exiting.bins.end()) merged.merge(found->second);
    return merged;
  }

  Slot& slot_for_this_thread();

  HistogramOptions options;
  const std::int64_t width;
  const std::uint64_t id = next_histogram_id.fetch_add(1, std::memory_order_relaxed);
  mutable std::mutex slots_mutex;  // guards the list, not the slots
  std::vector<std::shared_ptr<Slot>> slots;
  // Updates from a thread that is past its thread_local destructors go here, under its mutex.
  mutable Slot exiting;
  std::atomic<std::uint64_t> ignored{0};
};

namespace {

// A thread's slots: a small direct-mapped cache by histogram id (plain data, so reading it costs no
// initialization check), and the list of slots the thread owns, given up when the thread exits.
struct CacheEntry {
  std::uint64_t id;
  HistogramSlot* slot;
};
constexpr std::size_t kCacheEntries = 8;
thread_local std::array<CacheEntry, kCacheEntries> slot_cache{};
thread_local bool thread_exiting = false;

struct OwnedSlots {
  std::vector<std::shared_ptr<HistogramSlot>> slots;
  std::size_t prune_at = 16;

  OwnedSlots() = default;
  OwnedSlots(const OwnedSlots&) = delete;
  OwnedSlots& operator=(const OwnedSlots&) = delete;
  ~OwnedSlots() {
    thread_exiting = true;
    slot_cache = {};
    for (const auto& slot : slots) slot->owner.store(nullptr, std::memory_order_release);
  }

  void add(std::shared_ptr<HistogramSlot> slot) {
    if (slots.size() >= prune_at) {
      // Slots whose histogram is gone are held only here: drop them.
      for (auto& held : slots) {
        if (held.use_count() == 1) held.reset();
      }
      slots.erase(std::remove(slots.begin(), slots.end(), nullptr), slots.end());
      prune_at = 2 * slots.size() + 16;
    }
    slots.push_back(std::move(slot));
  }
};

OwnedSlots& owned_slots() {
  thread_local OwnedSlots owned;
  return owned;
}

}  // namespace

HistogramSlot& Histogram::Impl::slot_for_this_thread() {
  CacheEntry& entry = slot_cache[id % kCacheEntries];
  if (entry.id == id) return *entry.slot;
  if (thread_exiting) return exiting;
  OwnedSlots& owned = owned_slots();
  const void* me = &owned;
  std::lock_guard<std::mutex> lock(slots_mutex);
  std::shared_ptr<Slot> chosen;
  for (const auto& slot : slots) {
    if (slot->owner.load(std::memory_order_acquire) == me) {
      chosen = slot;  // ours, evicted from the cache by another histogram
      break;
    }
  }
  if (!chosen) {
    for (const auto& slot : slots) {
      const void* free = nullptr;
      if (slot->owner.compare_exchange_strong(free, me, std::memory_order_acq_rel)) {
        chosen = slot;  // given up by a thread that exited
        break;
      }
    }
  }
  if (!chosen) {
    chosen = std::make_shared<Slot>();
    chosen->owner.store(me, std::memory_order_relaxed);
    slots.push_back(chosen);
  }
  if (std::find(owned.slots.begin(), owned.slots.end(), chosen) == owned.slots.end()) owned.add(chosen);
  entry = CacheEntry{id, chosen.get()};
  return *chosen;
}

Histogram::Histogram(HistogramOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Histogram::~Histogram() = default;

void Histogram::update(double value) {
  if (!std::isfinite(value)) {
    impl_->ignored.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const std::int64_t now = impl_->now_ns();
  Impl::Slot& slot = impl_->slot_for_this_thread();
  if (&slot == &impl_->exiting) {
    std::lock_guard<std::mutex> lock(slot.mutex);
    impl_->digest_of(slot, impl_->bin_of(now)).add(value);
    return;
  }
  std::uint32_t size = slot.size.load(std::memory_order_relaxed);
  if (size == kSlotSamples || now < slot.bin_begin_ns || now >= slot.bin_end_ns) {
    impl_->refill(slot, now);
    size = 0;
  }
  slot.samples[size] = value;
  slot.size.store(size + 1, std::memory_order_release);
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
  auto take_slot = [&](Impl::Slot& slot) {
    std::lock_guard<std::mutex> lock(slot.mutex);
    if (slot.buffered_bin < current || include_current) impl_->fold_buffer(slot);
    for (auto bin = slot.bins.begin(); bin != slot.bins.end();) {
      if (bin->first >= current && !include_current) break;  // ordered: the rest are current or later
      auto& merged = taken.try_emplace(bin->first, impl_->options.compression).first->second;
      merged.merge(bin->second);
      bin = slot.bins.erase(bin);
    }
  };
  {
    std::lock_guard<std::mutex> slots_lock(impl_->slots_mutex);
    for (const auto& slot : impl_->slots) take_slot(*slot);
  }
  take_slot(impl_->exiting);
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
