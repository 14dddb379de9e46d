// End-to-end throughput and memory bound of ProxyClient over real loopback TCP, with baselines measured
// in the same run (docs/benchmarks.md, "Proxy client (TCP)"). A plain program, not Google Benchmark:
// each row is one long timed pass, which is what "points per second to the socket" means.
//
// Throughput (the default): one producer thread sends N metric lines with 3 tags; each row is timed from
// the first line until a LineSink (line_sink.h) has counted all N lines:
//   formatting alone   format_metric N times into a std::string emptied every 16 KiB (no I/O at all)
//   raw send()         the same lines formatted once beforehand, memcpy'd into 16 KiB buffers and
//                      written with blocking send() calls: what the socket itself can take
//   ProxyClient        send_metric N times (queue of 10 million lines / 2 GiB: nothing dropped), then
//                      flush(); also with the default bounds and the block policy (memory bounded)
//
// Memory (--memory): a ProxyClient whose proxy is down (a port where nothing listens) takes N points as
// fast as one thread can send them; VmRSS is sampled every 100k points. The queue bounds must cap the
// growth: peak - baseline <= max_queue_bytes + 16 MiB. Runs once with the default bounds (the line bound
// binds first) and once with max_queue_items raised so that the byte bound binds.
//
//   proxy_throughput [--points N] [--runs R]     N defaults to 5 million, R to 3 (medians printed)
//   proxy_throughput --memory [--points N]       N defaults to 10 million
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "line_sink.h"
#include "wavefront/format.h"
#include "wavefront/proxy_client.h"

namespace wavefront_bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::int64_t kTimestamp = 1700000000;
constexpr std::uint64_t kDistinctValues = 1024;
constexpr std::size_t kChunkBytes = 16 * 1024;
constexpr std::chrono::seconds kDrainTimeout(300);
constexpr std::uint64_t kRssSampleEvery = 100'000;
constexpr std::size_t kMiB = 1024 * 1024;
constexpr std::size_t kMemorySlackBytes = 16 * kMiB;  // the allowance above max_queue_bytes

double value_of(std::uint64_t point) { return 40.0 + static_cast<double>(point % kDistinctValues) * 0.125; }

wavefront::Status format_point(std::string& out, std::uint64_t point) {
  return wavefront::format_metric(out, "cpu.usage.user", value_of(point), kTimestamp, "host-01.example.com",
                                  {{"env", "prod"}, {"region", "us-west-2"}, {"service", "checkout"}});
}

wavefront::Status send_point(wavefront::Sender& sender, std::uint64_t point) {
  return sender.send_metric("cpu.usage.user", value_of(point), kTimestamp, "host-01.example.com",
                            {{"env", "prod"}, {"region", "us-west-2"}, {"service", "checkout"}});
}

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "proxy_throughput: %s\n", message.c_str());
  std::exit(1);
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::unique_ptr<wavefront::Sender> make_client(wavefront::ProxyClientConfig config, std::uint16_t port) {
  config.host = "127.0.0.1";
  config.metrics_port = port;
  config.self_metrics_interval = std::chrono::milliseconds(0);  // only our lines on the wire
  auto client = wavefront::ProxyClient::create(config);
  if (!client) fail("ProxyClient::create: " + client.status().message());
  return client.release();
}

// ---- throughput -------------------------------------------------------------------------------------

struct Timing {
  double seconds = 0;           // first line until the sink counted the last one
  double producer_seconds = 0;  // first line until the producer's last call returned
};

Timing time_formatting_alone(std::uint64_t points) {
  std::string buffer;
  buffer.reserve(kChunkBytes + 1024);
  std::uint64_t bytes = 0;
  const auto start = Clock::now();
  for (std::uint64_t point = 0; point < points; ++point) {
    if (!format_point(buffer, point).ok()) fail("format_metric refused the benchmark input");
    if (buffer.size() >= kChunkBytes) {
      bytes += buffer.size();
      buffer.clear();
    }
  }
  const double seconds = seconds_since(start);
  bytes += buffer.size();
  if (bytes == 0) fail("nothing was formatted");  // also keeps the loop's result observable
  return Timing{seconds, seconds};
}

int connect_blocking(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    fail(std::string("connect: ") + std::strerror(errno));
  }
  const int enable = 1;  // as the library does
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &enable, sizeof enable);
  return fd;
}

void send_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      fail(std::string("send: ") + std::strerror(errno));
    }
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
}

Timing time_raw_send(std::uint64_t points) {
  std::vector<std::string> lines(kDistinctValues);
  for (std::uint64_t index = 0; index < kDistinctValues; ++index) {
    if (!format_point(lines[index], index).ok()) fail("format_metric refused the benchmark input");
  }
  LineSink sink;
  const int fd = connect_blocking(sink.port());
  std::vector<char> chunk(kChunkBytes);
  std::size_t used = 0;
  const auto start = Clock::now();
  for (std::uint64_t point = 0; point < points; ++point) {
    const std::string& line = lines[point % kDistinctValues];
    if (used + line.size() > chunk.size()) {
      send_all(fd, chunk.data(), used);
      used = 0;
    }
    std::memcpy(chunk.data() + used, line.data(), line.size());
    used += line.size();
  }
  send_all(fd, chunk.data(), used);
  Timing timing;
  timing.producer_seconds = seconds_since(start);
  if (!sink.wait_for_lines(points, kDrainTimeout)) fail("raw send(): the sink did not receive every line");
  timing.seconds = seconds_since(start);
  ::close(fd);
  return timing;
}

// Sends every point through a ProxyClient with `config`'s bounds; fails unless all arrive.
Timing time_proxy_client(std::uint64_t points, const wavefront::ProxyClientConfig& config) {
  LineSink sink;
  std::unique_ptr<wavefront::Sender> client = make_client(config, sink.port());
  std::uint64_t refused = 0;
  Timing timing;
  const auto start = Clock::now();
  for (std::uint64_t point = 0; point < points; ++point) {
    if (!send_point(*client, point).ok()) ++refused;
  }
  timing.producer_seconds = seconds_since(start);
  const wavefront::FlushResult flushed = client->flush(kDrainTimeout);
  const bool all_arrived = sink.wait_for_lines(points, kDrainTimeout);
  timing.seconds = seconds_since(start);
  const wavefront::TypeStats stats = client->stats()[wavefront::DataType::metric];
  if (refused != 0 || !flushed.ok() || !all_arrived || stats.dropped != 0 || stats.delivered != points) {
    fail("ProxyClient: " + std::to_string(refused) + " sends refused, " + std::to_string(stats.dropped) +
         " dropped, " + std::to_string(stats.delivered) + " delivered, sink counted " +
         std::to_string(sink.lines()) + " of " + std::to_string(points) + " lines");
  }
  client->close(kDrainTimeout);
  return timing;
}

struct Row {
  const char* name;
  std::function<Timing(std::uint64_t)> measure;
  std::vector<Timing> runs;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

double median_rate(const Row& row, std::uint64_t points, bool producer_only) {
  std::vector<double> rates;
  for (const Timing& timing : row.runs) {
    rates.push_back(static_cast<double>(points) / (producer_only ? timing.producer_seconds : timing.seconds));
  }
  return median(rates);
}

int run_throughput(std::uint64_t points, int runs) {
  std::string sample;
  format_point(sample, 0);
  std::printf(
      "proxy_throughput: %llu metric lines with 3 tags (%zu bytes each, e.g. %s), one producer "
      "thread, %d runs\n",
      static_cast<unsigned long long>(points), sample.size(), sample.substr(0, sample.size() - 1).c_str(),
      runs);

  wavefront::ProxyClientConfig big_queue;
  big_queue.max_queue_items = 10'000'000;
  big_queue.max_queue_bytes = std::size_t{2} << 30;
  wavefront::ProxyClientConfig blocking;  // default bounds: 50,000 lines / 16 MiB
  blocking.overflow_policy = wavefront::OverflowPolicy::block;
  blocking.block_timeout = std::chrono::milliseconds(10'000);

  std::vector<Row> rows = {
      {"formatting alone (baseline a)", time_formatting_alone, {}},
      {"preformatted, raw send() (baseline b)", time_raw_send, {}},
      {"ProxyClient, queue 10M lines / 2 GiB",
       [&](std::uint64_t count) { return time_proxy_client(count, big_queue); },
       {}},
      {"ProxyClient, default bounds, block policy",
       [&](std::uint64_t count) { return time_proxy_client(count, blocking); },
       {}},
  };
  for (int run = 1; run <= runs; ++run) {
    for (Row& row : rows) {
      row.runs.push_back(row.measure(points));
      const Timing& timing = row.runs.back();
      std::printf("run %d  %-42s %7.3f s  %6.2f M points/s  (producer done after %.3f s)\n", run, row.name,
                  timing.seconds, static_cast<double>(points) / timing.seconds / 1e6,
                  timing.producer_seconds);
      std::fflush(stdout);
    }
  }

  const double formatting = median_rate(rows[0], points, false);
  const double raw_send = median_rate(rows[1], points, false);
  std::printf("\nmedians of %d runs (end to end: first line until the sink counted the last)\n", runs);
  std::printf("%-42s %14s %13s %13s %18s\n", "row", "M points/s", "/ formatting", "/ raw send()",
              "producer M calls/s");
  for (const Row& row : rows) {
    const double rate = median_rate(row, points, false);
    std::printf("%-42s %14.2f %13.2f %13.2f %18.2f\n", row.name, rate / 1e6, rate / formatting,
                rate / raw_send, median_rate(row, points, true) / 1e6);
  }
  const double ours = median_rate(rows[2], points, false);
  std::printf("\ntargets: ours / formatting alone >= 0.6: %.2f (%s); ours >= 3 M points/s: %.2f (%s)\n",
              ours / formatting, ours / formatting >= 0.6 ? "met" : "MISSED", ours / 1e6,
              ours >= 3e6 ? "met" : "MISSED");
  return 0;
}

// ---- memory -----------------------------------------------------------------------------------------

// Resident set size of this process in bytes (VmRSS in /proc/self/status).
std::size_t resident_bytes() {
  std::ifstream status("/proc/self/status");
  std::string field;
  while (status >> field) {
    if (field == "VmRSS:") {
      std::size_t kib = 0;
      status >> kib;
      return kib * 1024;
    }
    status.ignore(1 << 16, '\n');
  }
  fail("no VmRSS in /proc/self/status");
}

double mib(std::size_t bytes) { return static_cast<double>(bytes) / static_cast<double>(kMiB); }

// Returns true when the growth stayed within the target and the counters add up.
bool run_memory_case(const char* title, std::uint64_t points, const wavefront::ProxyClientConfig& config) {
  const std::uint16_t dead_port = reserve_unused_port();
  const std::size_t baseline = resident_bytes();
  std::unique_ptr<wavefront::Sender> client = make_client(config, dead_port);
  std::size_t peak = resident_bytes();
  std::uint64_t accepted_calls = 0;
  std::uint64_t queue_full_calls = 0;
  std::uint64_t other_refusals = 0;
  const auto start = Clock::now();
  for (std::uint64_t point = 0; point < points; ++point) {
    const wavefront::Status status = send_point(*client, point);
    if (status.ok()) {
      ++accepted_calls;
    } else if (status.code() == wavefront::ErrorCode::queue_full) {
      ++queue_full_calls;
    } else {
      ++other_refusals;
    }
    if ((point + 1) % kRssSampleEvery == 0) peak = std::max(peak, resident_bytes());
  }
  const double seconds = seconds_since(start);
  peak = std::max(peak, resident_bytes());
  const wavefront::SenderStats all = client->stats();
  const wavefront::TypeStats& stats = all[wavefront::DataType::metric];
  const std::uint64_t queue_full_drops =
      stats.dropped_by_reason[static_cast<std::size_t>(wavefront::DropReason::queue_full)];
  const bool identity = stats.accepted == stats.delivered + stats.queued + stats.dropped;
  const bool drops_counted = queue_full_drops == queue_full_calls && stats.accepted == points;
  const std::size_t growth = peak > baseline ? peak - baseline : 0;
  const bool bounded = growth <= config.max_queue_bytes + kMemorySlackBytes;

  std::printf("\n%s\n", title);
  std::printf(
      "  bounds: max_queue_items %zu, max_queue_bytes %zu (%.1f MiB) per data type; 5 data types: "
      "%.1f MiB in theory, only the metric queue fills\n",
      config.max_queue_items, config.max_queue_bytes, mib(config.max_queue_bytes),
      5 * mib(config.max_queue_bytes));
  std::printf(
      "  sent %llu points in %.2f s (%.2f M calls/s): %llu accepted into the queue, %llu queue_full, "
      "%llu other refusals\n",
      static_cast<unsigned long long>(points), seconds, static_cast<double>(points) / seconds / 1e6,
      static_cast<unsigned long long>(accepted_calls), static_cast<unsigned long long>(queue_full_calls),
      static_cast<unsigned long long>(other_refusals));
  std::printf(
      "  stats: accepted %llu = delivered %llu + queued %llu (%.1f MiB) + dropped %llu (queue_full "
      "%llu): %s; connects %llu\n",
      static_cast<unsigned long long>(stats.accepted), static_cast<unsigned long long>(stats.delivered),
      static_cast<unsigned long long>(stats.queued), mib(stats.queued_bytes),
      static_cast<unsigned long long>(stats.dropped), static_cast<unsigned long long>(queue_full_drops),
      identity && drops_counted ? "adds up" : "DOES NOT ADD UP",
      static_cast<unsigned long long>(all.connects));
  std::printf(
      "  RSS before the client %.1f MiB, peak %.1f MiB, growth %.1f MiB; target growth <= "
      "max_queue_bytes + 16 MiB = %.1f MiB: %s\n",
      mib(baseline), mib(peak), mib(growth), mib(config.max_queue_bytes + kMemorySlackBytes),
      bounded ? "met" : "MISSED");
  client->close(std::chrono::milliseconds(100));
  return bounded && identity && drops_counted;
}

int run_memory(std::uint64_t points) {
  std::printf(
      "proxy_throughput --memory: %llu points to a proxy that is down, RSS sampled every %llu points\n",
      static_cast<unsigned long long>(points), static_cast<unsigned long long>(kRssSampleEvery));
  wavefront::ProxyClientConfig defaults;
  wavefront::ProxyClientConfig byte_bound;
  byte_bound.max_queue_items = 10'000'000;
  const bool defaults_ok = run_memory_case("default bounds (the line bound binds first)", points, defaults);
  const bool byte_bound_ok =
      run_memory_case("max_queue_items 10,000,000 (the 16 MiB byte bound binds)", points, byte_bound);
  return defaults_ok && byte_bound_ok ? 0 : 1;
}

std::uint64_t parse_count(const char* text, const char* flag) {
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || value == 0) fail(std::string(flag) + " needs a positive integer");
  return value;
}

}  // namespace
}  // namespace wavefront_bench

int main(int argc, char** argv) {
  using wavefront_bench::parse_count;
  bool memory = false;
  std::uint64_t points = 0;
  std::uint64_t runs = 3;
  for (int index = 1; index < argc; ++index) {
    const std::string flag = argv[index];
    if (flag == "--memory") {
      memory = true;
    } else if ((flag == "--points" || flag == "--runs") && index + 1 < argc) {
      (flag == "--points" ? points : runs) = parse_count(argv[++index], flag.c_str());
    } else {
      std::fprintf(stderr, "usage: %s [--points N] [--runs R] | --memory [--points N]\n", argv[0]);
      return 2;
    }
  }
  if (memory) return wavefront_bench::run_memory(points != 0 ? points : 10'000'000);
  return wavefront_bench::run_throughput(points != 0 ? points : 5'000'000, static_cast<int>(runs));
}
