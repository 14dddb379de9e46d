// The incremental HTTP/1.1 request parser of `wfsend listen`; see http_request.h.
#include "receiver/http_request.h"

#include <algorithm>
#include <cstring>

namespace wfreceiver {
namespace {

constexpr std::size_t kMaxContentLengthDigits = 18;  // fits in 63 bits
constexpr std::size_t kMaxChunkSizeDigits = 15;

bool is_token_char(char character) noexcept {
  if ((character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
      (character >= '0' && character <= '9'))
    return true;
  return std::strchr("!#$%&'*+-.^_`|~", character) != nullptr && character != '\0';
}

bool is_token(std::string_view text) noexcept {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

std::string_view trim_blanks(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string_view strip_cr(std::string_view line) noexcept {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Calls `each` with every trimmed element of a comma-separated header value.
template <class Each>
void for_each_element(std::string_view value, Each&& each) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    each(trim_blanks(value.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

}  // namespace

bool equals_ignore_case(std::string_view left, std::string_view right) noexcept {
  if (left.size() != right.size()) return false;
  for (std::size_t index = 0; index < left.size(); ++index) {
    char a = left[index];
    char b = right[index];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

std::optional<std::string_view> HttpRequest::header(std::string_view name) const noexcept {
  for (const auto& [key, value] : headers) {
    if (equals_ignore_case(key, name)) return value;
  }
  return std::nullopt;
}

std::optional<std::string_view> query_parameter(std::string_view query, std::string_view name) noexcept {
  while (!query.empty()) {
    const std::size_t ampersand = query.find('&');
    const std::string_view pair = query.substr(0, ampersand);
    const std::size_t equals = pair.find('=');
    if (pair.substr(0, equals) == name) {
      return equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    }
    if (ampersand == std::string_view::npos) break;
    query.remove_prefix(ampersand + 1);
  }
  return std::nullopt;
}

HttpRequestParser::HttpRequestParser(HttpParserLimits limits) : limits_(limits) {}

void HttpRequestParser::reset() noexcept {
  state_ = State::idle;
  head_.clear();
  line_.clear();
  trailer_bytes_ = 0;
  remaining_ = 0;
  saw_cr_ = false;
  head_done_ = false;
  saw_authorization_ = false;
  request_ = HttpRequest();
  error_status_ = 0;
  error_message_.clear();
}

HttpRequestParser::Result HttpRequestParser::fail(int status, std::string message, std::size_t consumed) {
  state_ = State::failed;
  error_status_ = status;
  error_message_ = std::move(message);
  return Result{Step::error, consumed, {}};
}

HttpRequestParser::Result HttpRequestParser::parse(std::string_view input) {
  std::size_t used = 0;
  for (;;) {
    const std::string_view rest = input.substr(used);
    switch (state_) {
      case State::idle: {
        // Blank lines between requests are tolerated (RFC 9112 §2.2).
        std::size_t skip = 0;
        while (skip < rest.size() && (rest[skip] == '\r' || rest[skip] == '\n')) ++skip;
        used += skip;
        if (skip == rest.size()) return Result{Step::need_more, used, {}};
        state_ = State::head;
        break;
      }
      case State::head: {
        Result result = parse_head(rest);
        result.consumed += used;
        return result;
      }
      case State::body_length:
      case State::chunk_data: {
        if (remaining_ == 0) {
          state_ = state_ == State::body_length ? State::done : State::chunk_data_end;
          break;
        }
        if (rest.empty()) return Result{Step::need_more, used, {}};
        const std::size_t piece = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, rest.size()));
        remaining_ -= piece;
        return Result{Step::body, used + piece, rest.substr(0, piece)};
      }
      case State::chunk_data_end: {
        if (rest.empty()) return Result{Step::need_more, used, {}};
        if (rest.front() == '\r' && !saw_cr_) {
          saw_cr_ = true;
        } else if (rest.front() == '\n') {
          saw_cr_ = false;
          state_ = State::chunk_size;
        } else {
          return fail(400, "chunk data not followed by CRLF", used);
        }
        ++used;
        break;
      }
      case State::chunk_size:
      case State::trailers: {
        Result result = state_ == State::chunk_size ? parse_chunk_size(rest) : parse_trailers(rest);
        used += result.consumed;
        if (result.step == Step::error || result.step == Step::need_more) {
          result.consumed = used;
          return result;
        }
        break;  // state_ moved on
      }
      case State::done:
        return Result{Step::complete, used, {}};
      case State::failed:
        return Result{Step::error, used, {}};
    }
  }
}

HttpRequestParser::Result HttpRequestParser::parse_head(std::string_view input) {
  const std::size_t old_size = head_.size();
  const std::size_t take = std::min(input.size(), limits_.max_head_bytes - old_size);
  head_.append(input.data(), take);
  // The head ends at the first empty line (CRLF CRLF, or bare LFs).
  std::size_t search = old_size >= 2 ? old_size - 2 : 0;
  for (;;) {
    const std::size_t newline = head_.find('\n', search);
    if (newline == std::string::npos) break;
    std::size_t end = 0;
    if (newline + 1 < head_.size() && head_[newline + 1] == '\n') {
      end = newline + 2;
    } else if (newline + 2 < head_.size() && head_[newline + 1] == '\r' && head_[newline + 2] == '\n') {
      end = newline + 3;
    }
    if (end != 0) {
      const std::size_t consumed = end - old_size;
      head_.resize(end);
      if (!interpret_head()) return Result{Step::error, consumed, {}};
      head_done_ = true;
      if (request_.chunked) {
        state_ = State::chunk_size;
      } else if (request_.content_length.value_or(0) > 0) {
        state_ = State::body_length;
        remaining_ = *request_.content_length;
      } else {
        state_ = State::done;
      }
      return Result{Step::head, consumed, {}};
    }
    search = newline + 1;
  }
  if (head_.size() >= limits_.max_head_bytes) {
    return fail(431, "request head longer than " + std::to_string(limits_.max_head_bytes) + " bytes", take);
  }
  return Result{Step::need_more, take, {}};
}

bool HttpRequestParser::interpret_head() {
  std::string_view head(head_);
  const std::size_t first_end = head.find('\n');
  const std::string_view request_line = strip_cr(head.substr(0, first_end));
  head.remove_prefix(first_end + 1);

  const std::size_t method_end = request_line.find(' ');
  const std::size_t target_end =
      method_end == std::string_view::npos ? method_end : request_line.find(' ', method_end + 1);
  if (target_end == std::string_view::npos) {
    fail(400, "malformed request line", 0);
    return false;
  }
  request_.method = request_line.substr(0, method_end);
  request_.target = request_line.substr(method_end + 1, target_end - method_end - 1);
  const std::string_view version = request_line.substr(target_end + 1);
  const bool target_ok =
      !request_.target.empty() && std::none_of(request_.target.begin(), request_.target.end(), [](char c) {
        return static_cast<unsigned char>(c) <= ' ' || c == '\x7f';
      });
  if (!is_token(request_.method) || !target_ok) {
    fail(400, "malformed request line", 0);
    return false;
  }
  if (version == "HTTP/1.1" || version == "HTTP/1.0") {
    request_.minor_version = version.back() - '0';
  } else if (version.size() == 8 && version.substr(0, 5) == "HTTP/") {
    fail(505, "HTTP version not supported", 0);
    return false;
  } else {
    fail(400, "malformed request line", 0);
    return false;
  }
  const std::size_t question = request_.target.find('?');
  request_.path = request_.target.substr(0, question);
  request_.query =
      question == std::string_view::npos ? std::string_view() : request_.target.substr(question + 1);

  bool connection_close = false;
  bool connection_keep_alive = false;
  while (!head.empty()) {
    const std::size_t line_end = head.find('\n');
    const std::string_view line = strip_cr(head.substr(0, line_end));
    head.remove_prefix(line_end + 1);
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      fail(400, "obsolete header line folding", 0);
      return false;
    }
    const std::size_t colon = line.find(':');
    const std::string_view name = line.substr(0, colon);
    if (colon == std::string_view::npos || !is_token(name)) {
      fail(400, "malformed header line", 0);
      return false;
    }
    const std::string_view value = trim_blanks(line.substr(colon + 1));
    request_.headers.emplace_back(name, value);
    if (equals_ignore_case(name, "connection")) {
      for_each_element(value, [&](std::string_view option) {
        if (equals_ignore_case(option, "close")) connection_close = true;
        if (equals_ignore_case(option, "keep-alive")) connection_keep_alive = true;
      });
    } else if (!interpret_header(name, value)) {
      return false;
    }
  }
  if (request_.chunked && request_.content_length) {
    fail(400, "both Content-Length and Transfer-Encoding", 0);
    return false;
  }
  request_.keep_alive = !connection_close && (request_.minor_version >= 1 || connection_keep_alive);
  return true;
}

bool HttpRequestParser::interpret_header(std::string_view name, std::string_view value) {
  if (equals_ignore_case(name, "content-length")) {
    if (value.empty() || value.size() > kMaxContentLengthDigits ||
        !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      fail(400, "invalid Content-Length", 0);
      return false;
    }
    std::uint64_t length = 0;
    for (char digit : value) length = length * 10 + static_cast<std::uint64_t>(digit - '0');
    if (request_.content_length && *request_.content_length != length) {
      fail(400, "conflicting Content-Length headers", 0);
      return false;
    }
    request_.content_length = length;
  } else if (equals_ignore_case(name, "transfer-encoding")) {
    if (request_.chunked) {
      fail(400, "repeated Transfer-Encoding", 0);
      return false;
    }
    if (!equals_ignore_case(value, "chunked")) {
      fail(501, "only the chunked transfer coding is supported", 0);
      return false;
    }
    request_.chunked = true;
  } else if (equals_ignore_case(name, "expect")) {
    if (!equals_ignore_case(value, "100-continue")) {
      fail(417, "unsupported expectation", 0);
      return false;
    }
    request_.expect_continue = true;
  } else if (equals_ignore_case(name, "content-encoding")) {
    request_.content_encoding = value;
  } else if (equals_ignore_case(name, "authorization")) {
    // Authorization is not a list: with two, one could pass the token check and the other be used.
    if (saw_authorization_) {
      fail(400, "more than one Authorization header", 0);
      return false;
    }
    saw_authorization_ = true;
    request_.authorization = value;
  }
  return true;
}

HttpRequestParser::Result HttpRequestParser::parse_chunk_size(std::string_view input) {
  const std::size_t newline = input.find('\n');
  const std::size_t take = newline == std::string_view::npos ? input.size() : newline + 1;
  if (line_.size() + take > limits_.max_chunk_line_bytes) return fail(400, "chunk-size line too long", take);
  line_.append(input.data(), take);
  if (newline == std::string_view::npos) return Result{Step::need_more, take, {}};

  std::string_view line = strip_cr(std::string_view(line_).substr(0, line_.size() - 1));
  std::uint64_t size = 0;
  std::size_t digits = 0;
  for (; digits < line.size(); ++digits) {
    const char c = line[digits];
    int value = 0;
    if (c >= '0' && c <= '9') {
      value = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      value = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      value = c - 'A' + 10;
    } else {
      break;
    }
    size = size * 16 + static_cast<std::uint64_t>(value);
  }
  const std::string_view after = trim_blanks(line.substr(digits));
  if (digits == 0 || digits > kMaxChunkSizeDigits || (!after.empty() && after.front() != ';')) {
    return fail(400, "malformed chunk size", take);
  }
  line_.clear();
  if (size == 0) {
    state_ = State::trailers;
    trailer_bytes_ = 0;
  } else {
    state_ = State::chunk_data;
    remaining_ = size;
  }
  return Result{Step::body, take, {}};
}

HttpRequestParser::Result HttpRequestParser::parse_trailers(std::string_view input) {
  std::size_t used = 0;
  while (used < input.size()) {
    const std::string_view rest = input.substr(used);
    const std::size_t newline = rest.find('\n');
    const std::size_t take = newline == std::string_view::npos ? rest.size() : newline + 1;
    trailer_bytes_ += take;
    if (trailer_bytes_ > limits_.max_head_bytes) return fail(431, "trailers too long", used + take);
    line_.append(rest.data(), take);
    used += take;
    if (newline == std::string_view::npos) break;
    const bool empty = strip_cr(std::string_view(line_).substr(0, line_.size() - 1)).empty();
    line_.clear();
    if (empty) {
      state_ = State::done;
      return Result{Step::body, used, {}};
    }
  }
  return Result{Step::need_more, used, {}};
}

}  // namespace wfreceiver
