// The one gzip decompressor of the tools (tools/input/): `wfsend import` and `wfsend lint` files
// (InputFile, byte_source.h), and `wfsend listen`'s gzip TCP streams and `Content-Encoding: gzip` HTTP
// bodies (LineStream, line_stream.h) all inflate through a GzipInflater.
//
// It is push style: the caller passes whatever compressed bytes it has and an output buffer of its choosing,
// so it decides how much output one call may produce. That is the gzip-bomb defence: nothing here grows with
// the data, and the caller stops (413, or its turn is over) when the output passes its budget. Concatenated
// gzip members are read one after the other, as `gzip -d` does.
//
// Thread-safety: not thread-safe; one GzipInflater per stream, used by one thread.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace wfsend::input {

// True when `first_bytes` begin with gzip's magic number (1F 8B): how InputFile tells gzip from plain.
constexpr bool starts_with_gzip_magic(std::string_view first_bytes) noexcept {
  return first_bytes.size() >= 2 && static_cast<unsigned char>(first_bytes[0]) == 0x1f &&
         static_cast<unsigned char>(first_bytes[1]) == 0x8b;
}

class GzipInflater {
 public:
  // What one live inflater holds, rounded up: zlib's inflate state (about 7 KiB) and its 32 KiB window.
  static constexpr std::size_t kStateBytes = std::size_t{48} * 1024;

  struct Result {
    std::size_t consumed = 0;  // compressed bytes used
    std::size_t produced = 0;  // bytes written to the output
    bool error = false;        // corrupt data; `message` says what zlib said
    std::string message;
  };

  GzipInflater();
  ~GzipInflater();
  GzipInflater(const GzipInflater&) = delete;
  GzipInflater& operator=(const GzipInflater&) = delete;

  // Decompresses from `input` into output[0, capacity): stops when the output is full, or when the
  // input is used up and zlib holds no more output. When a call fills the output, zlib may still hold
  // output for input it has already taken (even all of it): call again, with empty input if need be.
  Result inflate(std::string_view input, char* output, std::size_t capacity);
  // True when no member has started or the last one ended (a complete stream so far).
  bool at_member_boundary() const noexcept { return !in_member_; }
  // Forgets the stream (the next byte starts a new gzip member). Keeps zlib's memory.
  void reset();

 private:
  struct State;
  std::unique_ptr<State> state_;
  bool in_member_ = false;
};

}  // namespace wfsend::input
