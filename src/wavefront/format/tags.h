// Writing lists of `"key"="value"` pairs: point tags, span tags, event annotations (private).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "wavefront/format.h"
#include "wavefront/status.h"
#include "wavefront/types.h"

namespace wavefront::format {

struct TagRules {
  std::string_view what;  // "point tag", "span tag", "event annotation"
  std::size_t max_key_length;
  std::size_t max_value_length;
  std::size_t max_combined_length;        // key + value; 0 for no limit
  const std::string_view* reserved_keys;  // refused keys (after sanitizing)
  std::size_t reserved_key_count;
  bool refuse_digit_keys;  // span keys made only of digits look like the start time
  bool last_value_wins;    // repeated keys: keep only the last (points, annotations)
  std::size_t max_count;   // after merging repeated keys; 0 for no limit
};

// Appends ` "key"="value"` for each tag, in order. Sanitizes keys, escapes values and enforces the
// rules. On refusal `out` holds garbage past its original size; callers roll back.
Status append_tags(std::string& out, TagList tags, const TagRules& rules);

// The rules for point tags (metrics, delta counters, distributions) under the given limits.
TagRules point_tag_rules(const Limits& limits);

}  // namespace wavefront::format
