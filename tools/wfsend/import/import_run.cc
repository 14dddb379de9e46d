// The body of `wfsend import`: options to objects, the import, the close, the summary, the exit code.
#include "wfsend/import/import_run.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>

#include "input/byte_source.h"
#include "wfsend/commands.h"
#include "wfsend/import/aggregate.h"
#include "wfsend/import/import_context.h"
#include "wfsend/import/interrupt.h"
#include "wfsend/import/progress.h"
#include "wfsend/import/summary.h"

namespace wfsend::import {
namespace {

int usage_error(const std::string& message) {
  std::fprintf(stderr, "wfsend import: %s\n", message.c_str());
  return kExitUsage;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The format the file name implies (null when it implies none).
ImportFormat* format_from_name(std::string_view path, ImportFormats& formats) {
  if (ends_with(path, ".gz")) path.remove_suffix(3);
  for (const std::unique_ptr<ImportFormat>& format : formats) {
    for (const std::string& extension : format->extensions()) {
      if (ends_with(path, extension)) return format.get();
    }
  }
  return nullptr;
}

ImportFormat* format_named(const std::string& name, ImportFormats& formats) {
  for (const std::unique_ptr<ImportFormat>& format : formats) {
    if (format->name() == name) return format.get();
  }
  return nullptr;
}

// "csv, lines or jsonl; other formats: a, b, c": the first three registered (Wavefront's own data and
// the tabular format) as the message always named them, then the rest.
std::string format_names(const ImportFormats& formats) {
  std::string names;
  const std::size_t first = std::min<std::size_t>(3, formats.size());
  for (std::size_t index = 0; index < first; ++index) {
    if (index > 0) names += index + 1 == first ? " or " : ", ";
    names += formats[index]->name();
  }
  for (std::size_t index = first; index < formats.size(); ++index) {
    names += index == first ? "; other formats: " : ", ";
    names += formats[index]->name();
  }
  return names;
}

std::optional<wavefront::Granularity> granularity_of(const std::string& name) {
  if (name == "minute") return wavefront::Granularity::minute;
  if (name == "hour") return wavefront::Granularity::hour;
  if (name == "day") return wavefront::Granularity::day;
  return std::nullopt;
}

}  // namespace

int run_import(const ImportCommandOptions& options, ImportFormats& formats) {
  // 1. Options: the format, then its own options.
  ImportFormat* format = options.format.empty() ? format_from_name(options.path, formats)
                                                : format_named(options.format, formats);
  if (format == nullptr) {
    if (!options.format.empty()) return usage_error("unknown --format " + options.format);
    return usage_error("cannot tell the format of " +
                       (options.path == "-" ? std::string("stdin") : options.path) +
                       " from its name: give --format " + format_names(formats));
  }
  for (const std::unique_ptr<ImportFormat>& other : formats) {
    if (other.get() == format) continue;
    if (const std::string option = other->given_option(); !option.empty()) {
      return usage_error(option + " applies to --format " + other->name() + " only");
    }
  }
  std::string problem;
  std::unique_ptr<Importer> importer = format->make_importer(options.path, problem);
  if (importer == nullptr) return usage_error(problem);
  ValueMode mode = format->value_mode();
  const std::optional<wavefront::Granularity> granularity = granularity_of(options.aggregate);
  if (granularity && mode == ValueMode::delta_counter) {
    return usage_error("--delta and --aggregate exclude each other");
  }

  // 2. Input, and what the importer must know before sending (CSV: the header and the column plan).
  wavefront::Expected<std::unique_ptr<input::InputFile>> opened =
      input::InputFile::open(options.path, stop_requested);
  if (!opened) return usage_error(opened.status().message());
  input::InputFile& input = **opened;
  if (wavefront::Status status = importer->start(input); !status.ok()) {
    return usage_error(input.display_name() + ": " + status.message());
  }

  // 3. Destination (a bad URL is a usage error).
  wavefront::Expected<Destination> destination = open_destination(options.destination);
  if (!destination) return usage_error(destination.status().message());
  wavefront::Sender& sender = *destination->sender;
  // The bar goes to a terminal's stderr, unless the wire lines are being printed on the same terminal.
  const bool show_progress = !options.quiet && !options.json && isatty(STDERR_FILENO) == 1 &&
                             !(destination->to_stdout && isatty(STDOUT_FILENO) == 1);
  Progress progress(show_progress, stderr, &input);
  ProblemLog problems(input.display_name(), stderr, options.max_messages, options.max_errors, &progress);

  std::unique_ptr<Aggregator> aggregator;
  ImportContext* context_for_aggregator = nullptr;
  if (granularity) {
    AggregatorOptions aggregator_options;
    aggregator_options.granularity = *granularity;
    aggregator = std::make_unique<Aggregator>(sender, aggregator_options,
                                              [&context_for_aggregator](const wavefront::Status& status) {
                                                context_for_aggregator->report(status, 0, 0);
                                              });
    mode = ValueMode::aggregate;
  }
  ImportContext context(sender, problems, progress, mode, aggregator.get());
  context_for_aggregator = &context;

  // 4. Import.
  const auto start = std::chrono::steady_clock::now();
  clear_stop_request();
  install_interrupt_handlers();
  importer->run(context);
  const bool interrupted = stop_requested();
  const bool stopped_at_max_errors = !interrupted && problems.limit_reached();
  if (aggregator) aggregator->finish();
  const bool stalled = context.stalled() || (aggregator && aggregator->distributions_unsent() > 0);
  progress.clear();
  problems.finish();
  if (stopped_at_max_errors) {
    problems.note("stopped after " + std::to_string(problems.problems()) + " problems (--max-errors " +
                  std::to_string(options.max_errors) + ")");
  }

  // 5. Flush and close with the deadline; the library's final counts.
  ImportSummary summary;
  summary.stats = close_destination(*destination, options.destination);
  remove_interrupt_handlers();
  summary.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.file = input.display_name();
  summary.format = format->name();
  summary.destination = destination->description;
  summary.counts = context.counts();
  summary.problems = problems.problems();
  summary.distributions = aggregator ? aggregator->distributions_sent() : 0;
  summary.file_bytes = input.file_bytes_read();
  summary.input_bytes = input.bytes_delivered();
  summary.compressed = input.compressed();
  summary.interrupted = interrupted;
  summary.stopped_at_max_errors = stopped_at_max_errors;
  summary.stalled = stalled;
  summary.distributions_unsent = aggregator ? aggregator->distributions_unsent() : 0;
  summary.exit_code = interrupted                   ? kExitInterrupted
                      : summary.counts.input_failed ? kExitUsage
                      : stalled                     ? kExitUndelivered
                                                    : exit_code_for(summary.stats, summary.counts.refused);

  if (options.json) {
    const std::string json = render_json(summary);
    std::FILE* out = destination->to_stdout ? stderr : stdout;
    std::fwrite(json.data(), 1, json.size(), out);
    std::fflush(out);
  } else if (!options.quiet) {
    const std::string text = render_text(summary);
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
  return summary.exit_code;
}

}  // namespace wfsend::import
