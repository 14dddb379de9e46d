// Buffered output of accepted lines and rate-limited reports; see output.h.
#include "receiver/output.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace wfreceiver {

OutputWriter::OutputWriter(int fd, Sink sink) : fd_(fd), sink_(std::move(sink)) {
  if (enabled()) buffer_.reserve(kFlushBytes + std::size_t{64} * 1024);
}

void OutputWriter::deliver(std::string_view data) {
  if (sink_ != nullptr && !data.empty()) sink_(data);
  if (fd_ >= 0) write_all(data);
}

bool OutputWriter::write_all(std::string_view data) {
  while (!data.empty() && !failed_) {
    const ssize_t written = ::write(fd_, data.data(), data.size());
    if (written > 0) {
      data.remove_prefix(static_cast<std::size_t>(written));
    } else if (written < 0 && errno == EINTR) {
      continue;
    } else if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // A non-blocking output (inherited): wait until it takes more.
      pollfd waiting{fd_, POLLOUT, 0};
      ::poll(&waiting, 1, 100);
    } else {
      failed_ = true;
      error_ = written < 0 ? std::strerror(errno) : "write returned 0";
    }
  }
  return !failed_;
}

bool OutputWriter::flush() {
  if (buffer_.empty()) return !failed_;
  deliver(buffer_);
  buffer_.clear();
  return !failed_;
}

void OutputWriter::write_through(std::string_view data) {
  flush();
  deliver(data);
}

Diagnostics::Diagnostics(int fd, std::size_t max_per_second) : fd_(fd), max_per_second_(max_per_second) {}

bool Diagnostics::admit(Clock::time_point now) {
  if (fd_ < 0) return false;
  tick(now);
  if (printed_in_window_ < max_per_second_) {
    ++printed_in_window_;
    return true;
  }
  ++suppressed_in_window_;
  ++suppressed_total_;
  return false;
}

void Diagnostics::tick(Clock::time_point now) {
  if (now - window_start_ < std::chrono::seconds(1)) return;
  window_start_ = now;
  printed_in_window_ = 0;
  finish();
}

void Diagnostics::finish() {
  if (suppressed_in_window_ == 0) return;
  print(std::to_string(suppressed_in_window_) + " more reports not shown (at most " +
        std::to_string(max_per_second_) + " per second)");
  suppressed_in_window_ = 0;
}

void Diagnostics::print(std::string_view message) {
  if (fd_ < 0) return;
  line_.assign("listen: ");
  line_.append(message);
  line_.push_back('\n');
  std::string_view rest(line_);
  while (!rest.empty()) {
    const ssize_t written = ::write(fd_, rest.data(), rest.size());
    if (written > 0) {
      rest.remove_prefix(static_cast<std::size_t>(written));
    } else if (!(written < 0 && errno == EINTR)) {
      return;  // stderr is gone: nothing better to do
    }
  }
}

}  // namespace wfreceiver
