// One complete gzip member of some bytes, for tests that feed gzip to a reader: the library's own
// compressor (src/wavefront/transport/gzip.h), so tests do not carry a zlib loop of their own.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "wavefront/transport/gzip.h"

namespace wavefront::testing {

inline std::string gzip(std::string_view data, int level = 6) {
  std::string out;
  const Status status = transport::gzip_compress(data, level, out);
  EXPECT_TRUE(status.ok()) << status.to_string();
  return out;
}

}  // namespace wavefront::testing
