// Lines per second into a `wfsend listen` receiver (tools/wfsend/listen/receiver.h) over loopback, with
// the validation ceiling measured in the same run. A plain program, not Google Benchmark: each row is
// one long timed pass, from the first byte sent until the receiver has counted every line.
//
//   LineReader alone       LineReader::read on the same lines in a loop: no sockets, one thread
//   TCP, counted only      one client thread writes pre-formatted metric lines (256 KiB writes) to the
//                          push port; the receiver validates and counts them (wfsend listen --quiet)
//   TCP, output /dev/null  the same, canonical lines written out (wfsend listen --out /dev/null)
//   TCP gzip               the same lines as one gzip stream (compressed beforehand), counted only
//   HTTP gzip 4 MiB        POST /report?f=wavefront, 4 MiB bodies compressed beforehand (the library's
//                          batch size), one keep-alive connection waiting for each answer
//
//   listen_throughput [--lines N] [--runs R]     N defaults to 5 million, R to 3 (medians printed)
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fcntl.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "receiver/receiver.h"
#include "wavefront/format.h"
#include "wavefront/line_reader.h"
#include "wavefront/transport/gzip.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kDistinctLines = 10000;
constexpr std::size_t kWriteBytes = 256 * 1024;
constexpr std::size_t kBodyBytes = 4 * 1024 * 1024;

// kDistinctLines lines as the library writes them (3 point tags, a timestamp).
std::string make_block() {
  std::string block;
  for (std::size_t index = 0; index < kDistinctLines; ++index) {
    wavefront::format_metric(block, "cpu.usage.user", 40.0 + static_cast<double>(index % 1024) * 0.125,
                             1700000000, "host-" + std::to_string(index % 100) + ".example.com",
                             {{"env", "prod"}, {"region", "us-west-2"}, {"service", "checkout"}});
  }
  return block;
}

std::string gzip(const std::string& data) {
  std::string out;
  if (!wavefront::transport::gzip_compress(data, 1, out).ok()) std::abort();
  return out;
}

int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    std::perror("connect");
    std::exit(1);
  }
  return fd;
}

void send_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t sent = ::send(fd, data, std::min(size, kWriteBytes), MSG_NOSIGNAL);
    if (sent <= 0) {
      std::perror("send");
      std::exit(1);
    }
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
}

// Runs `client` against a fresh receiver and returns lines per second until `lines` were counted.
double timed_run(int output_fd, std::size_t lines, const std::function<void(std::uint16_t)>& client) {
  wfreceiver::ReceiverOptions options;
  options.port = 0;
  options.output_fd = output_fd;
  options.report_fd = 2;
  auto receiver = wfreceiver::Receiver::create(options);
  if (!receiver.ok()) {
    std::fprintf(stderr, "%s\n", receiver.status().message().c_str());
    std::exit(1);
  }
  (*receiver)->start();
  const auto start = Clock::now();
  std::thread sender([&] { client((*receiver)->port()); });
  while ((*receiver)->stats().lines.total_accepted() < lines)
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  sender.join();
  (*receiver)->stop();
  (*receiver)->wait();
  return static_cast<double>(lines) / seconds;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t lines = 5'000'000;
  int runs = 3;
  for (int index = 1; index + 1 < argc; index += 2) {
    if (std::strcmp(argv[index], "--lines") == 0) lines = std::strtoull(argv[index + 1], nullptr, 10);
    if (std::strcmp(argv[index], "--runs") == 0) runs = std::atoi(argv[index + 1]);
  }
  lines = std::max<std::size_t>(kDistinctLines, lines / kDistinctLines * kDistinctLines);
  const std::size_t blocks = lines / kDistinctLines;
  const std::string block = make_block();
  std::string stream_text;
  for (std::size_t index = 0; index < std::min<std::size_t>(blocks, 100); ++index) stream_text += block;
  const std::string compressed_stream = gzip(stream_text);  // repeated to reach `lines`
  const std::size_t stream_lines = std::min<std::size_t>(blocks, 100) * kDistinctLines;

  std::string body;
  while (body.size() + block.size() <= kBodyBytes) body += block;
  const std::size_t body_lines = body.size() / block.size() * kDistinctLines;
  const std::string compressed_body = gzip(body);
  const std::string request_head =
      "POST /report?f=wavefront HTTP/1.1\r\nContent-Encoding: gzip\r\nContent-Length: " +
      std::to_string(compressed_body.size()) + "\r\n\r\n";

  std::printf("%zu lines of %zu bytes on average, %d runs, medians\n", lines, block.size() / kDistinctLines,
              runs);
  std::vector<double> reader_rates;
  for (int run = 0; run < runs; ++run) {
    wavefront::LineReader reader;
    const auto start = Clock::now();
    std::size_t accepted = 0;
    for (std::size_t round = 0; round < blocks; ++round) {
      std::string_view text(block);
      while (!text.empty()) {
        const std::size_t end = text.find('\n');
        accepted += reader.read(text.substr(0, end)).ok() ? 1 : 0;
        text.remove_prefix(end + 1);
      }
    }
    reader_rates.push_back(static_cast<double>(accepted) /
                           std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::printf("  %-24s %12.0f lines/s\n", "LineReader alone", median(reader_rates));

  const int dev_null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  auto plain_client = [&](std::uint16_t port) {
    const int fd = connect_to(port);
    for (std::size_t round = 0; round < blocks; ++round) send_all(fd, block.data(), block.size());
    ::close(fd);
  };
  auto gzip_client = [&](std::uint16_t port) {
    // Each connection carries one gzip stream; several connections until every line is sent.
    for (std::size_t sent = 0; sent < blocks * kDistinctLines; sent += stream_lines) {
      const int fd = connect_to(port);
      send_all(fd, compressed_stream.data(), compressed_stream.size());
      ::close(fd);
    }
  };
  const std::size_t requests = (lines + body_lines - 1) / body_lines;
  auto http_client = [&](std::uint16_t port) {
    const int fd = connect_to(port);
    char answer[4096];
    for (std::size_t request = 0; request < requests; ++request) {
      send_all(fd, request_head.data(), request_head.size());
      send_all(fd, compressed_body.data(), compressed_body.size());
      std::string text;
      // The answer's body is one line: done once something after the head ends in a newline.
      for (;;) {
        const std::size_t head_end = text.find("\r\n\r\n");
        if (head_end != std::string::npos && text.size() > head_end + 4 && text.back() == '\n') break;
        const ssize_t got = ::recv(fd, answer, sizeof answer, 0);
        if (got <= 0) std::exit(1);
        text.append(answer, static_cast<std::size_t>(got));
      }
    }
    ::close(fd);
  };
  struct Row {
    const char* name;
    int output_fd;
    std::size_t lines;
    std::function<void(std::uint16_t)> client;
  };
  const std::vector<Row> rows = {
      {"TCP, counted only", -1, blocks * kDistinctLines, plain_client},
      {"TCP, output /dev/null", dev_null, blocks * kDistinctLines, plain_client},
      {"TCP gzip, counted only", -1,
       (blocks * kDistinctLines + stream_lines - 1) / stream_lines * stream_lines, gzip_client},
      {"HTTP gzip 4 MiB bodies", -1, requests * body_lines, http_client},
  };
  for (const Row& row : rows) {
    std::vector<double> rates;
    for (int run = 0; run < runs; ++run) rates.push_back(timed_run(row.output_fd, row.lines, row.client));
    std::printf("  %-24s %12.0f lines/s\n", row.name, median(rates));
  }
  ::close(dev_null);
  return 0;
}
