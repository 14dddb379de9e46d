// `wfsend import --aggregate minute|hour|day`: raw metric values become distributions, one per series
// (name, source, tags) and time bin, summarized with the library's merging t-digest.
//
// Why not wavefront::Histogram: it bins by the wall clock when update() is called, while an import
// bins by each row's own timestamp, and rows of many series and bins arrive interleaved. So this keeps
// a wavefront::DistributionDigest per (series, bin start taken from the row's timestamp) and sends each as a
// distribution at the bin's start with sender.send_distribution, the same wire result a Histogram's
// completed bin gives. A row without a timestamp falls in the bin of the moment it is read.
//
// Bins are sent as soon as they cannot receive more in-order data: when the newest bin seen moves two
// bins past them (one bin of lateness is tolerated), and all of them at finish(). A late row for a bin
// already sent opens a new digest for that bin, sent as a second distribution for the same bin, which
// Wavefront merges. Memory stays bounded: past max_open_digests (each digest holds up to about 10 KB),
// every open digest is sent early, which Wavefront merges the same way.
//
// add() validates the name, source and tags the way a point would be (format_metric), so refusals are
// reported at the row that caused them. Once a send is dropped as queue_full (the receiver took
// nothing for the whole block timeout), the remaining digests are not sent, each would wait as long
// again; they are counted in distributions_unsent() (the import then reports data not delivered).
//
// Thread-safety: none; the importing thread owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "wavefront/histogram.h"
#include "wavefront/sender.h"
#include "wavefront/status.h"
#include "wavefront/types.h"

namespace wfsend::import {

struct AggregatorOptions {
  wavefront::Granularity granularity = wavefront::Granularity::minute;
  std::size_t max_open_digests = 10000;
  double compression = wavefront::DistributionDigest::kDefaultCompression;
};

class Aggregator {
 public:
  // Called for every distribution the sender refused or dropped (refusals are rare: validation
  // happened in add()).
  using RefusalHandler = std::function<void(const wavefront::Status&)>;

  Aggregator(wavefront::Sender& sender, AggregatorOptions options, RefusalHandler on_refusal);

  // Adds one value: ok, or the refusal (non_finite_value, or the name/source/tags rules).
  wavefront::Status add(std::string_view name, double value, wavefront::Timestamp timestamp,
                        std::string_view source, wavefront::TagList tags);
  // Sends every open digest.
  void finish();

  std::uint64_t distributions_sent() const noexcept { return distributions_sent_; }
  std::uint64_t distributions_unsent() const noexcept { return distributions_unsent_; }
  std::size_t open_digests() const noexcept { return open_digests_; }
  std::int64_t bin_seconds() const noexcept { return bin_seconds_; }

 private:
  struct Series {
    std::string name;
    std::string source;
    std::vector<std::pair<std::string, std::string>> tags;
    std::map<std::int64_t, wavefront::DistributionDigest> bins;  // by bin start, epoch seconds
  };
  void send_bin(Series& series, std::int64_t bin_start, wavefront::DistributionDigest& digest);
  // Sends the bins that started before `before` (all of them with INT64_MAX).
  void send_bins_before(std::int64_t before);

  wavefront::Sender& sender_;
  AggregatorOptions options_;
  RefusalHandler on_refusal_;
  std::int64_t bin_seconds_;
  std::unordered_map<std::string, Series> series_;
  std::string key_;         // scratch: the series key of the value being added
  std::string validation_;  // scratch: format_metric's output, only to validate
  std::vector<wavefront::Centroid> centroids_;
  std::int64_t newest_bin_ = 0;
  std::size_t open_digests_ = 0;
  std::uint64_t distributions_sent_ = 0;
  std::uint64_t distributions_unsent_ = 0;
  bool stalled_ = false;
};

}  // namespace wfsend::import
