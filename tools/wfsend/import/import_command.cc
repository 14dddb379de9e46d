// Registers `wfsend import` and its options (CLI11); the work is in import_run.cc.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "wfsend/commands.h"
#include "wfsend/import/import_run.h"
#include "wfsend/import/importer.h"

namespace wfsend {

void add_import_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<import::ImportCommandOptions>();
  auto formats = std::make_shared<import::ImportFormats>(import::make_import_formats());
  CLI::App* command = app.add_subcommand(
      "import",
      "Bulk-send a file in one of the formats below (gzip read transparently).\n"
      "Problems are printed as FILE:LINE:COLUMN: code: message and the row is skipped. If the\n"
      "destination takes nothing for --block-timeout, reading stops. Ctrl-C stops reading, then flushes.\n"
      "Exit codes: 0 all sent, 1 some input refused, 2 usage error (bad option, unreadable file, unknown\n"
      "column, bad URL), 3 some data not delivered, 130 interrupted.");
  command->add_option("file", options->path, "The file to import, or - for standard input")->required();
  // The formats come from the registry (importer.h); each adds its own option group.
  std::vector<std::string> names;
  std::string format_help = "The input's format:";
  std::string endings;
  for (const std::unique_ptr<import::ImportFormat>& format : *formats) {
    names.push_back(format->name());
    format_help += "\n  " + format->name() + ": " + format->description();
    for (const std::string& extension : format->extensions())
      endings += (endings.empty() ? "" : " ") + extension;
  }
  format_help += "\nDefault from the file name's ending (" + endings + ", optionally .gz)";
  command->add_option("--format", options->format, format_help)->check(CLI::IsMember(names));
  for (const std::unique_ptr<import::ImportFormat>& format : *formats) format->add_options(*command);

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

  command->callback([options, formats, &exit_code]() { exit_code = import::run_import(*options, *formats); });
}

}  // namespace wfsend
