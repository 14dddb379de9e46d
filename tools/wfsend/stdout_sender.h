// A Sender that writes the exact wire lines to a stream instead of sending them (`--to -`).
//
// Each call formats with the library's formatters and appends to a buffer written out in large
// chunks, so the output is in call order and byte-identical to what a client would send. Events are
// written as `@Event` lines (the proxy form).
//
// Thread-safety: all calls may be made from any thread; a mutex keeps lines whole and in order.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>

#include "wavefront/format.h"
#include "wavefront/sender.h"

namespace wfsend {

class StreamSender final : public wavefront::Sender {
 public:
  explicit StreamSender(std::FILE* stream, wavefront::FormatOptions options = wavefront::FormatOptions());
  ~StreamSender() override;

  wavefront::FlushResult flush(std::chrono::milliseconds timeout) override;
  wavefront::FlushResult close(std::chrono::milliseconds timeout) override;
  std::uint64_t failure_count() const override;
  wavefront::SenderStats stats() const override;

 protected:
  // Counts the outcome of one formatted call and writes the buffer out when it is large.
  wavefront::Status submit(const wavefront::FormattedLines& lines) override;

 private:
  bool write_out();

  std::FILE* stream_;
  mutable std::mutex mutex_;
  std::string buffer_;
  bool closed_ = false;
  bool write_failed_ = false;
  wavefront::SenderStats stats_;
};

}  // namespace wfsend
