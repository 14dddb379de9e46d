// Pulled lines over a ByteSource; see line_source.h.
#include "input/line_source.h"

#include <algorithm>
#include <cstring>

namespace wfsend::input {
namespace {
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
}

LineSource::LineSource(ByteSource& source, std::size_t max_line_bytes, std::size_t buffer_bytes)
    : source_(source), splitter_(std::max<std::size_t>(max_line_bytes, 1)) {
  buffer_.resize(std::max<std::size_t>(buffer_bytes, 16));
}

bool LineSource::refill() {
  if (input_ended_ || failed_) return false;
  // The splitter keeps what it needs of an unfinished line, so the buffer starts over.
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  wavefront::Expected<std::size_t> count = source_.read(buffer_.data() + end_, buffer_.size() - end_);
  if (!count) {
    failed_ = true;
    error_ = count.status().message();
    return false;
  }
  if (*count == 0) {
    input_ended_ = true;
    return false;
  }
  end_ += *count;
  return true;
}

LineSource::Result LineSource::next(std::string_view& line) {
  if (!started_) {
    while (end_ - begin_ < kByteOrderMark.size() && refill()) {
    }
    if (std::string_view(buffer_.data() + begin_, std::min(end_ - begin_, kByteOrderMark.size())) ==
        kByteOrderMark) {
      begin_ += kByteOrderMark.size();
    }
    started_ = true;
  }
  for (;;) {
    while (begin_ < end_) {
      std::size_t consumed = 0;
      const LineSplitter::Event event =
          splitter_.next(std::string_view(buffer_.data() + begin_, end_ - begin_), consumed);
      begin_ += consumed;
      if (event.kind == LineSplitter::Event::Kind::none) continue;
      line_number_ = event.number;
      line = event.text;
      return event.kind == LineSplitter::Event::Kind::line ? Result::line : Result::too_long;
    }
    begin_ = end_ = 0;
    if (refill()) continue;
    if (!finished_) {
      finished_ = true;
      const std::uint64_t last_number = splitter_.line_number();
      const LineSplitter::Event event = splitter_.finish();
      if (event.kind == LineSplitter::Event::Kind::line) {
        line_number_ = event.number;
        line = event.text;
        return Result::line;
      }
      line_number_ = last_number;
    }
    return failed_ ? Result::error : Result::end;
  }
}

}  // namespace wfsend::input
