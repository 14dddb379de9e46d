// Bounded line splitting; see line_splitter.h.
#include "input/line_splitter.h"

#include <algorithm>
#include <cstring>

namespace wfsend::input {
namespace {

std::string_view strip_cr(std::string_view line) noexcept {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

LineSplitter::Event LineSplitter::next(std::string_view data, std::size_t& consumed) {
  if (stale_) {
    held_.clear();
    stale_ = false;
  }
  const auto* newline = static_cast<const char*>(std::memchr(data.data(), '\n', data.size()));
  const std::size_t length =
      newline != nullptr ? static_cast<std::size_t>(newline - data.data()) : data.size();
  consumed = newline != nullptr ? length + 1 : data.size();
  Event event;
  if (discarding_) {  // the rest of a line already reported as too long
    if (newline != nullptr) discarding_ = false;
    return event;
  }
  if (held_.size() + length > max_line_length_) {
    ++line_number_;
    const std::size_t report_length = std::min(max_line_length_, kReportedPrefix);
    if (held_.size() < report_length) {
      held_.append(data.data(), std::min(length, report_length - held_.size()));
    }
    held_.resize(std::min(held_.size(), report_length));
    event.kind = Event::Kind::too_long;
    event.text = held_;
    event.number = line_number_;
    stale_ = true;
    discarding_ = newline == nullptr;
    return event;
  }
  if (newline == nullptr) {
    held_.append(data.data(), length);
    return event;
  }
  ++line_number_;
  event.kind = Event::Kind::line;
  event.number = line_number_;
  if (held_.empty()) {
    event.text = strip_cr(data.substr(0, length));
  } else {
    held_.append(data.data(), length);
    event.text = strip_cr(held_);
    stale_ = true;
  }
  return event;
}

LineSplitter::Event LineSplitter::finish() {
  Event event;
  if (stale_) {
    held_.clear();
    stale_ = false;
  }
  if (!held_.empty() && !discarding_) {
    ++line_number_;
    event.kind = Event::Kind::line;
    event.number = line_number_;
    event.text = strip_cr(held_);
    stale_ = true;
  }
  discarding_ = false;
  line_number_ = 0;
  return event;
}

void LineSplitter::release_memory() {
  if ((held_.empty() || stale_) && held_.capacity() > kKeptCapacity) {
    std::string().swap(held_);
    stale_ = false;
  }
}

}  // namespace wfsend::input
