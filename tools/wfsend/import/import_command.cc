// Registers `wfsend import` and its options (CLI11); the work is in import_run.cc.
#include <CLI/CLI.hpp>
#include <memory>

#include "wfsend/commands.h"
#include "wfsend/import/import_run.h"

namespace wfsend {

void add_import_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<import::ImportCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "import",
      "Bulk-send a file: CSV rows, wire-format lines or JSONL calls (gzip read transparently).\n"
      "Problems are printed as FILE:LINE:COLUMN: code: message and the row is skipped. If the\n"
      "destination takes nothing for --block-timeout, reading stops. Ctrl-C stops reading, then flushes.\n"
      "Exit codes: 0 all sent, 1 some input refused, 2 usage error (bad option, unreadable file, unknown\n"
      "column, bad URL), 3 some data not delivered, 130 interrupted.");
  command->add_option("file", options->path, "The file to import, or - for standard input")->required();
  command
      ->add_option("--format", options->format,
                   "csv, lines (Wavefront data format) or jsonl (calls as in the conformance vectors); "
                   "default from the extension (.csv .tsv .jsonl .ndjson, optionally .gz)")
      ->check(CLI::IsMember({"csv", "lines", "jsonl"}));

  const std::string csv = "CSV";
  command
      ->add_option("--value-column", options->value_columns,
                   "Column(s) holding the values, by header name or 1-based position; repeat or separate "
                   "with commas. Default: every column without another role. Several: one metric each")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->group(csv);
  command->add_option("--name-column", options->name_column, "Column holding the metric name")->group(csv);
  command
      ->add_option("--name", options->name,
                   "Fixed metric name (with several value columns: <name>.<column header>). Default: the "
                   "value column's header")
      ->group(csv);
  command->add_option("--prefix", options->prefix, "Put in front of every metric name, as is (e.g. app.)")
      ->group(csv);
  command->add_option("--timestamp-column", options->timestamp_column, "Column holding the timestamp")
      ->group(csv);
  command
      ->add_option("--timestamp-unit", options->timestamp_unit,
                   "auto (epoch s/ms/us/ns by magnitude, else ISO 8601), s, ms or iso")
      ->check(CLI::IsMember({"auto", "s", "ms", "iso"}))
      ->group(csv);
  command->add_option("--source-column", options->source_column, "Column holding the source (host)")
      ->group(csv);
  command->add_option("--source", options->source, "Source for every point (default: this host's name)")
      ->group(csv);
  command
      ->add_option("--tag-columns", options->tag_columns,
                   "Columns that become point tags, named by their header; 'all' or '*': every column "
                   "without another role")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->group(csv);
  command->add_option("--tag", options->tags, "Fixed point tag key=value on every point (repeatable)")
      ->allow_extra_args(false)
      ->group(csv);
  command->add_option("--delimiter", options->delimiter, "Field delimiter: one character, or 'tab'")
      ->group(csv);
  command->add_flag("--no-header", options->no_header, "The first row is data; columns are named 1, 2, ...")
      ->group(csv);
  command->add_flag("--delta", options->delta, "Send the values as delta counters")->group(csv);

  command
      ->add_option("--aggregate", options->aggregate,
                   "Aggregate metric values client-side into distributions per minute, hour or day "
                   "(binned by each row's timestamp) instead of sending points")
      ->check(CLI::IsMember({"minute", "hour", "day"}));
  command->add_option("--max-errors", options->max_errors, "Stop after this many problems (0: never)");
  command
      ->add_option("--max-messages", options->max_messages,
                   "Print at most this many problems (the rest are counted; 0: all)")
      ->capture_default_str();
  command->add_flag("-q,--quiet", options->quiet, "No progress line and no summary (problems still printed)");
  command->add_flag(
      "--json", options->json,
      "Print the summary as one JSON object on stdout (on stderr with --to -), no progress line");
  add_destination_options(*command, options->destination);

  command->callback([options, &exit_code]() { exit_code = import::run_import(*options); });
}

}  // namespace wfsend
