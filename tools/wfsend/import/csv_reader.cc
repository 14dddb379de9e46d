// The CSV record parser: one pass over the buffer per record, restarted from the record's start when
// the buffer ends inside it (records are short; the restart costs less than keeping parser state).
#include "wfsend/import/csv_reader.h"

#include <algorithm>
#include <cstring>

namespace wfsend::import {
namespace {

constexpr char kQuote = '"';
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool is_continuation_byte(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) == 0x80; }

// Code points in [first, last): the column offset a character count gives.
std::uint64_t code_points(const char* first, const char* last) {
  std::uint64_t count = 0;
  for (; first < last; ++first) count += is_continuation_byte(*first) ? 0 : 1;
  return count;
}

// Line and column of `at`, counted from `start`, which is the first byte of line `line`.
CsvPosition locate(const char* start, const char* at, std::uint64_t line) {
  const char* line_start = start;
  for (const char* cursor = start; cursor < at; ++cursor) {
    if (*cursor == '\n') {
      ++line;
      line_start = cursor + 1;
    }
  }
  return CsvPosition{line, code_points(line_start, at) + 1};
}

std::string_view without_trailing_cr(const char* first, const char* last) {
  if (last > first && last[-1] == '\r') --last;
  return std::string_view(first, static_cast<std::size_t>(last - first));
}

}  // namespace

CsvPosition CsvRecord::position(std::size_t index) const noexcept {
  const Field& field = fields_[index];
  const char* line_start = raw_.data() + field.line_offset;
  return CsvPosition{line_ + field.line_index, code_points(line_start, raw_.data() + field.raw_offset) + 1};
}

CsvReader::CsvReader(input::ByteSource& source, CsvReaderOptions options)
    : source_(source), options_(options) {
  options_.buffer_bytes = std::max<std::size_t>(options_.buffer_bytes, 64);
  options_.max_record_bytes = std::max(options_.max_record_bytes, options_.buffer_bytes);
  buffer_.resize(options_.buffer_bytes);
  special_[static_cast<unsigned char>(options_.delimiter)] = true;
  special_[static_cast<unsigned char>('\n')] = true;
}

CsvReader::Result CsvReader::fail(CsvPosition position, std::string message, bool fatal) {
  error_ = CsvError{position, std::move(message), fatal};
  if (fatal) stopped_ = true;
  return Result::error;
}

bool CsvReader::refill() {
  if (input_ended_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) {
    if (buffer_.size() >= options_.max_record_bytes) {
      fail(CsvPosition{next_line_, 1},
           "record is longer than " + std::to_string(options_.max_record_bytes) +
               " bytes (is a quote left open?)",
           true);
      return false;
    }
    buffer_.resize(std::min(buffer_.size() * 2, options_.max_record_bytes));
  }
  wavefront::Expected<std::size_t> count = source_.read(buffer_.data() + end_, buffer_.size() - end_);
  if (!count) {
    fail(CsvPosition{next_line_, 1}, count.status().message(), true);
    error_.read_failed = true;
    return false;
  }
  if (*count == 0) {
    input_ended_ = true;
    return true;  // nothing new, but the parser may now finish a record at the end of the input
  }
  end_ += *count;
  return true;
}

void CsvReader::skip_byte_order_mark() {
  while (end_ - begin_ < kByteOrderMark.size() && !input_ended_ && !stopped_) {
    if (!refill()) break;
  }
  const std::string_view start(buffer_.data() + begin_, std::min(end_ - begin_, kByteOrderMark.size()));
  if (start == kByteOrderMark) begin_ += kByteOrderMark.size();
  bom_checked_ = true;
}

CsvReader::Result CsvReader::next(CsvRecord& record) {
  if (!bom_checked_) skip_byte_order_mark();
  for (;;) {
    if (stopped_) return Result::end;
    if (skip_to_line_end_) {
      const void* newline = std::memchr(buffer_.data() + begin_, '\n', end_ - begin_);
      if (newline == nullptr) {
        begin_ = end_;
        if (!refill()) return stopped_ ? Result::error : Result::end;
        if (input_ended_ && begin_ == end_) return Result::end;
        continue;
      }
      begin_ = static_cast<std::size_t>(static_cast<const char*>(newline) - buffer_.data()) + 1;
      ++next_line_;
      skip_to_line_end_ = false;
    }
    if (begin_ == end_) {
      if (input_ended_) return Result::end;
      if (!refill()) return stopped_ ? Result::error : Result::end;
      continue;
    }
    switch (parse_record(record)) {
      case Parse::complete: {
        const bool ended_with_newline = record.raw_.back() == '\n';
        next_line_ += record.line_breaks_ + (ended_with_newline ? 1 : 0);
        begin_ += record.raw_.size();
        if (record.fields_.size() == 1 && record.fields_[0].value.empty() &&
            (record.raw_.empty() || record.raw_[0] != kQuote)) {
          continue;  // a blank line
        }
        unescape_quoted(record);
        return Result::record;
      }
      case Parse::need_more:
        if (input_ended_) {  // only an open quote makes the parser want more at the end
          const CsvPosition position = record.position(record.fields_.size() - 1);
          return fail(position, "quoted field starting here is not closed before the end of the input", true);
        }
        if (!refill()) return stopped_ ? Result::error : Result::end;
        continue;
      case Parse::bad: {
        const char* start = buffer_.data() + begin_;
        const CsvPosition position = locate(start, start + bad_offset_, next_line_);
        // Resume on the line after the one the problem is on.
        next_line_ = position.line;
        begin_ += bad_offset_;
        skip_to_line_end_ = true;
        return fail(position, bad_message_, false);
      }
    }
  }
}

CsvReader::Parse CsvReader::parse_record(CsvRecord& record) {
  const char* const record_start = buffer_.data() + begin_;
  const char* const end = buffer_.data() + end_;
  const char delimiter = options_.delimiter;
  const char* cursor = record_start;
  const char* line_start = record_start;
  std::uint32_t line_index = 0;
  record.fields_.clear();
  record.line_ = next_line_;
  escaped_fields_.clear();

  // Until the record is complete, its raw bytes are everything buffered from its start: an open quote
  // at the end of the input is located through them (found by csv_fuzz: a stale view was used).
  record.raw_ = std::string_view(record_start, static_cast<std::size_t>(end - record_start));
  auto finish = [&](const char* record_end) {
    record.raw_ = std::string_view(record_start, static_cast<std::size_t>(record_end - record_start));
    record.line_breaks_ = line_index;
    return Parse::complete;
  };
  auto add_field = [&](const char* field_start, std::string_view value) {
    record.fields_.push_back(CsvRecord::Field{value, static_cast<std::uint32_t>(field_start - record_start),
                                              static_cast<std::uint32_t>(line_start - record_start),
                                              line_index});
  };

  for (;;) {
    const char* const field_start = cursor;
    if (cursor < end && *cursor == kQuote) {
      const char* content = ++cursor;
      bool escaped = false;
      const char* closing = nullptr;
      // Register the field first so that an open quote at the end of the input can be located.
      add_field(field_start, std::string_view());
      while (closing == nullptr) {
        const char* quote = static_cast<const char*>(std::memchr(cursor, kQuote, end - cursor));
        const char* scan_end = quote == nullptr ? end : quote;
        for (const char* newline = cursor;
             (newline = static_cast<const char*>(std::memchr(newline, '\n', scan_end - newline))) != nullptr;
             ++newline) {
          ++line_index;
          line_start = newline + 1;
        }
        if (quote == nullptr || (quote + 1 == end && !input_ended_)) return Parse::need_more;
        if (quote + 1 < end && quote[1] == kQuote) {
          escaped = true;
          cursor = quote + 2;
          continue;
        }
        closing = quote;
      }
      record.fields_.back().value = std::string_view(content, static_cast<std::size_t>(closing - content));
      if (escaped) escaped_fields_.push_back(static_cast<std::uint32_t>(record.fields_.size() - 1));
      cursor = closing + 1;
      if (cursor == end) {
        if (!input_ended_) return Parse::need_more;
        return finish(cursor);
      }
      if (*cursor == delimiter) {
        ++cursor;
        continue;
      }
      if (*cursor == '\n') return finish(cursor + 1);
      if (*cursor == '\r') {
        if (cursor + 1 == end) return input_ended_ ? finish(cursor + 1) : Parse::need_more;
        if (cursor[1] == '\n') return finish(cursor + 2);
      }
      bad_offset_ = static_cast<std::size_t>(cursor - record_start);
      bad_message_ =
          "unexpected character after a closing quote (a quote inside a quoted field is written \"\")";
      return Parse::bad;
    }
    while (cursor < end && !special_[static_cast<unsigned char>(*cursor)]) ++cursor;
    if (cursor == end) {
      if (!input_ended_) return Parse::need_more;
      add_field(field_start, without_trailing_cr(field_start, cursor));
      return finish(cursor);
    }
    if (*cursor == delimiter) {
      add_field(field_start, std::string_view(field_start, static_cast<std::size_t>(cursor - field_start)));
      ++cursor;
      continue;
    }
    add_field(field_start, without_trailing_cr(field_start, cursor));  // '\n'
    return finish(cursor + 1);
  }
}

void CsvReader::unescape_quoted(CsvRecord& record) {
  // Unescaped copies go to a separate buffer, so the record's raw bytes (which CsvRecord::position
  // counts characters across) stay as read. Reserved up front: the views into it stay valid. (Found by
  // csv_fuzz: unescaping in place shifted line breaks and split multi-byte characters.)
  unescaped_.clear();
  unescaped_.reserve(record.raw_.size());
  for (std::uint32_t index : escaped_fields_) {
    CsvRecord::Field& field = record.fields_[index];
    const std::size_t start = unescaped_.size();
    const std::string_view value = field.value;
    for (std::size_t read = 0; read < value.size(); ++read) {
      unescaped_ += value[read];
      if (value[read] == kQuote) ++read;  // the second quote of a "" pair
    }
    field.value = std::string_view(unescaped_).substr(start);
  }
}

}  // namespace wfsend::import
