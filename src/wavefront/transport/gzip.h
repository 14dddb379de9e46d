// gzip compression with zlib (private): a stream flushed per batch for TCP, and whole bodies for HTTP.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "wavefront/status.h"

namespace wavefront::transport {

class GzipStream {
 public:
  explicit GzipStream(int level);
  ~GzipStream();
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  // Starts a new gzip stream (a new connection gets a fresh header).
  void reset();
  // Appends the compressed form of `data` to `out`, sync-flushed so the receiver can decode every
  // line of it at once. With `finish`, also ends the stream (a complete .gz member).
  Status compress(std::string_view data, std::string& out, bool finish);

 private:
  struct State;
  std::unique_ptr<State> state_;
  int level_;
};

// One complete gzip member holding `data`.
Status gzip_compress(std::string_view data, int level, std::string& out);

}  // namespace wavefront::transport
