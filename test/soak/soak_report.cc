// Writing the fault soak's report as text and JSON (see soak_report.h).
#include "soak/soak_report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <sstream>

namespace wavefront::soak {
namespace {

constexpr double kMebibyte = 1024.0 * 1024.0;

std::string mib(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / kMebibyte);
  return text;
}

std::string reasons_text(const TypeStats& stats) {
  std::string text;
  for (std::size_t index = 0; index < kDropReasonCount; ++index) {
    if (stats.dropped_by_reason[index] == 0) continue;
    text += (text.empty() ? "" : " ") + std::string(drop_reason_name(static_cast<DropReason>(index))) + "=" +
            std::to_string(stats.dropped_by_reason[index]);
  }
  return text.empty() ? "-" : text;
}

std::string statuses_text(const std::map<int, std::uint64_t>& statuses) {
  std::string text;
  for (const auto& [status, count] : statuses) {
    text += (text.empty() ? "" : ", ") + (status == 0 ? std::string("reset") : std::to_string(status)) +
            " x" + std::to_string(count);
  }
  return text.empty() ? "none" : text;
}

std::string row(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string row(const char* format, ...) {
  char text[512];
  va_list arguments;
  va_start(arguments, format);
  std::vsnprintf(text, sizeof text, format, arguments);
  va_end(arguments);
  return text;
}

unsigned long long ull(std::uint64_t value) { return static_cast<unsigned long long>(value); }

}  // namespace

std::string phase_report(const PhaseResult& result) {
  std::ostringstream out;
  const PhaseSpec& spec = result.spec;
  const bool tcp = spec.transport == "tcp";
  out << "== " << spec.label << ": " << (tcp ? "ProxyClient (raw TCP)" : "HttpClient (proxy HTTP)")
      << ", overflow " << (spec.policy == OverflowPolicy::drop ? "drop" : "block") << " ==\n";
  if (!result.setup_error.empty()) {
    out << "  could not start: " << result.setup_error << "\n";
    return out.str();
  }
  out << row("  %.1f s, %llu send calls; receiver at close: %s%s\n", result.seconds, ull(result.calls),
             result.receiver_at_close.c_str(),
             spec.clean_close && !result.quiet_at_close ? " (scripted faults still pending)" : "");
  std::string faults;
  for (const auto& [name, count] : result.receiver.faults)
    faults += (faults.empty() ? "" : ", ") + name + " x" + std::to_string(count);
  out << "  faults: " << (faults.empty() ? "none" : faults) << "\n";
  const ReceiverTotals& receiver = result.receiver;
  out << row("  receiver: %llu kills, %llu replaced by a fresh fake, %llu connections", ull(receiver.kills),
             ull(receiver.replacements), ull(receiver.connections));
  if (tcp) {
    out << row(", %llu unterminated fragments discarded, %llu gzip decode errors\n",
               ull(receiver.discarded_fragments), ull(receiver.decode_errors));
  } else {
    out << row(
        ", %llu requests unsettled at harvest, %llu connections not followed by the relay\n  answers: %s\n",
        ull(receiver.unsettled_requests), ull(receiver.unparsed_connections),
        statuses_text(receiver.statuses).c_str());
  }
  out << row("  close(%lld ms) returned after %.3f s: %s (%llu lines left)\n",
             static_cast<long long>(result.close_timeout.count()), result.close_seconds,
             result.close_status.c_str(), ull(result.close_items_left));
  out << row("  %-11s %8s %7s %9s %9s %8s %8s %8s %5s %6s %9s  %s\n", "type", "calls", "invalid", "accepted",
             "delivered", "dropped", "p.lost", "received", "dups", "bound", tcp ? "failed-try" : "lost-2xx",
             "dropped by reason");
  for (std::size_t index = 0; index < kDataTypeCount; ++index) {
    const TypeStats& stats = result.stats.types[index];
    const TypeTally& tally = result.ledger.types[index];
    const std::string extra =
        tcp ? std::to_string(stats.report_errors) : std::to_string(result.lost_answers[index]);
    out << row("  %-11s %8llu %7llu %9llu %9llu %8llu %8llu %8llu %5llu %6llu %9s  %s\n",
               std::string(data_type_name(static_cast<DataType>(index))).c_str(),
               ull(tally.valid_lines + tally.invalid_lines), ull(stats.invalid), ull(stats.accepted),
               ull(stats.delivered), ull(stats.dropped), ull(stats.possibly_lost), ull(tally.received_unique),
               ull(tally.duplicates()), ull(result.copies_bound[index]), extra.c_str(),
               reasons_text(stats).c_str());
  }
  out << row("  stats() snapshots during the run: %llu, identity broken in %llu\n", ull(result.snapshots),
             ull(result.broken_snapshots));
  if (result.failures.empty()) {
    out << "  invariants: all held\n";
  } else {
    out << "  INVARIANTS VIOLATED:\n";
    for (const std::string& failure : result.failures) out << "    - " << failure << "\n";
  }
  return out.str();
}

std::string memory_report(const MemoryCheck& memory) {
  std::ostringstream out;
  out << "== memory (VmRSS, " << memory.samples << " samples every 100 ms) ==\n";
  out << "  baseline " << mib(memory.baseline_bytes) << ", peak " << mib(memory.peak_bytes)
      << row(" at +%.1f s", memory.peak_seconds) << ", bound " << mib(memory.bound_bytes)
      << " = baseline + fixed " << mib(memory.fixed_bytes);
  for (const auto& [name, bytes] : memory.components) out << " + " << name << " " << mib(bytes);
  if (!memory.scaling.empty()) out << " (" << memory.scaling << ")";
  if (memory.heap_at_start_bytes > 0) {  // malloc's statistics; not kept by a sanitizer's allocator
    out << "\n  heap in use before the phases " << mib(memory.heap_at_start_bytes) << ", after them "
        << mib(memory.heap_at_end_bytes) << " (senders, fakes and ledgers all destroyed)";
  }
  out << "\n  timeline:";
  const std::size_t step = std::max<std::size_t>(1, memory.timeline.size() / 12);
  for (std::size_t index = 0; index < memory.timeline.size(); index += step) {
    const RssMonitor::Sample& sample = memory.timeline[index];
    out << row(" +%.0fs %.0f/%.0f", sample.seconds, static_cast<double>(sample.bytes) / kMebibyte,
               static_cast<double>(sample.heap_bytes) / kMebibyte);
  }
  out << " (MiB resident/heap in use)\n  "
      << (memory.passed ? "peak within the bound" : "PEAK ABOVE THE BOUND") << "\n";
  return out.str();
}

std::string json_report(const SoakOptions& options, const std::vector<PhaseResult>& phases,
                        const MemoryCheck& memory, bool passed) {
  using nlohmann::json;
  json report = {{"seed", options.seed},
                 {"replay", replay_command(options)},
                 {"passed", passed},
                 {"memory",
                  {{"baseline_bytes", memory.baseline_bytes},
                   {"heap_at_start_bytes", memory.heap_at_start_bytes},
                   {"heap_at_end_bytes", memory.heap_at_end_bytes},
                   {"peak_bytes", memory.peak_bytes},
                   {"peak_seconds", memory.peak_seconds},
                   {"bound_bytes", memory.bound_bytes},
                   {"scaling", memory.scaling},
                   {"passed", memory.passed}}}};
  for (const PhaseResult& result : phases) {
    json phase = {{"label", result.spec.label},
                  {"transport", result.spec.transport},
                  {"overflow_policy", result.spec.policy == OverflowPolicy::drop ? "drop" : "block"},
                  {"seconds", result.seconds},
                  {"calls", result.calls},
                  {"receiver_at_close", result.receiver_at_close},
                  {"close_seconds", result.close_seconds},
                  {"close_timeout_ms", result.close_timeout.count()},
                  {"close_status", result.close_status},
                  {"faults", result.receiver.faults},
                  {"kills", result.receiver.kills},
                  {"connections", result.receiver.connections},
                  {"failures", result.failures}};
    for (std::size_t index = 0; index < kDataTypeCount; ++index) {
      const TypeStats& stats = result.stats.types[index];
      const TypeTally& tally = result.ledger.types[index];
      json reasons = json::object();
      for (std::size_t why = 0; why < kDropReasonCount; ++why) {
        reasons[std::string(drop_reason_name(static_cast<DropReason>(why)))] = stats.dropped_by_reason[why];
      }
      phase["types"][std::string(data_type_name(static_cast<DataType>(index)))] = {
          {"calls", tally.valid_lines + tally.invalid_lines},
          {"invalid", stats.invalid},
          {"accepted", stats.accepted},
          {"delivered", stats.delivered},
          {"dropped", stats.dropped},
          {"dropped_by_reason", reasons},
          {"queued", stats.queued},
          {"possibly_lost", stats.possibly_lost},
          {"report_errors", stats.report_errors},
          {"received_unique", tally.received_unique},
          {"duplicates", tally.duplicates()},
          {"copies_bound", result.copies_bound[index]},
          {"lost_2xx_answers", result.lost_answers[index]}};
    }
    report["phases"].push_back(phase);
  }
  return report.dump(2);
}

}  // namespace wavefront::soak
