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
// Thread-safety: all methods are safe to call concurrently. update() appends to a buffer owned by the
// calling thread (no lock, no atomic read-modify-write; the thread's lock is taken once per 256 samples),
// so concurrent updaters do not meet; the queries merge every thread's buffer and digests. Samples of a
// thread that exited stay in the histogram until taken.
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

}  // namespace wavefront
