// The HTTP side of a `wfsend listen` connection: routes each request, reads its body into lines, holds
// the results until the request is complete and answers as a Wavefront proxy would.
//
//   POST <any path>?f=wavefront|histogram|trace|spanLogs|event   lines (gzip with Content-Encoding: gzip)
//   POST /api/v2/event                                           one direct-ingestion event as JSON
//   GET|HEAD /health, /stats                                     200 "ok", or the counters as JSON
// A /report request is answered 202 once its body is read, even when some lines were bad (they are
// reported on stderr, as the proxy logs them); 413 when the body decodes to more than max_body_bytes,
// 400 when a body labelled gzip does not start with gzip's magic bytes, is corrupt or is truncated (the
// proxy's decompressor refuses such a body whole), 503 with Retry-After when its growth takes the
// memory held open past max_buffered_bytes; in each of these cases none of its lines is kept. Event
// JSON labelled gzip gets the same 400 when it is not gzip, and 415 when it is. With a token
// configured, every request but GET|HEAD /health needs `Authorization: Bearer <token>` (401 otherwise;
// compared in constant time; the token is never printed). /health stays open so that load balancers can
// probe it without the secret; /stats is guarded. A request with two Authorization headers is refused
// by the parser (400, see http_request.h).
//
// A Connection that sniffed HTTP owns one session and feeds it what it reads; answers go to the
// connection's Replies. Bad requests are answered and the connection closed; requests that must be
// refused before their body is read are answered at once (no 100 Continue) and the connection closed,
// unless the body is small and already on its way, which is then read and dropped to keep the
// connection.
//
// Thread-safety: not thread-safe; used by the receiver's event-loop thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "input/line_stream.h"
#include "receiver/context.h"
#include "receiver/http_request.h"
#include "receiver/ingest.h"

namespace wfreceiver {

// What a connection has to send back to its client.
struct Replies {
  std::string bytes;
  std::size_t sent = 0;
  bool close_after = false;  // close (after draining the client) once bytes are sent
  std::size_t unsent() const noexcept { return bytes.size() - sent; }
};

class HttpSession final : private wfsend::input::LineTarget {
 public:
  using Clock = LoopContext::Clock;
  // Past this many unsent answer bytes (a client pipelining without reading), no new request starts.
  static constexpr std::size_t kMaxUnsentReplies = std::size_t{64} * 1024;

  HttpSession(LoopContext& context, Replies& replies, LineFilter port_filter, std::string peer_ip,
              std::string peer_label);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  // Processes received bytes and returns how many were used: fewer than given when a body's
  // decompressed output is over this turn's budget (call resume() on a later turn first) or answers
  // are backed up. After an answer that closes the connection, the rest is of no interest.
  std::size_t process(std::string_view data, std::size_t& budget);
  void resume(std::size_t& budget);
  // Bytes the session holds now: staged results, the unfinished line, kept compressed bytes, the
  // decompressor and the request head.
  std::size_t held_bytes() const noexcept;
  bool has_leftover() const noexcept { return input_.has_leftover(); }
  bool in_request() const noexcept { return parser_.in_request(); }
  Clock::time_point request_started() const noexcept { return started_; }
  // The request deadline passed: answers 408 (the connection then closes).
  void on_request_timeout();
  // The client closed its side: reports a request left unfinished.
  void on_peer_closed();

 private:
  enum class BodyAction : std::uint8_t { discard, lines, event_json };

  // A request answered before its head was understood (400, 408, 431) still counts as one.
  void count_headless_request();
  std::size_t process_requests(std::string_view data, std::size_t& budget);
  // Records what the session holds in the receiver's MemoryBudget; sets over_budget_ when its growth
  // took the total over --max-buffered-bytes.
  void account();
  // After a step: a request whose growth went over the budget is refused.
  void enforce_budget();
  void refuse_over_budget();
  void on_head();
  void route_post(const HttpRequest& request);
  void on_body(std::string_view piece, std::size_t& budget);
  // A body labelled gzip must start with gzip's magic bytes; answers 400 (or 415 for event JSON) and
  // returns false otherwise.
  bool check_gzip_magic(std::string_view piece);
  void on_complete();
  void complete_lines();
  void complete_event();
  void handle(wfsend::input::LineStream::Outcome outcome);
  // Answers now, drops what the request produced and closes the connection.
  void abandon(int status, std::string_view message, std::string_view headers = {});
  void decide(int status, std::string body, std::string headers = {});
  void respond(int status, std::string_view body, bool close, std::string_view headers = {});
  bool authorized(const HttpRequest& request) const noexcept;
  std::uint64_t raw_body_limit() const noexcept;
  void release_staging();
  Origin origin() const noexcept { return Origin{peer_ip_, label_}; }

  void on_line(std::string_view line, std::uint64_t number) override;
  void on_too_long(std::string_view start, std::uint64_t number) override;

  LoopContext& context_;
  Replies& replies_;
  const LineFilter port_filter_;
  const std::string peer_ip_;
  const std::string peer_label_;
  HttpRequestParser parser_;
  wfsend::input::LineStream input_;
  HeldShare held_;

  // The request in progress.
  std::uint64_t request_number_ = 0;
  std::string label_;
  Clock::time_point started_{};
  BodyAction action_ = BodyAction::discard;
  LineFilter filter_ = LineFilter::any;
  bool gzip_ = false;
  std::size_t gzip_magic_seen_ = 0;  // leading body bytes found to match gzip's magic
  int decided_status_ = 0;           // an answer chosen from the head, sent once the body is read
  std::string decided_body_;
  std::string decided_headers_;
  Tally tally_;
  std::string staging_;  // accepted canonical lines, or the event JSON, until the request completes
  bool over_budget_ = false;
  std::uint64_t raw_body_bytes_ = 0;
};

}  // namespace wfreceiver
