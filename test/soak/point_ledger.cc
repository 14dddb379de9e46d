// The soak's ledger of numbered points (see point_ledger.h): ids, send outcomes, received-line checks
// and the per-type comparison.
#include "soak/point_ledger.h"

#include <algorithm>
#include <charconv>

namespace wavefront::soak {
namespace {

using testing::KeyValues;
using testing::LineKind;

// Larger numbers are not counted in the received vectors (no soak sends that many points per producer).
constexpr std::uint64_t kMaxSeq = 64u << 20;
constexpr std::size_t kMaxExamples = 5;
constexpr std::size_t kMaxExampleBytes = 240;
constexpr std::string_view kDeltaPrefix = "\xE2\x88\x86";  // U+2206, the delta counter prefix

std::string shorten(std::string_view text) {
  if (text.size() <= kMaxExampleBytes) return std::string(text);
  return std::string(text.substr(0, kMaxExampleBytes)) + "...";
}

std::optional<std::string_view> find_tag(const KeyValues& tags, std::string_view key) {
  for (const auto& [tag_key, value] : tags) {
    if (tag_key == key) return std::string_view(value);
  }
  return std::nullopt;
}

std::size_t type_index(DataType type) { return static_cast<std::size_t>(type); }

DataType main_type(PointKind kind) {
  switch (kind) {
    case PointKind::metric:
    case PointKind::delta_counter:
      return DataType::metric;
    case PointKind::distribution:
      return DataType::distribution;
    case PointKind::span:
    case PointKind::span_with_logs:
      return DataType::span;
    case PointKind::event:
      return DataType::event;
  }
  return DataType::metric;
}

void add_received(TypeTally& tally, std::uint8_t count) {
  tally.received_unique += count > 0 ? 1 : 0;
  tally.received_total += count;
}

}  // namespace

PointKind kind_of(std::size_t producer, std::uint64_t seq) {
  return static_cast<PointKind>((seq + producer) % kPointKindCount);
}

const char* point_kind_name(PointKind kind) {
  switch (kind) {
    case PointKind::metric:
      return "metric";
    case PointKind::delta_counter:
      return "delta_counter";
    case PointKind::distribution:
      return "distribution";
    case PointKind::span:
      return "span";
    case PointKind::span_with_logs:
      return "span_with_logs";
    case PointKind::event:
      return "event";
  }
  return "?";
}

SendOutcome outcome_of(PointKind kind, const Status& status) {
  const ErrorCode code = status.code();
  if (code == ErrorCode::ok) return SendOutcome::ok;
  if (code == ErrorCode::queue_full || code == ErrorCode::closed || code == ErrorCode::not_configured) {
    return kind == PointKind::span_with_logs ? SendOutcome::partial : SendOutcome::refused;
  }
  if (code >= ErrorCode::invalid_name && code <= ErrorCode::invalid_id) return SendOutcome::invalid;
  return SendOutcome::unexpected;
}

void Findings::add(std::string example) {
  ++count;
  if (examples.size() < kMaxExamples) examples.push_back(shorten(example));
}

PointLedger::PointLedger(std::string phase, std::size_t producers)
    : phase_(std::move(phase)), sent_(producers), received_(producers) {}

std::string PointLedger::id_text(std::size_t producer, std::uint64_t seq) const {
  return phase_ + ":" + std::to_string(producer) + ":" + std::to_string(seq);
}

void PointLedger::record_send(std::size_t producer, std::uint64_t seq, SendOutcome outcome, ErrorCode code) {
  SentRow& row = sent_[producer];
  if (row.outcomes.size() <= seq) row.outcomes.resize(seq + 1, SendOutcome::none);
  row.outcomes[seq] = outcome;
  if (code != ErrorCode::ok) ++row.codes[code];
}

std::optional<PointLedger::ParsedId> PointLedger::parse_id(std::string_view value) const {
  const std::size_t first = value.find(':');
  const std::size_t second = first == std::string_view::npos ? first : value.find(':', first + 1);
  if (second == std::string_view::npos || value.substr(0, first) != phase_) return std::nullopt;
  ParsedId id;
  const std::string_view producer = value.substr(first + 1, second - first - 1);
  const std::string_view seq = value.substr(second + 1);
  const auto producer_end = producer.data() + producer.size();
  const auto seq_end = seq.data() + seq.size();
  const auto [producer_stop, producer_error] = std::from_chars(producer.data(), producer_end, id.producer);
  const auto [seq_stop, seq_error] = std::from_chars(seq.data(), seq_end, id.seq);
  if (producer_error != std::errc() || producer_stop != producer_end || producer.empty() ||
      seq_error != std::errc() || seq_stop != seq_end || seq.empty()) {
    return std::nullopt;
  }
  if (id.producer >= sent_.size() || id.seq >= kMaxSeq) return std::nullopt;
  return id;
}

void PointLedger::count_received(const ParsedId& id, bool log_line) {
  std::vector<std::uint8_t>& counts =
      log_line ? received_[id.producer].log_lines : received_[id.producer].lines;
  if (counts.size() <= id.seq) counts.resize(id.seq + 1, 0);
  if (counts[id.seq] < 255) ++counts[id.seq];
}

void PointLedger::record_line(std::string_view line, std::optional<LineKind> expected) {
  const auto parsed = testing::parse_wire_line(line, expected);
  if (!parsed.ok()) {
    malformed_.add(parsed.error() + ": " + std::string(line));
    return;
  }
  std::optional<std::string_view> id_value;
  bool log_line = false;
  // Which kinds of call may have written this line, and whether its number-derived content matches.
  bool kind_ok = false;
  std::optional<double> number;  // the value the line carries that was derived from the number
  std::optional<ParsedId> id;
  switch (parsed->kind) {
    case LineKind::metric: {
      const auto& metric = parsed->metric();
      id_value = find_tag(metric.tags, "soak");
      if (id_value) id = parse_id(*id_value);
      if (id) {
        const bool delta = metric.name.compare(0, kDeltaPrefix.size(), kDeltaPrefix) == 0;
        const PointKind kind = kind_of(id->producer, id->seq);
        kind_ok = delta ? kind == PointKind::delta_counter : kind == PointKind::metric;
        number = delta ? metric.value - 1 : metric.value;
      }
      break;
    }
    case LineKind::distribution: {
      const auto& distribution = parsed->distribution();
      id_value = find_tag(distribution.tags, "soak");
      if (id_value) id = parse_id(*id_value);
      if (id) kind_ok = kind_of(id->producer, id->seq) == PointKind::distribution;
      if (!distribution.centroids.empty()) number = distribution.centroids.front().mean;
      break;
    }
    case LineKind::span:
    case LineKind::span_logs: {
      log_line = parsed->kind == LineKind::span_logs;
      const auto& span = log_line ? parsed->span_logs().span : parsed->span();
      id_value = find_tag(span.tags, "soak");
      if (id_value) id = parse_id(*id_value);
      if (id) {
        const PointKind kind = kind_of(id->producer, id->seq);
        kind_ok = kind == PointKind::span_with_logs || (!log_line && kind == PointKind::span);
        number = static_cast<double>(span.duration_ms);
      }
      break;
    }
    case LineKind::event: {
      id_value = find_tag(parsed->event().annotations, "soak");
      if (id_value) id = parse_id(*id_value);
      if (id) kind_ok = kind_of(id->producer, id->seq) == PointKind::event;
      break;
    }
  }
  if (!id) {
    foreign_.add(std::string(line));
    return;
  }
  const bool span_line = parsed->kind == LineKind::span || parsed->kind == LineKind::span_logs;
  const double expected_number =
      span_line ? static_cast<double>(id->seq % 1000) : static_cast<double>(id->seq);
  if (!kind_ok || (number && *number != expected_number)) {
    mismatched_.add(std::string(line));
    return;
  }
  count_received(*id, log_line);
}

LedgerSummary PointLedger::summarize() const {
  LedgerSummary summary;
  summary.malformed = malformed_;
  summary.foreign = foreign_;
  summary.mismatched = mismatched_;
  for (std::size_t producer = 0; producer < sent_.size(); ++producer) {
    const SentRow& sent = sent_[producer];
    const ReceivedRow& received = received_[producer];
    for (const auto& [code, calls] : sent.codes)
      summary.send_codes[std::string(error_code_name(code))] += calls;
    const std::size_t last =
        std::max({sent.outcomes.size(), received.lines.size(), received.log_lines.size()});
    for (std::uint64_t seq = 0; seq < last; ++seq) {
      const SendOutcome outcome = seq < sent.outcomes.size() ? sent.outcomes[seq] : SendOutcome::none;
      const std::uint8_t lines = seq < received.lines.size() ? received.lines[seq] : 0;
      const std::uint8_t log_lines = seq < received.log_lines.size() ? received.log_lines[seq] : 0;
      const PointKind kind = kind_of(producer, seq);
      const bool with_logs = kind == PointKind::span_with_logs;
      TypeTally& main = summary.types[type_index(main_type(kind))];
      TypeTally& logs = summary.types[type_index(DataType::span_log)];
      switch (outcome) {
        case SendOutcome::none:
          break;
        case SendOutcome::ok:
        case SendOutcome::refused:
        case SendOutcome::partial: {
          main.valid_lines += 1;
          if (with_logs) logs.valid_lines += 1;
          if (outcome == SendOutcome::ok) {
            main.ok_lines += 1;
            if (with_logs) logs.ok_lines += 1;
          } else if (outcome == SendOutcome::refused) {
            main.refused_lines += 1;
          } else {
            main.partial_calls += 1;
            logs.partial_calls += 1;
          }
          break;
        }
        case SendOutcome::invalid:
          main.invalid_lines += 1;
          if (with_logs) logs.invalid_lines += 1;
          break;
        case SendOutcome::unexpected:
          summary.unexpected_codes.add(id_text(producer, seq));
          break;
      }
      add_received(main, lines);
      if (with_logs) add_received(logs, log_lines);
      if (lines == 0 && log_lines == 0) continue;
      const std::string id = id_text(producer, seq);
      if (outcome == SendOutcome::none) summary.never_sent.add(id);
      if (outcome == SendOutcome::refused || outcome == SendOutcome::invalid) {
        summary.refused_received.add(id + " (" + point_kind_name(kind) + ")");
      }
      if (outcome == SendOutcome::partial && lines > 0 && log_lines > 0) summary.both_halves.add(id);
    }
  }
  return summary;
}

std::size_t PointLedger::memory_bytes() const {
  std::size_t bytes = 0;
  for (const SentRow& row : sent_) bytes += row.outcomes.capacity();
  for (const ReceivedRow& row : received_) bytes += row.lines.capacity() + row.log_lines.capacity();
  return bytes;
}

}  // namespace wavefront::soak
