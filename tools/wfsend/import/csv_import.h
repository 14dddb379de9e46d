// `wfsend import --format csv`: which CSV columns hold what, and turning each row into metric values.
//
// Columns are named by their header text (surrounding blanks ignored) or, when no header cell has that
// name, by their 1-based position. A name that matches nothing is a usage error naming the column and
// listing the header. Roles:
//   --value-column   (repeatable or comma-separated) the numbers; without it, every column that has
//                    no other role. Each value column gives one metric per row.
//   --name-column    the metric name per row; --name a fixed one; neither: the value column's header.
//                    With a name from a column or --name and several value columns, the value column's
//                    header is appended after a dot ("<name>.<header>"). --prefix goes in front, as is
//                    (write the dot yourself: --prefix app.).
//   --timestamp-column  epoch seconds/milliseconds/... or ISO 8601 (--timestamp-unit); none: the
//                    receiver stamps the points.
//   --source-column  the source per row (an empty cell: --source, else the default source).
//   --tag-columns    point tags named by the header; "all" (or "*"): every column without another role.
//   --tag k=v        fixed tags on every point (a tag column with the same key wins).
// Per row: an empty value cell is no sample (skipped, counted as "empty"); a value that is not a
// number refuses that metric with invalid_number; an empty or unreadable timestamp refuses the row
// (invalid_timestamp); an empty tag cell leaves that tag out; a row with fewer fields than the header
// (or more, unless the extra ones are empty) is refused with malformed_line. Refusals name the line and
// column. Numbers are read with std::from_chars (blanks around them and a leading '+' allowed; "nan"
// and "inf" read as such and are then refused by the library with non_finite_value).
//
// Thread-safety: none; one importer per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wavefront/status.h"
#include "wavefront/types.h"
#include "wfsend/import/csv_reader.h"
#include "wfsend/import/import_context.h"
#include "wfsend/timestamp.h"

namespace wfsend::import {

struct CsvImportOptions {
  std::vector<std::string> value_columns;
  std::string name_column;
  std::string timestamp_column;
  std::string source_column;
  std::vector<std::string> tag_columns;  // {"all"} or {"*"}: every column without another role
  std::string name;                      // fixed metric name
  std::string prefix;
  std::string source;  // fixed source
  std::vector<std::pair<std::string, std::string>> fixed_tags;
  TimestampUnit timestamp_unit = TimestampUnit::automatic;
  bool header = true;  // false: columns are named 1, 2, 3... and the first row is data
};

// The columns' roles, resolved against the header.
struct CsvColumnPlan {
  struct ValueColumn {
    std::size_t index = 0;
    std::string metric_name;  // the whole name, when it does not come from a name column
    std::string name_suffix;  // ".<header>" after a name column's cell, when there are several values
  };
  struct TagColumn {
    std::size_t index = 0;
    std::string key;
  };
  std::vector<std::string> header;
  std::vector<ValueColumn> values;
  std::vector<TagColumn> tags;
  std::optional<std::size_t> name_column;
  std::optional<std::size_t> timestamp_column;
  std::optional<std::size_t> source_column;
};

// Resolves the options against the header; an invalid_argument error names the column and lists the
// header (a usage error).
wavefront::Expected<CsvColumnPlan> plan_columns(const std::vector<std::string>& header,
                                                const CsvImportOptions& options);

class CsvImporter {
 public:
  explicit CsvImporter(CsvImportOptions options);

  // Reads the header (or, without one, peeks at the first row) and plans the columns. A usage error
  // (unknown column, empty input) comes back as a Status; read errors too. Sends nothing, so it runs
  // before the destination is opened.
  wavefront::Status start(CsvReader& reader);
  // Imports every row until the end of the input, a stop (Ctrl-C, --max-errors) or a fatal read error.
  void run(ImportContext& context, CsvReader& reader);

  const CsvColumnPlan& plan() const noexcept { return plan_; }

 private:
  void import_row(const CsvRecord& row);
  bool read_timestamp(const CsvRecord& row, wavefront::Timestamp& timestamp);
  // Where a library refusal of the metric from value column `value_index` points: the name or source
  // column for their codes, else the value's cell.
  CsvPosition position_for(const wavefront::Status& status, const CsvRecord& row,
                           std::size_t value_index) const;

  ImportContext* context_ = nullptr;  // during run()
  CsvImportOptions options_;
  CsvColumnPlan plan_;
  CsvRecord first_row_;  // without a header: the first row, imported by run()
  bool first_row_pending_ = false;
  std::vector<wavefront::Tag> tags_;  // reused per row
  std::string name_;                  // reused per row
  std::string last_timestamp_text_;   // rows often repeat a timestamp: parse each text once
  std::int64_t last_timestamp_ms_ = 0;
  bool last_timestamp_valid_ = false;
};

}  // namespace wfsend::import
