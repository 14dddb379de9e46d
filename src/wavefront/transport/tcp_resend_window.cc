// The resend window of a raw TCP connection; see tcp_resend_window.h.
#include "wavefront/transport/tcp_resend_window.h"

#include <algorithm>
#include <utility>

namespace wavefront::transport {
namespace {

std::uint64_t count_newlines(std::string_view text) {
  return static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
}

void add_counts(LineCounts& sum, const LineCounts& part) {
  for (std::size_t type = 0; type < kDataTypeCount; ++type) sum[type] += part[type];
}

}  // namespace

void ResendWindow::add(DataType type, std::string_view text, std::size_t lines, std::size_t wire_bytes) {
  const std::uint64_t begin = stream_end_;
  stream_end_ += wire_bytes;
  // The copy goes into the buffer of a chunk that left the window when there is one: a fresh buffer
  // per batch cost the flusher a page fault per 4 KiB written.
  std::string copy = std::exchange(spare_, std::string());
  // Batches differ a little in size: a new buffer gets an eighth more room, so that the next, slightly
  // longer batch still fits the spare it leaves.
  if (copy.capacity() < text.size()) copy.reserve(text.size() + text.size() / 8);
  copy.assign(text.data(), text.size());
  chunks_.push_back(Chunk{type, std::move(copy), lines, begin, stream_end_});
  held_bytes_ += text.size();
  while (!chunks_.empty() && held_bytes_ > max_bytes_) {
    Chunk& oldest = chunks_.front();
    forgotten_[static_cast<std::size_t>(oldest.type)] += oldest.lines;
    held_bytes_ -= oldest.text.size();
    window_begin_ = oldest.wire_end;
    if (oldest.text.capacity() <= max_bytes_) spare_ = std::move(oldest.text);
    chunks_.pop_front();
  }
}

LineCounts ResendWindow::split_at_break(std::uint64_t acked, std::uint64_t maybe_unread, bool plain,
                                        std::deque<ResendLines>& resend) {
  LineCounts lost{};
  acked = std::min(acked, stream_end_);
  const std::uint64_t unread_from = acked > maybe_unread ? acked - maybe_unread : 0;
  // Lines no longer held: unacknowledged ones cannot be re-sent, acknowledged ones cannot be told
  // apart by offset. Either way the break may have cost all of them.
  if (unread_from < window_begin_ || acked < window_begin_) add_counts(lost, forgotten_);
  for (Chunk& chunk : chunks_) {
    const auto type = static_cast<std::size_t>(chunk.type);
    // The part of the chunk the peer acknowledged: whole lines under plain text, the whole chunk or
    // nothing under gzip.
    std::size_t acked_text = 0;
    if (chunk.wire_end <= acked) {
      acked_text = chunk.text.size();
    } else if (plain && chunk.wire_begin < acked) {
      const std::string_view head = std::string_view(chunk.text).substr(0, acked - chunk.wire_begin);
      const std::size_t last_newline = head.rfind('\n');
      acked_text = last_newline == std::string_view::npos ? 0 : last_newline + 1;
    }
    const std::string_view acknowledged = std::string_view(chunk.text).substr(0, acked_text);
    const std::uint64_t acked_lines =
        acked_text == chunk.text.size() ? chunk.lines : count_newlines(acknowledged);
    // Acknowledged lines ending after unread_from may not have been read.
    if (acked_lines > 0 && chunk.wire_end > unread_from) {
      if (!plain || chunk.wire_begin >= unread_from) {
        lost[type] += acked_lines;
      } else {
        lost[type] += count_newlines(acknowledged.substr(
            std::min<std::uint64_t>(unread_from - chunk.wire_begin, acknowledged.size())));
      }
    }
    if (acked_text < chunk.text.size()) {
      resend.push_back(ResendLines{chunk.type, chunk.text.substr(acked_text),
                                   static_cast<std::size_t>(chunk.lines - acked_lines)});
    }
  }
  clear();
  return lost;
}

void ResendWindow::clear() {
  chunks_.clear();
  held_bytes_ = 0;
  stream_end_ = 0;
  window_begin_ = 0;
  forgotten_ = LineCounts{};
}

}  // namespace wavefront::transport
