// Reading a file or standard input, plain or gzip, in chunks; see byte_source.h.
#include "input/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "input/gzip_inflater.h"

namespace wfsend::input {

using wavefront::ErrorCode;
using wavefront::Expected;
using wavefront::Status;

namespace {

Status io_error(const std::string& name, const std::string& what) {
  return Status(ErrorCode::io_error, name + ": " + what);
}

// Errors while reading are reported with the file's name already in front (FILE: io_error: ...).
Status read_error(const std::string& what) { return Status(ErrorCode::io_error, what); }

}  // namespace

Expected<std::size_t> StringSource::read(char* out, std::size_t capacity) {
  const std::size_t count = std::min({capacity, chunk_bytes_, text_.size() - position_});
  std::memcpy(out, text_.data() + position_, count);
  position_ += count;
  return count;
}

Expected<std::unique_ptr<InputFile>> InputFile::open(const std::string& path, StopCheck stop_requested) {
  std::unique_ptr<InputFile> input(new InputFile());
  input->stop_requested_ = std::move(stop_requested);
  if (path == "-") {
    input->fd_ = STDIN_FILENO;
    input->display_name_ = "stdin";
  } else {
    input->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    input->display_name_ = path;
    if (input->fd_ < 0) return io_error(path, std::strerror(errno));
    input->owns_fd_ = true;
  }
  struct stat file_status {};
  if (fstat(input->fd_, &file_status) == 0) {
    if (S_ISDIR(file_status.st_mode)) return io_error(path, "is a directory");
    if (S_ISREG(file_status.st_mode))
      input->total_file_bytes_ = static_cast<std::uint64_t>(file_status.st_size);
  }
  input->raw_.resize(kReadChunkBytes);
  // Look at the first two bytes (a pipe may deliver them one at a time).
  while (input->raw_end_ < 2) {
    Expected<bool> more = input->fill_raw();
    if (!more) return io_error(input->display_name_, more.status().message());
    if (!*more) break;
  }
  if (starts_with_gzip_magic(std::string_view(input->raw_.data(), input->raw_end_))) {
    input->inflater_ = std::make_unique<GzipInflater>();
  }
  return input;
}

InputFile::~InputFile() {
  if (owns_fd_) ::close(fd_);
}

Expected<bool> InputFile::fill_raw() {
  if (file_ended_) return false;
  if (raw_begin_ == raw_end_) raw_begin_ = raw_end_ = 0;
  if (raw_end_ == raw_.size()) {  // compact: keep the unused bytes at the front
    std::memmove(raw_.data(), raw_.data() + raw_begin_, raw_end_ - raw_begin_);
    raw_end_ -= raw_begin_;
    raw_begin_ = 0;
  }
  for (;;) {
    const ssize_t count = ::read(fd_, raw_.data() + raw_end_, raw_.size() - raw_end_);
    if (count > 0) {
      raw_end_ += static_cast<std::size_t>(count);
      file_bytes_read_ += static_cast<std::uint64_t>(count);
      return true;
    }
    if (count == 0) {
      file_ended_ = true;
      return false;
    }
    if (errno == EINTR) {
      if (stopped()) {  // Ctrl-C while waiting for a pipe: treat as the end of the input
        file_ended_ = true;
        return false;
      }
      continue;
    }
    return read_error(std::string("read failed: ") + std::strerror(errno));
  }
}

Expected<std::size_t> InputFile::read(char* out, std::size_t capacity) {
  Expected<std::size_t> result = inflater_ ? read_inflated(out, capacity) : read_plain(out, capacity);
  if (result) bytes_delivered_ += *result;
  return result;
}

Expected<std::size_t> InputFile::read_plain(char* out, std::size_t capacity) {
  if (raw_begin_ == raw_end_) {
    // Large reads go straight into the caller's buffer; the staging buffer only served the sniffing.
    if (capacity >= raw_.size() && !file_ended_) {
      for (;;) {
        const ssize_t count = ::read(fd_, out, capacity);
        if (count >= 0) {
          file_bytes_read_ += static_cast<std::uint64_t>(count);
          if (count == 0) file_ended_ = true;
          return static_cast<std::size_t>(count);
        }
        if (errno == EINTR) {
          if (stopped()) return std::size_t{0};
          continue;
        }
        return read_error(std::string("read failed: ") + std::strerror(errno));
      }
    }
    Expected<bool> more = fill_raw();
    if (!more) return more.status();
    if (!*more) return std::size_t{0};
  }
  const std::size_t count = std::min(capacity, raw_end_ - raw_begin_);
  std::memcpy(out, raw_.data() + raw_begin_, count);
  raw_begin_ += count;
  return count;
}

Expected<std::size_t> InputFile::read_inflated(char* out, std::size_t capacity) {
  std::size_t produced = 0;
  while (produced < capacity) {
    if (raw_begin_ == raw_end_ && !output_held_) {
      // Hand over what is ready rather than waiting to fill the whole buffer from a slow pipe.
      if (produced > 0) break;
      Expected<bool> more = fill_raw();
      if (!more) return more.status();
      if (!*more) {
        // The input ended: fine between members, an error inside one.
        if (!inflater_->at_member_boundary() && !stopped()) return read_error("gzip stream is truncated");
        break;
      }
    }
    const std::size_t input_left = raw_end_ - raw_begin_;
    GzipInflater::Result result = inflater_->inflate(std::string_view(raw_.data() + raw_begin_, input_left),
                                                     out + produced, capacity - produced);
    raw_begin_ += result.consumed;
    produced += result.produced;
    // A full output may leave output zlib holds for input it has taken: ask again even with no input.
    output_held_ = produced == capacity;
    if (result.error) return read_error("gzip stream is corrupt: " + result.message);
    if (input_left > 0 && result.consumed == 0 && result.produced == 0) {
      return read_error("gzip stream is corrupt: no progress");
    }
  }
  return produced;
}

}  // namespace wfsend::input
