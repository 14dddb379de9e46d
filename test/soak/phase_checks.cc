// The invariants a soak phase must satisfy (check_phase in soak_phase.h). Each failed one becomes a line
// of the report naming the phase, the data type, the rule and the numbers.
//
// Per data type, with S = the sender's stats() after close() and L = the ledger:
//  - every valid call was accepted (S.accepted == L.valid_lines) and every invalid one counted invalid;
//  - the calls that returned ok are exactly the accepted lines minus those dropped at send (queue_full,
//    closed, not_configured); for spans with logs, whose one Status covers two lines, the not-ok calls lie
//    between the larger and the sum of the span and span-log drops at send;
//  - after close: nothing queued, accepted == delivered + dropped, dropped == the sum of its reasons, and
//    the identity held in every snapshot taken during the run;
//  - every received line parses strictly, carries an id of this phase, matches its id's kind and value;
//    no id arrives that was never sent, was refused, or (both halves of a not-ok span with logs);
//  - received unique <= lines that may have been queued;
//  - TCP: unique + possibly_lost >= delivered, and received (with duplicates) <= delivered + copies bound
//    (the sender's `resent`: when a connection breaks, the lines the proxy's TCP had not acknowledged are
//    written again, and those the receiver did read arrive twice (docs/design.md, "Duplicates"); with
//    gzip a broken batch is re-sent whole, so up to report_errors x batch_items more lines may arrive
//    twice or without being counted delivered);
//  - HTTP: possibly_lost == 0, unique >= delivered (2xx means the fake recorded it first), and received <=
//    delivered + the lines of the k largest 2xx-answered requests, k = 2xx answers the fake gave minus
//    those the client counted (an answer lost to a timeout, kill or hang is the only source of copies);
//  - close() returned within its timeout plus the slack; a clean phase's close() delivered everything.
#include <algorithm>
#include <functional>
#include <numeric>

#include "soak/soak_phase.h"

namespace wavefront::soak {
namespace {

std::uint64_t reason(const TypeStats& stats, DropReason why) {
  return stats.dropped_by_reason[static_cast<std::size_t>(why)];
}

std::uint64_t success_responses(const TypeStats& stats) {
  std::uint64_t total = 0;
  for (const auto& [code, count] : stats.responses) {
    if (code >= 200 && code < 300) total += count;
  }
  return total;
}

// The sum of the `count` largest entries.
std::uint64_t largest_sum(std::vector<std::uint32_t> values, std::size_t count) {
  count = std::min(count, values.size());
  std::partial_sort(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(count), values.end(),
                    std::greater<>());
  return std::accumulate(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(count),
                         std::uint64_t{0});
}

class Checker {
 public:
  explicit Checker(PhaseResult& result) : result_(result) {}
  void expect(bool holds, const std::string& where, const std::string& rule) {
    if (!holds) result_.failures.push_back(result_.spec.label + " " + where + ": " + rule);
  }
  void findings(const Findings& found, const std::string& what) {
    if (found.count == 0) return;
    std::string text = std::to_string(found.count) + " " + what;
    for (const std::string& example : found.examples) text += "\n      e.g. " + example;
    expect(false, "received", text);
  }

 private:
  PhaseResult& result_;
};

std::string numbers(std::initializer_list<std::pair<const char*, std::uint64_t>> values) {
  std::string text;
  for (const auto& [name, value] : values)
    text += std::string(text.empty() ? " (" : ", ") + name + " " + std::to_string(value);
  return text + ")";
}

}  // namespace

void check_phase(PhaseResult& result, const SoakOptions& options) {
  Checker check(result);
  if (!result.setup_error.empty()) {
    check.expect(false, "setup", result.setup_error);
    return;
  }
  const bool tcp = result.spec.transport == "tcp";
  const auto dropped_at_send = [](const TypeStats& stats) {
    return reason(stats, DropReason::queue_full) + reason(stats, DropReason::closed) +
           reason(stats, DropReason::not_configured);
  };
  for (std::size_t index = 0; index < kDataTypeCount; ++index) {
    const auto type = static_cast<DataType>(index);
    const std::string where(data_type_name(type));
    const TypeStats& stats = result.stats.types[index];
    const TypeTally& tally = result.ledger.types[index];
    std::uint64_t reasons = 0;
    for (std::uint64_t count : stats.dropped_by_reason) reasons += count;

    check.expect(stats.accepted == tally.valid_lines, where,
                 "accepted != lines of valid calls" +
                     numbers({{"accepted", stats.accepted}, {"valid", tally.valid_lines}}));
    check.expect(stats.invalid == tally.invalid_lines, where,
                 "invalid != lines of invalid calls" +
                     numbers({{"invalid", stats.invalid}, {"calls", tally.invalid_lines}}));
    check.expect(stats.queued == 0, where,
                 "lines still queued after close()" + numbers({{"queued", stats.queued}}));
    check.expect(stats.accepted == stats.delivered + stats.dropped, where,
                 "accepted != delivered + dropped after close()" + numbers({{"accepted", stats.accepted},
                                                                            {"delivered", stats.delivered},
                                                                            {"dropped", stats.dropped}}));
    check.expect(stats.dropped == reasons, where,
                 "dropped != sum of reasons" + numbers({{"dropped", stats.dropped}, {"reasons", reasons}}));
    check.expect(reason(stats, DropReason::closed) == 0 && reason(stats, DropReason::not_configured) == 0,
                 where,
                 "dropped as closed or not_configured, although producers stop before close() and every type "
                 "is routed");

    const std::uint64_t at_send = dropped_at_send(stats);
    if (type == DataType::span || type == DataType::span_log) {
      const TypeStats& spans = result.stats[DataType::span];
      const TypeStats& logs = result.stats[DataType::span_log];
      const std::uint64_t span_drops = dropped_at_send(spans);
      const std::uint64_t plain_refused =
          result.ledger.types[static_cast<std::size_t>(DataType::span)].refused_lines;
      const std::uint64_t logged_span_drops = span_drops >= plain_refused ? span_drops - plain_refused : 0;
      const std::uint64_t log_drops = dropped_at_send(logs);
      const std::uint64_t not_ok = tally.partial_calls;
      if (type == DataType::span) {
        check.expect(span_drops >= plain_refused, where,
                     "fewer drops at send than refused spans" +
                         numbers({{"drops", span_drops}, {"refused", plain_refused}}));
      }
      check.expect(
          not_ok >= std::max(logged_span_drops, log_drops) && not_ok <= logged_span_drops + log_drops, where,
          "not-ok spans with logs do not match the drops at send" +
              numbers({{"not_ok_calls", not_ok},
                       {"span_drops", logged_span_drops},
                       {"span_log_drops", log_drops}}));
    } else {
      check.expect(tally.ok_lines + at_send == stats.accepted && tally.refused_lines == at_send, where,
                   "ok calls + drops at send != accepted" + numbers({{"ok", tally.ok_lines},
                                                                     {"refused", tally.refused_lines},
                                                                     {"dropped_at_send", at_send},
                                                                     {"accepted", stats.accepted}}));
    }

    const std::uint64_t may_have_queued = tally.ok_lines + tally.partial_calls;
    check.expect(tally.received_unique <= may_have_queued, where,
                 "more unique lines received than could have been queued" +
                     numbers({{"received", tally.received_unique}, {"queued_at_most", may_have_queued}}));
    if (tcp) {
      result.copies_bound[index] =
          stats.resent + (options.tcp_gzip ? stats.report_errors * options.batch_items : 0);
      check.expect(tally.received_unique + stats.possibly_lost >= stats.delivered, where,
                   "delivered lines missing beyond possibly_lost" +
                       numbers({{"delivered", stats.delivered},
                                {"received_unique", tally.received_unique},
                                {"possibly_lost", stats.possibly_lost}}));
    } else {
      const std::int64_t lost =
          static_cast<std::int64_t>(result.receiver.accepted_request_lines[index].size()) -
          static_cast<std::int64_t>(success_responses(stats));
      result.lost_answers[index] = lost;
      result.copies_bound[index] = lost > 0 ? largest_sum(result.receiver.accepted_request_lines[index],
                                                          static_cast<std::size_t>(lost))
                                            : 0;
      check.expect(lost >= 0, where,
                   "the client counted more 2xx answers than the fake gave" +
                       numbers({{"client_2xx", success_responses(stats)}}));
      check.expect(stats.possibly_lost == 0, where,
                   "possibly_lost over HTTP" + numbers({{"possibly_lost", stats.possibly_lost}}));
      check.expect(tally.received_unique >= stats.delivered, where,
                   "delivered (2xx) lines missing at the receiver" +
                       numbers({{"delivered", stats.delivered}, {"received_unique", tally.received_unique}}));
    }
    check.expect(tally.received_total <= stats.delivered + result.copies_bound[index], where,
                 "more lines received than delivered plus the protocol's copies bound" +
                     numbers({{"received", tally.received_total},
                              {"delivered", stats.delivered},
                              {"bound", result.copies_bound[index]}}));
  }

  const LedgerSummary& ledger = result.ledger;
  check.findings(ledger.malformed, "lines the strict parser refused (torn or corrupt)");
  check.findings(ledger.foreign, "lines without an id of this phase");
  check.findings(ledger.mismatched, "lines whose kind or value does not match their id");
  check.findings(ledger.never_sent, "ids no call had");
  check.findings(ledger.refused_received, "ids of calls refused at send (dropped or invalid)");
  check.findings(ledger.both_halves, "span-with-logs calls that were not ok, with both lines received");
  check.findings(ledger.unexpected_codes, "send calls with a code the send path never returns");
  check.expect(result.broken_snapshots == 0, "stats()",
               std::to_string(result.broken_snapshots) + " of " + std::to_string(result.snapshots) +
                   " snapshots broke accepted == delivered + queued + dropped; first: " +
                   result.first_broken_snapshot);
  check.expect(result.receiver_problem.empty(), "receiver", result.receiver_problem);
  const double close_limit =
      static_cast<double>(result.close_timeout.count() + static_cast<std::int64_t>(options.close_slack_ms)) /
      1000;
  check.expect(result.close_seconds <= close_limit, "close()",
               "took " + std::to_string(result.close_seconds) + " s, more than timeout + slack (" +
                   std::to_string(close_limit) + " s)");
  if (result.spec.clean_close && result.quiet_at_close) {
    std::uint64_t unsent = 0;
    for (const TypeStats& stats : result.stats.types) unsent += reason(stats, DropReason::unsent_at_close);
    check.expect(result.close_status == "ok" && unsent == 0, "close()",
                 "with a healthy receiver it left lines undelivered" +
                     numbers({{"unsent_at_close", unsent}}) + ": " + result.close_status);
  }
}

}  // namespace wavefront::soak
