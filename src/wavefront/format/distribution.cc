// Distribution lines: one per granularity (spec §2.2).
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "wavefront/format.h"
#include "wavefront/format/fields.h"
#include "wavefront/format/numbers.h"
#include "wavefront/format/tags.h"

namespace wavefront {
namespace {

constexpr std::int64_t kMaxCentroidCount = std::numeric_limits<std::int32_t>::max();

// Appends ` #count mean` for each centroid, merging adjacent equal means (as long as the merged
// count still fits) and skipping zero counts. Returns how many were written.
Status write_centroids(std::string& out, Centroids centroids, std::size_t& written) {
  written = 0;
  bool have_pending = false;
  Centroid pending;
  const auto flush_pending = [&] {
    out += " #";
    format::append_int(out, pending.count);
    out += ' ';
    format::append_double(out, pending.mean);
    ++written;
  };
  for (std::size_t index = 0; index < centroids.size(); ++index) {
    const Centroid centroid = centroids[index];
    if (!std::isfinite(centroid.mean)) {
      return format::check_finite(centroid.mean, "centroid " + std::to_string(index) + " mean")
          .at(Field::centroids, index);
    }
    if (centroid.count < 0 || centroid.count > kMaxCentroidCount) {
      return Status(ErrorCode::invalid_centroid, "centroid " + std::to_string(index) + " count is " +
                                                     std::to_string(centroid.count) +
                                                     "; counts must be between 0 and 2147483647")
          .at(Field::centroids, index);
    }
    if (centroid.count == 0) continue;
    if (have_pending && pending.mean == centroid.mean &&
        pending.count + centroid.count <= kMaxCentroidCount) {
      pending.count += centroid.count;
      continue;
    }
    if (have_pending) flush_pending();
    pending = centroid;
    have_pending = true;
  }
  if (have_pending) flush_pending();
  return Status();
}

Status write_distribution(std::string& out, std::string_view name, Centroids centroids,
                          GranularitySet granularities, Timestamp timestamp, std::string_view source,
                          TagList tags, const FormatOptions& options) {
  const std::size_t line_start = out.size();
  out += "!M";
  // Whole seconds: a bin is a minute or more, and the proxy aligns the time down to its bin.
  const Timestamp seconds = timestamp.unit() == Timestamp::Unit::milliseconds
                                ? Timestamp::from_seconds(timestamp.seconds())
                                : timestamp;
  if (Status status = format::append_timestamp(out, seconds, "timestamp"); !status.ok()) {
    return status.at(Field::timestamp);
  }
  std::size_t written = 0;
  if (Status status = write_centroids(out, centroids, written); !status.ok()) return status;
  if (written == 0) {
    return Status(ErrorCode::empty_histogram, "distribution " + format::quote_for_message(name) +
                                                  " has no centroid with a positive count")
        .at(Field::centroids);
  }
  if (granularities.empty()) {
    return Status(ErrorCode::empty_histogram, "distribution " + format::quote_for_message(name) +
                                                  " has no granularity (minute, hour or day)")
        .at(Field::granularities);
  }
  out += " \"";
  const format::FieldRules name_rules{"distribution name", ErrorCode::invalid_name,
                                      options.limits.max_name_length, ErrorCode::name_too_long};
  if (Status status = format::write_metric_name(out, name, "", name_rules); !status.ok()) {
    return status.at(Field::name);
  }
  out += "\" source=\"";
  if (Status status = format::write_source(out, source, options); !status.ok())
    return status.at(Field::source);
  out += '"';
  if (Status status = format::append_tags(out, tags, format::point_tag_rules(options.limits)); !status.ok()) {
    return status;
  }
  out += '\n';

  // The line was written as !M; repeat it for every other granularity asked for, in M, H, D order.
  const std::size_t line_length = out.size() - line_start;
  bool first = true;
  for (const auto& [granularity, letter] :
       {std::pair{Granularity::minute, 'M'}, std::pair{Granularity::hour, 'H'},
        std::pair{Granularity::day, 'D'}}) {
    if (!granularities.contains(granularity)) continue;
    if (first) {
      out[line_start + 1] = letter;
      first = false;
    } else {
      out.reserve(out.size() + line_length);
      out.append(out, line_start, line_length);
      out[out.size() - line_length + 1] = letter;
    }
  }
  return Status();
}

}  // namespace

Status format_distribution(std::string& out, std::string_view name, Centroids centroids,
                           GranularitySet granularities, Timestamp timestamp, std::string_view source,
                           TagList tags, const FormatOptions& options) {
  const std::size_t start = out.size();
  Status status = write_distribution(out, name, centroids, granularities, timestamp, source, tags, options);
  if (!status.ok()) out.resize(start);
  return status;
}

}  // namespace wavefront
