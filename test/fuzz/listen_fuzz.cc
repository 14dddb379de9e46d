// libFuzzer target: the input handling of `wfsend listen`, without sockets.
//
// Input: eight parameter bytes, then the data. Byte 0 picks what is driven, the others the limits, the
// piece sizes (a seeded generator) and the budgets. Most modes run the same bytes twice: once in
// random small pieces with small buffers and budgets, once whole with large ones, and require the
// same result; the byte stream a client sends must not mean something else when TCP cuts it elsewhere.
//   0  HttpSession (the HTTP side of a connection) driven as Connection::turn drives it: the answers,
//      the accepted output lines and the counters must be the same both times; every output line is
//      one the strict parser accepts; answers are well formed; nothing stays reserved in the staging
//      budget once the session is gone. (Not compared: a gzip body refused both for its decoded size
//      and for corrupt data, where the order the two are found in depends on the decoding steps.)
//   1  HttpRequestParser: the same sequence of heads (every field), body bytes, completions and errors.
//   2  LineStream of plain lines (the LineSplitter): the same lines, numbers and too-long reports;
//      lines never longer than the limit; never more bytes split than max_decoded.
//   3  LineStream of gzip, the data taken as gzip as it is.
//   4  LineStream of gzip, the data compressed here (one or two members, optionally cut short or with
//      bytes appended, optionally repeated into a large output: a small gzip bomb). For 3 and 4 a
//      feed or resume must never produce more than its budget plus one buffer of output, and
//      never more than max_decoded in total reaches the splitter.
//   5  event_line_from_json: an accepted body gives exactly one @Event line the strict parser accepts.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "gzip_member.h"
#include "input/line_stream.h"
#include "receiver/context.h"
#include "receiver/http_request.h"
#include "receiver/http_session.h"
#include "support/wire_parser.h"
#include "wavefront/event_json.h"
#include "wavefront/line_reader.h"

namespace {

using wfreceiver::HttpRequestParser;
using wfreceiver::LineFilter;
using wfsend::input::LineStream;

constexpr std::size_t kParameterBytes = 8;

// A whole input as one piece.
constexpr std::size_t kWhole = std::size_t{1} << 30;

// splitmix64: the piece sizes, from a seed in the input.
class Pieces {
 public:
  Pieces(std::uint64_t seed, std::size_t max_piece)
      : state_(seed), max_piece_(std::max<std::size_t>(max_piece, 1)) {}
  std::size_t next() {
    if (max_piece_ >= kWhole) return max_piece_;
    state_ += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return 1 + static_cast<std::size_t>(z % max_piece_);
  }

 private:
  std::uint64_t state_;
  std::size_t max_piece_;
};

int dev_null() {
  static const int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (fd < 0) std::abort();
  return fd;
}

// ---- 0: HttpSession -------------------------------------------------------------------------------

struct SessionRun {
  std::string replies;
  std::string output;
  wfreceiver::ReceiverStats stats;
};

std::string read_memfd(int fd) {
  struct stat status {};
  if (::fstat(fd, &status) != 0) std::abort();
  std::string text(static_cast<std::size_t>(status.st_size), '\0');
  if (!text.empty() && ::pread(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    std::abort();
  }
  return text;
}

SessionRun run_session(std::string_view data, const wfreceiver::ReceiverOptions& options, LineFilter filter,
                       Pieces pieces, std::size_t scratch_bytes, bool timeout_at_end) {
  static const int output_fd = ::memfd_create("listen_fuzz_output", MFD_CLOEXEC);
  if (output_fd < 0 || ::ftruncate(output_fd, 0) != 0 || ::lseek(output_fd, 0, SEEK_SET) != 0) std::abort();
  wfreceiver::ReceiverOptions run_options = options;
  run_options.output_fd = output_fd;
  run_options.report_fd = dev_null();
  SessionRun run;
  {
    wfreceiver::LoopContext context(run_options);
    context.inflate_buffer.assign(scratch_bytes, '\0');
    {
      wfreceiver::Replies replies;
      wfreceiver::HttpSession session(context, replies, filter, "192.0.2.7", "192.0.2.7:40000");
      auto collect = [&] {
        run.replies.append(replies.bytes, replies.sent, std::string::npos);
        replies.bytes.clear();
        replies.sent = 0;
      };
      std::string pending;
      std::size_t pending_offset = 0;
      std::size_t position = 0;
      // Every turn uses input or produces output; far more turns than that means one did neither.
      std::size_t turns = 0;
      const std::size_t max_turns = 64 + 4 * data.size() + 4 * run_options.max_body_bytes;
      while (!replies.close_after) {
        if (++turns > max_turns) std::abort();
        std::size_t budget = run_options.turn_budget_bytes;
        if (session.has_leftover()) {
          session.resume(budget);
        } else if (pending_offset < pending.size()) {
          pending_offset += session.process(std::string_view(pending).substr(pending_offset), budget);
          if (pending_offset >= pending.size()) {
            pending.clear();
            pending_offset = 0;
          }
        } else if (position < data.size()) {
          const std::string_view piece = data.substr(position, pieces.next());
          position += piece.size();
          const std::size_t used = session.process(piece, budget);
          if (used > piece.size()) std::abort();
          if (used < piece.size() && !replies.close_after) {
            pending.assign(piece.substr(used));
            pending_offset = 0;
          }
        } else {
          break;
        }
        collect();
      }
      if (timeout_at_end) {
        session.on_request_timeout();
      } else {
        session.on_peer_closed();
      }
      collect();
    }
    // Whatever a session counted in the memory budget, it gave back.
    if (context.held.used() != 0) std::abort();
    run.stats = context.stats.snapshot();
  }
  run.output = read_memfd(output_fd);
  return run;
}

// Answers are "HTTP/1.x NNN ...", headers, a blank line and Content-Length bytes of body (none for an
// answer to HEAD, which the caller cannot tell apart here: either reading must fit).
void check_answers(std::string_view replies) {
  while (!replies.empty()) {
    if (replies.substr(0, 7) != "HTTP/1." || replies.size() < 12) std::abort();
    const std::size_t head_end = replies.find("\r\n\r\n");
    if (head_end == std::string_view::npos) std::abort();
    const std::string_view head = replies.substr(0, head_end + 2);
    std::size_t body = 0;
    const std::size_t length_at = head.find("\r\nContent-Length: ");
    if (length_at != std::string_view::npos) {
      for (std::size_t index = length_at + 18; index < head.size() && head[index] != '\r'; ++index) {
        if (head[index] < '0' || head[index] > '9') std::abort();
        body = body * 10 + static_cast<std::size_t>(head[index] - '0');
      }
    } else if (head.substr(9, 3) != "100") {
      std::abort();  // every final answer says its length
    }
    std::string_view rest = replies.substr(head_end + 4);
    if (body <= rest.size() && (rest.size() == body || rest.substr(body, 7) == "HTTP/1.")) {
      rest.remove_prefix(body);
    } else if (!rest.empty() && rest.substr(0, 7) != "HTTP/1.") {
      std::abort();
    }
    replies = rest;
  }
}

// Every line listen printed is one the reader accepts and reads back to itself (what the proxy
// accepts, written canonically); a line with no lint warning is also what a correct SDK writes, so the
// strict test parser must accept it too.
void check_output(std::string_view output) {
  static wavefront::LineReader reader;
  std::size_t begin = 0;
  while (begin < output.size()) {
    const std::size_t end = output.find('\n', begin);
    if (end == std::string_view::npos) std::abort();
    const std::string_view line = output.substr(begin, end - begin);
    if (!reader.read(line).ok()) std::abort();
    if (reader.canonical() != output.substr(begin, end + 1 - begin)) std::abort();
    if (reader.warnings().empty() && reader.parsed().hosts.size() <= 1 &&
        !wavefront::testing::parse_wire_line(line).ok()) {
      std::abort();
    }
    begin = end + 1;
  }
}

bool same_stats(const wfreceiver::ReceiverStats& a, const wfreceiver::ReceiverStats& b) {
  return a.lines.accepted == b.lines.accepted && a.lines.rejected == b.lines.rejected &&
         a.http_requests == b.http_requests && a.http_responses == b.http_responses;
}

// An answer that depends on where a gzip body's decoding was cut: the output limit and corrupt data
// found in the same decoding step are reported in the order that step saw them.
bool gzip_order_dependent(std::string_view replies) {
  return replies.find("after decompression") != std::string_view::npos ||
         replies.find("corrupt gzip body") != std::string_view::npos;
}

// A 400 answer's text names the first fault the parser met, which can depend on where the input was
// cut (a chunk line's lone CR or bare LF, a byte after chunk data): both cuts must refuse with 400 and
// close, but the reason may differ. Everything else in the answers must be the same.
std::string without_400_reasons(std::string replies) {
  static constexpr std::string_view kStatus = "HTTP/1.1 400 Bad Request\r\n";
  static constexpr std::string_view kLength = "Content-Length: ";
  for (std::size_t at = replies.find(kStatus); at != std::string::npos; at = replies.find(kStatus, at + 1)) {
    const std::size_t length_at = replies.find(kLength, at);
    const std::size_t head_end = replies.find("\r\n\r\n", at);
    if (length_at == std::string::npos || head_end == std::string::npos || length_at > head_end) break;
    const std::size_t body_bytes = std::strtoul(replies.c_str() + length_at + kLength.size(), nullptr, 10);
    const std::size_t end = std::min(replies.size(), head_end + 4 + body_bytes);
    replies.replace(at, end - at, "HTTP/1.1 400 (reason depends on the cut)\n");
  }
  return replies;
}

void fuzz_session(const std::uint8_t* parameters, std::string_view data) {
  wfreceiver::ReceiverOptions options;
  const std::uint8_t flags = parameters[1];
  if ((flags & 1) != 0) options.token = "fuzz-token";
  static constexpr LineFilter kPortFilters[] = {LineFilter::any, LineFilter::distribution,
                                                LineFilter::tracing, LineFilter::any};
  const LineFilter filter = kPortFilters[(flags >> 1) & 3];
  const bool timeout_at_end = (flags & 8) != 0;
  options.max_body_bytes = std::size_t{64} << (parameters[2] & 7);
  options.max_line_length = std::size_t{16} << ((parameters[2] >> 3) & 7);
  options.max_head_bytes = std::size_t{128} << (parameters[3] & 3);
  options.max_reports_per_second = 1000;

  // Small pieces, budgets and decompression buffer; then the same bytes whole, with large ones.
  wfreceiver::ReceiverOptions small = options;
  small.turn_budget_bytes = 1 + (parameters[3] >> 2) * 7;
  const std::size_t small_scratch = std::size_t{1} << (parameters[4] % 12);
  const Pieces pieces(parameters[5] | std::uint64_t{parameters[6]} << 8, 1 + parameters[7] % 64);
  const SessionRun chunked = run_session(data, small, filter, pieces, small_scratch, timeout_at_end);
  check_answers(chunked.replies);
  check_output(chunked.output);

  wfreceiver::ReceiverOptions large = options;
  large.turn_budget_bytes = kWhole;
  const SessionRun whole = run_session(data, large, filter, Pieces(0, kWhole),
                                       wfreceiver::LoopContext::kInflateChunkBytes, timeout_at_end);
  check_answers(whole.replies);
  check_output(whole.output);
  if (gzip_order_dependent(chunked.replies) || gzip_order_dependent(whole.replies)) return;
  if (without_400_reasons(chunked.replies) != without_400_reasons(whole.replies) ||
      chunked.output != whole.output || !same_stats(chunked.stats, whole.stats)) {
    std::fprintf(stderr, "chunked replies:\n%s\nwhole replies:\n%s\nchunked output:\n%s\nwhole output:\n%s\n",
                 chunked.replies.c_str(), whole.replies.c_str(), chunked.output.c_str(),
                 whole.output.c_str());
    std::abort();
  }
}

// ---- 1: HttpRequestParser -------------------------------------------------------------------------

std::string describe_head(const wfreceiver::HttpRequest& request) {
  std::string text = "head ";
  const auto add = [&](std::string_view part) {
    text += std::to_string(part.size());
    text += ':';
    text += part;
  };
  add(request.method);
  add(request.target);
  add(request.path);
  add(request.query);
  text += std::to_string(request.minor_version);
  text += request.content_length ? std::to_string(*request.content_length) : "-";
  text += request.chunked ? 'c' : '-';
  text += request.keep_alive ? 'k' : '-';
  text += request.expect_continue ? 'e' : '-';
  add(request.content_encoding);
  add(request.authorization);
  for (const auto& [name, value] : request.headers) {
    add(name);
    add(value);
  }
  // The parts agree with each other.
  if (request.target.substr(0, request.path.size()) != request.path) std::abort();
  if (!request.query.empty() && request.target.find('?') == std::string_view::npos) std::abort();
  if (request.chunked && request.content_length) std::abort();
  if (request.method.empty() || request.target.empty()) std::abort();
  return text;
}

std::vector<std::string> parse_requests(std::string_view data, const wfreceiver::HttpParserLimits& limits,
                                        Pieces pieces) {
  HttpRequestParser parser(limits);
  std::vector<std::string> events;
  std::string body;
  auto flush_body = [&] {
    if (!body.empty()) events.push_back("body " + body);
    body.clear();
  };
  std::size_t position = 0;
  bool failed = false;
  while (position < data.size() && !failed) {
    const std::string_view piece = data.substr(position, pieces.next());
    position += piece.size();
    std::size_t used = 0;
    // Every step either consumes bytes or changes state; a piece cannot take more steps than this.
    std::size_t steps = 0;
    for (bool more = true; more;) {
      if (++steps > 8 * piece.size() + 16) std::abort();
      const HttpRequestParser::Result result = parser.parse(piece.substr(used));
      if (result.consumed > piece.size() - used) std::abort();
      const std::string_view rest = piece.substr(used);
      used += result.consumed;
      switch (result.step) {
        case HttpRequestParser::Step::need_more:
          if (used != piece.size()) std::abort();  // need_more means everything was used
          more = false;
          break;
        case HttpRequestParser::Step::head:
          if (!parser.head_done() || !parser.in_request()) std::abort();
          flush_body();
          events.push_back(describe_head(parser.request()));
          break;
        case HttpRequestParser::Step::body:
          // A view into the input just given, never a copy.
          if (!result.body.empty() && (result.body.data() < rest.data() ||
                                       result.body.data() + result.body.size() > rest.data() + rest.size())) {
            std::abort();
          }
          if (!parser.head_done()) std::abort();
          body.append(result.body);
          break;
        case HttpRequestParser::Step::complete:
          flush_body();
          events.emplace_back("complete");
          parser.reset();
          if (parser.in_request() || parser.head_done()) std::abort();
          break;
        case HttpRequestParser::Step::error:
          if (parser.error_status() < 400 || parser.error_status() > 599 || parser.error_message().empty()) {
            std::abort();
          }
          flush_body();
          events.push_back("error " + std::to_string(parser.error_status()) + " " + parser.error_message());
          failed = true;
          more = false;
          break;
      }
    }
  }
  flush_body();
  events.push_back(parser.in_request() ? "in request" : "idle");
  return events;
}

void fuzz_request_parser(const std::uint8_t* parameters, std::string_view data) {
  wfreceiver::HttpParserLimits limits;
  limits.max_head_bytes = std::size_t{32} << (parameters[1] & 7);
  limits.max_chunk_line_bytes = std::size_t{4} << ((parameters[1] >> 3) & 7);
  const Pieces pieces(parameters[2] | std::uint64_t{parameters[3]} << 8, 1 + parameters[4] % 32);
  const std::vector<std::string> cut = parse_requests(data, limits, pieces);
  const std::vector<std::string> whole = parse_requests(data, limits, Pieces(0, kWhole));
  if (cut != whole) {
    // Both sequences, so a failing input explains itself.
    for (const std::string& event : cut) std::fprintf(stderr, "cut:   %s\n", event.c_str());
    for (const std::string& event : whole) std::fprintf(stderr, "whole: %s\n", event.c_str());
    std::abort();
  }
}

// ---- 2, 3, 4: LineStream ---------------------------------------------------------------------------

class RecordingTarget final : public wfsend::input::LineTarget {
 public:
  explicit RecordingTarget(std::size_t max_line_length) : max_line_length_(max_line_length) {}

  void on_line(std::string_view line, std::uint64_t number) override {
    if (line.size() > max_line_length_ || line.find('\n') != std::string_view::npos) std::abort();
    next_number(number);
    line_bytes += line.size();
    events.push_back("line " + std::to_string(number) + " " + std::string(line));
  }
  void on_too_long(std::string_view start, std::uint64_t number) override {
    // At least the reported prefix, at most the limit, never a line end.
    const std::size_t reported = std::min<std::size_t>(max_line_length_, 256);
    if (start.size() < reported || start.size() > max_line_length_ ||
        start.find('\n') != std::string_view::npos) {
      std::abort();
    }
    next_number(number);
    events.push_back("long " + std::to_string(number) + " " + std::string(start.substr(0, reported)));
  }
  void on_last(std::string_view line, std::uint64_t number) {
    if (line.size() > max_line_length_) std::abort();
    next_number(number);
    events.push_back("last " + std::to_string(number) + " " + std::string(line));
  }

  std::vector<std::string> events;
  std::uint64_t line_bytes = 0;

 private:
  void next_number(std::uint64_t number) {
    if (number != last_number_ + 1) std::abort();  // lines are numbered 1, 2, 3...
    last_number_ = number;
  }
  std::size_t max_line_length_;
  std::uint64_t last_number_ = 0;
};

struct StreamRun {
  std::vector<std::string> events;
  LineStream::Outcome outcome = LineStream::Outcome::ok;
  bool complete = true;
};

StreamRun run_stream(std::string_view data, bool gzip, std::size_t max_line_length, std::size_t max_decoded,
                     Pieces pieces, std::size_t scratch_bytes, std::size_t turn_budget) {
  std::string scratch(scratch_bytes, '\0');
  LineStream input(max_line_length, scratch);
  input.start(gzip, max_decoded);
  RecordingTarget target(max_line_length);
  StreamRun run;
  std::size_t position = 0;
  std::size_t turns = 0;
  // Every turn uses input or produces output (gzip expands at most about 1032 times).
  const std::size_t max_turns = 64 + 2 * data.size() * 1100;
  // One feed or resume: check what it may produce.
  auto step = [&](auto&& call) {
    std::size_t budget = turn_budget;
    const std::uint64_t before = input.decoded_bytes();
    const LineStream::Outcome outcome = call(budget);
    const std::uint64_t produced = input.decoded_bytes() - before;
    if (gzip && outcome != LineStream::Outcome::too_large && produced > turn_budget + scratch_bytes - 1) {
      std::abort();  // paced: at most the budget, plus what one decompression step may add
    }
    if (outcome == LineStream::Outcome::budget_spent && (budget != 0 || !input.has_leftover())) std::abort();
    if (max_decoded != 0 && outcome != LineStream::Outcome::too_large &&
        input.decoded_bytes() > max_decoded) {
      std::abort();
    }
    return outcome;
  };
  for (;;) {
    if (++turns > max_turns) std::abort();
    LineStream::Outcome outcome;
    if (input.has_leftover()) {
      outcome = step([&](std::size_t& budget) { return input.resume(target, budget); });
    } else if (position < data.size()) {
      const std::string_view piece = data.substr(position, pieces.next());
      position += piece.size();
      outcome = step([&](std::size_t& budget) { return input.feed(piece, target, budget); });
    } else {
      break;
    }
    if (outcome == LineStream::Outcome::too_large || outcome == LineStream::Outcome::corrupt) {
      run.outcome = outcome;
      break;
    }
  }
  // The gzip bomb defence: never more than max_decoded bytes reach the lines.
  if (max_decoded != 0 && target.line_bytes > max_decoded) std::abort();
  if (run.outcome == LineStream::Outcome::ok) {
    run.complete =
        input.finish([&](std::string_view line, std::uint64_t number) { target.on_last(line, number); });
  }
  run.events = std::move(target.events);
  return run;
}

bool is_prefix(const std::vector<std::string>& shorter, const std::vector<std::string>& longer) {
  return shorter.size() <= longer.size() && std::equal(shorter.begin(), shorter.end(), longer.begin());
}

void fuzz_line_input(const std::uint8_t* parameters, std::string_view data, int mode) {
  const std::size_t max_line_length = 1 + parameters[1] % 64 + (parameters[1] >= 192 ? 512 : 0);
  const std::size_t max_decoded = parameters[2] < 32 ? 0 : std::size_t{16} << (parameters[2] % 12);
  const std::size_t scratch_bytes = 1 + parameters[3] * 3;
  const std::size_t turn_budget = 1 + parameters[4] * 5;
  const Pieces pieces(parameters[5] | std::uint64_t{parameters[6]} << 8, 1 + parameters[7] % 48);
  const bool gzip = mode != 2;

  std::string compressed;
  if (mode == 4) {
    // Parameters 5 to 7 double as the compression's: level, strategy, a second member, a cut, a tail.
    std::string payload(data);
    const unsigned repeat = parameters[7] >= 224 ? 1 + (parameters[7] - 224) * 64 : 1;
    if (repeat > 1 && !data.empty()) {
      for (unsigned count = 1; count < repeat && payload.size() < (std::size_t{1} << 16); ++count)
        payload += data;
    }
    const int level = parameters[5] % 10;
    static constexpr int kStrategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED};
    const int strategy = kStrategies[(parameters[5] >> 4) % 5];
    const std::size_t split = (parameters[6] & 0x80) != 0 ? payload.size() * (parameters[6] & 0x7F) / 127 : 0;
    compressed = wavefront::fuzzing::gzip_member(std::string_view(payload).substr(0, split), level, strategy);
    if (split == 0) compressed.clear();
    compressed += wavefront::fuzzing::gzip_member(std::string_view(payload).substr(split), level, strategy);
    const std::size_t cut = (parameters[6] & 0x40) != 0 ? parameters[6] % 16 : 0;
    compressed.resize(compressed.size() - std::min(cut, compressed.size()));
    if ((parameters[6] & 0x20) != 0) compressed.append(data.substr(0, 16));  // trailing garbage
    data = compressed;
  }

  const StreamRun chunked =
      run_stream(data, gzip, max_line_length, max_decoded, pieces, scratch_bytes, turn_budget);
  const StreamRun whole = run_stream(data, gzip, max_line_length, max_decoded, Pieces(0, kWhole),
                                     std::size_t{256} * 1024, kWhole);
  const bool chunked_ok = chunked.outcome == LineStream::Outcome::ok;
  const bool whole_ok = whole.outcome == LineStream::Outcome::ok;
  if (chunked_ok != whole_ok) std::abort();  // a stream is good or bad whatever the pieces
  if (chunked_ok && chunked.complete != whole.complete) std::abort();
  if (chunked_ok && chunked.complete) {
    if (chunked.events != whole.events) std::abort();
  } else {
    // Stopped early (the output of the step that found the problem is dropped), or a gzip member cut
    // short (what zlib decoded from the last bytes may still wait for room in a small output buffer
    // when the input ends): both saw a beginning of the same lines, the unfinished last one aside.
    std::vector<std::string> a = chunked.events;
    std::vector<std::string> b = whole.events;
    for (std::vector<std::string>* events : {&a, &b}) {
      if (!events->empty() && events->back().rfind("last ", 0) == 0) events->pop_back();
    }
    if (!is_prefix(a, b) && !is_prefix(b, a)) std::abort();
    if (!gzip && chunked.outcome != whole.outcome) std::abort();
  }
  // Valid gzip, not cut short, without a limit: read whole.
  if (mode == 4 && (parameters[6] & 0x60) == 0 && max_decoded == 0 && (!chunked_ok || !chunked.complete)) {
    std::abort();
  }
}

// ---- 5: event JSON --------------------------------------------------------------------------------

void fuzz_event_json(const std::uint8_t* parameters, std::string_view data) {
  wavefront::FormatOptions options;
  options.default_source = (parameters[1] & 1) != 0 ? "192.0.2.7" : "";
  std::string out = "kept\n";
  const wavefront::Status status = wavefront::event_line_from_json(out, data, options);
  if (!status.ok()) {
    if (out != "kept\n") std::abort();  // a refusal appends nothing
    return;
  }
  if (out.size() <= 6 || out.back() != '\n') std::abort();
  const std::string_view line = std::string_view(out).substr(5, out.size() - 6);
  if (line.find('\n') != std::string_view::npos) std::abort();  // exactly one line
  if (!wavefront::testing::parse_wire_line(line, wavefront::testing::LineKind::event).ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size < kParameterBytes) return 0;
  const std::string_view data(reinterpret_cast<const char*>(bytes) + kParameterBytes, size - kParameterBytes);
  switch (bytes[0] % 6) {
    case 0:
      fuzz_session(bytes, data);
      break;
    case 1:
      fuzz_request_parser(bytes, data);
      break;
    case 2:
    case 3:
    case 4:
      fuzz_line_input(bytes, data, bytes[0] % 6);
      break;
    default:
      fuzz_event_json(bytes, data);
      break;
  }
  return 0;
}
