// End-to-end throughput of HttpClient over real loopback HTTP, with a libcurl baseline measured in the
// same run, for several gzip levels (docs/benchmarks.md, "HTTP client"). A plain program, not Google
// Benchmark: each row is one long timed pass, which is what "points per second delivered" means.
//
// One producer thread sends N metric lines with 3 tags; each row is timed from the first line until the
// HttpSink (http_sink.h, a raw-socket HTTP/1.1 receiver in this process) has inflated and counted all N:
//   libcurl baseline  the same lines formatted beforehand (untimed) and cut into the same 10,000-line
//                     batches; each batch gzip-compressed at the same level (zlib, same parameters as
//                     the library) and POSTed to /report?f=wavefront by a minimal loop over one libcurl
//                     easy handle (keep-alive). No queue, no second thread: compressing and posting alone.
//   HttpClient        send_metric N times into an HttpClient in proxy mode (http://127.0.0.1:<port>,
//                     queue of 10 million lines / 2 GiB so nothing is dropped, default batches of 10,000
//                     lines, flush_interval 1 s), then flush().
//
// CPU per point (the flusher thread is internal, so it is derived):
//   process    getrusage(RUSAGE_SELF) user + system, over the timed interval (every thread)
//   producer   clock_gettime(CLOCK_THREAD_CPUTIME_ID) in the producer (this program's main thread)
//   sink       the sink's threads, each reading CLOCK_THREAD_CPUTIME_ID after every request
//   flusher    process - producer - sink (everything else: the flusher, plus any other thread)
// For the baseline the same split gives "sender" = the main thread (compress + POST) and a residual
// (process - main - sink) that should be ~0: it checks the method.
//
//   http_throughput [--points N] [--runs R] [--levels 1,3,6,9] [--mixed] [--client-only]
//     N defaults to 3 million, R to 3 (medians printed); --mixed sends the mixed data set (see Dataset);
//     --client-only skips the baseline (for profiling)
#include <curl/curl.h>
#include <sys/resource.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http_sink.h"
#include "wavefront/format.h"
#include "wavefront/http_client.h"

namespace wavefront_bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kBatchLines = 10'000;  // the library's default batch_items
constexpr std::int64_t kFirstTimestamp = 1700000000;
constexpr std::uint64_t kPointsPerSecond = 1000;  // the timestamp advances every this many points
constexpr std::chrono::seconds kDrainTimeout(600);

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "http_throughput: %s\n", message.c_str());
  std::exit(1);
}

// The lines sent. `one_series` is the brief's: name, source and tags fixed, the value varying.
// `mixed` varies everything a real batch varies (16 metric names, 500 hosts, 2 x 4 x 8 tag values,
// values with up to 7 significant digits), so gzip has more to do; it is used to check that the
// choice of gzip level does not hinge on one very repetitive series.
enum class Dataset { one_series, mixed };

std::uint64_t splitmix64(std::uint64_t state) {
  std::uint64_t mixed = state + 0x9e3779b97f4a7c15ULL;
  mixed = (mixed ^ (mixed >> 30)) * 0xbf58476d1ce4e5b9ULL;
  mixed = (mixed ^ (mixed >> 27)) * 0x94d049bb133111ebULL;
  return mixed ^ (mixed >> 31);
}

constexpr std::string_view kMetricNames[] = {
    "cpu.usage.user",      "cpu.usage.system",   "cpu.usage.iowait",    "mem.used.bytes",
    "mem.free.bytes",      "disk.io.read.bytes", "disk.io.write.bytes", "disk.used.percent",
    "net.rx.bytes",        "net.tx.bytes",       "net.tcp.retransmits", "http.requests.count",
    "http.latency.p99.ms", "jvm.gc.pause.ms",    "db.pool.active",      "queue.depth"};
constexpr std::string_view kEnvs[] = {"prod", "staging"};
constexpr std::string_view kRegions[] = {"us-west-2", "us-east-1", "eu-central-1", "ap-south-1"};
constexpr std::string_view kServices[] = {"checkout", "cart",     "search", "payments",
                                          "catalog",  "shipping", "auth",   "frontend"};
constexpr std::size_t kHosts = 500;

const std::vector<std::string>& host_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> built;
    for (std::size_t host = 0; host < kHosts; ++host) {
      char name[32];
      std::snprintf(name, sizeof name, "host-%03zu.example.com", host);
      built.emplace_back(name);
    }
    return built;
  }();
  return names;
}

struct Point {
  std::string_view name = "cpu.usage.user";
  double value = 0;
  std::int64_t timestamp = 0;
  std::string_view source = "host-01.example.com";
  std::string_view env = "prod";
  std::string_view region = "us-west-2";
  std::string_view service = "checkout";
};

Point point_of(std::uint64_t index, Dataset data) {
  Point point;
  const std::uint64_t random = splitmix64(index);
  point.timestamp = kFirstTimestamp + static_cast<std::int64_t>(index / kPointsPerSecond);
  if (data == Dataset::one_series) {
    point.value = static_cast<double>(random % 10'000) / 100.0;  // a CPU gauge: 0 to 99.99
    return point;
  }
  const std::uint64_t choice = splitmix64(random);
  point.name = kMetricNames[choice % 16];
  point.source = host_names()[(choice >> 8) % kHosts];
  point.env = kEnvs[(choice >> 20) % 2];
  point.region = kRegions[(choice >> 24) % 4];
  point.service = kServices[(choice >> 28) % 8];
  point.value = static_cast<double>(random % 10'000'000) / 1000.0;  // 0 to 9999.999
  return point;
}

wavefront::Status format_point(std::string& out, std::uint64_t index, Dataset data) {
  const Point point = point_of(index, data);
  return wavefront::format_metric(out, point.name, point.value, point.timestamp, point.source,
                                  {{"env", point.env}, {"region", point.region}, {"service", point.service}});
}

wavefront::Status send_point(wavefront::Sender& sender, std::uint64_t index, Dataset data) {
  const Point point = point_of(index, data);
  return sender.send_metric(point.name, point.value, point.timestamp, point.source,
                            {{"env", point.env}, {"region", point.region}, {"service", point.service}});
}

// The first three fields of /proc/loadavg, printed before and after the rows: a run measured while
// other jobs kept the cores busy shows it there.
std::string load_average() {
  std::FILE* file = std::fopen("/proc/loadavg", "r");
  if (file == nullptr) return "unknown";
  char text[64] = {};
  const bool read = std::fgets(text, sizeof text, file) != nullptr;
  std::fclose(file);
  if (!read) return "unknown";
  std::string fields(text);
  std::size_t end = 0;
  for (int field = 0; field < 3 && end != std::string::npos; ++field) end = fields.find(' ', end + 1);
  return fields.substr(0, end);
}

double process_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double thread_cpu_seconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// Everything a row measures, read at its start and at its end.
struct Snapshot {
  Clock::time_point wall;
  double process_cpu = 0;
  double thread_cpu = 0;  // the calling (producer) thread
  double sink_cpu = 0;
  std::uint64_t lines = 0;
  std::uint64_t body_bytes = 0;
  std::uint64_t inflated_bytes = 0;
  std::uint64_t requests = 0;
};

Snapshot take_snapshot(const HttpSink& sink) {
  Snapshot snapshot;
  snapshot.wall = Clock::now();
  snapshot.lines = sink.lines();  // before the CPU times: the sink's CPU for these lines is included
  snapshot.sink_cpu = sink.cpu_seconds();
  snapshot.thread_cpu = thread_cpu_seconds();
  snapshot.process_cpu = process_cpu_seconds();
  snapshot.body_bytes = sink.body_bytes();
  snapshot.inflated_bytes = sink.inflated_bytes();
  snapshot.requests = sink.accepted_requests();
  return snapshot;
}

// One timed pass.
struct Sample {
  double seconds = 0;           // first line until the sink counted the last one
  double producer_seconds = 0;  // first line until the producer's last call returned
  double process_cpu = 0;
  double thread_cpu = 0;
  double sink_cpu = 0;
  std::uint64_t body_bytes = 0;
  std::uint64_t inflated_bytes = 0;
  std::uint64_t requests = 0;
};

Sample difference(const Snapshot& begin, const Snapshot& end) {
  Sample sample;
  sample.seconds = std::chrono::duration<double>(end.wall - begin.wall).count();
  sample.process_cpu = end.process_cpu - begin.process_cpu;
  sample.thread_cpu = end.thread_cpu - begin.thread_cpu;
  sample.sink_cpu = end.sink_cpu - begin.sink_cpu;
  sample.body_bytes = end.body_bytes - begin.body_bytes;
  sample.inflated_bytes = end.inflated_bytes - begin.inflated_bytes;
  sample.requests = end.requests - begin.requests;
  return sample;
}

// The N lines, formatted once and cut into batches of kBatchLines.
struct Preformatted {
  std::vector<std::string> batches;
  std::uint64_t bytes = 0;
};

// With `keep` false only the byte count is kept (--client-only needs no batches).
Preformatted preformat(std::uint64_t points, Dataset data, bool keep) {
  Preformatted result;
  std::string scratch;
  for (std::uint64_t point = 0; point < points; ++point) {
    if (keep && point % kBatchLines == 0) result.batches.emplace_back();
    std::string& out = keep ? result.batches.back() : scratch;
    const std::size_t before = out.size();
    if (!format_point(out, point, data).ok()) fail("format_metric refused the benchmark input");
    result.bytes += out.size() - before;
    if (!keep) scratch.clear();
  }
  return result;
}

// One gzip member per call, with the library's parameters (gzip wrapper, 32 KiB window, memLevel 8,
// default strategy); the z_stream is kept and reset between batches.
class Gzipper {
 public:
  explicit Gzipper(int level) {
    if (deflateInit2(&stream_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      fail("deflateInit2");
  }
  ~Gzipper() { deflateEnd(&stream_); }
  Gzipper(const Gzipper&) = delete;
  Gzipper& operator=(const Gzipper&) = delete;

  void compress(std::string_view data, std::string& out) {
    if (deflateReset(&stream_) != Z_OK) fail("deflateReset");
    out.resize(deflateBound(&stream_, static_cast<uLong>(data.size())));
    stream_.next_in = const_cast<Bytef*>(reinterpret_cast<const Bytef*>(data.data()));  // read only
    stream_.avail_in = static_cast<uInt>(data.size());
    stream_.next_out = reinterpret_cast<Bytef*>(out.data());
    stream_.avail_out = static_cast<uInt>(out.size());
    if (deflate(&stream_, Z_FINISH) != Z_STREAM_END) fail("deflate did not finish in one call");
    out.resize(out.size() - stream_.avail_out);
  }

 private:
  z_stream stream_{};
};

std::size_t discard_body(char*, std::size_t size, std::size_t count, void*) { return size * count; }

// One libcurl easy handle, set up once and reused for every POST (its connection is kept alive).
class CurlPoster {
 public:
  explicit CurlPoster(const std::string& url) : curl_(curl_easy_init()) {
    if (curl_ == nullptr) fail("curl_easy_init");
    headers_ = curl_slist_append(headers_, "Content-Type: application/octet-stream");
    headers_ = curl_slist_append(headers_, "Content-Encoding: gzip");
    headers_ = curl_slist_append(headers_, "Expect:");  // no 100-continue round trip, as the library
    const std::string report_url = url + "/report?f=wavefront";
    curl_easy_setopt(curl_, CURLOPT_URL, report_url.c_str());  // libcurl copies the string
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &discard_body);
  }
  ~CurlPoster() {
    curl_easy_cleanup(curl_);
    curl_slist_free_all(headers_);
  }
  CurlPoster(const CurlPoster&) = delete;
  CurlPoster& operator=(const CurlPoster&) = delete;

  // The status code of the answer; fails the program when no answer came.
  long post(std::string_view body) {
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    const CURLcode result = curl_easy_perform(curl_);
    if (result != CURLE_OK) fail(std::string("curl_easy_perform: ") + curl_easy_strerror(result));
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    return status;
  }

 private:
  CURL* curl_;
  curl_slist* headers_ = nullptr;
};

// The sink must have inflated exactly the bytes formatted: the same lines, none twice.
void check_bytes(const char* row, const Sample& sample, std::uint64_t bytes) {
  if (sample.inflated_bytes != bytes) {
    fail(std::string(row) + ": the sink inflated " + std::to_string(sample.inflated_bytes) +
         " bytes, expected " + std::to_string(bytes));
  }
}

Sample time_baseline(const Preformatted& lines, std::uint64_t points, int level, HttpSink& sink) {
  Gzipper gzipper(level);
  CurlPoster poster(sink.url());
  std::string compressed;
  const Snapshot begin = take_snapshot(sink);
  for (const std::string& batch : lines.batches) {
    gzipper.compress(batch, compressed);
    const long status = poster.post(compressed);
    if (status != 202) fail("baseline: the sink answered " + std::to_string(status));
  }
  const Clock::time_point producer_done = Clock::now();
  if (!sink.wait_for_lines(begin.lines + points, kDrainTimeout)) fail("baseline: lines went missing");
  const Snapshot end = take_snapshot(sink);
  Sample sample = difference(begin, end);
  sample.producer_seconds = std::chrono::duration<double>(producer_done - begin.wall).count();
  check_bytes("baseline", sample, lines.bytes);
  return sample;
}

Sample time_http_client(std::uint64_t points, std::uint64_t bytes, Dataset data, int level, HttpSink& sink) {
  wavefront::HttpClientConfig config;
  config.server = sink.url();
  config.max_queue_items = 10'000'000;
  config.max_queue_bytes = std::size_t{2} << 30;
  config.gzip_level = level;
  config.self_metrics_interval = std::chrono::milliseconds(0);  // only our lines on the wire
  auto created = wavefront::HttpClient::create(config);
  if (!created) fail("HttpClient::create: " + created.status().message());
  std::unique_ptr<wavefront::Sender> client = created.release();

  std::uint64_t refused = 0;
  const Snapshot begin = take_snapshot(sink);
  for (std::uint64_t point = 0; point < points; ++point) {
    if (!send_point(*client, point, data).ok()) ++refused;
  }
  const Clock::time_point producer_done = Clock::now();
  const wavefront::FlushResult flushed = client->flush(kDrainTimeout);
  const bool all_arrived = sink.wait_for_lines(begin.lines + points, kDrainTimeout);
  const Snapshot end = take_snapshot(sink);
  Sample sample = difference(begin, end);
  sample.producer_seconds = std::chrono::duration<double>(producer_done - begin.wall).count();

  const wavefront::TypeStats stats = client->stats()[wavefront::DataType::metric];
  if (refused != 0 || !flushed.ok() || !all_arrived || stats.dropped != 0 || stats.delivered != points) {
    fail("HttpClient: " + std::to_string(refused) + " sends refused, " + std::to_string(stats.dropped) +
         " dropped, " + std::to_string(stats.delivered) + " delivered, sink counted " +
         std::to_string(end.lines - begin.lines) + " of " + std::to_string(points) + " lines");
  }
  check_bytes("HttpClient", sample, bytes);
  client->close(kDrainTimeout);
  return sample;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

template <typename Field>
double median_of(const std::vector<Sample>& samples, Field field) {
  std::vector<double> values;
  for (const Sample& sample : samples) values.push_back(field(sample));
  return median(values);
}

struct LevelResult {
  int level = 0;
  std::vector<Sample> baseline;
  std::vector<Sample> client;
};

void print_sample(int level, int run, const char* row, const Sample& sample, std::uint64_t points,
                  bool producer_is_sender) {
  const double per_point = 1e9 / static_cast<double>(points);
  const double other = sample.process_cpu - sample.thread_cpu - sample.sink_cpu;
  std::printf(
      "level %d run %d  %-16s %7.3f s %6.2f M points/s (producer done %.3f s)  %5.1f gzip B/pt %4llu "
      "requests  CPU ns/pt: %s %4.0f, %s %4.0f, sink %4.0f\n",
      level, run, row, sample.seconds, static_cast<double>(points) / sample.seconds / 1e6,
      sample.producer_seconds, static_cast<double>(sample.body_bytes) / static_cast<double>(points),
      static_cast<unsigned long long>(sample.requests), producer_is_sender ? "sender" : "producer",
      sample.thread_cpu * per_point, producer_is_sender ? "residual" : "flusher", other * per_point,
      sample.sink_cpu * per_point);
  std::fflush(stdout);
}

std::vector<int> parse_levels(const std::string& text) {
  std::vector<int> levels;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    char* end = nullptr;
    const long level = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || level < 1 || level > 9)
      fail("--levels takes levels 1..9, e.g. 1,3,6,9");
    levels.push_back(static_cast<int>(level));
    start = comma + 1;
  }
  return levels;
}

std::uint64_t parse_count(const char* text, const char* flag) {
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || value == 0) fail(std::string(flag) + " needs a positive integer");
  return value;
}

int run(std::uint64_t points, int runs, const std::vector<int>& levels, Dataset data, bool client_only) {
  std::string sample_line;
  format_point(sample_line, 0, data);
  const Preformatted lines = preformat(points, data, !client_only);
  std::printf(
      "http_throughput: %llu metric lines with 3 tags, %s (%.1f bytes each on average, e.g. %s), one "
      "producer thread, batches of %zu lines, %d runs per row\n",
      static_cast<unsigned long long>(points), data == Dataset::one_series ? "one series" : "mixed series",
      static_cast<double>(lines.bytes) / static_cast<double>(points),
      sample_line.substr(0, sample_line.size() - 1).c_str(), kBatchLines, runs);

  std::printf("load average at the start: %s\n", load_average().c_str());
  HttpSink sink;
  std::vector<LevelResult> results;
  for (const int level : levels) {
    LevelResult result;
    result.level = level;
    for (int index = 1; index <= runs; ++index) {
      // Alternate which row goes first, so neither always runs on a machine the other has warmed.
      const bool baseline_first = index % 2 == 1;
      for (int turn = 0; turn < 2; ++turn) {
        if ((turn == 0) == baseline_first) {
          if (client_only) continue;
          result.baseline.push_back(time_baseline(lines, points, level, sink));
          print_sample(level, index, "libcurl baseline", result.baseline.back(), points, true);
        } else {
          result.client.push_back(time_http_client(points, lines.bytes, data, level, sink));
          print_sample(level, index, "HttpClient", result.client.back(), points, false);
        }
      }
    }
    results.push_back(std::move(result));
  }

  const double count = static_cast<double>(points);
  const auto rate = [&](const Sample& sample) { return count / sample.seconds / 1e6; };
  const auto per_point = [&](double seconds) { return seconds * 1e9 / count; };
  std::printf("load average at the end: %s\n", load_average().c_str());
  std::printf("\nmedians of %d runs; M points/s end to end (first line until the sink counted the last)\n",
              runs);
  std::printf("%5s %12s %12s %10s %12s %12s %12s\n", "level", "baseline", "HttpClient", "ratio", "gzip B/pt",
              "raw B/pt", "compression");
  for (const LevelResult& result : results) {
    const double baseline = median_of(result.baseline, rate);
    const double ours = median_of(result.client, rate);
    const double gzip_bytes =
        median_of(result.client, [](const Sample& sample) { return static_cast<double>(sample.body_bytes); });
    std::printf("%5d %12.2f %12.2f %10.2f %12.2f %12.1f %11.1fx\n", result.level, baseline, ours,
                baseline > 0 ? ours / baseline : 0.0, gzip_bytes / count,
                static_cast<double>(lines.bytes) / count, static_cast<double>(lines.bytes) / gzip_bytes);
  }
  std::printf("\nmedian CPU ns per point (method: see the top of bench/http_throughput.cc)\n");
  std::printf("%5s %16s %16s %16s %16s %16s %16s\n", "level", "base: sender", "base: residual", "base: sink",
              "ours: producer", "ours: flusher", "ours: sink");
  for (const LevelResult& result : results) {
    const auto thread = [&](const Sample& sample) { return per_point(sample.thread_cpu); };
    const auto other = [&](const Sample& sample) {
      return per_point(sample.process_cpu - sample.thread_cpu - sample.sink_cpu);
    };
    const auto sink_share = [&](const Sample& sample) { return per_point(sample.sink_cpu); };
    std::printf("%5d %16.0f %16.0f %16.0f %16.0f %16.0f %16.0f\n", result.level,
                median_of(result.baseline, thread), median_of(result.baseline, other),
                median_of(result.baseline, sink_share), median_of(result.client, thread),
                median_of(result.client, other), median_of(result.client, sink_share));
  }
  for (const LevelResult& result : results) {
    if (result.level != 1 || client_only) continue;
    const double baseline = median_of(result.baseline, rate);
    const double ours = median_of(result.client, rate);
    std::printf(
        "\ntargets at level 1 (the default): HttpClient >= 1.5 M points/s: %.2f (%s); "
        ">= 0.7 of the baseline: %.2f (%s)\n",
        ours, ours >= 1.5 ? "met" : "MISSED", ours / baseline, ours / baseline >= 0.7 ? "met" : "MISSED");
  }
  return 0;
}

}  // namespace
}  // namespace wavefront_bench

int main(int argc, char** argv) {
  using wavefront_bench::parse_count;
  std::uint64_t points = 3'000'000;
  std::uint64_t runs = 3;
  std::vector<int> levels = {1, 3, 6, 9};
  bool client_only = false;
  wavefront_bench::Dataset data = wavefront_bench::Dataset::one_series;
  for (int index = 1; index < argc; ++index) {
    const std::string flag = argv[index];
    if (flag == "--client-only") {
      client_only = true;
    } else if (flag == "--mixed") {
      data = wavefront_bench::Dataset::mixed;
    } else if ((flag == "--points" || flag == "--runs") && index + 1 < argc) {
      (flag == "--points" ? points : runs) = parse_count(argv[++index], flag.c_str());
    } else if (flag == "--levels" && index + 1 < argc) {
      levels = wavefront_bench::parse_levels(argv[++index]);
    } else {
      std::fprintf(stderr, "usage: %s [--points N] [--runs R] [--levels 1,3,6,9] [--mixed] [--client-only]\n",
                   argv[0]);
      return 2;
    }
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);  // before any thread starts
  const int status = wavefront_bench::run(points, static_cast<int>(runs), levels, data, client_only);
  curl_global_cleanup();
  return status;
}
