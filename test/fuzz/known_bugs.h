// Bugs the fuzz targets found in the code under test (fixed since; see docs/fuzzing.md), each with a
// regression input in test/fuzz/corpus/. By default the targets treat them as failures (so the regression
// inputs fail until the bugs are fixed); with WFSEND_FUZZ_SKIP_KNOWN_BUGS=1 in the environment they step
// around them, so that a long run can look for other problems. See docs/fuzzing.md.
#pragma once

#include <cstdlib>

namespace wavefront::fuzzing {

inline bool skip_known_bugs() {
  static const bool skip = std::getenv("WFSEND_FUZZ_SKIP_KNOWN_BUGS") != nullptr;
  return skip;
}

}  // namespace wavefront::fuzzing
