// zlib-based gzip; see gzip.h.
#include "wavefront/transport/gzip.h"

#include <zlib.h>

#include <climits>

namespace wavefront::transport {

struct GzipStream::State {
  z_stream stream{};
  bool initialized = false;
};

GzipStream::GzipStream(int level) : state_(std::make_unique<State>()), level_(level) { reset(); }

GzipStream::~GzipStream() {
  if (state_->initialized) deflateEnd(&state_->stream);
}

void GzipStream::reset() {
  if (state_->initialized) deflateEnd(&state_->stream);
  state_->stream = z_stream{};
  // windowBits 15 + 16 asks zlib for a gzip header and trailer; memLevel 8 is zlib's default.
  state_->initialized =
      deflateInit2(&state_->stream, level_, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
}

Status GzipStream::compress(std::string_view data, std::string& out, bool finish) {
  if (!state_->initialized) return Status(ErrorCode::io_error, "zlib could not be initialized");
  z_stream& stream = state_->stream;
  std::size_t consumed = 0;
  const int flush_mode = finish ? Z_FINISH : Z_SYNC_FLUSH;
  for (;;) {
    const std::size_t chunk = std::min<std::size_t>(data.size() - consumed, UINT_MAX);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
    stream.avail_in = static_cast<uInt>(chunk);
    const bool last_chunk = consumed + chunk == data.size();
    int result = Z_OK;
    do {
      const std::size_t before = out.size();
      const std::size_t room = deflateBound(&stream, stream.avail_in) + 64;
      out.resize(before + room);
      stream.next_out = reinterpret_cast<Bytef*>(&out[before]);
      stream.avail_out = static_cast<uInt>(room);
      result = deflate(&stream, last_chunk ? flush_mode : Z_NO_FLUSH);
      out.resize(before + room - stream.avail_out);
      if (result == Z_STREAM_ERROR) return Status(ErrorCode::io_error, "zlib deflate failed");
    } while (stream.avail_out == 0 || (last_chunk && finish && result != Z_STREAM_END));
    consumed += chunk;
    if (last_chunk) return Status();
  }
}

Status gzip_compress(std::string_view data, int level, std::string& out) {
  GzipStream stream(level);
  return stream.compress(data, out, true);
}

}  // namespace wavefront::transport
