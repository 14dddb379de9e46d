// The metric writer without its fast path (private; for the format fuzz target's differential check).
//
// format_metric and format_delta_counter write a plain point (clean name and keys, plain values, every
// limit met) through a pointer in one piece and hand anything else to the general writer. This entry
// point always takes the general writer, so a test can require the two to write the same bytes.
#pragma once

#include <string>
#include <string_view>

#include "wavefront/format.h"

namespace wavefront::format {

Status format_point_without_fast_path(std::string& out, std::string_view name, double value,
                                      Timestamp timestamp, std::string_view source, TagList tags,
                                      const FormatOptions& options, bool delta_counter);

}  // namespace wavefront::format
