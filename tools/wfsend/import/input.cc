// Reading the import's input: plain or gzip, a file or standard input, in chunks.
#include "wfsend/import/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "wfsend/import/interrupt.h"

namespace wfsend::import {

using wavefront::ErrorCode;
using wavefront::Expected;
using wavefront::Status;

namespace {

constexpr unsigned char kGzipMagic0 = 0x1f;
constexpr unsigned char kGzipMagic1 = 0x8b;
// windowBits for inflateInit2: 15 (the largest window) + 16 (expect a gzip header, not zlib).
constexpr int kGzipWindowBits = 15 + 16;

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

struct InputFile::Inflater {
  z_stream stream{};
  bool initialized = false;
  bool member_ended = false;  // the last member ended; another may follow
  ~Inflater() {
    if (initialized) inflateEnd(&stream);
  }
};

Expected<std::unique_ptr<InputFile>> InputFile::open(const std::string& path) {
  std::unique_ptr<InputFile> input(new InputFile());
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
  if (input->raw_end_ >= 2 && static_cast<unsigned char>(input->raw_[0]) == kGzipMagic0 &&
      static_cast<unsigned char>(input->raw_[1]) == kGzipMagic1) {
    input->inflater_ = std::make_unique<Inflater>();
    if (inflateInit2(&input->inflater_->stream, kGzipWindowBits) != Z_OK) {
      return io_error(input->display_name_, "cannot start gzip decompression");
    }
    input->inflater_->initialized = true;
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
      if (stop_requested()) {  // Ctrl-C while waiting for a pipe: treat as the end of the input
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
          if (stop_requested()) return std::size_t{0};
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
  z_stream& stream = inflater_->stream;
  const std::size_t max_chunk = std::numeric_limits<uInt>::max();
  stream.next_out = reinterpret_cast<Bytef*>(out);
  const std::size_t wanted = std::min(capacity, max_chunk);
  stream.avail_out = static_cast<uInt>(wanted);
  while (stream.avail_out > 0) {
    if (raw_begin_ == raw_end_) {
      Expected<bool> more = fill_raw();
      if (!more) return more.status();
      if (!*more) {
        // The input ended: fine between members, an error inside one.
        if (!inflater_->member_ended && !stop_requested()) {
          return read_error("gzip stream is truncated");
        }
        break;
      }
    }
    if (inflater_->member_ended) {  // another gzip member follows (as `cat a.gz b.gz` makes)
      if (inflateReset(&stream) != Z_OK) return read_error("cannot restart gzip decompression");
      inflater_->member_ended = false;
    }
    stream.next_in = reinterpret_cast<Bytef*>(raw_.data() + raw_begin_);
    stream.avail_in = static_cast<uInt>(std::min(raw_end_ - raw_begin_, max_chunk));
    const uInt available_before = stream.avail_in;
    const int result = inflate(&stream, Z_NO_FLUSH);
    raw_begin_ += available_before - stream.avail_in;
    if (result == Z_STREAM_END) {
      inflater_->member_ended = true;
    } else if (result != Z_OK && result != Z_BUF_ERROR) {
      const char* reason = stream.msg != nullptr ? stream.msg : "corrupt data";
      return read_error(std::string("gzip stream is corrupt: ") + reason);
    }
    // Hand over what is ready rather than waiting to fill the whole buffer from a slow pipe.
    if (stream.avail_out < wanted && raw_begin_ == raw_end_) break;
  }
  return wanted - stream.avail_out;
}

}  // namespace wfsend::import
