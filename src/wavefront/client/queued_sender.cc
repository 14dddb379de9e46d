// QueuedSender forwards every call to the shared SenderCore; see include/wavefront/queued_sender.h.
#include "wavefront/queued_sender.h"

#include <algorithm>

#include "wavefront/client/core_handle.h"
#include "wavefront/client/sender_core.h"
#include "wavefront/format.h"

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

Expected<Series> QueuedSender::series(std::string_view name, TagList tags, std::string_view source,
                                      SeriesKind kind) {
  // Format the point twice with values that differ in one digit: the text around that digit is the
  // series' formatted name, source and tags, validated exactly as a send would.
  const FormatOptions& options = core().format_options();
  const auto format = [&](std::string& out, double value) {
    return kind == SeriesKind::metric
               ? format_metric(out, name, value, std::nullopt, source, tags, options)
               : format_delta_counter(out, name, value, std::nullopt, source, tags, options);
  };
  std::string one;
  std::string two;
  if (Status status = format(one, 1); !status.ok()) return status;
  if (Status status = format(two, 2); !status.ok()) return status;
  const auto differ = std::mismatch(one.begin(), one.end(), two.begin(), two.end());
  const auto at = static_cast<std::size_t>(differ.first - one.begin());
  if (one.size() != two.size() || at >= one.size() ||
      one.compare(at + 1, std::string::npos, two, at + 1) != 0) {
    return Status(ErrorCode::invalid_argument, "could not pre-format the series " + std::string(name));
  }
  auto line = std::make_shared<SeriesLine>();
  line->text = one.erase(at, 1);
  line->value_at = at;
  line->kind = kind;
  return Series(this, std::move(line));
}

Status Series::send(double value, Timestamp timestamp) const {
  if (line_ == nullptr) return Status(ErrorCode::invalid_argument, "send on an empty Series handle");
  return sender_->core().send_series(*line_, value, timestamp);
}

std::string_view data_type_name(DataType type) noexcept {
  switch (type) {
    case DataType::metric:
      return "metric";
    case DataType::distribution:
      return "distribution";
    case DataType::span:
      return "span";
    case DataType::span_log:
      return "span_logs";
    case DataType::event:
      return "event";
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
