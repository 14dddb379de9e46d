// See stdout_sender.h.
#include "wfsend/stdout_sender.h"

namespace wfsend {

using wavefront::DataType;
using wavefront::Status;

namespace {
constexpr std::size_t kWriteThreshold = std::size_t{256} * 1024;

wavefront::TypeStats& of(wavefront::SenderStats& stats, DataType type) {
  return stats.types[static_cast<std::size_t>(type)];
}
}  // namespace

StreamSender::StreamSender(std::FILE* stream, wavefront::FormatOptions options)
    : Sender(std::move(options)), stream_(stream) {}

StreamSender::~StreamSender() { close(std::chrono::milliseconds(0)); }

Status StreamSender::submit(const wavefront::FormattedLines& lines) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!lines.status.ok()) {
    ++of(stats_, lines.type).invalid;
    return lines.status;
  }
  if (closed_) {
    ++of(stats_, lines.type).dropped;
    ++of(stats_, lines.type).dropped_by_reason[static_cast<std::size_t>(wavefront::DropReason::closed)];
    return Status(wavefront::ErrorCode::closed, "the output was closed");
  }
  buffer_ += lines.lines;
  of(stats_, lines.type).accepted += lines.items;
  of(stats_, lines.type).delivered += lines.items;
  if (buffer_.size() >= kWriteThreshold) write_out();
  return Status();
}

bool StreamSender::write_out() {
  if (!buffer_.empty() && !write_failed_) {
    write_failed_ = std::fwrite(buffer_.data(), 1, buffer_.size(), stream_) != buffer_.size();
  }
  buffer_.clear();
  return !write_failed_ && std::fflush(stream_) == 0;
}

wavefront::FlushResult StreamSender::flush(std::chrono::milliseconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  wavefront::FlushResult result;
  if (!write_out()) result.status = Status(wavefront::ErrorCode::io_error, "writing the output failed");
  return result;
}

wavefront::FlushResult StreamSender::close(std::chrono::milliseconds timeout) {
  wavefront::FlushResult result = flush(timeout);
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  return result;
}

std::uint64_t StreamSender::failure_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::uint64_t failures = 0;
  for (const auto& type : stats_.types) failures += type.invalid + type.dropped;
  return failures;
}

wavefront::SenderStats StreamSender::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

}  // namespace wfsend
