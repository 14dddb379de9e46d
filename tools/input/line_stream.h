// A pushed stream of lines (tools/input/): bytes fed in pieces, plain or gzip, handed to a LineTarget
// line by line, through the one GzipInflater and LineSplitter of the tools.
//
// `wfsend listen` owns one per connection (raw TCP) and per HTTP session (each body). Decompression is paced:
// a feed or resume produces at most `budget` decompressed bytes (the caller's share of one event-loop turn);
// the compressed rest of the piece is kept (at most one piece) and continued on a later turn, so a client
// sending highly compressed data cannot hold the loop. With max_decoded set (HTTP bodies), the stream
// stops as too_large once it decodes to more than that: the gzip-bomb defence.
//
// Thread-safety: not thread-safe; used by one thread (listen's event loop).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "input/gzip_inflater.h"
#include "input/line_splitter.h"

namespace wfsend::input {

class LineTarget {
 public:
  virtual void on_line(std::string_view line, std::uint64_t number) = 0;
  // A line longer than the limit: its first bytes; the rest of it is skipped.
  virtual void on_too_long(std::string_view start, std::uint64_t number) = 0;

 protected:
  ~LineTarget() = default;
};

class LineStream {
 public:
  enum class Outcome : std::uint8_t {
    ok,            // the piece (or the leftover) is done
    budget_spent,  // compressed bytes are left over: resume() on a later turn
    too_large,     // decoded past max_decoded; the stream is over
    corrupt,       // not gzip, or damaged; error() says how
  };

  // `scratch` receives decompressed bytes before they are split (shared by all streams of the loop).
  LineStream(std::size_t max_line_length, std::string& scratch);

  // Starts a new stream. max_decoded 0 means no limit.
  void start(bool gzip, std::size_t max_decoded);
  Outcome feed(std::string_view piece, LineTarget& target, std::size_t& budget);
  Outcome resume(LineTarget& target, std::size_t& budget);
  // Compressed bytes kept from a piece, or output zlib still holds: resume() on a later turn.
  bool has_leftover() const noexcept { return leftover_offset_ < leftover_.size() || output_held_; }

  // Ends the stream: an unfinished last line goes to on_last(std::string_view line, std::uint64_t number).
  // Returns false when a gzip member was cut short; the unfinished last line is then dropped unread
  // (it is a piece of the cut, not a line the client wrote).
  template <class OnLast>
  bool finish(OnLast&& on_last) {
    const bool complete = !gzip_ || inflater_ == nullptr || inflater_->at_member_boundary();
    if (complete) {
      splitter_.finish(on_last);
    } else {
      splitter_.reset();
    }
    leftover_.clear();
    leftover_offset_ = 0;
    output_held_ = false;
    return complete;
  }

  bool gzip() const noexcept { return gzip_; }
  bool in_line() const noexcept { return splitter_.in_line(); }
  std::uint64_t line_number() const noexcept { return splitter_.line_number(); }
  std::uint64_t decoded_bytes() const noexcept { return decoded_; }
  const std::string& error() const noexcept { return error_; }
  // Gives back the memory of long lines, left-over bytes and the decompressor between streams.
  void release_memory();
  // Ends the stream without reading what is left, and gives back all its memory.
  void discard();
  // Bytes this stream holds now: the unfinished line, compressed bytes kept for a later turn, and the
  // decompressor's state (for the receiver's MemoryBudget).
  std::size_t held_bytes() const noexcept {
    return splitter_.held_bytes() + leftover_.capacity() + (inflater_ ? GzipInflater::kStateBytes : 0);
  }

 private:
  Outcome inflate(std::string_view input, std::size_t& consumed, LineTarget& target, std::size_t& budget);
  void split(std::string_view data, LineTarget& target);

  LineSplitter splitter_;
  std::string& scratch_;
  std::unique_ptr<GzipInflater> inflater_;
  bool gzip_ = false;
  std::size_t max_decoded_ = 0;
  std::uint64_t decoded_ = 0;
  std::string leftover_;
  std::size_t leftover_offset_ = 0;
  // The last inflate filled the scratch buffer, so zlib may hold more output for input it has taken.
  bool output_held_ = false;
  std::string error_;
};

}  // namespace wfsend::input
