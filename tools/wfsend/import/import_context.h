// What the three importers (csv_import, jsonl_import, lines_import) share while they run: the sender,
// the problem log, the progress line, the counters, and where metric values go (points, delta
// counters, or the aggregator).
//
// Problems are printed as `FILE:LINE:COLUMN: code: message` on stderr, the same shape as `wfsend lint`,
// the first max_messages of them in full; the rest are counted and mentioned once at the end.
// `--max-errors N` stops the import after N problems. Library refusals (a name too long, a non-finite
// value) are problems too; drops (queue_full, closed, not_configured) are not: the summary counts
// them, and the first of each kind is mentioned once. A queue_full drop means the receiver took nothing
// for the whole --block-timeout: the import stops reading (stalled()) rather than wait that long again
// for every remaining row.
//
// Thread-safety: none; the importing thread owns the context and everything in it.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "wavefront/sender.h"
#include "wavefront/status.h"
#include "wfsend/import/interrupt.h"
#include "wfsend/import/progress.h"

namespace wfsend::import {

class Aggregator;

class ProblemLog {
 public:
  // max_messages 0: print every problem; max_errors 0: never stop early.
  ProblemLog(std::string file_name, std::FILE* out, std::uint64_t max_messages, std::uint64_t max_errors,
             Progress* progress);

  // line 0: a problem of the whole input (no position); column 0: of the whole line.
  void report(std::uint64_t line, std::uint64_t column, wavefront::ErrorCode code, std::string_view message);
  // A note that does not count as a problem (e.g. the first drop of a kind).
  void note(std::string_view message);
  // Prints how many messages were left out, if any.
  void finish();

  std::uint64_t problems() const noexcept { return problems_; }
  std::uint64_t suppressed() const noexcept { return suppressed_; }
  bool limit_reached() const noexcept { return max_errors_ != 0 && problems_ >= max_errors_; }
  std::uint64_t max_errors() const noexcept { return max_errors_; }

 private:
  void write(const std::string& text);

  std::string file_name_;
  std::FILE* out_;
  std::uint64_t max_messages_;
  std::uint64_t max_errors_;
  Progress* progress_;
  std::uint64_t problems_ = 0;
  std::uint64_t suppressed_ = 0;
};

struct ImportCounts {
  std::uint64_t rows = 0;                // records / lines / objects read (headers, blank lines not counted)
  std::uint64_t refused = 0;             // rows or cells refused by wfsend's own checks
  std::uint64_t invalid_by_library = 0;  // send calls the library refused
  std::uint64_t empty_values = 0;        // empty value cells skipped (CSV)
  std::uint64_t sends = 0;               // send calls made (points, spans, events, distributions)
  std::uint64_t aggregated_values = 0;   // values that went into distributions (--aggregate)
  bool input_failed = false;             // reading stopped on an error before the end
};

// How metric values are sent.
enum class ValueMode { point, delta_counter, aggregate };

class ImportContext {
 public:
  ImportContext(wavefront::Sender& sender, ProblemLog& problems, Progress& progress, ValueMode mode,
                Aggregator* aggregator);

  // Sends one metric value as the mode says (a point, a delta counter, or into the aggregator) and
  // counts the outcome; the caller report()s an outcome that is not ok, with the column it concerns.
  wavefront::Status send_value(std::string_view name, double value, wavefront::Timestamp timestamp,
                               std::string_view source, wavefront::TagList tags);
  // Counts the outcome of a send call made directly on sender(); returns it.
  wavefront::Status sent(wavefront::Status status);
  // Reports an outcome that is not ok: a refusal is a problem at line:column; a drop is noted once per
  // kind (the summary counts every drop).
  void report(const wavefront::Status& status, std::uint64_t line, std::uint64_t column);
  // A row or cell refused by wfsend's own checks.
  void refuse(std::uint64_t line, std::uint64_t column, wavefront::ErrorCode code, std::string_view message);
  // The input could not be read any further (a read error, corrupt gzip): reported; the importer stops.
  void input_failed(std::string_view message);

  // Whether to stop reading: Ctrl-C, --max-errors reached, or the destination stalled.
  bool should_stop() const noexcept { return stop_requested() || problems_.limit_reached() || stalled_; }
  // A send was dropped as queue_full: the queue stayed full for the whole --block-timeout, so the
  // receiver is not taking data. Reading stops there, since every further send would wait as long
  // and be dropped too; the exit code says data was not delivered.
  bool stalled() const noexcept { return stalled_; }
  void row_read() { progress_.row_read(++counts_.rows); }

  wavefront::Sender& sender() noexcept { return sender_; }
  ProblemLog& problems() noexcept { return problems_; }
  ImportCounts& counts() noexcept { return counts_; }
  ValueMode mode() const noexcept { return mode_; }

 private:
  wavefront::Sender& sender_;
  ProblemLog& problems_;
  Progress& progress_;
  ValueMode mode_;
  Aggregator* aggregator_;
  ImportCounts counts_;
  bool stalled_ = false;
  std::array<bool, 64> drop_noted_{};  // by ErrorCode
};

// Whether a send's Status is a refusal of the input (validation) rather than a drop.
bool is_refusal(wavefront::ErrorCode code) noexcept;

}  // namespace wfsend::import
