// Helpers for the `wfsend listen` tests: a blocking loopback client socket with deadlines, a raw HTTP
// answer reader, libcurl posts, gzip, reading files the receiver writes, and an in-process receiver.
#pragma once

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "receiver/receiver.h"
#include "support/client_test_util.h"
#include "support/gzip_test_util.h"
#include "support/subprocess.h"

namespace wfreceiver::testing {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

inline std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

inline std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

inline std::size_t count_of(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

using wavefront::testing::gzip;

// gzip of `total` zero bytes, made in pieces so the test never holds them all.
inline std::string gzip_zeros(std::size_t total) {
  z_stream stream{};
  deflateInit2(&stream, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
  const std::string zeros(1 << 20, '\0');
  std::string out;
  std::string chunk(1 << 16, '\0');
  std::size_t left = total;
  for (;;) {
    const std::size_t piece = std::min(left, zeros.size());
    left -= piece;
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    stream.avail_in = static_cast<uInt>(piece);
    const int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    do {
      stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
      stream.avail_out = static_cast<uInt>(chunk.size());
      deflate(&stream, flush);
      out.append(chunk.data(), chunk.size() - stream.avail_out);
    } while (stream.avail_out == 0);
    if (left == 0) break;
  }
  deflateEnd(&stream);
  return out;
}

// gzip of `text` whose member never ends: all of `text` can be decompressed (a sync flush), but the
// final block and the trailer are missing, as when a body or stream is cut short.
inline std::string gzip_unfinished(std::string_view text) {
  z_stream stream{};
  deflateInit2(&stream, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(text.size() + 1024, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_SYNC_FLUSH);
  out.resize(out.size() - stream.avail_out);
  deflateEnd(&stream);
  return out;
}

struct RawAnswer {
  int status = 0;
  std::string head;
  std::string body;
  bool closes = false;  // Connection: close
};

// A blocking loopback TCP client; every wait has a deadline.
class TestClient {
 public:
  explicit TestClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~TestClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  bool connected() const { return connected_; }
  bool send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }
  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }
  // Ends both directions (also wakes a thread blocked sending on this socket).
  void shutdown_both() { ::shutdown(fd_, SHUT_RDWR); }
  // Closes with a reset (SO_LINGER 0).
  void reset() {
    linger option{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &option, sizeof option);
    ::close(fd_);
    fd_ = -1;
  }

  // Reads what arrives within `timeout`; stops early at EOF. nullopt on a reset.
  std::optional<std::string> read_until_closed(std::chrono::milliseconds timeout, bool* closed = nullptr) {
    std::string text;
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      const int wait = static_cast<int>(std::max<std::int64_t>(
          0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count()));
      pollfd ready{fd_, POLLIN, 0};
      if (::poll(&ready, 1, wait) <= 0) break;
      char buffer[65536];
      const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
      if (got == 0) {
        if (closed) *closed = true;
        return text;
      }
      if (got < 0) {
        if (closed) *closed = true;
        return std::nullopt;
      }
      text.append(buffer, static_cast<std::size_t>(got));
    }
    return text;
  }

  // True when the server closes the connection (EOF or reset) within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout) {
    bool closed = false;
    read_until_closed(timeout, &closed);
    return closed;
  }

  // One HTTP answer (status line, headers, Content-Length body), or nullopt at the deadline / EOF.
  // An answer to HEAD has no body whatever its Content-Length says.
  std::optional<RawAnswer> read_answer(std::chrono::milliseconds timeout = 10s, bool to_head = false) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      const std::size_t head_end = buffer_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        RawAnswer answer;
        answer.head = buffer_.substr(0, head_end + 4);
        answer.status = std::atoi(answer.head.c_str() + 9);
        std::size_t length = 0;
        const std::size_t at = answer.head.find("Content-Length: ");
        if (at != std::string::npos && !to_head)
          length = std::strtoul(answer.head.c_str() + at + 16, nullptr, 10);
        answer.closes = answer.head.find("Connection: close") != std::string::npos;
        if (buffer_.size() >= head_end + 4 + length) {
          answer.body = buffer_.substr(head_end + 4, length);
          buffer_.erase(0, head_end + 4 + length);
          return answer;
        }
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return std::nullopt;
      pollfd ready{fd_, POLLIN, 0};
      if (::poll(&ready, 1, static_cast<int>(left)) <= 0) return std::nullopt;
      char chunk[65536];
      const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
      if (got <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<std::size_t>(got));
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

inline std::string http_post(std::string_view target, std::string_view body,
                             std::string_view extra_headers = "") {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         std::string(extra_headers) + "\r\n" + std::string(body);
}

struct CurlAnswer {
  long status = 0;
  std::string body;
  std::string error;
};

// One POST with libcurl (a fresh handle: one connection per call).
inline CurlAnswer curl_post(const std::string& url, const std::string& body,
                            std::vector<std::string> headers = {}) {
  CurlAnswer answer;
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  for (const std::string& header : headers) list = curl_slist_append(list, header.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(
      curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t count, void* user) {
        static_cast<std::string*>(user)->append(data, size * count);
        return size * count;
      });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) answer.error = curl_easy_strerror(code);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return answer;
}

// A Receiver on its own thread, writing accepted lines and reports to files in a temporary directory.
class RunningReceiver {
 public:
  explicit RunningReceiver(ReceiverOptions options = {}) {
    options.host = "127.0.0.1";
    if (options.port == 2878) options.port = 0;
    out_path_ = directory_.file("out.txt");
    report_path_ = directory_.file("report.txt");
    out_fd_ = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    report_fd_ = ::open(report_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    options.output_fd = out_fd_;
    options.report_fd = report_fd_;
    auto created = Receiver::create(options);
    EXPECT_TRUE(created.ok()) << created.status().to_string();
    if (created.ok()) {
      receiver_ = std::move(created).value();
      receiver_->start();
    }
  }
  ~RunningReceiver() {
    stop();
    ::close(out_fd_);
    ::close(report_fd_);
  }
  Receiver& operator*() { return *receiver_; }
  Receiver* operator->() { return receiver_.get(); }
  std::uint16_t port() const { return receiver_->port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  void stop() {
    if (receiver_) {
      receiver_->stop();
      receiver_->wait();
    }
  }
  std::string output() const { return read_file(out_path_); }
  std::string reports() const { return read_file(report_path_); }
  ReceiverStats stats() const { return receiver_->stats(); }
  std::uint64_t accepted(wavefront::LineKind kind) const {
    return stats().lines.accepted[static_cast<std::size_t>(kind)];
  }
  std::uint64_t rejected(wavefront::LineKind kind) const {
    return stats().lines.rejected[static_cast<std::size_t>(kind)];
  }
  // The count once it reaches `at_least`, or when the timeout passes. A read's counts are published
  // after the reports about its lines (the receiver tallies a read and then commits it), so a test that
  // saw a report waits for the count too.
  std::uint64_t rejected_once(wavefront::LineKind kind, std::uint64_t at_least,
                              std::chrono::milliseconds timeout = 10s) const {
    wavefront::testing::eventually([&] { return rejected(kind) >= at_least; }, timeout);
    return rejected(kind);
  }
  // Waits until the output holds `lines` lines.
  bool wait_for_output_lines(std::size_t lines, std::chrono::milliseconds timeout = 10s) const {
    return wavefront::testing::eventually([&] { return count_of(output(), "\n") >= lines; }, timeout);
  }
  bool wait_for_report(std::string_view text, std::chrono::milliseconds timeout = 10s) const {
    return wavefront::testing::eventually([&] { return reports().find(text) != std::string::npos; }, timeout);
  }

 private:
  wavefront::testing::TempDir directory_;
  std::string out_path_;
  std::string report_path_;
  int out_fd_ = -1;
  int report_fd_ = -1;
  std::unique_ptr<Receiver> receiver_;
};

}  // namespace wfreceiver::testing
