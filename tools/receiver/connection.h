// One accepted socket of a `wfsend listen` receiver.
//
// The first two bytes decide what the client speaks, as on a proxy: "GE PO PU HE OP PA DE TR CO" mean
// HTTP (handed to an HttpSession), 1F 8B a gzip stream of lines, anything else plain lines. The
// Receiver calls turn() when the socket is readable or the connection has work left from an earlier
// turn; a turn does one unit of work (continue a paced decompression, process bytes left over, or
// read once, at most kReadChunkBytes) so that every connection gets its share. Lines go through the
// shared LineIngester with the peer's address as the default source. The connection closes itself on
// EOF, errors, the idle timeout, and a request or line not finished within the request timeout; after
// a final answer that closes it, it drains what the client still sends for a short while so that the
// client reads the answer instead of a reset.
//
// Thread-safety: not thread-safe; owned and used by the receiver's event-loop thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "input/line_stream.h"
#include "receiver/context.h"
#include "receiver/http_session.h"
#include "receiver/ingest.h"

namespace wfreceiver {

class Connection final : private wfsend::input::LineTarget {
 public:
  using Clock = LoopContext::Clock;

  // Takes ownership of `fd` (non-blocking).
  Connection(LoopContext& context, int fd, std::string peer_ip, std::uint16_t peer_port, LineFilter filter);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void turn();
  void on_writable();
  // Closes the connection when one of its deadlines passed (context.now is the time).
  void check_deadlines();
  // The receiver is stopping: ends the stream (an unfinished line is reported) and closes.
  void shutdown();

  bool closed() const noexcept { return fd_ < 0; }
  int fd() const noexcept { return fd_; }
  // Work is left that needs no new bytes from the socket.
  bool has_pending_work() const noexcept;
  // EPOLLIN / EPOLLOUT as the connection wants them now.
  std::uint32_t wanted_events() const noexcept;

 private:
  enum class Mode : std::uint8_t { sniff, lines, gzip_lines, http };

  void turn_once();
  // Records what the connection holds in the receiver's MemoryBudget; closes a raw stream whose growth
  // took the total over --max-buffered-bytes.
  void account();
  std::size_t process(std::string_view data, std::size_t& budget);
  std::size_t process_mode(std::string_view data, std::size_t& budget);
  void choose_mode(char first, char second);
  void feed_lines(std::string_view data, std::size_t& budget);
  void handle(wfsend::input::LineStream::Outcome outcome);
  void read_once(std::size_t& budget);
  void drain_lingering();
  void on_eof();
  void end_of_lines();
  void commit_tally();
  void flush_replies();
  void close_now();
  bool replies_backed_up() const noexcept { return replies_.unsent() > HttpSession::kMaxUnsentReplies; }
  Origin origin() const noexcept { return Origin{peer_ip_, label_}; }

  void on_line(std::string_view line, std::uint64_t number) override;
  void on_too_long(std::string_view start, std::uint64_t number) override;

  LoopContext& context_;
  int fd_;
  const std::string peer_ip_;
  const std::string label_;  // "ip:port"
  const LineFilter filter_;
  Mode mode_ = Mode::sniff;
  char sniffed_ = 0;  // the first byte, while waiting for the second
  bool have_sniffed_ = false;

  wfsend::input::LineStream input_;  // lines and gzip_lines
  HeldShare held_;                   // pending_, and input_ for raw streams
  Tally tally_;                      // lines of the current turn
  Clock::time_point line_started_{};
  std::unique_ptr<HttpSession> http_;
  Replies replies_;

  std::string pending_;  // bytes read but not processed yet (an HTTP session that had to wait)
  std::size_t pending_offset_ = 0;
  bool peer_closed_ = false;
  bool lingering_ = false;
  Clock::time_point last_activity_;
  Clock::time_point close_deadline_{};  // set once a closing answer is queued
};

}  // namespace wfreceiver
