// Per-series, per-bin t-digests for `wfsend import --aggregate`.
#include "wfsend/import/aggregate.h"

#include <cmath>
#include <ctime>
#include <limits>

#include "wavefront/format.h"

namespace wfsend::import {

using wavefront::ErrorCode;
using wavefront::Status;

namespace {

std::int64_t seconds_of(wavefront::Granularity granularity) {
  switch (granularity) {
    case wavefront::Granularity::minute:
      return 60;
    case wavefront::Granularity::hour:
      return 3600;
    case wavefront::Granularity::day:
      return 86400;
  }
  return 60;
}

// Floor division, so that timestamps before a bin boundary never round up into it.
std::int64_t bin_start_of(std::int64_t seconds, std::int64_t width) {
  std::int64_t start = seconds / width * width;
  if (start > seconds) start -= width;
  return start;
}

void append_key_part(std::string& key, std::string_view part) {
  key += part;
  key += '\0';
}

}  // namespace

Aggregator::Aggregator(wavefront::Sender& sender, AggregatorOptions options, RefusalHandler on_refusal)
    : sender_(sender),
      options_(options),
      on_refusal_(std::move(on_refusal)),
      bin_seconds_(seconds_of(options.granularity)) {}

Status Aggregator::add(std::string_view name, double value, wavefront::Timestamp timestamp,
                       std::string_view source, wavefront::TagList tags) {
  if (!std::isfinite(value)) {
    return Status(ErrorCode::non_finite_value, "value must be finite to be aggregated");
  }
  const std::int64_t seconds =
      timestamp ? timestamp.seconds() : static_cast<std::int64_t>(std::time(nullptr));
  // The distribution is sent with its bin's start, which must be positive too (found by csv_fuzz: a
  // time in the first bin after the epoch passed here and was refused only when its bin was sent).
  if (seconds <= 0 || bin_start_of(seconds, bin_seconds_) <= 0) {
    return Status(ErrorCode::invalid_timestamp,
                  "timestamp " + std::to_string(seconds) +
                      " falls in the time bin that starts at the epoch (0); " +
                      "an aggregated distribution is sent with its bin's start, which must be positive");
  }
  key_.clear();
  append_key_part(key_, name);
  append_key_part(key_, source);
  for (const wavefront::Tag& tag : tags) {
    append_key_part(key_, tag.key);
    append_key_part(key_, tag.value);
  }
  auto found = series_.find(key_);
  if (found == series_.end()) {
    // A new series: check it once the way a point would be checked.
    validation_.clear();
    Status status = wavefront::format_metric(validation_, name, value, timestamp, source, tags);
    if (!status.ok()) return status;
    Series series;
    series.name.assign(name);
    series.source.assign(source);
    for (const wavefront::Tag& tag : tags) series.tags.emplace_back(tag.key, tag.value);
    found = series_.emplace(key_, std::move(series)).first;
  }
  const std::int64_t bin_start = bin_start_of(seconds, bin_seconds_);
  auto [bin, inserted] = found->second.bins.try_emplace(bin_start, options_.compression);
  if (inserted) ++open_digests_;
  bin->second.add(value);

  if (bin_start > newest_bin_) {
    const bool first = newest_bin_ == 0;
    newest_bin_ = bin_start;
    if (!first) send_bins_before(newest_bin_ - bin_seconds_);
  }
  if (open_digests_ > options_.max_open_digests) send_bins_before(std::numeric_limits<std::int64_t>::max());
  return Status::success();
}

void Aggregator::finish() { send_bins_before(std::numeric_limits<std::int64_t>::max()); }

void Aggregator::send_bins_before(std::int64_t before) {
  for (auto series = series_.begin(); series != series_.end();) {
    auto& bins = series->second.bins;
    while (!bins.empty() && bins.begin()->first < before) {
      send_bin(series->second, bins.begin()->first, bins.begin()->second);
      bins.erase(bins.begin());
      --open_digests_;
    }
    // A series with nothing open is forgotten; it comes back (and is checked again) if it shows up.
    series = bins.empty() ? series_.erase(series) : std::next(series);
  }
}

void Aggregator::send_bin(Series& series, std::int64_t bin_start, wavefront::DistributionDigest& digest) {
  if (stalled_) {
    ++distributions_unsent_;
    return;
  }
  digest.centroids(centroids_);
  const Status status = sender_.send_distribution(series.name, centroids_, options_.granularity, bin_start,
                                                  series.source, series.tags);
  ++distributions_sent_;
  if (status.code() == ErrorCode::queue_full) stalled_ = true;
  if (!status.ok() && on_refusal_) on_refusal_(status);
}

}  // namespace wfsend::import
