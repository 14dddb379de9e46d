// Line splitting over a growing buffer.
#include "wfsend/import/line_input.h"

#include <algorithm>
#include <cstring>

namespace wfsend::import {
namespace {
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
}

LineInput::LineInput(ByteSource& source, std::size_t max_line_bytes, std::size_t buffer_bytes)
    : source_(source), max_line_bytes_(std::max<std::size_t>(max_line_bytes, 1)) {
  buffer_.resize(std::max<std::size_t>(std::min(buffer_bytes, max_line_bytes_ + 2), 16));
}

bool LineInput::refill() {
  if (input_ended_ || failed_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
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

LineInput::Result LineInput::next(std::string_view& line) {
  if (!started_) {
    while (end_ - begin_ < kByteOrderMark.size() && refill()) {
    }
    if (std::string_view(buffer_.data() + begin_, std::min(end_ - begin_, kByteOrderMark.size())) ==
        kByteOrderMark) {
      begin_ += kByteOrderMark.size();
    }
    started_ = true;
  }
  std::size_t searched = begin_;  // the bytes from begin_ to here hold no '\n'
  bool too_long = false;
  for (;;) {
    const void* newline = std::memchr(buffer_.data() + searched, '\n', end_ - searched);
    if (newline != nullptr) {
      const auto line_end = static_cast<std::size_t>(static_cast<const char*>(newline) - buffer_.data());
      ++line_number_;
      const std::size_t line_begin = begin_;
      begin_ = line_end + 1;
      if (too_long) return Result::too_long;
      std::size_t length = line_end - line_begin;
      if (length > 0 && buffer_[line_begin + length - 1] == '\r') --length;
      line = std::string_view(buffer_.data() + line_begin, length);
      return Result::line;
    }
    if (too_long || end_ - begin_ > max_line_bytes_) {  // too long: drop it, and the rest as it comes
      too_long = true;
      begin_ = end_;
    }
    if (input_ended_ || failed_) {
      if (too_long) {
        ++line_number_;
        return Result::too_long;
      }
      if (end_ > begin_) {  // a last line without a line end
        ++line_number_;
        std::size_t length = end_ - begin_;
        if (buffer_[begin_ + length - 1] == '\r') --length;
        line = std::string_view(buffer_.data() + begin_, length);
        begin_ = end_;
        return Result::line;
      }
      return failed_ ? Result::error : Result::end;
    }
    const std::size_t searched_offset = end_ - begin_;
    refill();
    searched = begin_ + searched_offset;
  }
}

}  // namespace wfsend::import
