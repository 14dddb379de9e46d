// The incremental HTTP/1.1 request parser of the receiver, on Boost.Beast's basic_parser; see
// http_request.h.
//
// Beast parses the request line, the header fields, Content-Length and chunked framing (chunk sizes,
// extensions, trailers); this file feeds it and adds the receiver's rules. Beast wants a structure it
// parses (the head, a chunk-size line, the trailers) in one contiguous buffer, so:
//   - the head is copied into head_ as it arrives (at most max_head_bytes), with bare LF line ends
//     turned into CRLF (RFC 9112 §2.2 allows recognizing a lone LF; Beast does not), and handed to
//     Beast once its empty line has arrived; request() views into head_;
//   - a chunk-size line or the trailers cut by the end of the input are kept in carry_ (at most
//     max_chunk_line_bytes for a chunk-size line, max_head_bytes for the trailers) and handed to
//     Beast again with the next input;
//   - body bytes are never copied: Beast hands back views into the caller's input.
// Beast runs with eager(false), so each put() does one step (the head, one chunk header, one piece of
// body), which is what parse() reports.
#include "receiver/http_request.h"

#include <algorithm>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <charconv>
#include <cstring>
#include <limits>
#include <optional>

namespace wfreceiver {
namespace {

namespace http = boost::beast::http;

// Chunk sizes from 2^60 on (more than 15 hex digits' worth) are refused as malformed.
constexpr std::uint64_t kMaxChunkSize = std::uint64_t{1} << 60;

std::string_view view(boost::beast::string_view text) noexcept { return {text.data(), text.size()}; }

std::string_view trim_blanks(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
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

// The request line ends in a well-formed "HTTP/d.d" (Beast refuses every version but 1.x alike).
bool speaks_other_http_version(std::string_view head) noexcept {
  const std::string_view line = head.substr(0, head.find("\r\n"));
  if (line.size() < 9) return false;
  const std::string_view version = line.substr(line.size() - 9);
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return version[0] == ' ' && version.substr(1, 5) == "HTTP/" && digit(version[6]) && version[7] == '.' &&
         digit(version[8]);
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

// Beast's parser with the callbacks that fill an HttpRequest and hand back body pieces. A rule of the
// receiver's that a callback finds broken is recorded in `status`/`message` and stops Beast.
class HttpRequestParser::Beast final : public http::basic_parser<true> {
 public:
  Beast(HttpRequest& request, std::size_t max_head_bytes) : request_(request) {
    // The head is bounded before Beast sees it (max_head_bytes raw, up to twice that once bare LFs
    // became CRLF); the body is bounded by the receiver after decompression.
    header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(2 * max_head_bytes + 4, std::numeric_limits<std::uint32_t>::max())));
    // Not boost::none: Beast 1.74 compares the length with the optional, and none is below every value.
    body_limit(std::numeric_limits<std::uint64_t>::max());
    eager(false);
  }

  int status = 0;
  std::string message;

  // Sets status and message for an error put() returned, unless a callback already did.
  void explain(const boost::beast::error_code& ec, std::size_t max_head_bytes, std::string_view head) {
    if (status != 0) return;
    if (ec == http::error::bad_version && speaks_other_http_version(head)) {
      // Beast reads only HTTP/1.x; a well-formed other version is answered as the old parser did.
      status = 505;
      message = "HTTP version not supported";
    } else if (ec == http::error::header_limit) {
      status = 431;
      message = "request head longer than " + std::to_string(max_head_bytes) + " bytes";
    } else {
      status = 400;
      message = "malformed request: " + ec.message();
    }
  }
  std::string_view piece;         // the body bytes of the last put()
  bool chunk_data_ended = false;  // a chunk's data is over: CRLF must follow
  bool at_chunk_line = false;     // the next bytes are [CRLF] a chunk-size line (or the last one's trailers)

 private:
  void refuse(int code, std::string text, boost::beast::error_code& ec) {
    status = code;
    message = std::move(text);
    ec = http::error::bad_field;  // any error stops Beast; status says which
  }

  void on_request_impl(http::verb, boost::beast::string_view method, boost::beast::string_view target,
                       int version, boost::beast::error_code& ec) override {
    request_.method = view(method);
    request_.target = view(target);
    if (version != 10 && version != 11) return refuse(505, "HTTP version not supported", ec);
    request_.minor_version = version % 10;
    const std::size_t question = request_.target.find('?');
    request_.path = request_.target.substr(0, question);
    request_.query =
        question == std::string_view::npos ? std::string_view() : request_.target.substr(question + 1);
  }

  void on_response_impl(int, boost::beast::string_view, int, boost::beast::error_code&) override {}

  void on_field_impl(http::field, boost::beast::string_view name_text, boost::beast::string_view value_text,
                     boost::beast::error_code& ec) override {
    if (is_header_done()) return;  // a trailer: read and ignored
    const std::string_view name = view(name_text);
    const std::string_view value = trim_blanks(view(value_text));
    request_.headers.emplace_back(name, value);
    if (equals_ignore_case(name, "connection")) {
      for_each_element(value, [&](std::string_view option) {
        if (equals_ignore_case(option, "close")) connection_close_ = true;
        if (equals_ignore_case(option, "keep-alive")) connection_keep_alive_ = true;
      });
    } else if (equals_ignore_case(name, "content-length")) {
      request_.content_length = content_length_value(value);
    } else if (equals_ignore_case(name, "transfer-encoding")) {
      // Beast accepts any coding list ending in chunked; the receiver decodes no other transfer coding.
      if (!equals_ignore_case(value, "chunked")) {
        return refuse(501, "only the chunked transfer coding is supported", ec);
      }
      request_.chunked = true;
    } else if (equals_ignore_case(name, "expect")) {
      if (!equals_ignore_case(value, "100-continue")) return refuse(417, "unsupported expectation", ec);
      request_.expect_continue = true;
    } else if (equals_ignore_case(name, "content-encoding")) {
      request_.content_encoding = value;
    } else if (equals_ignore_case(name, "authorization")) {
      // Authorization is not a list: with two, one could pass the token check and the other be used.
      if (saw_authorization_) return refuse(400, "more than one Authorization header", ec);
      saw_authorization_ = true;
      request_.authorization = value;
    }
  }

  static std::optional<std::uint64_t> content_length_value(std::string_view value) {
    // Beast has checked the value before this callback (conflicting values are its bad_content_length);
    // its content_length() may only be asked once the whole head is read, so read the digits here.
    std::uint64_t length = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (error != std::errc() || end == value.data()) return std::nullopt;
    return length;
  }

  void on_header_impl(boost::beast::error_code&) override {
    at_chunk_line = request_.chunked;
    request_.keep_alive = !connection_close_ && (request_.minor_version >= 1 || connection_keep_alive_);
  }

  void on_body_init_impl(const boost::optional<std::uint64_t>&, boost::beast::error_code&) override {}

  std::size_t on_body_impl(boost::beast::string_view body, boost::beast::error_code&) override {
    piece = view(body);
    return body.size();
  }

  void on_chunk_header_impl(std::uint64_t size, boost::beast::string_view,
                            boost::beast::error_code& ec) override {
    if (size >= kMaxChunkSize) refuse(400, "malformed chunk size", ec);
    at_chunk_line = false;
  }

  std::size_t on_chunk_body_impl(std::uint64_t remain, boost::beast::string_view body,
                                 boost::beast::error_code&) override {
    piece = view(body);
    chunk_data_ended = remain == body.size();
    at_chunk_line = chunk_data_ended;
    return body.size();
  }

  void on_finish_impl(boost::beast::error_code&) override {}

  HttpRequest& request_;
  bool connection_close_ = false;
  bool connection_keep_alive_ = false;
  bool saw_authorization_ = false;
};

HttpRequestParser::HttpRequestParser(HttpParserLimits limits)
    : limits_(limits), beast_(std::make_unique<std::optional<Beast>>()) {}

HttpRequestParser::~HttpRequestParser() = default;

void HttpRequestParser::reset() noexcept {
  state_ = State::idle;
  head_.clear();
  carry_.clear();
  carry_follows_data_ = false;
  line_ends_ = 0;
  last_raw_ = '\0';
  head_raw_bytes_ = 0;
  head_lines_ = 0;
  head_done_ = false;
  request_ = HttpRequest();
  error_status_ = 0;
  error_message_.clear();
  beast_->reset();
}

HttpRequestParser::Result HttpRequestParser::fail(int status, std::string message, std::size_t consumed) {
  state_ = State::failed;
  error_status_ = status;
  error_message_ = std::move(message);
  return Result{Step::error, consumed, {}};
}

HttpRequestParser::Result HttpRequestParser::fail_beast(std::size_t consumed) {
  Beast& beast = **beast_;
  return fail(beast.status, beast.message, consumed);
}

HttpRequestParser::Result HttpRequestParser::parse(std::string_view input) {
  std::size_t used = 0;
  if (state_ == State::idle) {
    // Blank lines between requests are tolerated (RFC 9112 §2.2).
    while (used < input.size() && (input[used] == '\r' || input[used] == '\n')) ++used;
    if (used == input.size()) return Result{Step::need_more, used, {}};
    state_ = State::head;
    beast_->emplace(request_, limits_.max_head_bytes);
  }
  Result result;
  switch (state_) {
    case State::head:
      result = parse_head(input.substr(used));
      break;
    case State::body:
      result = parse_body(input.substr(used));
      break;
    case State::done:
      return Result{Step::complete, used, {}};
    case State::failed:
    case State::idle:
      return Result{Step::error, used, {}};
  }
  result.consumed += used;
  return result;
}

HttpRequestParser::Result HttpRequestParser::parse_head(std::string_view input) {
  // Copies raw bytes up to and including the empty line that ends the head.
  std::size_t used = 0;
  bool complete = false;
  while (used < input.size() && !complete) {
    if (head_raw_bytes_ >= limits_.max_head_bytes) {
      return fail(431, "request head longer than " + std::to_string(limits_.max_head_bytes) + " bytes", used);
    }
    const char c = input[used++];
    ++head_raw_bytes_;
    if (c == '\n') {
      if (last_raw_ != '\r') head_.push_back('\r');
      head_.push_back('\n');
      ++line_ends_;
      ++head_lines_;
      complete = line_ends_ == 2;
    } else {
      // Obsolete line folding (a header line starting with a blank): Beast would unfold it into a
      // buffer of its own, and the proxy refuses it.
      if (last_raw_ == '\n' && head_lines_ >= 1 && (c == ' ' || c == '\t')) {
        return fail(400, "obsolete header line folding", used);
      }
      head_.push_back(c);
      if (c != '\r') line_ends_ = 0;
    }
    last_raw_ = c;
  }
  if (!complete) {
    if (head_raw_bytes_ >= limits_.max_head_bytes) {
      return fail(431, "request head longer than " + std::to_string(limits_.max_head_bytes) + " bytes", used);
    }
    return Result{Step::need_more, used, {}};
  }
  Beast& beast = **beast_;
  boost::beast::error_code ec;
  const std::size_t parsed = beast.put(boost::asio::const_buffer(head_.data(), head_.size()), ec);
  if (ec) {
    beast.explain(ec, limits_.max_head_bytes, head_);
    return fail_beast(used);
  }
  if (parsed != head_.size() || !beast.is_header_done()) return fail(400, "malformed request head", used);
  head_done_ = true;
  state_ = beast.is_done() ? State::done : State::body;
  return Result{Step::head, used, {}};
}

namespace {

// True when `text` (from where a chunk-size line is expected: [CRLF] chunk-size-line ...) holds the
// whole line of the last chunk (size zero), so the trailers follow.
bool shows_last_chunk(std::string_view text) noexcept {
  if (text.substr(0, 2) == "\r\n") text.remove_prefix(2);
  const std::size_t newline = text.find('\n');
  if (newline == std::string_view::npos) return false;
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] == '0') ++digits;
  if (digits == 0) return false;
  return digits == newline || text[digits] == ';' || text[digits] == '\r' || text[digits] == ' ' ||
         text[digits] == '\t';
}

// True when `buffer` (from where a chunk-size line is expected) holds a LF not preceded by CR within
// what Beast waits for before it judges anything: a chunk-size line up to its first CR (a CRLF ends
// it; a lone CR is Beast's to refuse), or the last chunk's line and trailers up to the empty line.
// Cut into pieces, such a LF is refused while Beast still waits; refusing it the same way when the
// bytes arrive whole keeps the answer independent of the cut.
bool bare_lf_before_beast_judges(std::string_view buffer) noexcept {
  if (buffer.substr(0, 2) == "\r\n") buffer.remove_prefix(2);
  const std::size_t first_cr = buffer.find('\r');
  const std::size_t first_lf = buffer.find('\n');
  if (first_lf < first_cr) return true;
  if (first_lf != first_cr + 1 || !shows_last_chunk(buffer)) return false;
  // Beast looks for the empty line from the CRLF that ends the last chunk's line on.
  const std::size_t empty_line = buffer.find("\r\n\r\n", first_cr);
  const std::size_t end = empty_line == std::string_view::npos ? buffer.size() : empty_line + 4;
  for (std::size_t i = first_lf + 1; i < end; ++i) {
    if (buffer[i] == '\n' && buffer[i - 1] != '\r') return true;
  }
  return false;
}

}  // namespace

HttpRequestParser::Result HttpRequestParser::parse_body(std::string_view input) {
  Beast& beast = **beast_;
  if (beast.is_done()) {
    state_ = State::done;
    return Result{Step::complete, 0, {}};
  }
  if (input.empty()) return Result{Step::need_more, 0, {}};
  // After a chunk's data Beast wants 2 more bytes before it looks at them; a wrong byte is refused now,
  // whether the two bytes come together or cut (the first one then waits in carry_).
  const bool data_ended = carry_.empty() ? beast.chunk_data_ended : carry_follows_data_;
  if (data_ended) {
    char after_data[2] = {};
    std::size_t seen = 0;
    for (std::string_view part : {std::string_view(carry_), input}) {
      for (std::size_t i = 0; i < part.size() && seen < 2; ++i) after_data[seen++] = part[i];
    }
    if (after_data[0] != '\r' || (seen > 1 && after_data[1] != '\n')) {
      return fail(400, "chunk data not followed by CRLF", 0);
    }
  }
  // Beast is handed at most carry_limit() + 1 bytes from a chunk-size line on, whole or cut: what it
  // is shown of a line or of the trailers does not depend on where TCP cut them, so neither does the
  // answer (a line too long is refused as too long, not by what Beast makes of its first bytes).
  const std::size_t carried = carry_.size();
  std::size_t appended = 0;
  std::string_view buffer = input;
  if (carried != 0) {
    const std::size_t held_at_most = carry_limit(carry_) + 1;
    appended = std::min(input.size(), held_at_most - std::min(carried, held_at_most));
    carry_.append(input.data(), appended);
    buffer = carry_;
  } else if (beast.at_chunk_line) {
    // As much as may be held from here (a chunk-size line's limit, or the trailers' when the bytes
    // show the last chunk), plus one byte.
    buffer = input.substr(0, carry_limit(input.substr(0, carry_limit({}) + 1)) + 1);
  }
  beast.piece = {};
  beast.chunk_data_ended = false;
  boost::beast::error_code ec;
  const std::size_t parsed = beast.put(boost::asio::const_buffer(buffer.data(), buffer.size()), ec);
  if (ec == http::error::need_more) {
    // A chunk-size line or the trailers are cut: keep them for the next input.
    if (carried == 0) {
      appended = buffer.size();
      carry_.assign(buffer);
      carry_follows_data_ = data_ended;
    }
    // Beast looks for CRLF only and would wait forever for a line ended by a bare LF. Only the new
    // bytes are scanned, so a client trickling trailers costs linear time.
    for (std::size_t newline = carry_.find('\n', carried); newline != std::string::npos;
         newline = carry_.find('\n', newline + 1)) {
      if (newline == 0 || carry_[newline - 1] != '\r')
        return fail(400, "chunk line not ended by CRLF", appended);
    }
    if (carry_.size() > carry_limit(carry_)) {
      return shows_last_chunk(carry_) ? fail(431, "trailers too long", appended)
                                      : fail(400, "chunk-size line too long", appended);
    }
    return Result{Step::need_more, appended, {}};
  }
  if (ec) {
    if (bare_lf_before_beast_judges(buffer)) return fail(400, "chunk line not ended by CRLF", appended);
    beast.explain(ec, limits_.max_head_bytes, {});
    return fail_beast(carried == 0 ? parsed : appended);
  }
  std::size_t consumed = parsed;
  if (carried != 0) {
    // What was carried was not a whole step, so the step Beast took ends in the new bytes.
    if (parsed <= carried) return fail(400, "malformed chunked body", appended);
    consumed = parsed - carried;
    carry_.clear();
    carry_follows_data_ = false;
  }
  if (beast.is_done()) state_ = State::done;
  return Result{Step::body, consumed, beast.piece};
}

std::size_t HttpRequestParser::carry_limit(std::string_view text) const noexcept {
  return shows_last_chunk(text) ? limits_.max_head_bytes : limits_.max_chunk_line_bytes + 2;
}

}  // namespace wfreceiver
