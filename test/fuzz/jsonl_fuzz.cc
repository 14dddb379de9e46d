// libFuzzer target: `wfsend import --format jsonl`, each line through the JSONL call mapping.
//
// Input: two parameter bytes, then the JSONL text. Byte 0 picks the chunk size the text is handed out
// in, byte 1 how metric values are sent (points, delta counters, aggregated distributions). Every call
// that reaches the sender is formatted by the library, and what it accepts must be lines the strict
// parser accepts as that kind (fuzz_sink.h). The importer's counters must agree with what reached the
// sender. Read again at once instead of in chunks, the text must give the same calls, lines and
// problem messages (lines and columns included).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_sink.h"
#include "import_outcome.h"
#include "input/byte_source.h"
#include "wfsend/import/aggregate.h"
#include "wfsend/import/import_context.h"
#include "wfsend/import/jsonl_import.h"
#include "wfsend/import/progress.h"

namespace {

using wfsend::import::ValueMode;

wavefront::fuzzing::ImportOutcome import_text(std::string_view text, std::size_t chunk, ValueMode mode) {
  wavefront::fuzzing::ProblemText problem_text;
  wavefront::fuzzing::ImportOutcome outcome;
  {
    wavefront::fuzzing::CheckingSink sink;
    wfsend::import::Progress progress(false, nullptr, nullptr);
    wfsend::import::ProblemLog problems("fuzz.jsonl", problem_text.stream(), 0, 0, &progress);
    std::uint64_t aggregated_refusals = 0;
    wfsend::import::AggregatorOptions aggregator_options;
    aggregator_options.max_open_digests = 8;  // reach the early sends
    wfsend::import::Aggregator aggregator(sink, aggregator_options,
                                          [&](const wavefront::Status&) { ++aggregated_refusals; });
    wfsend::import::ImportContext context(sink, problems, progress, mode, &aggregator);
    wfsend::import::JsonlImporter importer(context);
    wfsend::input::StringSource source{std::string(text), chunk};
    importer.run(source);
    aggregator.finish();
    // The aggregator sends distributions itself (bins it closes early, and at finish()).
    const std::uint64_t direct_calls = sink.calls - aggregator.distributions_sent();
    const std::uint64_t direct_refused = sink.refused - aggregated_refusals;
    const wfsend::import::ImportCounts& counts = context.counts();
    if (counts.input_failed) std::abort();  // a string cannot fail to be read
    // Every send the importer counts reached the sender, and its refusals are the sender's.
    if (counts.sends != direct_calls || counts.invalid_by_library != direct_refused) std::abort();
    // Values were validated when aggregated: every distribution the aggregator sends must be accepted
    // (corpus/jsonl/regression-aggregate-epoch-bin-zero).
    if (aggregated_refusals != 0) std::abort();
    if (mode != ValueMode::aggregate && aggregator.distributions_sent() != 0) std::abort();
    if (mode != ValueMode::aggregate && counts.aggregated_values != 0) std::abort();
    outcome.record(counts, sink);
  }
  outcome.problems = problem_text.take();
  return outcome;
}

bool same_counts(const wfsend::import::ImportCounts& a, const wfsend::import::ImportCounts& b) {
  return a.rows == b.rows && a.refused == b.refused && a.invalid_by_library == b.invalid_by_library &&
         a.sends == b.sends && a.aggregated_values == b.aggregated_values;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size < 2) return 0;
  const std::string_view text(reinterpret_cast<const char*>(bytes) + 2, size - 2);
  const std::size_t chunk = bytes[0] < 240 ? 1 + bytes[0] % 64 : std::size_t{1} << (bytes[0] - 236);
  const auto mode = static_cast<ValueMode>(bytes[1] % 3);
  const wavefront::fuzzing::ImportOutcome chunked = import_text(text, chunk, mode);
  const wavefront::fuzzing::ImportOutcome whole = import_text(text, std::size_t{1} << 20, mode);
  if (!same_counts(chunked.counts, whole.counts)) std::abort();
  // Rows without a timestamp are aggregated into the current minute, which may change between runs.
  if (mode != ValueMode::aggregate && !chunked.same_output(whole)) std::abort();
  return 0;
}
