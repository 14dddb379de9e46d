// One gzip member of `data` for the fuzz targets that feed compressed input (input_fuzz.cc,
// listen_fuzz.cc): zlib's deflate with the given level and strategy, so a target can vary how the
// stream is laid out. Aborts if zlib fails (a fuzz target has no other way to report it).
#pragma once

#include <zlib.h>

#include <cstdlib>
#include <string>
#include <string_view>

namespace wavefront::fuzzing {

inline std::string gzip_member(std::string_view data, int level = 6, int strategy = Z_DEFAULT_STRATEGY) {
  z_stream stream{};
  if (deflateInit2(&stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, strategy) != Z_OK) std::abort();
  std::string out(deflateBound(&stream, data.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  if (deflate(&stream, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

}  // namespace wavefront::fuzzing
