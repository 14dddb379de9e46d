// The one bounded line splitter of the tools: `wfsend import`, `wfsend lint` and `wfsend listen` cut
// every byte stream into lines here (tools/input/).
//
// Bytes arrive in pieces of any size (a file read, a TCP segment, a piece of inflated gzip). next()
// consumes a piece up to and including its first '\n' and says whether a line ended there: lines that
// lie wholly inside a piece are handed out in place (no copy); only the unfinished end of a piece is
// kept, and never more than max_line_length bytes of it. A longer line is reported once as too long
// (with its first bytes, at most kReportedPrefix) as soon as it passes the bound, and then skipped up to
// its '\n' without being stored, so memory stays bounded whatever the input. Lines are numbered from 1,
// too-long ones included; a trailing '\r' is stripped. feed() is next() in a loop with callbacks, for
// push-style callers (listen); LineSource (line_source.h) is the pull-style reader over a ByteSource.
//
// Thread-safety: none; one splitter per stream, used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wfsend::input {

class LineSplitter {
 public:
  // What a call of next() found at the end of the bytes it consumed.
  struct Event {
    enum class Kind : std::uint8_t { none, line, too_long };
    Kind kind = Kind::none;
    // The line (without '\n' and a '\r' before it), or the first bytes of a too-long line. Valid until
    // the next call on the splitter or a change of the piece it points into.
    std::string_view text;
    std::uint64_t number = 0;
  };

  // What a too-long report shows of its line, at most.
  static constexpr std::size_t kReportedPrefix = 256;

  explicit LineSplitter(std::size_t max_line_length) : max_line_length_(max_line_length) {}

  // Consumes `data` up to and including its first '\n' (all of it when there is none); `consumed`
  // says how many bytes. The event is a line, a too-long report, or none (the line goes on).
  Event next(std::string_view data, std::size_t& consumed);

  // Calls on_line(std::string_view line, std::uint64_t number) for each complete line of `data`, and
  // on_too_long(std::string_view start_of_line, std::uint64_t number) once per line over the limit.
  template <class OnLine, class OnTooLong>
  void feed(std::string_view data, OnLine&& on_line, OnTooLong&& on_too_long) {
    while (!data.empty()) {
      std::size_t consumed = 0;
      const Event event = next(data, consumed);
      if (event.kind == Event::Kind::line) {
        on_line(event.text, event.number);
      } else if (event.kind == Event::Kind::too_long) {
        on_too_long(event.text, event.number);
      }
      data.remove_prefix(consumed);
    }
  }

  // The end of the stream: an unfinished last line (if any, and not being skipped) is returned as a
  // line event. Then the splitter starts over (numbering from 1 again).
  Event finish();
  // finish() for push-style callers: the last line goes to on_last(std::string_view, std::uint64_t).
  template <class OnLast>
  void finish(OnLast&& on_last) {
    const Event event = finish();
    if (event.kind == Event::Kind::line) on_last(event.text, event.number);
    held_.clear();
    stale_ = false;
  }

  // True while a line has started and not ended (for listen's partial-line deadline).
  bool in_line() const noexcept { return discarding_ || (!stale_ && !held_.empty()); }
  std::uint64_t line_number() const noexcept { return line_number_; }
  std::size_t max_line_length() const noexcept { return max_line_length_; }
  void reset() noexcept {
    held_.clear();
    stale_ = false;
    discarding_ = false;
    line_number_ = 0;
  }
  // Bytes kept for the unfinished line (its buffer's capacity).
  std::size_t held_bytes() const noexcept { return held_.capacity(); }
  // Returns the memory of a long partial line once it is no longer needed.
  void release_memory();

 private:
  static constexpr std::size_t kKeptCapacity = std::size_t{64} * 1024;

  std::size_t max_line_length_;
  // The start of the unfinished line; after an event that pointed into it, its old contents (stale_)
  // are dropped on the next call.
  std::string held_;
  bool stale_ = false;
  bool discarding_ = false;  // skipping the rest of a too-long line
  std::uint64_t line_number_ = 0;
};

}  // namespace wfsend::input
