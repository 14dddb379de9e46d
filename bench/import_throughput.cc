// Throughput of `wfsend import`'s CSV path (tools/wfsend/import), in rows per second, next to a
// `wc -l`-like baseline reading the same file in the same run. A plain program, not Google Benchmark:
// each row of the table is one long timed pass over a generated file.
//
// The file: N rows of `timestamp,host,region,service,value` (epoch seconds, a new one every row so the
// timestamp cache does not help; 100 hosts, 4 regions, 8 services), imported with the host as source,
// region and service as two tag columns and one value column. Rows:
//   read + count lines   InputFile in 1 MiB chunks, memchr for '\n': the floor any import pays
//   CSV parse only       CsvReader over the same file: records and fields, no mapping
//   CSV -> stdout sender the whole import into the `--to -` sender writing to /dev/null
//   CSV -> ProxyClient   the whole import into a ProxyClient configured as `--to tcp://` configures it
//                        (block policy), to a loopback LineSink; timed until every line arrived
//
//   import_throughput [--rows N] [--runs R] [--gzip]     N defaults to 3 million, R to 3 (medians)
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "input/byte_source.h"
#include "line_sink.h"
#include "wavefront/proxy_client.h"
#include "wfsend/import/csv_import.h"
#include "wfsend/import/csv_reader.h"
#include "wfsend/import/import_context.h"
#include "wfsend/stdout_sender.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace wfsend::import;
using wfsend::input::InputFile;

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "import_throughput: %s\n", message.c_str());
  std::exit(1);
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string write_file(std::uint64_t rows, bool compressed) {
  char path_template[] = "/tmp/import_throughput_XXXXXX";
  const int fd = mkstemp(path_template);
  if (fd < 0) fail("cannot create a temporary file");
  ::close(fd);
  static const char* const kRegions[] = {"us-west-2", "us-east-1", "eu-central-1", "ap-south-1"};
  static const char* const kServices[] = {"checkout", "search", "cart", "auth",
                                          "payments", "ads",    "mail", "ui"};
  std::string text = "timestamp,host,region,service,value\n";
  gzFile gz = compressed ? gzopen(path_template, "wb1") : nullptr;
  std::FILE* plain = compressed ? nullptr : std::fopen(path_template, "wb");
  auto flush = [&] {
    if (gz != nullptr) {
      gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
    } else {
      std::fwrite(text.data(), 1, text.size(), plain);
    }
    text.clear();
  };
  char row[160];
  for (std::uint64_t index = 0; index < rows; ++index) {
    const int length = std::snprintf(row, sizeof(row), "%llu,host-%02llu,%s,%s,%llu.%llu\n",
                                     static_cast<unsigned long long>(1700000000 + index),
                                     static_cast<unsigned long long>(index % 100), kRegions[index % 4],
                                     kServices[index % 8], static_cast<unsigned long long>(index % 1000),
                                     static_cast<unsigned long long>(index % 10));
    text.append(row, static_cast<std::size_t>(length));
    if (text.size() > (1 << 20)) flush();
  }
  flush();
  if (gz != nullptr) gzclose(gz);
  if (plain != nullptr) std::fclose(plain);
  return path_template;
}

std::unique_ptr<InputFile> open_input(const std::string& path) {
  auto input = InputFile::open(path);
  if (!input) fail(input.status().to_string());
  return std::move(*input);
}

CsvImportOptions mapping() {
  CsvImportOptions options;
  options.timestamp_column = "timestamp";
  options.source_column = "host";
  options.tag_columns = {"region", "service"};
  options.value_columns = {"value"};
  options.timestamp_unit = wfsend::TimestampUnit::seconds;
  return options;
}

double time_count_lines(const std::string& path, std::uint64_t rows) {
  auto input = open_input(path);
  std::vector<char> buffer(1 << 20);
  std::uint64_t lines = 0;
  const auto start = Clock::now();
  for (;;) {
    auto count = input->read(buffer.data(), buffer.size());
    if (!count) fail(count.status().to_string());
    if (*count == 0) break;
    const char* cursor = buffer.data();
    const char* end = cursor + *count;
    while ((cursor = static_cast<const char*>(std::memchr(cursor, '\n', end - cursor))) != nullptr) {
      ++lines;
      ++cursor;
    }
  }
  const double seconds = seconds_since(start);
  if (lines != rows + 1) fail("counted " + std::to_string(lines) + " lines");
  return seconds;
}

double time_parse_only(const std::string& path, std::uint64_t rows) {
  auto input = open_input(path);
  CsvReader reader(*input);
  CsvRecord record;
  std::uint64_t records = 0;
  std::uint64_t field_bytes = 0;
  const auto start = Clock::now();
  while (reader.next(record) == CsvReader::Result::record) {
    ++records;
    field_bytes += record[record.size() - 1].size();
  }
  const double seconds = seconds_since(start);
  if (records != rows + 1 || field_bytes == 0) fail("parsed " + std::to_string(records) + " records");
  return seconds;
}

// Imports the file into `sender` exactly as `wfsend import` does (progress off, problems to stderr).
void import_into(const std::string& path, wavefront::Sender& sender, std::uint64_t rows) {
  auto input = open_input(path);
  Progress progress(false, stderr, input.get());
  ProblemLog problems(path, stderr, 10, 0, &progress);
  ImportContext context(sender, problems, progress, ValueMode::point, nullptr);
  CsvReader reader(*input);
  CsvImporter importer(mapping());
  if (!importer.start(reader).ok()) fail("the header did not plan");
  importer.run(context, reader);
  if (context.counts().rows != rows || problems.problems() != 0) fail("the import refused rows");
}

double time_stdout_sender(const std::string& path, std::uint64_t rows) {
  std::FILE* null_output = std::fopen("/dev/null", "w");
  wfsend::StreamSender sender(null_output);
  const auto start = Clock::now();
  import_into(path, sender, rows);
  sender.close(std::chrono::seconds(60));
  const double seconds = seconds_since(start);
  std::fclose(null_output);
  if (sender.stats()[wavefront::DataType::metric].delivered != rows) fail("stdout sender lost lines");
  return seconds;
}

double time_proxy_client(const std::string& path, std::uint64_t rows) {
  wavefront_bench::LineSink sink;
  wavefront::ProxyClientConfig config;  // as destination.cc configures `--to tcp://`
  config.host = "127.0.0.1";
  config.metrics_port = sink.port();
  config.overflow_policy = wavefront::OverflowPolicy::block;
  config.block_timeout = std::chrono::seconds(10);
  config.self_metrics_interval = std::chrono::milliseconds(0);
  auto client = wavefront::ProxyClient::create(config);
  if (!client) fail(client.status().to_string());
  const auto start = Clock::now();
  import_into(path, *client, rows);
  client->flush(std::chrono::seconds(300));
  if (!sink.wait_for_lines(rows, std::chrono::seconds(300))) fail("the sink did not get every line");
  const double seconds = seconds_since(start);
  const wavefront::TypeStats stats = client->stats()[wavefront::DataType::metric];
  if (stats.delivered != rows || stats.dropped != 0) fail("ProxyClient dropped lines");
  client->close(std::chrono::seconds(10));
  return seconds;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t rows = 3'000'000;
  int runs = 3;
  bool compressed = false;
  for (int index = 1; index < argc; ++index) {
    const std::string argument = argv[index];
    if (argument == "--rows" && index + 1 < argc) {
      rows = std::strtoull(argv[++index], nullptr, 10);
    } else if (argument == "--runs" && index + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++index]));
    } else if (argument == "--gzip") {
      compressed = true;
    } else {
      fail("usage: import_throughput [--rows N] [--runs R] [--gzip]");
    }
  }
  const std::string path = write_file(rows, compressed);
  std::printf("%llu rows (two tag columns, one value), %s, median of %d runs\n",
              static_cast<unsigned long long>(rows), compressed ? "gzip" : "plain", runs);
  struct Measure {
    const char* name;
    std::function<double(const std::string&, std::uint64_t)> run;
  };
  const Measure measures[] = {{"read + count lines (wc -l)", time_count_lines},
                              {"CSV parse only", time_parse_only},
                              {"CSV -> stdout sender (/dev/null)", time_stdout_sender},
                              {"CSV -> ProxyClient -> loopback", time_proxy_client}};
  for (const Measure& measure : measures) {
    std::vector<double> seconds;
    for (int run = 0; run < runs; ++run) seconds.push_back(measure.run(path, rows));
    const double middle = median(seconds);
    std::printf("  %-34s %8.3f s  %12.0f rows/s\n", measure.name, middle, static_cast<double>(rows) / middle);
  }
  std::remove(path.c_str());
  return 0;
}
