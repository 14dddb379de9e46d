// The body of `wfsend import`: options to objects, the import, the close, the summary, the exit code.
#include "wfsend/import/import_run.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>

#include "input/byte_source.h"
#include "wfsend/commands.h"
#include "wfsend/import/aggregate.h"
#include "wfsend/import/csv_reader.h"
#include "wfsend/import/import_context.h"
#include "wfsend/import/interrupt.h"
#include "wfsend/import/jsonl_import.h"
#include "wfsend/import/lines_import.h"
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

// The format the file name implies ("" when it implies none), and whether it is tab-separated.
std::string format_from_name(std::string_view path, bool& tab_separated) {
  if (ends_with(path, ".gz")) path.remove_suffix(3);
  tab_separated = ends_with(path, ".tsv");
  if (ends_with(path, ".csv") || tab_separated) return "csv";
  if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson")) return "jsonl";
  return "";
}

// Every CSV-only option that was given, for the error when the format is not CSV.
std::string first_csv_option(const ImportCommandOptions& options) {
  if (!options.value_columns.empty()) return "--value-column";
  if (!options.name_column.empty()) return "--name-column";
  if (!options.timestamp_column.empty()) return "--timestamp-column";
  if (options.timestamp_unit != "auto") return "--timestamp-unit";
  if (!options.source_column.empty()) return "--source-column";
  if (!options.tag_columns.empty()) return "--tag-columns";
  if (!options.name.empty()) return "--name";
  if (!options.prefix.empty()) return "--prefix";
  if (!options.source.empty()) return "--source";
  if (!options.tags.empty()) return "--tag";
  if (!options.delimiter.empty()) return "--delimiter";
  if (options.no_header) return "--no-header";
  if (options.delta) return "--delta";
  return "";
}

// CSV options as the importer takes them; a usage error message otherwise.
std::optional<std::string> csv_options(const ImportCommandOptions& options, bool tab_separated,
                                       CsvImportOptions& csv, char& delimiter) {
  csv.value_columns = options.value_columns;
  csv.name_column = options.name_column;
  csv.timestamp_column = options.timestamp_column;
  csv.source_column = options.source_column;
  csv.tag_columns = options.tag_columns;
  csv.name = options.name;
  csv.prefix = options.prefix;
  csv.source = options.source;
  csv.header = !options.no_header;
  csv.timestamp_unit = parse_timestamp_unit(options.timestamp_unit).value_or(TimestampUnit::automatic);
  for (const std::string& tag : options.tags) {
    const std::size_t equals = tag.find('=');
    if (equals == std::string::npos || equals == 0) return "--tag " + tag + ": expected key=value";
    csv.fixed_tags.emplace_back(tag.substr(0, equals), tag.substr(equals + 1));
  }
  delimiter = tab_separated ? '\t' : ',';
  if (options.delimiter == "tab" || options.delimiter == "\\t") {
    delimiter = '\t';
  } else if (options.delimiter.size() == 1) {
    delimiter = options.delimiter[0];
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
      return "--delimiter cannot be a quote or a line end";
    }
  } else if (!options.delimiter.empty()) {
    return "--delimiter must be one character or 'tab', got \"" + options.delimiter + "\"";
  }
  return std::nullopt;
}

std::optional<wavefront::Granularity> granularity_of(const std::string& name) {
  if (name == "minute") return wavefront::Granularity::minute;
  if (name == "hour") return wavefront::Granularity::hour;
  if (name == "day") return wavefront::Granularity::day;
  return std::nullopt;
}

}  // namespace

int run_import(const ImportCommandOptions& options) {
  // 1. Options.
  bool tab_separated = false;
  std::string format = options.format;
  const std::string implied = format_from_name(options.path, tab_separated);
  if (format.empty()) format = implied;
  if (format.empty()) {
    return usage_error("cannot tell the format of " +
                       (options.path == "-" ? std::string("stdin") : options.path) +
                       " from its name: give --format csv, lines or jsonl");
  }
  if (format != "csv") {
    if (const std::string option = first_csv_option(options); !option.empty()) {
      return usage_error(option + " applies to --format csv only");
    }
  }
  CsvImportOptions csv;
  char delimiter = ',';
  if (std::optional<std::string> problem = csv_options(options, tab_separated, csv, delimiter)) {
    return usage_error(*problem);
  }
  if (options.delta && !options.aggregate.empty())
    return usage_error("--delta and --aggregate exclude each other");

  // 2. Input, and for CSV the header and the column plan.
  wavefront::Expected<std::unique_ptr<input::InputFile>> opened =
      input::InputFile::open(options.path, stop_requested);
  if (!opened) return usage_error(opened.status().message());
  input::InputFile& input = **opened;
  std::unique_ptr<CsvReader> csv_reader;
  CsvImporter csv_importer(csv);
  if (format == "csv") {
    CsvReaderOptions reader_options;
    reader_options.delimiter = delimiter;
    csv_reader = std::make_unique<CsvReader>(input, reader_options);
    if (wavefront::Status status = csv_importer.start(*csv_reader); !status.ok()) {
      return usage_error(input.display_name() + ": " + status.message());
    }
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
  ValueMode mode = options.delta ? ValueMode::delta_counter : ValueMode::point;
  if (std::optional<wavefront::Granularity> granularity = granularity_of(options.aggregate)) {
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
  if (csv_reader) {
    csv_importer.run(context, *csv_reader);
  } else if (format == "jsonl") {
    JsonlImporter(context).run(input);
  } else {
    LinesImporter(context).run(input);
  }
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
  summary.format = format;
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
