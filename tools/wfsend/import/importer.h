// The import formats of `wfsend import` and their registry: one interface every format implements.
//
// A format is one file (csv_format.cc, lines_format.cc, jsonl_format.cc, prometheus_format.cc, ...) that
// declares its name, the file name endings that imply it, its own option group in `wfsend import
// --help`, and makes an Importer: a reader that turns the input into send calls (through the
// ImportContext, which counts them and reports problems as FILE:LINE:COLUMN: code: message).
// make_import_formats() (import_formats.cc) lists them in the order `--help` shows; import_run.cc is
// the driver that picks one by --format or the file's name and runs it. Adding a format is one new
// file and one line in import_formats.cc.
//
// Thread-safety: none; the formats are made, given their options and used on the main thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "input/byte_source.h"
#include "wavefront/status.h"
#include "wfsend/import/import_context.h"

namespace CLI {
class App;
}

namespace wfsend::import {

// Reads one input for one format.
class Importer {
 public:
  virtual ~Importer() = default;
  // Called once the input is open and before the destination is: reads what must be known before
  // anything is sent (CSV: the header and the column plan). A Status that is not ok is a usage error.
  virtual wavefront::Status start(input::ByteSource& input) = 0;
  // Imports everything until the end of the input, a stop (context.should_stop()) or a read error.
  virtual void run(ImportContext& context) = 0;
};

class ImportFormat {
 public:
  virtual ~ImportFormat() = default;
  // What --format takes.
  virtual std::string name() const = 0;
  // One line for `--help`: what the format is.
  virtual std::string description() const = 0;
  // File name endings (after removing ".gz") that imply this format, e.g. ".csv".
  virtual std::vector<std::string> extensions() const = 0;
  // Adds the format's own options to `wfsend import`, in an option group named after the format. The
  // values land in the format object, which lives as long as the command.
  virtual void add_options(CLI::App& command) { static_cast<void>(command); }
  // The first of its own options given on the command line ("" when none): using it with another
  // format is a usage error.
  virtual std::string given_option() const { return ""; }
  // How metric values are sent unless --aggregate is given (CSV's --delta: delta counters).
  virtual ValueMode value_mode() const { return ValueMode::point; }
  // Checks the options for `path` ("-" is standard input) and makes the importer, or sets `problem`
  // (a usage error) and returns null.
  virtual std::unique_ptr<Importer> make_importer(const std::string& path, std::string& problem) = 0;
};

using ImportFormats = std::vector<std::unique_ptr<ImportFormat>>;

// Every format, in the order `--help` lists them.
ImportFormats make_import_formats();

// Each format's factory (one per format file).
std::unique_ptr<ImportFormat> make_csv_format();
std::unique_ptr<ImportFormat> make_lines_format();
std::unique_ptr<ImportFormat> make_jsonl_format();
std::unique_ptr<ImportFormat> make_prometheus_format();
std::unique_ptr<ImportFormat> make_influx_format();
std::unique_ptr<ImportFormat> make_graphite_format();
std::unique_ptr<ImportFormat> make_opentsdb_format();

}  // namespace wfsend::import
