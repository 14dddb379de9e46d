// The loopback HTTP/1.1 receiver of the HTTP benchmarks; see http_sink.h.
#include "http_sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string_view>

namespace wavefront_bench {
namespace {

constexpr std::size_t kInitialBufferBytes = 1 << 20;  // a compressed batch of the sender fits in one
constexpr std::size_t kInflateChunkBytes = 256 * 1024;
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
constexpr int kListenBacklog = 16;

constexpr std::string_view kAccepted = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view kBadRequest = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
constexpr std::string_view kNotFound = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
constexpr std::string_view kUnsupportedEncoding =
    "HTTP/1.1 415 Unsupported Media Type\r\nContent-Length: 0\r\n\r\n";
constexpr std::string_view kLengthRequired =
    "HTTP/1.1 411 Length Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
constexpr std::string_view kHeadersTooLarge =
    "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
constexpr std::string_view kMalformed =
    "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "http_sink: %s: %s\n", what, std::strerror(errno));
  std::abort();
}

std::int64_t thread_cpu_ns() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t index = 0; index < a.size(); ++index) {
    if (std::tolower(static_cast<unsigned char>(a[index])) !=
        std::tolower(static_cast<unsigned char>(b[index])))
      return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::uint64_t count_newlines(const char* data, std::size_t size) {
  std::uint64_t newlines = 0;
  // A plain loop, which the compiler vectorizes.
  for (std::size_t index = 0; index < size; ++index) newlines += data[index] == '\n' ? 1 : 0;
  return newlines;
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

// Reads whatever arrives into buffer[filled...], first growing the buffer to at least `want` bytes
// (and always leaving room for more). False when the peer closed or the socket failed.
bool receive_more(int fd, std::vector<char>& buffer, std::size_t& filled, std::size_t want) {
  if (buffer.size() < want || filled == buffer.size()) buffer.resize(std::max(want, 2 * buffer.size()));
  for (;;) {
    const ssize_t got = ::recv(fd, buffer.data() + filled, buffer.size() - filled, 0);
    if (got > 0) {
      filled += static_cast<std::size_t>(got);
      return true;
    }
    if (got < 0 && errno == EINTR) continue;
    return false;
  }
}

// What the sink needs from a request's head.
struct RequestHead {
  std::string_view method;
  std::string_view target;
  std::size_t content_length = 0;
  bool has_length = false;
  bool chunked = false;
  bool gzip = false;
  bool unknown_encoding = false;
  bool expect_continue = false;
  bool close = false;
};

// Parses the request line and headers (`head` ends before the blank line). False if malformed.
bool parse_head(std::string_view head, RequestHead& request) {
  std::size_t line_end = head.find("\r\n");
  const std::string_view request_line = head.substr(0, line_end);
  const std::size_t first_space = request_line.find(' ');
  const std::size_t second_space = request_line.find(' ', first_space + 1);
  if (first_space == std::string_view::npos || second_space == std::string_view::npos) return false;
  request.method = request_line.substr(0, first_space);
  request.target = request_line.substr(first_space + 1, second_space - first_space - 1);
  if (request_line.substr(second_space + 1) == "HTTP/1.0") request.close = true;
  while (line_end != std::string_view::npos) {
    const std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string_view line =
        head.substr(start, line_end == std::string_view::npos ? head.npos : line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (same_name(name, "content-length")) {
      const auto [end, error] =
          std::from_chars(value.data(), value.data() + value.size(), request.content_length);
      if (error != std::errc() || end != value.data() + value.size()) return false;
      request.has_length = true;
    } else if (same_name(name, "transfer-encoding")) {
      request.chunked = !same_name(value, "identity");
    } else if (same_name(name, "content-encoding")) {
      request.gzip = same_name(value, "gzip");
      request.unknown_encoding = !request.gzip && !same_name(value, "identity");
    } else if (same_name(name, "expect")) {
      request.expect_continue = same_name(value, "100-continue");
    } else if (same_name(name, "connection")) {
      if (same_name(value, "close")) request.close = true;
      if (same_name(value, "keep-alive")) request.close = false;
    }
  }
  return true;
}

}  // namespace

struct HttpSink::Connection {
  int fd = -1;
  std::atomic<std::int64_t> cpu_ns{0};  // this thread's CPU time, as of its last request
  z_stream inflater{};
  bool inflater_ready = false;
  std::thread thread;
};

namespace {

// Inflates `body` (one or more gzip members, back to back) and counts its lines. False if it is not
// valid, complete gzip.
bool inflate_and_count(z_stream& stream, std::string_view body, std::vector<char>& out, std::uint64_t& lines,
                       std::uint64_t& bytes) {
  if (body.size() > UINT_MAX || inflateReset(&stream) != Z_OK) return false;
  stream.next_in = const_cast<Bytef*>(reinterpret_cast<const Bytef*>(body.data()));  // zlib reads only
  stream.avail_in = static_cast<uInt>(body.size());
  for (;;) {
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int result = inflate(&stream, Z_NO_FLUSH);
    const std::size_t produced = out.size() - stream.avail_out;
    lines += count_newlines(out.data(), produced);
    bytes += produced;
    if (result == Z_STREAM_END) {
      if (stream.avail_in == 0) return true;
      if (inflateReset(&stream) != Z_OK) return false;  // another member follows
    } else if (result != Z_OK) {
      return false;  // corrupt, or truncated (Z_BUF_ERROR once the input ran out)
    }
  }
}

}  // namespace

HttpSink::HttpSink() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) die("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;  // the kernel picks a free port
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) die("bind");
  if (::listen(listen_fd_, kListenBacklog) != 0) die("listen");
  socklen_t length = sizeof address;
  if (::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) die("getsockname");
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

HttpSink::~HttpSink() {
  stopping_.store(true);
  ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept() with an error on Linux
  acceptor_.join();
  ::close(listen_fd_);
  // No new connections now. Serving threads never close their sockets (so a descriptor number cannot
  // be reused under this loop); a shutdown wakes a blocked recv() with end-of-stream.
  for (const auto& connection : connections_) {
    ::shutdown(connection->fd, SHUT_RDWR);
    connection->thread.join();
    ::close(connection->fd);
    if (connection->inflater_ready) inflateEnd(&connection->inflater);
  }
}

std::string HttpSink::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

bool HttpSink::wait_for_lines(std::uint64_t total, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return lines_arrived_.wait_for(lock, timeout, [&] { return lines() >= total; });
}

double HttpSink::cpu_seconds() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::int64_t total = accept_cpu_ns_.load(std::memory_order_acquire);
  for (const auto& connection : connections_) total += connection->cpu_ns.load(std::memory_order_acquire);
  return static_cast<double>(total) / 1e9;
}

void HttpSink::accept_loop() {
  for (;;) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (stopping_.load()) return;
      if (errno == EINTR || errno == ECONNABORTED) continue;
      die("accept");
    }
    const int enable = 1;  // answers are tiny; do not hold them back
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &enable, sizeof enable);
    auto connection = std::make_unique<Connection>();
    connection->fd = fd;
    connection->inflater_ready = inflateInit2(&connection->inflater, 15 + 16) == Z_OK;  // gzip wrapper only
    Connection& served = *connection;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      connections_.push_back(std::move(connection));
      served.thread = std::thread([this, &served] { serve(served); });
    }
    accept_cpu_ns_.store(thread_cpu_ns(), std::memory_order_release);
  }
}

void HttpSink::count_request(Connection& connection, std::uint64_t lines, std::uint64_t body_bytes,
                             std::uint64_t inflated_bytes) {
  // CPU first, lines last: whoever sees the lines also sees the CPU spent on them.
  connection.cpu_ns.store(thread_cpu_ns(), std::memory_order_release);
  body_bytes_.fetch_add(body_bytes, std::memory_order_relaxed);
  inflated_bytes_.fetch_add(inflated_bytes, std::memory_order_relaxed);
  accepted_requests_.fetch_add(1, std::memory_order_relaxed);
  lines_.fetch_add(lines, std::memory_order_release);
  { std::lock_guard<std::mutex> lock(mutex_); }  // a waiter is either before its check or asleep
  lines_arrived_.notify_all();
}

void HttpSink::serve(Connection& connection) {
  const int fd = connection.fd;
  std::vector<char> buffer(kInitialBufferBytes);
  std::vector<char> inflated(kInflateChunkBytes);
  std::size_t filled = 0;  // buffer[0, filled) holds received bytes not yet consumed
  const auto refuse = [&](std::string_view answer) {
    refused_requests_.fetch_add(1, std::memory_order_relaxed);
    connection.cpu_ns.store(thread_cpu_ns(), std::memory_order_release);
    return send_all(fd, answer);
  };
  for (;;) {
    // The head: up to the blank line.
    std::size_t head_end = std::string_view::npos;
    while ((head_end = std::string_view(buffer.data(), filled).find("\r\n\r\n")) == std::string_view::npos) {
      if (filled > kMaxHeaderBytes) {
        refuse(kHeadersTooLarge);
        ::shutdown(fd, SHUT_RDWR);
        return;
      }
      if (!receive_more(fd, buffer, filled, 0)) return;  // the client closed (between requests: normal)
    }
    RequestHead request;
    if (!parse_head(std::string_view(buffer.data(), head_end), request)) {
      refuse(kMalformed);
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
    if (request.chunked || (!request.has_length && request.method == "POST")) {
      refuse(kLengthRequired);
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
    // The body: exactly Content-Length bytes after the head.
    const std::size_t body_begin = head_end + 4;
    const std::size_t request_end = body_begin + request.content_length;
    if (request.expect_continue && filled < request_end && !send_all(fd, kContinue)) return;
    while (filled < request_end) {
      if (!receive_more(fd, buffer, filled, request_end)) return;
    }
    const std::string_view body(buffer.data() + body_begin, request.content_length);

    bool kept = true;
    if (request.method != "POST" || request.target.substr(0, 7) != "/report") {
      kept = refuse(kNotFound);
    } else if (request.unknown_encoding) {
      kept = refuse(kUnsupportedEncoding);
    } else {
      std::uint64_t lines = 0;
      std::uint64_t inflated_bytes = 0;
      bool valid = true;
      if (request.gzip) {
        valid = connection.inflater_ready &&
                inflate_and_count(connection.inflater, body, inflated, lines, inflated_bytes);
      } else {
        lines = count_newlines(body.data(), body.size());
        inflated_bytes = body.size();
      }
      if (valid) {
        count_request(connection, lines, body.size(), inflated_bytes);
        kept = send_all(fd, kAccepted);
      } else {
        kept = refuse(kBadRequest);
      }
    }
    if (!kept || request.close) {
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
    // Keep whatever followed this request (a pipelining client) at the front of the buffer.
    std::memmove(buffer.data(), buffer.data() + request_end, filled - request_end);
    filled -= request_end;
  }
}

}  // namespace wavefront_bench
