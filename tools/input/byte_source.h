// The bottom of the tools' input stack (tools/input/): where pulled bytes come from. `wfsend import` and
// `wfsend lint` read a file or standard input, gzip-compressed or not.
//
// `InputFile::open` opens a path ("-" is standard input) and looks at its first two bytes: 1F 8B means
// gzip, which is inflated as a stream by the tools' one GzipInflater (concatenated gzip members too, as
// `zcat` does), so a file is never held in memory whole. The readers (LineSource in line_source.h,
// import's CsvReader) pull chunks through the `ByteSource` interface, which tests implement over a
// string (StringSource). Import's progress line asks how many bytes of the file were consumed and how
// large it is. (listen's sockets and HTTP bodies are pushed instead: line_stream.h.)
//
// Thread-safety: none. One thread reads a source; the counters are read by that same thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wavefront/status.h"

namespace wfsend::input {

// Where bytes come from. read() fills up to `capacity` bytes and returns how many, 0 at the end of the
// input, or an io_error Status (an unreadable file, a corrupt gzip stream).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual wavefront::Expected<std::size_t> read(char* out, std::size_t capacity) = 0;
};

// A ByteSource over text held in memory, handing out at most `chunk_bytes` per read (tests use small
// chunks to cross every buffer boundary).
class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string text, std::size_t chunk_bytes = 1 << 20)
      : text_(std::move(text)), chunk_bytes_(chunk_bytes == 0 ? 1 : chunk_bytes) {}
  wavefront::Expected<std::size_t> read(char* out, std::size_t capacity) override;

 private:
  std::string text_;
  std::size_t chunk_bytes_;
  std::size_t position_ = 0;
};

class GzipInflater;

class InputFile final : public ByteSource {
 public:
  // Asked when a read is interrupted by a signal: true ends the input there (Ctrl-C while waiting on
  // a pipe) instead of reading on.
  using StopCheck = std::function<bool()>;

  // Opens `path` ("-" for standard input) and detects gzip. The error (io_error) names the path and
  // the system's reason.
  static wavefront::Expected<std::unique_ptr<InputFile>> open(const std::string& path,
                                                              StopCheck stop_requested = nullptr);
  ~InputFile() override;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  wavefront::Expected<std::size_t> read(char* out, std::size_t capacity) override;

  // The path as given, or "stdin".
  const std::string& display_name() const noexcept { return display_name_; }
  bool compressed() const noexcept { return inflater_ != nullptr; }
  // Bytes taken from the file so far (compressed bytes for gzip): what progress and ETA are based on.
  std::uint64_t file_bytes_read() const noexcept { return file_bytes_read_; }
  // Bytes handed to the reader (after inflating).
  std::uint64_t bytes_delivered() const noexcept { return bytes_delivered_; }
  // The size of a regular file; 0 when unknown (a pipe, a terminal).
  std::uint64_t total_file_bytes() const noexcept { return total_file_bytes_; }

  // How many bytes are read from the file at a time.
  static constexpr std::size_t kReadChunkBytes = 1 << 20;

 private:
  InputFile() = default;
  // Reads more of the file into raw_; false at its end. Retries EINTR only when no stop was asked.
  wavefront::Expected<bool> fill_raw();
  wavefront::Expected<std::size_t> read_plain(char* out, std::size_t capacity);
  wavefront::Expected<std::size_t> read_inflated(char* out, std::size_t capacity);

  int fd_ = -1;
  bool owns_fd_ = false;
  std::string display_name_;
  std::vector<char> raw_;      // bytes read from the file and not yet handed on / inflated
  std::size_t raw_begin_ = 0;  // the first unused byte of raw_
  std::size_t raw_end_ = 0;    // one past the last valid byte of raw_
  bool file_ended_ = false;
  bool stopped() const { return stop_requested_ && stop_requested_(); }

  StopCheck stop_requested_;
  std::unique_ptr<GzipInflater> inflater_;
  bool output_held_ = false;  // the last inflate filled the output: zlib may hold more for it
  std::uint64_t file_bytes_read_ = 0;
  std::uint64_t bytes_delivered_ = 0;
  std::uint64_t total_file_bytes_ = 0;
};

}  // namespace wfsend::input
