// `Histogram`: the Wavefront distribution object, for measuring how values are distributed.
//
// Samples go into time bins (one minute by default; hour or day with a coarser granularity) held as
// merging t-digests: compact summaries with exact count, min, max and sum and accurate quantiles.
// Completed bins are sent as distributions, one wire line per granularity, by a `Reporter` or by you:
//
//   wavefront::Histogram latency;  // minute bins
//   latency.update(12.5);          // from any thread; threads do not queue behind one lock
//   double p99 = latency.quantile(0.99);  // over the current bin
//   for (auto& bin : latency.take_completed(false)) sender.send_distribution("latency", bin.centroids,
//       latency.granularities(), bin.start_seconds, "", {});
//
// `DistributionDigest` is the same summary without clock or bins, for code that bins samples itself
// (`wfsend import --aggregate` bins rows by their own timestamps) and sends each digest's centroids
// with Sender::send_distribution.
//
// Thread-safety: all methods of Histogram are safe to call concurrently. update() appends to a buffer owned
// by the calling thread (no lock, no atomic read-modify-write; the thread's lock is taken once per 256
// samples), so concurrent updaters do not meet; the queries merge every thread's buffer and digests. Samples
// of a thread that exited stay in the histogram until taken.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "wavefront/clock.h"
#include "wavefront/export.h"
#include "wavefront/types.h"

namespace wavefront {

struct HistogramOptions {
  // Lines sent per completed bin; the bin width is the finest of them (a minute for minute).
  GranularitySet granularities = Granularity::minute;
  // t-digest compression: more keeps more centroids (more accuracy, more bytes). 100 keeps rank
  // error within 0.005 for quantiles 0.01..0.99.
  double compression = 100;
  // Real clocks when null (bins follow wall-clock time).
  std::shared_ptr<Clock> clock;
};

class WAVEFRONT_API Histogram {
 public:
  explicit Histogram(HistogramOptions options = HistogramOptions());
  ~Histogram();
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  // Adds a sample to the current bin. Non-finite values are ignored (and counted in ignored()).
  void update(double value);

  // Statistics of the current bin; quantile(q) for q in [0, 1]. NaN when the bin is empty.
  std::int64_t count() const;
  double min() const;
  double max() const;
  double mean() const;
  double sum() const;
  double quantile(double q) const;
  std::uint64_t ignored() const;

  // A bin ready to be sent: its start (epoch seconds) and centroids with integer counts.
  struct Bin {
    std::int64_t start_seconds = 0;
    std::vector<Centroid> centroids;
  };
  // Removes and returns the bins older than the current one, oldest first; with include_current,
  // the current bin too (for a final report).
  std::vector<Bin> take_completed(bool include_current);

  GranularitySet granularities() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One merging t-digest: count, sum, min and max exact, quantiles estimated (the rank error stays below
// 0.0015 for q in [0.01, 0.99] at compression 100). Movable, not copyable; a moved-from digest may
// only be assigned to or destroyed.
//
// Thread-safety: none; not even const calls may run concurrently with another call on the same digest
// (queries fold buffered samples into the summary). Digests on different threads are independent.
class WAVEFRONT_API DistributionDigest {
 public:
  static constexpr double kDefaultCompression = 100;
  // Compression is clamped to [10, 10000]; NaN gives the default.
  explicit DistributionDigest(double compression = kDefaultCompression);
  ~DistributionDigest();
  DistributionDigest(DistributionDigest&& other) noexcept;
  DistributionDigest& operator=(DistributionDigest&& other) noexcept;
  DistributionDigest(const DistributionDigest&) = delete;
  DistributionDigest& operator=(const DistributionDigest&) = delete;

  // Adds a sample. Non-finite values are ignored (and counted in ignored()).
  void add(double value);

  std::int64_t count() const;
  std::uint64_t ignored() const;
  // The estimated q-quantile, q in [0, 1]; NaN when empty.
  double quantile(double q) const;
  // The centroids in increasing order of mean, counts in 1 ... 2^31 - 1 (as Wavefront requires)
  // summing to count(). `out` is cleared first and its capacity reused.
  void centroids(std::vector<Centroid>& out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wavefront
