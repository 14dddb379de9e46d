// `--format csv`: CSV or TSV rows mapped to metrics by columns (csv_import.h), on the importer registry.
// Its options (--value-column ... --delta) are its own option group in `wfsend import --help`.
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wfsend/import/csv_import.h"
#include "wfsend/import/csv_reader.h"
#include "wfsend/import/importer.h"

namespace wfsend::import {
namespace {

// The CSV options as given on the command line.
struct CsvCommandOptions {
  std::vector<std::string> value_columns;
  std::string name_column;
  std::string timestamp_column;
  std::string timestamp_unit = "auto";
  std::string source_column;
  std::vector<std::string> tag_columns;
  std::string name;
  std::string prefix;
  std::string source;
  std::vector<std::string> tags;  // k=v
  std::string delimiter;          // empty: ',' (tab for .tsv)
  bool no_header = false;
  bool delta = false;
};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

class CsvImport final : public Importer {
 public:
  CsvImport(CsvImportOptions options, char delimiter) : importer_(std::move(options)) {
    reader_options_.delimiter = delimiter;
  }
  wavefront::Status start(input::ByteSource& input) override {
    reader_ = std::make_unique<CsvReader>(input, reader_options_);
    return importer_.start(*reader_);
  }
  void run(ImportContext& context) override { importer_.run(context, *reader_); }

 private:
  CsvImporter importer_;
  CsvReaderOptions reader_options_;
  std::unique_ptr<CsvReader> reader_;
};

class CsvFormat final : public ImportFormat {
 public:
  std::string name() const override { return "csv"; }
  std::string description() const override { return "CSV or TSV rows, metrics mapped by columns"; }
  std::vector<std::string> extensions() const override { return {".csv", ".tsv"}; }
  ValueMode value_mode() const override {
    return options_.delta ? ValueMode::delta_counter : ValueMode::point;
  }

  void add_options(CLI::App& command) override {
    const std::string csv = "CSV";
    command
        .add_option("--value-column", options_.value_columns,
                    "Column(s) holding the values, by header name or 1-based position; repeat or separate "
                    "with commas. Default: every column without another role. Several: one metric each")
        ->delimiter(',')
        ->allow_extra_args(false)
        ->group(csv);
    command.add_option("--name-column", options_.name_column, "Column holding the metric name")->group(csv);
    command
        .add_option("--name", options_.name,
                    "Fixed metric name (with several value columns: <name>.<column header>). Default: the "
                    "value column's header")
        ->group(csv);
    command.add_option("--prefix", options_.prefix, "Put in front of every metric name, as is (e.g. app.)")
        ->group(csv);
    command.add_option("--timestamp-column", options_.timestamp_column, "Column holding the timestamp")
        ->group(csv);
    command
        .add_option("--timestamp-unit", options_.timestamp_unit,
                    "auto (epoch s/ms/us/ns by magnitude, else ISO 8601), s, ms or iso")
        ->check(CLI::IsMember({"auto", "s", "ms", "iso"}))
        ->group(csv);
    command.add_option("--source-column", options_.source_column, "Column holding the source (host)")
        ->group(csv);
    command.add_option("--source", options_.source, "Source for every point (default: this host's name)")
        ->group(csv);
    command
        .add_option("--tag-columns", options_.tag_columns,
                    "Columns that become point tags, named by their header; 'all' or '*': every column "
                    "without another role")
        ->delimiter(',')
        ->allow_extra_args(false)
        ->group(csv);
    command.add_option("--tag", options_.tags, "Fixed point tag key=value on every point (repeatable)")
        ->allow_extra_args(false)
        ->group(csv);
    command.add_option("--delimiter", options_.delimiter, "Field delimiter: one character, or 'tab'")
        ->group(csv);
    command.add_flag("--no-header", options_.no_header, "The first row is data; columns are named 1, 2, ...")
        ->group(csv);
    command.add_flag("--delta", options_.delta, "Send the values as delta counters")->group(csv);
  }

  std::string given_option() const override {
    if (!options_.value_columns.empty()) return "--value-column";
    if (!options_.name_column.empty()) return "--name-column";
    if (!options_.timestamp_column.empty()) return "--timestamp-column";
    if (options_.timestamp_unit != "auto") return "--timestamp-unit";
    if (!options_.source_column.empty()) return "--source-column";
    if (!options_.tag_columns.empty()) return "--tag-columns";
    if (!options_.name.empty()) return "--name";
    if (!options_.prefix.empty()) return "--prefix";
    if (!options_.source.empty()) return "--source";
    if (!options_.tags.empty()) return "--tag";
    if (!options_.delimiter.empty()) return "--delimiter";
    if (options_.no_header) return "--no-header";
    if (options_.delta) return "--delta";
    return "";
  }

  std::unique_ptr<Importer> make_importer(const std::string& path, std::string& problem) override {
    std::string_view stem = path;
    if (ends_with(stem, ".gz")) stem.remove_suffix(3);
    CsvImportOptions csv;
    csv.value_columns = options_.value_columns;
    csv.name_column = options_.name_column;
    csv.timestamp_column = options_.timestamp_column;
    csv.source_column = options_.source_column;
    csv.tag_columns = options_.tag_columns;
    csv.name = options_.name;
    csv.prefix = options_.prefix;
    csv.source = options_.source;
    csv.header = !options_.no_header;
    csv.timestamp_unit = parse_timestamp_unit(options_.timestamp_unit).value_or(TimestampUnit::automatic);
    for (const std::string& tag : options_.tags) {
      const std::size_t equals = tag.find('=');
      if (equals == std::string::npos || equals == 0) {
        problem = "--tag " + tag + ": expected key=value";
        return nullptr;
      }
      csv.fixed_tags.emplace_back(tag.substr(0, equals), tag.substr(equals + 1));
    }
    char delimiter = ends_with(stem, ".tsv") ? '\t' : ',';
    if (options_.delimiter == "tab" || options_.delimiter == "\\t") {
      delimiter = '\t';
    } else if (options_.delimiter.size() == 1) {
      delimiter = options_.delimiter[0];
      if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
        problem = "--delimiter cannot be a quote or a line end";
        return nullptr;
      }
    } else if (!options_.delimiter.empty()) {
      problem = "--delimiter must be one character or 'tab', got \"" + options_.delimiter + "\"";
      return nullptr;
    }
    return std::make_unique<CsvImport>(std::move(csv), delimiter);
  }

 private:
  CsvCommandOptions options_;
};

}  // namespace

std::unique_ptr<ImportFormat> make_csv_format() { return std::make_unique<CsvFormat>(); }

}  // namespace wfsend::import
