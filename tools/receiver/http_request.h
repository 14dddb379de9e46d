// Incremental HTTP/1.1 request parsing for the receiver (private to tools/receiver/), on Boost.Beast's
// parser (kept out of this header: http_request.cc says how it is fed).
//
// The receiver's HTTP session feeds the bytes of a connection in whatever pieces they arrive and gets
// back one step at a time: the request head is complete (request() is then valid), a piece of the body
// (de-chunked; a view into the caller's input, never copied), the request is complete, or an error with
// the status to answer before closing (400, 417, 431, 501, 505). Only the head is buffered, up to
// max_head_bytes; chunk-size lines and trailers are bounded too, so a hostile client cannot make the
// parser hold more than that. Supports Content-Length and chunked bodies, HTTP/1.0 and 1.1 keep-alive
// rules, `Expect: 100-continue` (reported; answering it is the caller's job) and pipelined requests.
// Both Content-Length and Transfer-Encoding in one request is refused (request smuggling), and so are
// two Content-Length values that differ and a second Authorization header (400).
//
// Thread-safety: not thread-safe; one parser per connection, used by the event-loop thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wfreceiver {

// The head of one request. Views point into the parser and stay valid until reset().
struct HttpRequest {
  std::string_view method;
  std::string_view target;  // as sent, e.g. "/report?f=wavefront"
  std::string_view path;    // the target before '?'
  std::string_view query;   // after '?', empty when none
  int minor_version = 1;    // HTTP/1.<minor_version>
  std::optional<std::uint64_t> content_length;
  bool chunked = false;
  bool keep_alive = true;
  bool expect_continue = false;
  std::string_view content_encoding;                                   // trimmed, as sent
  std::string_view authorization;                                      // trimmed, as sent
  std::vector<std::pair<std::string_view, std::string_view>> headers;  // every header, in order

  bool has_body() const noexcept { return chunked || content_length.value_or(0) > 0; }
  // The first header with this name (case-insensitive), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const noexcept;
};

// The value of the first `name=value` pair of a query string (not percent-decoded), or nullopt.
std::optional<std::string_view> query_parameter(std::string_view query, std::string_view name) noexcept;
// ASCII case-insensitive equality.
bool equals_ignore_case(std::string_view left, std::string_view right) noexcept;

struct HttpParserLimits {
  std::size_t max_head_bytes = std::size_t{64} * 1024;  // request line and headers; 431 above
  std::size_t max_chunk_line_bytes =
      std::size_t{4} * 1024;  // a chunk-size line with its extensions; 400 above
};

class HttpRequestParser {
 public:
  enum class Step : std::uint8_t {
    need_more,  // all input consumed, nothing else to report
    head,       // request() is ready
    body,       // `body` holds the next piece of the body (possibly empty: framing was read)
    complete,   // the request (body included) is over; call reset() before the next one
    error,      // error_status() and error_message() say why; the connection must be closed
  };
  struct Result {
    Step step = Step::need_more;
    std::size_t consumed = 0;  // bytes of the input used by this step
    std::string_view body;     // Step::body only: a view into the input given to parse()
  };

  explicit HttpRequestParser(HttpParserLimits limits = HttpParserLimits());
  ~HttpRequestParser();
  HttpRequestParser(const HttpRequestParser&) = delete;
  HttpRequestParser& operator=(const HttpRequestParser&) = delete;

  // Consumes input up to the next step. Call again with the rest of the input (possibly empty: a head
  // without a body is followed by `complete` without more bytes) until need_more.
  Result parse(std::string_view input);

  const HttpRequest& request() const noexcept { return request_; }
  int error_status() const noexcept { return error_status_; }
  const std::string& error_message() const noexcept { return error_message_; }
  // True once a byte of a request has arrived and until reset() (for the request deadline).
  bool in_request() const noexcept { return state_ != State::idle; }
  // True once the head was read and understood (request() is then meaningful), until reset().
  bool head_done() const noexcept { return head_done_; }
  // Bytes kept for the head, chunk-size lines and trailers (their buffers' capacity).
  std::size_t held_bytes() const noexcept { return head_.capacity() + carry_.capacity(); }
  // Readies the parser for the next request on the connection; keeps its buffers.
  void reset() noexcept;

 private:
  class Beast;  // Boost.Beast's parser with this parser's callbacks (http_request.cc)
  enum class State : std::uint8_t { idle, head, body, done, failed };

  Result parse_head(std::string_view input);
  Result parse_body(std::string_view input);
  // The carry holds the trailers (not a chunk-size line), and their bound applies.
  // The most bytes of `text` (starting where a chunk-size line is expected) that may be held for one
  // line: max_chunk_line_bytes and its CRLF, or max_head_bytes once `text` shows the last chunk.
  std::size_t carry_limit(std::string_view text) const noexcept;
  Result fail(int status, std::string message, std::size_t consumed);
  Result fail_beast(std::size_t consumed);

  HttpParserLimits limits_;
  State state_ = State::idle;
  std::string head_;                 // the head, bare LFs made CRLF; request_ views into it
  std::string carry_;                // a chunk-size line or trailers cut by the end of an input
  bool carry_follows_data_ = false;  // carry_ starts where a chunk's data ended (CRLF must come first)
  std::size_t head_raw_bytes_ = 0;
  std::size_t head_lines_ = 0;  // complete lines of the head so far
  int line_ends_ = 0;           // consecutive line ends at the end of head_ (2: the head is over)
  char last_raw_ = '\0';
  bool head_done_ = false;
  HttpRequest request_;
  int error_status_ = 0;
  std::string error_message_;
  std::unique_ptr<std::optional<Beast>> beast_;  // one per request, emplaced when it starts
};

}  // namespace wfreceiver
