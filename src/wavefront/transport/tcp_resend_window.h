// The last lines written to one raw TCP connection, kept so that a break can be repaired (private).
//
// TcpTransport adds every batch it writes, with the stream bytes it took on the wire. When the
// connection breaks, split_at_break() is told how many stream bytes the peer's TCP acknowledged and
// how many of those the peer may not yet have read; it hands back, whole, the lines the peer never
// acknowledged (to be written again on the next connection) and counts, per data type, the lines
// that may have been lost. Memory is bounded: only the last `max_bytes` of text are held; lines that
// fell out of the window are remembered as counts only, and if a break reaches back to them they all
// count as possibly lost. The buffer of the last chunk to leave is kept for the next one's copy, so the
// text held is at most `max_bytes` plus one batch. Not thread-safe: used by the flusher thread only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "wavefront/sender.h"

namespace wavefront::transport {

// Lines to be written again, whole, on the next connection.
struct ResendLines {
  DataType type;
  std::string text;  // whole lines, each ending in '\n'
  std::size_t lines;
};

using LineCounts = std::array<std::uint64_t, kDataTypeCount>;

class ResendWindow {
 public:
  explicit ResendWindow(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // `lines` whole lines (`text`) now follow the previous batch in the stream, taking `wire_bytes`
  // on the wire (the compressed size under gzip).
  void add(DataType type, std::string_view text, std::size_t lines, std::size_t wire_bytes);

  // The connection broke after the peer's TCP acknowledged the first `acked` stream bytes, the last
  // `maybe_unread` of which the peer may not have read. Appends the lines not acknowledged to
  // `resend`, in stream order; under `plain` text a line counts as acknowledged when its last byte
  // is, under gzip only a whole batch is. Returns the lines per type that may have been lost: the
  // acknowledged ones that end within the last `maybe_unread` acknowledged bytes, plus every line
  // that fell out of the window if the break reaches back to it. Empties the window.
  LineCounts split_at_break(std::uint64_t acked, std::uint64_t maybe_unread, bool plain,
                            std::deque<ResendLines>& resend);

  // Stream bytes written since the window was last emptied.
  std::uint64_t stream_bytes() const { return stream_end_; }
  void clear();

 private:
  struct Chunk {
    DataType type;
    std::string text;
    std::size_t lines;
    std::uint64_t wire_begin;
    std::uint64_t wire_end;
  };
  std::size_t max_bytes_;
  std::deque<Chunk> chunks_;
  std::string spare_;               // the buffer of the last chunk that left the window, for the next add()
  std::size_t held_bytes_ = 0;      // text bytes in chunks_
  std::uint64_t stream_end_ = 0;    // wire offset just past the last chunk
  std::uint64_t window_begin_ = 0;  // wire offset where the oldest held chunk begins
  LineCounts forgotten_{};          // lines written before window_begin_
};

}  // namespace wavefront::transport
