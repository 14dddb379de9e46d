// The problem log and the shared send path of the importers.
#include "wfsend/import/import_context.h"

#include "wfsend/import/aggregate.h"

namespace wfsend::import {

using wavefront::ErrorCode;

ProblemLog::ProblemLog(std::string file_name, std::FILE* out, std::uint64_t max_messages,
                       std::uint64_t max_errors, Progress* progress)
    : file_name_(std::move(file_name)),
      out_(out),
      max_messages_(max_messages),
      max_errors_(max_errors),
      progress_(progress) {}

void ProblemLog::write(const std::string& text) {
  if (progress_ != nullptr) progress_->clear();
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

void ProblemLog::report(std::uint64_t line, std::uint64_t column, ErrorCode code, std::string_view message) {
  ++problems_;
  if (max_messages_ != 0 && problems_ > max_messages_) {
    ++suppressed_;
    return;
  }
  std::string text = file_name_;
  if (line > 0) {
    text += ':' + std::to_string(line);
    if (column > 0) text += ':' + std::to_string(column);
  }
  text += ": ";
  text += wavefront::error_code_name(code);
  text += ": ";
  text += message;
  text += '\n';
  write(text);
}

void ProblemLog::note(std::string_view message) {
  std::string text = file_name_ + ": ";
  text += message;
  text += '\n';
  write(text);
}

void ProblemLog::finish() {
  if (suppressed_ == 0) return;
  note("... and " + std::to_string(suppressed_) + " more problems not shown (--max-messages " +
       std::to_string(max_messages_) + ")");
}

bool is_refusal(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::ok:
    case ErrorCode::queue_full:
    case ErrorCode::closed:
    case ErrorCode::not_configured:
    case ErrorCode::timeout:
    case ErrorCode::io_error:
      return false;
    default:
      return true;
  }
}

ImportContext::ImportContext(wavefront::Sender& sender, ProblemLog& problems, Progress& progress,
                             ValueMode mode, Aggregator* aggregator)
    : sender_(sender), problems_(problems), progress_(progress), mode_(mode), aggregator_(aggregator) {}

wavefront::Status ImportContext::send_value(std::string_view name, double value,
                                            wavefront::Timestamp timestamp, std::string_view source,
                                            wavefront::TagList tags) {
  switch (mode_) {
    case ValueMode::point:
      return sent(sender_.send_metric(name, value, timestamp, source, tags));
    case ValueMode::delta_counter:
      return sent(sender_.send_delta_counter(name, value, timestamp, source, tags));
    case ValueMode::aggregate:
      break;
  }
  wavefront::Status status = aggregator_->add(name, value, timestamp, source, tags);
  if (status.ok()) {
    ++counts_.aggregated_values;
  } else {
    ++counts_.refused;  // never reached the sender, so its counters do not have it
  }
  return status;
}

wavefront::Status ImportContext::sent(wavefront::Status status) {
  ++counts_.sends;
  if (!status.ok()) {
    if (is_refusal(status.code())) ++counts_.invalid_by_library;
    if (status.code() == ErrorCode::queue_full) stalled_ = true;
  }
  return status;
}

void ImportContext::report(const wavefront::Status& status, std::uint64_t line, std::uint64_t column) {
  if (status.ok()) return;
  if (is_refusal(status.code())) {
    problems_.report(line, column, status.code(), status.message());
    return;
  }
  const auto code_index = static_cast<std::size_t>(status.code());
  if (code_index < drop_noted_.size() && !drop_noted_[code_index]) {
    drop_noted_[code_index] = true;
    problems_.note("line " + std::to_string(line) + ": " + status.to_string() +
                   " (dropped; further drops are only counted in the summary)");
  }
}

void ImportContext::refuse(std::uint64_t line, std::uint64_t column, ErrorCode code,
                           std::string_view message) {
  ++counts_.refused;
  problems_.report(line, column, code, message);
}

void ImportContext::input_failed(std::string_view message) {
  counts_.input_failed = true;
  problems_.report(0, 0, ErrorCode::io_error, message);
}

}  // namespace wfsend::import
