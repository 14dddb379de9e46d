// Planning CSV columns and importing rows.
#include "wfsend/import/csv_import.h"

#include <algorithm>
#include <charconv>
#include <system_error>

#include "wavefront/format.h"

namespace wfsend::import {

using wavefront::ErrorCode;
using wavefront::Expected;
using wavefront::Status;

namespace {

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string header_list(const std::vector<std::string>& header) {
  constexpr std::size_t kMaxListed = 40;
  std::string list;
  for (std::size_t index = 0; index < header.size() && index < kMaxListed; ++index) {
    if (index > 0) list += ", ";
    list += std::to_string(index + 1) + ":\"" + header[index] + "\"";
  }
  if (header.size() > kMaxListed) list += ", ... (" + std::to_string(header.size()) + " columns)";
  return list;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A number as written in a CSV cell: blanks around it and a leading '+' are fine.
bool parse_number(std::string_view text, double& value) {
  if (text.size() > 1 && text.front() == '+' && text[1] != '-') text.remove_prefix(1);
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(text.data(), last, value);
  return error == std::errc() && end == last;
}

const char* unit_description(TimestampUnit unit) {
  switch (unit) {
    case TimestampUnit::seconds:
      return "epoch seconds";
    case TimestampUnit::milliseconds:
      return "epoch milliseconds";
    case TimestampUnit::iso8601:
      return "an ISO 8601 date and time";
    case TimestampUnit::automatic:
      break;
  }
  return "epoch seconds, milliseconds, microseconds or nanoseconds, or ISO 8601";
}

}  // namespace

Expected<CsvColumnPlan> plan_columns(const std::vector<std::string>& header,
                                     const CsvImportOptions& options) {
  CsvColumnPlan plan;
  plan.header = header;
  std::vector<std::string> roles(header.size());
  auto usage = [&](const std::string& message) { return Status(ErrorCode::invalid_argument, message); };
  // Resolves `spec` for `option` and gives the column that role; an error Status otherwise.
  auto take = [&](const std::string& spec, const std::string& option, const std::string& role,
                  std::size_t& index) -> Status {
    const std::string_view wanted = trim_blanks(spec);
    const auto found = std::find(header.begin(), header.end(), wanted);
    if (found != header.end()) {
      index = static_cast<std::size_t>(found - header.begin());
    } else if (all_digits(wanted) && wanted.size() < 10 && std::stoul(std::string(wanted)) >= 1 &&
               std::stoul(std::string(wanted)) <= header.size()) {
      index = std::stoul(std::string(wanted)) - 1;
    } else {
      return usage(option + ": no column \"" + spec + "\" in the header (" + header_list(header) + ")");
    }
    if (!roles[index].empty()) {
      return usage(option + ": column \"" + header[index] + "\" is already the " + roles[index]);
    }
    roles[index] = role;
    return Status::success();
  };
  auto take_optional = [&](const std::string& spec, const char* option, const char* role,
                           std::optional<std::size_t>& out) -> Status {
    if (spec.empty()) return Status::success();
    std::size_t index = 0;
    if (Status status = take(spec, option, role, index); !status.ok()) return status;
    out = index;
    return Status::success();
  };
  if (Status status = take_optional(options.name_column, "--name-column", "name column", plan.name_column);
      !status.ok()) {
    return status;
  }
  if (Status status = take_optional(options.timestamp_column, "--timestamp-column", "timestamp column",
                                    plan.timestamp_column);
      !status.ok()) {
    return status;
  }
  if (Status status =
          take_optional(options.source_column, "--source-column", "source column", plan.source_column);
      !status.ok()) {
    return status;
  }
  if (plan.name_column && !options.name.empty()) return usage("--name and --name-column exclude each other");

  std::vector<std::size_t> value_indexes;
  for (const std::string& spec : options.value_columns) {
    std::size_t index = 0;
    if (Status status = take(spec, "--value-column", "a value column", index); !status.ok()) return status;
    value_indexes.push_back(index);
  }
  const bool all_tags =
      options.tag_columns.size() == 1 && (options.tag_columns[0] == "all" || options.tag_columns[0] == "*");
  if (!all_tags) {
    for (const std::string& spec : options.tag_columns) {
      std::size_t index = 0;
      if (Status status = take(spec, "--tag-columns", "a tag column", index); !status.ok()) return status;
      plan.tags.push_back({index, header[index]});
    }
  } else if (value_indexes.empty()) {
    return usage("--tag-columns all needs --value-column (which columns hold the numbers?)");
  }
  // Columns without a role: values (when none were named) or tags (with --tag-columns all).
  for (std::size_t index = 0; index < header.size(); ++index) {
    if (!roles[index].empty()) continue;
    if (all_tags) {
      plan.tags.push_back({index, header[index]});
    } else if (options.value_columns.empty()) {
      value_indexes.push_back(index);
    }
  }
  if (value_indexes.empty()) {
    return usage("no value column left: give --value-column (the header is " + header_list(header) + ")");
  }
  const bool several = value_indexes.size() > 1;
  for (std::size_t index : value_indexes) {
    const std::string& column_name = header[index];
    if (column_name.empty() && (several || (!plan.name_column && options.name.empty()))) {
      return usage("value column " + std::to_string(index + 1) +
                   " has an empty header, so it cannot name its metric: give --name or --name-column");
    }
    CsvColumnPlan::ValueColumn value;
    value.index = index;
    if (plan.name_column) {
      if (several) value.name_suffix = "." + column_name;
    } else if (!options.name.empty()) {
      value.metric_name = options.prefix + options.name + (several ? "." + column_name : "");
    } else {
      value.metric_name = options.prefix + column_name;
    }
    plan.values.push_back(std::move(value));
  }
  for (const CsvColumnPlan::TagColumn& tag : plan.tags) {
    if (tag.key.empty()) {
      return usage("tag column " + std::to_string(tag.index + 1) +
                   " has an empty header, so it cannot name a tag");
    }
  }
  return plan;
}

CsvImporter::CsvImporter(CsvImportOptions options) : options_(std::move(options)) {}

Status CsvImporter::start(CsvReader& reader) {
  const CsvReader::Result result = reader.next(first_row_);
  if (result == CsvReader::Result::error) {  // a header that cannot be read leaves nothing to map
    return Status(ErrorCode::invalid_argument,
                  "line " + std::to_string(reader.error().position.line) + ", column " +
                      std::to_string(reader.error().position.column) + ": " + reader.error().message);
  }
  if (result == CsvReader::Result::end) {
    return Status(ErrorCode::invalid_argument, "the input is empty (no header row)");
  }
  std::vector<std::string> header;
  for (std::size_t index = 0; index < first_row_.size(); ++index) {
    header.push_back(options_.header ? std::string(trim_blanks(first_row_[index]))
                                     : std::to_string(index + 1));
  }
  first_row_pending_ = !options_.header;
  Expected<CsvColumnPlan> plan = plan_columns(header, options_);
  if (!plan) return plan.status();
  plan_ = std::move(plan.value());
  return Status::success();
}

void CsvImporter::run(ImportContext& context, CsvReader& reader) {
  context_ = &context;
  if (first_row_pending_) {
    first_row_pending_ = false;
    import_row(first_row_);
  }
  CsvRecord row;
  while (!context.should_stop()) {
    switch (reader.next(row)) {
      case CsvReader::Result::record:
        import_row(row);
        break;
      case CsvReader::Result::end:
        return;
      case CsvReader::Result::error: {
        const CsvError& error = reader.error();
        if (error.read_failed) {
          context_->input_failed(error.message);
          return;
        }
        context_->row_read();
        context_->refuse(error.position.line, error.position.column, ErrorCode::malformed_line,
                         error.message);
        break;
      }
    }
  }
}

bool CsvImporter::read_timestamp(const CsvRecord& row, wavefront::Timestamp& timestamp) {
  if (!plan_.timestamp_column) return true;
  const std::size_t column = *plan_.timestamp_column;
  const std::string_view text = trim_blanks(row[column]);
  if (!last_timestamp_valid_ || text != last_timestamp_text_) {
    const CsvPosition position = row.position(column);
    const std::string& column_name = plan_.header[column];
    if (text.empty()) {
      context_->refuse(position.line, position.column, ErrorCode::invalid_timestamp,
                       "column \"" + column_name + "\": the timestamp is empty; row skipped");
      return false;
    }
    const std::optional<std::int64_t> milliseconds = parse_timestamp_ms(text, options_.timestamp_unit);
    if (!milliseconds || *milliseconds < 1000) {
      context_->refuse(
          position.line, position.column, ErrorCode::invalid_timestamp,
          "column \"" + column_name + "\": " + wavefront::quote_for_message(text) + " is not " +
              (milliseconds ? "after 1970-01-01T00:00:01Z" : unit_description(options_.timestamp_unit)) +
              "; row skipped");
      return false;
    }
    last_timestamp_text_.assign(text);
    last_timestamp_ms_ = *milliseconds;
    last_timestamp_valid_ = true;
  }
  timestamp = point_timestamp_of_ms(last_timestamp_ms_);  // milliseconds are kept
  return true;
}

CsvPosition CsvImporter::position_for(const Status& status, const CsvRecord& row,
                                      std::size_t value_index) const {
  std::size_t column = value_index;
  switch (status.code()) {
    case ErrorCode::invalid_name:
    case ErrorCode::name_too_long:
      if (plan_.name_column) column = *plan_.name_column;
      break;
    case ErrorCode::invalid_source:
    case ErrorCode::source_too_long:
      if (plan_.source_column) column = *plan_.source_column;
      break;
    default:
      break;
  }
  return row.position(column);
}

void CsvImporter::import_row(const CsvRecord& row) {
  context_->row_read();
  const std::size_t expected = plan_.header.size();
  if (row.size() != expected) {
    bool extra_empty = row.size() > expected;
    for (std::size_t index = expected; extra_empty && index < row.size(); ++index) {
      extra_empty = trim_blanks(row[index]).empty();
    }
    if (!extra_empty) {
      // Point at the first extra field, or at the last field of a short row.
      const CsvPosition position = row.position(row.size() > expected ? expected : row.size() - 1);
      context_->refuse(position.line, position.column, ErrorCode::malformed_line,
                       "row has " + std::to_string(row.size()) + " fields, the header has " +
                           std::to_string(expected) + "; row skipped");
      return;
    }
  }
  wavefront::Timestamp timestamp;
  if (!read_timestamp(row, timestamp)) return;
  std::string_view source = options_.source;
  if (plan_.source_column && !trim_blanks(row[*plan_.source_column]).empty())
    source = row[*plan_.source_column];
  tags_.clear();
  for (const auto& [key, value] : options_.fixed_tags) tags_.emplace_back(key, value);
  for (const CsvColumnPlan::TagColumn& tag : plan_.tags) {
    if (!trim_blanks(row[tag.index]).empty()) tags_.emplace_back(tag.key, row[tag.index]);
  }
  for (const CsvColumnPlan::ValueColumn& column : plan_.values) {
    const std::string_view text = trim_blanks(row[column.index]);
    if (text.empty()) {
      ++context_->counts().empty_values;
      continue;
    }
    double value = 0;
    if (!parse_number(text, value)) {
      const CsvPosition position = row.position(column.index);
      context_->refuse(position.line, position.column, ErrorCode::invalid_number,
                       "column \"" + plan_.header[column.index] +
                           "\": " + wavefront::quote_for_message(text) + " is not a number");
      continue;
    }
    std::string_view name = column.metric_name;
    if (plan_.name_column) {
      name_.assign(options_.prefix);
      name_ += row[*plan_.name_column];
      name_ += column.name_suffix;
      name = name_;
    }
    const Status status = context_->send_value(name, value, timestamp, source, tags_);
    if (!status.ok()) {
      const CsvPosition position = position_for(status, row, column.index);
      context_->report(status, position.line, position.column);
    }
  }
}

}  // namespace wfsend::import
