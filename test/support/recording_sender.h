// A Sender that formats every call into wire lines and keeps them, for tests of code that sends
// (registry reporter, heartbeater, span helpers). Lines are judged by the strict parser.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "wavefront/format.h"
#include "wavefront/sender.h"

namespace wavefront::testing {

class RecordingSender final : public Sender {
 public:
  RecordingSender() : Sender(test_options()) {}

  FlushResult flush(std::chrono::milliseconds) override { return FlushResult(); }
  FlushResult close(std::chrono::milliseconds) override { return FlushResult(); }
  std::uint64_t failure_count() const override { return 0; }
  SenderStats stats() const override { return SenderStats(); }

  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }
  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.clear();
  }

 protected:
  // Keeps each line without its '\n'; refusals record nothing.
  Status submit(const FormattedLines& formatted) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string_view out = formatted.lines;
    std::size_t begin = 0;
    while (begin < out.size()) {
      const std::size_t end = out.find('\n', begin);
      lines_.emplace_back(out.substr(begin, end - begin));
      begin = end + 1;
    }
    return formatted.status;
  }

 private:
  static FormatOptions test_options() {
    FormatOptions options;
    options.default_source = "test-host";
    return options;
  }

  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

}  // namespace wavefront::testing
