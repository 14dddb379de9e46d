// Where the senders report what goes wrong: an injectable logger, silent by default.
//
// Senders log connection failures, refused batches and dropped data through this interface,
// rate-limited per kind of message so that a dead proxy cannot flood the application's log, and
// never with point contents at warning level or above, nor any token. Plug in your own logger
// (spdlog, glog, ...) with a few lines, or use `make_stderr_logger()`.
//
// Thread-safety: `log` may be called from the senders' background threads concurrently; an
// implementation must be thread-safe.
#pragma once

#include <memory>
#include <string_view>

#include "wavefront/export.h"

namespace wavefront {

enum class LogLevel { debug, info, warning, error };

WAVEFRONT_API std::string_view log_level_name(LogLevel level) noexcept;

class WAVEFRONT_API Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(LogLevel level, std::string_view message) noexcept = 0;
};

// Writes "wavefront <level>: <message>" lines to standard error, from `minimum` up.
WAVEFRONT_API std::shared_ptr<Logger> make_stderr_logger(LogLevel minimum = LogLevel::info);

}  // namespace wavefront
