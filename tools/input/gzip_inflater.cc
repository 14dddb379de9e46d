// gzip decompression with zlib; see gzip_inflater.h.
#include "input/gzip_inflater.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace wfsend::input {

struct GzipInflater::State {
  z_stream stream{};
  bool initialized = false;
  ~State() {
    if (initialized) inflateEnd(&stream);
  }
};

GzipInflater::GzipInflater() : state_(std::make_unique<State>()) {}
GzipInflater::~GzipInflater() = default;

void GzipInflater::reset() {
  if (state_->initialized) inflateReset(&state_->stream);
  in_member_ = false;
}

GzipInflater::Result GzipInflater::inflate(std::string_view input, char* output, std::size_t capacity) {
  Result result;
  z_stream& stream = state_->stream;
  if (!state_->initialized) {
    // 16 + MAX_WBITS: gzip wrapper only (the proxy accepts gzip, not raw zlib).
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {
      result.error = true;
      result.message = "zlib initialization failed";
      return result;
    }
    state_->initialized = true;
  }
  constexpr std::size_t kMaxStep = UINT_MAX;  // zlib counts in unsigned int
  while (result.produced < capacity) {
    const std::size_t in_size = std::min(input.size() - result.consumed, kMaxStep);
    const std::size_t out_size = std::min(capacity - result.produced, kMaxStep);
    // zlib's API is not const-correct; it never writes through next_in.
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data() + result.consumed));
    stream.avail_in = static_cast<unsigned>(in_size);
    stream.next_out = reinterpret_cast<Bytef*>(output + result.produced);
    stream.avail_out = static_cast<unsigned>(out_size);
    if (in_size > 0) in_member_ = true;
    const int code = ::inflate(&stream, Z_NO_FLUSH);
    result.consumed += in_size - stream.avail_in;
    result.produced += out_size - stream.avail_out;
    if (code == Z_STREAM_END) {
      inflateReset(&stream);  // another member may follow
      in_member_ = false;
      if (result.consumed == input.size()) break;
    } else if (code == Z_BUF_ERROR) {
      break;  // no progress possible: needs more input or more room
    } else if (code != Z_OK) {
      result.error = true;
      result.message = stream.msg != nullptr ? stream.msg : "corrupt gzip data";
      break;
    } else if (result.consumed == input.size() && stream.avail_out > 0) {
      break;  // all input taken and all its output given
    }
  }
  return result;
}

}  // namespace wfsend::input
