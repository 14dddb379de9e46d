// Writing the import summary as text or JSON.
#include "wfsend/import/summary.h"

#include <cinttypes>
#include <cstdio>

#include "wfsend/destination.h"
#include "wfsend/import/progress.h"

namespace wfsend::import {
namespace {

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char byte : text) {
    const auto code = static_cast<unsigned char>(byte);
    if (byte == '"' || byte == '\\') {
      out += '\\';
      out += byte;
    } else if (code < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", code);
      out += escaped;
    } else {
      out += byte;
    }
  }
  return out + "\"";
}

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

double rows_per_second(const ImportSummary& summary) {
  return summary.elapsed_seconds > 0 ? static_cast<double>(summary.counts.rows) / summary.elapsed_seconds : 0;
}

std::array<std::uint64_t, wavefront::kDropReasonCount> drops_by_reason(const wavefront::SenderStats& stats) {
  std::array<std::uint64_t, wavefront::kDropReasonCount> drops{};
  for (const wavefront::TypeStats& type : stats.types) {
    for (std::size_t reason = 0; reason < drops.size(); ++reason)
      drops[reason] += type.dropped_by_reason[reason];
  }
  return drops;
}

std::uint64_t possibly_lost(const wavefront::SenderStats& stats) {
  std::uint64_t total = 0;
  for (const wavefront::TypeStats& type : stats.types) total += type.possibly_lost;
  return total;
}

}  // namespace

std::string render_text(const ImportSummary& summary) {
  const Totals totals = totals_of(summary.stats);
  std::string text =
      "wfsend import: " + summary.file + " (" + summary.format + ") to " + summary.destination + "\n";
  text += "  " + format_count(summary.counts.rows) + " rows in " + fixed(summary.elapsed_seconds, 2) +
          " s (" + format_count(static_cast<std::uint64_t>(rows_per_second(summary))) + " rows/s), " +
          format_bytes(summary.file_bytes) + " read";
  if (summary.compressed) text += " (" + format_bytes(summary.input_bytes) + " after gunzip)";
  text += "\n";
  if (summary.counts.aggregated_values > 0 || summary.distributions > 0) {
    text += "  " + format_count(summary.counts.aggregated_values) + " values aggregated into " +
            format_count(summary.distributions) + " distributions\n";
  }
  text += "  " + format_count(totals.accepted) + " sent: " + format_count(totals.delivered) + " delivered, " +
          format_count(totals.dropped) + " dropped";
  if (totals.dropped > 0) {
    const auto drops = drops_by_reason(summary.stats);
    std::string reasons;
    for (std::size_t reason = 0; reason < drops.size(); ++reason) {
      if (drops[reason] == 0) continue;
      if (!reasons.empty()) reasons += ", ";
      reasons += std::string(wavefront::drop_reason_name(static_cast<wavefront::DropReason>(reason))) + " " +
                 format_count(drops[reason]);
    }
    text += " (" + reasons + ")";
  }
  if (totals.queued > 0) text += ", " + format_count(totals.queued) + " still queued";
  text += "\n";
  text += "  " + format_count(summary.counts.refused + totals.invalid) + " invalid (" +
          format_count(summary.counts.refused) + " refused by wfsend, " + format_count(totals.invalid) +
          " by the library)";
  if (summary.counts.empty_values > 0) {
    text += ", " + format_count(summary.counts.empty_values) + " empty values skipped";
  }
  text += "\n";
  if (const std::uint64_t lost = possibly_lost(summary.stats); lost > 0) {
    text += "  " + format_count(lost) +
            " delivered lines were written to a connection that then broke "
            "(possibly lost)\n";
  }
  if (summary.interrupted) text += "  interrupted: the rest of the input was not read\n";
  if (summary.stopped_at_max_errors) text += "  stopped early: --max-errors reached\n";
  if (summary.stalled) {
    text += "  stopped early: the destination took nothing for --block-timeout, so the rest was not read";
    if (summary.distributions_unsent > 0) {
      text += " (" + format_count(summary.distributions_unsent) + " distributions not sent)";
    }
    text += "\n";
  }
  if (summary.counts.input_failed) text += "  the input could not be read to its end\n";
  return text;
}

std::string render_json(const ImportSummary& summary) {
  const Totals totals = totals_of(summary.stats);
  auto number = [](std::uint64_t value) { return std::to_string(value); };
  auto boolean = [](bool value) { return std::string(value ? "true" : "false"); };
  std::string json =
      "{\"file\":" + json_string(summary.file) + ",\"format\":" + json_string(summary.format) +
      ",\"destination\":" + json_string(summary.destination) + ",\"rows\":" + number(summary.counts.rows) +
      ",\"bytes_read\":" + number(summary.file_bytes) +
      ",\"bytes_after_gunzip\":" + number(summary.input_bytes) +
      ",\"elapsed_seconds\":" + fixed(summary.elapsed_seconds, 3) +
      ",\"rows_per_second\":" + fixed(rows_per_second(summary), 0) +
      ",\"accepted\":" + number(totals.accepted) + ",\"delivered\":" + number(totals.delivered) +
      ",\"dropped\":" + number(totals.dropped) + ",\"queued\":" + number(totals.queued) +
      ",\"possibly_lost\":" + number(possibly_lost(summary.stats)) +
      ",\"invalid\":" + number(summary.counts.refused + totals.invalid) +
      ",\"refused_by_wfsend\":" + number(summary.counts.refused) +
      ",\"invalid_by_library\":" + number(totals.invalid) +
      ",\"empty_values\":" + number(summary.counts.empty_values) +
      ",\"aggregated_values\":" + number(summary.counts.aggregated_values) +
      ",\"distributions\":" + number(summary.distributions) + ",\"problems\":" + number(summary.problems) +
      ",\"dropped_by_reason\":{";
  const auto drops = drops_by_reason(summary.stats);
  for (std::size_t reason = 0; reason < drops.size(); ++reason) {
    if (reason > 0) json += ",";
    json += json_string(wavefront::drop_reason_name(static_cast<wavefront::DropReason>(reason))) + ":" +
            number(drops[reason]);
  }
  json += "},\"by_type\":{";
  for (std::size_t type = 0; type < wavefront::kDataTypeCount; ++type) {
    const wavefront::TypeStats& stats = summary.stats.types[type];
    if (type > 0) json += ",";
    json += json_string(wavefront::data_type_name(static_cast<wavefront::DataType>(type))) +
            ":{\"accepted\":" + number(stats.accepted) + ",\"delivered\":" + number(stats.delivered) +
            ",\"invalid\":" + number(stats.invalid) + ",\"dropped\":" + number(stats.dropped) +
            ",\"queued\":" + number(stats.queued) + "}";
  }
  json += "},\"interrupted\":" + boolean(summary.interrupted) +
          ",\"stopped_at_max_errors\":" + boolean(summary.stopped_at_max_errors) +
          ",\"stalled\":" + boolean(summary.stalled) +
          ",\"distributions_unsent\":" + number(summary.distributions_unsent) +
          ",\"input_failed\":" + boolean(summary.counts.input_failed) +
          ",\"exit_code\":" + std::to_string(summary.exit_code) + "}\n";
  return json;
}

}  // namespace wfsend::import
