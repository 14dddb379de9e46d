// Re-sending wire-format lines through LineReader.
#include "wfsend/import/lines_import.h"

#include <algorithm>

#include "input/line_source.h"

namespace wfsend::import {

LinesImporter::LinesImporter(ImportContext& context, wavefront::LineReaderOptions options)
    : context_(context), reader_(std::move(options)) {}

void LinesImporter::run(input::ByteSource& source) {
  input::LineSource input(source, reader_.options().max_line_length + 1);
  std::string_view line;
  bool reading = true;
  while (reading && !context_.should_stop()) {
    switch (input.next(line)) {
      case input::LineSource::Result::line:
        import_line(line, input.line_number());
        break;
      case input::LineSource::Result::too_long:
        context_.row_read();
        context_.refuse(input.line_number(), 0, wavefront::ErrorCode::line_too_long,
                        "line is longer than " + std::to_string(reader_.options().max_line_length) +
                            " characters; skipped");
        break;
      case input::LineSource::Result::end:
        reading = false;
        break;
      case input::LineSource::Result::error:
        context_.input_failed(input.error());
        reading = false;
        break;
    }
  }
  finish();
}

void LinesImporter::import_line(std::string_view line, std::uint64_t line_number) {
  if (std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; }))
    return;
  context_.row_read();
  if (!pending_span_.empty() && wavefront::detect_line_kind(line) != wavefront::LineKind::span_logs) {
    send_pending_span();
  }
  if (wavefront::Status status = reader_.read(line); !status.ok()) {
    context_.refuse(line_number, reader_.error_column(), status.code(), status.message());
    return;
  }
  const wavefront::ParsedLine& parsed = reader_.parsed();
  if (!pending_span_.empty()) {  // this is a span-logs line
    const std::string ids = std::string(parsed.span.trace_id) + " " + std::string(parsed.span.span_id);
    if (ids == pending_ids_) {
      pending_span_.clear();  // the span-logs line sends the span again, with its logs
    } else {
      send_pending_span();
      reader_.read(line);  // read again: sending the held span replaced the parsed line
    }
  }
  if (parsed.kind == wavefront::LineKind::span && parsed.span.has_span_logs) {
    pending_span_.assign(line);
    pending_line_number_ = line_number;
    pending_ids_ = std::string(parsed.span.trace_id) + " " + std::string(parsed.span.span_id);
    return;
  }
  send_parsed(line_number);
}

void LinesImporter::send_parsed(std::uint64_t line_number) {
  const wavefront::ParsedLine& parsed = reader_.parsed();
  wavefront::Status status;
  if (context_.mode() == ValueMode::aggregate && parsed.kind == wavefront::LineKind::metric &&
      !parsed.delta) {
    status = context_.send_value(parsed.name, parsed.value, parsed.timestamp, parsed.source, parsed.tags);
  } else {
    status = context_.sent(reader_.send_to(context_.sender()));
  }
  context_.report(status, line_number, 1);
}

void LinesImporter::send_pending_span() {
  if (pending_span_.empty()) return;
  const std::string line = std::move(pending_span_);
  pending_span_.clear();
  if (reader_.read(line).ok()) send_parsed(pending_line_number_);
}

void LinesImporter::finish() { send_pending_span(); }

}  // namespace wfsend::import
