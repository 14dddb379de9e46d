// See tokenizer.h.
#include "wavefront/wire/tokenizer.h"

#include <cstring>

namespace wavefront::wire {
namespace {

class Scanner {
 public:
  Scanner(std::string_view line, std::size_t start, std::string& scratch, std::size_t& error_offset)
      : line_(line), position_(start), scratch_(scratch), error_offset_(error_offset) {}

  Status run(std::vector<Token>& tokens) {
    tokens.clear();
    for (;;) {
      while (position_ < line_.size() && is_blank(line_[position_])) ++position_;
      if (position_ >= line_.size()) return Status();
      Token token;
      token.offset = position_;
      if (Status status = read_token(token); !status.ok()) return status;
      tokens.push_back(token);
    }
  }

 private:
  Status fail(std::string message) {
    error_offset_ = position_;
    return Status(ErrorCode::malformed_line, std::move(message));
  }

  // A quoted string starting at position_ (on the quote, `"` or `'`).
  Status read_quoted(std::string_view& out) {
    const std::size_t open = position_;
    const char quote_char = line_[open];
    const std::size_t first = open + 1;
    const char* data = line_.data();
    std::size_t at = first;
    bool escaped = false;
    for (;;) {
      const void* found = std::memchr(data + at, quote_char, line_.size() - at);
      if (found == nullptr) {
        position_ = open;
        return fail(quote_char == '"' ? "unterminated quoted string" : "unterminated single-quoted string");
      }
      const std::size_t quote = static_cast<std::size_t>(static_cast<const char*>(found) - data);
      // StringParser looks one byte back, so a quote right after the opening one counts as escaped
      // only when a backslash precedes it.
      if (quote > first && line_[quote - 1] == '\\') {
        escaped = true;
        at = quote + 1;
        continue;
      }
      position_ = quote + 1;
      if (!escaped) {
        out = line_.substr(first, quote - first);
        return Status();
      }
      const std::size_t begin = scratch_.size();
      for (std::size_t index = first; index < quote; ++index) {
        if (line_[index] == '\\' && index + 1 < quote && line_[index + 1] == quote_char) {
          scratch_ += quote_char;
          ++index;
        } else {
          scratch_ += line_[index];
        }
      }
      out = std::string_view(scratch_).substr(begin);
      return Status();
    }
  }

  // A bare word up to a space, a tab or '=' (a value's word also ends at '=': `k=a=b` is refused).
  Status read_bare(std::string_view& out, bool /*stop_at_equals*/) {
    const std::size_t first = position_;
    while (position_ < line_.size() && !ends_bare_word(line_[position_])) ++position_;
    out = line_.substr(first, position_ - first);
    return Status();
  }

  Status read_value(Token& token) {
    token.value_offset = position_;
    if (position_ < line_.size() && (line_[position_] == '"' || line_[position_] == '\'')) {
      token.quoted = true;
      return read_quoted(token.value);
    }
    return read_bare(token.value, false);
  }

  Status read_token(Token& token) {
    std::string_view first;
    bool first_quoted = false;
    if (line_[position_] == '"' || line_[position_] == '\'') {
      first_quoted = true;
      if (Status status = read_quoted(first); !status.ok()) return status;
    } else if (Status status = read_bare(first, true); !status.ok()) {
      return status;
    }
    if (position_ < line_.size() && line_[position_] == '=') {
      ++position_;
      token.has_key = true;
      token.key = first;
      return read_value(token);
    }
    token.value = first;
    token.value_offset = token.offset;
    token.quoted = first_quoted;
    return Status();
  }

  std::string_view line_;
  std::size_t position_;
  std::string& scratch_;
  std::size_t& error_offset_;
};

}  // namespace

Status tokenize(std::string_view line, std::size_t start, std::vector<Token>& tokens, std::string& scratch,
                std::size_t& error_offset) {
  return Scanner(line, start, scratch, error_offset).run(tokens);
}

}  // namespace wavefront::wire
