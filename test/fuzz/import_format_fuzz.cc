// libFuzzer targets: one per text metric format of `wfsend import` (prometheus_fuzz, influx_fuzz,
// graphite_fuzz, opentsdb_fuzz), built from this file with IMPORT_FORMAT set to the format's name.
//
// Input: one parameter byte (the chunk size the text is handed out in), then the text. The format is
// taken from the registry as `wfsend import --format NAME` takes it. Every call that reaches the sender
// is formatted by the library, and what it accepts must be lines the strict parser accepts
// (fuzz_sink.h); the importer's counters must agree with the sender. Read again at once instead of in
// chunks, the text must give the same calls, lines, counters and problem messages (lines and columns).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_sink.h"
#include "import_outcome.h"
#include "input/byte_source.h"
#include "wfsend/import/import_context.h"
#include "wfsend/import/importer.h"
#include "wfsend/import/progress.h"

#ifndef IMPORT_FORMAT
#error "IMPORT_FORMAT must name the format"
#endif

namespace {

std::unique_ptr<wfsend::import::Importer> make_importer() {
  for (auto& format : wfsend::import::make_import_formats()) {
    if (format->name() == IMPORT_FORMAT) {
      std::string problem;
      auto importer = format->make_importer("-", problem);
      if (importer == nullptr) std::abort();
      return importer;
    }
  }
  std::abort();
}

wavefront::fuzzing::ImportOutcome import_text(std::string_view text, std::size_t chunk) {
  wavefront::fuzzing::ProblemText problem_text;
  wavefront::fuzzing::ImportOutcome outcome;
  {
    wavefront::fuzzing::CheckingSink sink;
    wfsend::import::Progress progress(false, nullptr, nullptr);
    wfsend::import::ProblemLog problems("fuzz", problem_text.stream(), 0, 0, &progress);
    wfsend::import::ImportContext context(sink, problems, progress, wfsend::import::ValueMode::point,
                                          nullptr);
    wfsend::input::StringSource source{std::string(text), chunk};
    auto importer = make_importer();
    if (!importer->start(source).ok()) std::abort();
    importer->run(context);
    const wfsend::import::ImportCounts& counts = context.counts();
    if (counts.input_failed) std::abort();  // a string cannot fail to be read
    if (counts.sends != sink.calls || counts.invalid_by_library != sink.refused) std::abort();
    outcome.record(counts, sink);
  }
  outcome.problems = problem_text.take();
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view text(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  const std::size_t chunk = 1 + bytes[0] % 64;
  const wavefront::fuzzing::ImportOutcome chunked = import_text(text, chunk);
  const wavefront::fuzzing::ImportOutcome whole = import_text(text, std::size_t{1} << 20);
  const auto& a = chunked.counts;
  const auto& b = whole.counts;
  if (a.rows != b.rows || a.refused != b.refused || a.invalid_by_library != b.invalid_by_library ||
      a.sends != b.sends || a.empty_values != b.empty_values) {
    std::abort();
  }
  if (!chunked.same_output(whole)) std::abort();
  return 0;
}
