// One accepted socket: sniffing, turns, raw and gzip lines, replies and deadlines; see connection.h.
#include "receiver/connection.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wfreceiver {
namespace {

bool starts_http(char first, char second) noexcept {
  static constexpr const char* kMethodStarts[] = {"GE", "PO", "PU", "HE", "OP", "PA", "DE", "TR", "CO"};
  for (const char* start : kMethodStarts) {
    if (first == start[0] && second == start[1]) return true;
  }
  return false;
}

std::string peer_label(const std::string& ip, std::uint16_t port) {
  const bool ipv6 = ip.find(':') != std::string::npos;
  return (ipv6 ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

std::string milliseconds_text(std::chrono::milliseconds duration) {
  return std::to_string(duration.count()) + " ms";
}

}  // namespace

Connection::Connection(LoopContext& context, int fd, std::string peer_ip, std::uint16_t peer_port,
                       LineFilter filter)
    : context_(context),
      fd_(fd),
      peer_ip_(std::move(peer_ip)),
      label_(peer_label(peer_ip_, peer_port)),
      filter_(filter),
      input_(context.options.max_line_length, context.inflate_buffer),
      held_(context.held),
      last_activity_(context.now) {
  context_.stats.add(context_.stats.connections);
  context_.stats.add(context_.stats.connections_open);
}

Connection::~Connection() { close_now(); }

void Connection::close_now() {
  if (fd_ < 0) return;
  commit_tally();  // counted before the client can see the close
  context_.stats.sub(context_.stats.connections_open);
  ::close(fd_);
  fd_ = -1;
  pending_.clear();
  pending_offset_ = 0;
}

bool Connection::has_pending_work() const noexcept {
  if (closed() || lingering_) return false;
  if (mode_ == Mode::gzip_lines && input_.has_leftover()) return true;
  if (mode_ == Mode::http && http_->has_leftover()) return true;
  return pending_offset_ < pending_.size() && !replies_backed_up() && !replies_.close_after;
}

std::uint32_t Connection::wanted_events() const noexcept {
  if (closed()) return 0;
  std::uint32_t events = replies_.unsent() > 0 ? static_cast<std::uint32_t>(EPOLLOUT) : 0U;
  const bool reading = lingering_ || (!peer_closed_ && !replies_.close_after && !replies_backed_up() &&
                                      !has_pending_work() && pending_offset_ >= pending_.size());
  if (reading) events |= EPOLLIN;
  return events;
}

void Connection::turn() {
  turn_once();
  account();
}

void Connection::account() {
  if (closed()) return;
  const bool raw = mode_ == Mode::lines || mode_ == Mode::gzip_lines;
  // An HTTP session accounts for itself (and answers 503); here only the bytes read ahead, and a raw
  // stream's unfinished line, compressed leftover and decompressor.
  if (held_.update(pending_.capacity() + (raw ? input_.held_bytes() : 0)) || !raw) return;
  context_.ingester.report(
      origin(),
      "more than " + std::to_string(context_.options.max_buffered_bytes) +
          " bytes held for unfinished lines and requests (--max-buffered-bytes); closing",
      context_.now);
  input_.discard();
  close_now();
  held_.update(0);
}

void Connection::turn_once() {
  if (closed()) return;
  if (lingering_) {
    drain_lingering();
    return;
  }
  std::size_t budget = context_.options.turn_budget_bytes;
  if (mode_ == Mode::gzip_lines && input_.has_leftover()) {
    const bool was_in_line = input_.in_line();
    const std::uint64_t number = input_.line_number();
    handle(input_.resume(*this, budget));
    if (input_.in_line() && (!was_in_line || input_.line_number() != number)) line_started_ = context_.now;
    commit_tally();
    return;
  }
  if (mode_ == Mode::http && http_->has_leftover()) {
    http_->resume(budget);
    flush_replies();
    return;
  }
  if (pending_offset_ < pending_.size()) {
    if (replies_backed_up()) return;
    const std::string_view data = std::string_view(pending_).substr(pending_offset_);
    pending_offset_ += process(data, budget);
    if (pending_offset_ >= pending_.size() || replies_.close_after) {
      std::string().swap(pending_);
      pending_offset_ = 0;
    }
    flush_replies();
    return;
  }
  if (peer_closed_ || replies_.close_after || replies_backed_up()) return;
  read_once(budget);
}

void Connection::read_once(std::size_t& budget) {
  const ssize_t got = ::recv(fd_, context_.read_buffer.data(), context_.read_buffer.size(), 0);
  if (got > 0) {
    context_.stats.add(context_.stats.bytes_received, static_cast<std::uint64_t>(got));
    last_activity_ = context_.now;
    const std::string_view data(context_.read_buffer.data(), static_cast<std::size_t>(got));
    const std::size_t used = process(data, budget);
    if (used < data.size() && !replies_.close_after && !closed()) {
      pending_.assign(data.substr(used));
      pending_offset_ = 0;
    }
    flush_replies();
    return;
  }
  if (got == 0) {
    on_eof();
    return;
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
  // A reset: whatever was unfinished is lost, as an EOF would lose it.
  on_eof();
  close_now();
}

std::size_t Connection::process(std::string_view data, std::size_t& budget) {
  if (mode_ != Mode::sniff) return process_mode(data, budget);
  if (!have_sniffed_) {
    if (data.size() == 1) {
      sniffed_ = data.front();
      have_sniffed_ = true;
      line_started_ = context_.now;
      return 1;
    }
    choose_mode(data[0], data[1]);
    return process_mode(data, budget);
  }
  choose_mode(sniffed_, data.front());
  have_sniffed_ = false;
  process_mode(std::string_view(&sniffed_, 1), budget);  // one byte is always taken whole
  return process_mode(data, budget);
}

void Connection::choose_mode(char first, char second) {
  if (first == '\x1f' && second == '\x8b') {
    mode_ = Mode::gzip_lines;
    input_.start(true, 0);
  } else if (starts_http(first, second)) {
    mode_ = Mode::http;
    http_ = std::make_unique<HttpSession>(context_, replies_, filter_, peer_ip_, label_);
  } else {
    mode_ = Mode::lines;
    input_.start(false, 0);
  }
}

std::size_t Connection::process_mode(std::string_view data, std::size_t& budget) {
  switch (mode_) {
    case Mode::lines:
    case Mode::gzip_lines:
      feed_lines(data, budget);
      return data.size();
    case Mode::http:
      return http_->process(data, budget);
    case Mode::sniff:
      break;
  }
  return 0;
}

void Connection::feed_lines(std::string_view data, std::size_t& budget) {
  const bool was_in_line = input_.in_line();
  const std::uint64_t number = input_.line_number();
  handle(input_.feed(data, *this, budget));
  if (input_.in_line() && (!was_in_line || input_.line_number() != number)) line_started_ = context_.now;
  commit_tally();
  context_.output.flush_if_full();
}

void Connection::handle(wfsend::input::LineStream::Outcome outcome) {
  if (outcome != wfsend::input::LineStream::Outcome::corrupt) return;
  context_.ingester.report(origin(), "not a valid gzip stream (" + input_.error() + "); closing",
                           context_.now);
  close_now();
}

void Connection::commit_tally() {
  if (tally_.total_accepted() == 0 && tally_.total_rejected() == 0) return;
  context_.stats.add_lines(tally_);
  tally_.clear();
}

void Connection::on_line(std::string_view line, std::uint64_t number) {
  OutputWriter& output = context_.output;
  context_.ingester.ingest(line, number, filter_, origin(), output.enabled() ? &output.buffer() : nullptr,
                           tally_, context_.now);
}

void Connection::on_too_long(std::string_view start, std::uint64_t number) {
  context_.ingester.refuse(start, number, filter_, origin(), wavefront::ErrorCode::line_too_long,
                           context_.options.max_line_length + 1,
                           "the line is longer than " + std::to_string(context_.options.max_line_length) +
                               " bytes (--max-line-length); skipped",
                           tally_, context_.now);
}

void Connection::end_of_lines() {
  if (have_sniffed_) {  // a single byte, then the end
    have_sniffed_ = false;
    mode_ = Mode::lines;
    input_.start(false, 0);
    std::size_t budget = 1;
    feed_lines(std::string_view(&sniffed_, 1), budget);
  }
  if (mode_ != Mode::lines && mode_ != Mode::gzip_lines) return;
  const bool complete = input_.finish([&](std::string_view line, std::uint64_t number) {
    context_.ingester.refuse(line, number, filter_, origin(), wavefront::ErrorCode::malformed_line,
                             line.size() + 1,
                             "the connection ended before the end of the line (no newline); a proxy drops "
                             "such a line",
                             tally_, context_.now);
  });
  if (!complete) {
    context_.ingester.report(origin(),
                             "the gzip stream ended in the middle of a gzip member; its unfinished last line "
                             "is dropped",
                             context_.now);
  }
  commit_tally();
}

void Connection::on_eof() {
  peer_closed_ = true;
  if (mode_ == Mode::http) {
    http_->on_peer_closed();
  } else {
    end_of_lines();
  }
  if (replies_.unsent() == 0) {
    close_now();
  } else {
    replies_.close_after = true;
    flush_replies();
  }
}

void Connection::shutdown() {
  if (closed()) return;
  if (!lingering_ && !peer_closed_) {
    if (mode_ == Mode::http) {
      if (http_->in_request()) {
        context_.ingester.report(origin(), "the receiver stopped in the middle of a request", context_.now);
      }
    } else {
      end_of_lines();
    }
  }
  flush_replies();
  close_now();
}

void Connection::on_writable() { flush_replies(); }

void Connection::flush_replies() {
  if (closed()) return;
  if (replies_.close_after && close_deadline_ == Clock::time_point{}) {
    // A client that reads neither the answer nor stops sending cannot keep the slot for long.
    close_deadline_ = context_.now + context_.options.linger_timeout;
  }
  while (replies_.unsent() > 0) {
    const ssize_t sent =
        ::send(fd_, replies_.bytes.data() + replies_.sent, replies_.unsent(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent > 0) {
      replies_.sent += static_cast<std::size_t>(sent);
    } else if (sent < 0 && errno == EINTR) {
      continue;
    } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    } else {
      close_now();  // the client is gone
      return;
    }
  }
  replies_.bytes.clear();
  replies_.sent = 0;
  if (replies_.close_after && !lingering_) {
    if (peer_closed_) {
      close_now();
      return;
    }
    // Stop sending, but keep reading for a while: closing with unread bytes would send a reset that
    // can destroy the answer before the client reads it.
    ::shutdown(fd_, SHUT_WR);
    lingering_ = true;
    pending_.clear();
    pending_offset_ = 0;
  }
}

void Connection::drain_lingering() {
  const ssize_t got = ::recv(fd_, context_.read_buffer.data(), context_.read_buffer.size(), 0);
  if (got > 0) {
    context_.stats.add(context_.stats.bytes_received, static_cast<std::uint64_t>(got));
    return;
  }
  if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
  close_now();
}

void Connection::check_deadlines() {
  if (closed()) return;
  const Clock::time_point now = context_.now;
  const ReceiverOptions& options = context_.options;
  if (lingering_ || replies_.close_after) {
    if (close_deadline_ != Clock::time_point{} && now >= close_deadline_) close_now();
    return;
  }
  const bool in_request = mode_ == Mode::http && http_->in_request();
  const bool request_late = in_request && now - http_->request_started() >= options.request_timeout;
  if (request_late || (in_request && now - last_activity_ >= options.idle_timeout)) {
    // 408, then close after draining (closing at once could destroy the answer with a reset).
    context_.stats.add(context_.stats.connections_timed_out);
    http_->on_request_timeout();
    flush_replies();
    return;
  }
  if (now - last_activity_ >= options.idle_timeout) {
    context_.stats.add(context_.stats.connections_timed_out);
    context_.ingester.report(
        origin(),
        "nothing received for " + milliseconds_text(options.idle_timeout) + " (--idle-timeout); closing",
        now);
    if (mode_ != Mode::http) end_of_lines();
    close_now();
    return;
  }
  if (mode_ == Mode::http) return;
  if ((input_.in_line() || have_sniffed_) && now - line_started_ >= options.request_timeout) {
    context_.stats.add(context_.stats.connections_timed_out);
    context_.ingester.report(origin(),
                             "a line not finished within " + milliseconds_text(options.request_timeout) +
                                 " (--request-timeout); closing",
                             now);
    end_of_lines();
    close_now();
  }
}

}  // namespace wfreceiver
