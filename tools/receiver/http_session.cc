// Routing, body handling and answers of the receiver's HTTP connections; see http_session.h.
#include "receiver/http_session.h"

#include "receiver/http_answer.h"
#include "wavefront/event_json.h"

namespace wfreceiver {
namespace {

constexpr std::size_t kKeptStagingCapacity = std::size_t{64} * 1024;
constexpr std::size_t kSmallCommitBytes = std::size_t{64} * 1024;
constexpr std::string_view kUnauthorized = "missing or wrong bearer token\n";
constexpr std::string_view kChallenge = "WWW-Authenticate: Bearer\r\n";
constexpr std::string_view kUsage =
    "POST lines to /report?f=wavefront|histogram|trace|spanLogs|event (any path), one event as JSON to "
    "/api/v2/event; GET /health or /stats\n";

// Compares without stopping at the first difference, so the time taken does not tell how much of
// the token a guess got right.
bool constant_time_equals(std::string_view given, std::string_view expected) noexcept {
  unsigned difference = given.size() == expected.size() ? 0U : 1U;
  for (std::size_t index = 0; index < expected.size(); ++index) {
    const char guess = index < given.size() ? given[index] : '\0';
    difference |= static_cast<unsigned char>(guess ^ expected[index]);
  }
  return difference == 0;
}

}  // namespace

HttpSession::HttpSession(LoopContext& context, Replies& replies, LineFilter port_filter, std::string peer_ip,
                         std::string peer_label)
    : context_(context),
      replies_(replies),
      port_filter_(port_filter),
      peer_ip_(std::move(peer_ip)),
      peer_label_(std::move(peer_label)),
      parser_(HttpParserLimits{context.options.max_head_bytes, std::size_t{4} * 1024}),
      input_(context.options.max_line_length, context.inflate_buffer),
      held_(context.held),
      label_(peer_label_) {}

HttpSession::~HttpSession() = default;

std::size_t HttpSession::process(std::string_view data, std::size_t& budget) {
  const std::size_t used = process_requests(data, budget);
  enforce_budget();
  return used;
}

std::size_t HttpSession::process_requests(std::string_view data, std::size_t& budget) {
  std::size_t used = 0;
  while (!replies_.close_after && !input_.has_leftover()) {
    if (!parser_.in_request()) {
      if (used == data.size() || replies_.unsent() > kMaxUnsentReplies) break;
      started_ = context_.now;
    }
    const HttpRequestParser::Result result = parser_.parse(data.substr(used));
    used += result.consumed;
    switch (result.step) {
      case HttpRequestParser::Step::need_more:
        return used;
      case HttpRequestParser::Step::error:
        count_headless_request();
        respond(parser_.error_status(), parser_.error_message() + "\n", true);
        return used;
      case HttpRequestParser::Step::head:
        on_head();
        break;
      case HttpRequestParser::Step::body:
        on_body(result.body, budget);
        break;
      case HttpRequestParser::Step::complete:
        on_complete();
        break;
    }
  }
  return used;
}

void HttpSession::resume(std::size_t& budget) {
  handle(input_.resume(*this, budget));
  // The body may have ended with the leftover: let the parser report the end without new bytes.
  if (!input_.has_leftover() && !replies_.close_after) process_requests(std::string_view(), budget);
  enforce_budget();
}

std::size_t HttpSession::held_bytes() const noexcept {
  return staging_.capacity() + input_.held_bytes() + parser_.held_bytes();
}

void HttpSession::account() {
  if (!held_.update(held_bytes())) over_budget_ = true;
}

void HttpSession::enforce_budget() {
  account();
  if (over_budget_ && parser_.in_request() && !replies_.close_after) refuse_over_budget();
}

void HttpSession::refuse_over_budget() {
  abandon(503,
          "more than " + std::to_string(context_.options.max_buffered_bytes) +
              " bytes held for unfinished requests (--max-buffered-bytes); retry later",
          "Retry-After: 1\r\n");
}

void HttpSession::on_request_timeout() {
  if (!parser_.in_request() || replies_.close_after) return;
  count_headless_request();
  respond(408,
          "request not complete within " + std::to_string(context_.options.request_timeout.count()) + " ms\n",
          true);
}

void HttpSession::count_headless_request() {
  if (parser_.head_done()) return;  // on_head counted it
  ++request_number_;
  context_.stats.add(context_.stats.http_requests);
  label_ = peer_label_ + " request " + std::to_string(request_number_);
}

void HttpSession::on_peer_closed() {
  if (parser_.in_request() && !replies_.close_after) {
    context_.ingester.report(origin(), "the client closed the connection in the middle of the request",
                             context_.now);
  }
  std::string().swap(staging_);
  input_.discard();
  account();
}

bool HttpSession::authorized(const HttpRequest& request) const noexcept {
  const std::string& token = context_.options.token;
  if (token.empty()) return true;
  constexpr std::string_view kScheme = "bearer ";
  const std::string_view given = request.authorization;
  if (given.size() < kScheme.size() || !equals_ignore_case(given.substr(0, kScheme.size()), kScheme)) {
    return false;
  }
  return constant_time_equals(given.substr(kScheme.size()), token);
}

std::uint64_t HttpSession::raw_body_limit() const noexcept {
  // gzip never grows data by more than a few bytes per 16 KiB block.
  const std::uint64_t limit = context_.options.max_body_bytes;
  return gzip_ ? limit + limit / 64 + 4096 : limit;
}

void HttpSession::on_head() {
  ++request_number_;
  context_.stats.add(context_.stats.http_requests);
  label_ = peer_label_ + " request " + std::to_string(request_number_);
  action_ = BodyAction::discard;
  decided_status_ = 0;
  decided_body_.clear();
  decided_headers_.clear();
  tally_.clear();
  over_budget_ = false;
  raw_body_bytes_ = 0;
  gzip_ = false;
  gzip_magic_seen_ = 0;

  const HttpRequest& request = parser_.request();
  if (request.method == "POST") {
    route_post(request);
  } else if (request.method == "GET" || request.method == "HEAD") {
    if (request.path == "/health") {
      decide(200, "ok\n");  // open even with a token: load balancers probe it without secrets
    } else if (request.path == "/stats" && !authorized(request)) {
      decide(401, std::string(kUnauthorized), std::string(kChallenge));
    } else if (request.path == "/stats") {
      decide(200, stats_json(context_.stats.snapshot()) + "\n", "Content-Type: application/json\r\n");
    } else {
      decide(404, std::string(kUsage));
    }
  } else {
    decide(405, std::string(kUsage), "Allow: GET, HEAD, POST\r\n");
  }

  if (decided_status_ >= 400 && request.has_body()) {
    // Read and drop the body only when it is small and already coming; otherwise answer now and close.
    const bool small = request.content_length && *request.content_length <= context_.options.max_body_bytes;
    if (!small || request.expect_continue || decided_status_ == 413) {
      respond(decided_status_, decided_body_, true, decided_headers_);
    }
  } else if (action_ != BodyAction::discard && request.expect_continue && request.has_body()) {
    replies_.bytes.append("HTTP/1.1 100 Continue\r\n\r\n");
  }
}

void HttpSession::route_post(const HttpRequest& request) {
  const std::string_view encoding = request.content_encoding;
  if (!authorized(request)) {
    decide(401, std::string(kUnauthorized), std::string(kChallenge));
    return;
  }
  if (equals_ignore_case(encoding, "gzip") || equals_ignore_case(encoding, "x-gzip")) {
    gzip_ = true;
  } else if (!encoding.empty() && !equals_ignore_case(encoding, "identity")) {
    decide(415, "Content-Encoding " + std::string(encoding) + " is not supported; use gzip\n");
    return;
  }
  if (request.path == "/api/v2/event") {
    // A gzip label is judged by the body's first bytes (on_body): not gzip is 400, as on a proxy.
    action_ = BodyAction::event_json;
  } else {
    std::optional<std::string_view> format = query_parameter(request.query, "f");
    if (!format) format = query_parameter(request.query, "format");
    filter_ = port_filter_;
    if (format) {
      const std::optional<LineFilter> filter = filter_for_format(*format);
      if (!filter) {
        decide(400, "unknown format f=" + std::string(format->substr(0, 64)) +
                        "; use wavefront, histogram, trace, spanLogs or event\n");
        return;
      }
      filter_ = *filter;
    }
    action_ = BodyAction::lines;
    input_.start(gzip_, context_.options.max_body_bytes);
  }
  if (request.content_length && *request.content_length > raw_body_limit()) {
    action_ = BodyAction::discard;
    decide(413, "body larger than " + std::to_string(context_.options.max_body_bytes) + " bytes\n");
  }
}

bool HttpSession::check_gzip_magic(std::string_view piece) {
  static constexpr char kMagic[] = {'\x1f', '\x8b'};
  for (std::size_t index = 0; index < piece.size() && gzip_magic_seen_ < sizeof kMagic; ++index) {
    if (piece[index] != kMagic[gzip_magic_seen_]) {
      abandon(400,
              "Content-Encoding says gzip but the body is not gzip data (no gzip magic bytes 1f 8b); "
              "none of it is kept");
      return false;
    }
    ++gzip_magic_seen_;
  }
  if (action_ == BodyAction::event_json && gzip_magic_seen_ == sizeof kMagic) {
    abandon(415, "gzip-compressed event JSON is not supported; send it uncompressed");
    return false;
  }
  return true;
}

void HttpSession::on_body(std::string_view piece, std::size_t& budget) {
  raw_body_bytes_ += piece.size();
  if (gzip_ && action_ != BodyAction::discard && !check_gzip_magic(piece)) return;
  switch (action_) {
    case BodyAction::discard:
      return;
    case BodyAction::event_json:
      if (staging_.size() + piece.size() > context_.options.max_body_bytes) {
        abandon(413, "body larger than " + std::to_string(context_.options.max_body_bytes) + " bytes");
        return;
      }
      staging_.append(piece);
      account();
      if (over_budget_) refuse_over_budget();
      return;
    case BodyAction::lines:
      if (raw_body_bytes_ > raw_body_limit()) {
        abandon(413, "body larger than " + std::to_string(context_.options.max_body_bytes) + " bytes");
        return;
      }
      handle(input_.feed(piece, *this, budget));
      return;
  }
}

void HttpSession::handle(wfsend::input::LineStream::Outcome outcome) {
  switch (outcome) {
    case wfsend::input::LineStream::Outcome::ok:
    case wfsend::input::LineStream::Outcome::budget_spent:
      account();
      if (over_budget_) refuse_over_budget();
      return;
    case wfsend::input::LineStream::Outcome::too_large:
      abandon(413, "body larger than " + std::to_string(context_.options.max_body_bytes) +
                       " bytes after decompression; none of its lines is kept");
      return;
    case wfsend::input::LineStream::Outcome::corrupt:
      abandon(400, "corrupt gzip body: " + input_.error());
      return;
  }
}

void HttpSession::on_complete() {
  switch (action_) {
    case BodyAction::lines:
      complete_lines();
      break;
    case BodyAction::event_json:
      complete_event();
      break;
    case BodyAction::discard:
      respond(decided_status_, decided_body_, !parser_.request().keep_alive, decided_headers_);
      break;
  }
  if (replies_.close_after) return;
  release_staging();
  parser_.reset();
  label_ = peer_label_;
}

void HttpSession::complete_lines() {
  // A truncated body is refused whole, its unfinished last line unread: one report, not two.
  const bool complete =
      input_.finish([&](std::string_view line, std::uint64_t number) { on_line(line, number); });
  if (!complete) {
    abandon(400, "truncated gzip body: it ends in the middle of a gzip member; none of its lines is kept");
    return;
  }
  if (over_budget_) {
    refuse_over_budget();
    return;
  }
  // Written before the answer: a client that got 202 finds its lines in the output.
  OutputWriter& output = context_.output;
  if (!staging_.empty() && output.enabled()) {
    if (staging_.size() < kSmallCommitBytes) {
      output.buffer().append(staging_);
      output.flush();
    } else {
      output.write_through(staging_);
    }
  }
  context_.stats.add_lines(tally_);
  respond(202,
          "accepted " + std::to_string(tally_.total_accepted()) + ", rejected " +
              std::to_string(tally_.total_rejected()) + "\n",
          !parser_.request().keep_alive);
  input_.release_memory();
}

void HttpSession::complete_event() {
  std::string line;
  const wavefront::Status status =
      wavefront::event_line_from_json(line, staging_, context_.ingester.format_options(peer_ip_));
  if (status.ok()) {
    tally_.accept(wavefront::LineKind::event);
    if (context_.output.enabled()) {
      context_.output.buffer().append(line);
      context_.output.flush();
    }
  } else {
    tally_.reject(wavefront::LineKind::event);
  }
  context_.stats.add_lines(tally_);
  const bool close = !parser_.request().keep_alive;
  if (status.ok()) {
    respond(202, "accepted 1 event\n", close);
  } else {
    respond(400, std::string(wavefront::error_code_name(status.code())) + ": " + status.message() + "\n",
            close);
  }
}

void HttpSession::abandon(int status, std::string_view message, std::string_view headers) {
  // The connection closes after the answer: give back everything the request held at once.
  std::string().swap(staging_);
  input_.discard();
  account();
  tally_.clear();
  respond(status, std::string(message) + "\n", true, headers);
}

void HttpSession::decide(int status, std::string body, std::string headers) {
  decided_status_ = status;
  decided_body_ = std::move(body);
  decided_headers_ = std::move(headers);
}

void HttpSession::respond(int status, std::string_view body, bool close, std::string_view headers) {
  context_.stats.count_response(status);
  if (status >= 400) {
    std::string_view reason = body;
    if (!reason.empty() && reason.back() == '\n') reason.remove_suffix(1);
    context_.ingester.report(origin(),
                             "answered " + std::to_string(status) + " " + std::string(reason_phrase(status)) +
                                 ": " + std::string(reason),
                             context_.now);
  }
  HttpAnswer answer;
  answer.status = status;
  answer.body = body;
  answer.headers = headers;
  answer.close = close;
  answer.http10 = parser_.head_done() && parser_.request().minor_version == 0;
  answer.head_only = parser_.head_done() && parser_.request().method == "HEAD";
  append_answer(replies_.bytes, answer);
  if (close) replies_.close_after = true;
}

void HttpSession::release_staging() {
  staging_.clear();
  if (staging_.capacity() > kKeptStagingCapacity) std::string().swap(staging_);
  account();
}

void HttpSession::on_line(std::string_view line, std::uint64_t number) {
  if (over_budget_) return;
  std::string* out = context_.output.enabled() ? &staging_ : nullptr;
  context_.ingester.ingest(line, number, filter_, origin(), out, tally_, context_.now);
  if (out != nullptr) account();
}

void HttpSession::on_too_long(std::string_view start, std::uint64_t number) {
  context_.ingester.refuse(start, number, filter_, origin(), wavefront::ErrorCode::line_too_long,
                           context_.options.max_line_length + 1,
                           "the line is longer than " + std::to_string(context_.options.max_line_length) +
                               " bytes (--max-line-length); skipped",
                           tally_, context_.now);
}

}  // namespace wfreceiver
