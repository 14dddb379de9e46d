// `QueuedSender`: the part every client shares — validate, queue, deliver in the background.
//
// ProxyClient and the HTTP clients derive from it and differ only in how a batch reaches the
// receiver. Users hold a client through this class or through `Sender`; they never construct it.
//
// Thread-safety: all methods are safe to call concurrently from any thread, close() included (every
// caller gets the same result; see Sender::close). Destroying the sender while other threads still
// call it is undefined: close() it, stop those threads, then destroy it.
//
// fork(): the parent's sender goes on unchanged. In the child, the sender starts over on first use:
// the inherited queue (the parent's data, which the parent delivers) is left behind uncounted, and
// the child gets an empty queue, zeroed counters, its own connections and its own flusher thread, so
// everything the child sends is delivered by the child or counted in its stats(). A child that never
// uses the sender, or destroys it, or exits, neither hangs nor disturbs the parent's connections.
//
// exit(): a sender still alive when the process exits (a leaked global; a static is destroyed and
// closed as usual) is closed by an atexit handler with its close_timeout: what is queued is
// delivered, and what cannot be by then is counted as unsent_at_close and logged.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "wavefront/export.h"
#include "wavefront/sender.h"
#include "wavefront/series.h"

namespace wavefront {

namespace client {
class SenderCore;
class CoreHandle;
}  // namespace client

class WAVEFRONT_API QueuedSender : public Sender {
 public:
  ~QueuedSender() override;  // close(close_timeout)
  QueuedSender(const QueuedSender&) = delete;
  QueuedSender& operator=(const QueuedSender&) = delete;

  FlushResult flush(std::chrono::milliseconds timeout) override;
  FlushResult close(std::chrono::milliseconds timeout) override;
  std::uint64_t failure_count() const override;
  SenderStats stats() const override;

  // A pre-registered series (series.h): name, source and tags are validated and formatted now; an
  // empty source means the default source. Refused here, with the field and rule named, if invalid.
  Expected<Series> series(std::string_view name, TagList tags = {}, std::string_view source = {},
                          SeriesKind kind = SeriesKind::metric);

 protected:
  explicit QueuedSender(std::unique_ptr<client::CoreHandle> handle);
  Status submit(const FormattedLines& lines) override;

 private:
  friend class Series;
  client::SenderCore& core();
  std::unique_ptr<client::CoreHandle> handle_;
};

}  // namespace wavefront
