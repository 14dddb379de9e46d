// `SenderHandle`: what make_sender() and the clients' create() return — a sender, or the reason
// there is none, used with `->` either way.
//
//   auto sender = wavefront::make_sender("proxy://localhost:2878");
//   sender->send_metric("cpu.usage", 42.5);
//   sender->close(std::chrono::seconds(5));
//
// A handle whose construction failed is still safe to use: `if (!sender)` and `sender.error()` say
// what went wrong (the message names the setting or the part of the URL), and every call through
// `->` returns that error (sends, flush and close alike) instead of dereferencing a null pointer.
// Points sent through a failed handle are counted as invalid in its stats().
//
// Thread-safety: the handle itself is a move-only value owned by one thread; the sender it holds is
// safe to call from any number of threads (sender.h). Destroying the handle closes the sender with
// its close_timeout.
#pragma once

#include <memory>

#include "wavefront/export.h"
#include "wavefront/sender.h"
#include "wavefront/status.h"

namespace wavefront {

class WAVEFRONT_API SenderHandle {
 public:
  // A working sender (null makes a failed handle).
  SenderHandle(std::unique_ptr<Sender> sender);  // NOLINT(google-explicit-constructor)
  // A failed construction: `error` must not be ok.
  SenderHandle(Status error);  // NOLINT(google-explicit-constructor)
  SenderHandle(SenderHandle&&) noexcept;
  SenderHandle& operator=(SenderHandle&&) noexcept;
  ~SenderHandle();

  bool ok() const noexcept { return error_.ok(); }
  explicit operator bool() const noexcept { return ok(); }
  // Why construction failed; ok when it did not.
  const Status& error() const noexcept { return error_; }
  const Status& status() const noexcept { return error_; }  // the name Expected uses

  // Never null: a failed handle gives a sender whose every call returns error().
  Sender* operator->() const noexcept { return sender_.get(); }
  Sender& operator*() const noexcept { return *sender_; }
  Sender* get() const noexcept { return sender_.get(); }

  // Takes the sender out (the handle is left failed); null when construction failed.
  std::unique_ptr<Sender> release();

 private:
  std::unique_ptr<Sender> sender_;
  Status error_;
};

}  // namespace wavefront
