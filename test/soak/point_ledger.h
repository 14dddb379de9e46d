// The fault soak's ledger of numbered points: what each producer sent and what the receivers got.
//
// Every point the soak sends carries the tag (span tag, event annotation) "soak"="<phase>:<producer>:<seq>",
// so each received line names exactly one send call. The kind of point a call sends follows from its
// number (kind_of), so a line of the wrong kind, or with a value that does not match its number, is a
// corrupted line. Producers record how each call ended (one row per producer, written only by that
// producer's thread); the phase's control thread records every received line, after parsing it with the
// strict wire parser (a line it refuses is a torn or malformed line). summarize(), called once producers
// and receivers are done, compares the two per data type.
//
// Thread-safety: record_send(p, ...) from producer p's thread only; record_line() from one thread;
// summarize() and memory_bytes() only when neither runs any more.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/wire_parser.h"
#include "wavefront/sender.h"
#include "wavefront/status.h"

namespace wavefront::soak {

// What one send call sends. A span with logs makes two lines: a span line and a span-logs line.
enum class PointKind : std::uint8_t { metric, delta_counter, distribution, span, span_with_logs, event };
inline constexpr std::size_t kPointKindCount = 6;

PointKind kind_of(std::size_t producer, std::uint64_t seq);
const char* point_kind_name(PointKind kind);

// How a send call ended, from its Status.
enum class SendOutcome : std::uint8_t {
  none,        // no call with this number
  ok,          // accepted and queued (for a span with logs: both lines)
  refused,     // dropped at send: queue_full, closed or not_configured
  partial,     // span with logs, not ok: at least one of its two lines was dropped at send
  invalid,     // refused by validation
  unexpected,  // any other code: the send path promises none
};

SendOutcome outcome_of(PointKind kind, const Status& status);

// Per data type, what the ledger saw. Counts are wire lines.
struct TypeTally {
  std::uint64_t valid_lines = 0;    // lines of calls that passed validation (expected: accepted)
  std::uint64_t invalid_lines = 0;  // lines of calls refused by validation (expected: invalid)
  std::uint64_t ok_lines = 0;       // lines of calls that returned ok
  std::uint64_t refused_lines = 0;  // lines of calls that were certainly dropped at send
  std::uint64_t partial_calls = 0;  // span-with-logs calls not ok (span and span_log types)
  std::uint64_t received_unique = 0;
  std::uint64_t received_total = 0;  // including duplicates
  std::uint64_t duplicates() const { return received_total - received_unique; }
};

// A count with a few examples for the report.
struct Findings {
  std::uint64_t count = 0;
  std::vector<std::string> examples;
  void add(std::string example);
};

struct LedgerSummary {
  std::array<TypeTally, kDataTypeCount> types{};
  std::map<std::string, std::uint64_t> send_codes;  // error_code_name -> calls
  Findings malformed;                               // refused by the strict parser: torn or corrupt lines
  Findings foreign;           // no soak id, or the id of another phase or of no producer
  Findings mismatched;        // wrong kind or value for the id's number
  Findings never_sent;        // an id no call had
  Findings refused_received;  // a point dropped at send (or refused as invalid) arrived
  Findings both_halves;       // both lines of a span-with-logs call that was not ok arrived
  Findings unexpected_codes;  // send calls that returned a code the send path never returns
};

class PointLedger {
 public:
  PointLedger(std::string phase, std::size_t producers);

  const std::string& phase() const { return phase_; }
  std::size_t producers() const { return sent_.size(); }
  std::string id_text(std::size_t producer, std::uint64_t seq) const;

  // Calls are numbered 0, 1, 2, ... per producer, each recorded once, in order.
  void record_send(std::size_t producer, std::uint64_t seq, SendOutcome outcome, ErrorCode code);
  // One received line (without '\n'); `expected` when the receiver knows the kind (HTTP formats).
  void record_line(std::string_view line, std::optional<testing::LineKind> expected);

  LedgerSummary summarize() const;
  // Bytes held by the ledger's vectors (for the memory bound).
  std::size_t memory_bytes() const;

 private:
  struct SentRow {
    std::vector<SendOutcome> outcomes;
    std::map<ErrorCode, std::uint64_t> codes;
  };
  struct ReceivedRow {
    std::vector<std::uint8_t> lines;      // per seq: the point's main line (metric, span, ...), saturating
    std::vector<std::uint8_t> log_lines;  // per seq: the span-logs line of a span with logs
  };
  struct ParsedId {
    std::size_t producer = 0;
    std::uint64_t seq = 0;
  };
  std::optional<ParsedId> parse_id(std::string_view value) const;
  void count_received(const ParsedId& id, bool log_line);

  const std::string phase_;
  std::vector<SentRow> sent_;
  std::vector<ReceivedRow> received_;
  Findings malformed_;
  Findings foreign_;
  Findings mismatched_;
};

}  // namespace wavefront::soak
