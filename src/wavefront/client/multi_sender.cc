// MultiSender: every call fanned out to each endpoint; see include/wavefront/client_factory.h.
#include <algorithm>

#include "wavefront/client_factory.h"
#include "wavefront/line_reader.h"

namespace wavefront {

namespace {

// The endpoints' shared format settings (make_sender gives every endpoint the same ones).
FormatOptions options_of(const std::vector<MultiSender::Endpoint>& endpoints) {
  return endpoints.empty() ? default_format_options() : endpoints.front().sender->format_options();
}

Status event_line_as_json(std::string_view line, const FormatOptions& options, std::string& out) {
  LineReaderOptions reader_options;
  reader_options.format = options;
  LineReader reader(reader_options);
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (Status status = reader.read(line, LineKind::event); !status.ok()) return status;
  const ParsedLine& event = reader.parsed();
  Status status = format_event_json(out, event.name, event.start_ms, event.end_ms, event.source, event.tags,
                                    event.event_tags, options);
  if (status.ok()) out += '\n';
  return status;
}

}  // namespace

MultiSender::MultiSender(std::vector<Endpoint> endpoints)
    : Sender(options_of(endpoints), false), endpoints_(std::move(endpoints)) {}

MultiSender::~MultiSender() = default;  // each endpoint closes itself

template <class Call>
FlushResult MultiSender::each_until(std::chrono::milliseconds timeout, Call&& call) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  FlushResult combined;
  std::string failures;
  for (Endpoint& endpoint : endpoints_) {
    const auto left = std::max(
        std::chrono::milliseconds(0),
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    FlushResult result = call(*endpoint.sender, left);
    combined.items_left += result.items_left;
    if (result.ok()) continue;
    if (!failures.empty()) failures += "; ";
    failures += endpoint.name + ": " + result.status.message();
  }
  if (!failures.empty()) combined.status = Status(ErrorCode::timeout, failures);
  return combined;
}

// Hands each endpoint the lines formatted once here. Succeeds when every endpoint accepted them;
// otherwise the Status names each endpoint that did not, and why.
Status MultiSender::submit(const FormattedLines& lines) {
  Status first_failure;
  std::string failures;
  for (Endpoint& endpoint : endpoints_) {
    Status status;
    if (lines.type == DataType::event && !lines.lines.empty() && endpoint.sender->events_as_json()) {
      // Direct ingestion takes events as JSON: the @Event line formatted here, read back and written
      // as the JSON object (events are rare; the other data types go through as they are).
      std::string json;
      status = event_line_as_json(lines.lines, format_options(), json);
      status = submit_to(*endpoint.sender, status.ok() ? FormattedLines{lines.type, json, 1, Status()}
                                                       : FormattedLines{lines.type, {}, 0, status});
    } else {
      status = submit_to(*endpoint.sender, lines);
    }
    if (status.ok()) continue;
    if (!failures.empty()) failures += "; ";
    failures += endpoint.name + ": " + std::string(error_code_name(status.code())) + ": " + status.message();
    if (first_failure.ok()) first_failure = std::move(status);
  }
  if (first_failure.ok()) return first_failure;
  return Status(first_failure.code(), failures);
}

FlushResult MultiSender::flush(std::chrono::milliseconds timeout) {
  return each_until(timeout,
                    [](Sender& sender, std::chrono::milliseconds left) { return sender.flush(left); });
}

FlushResult MultiSender::close(std::chrono::milliseconds timeout) {
  return each_until(timeout,
                    [](Sender& sender, std::chrono::milliseconds left) { return sender.close(left); });
}

std::uint64_t MultiSender::failure_count() const {
  std::uint64_t failures = 0;
  for (const Endpoint& endpoint : endpoints_) failures += endpoint.sender->failure_count();
  return failures;
}

SenderStats MultiSender::stats() const {
  SenderStats total;
  for (const Endpoint& endpoint : endpoints_) {
    const SenderStats one = endpoint.sender->stats();
    total.connects += one.connects;
    for (std::size_t type = 0; type < kDataTypeCount; ++type) {
      TypeStats& sum = total.types[type];
      const TypeStats& part = one.types[type];
      sum.accepted += part.accepted;
      sum.invalid += part.invalid;
      sum.delivered += part.delivered;
      sum.queued += part.queued;
      sum.queued_bytes += part.queued_bytes;
      sum.dropped += part.dropped;
      for (std::size_t reason = 0; reason < kDropReasonCount; ++reason) {
        sum.dropped_by_reason[reason] += part.dropped_by_reason[reason];
      }
      sum.report_errors += part.report_errors;
      sum.possibly_lost += part.possibly_lost;
      sum.resent += part.resent;
      sum.capacity_items += part.capacity_items;
      sum.capacity_bytes += part.capacity_bytes;
      for (const auto& [code, count] : part.responses) sum.responses[code] += count;
    }
  }
  return total;
}

}  // namespace wavefront
