// The inputs and formatters format_bench measures: one realistic point per data type, written by the
// library and by the std::ostringstream baseline (baseline_formatter.h) into the same kind of buffers.
//
// Thread-safety: the formatters share one reused stream (the reused-stream baseline); call them from
// one thread.
#pragma once

#include <string>
#include <vector>

namespace wavefront_bench {

// Where one call writes: `line`, and `extra` for the span-logs line of a span.
struct Buffers {
  std::string line;
  std::string extra;

  void clear() {
    line.clear();
    extra.clear();
  }
  std::string joined() const { return line + extra; }
};

// One formatter under test; returns false if the library refused the input.
using FormatFunction = bool (*)(Buffers&);

// A data type benchmarked twice: through the library, and through the baseline.
struct Case {
  const char* name;
  FormatFunction ours;
  FormatFunction baseline;
};

// The data types benchmarked, in report order.
const std::vector<Case>& format_cases();

// The 3-tag metric through the library, and through one std::ostringstream kept across calls and
// emptied each time: the best case for a stream.
bool ours_metric_3_tags(Buffers& out);
bool baseline_metric_3_tags_reused_stream(Buffers& out);

}  // namespace wavefront_bench
