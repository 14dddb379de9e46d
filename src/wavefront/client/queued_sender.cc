// QueuedSender forwards every call to the shared SenderCore; see include/wavefront/queued_sender.h.
#include "wavefront/queued_sender.h"

#include "wavefront/client/core_handle.h"
#include "wavefront/client/sender_core.h"

namespace wavefront {

QueuedSender::QueuedSender(std::unique_ptr<client::CoreHandle> handle)
    : Sender(handle->core().format_options(), handle->core().events_as_json()), handle_(std::move(handle)) {}

QueuedSender::~QueuedSender() = default;  // the handle closes the core with close_timeout

client::SenderCore& QueuedSender::core() { return handle_->core(); }

Status QueuedSender::submit(const FormattedLines& lines) { return core().submit(lines); }

FlushResult QueuedSender::flush(std::chrono::milliseconds timeout) { return core().flush(timeout); }
FlushResult QueuedSender::close(std::chrono::milliseconds timeout) { return core().close(timeout); }
std::uint64_t QueuedSender::failure_count() const { return handle_->core().failure_count(); }
SenderStats QueuedSender::stats() const { return handle_->core().stats(); }

std::string_view data_type_name(DataType type) noexcept {
  switch (type) {
    case DataType::metric:
      return "points";
    case DataType::distribution:
      return "histograms";
    case DataType::span:
      return "spans";
    case DataType::span_log:
      return "span_logs";
    case DataType::event:
      return "events";
  }
  return "unknown";
}

std::string_view drop_reason_name(DropReason reason) noexcept {
  switch (reason) {
    case DropReason::queue_full:
      return "queue_full";
    case DropReason::closed:
      return "closed";
    case DropReason::not_configured:
      return "not_configured";
    case DropReason::rejected:
      return "rejected";
    case DropReason::expired:
      return "expired";
    case DropReason::unsent_at_close:
      return "unsent_at_close";
    case DropReason::too_large:
      return "too_large";
  }
  return "unknown";
}

}  // namespace wavefront
