// The interop corpus (test/interop/) end to end through `wfsend listen`, over raw TCP (each kind on the
// port the proxy takes it on: push, histogram, tracing) and over HTTP (POST /report?f=<format>): every
// line the proxy accepts is accepted and written in the canonical form LineReader gives it; every line
// the proxy refuses is refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "support/interop_corpus.h"
#include "tool/listen_test_util.h"

namespace wfreceiver {
namespace {

using namespace std::chrono_literals;
using testing::RunningReceiver;
using wavefront::LineKind;
using wavefront::testing::InteropLine;

std::vector<InteropLine> corpus_file(const std::string& file) {
  std::vector<InteropLine> rows;
  for (InteropLine& row : wavefront::testing::load_interop_corpus(WAVEFRONT_INTEROP_DIR)) {
    if (row.file == file) rows.push_back(std::move(row));
  }
  return rows;
}

// What the receiver must write for the accepted rows: LineReader's canonical lines, the peer as the
// default source, sorted (connections and requests interleave).
std::vector<std::string> expected_output(const std::vector<InteropLine>& rows) {
  wavefront::LineReaderOptions options;
  options.format.default_source = "127.0.0.1";
  wavefront::LineReader reader(options);
  std::vector<std::string> lines;
  for (const InteropLine& row : rows) {
    if (!row.accept) continue;
    EXPECT_TRUE(reader.read(row.line, wavefront::testing::interop_line_kind(row.kind)).ok()) << row.line;
    lines.emplace_back(reader.canonical().substr(0, reader.canonical().size() - 1));
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

void expect_received(RunningReceiver& receiver, const std::vector<InteropLine>& rows) {
  std::map<LineKind, std::uint64_t> accepted, rejected;
  for (const InteropLine& row : rows) {
    ++(row.accept ? accepted : rejected)[wavefront::testing::interop_line_kind(row.kind)];
  }
  ASSERT_TRUE(wavefront::testing::eventually([&] {
    const ReceiverStats stats = receiver.stats();
    return stats.lines.total_accepted() + stats.lines.total_rejected() >= rows.size();
  })) << receiver.reports();
  for (std::size_t index = 0; index < wavefront::kLineKindCount; ++index) {
    const auto kind = static_cast<LineKind>(index);
    EXPECT_EQ(receiver.accepted(kind), accepted[kind]) << wavefront::line_kind_name(kind) << "\n"
                                                       << receiver.reports();
    EXPECT_EQ(receiver.rejected(kind), rejected[kind]) << wavefront::line_kind_name(kind);
  }
  const std::vector<std::string> expected = expected_output(rows);
  ASSERT_TRUE(receiver.wait_for_output_lines(expected.size()));
  std::vector<std::string> lines = testing::split_lines(receiver.output());
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, expected);
}

class ListenInterop : public ::testing::TestWithParam<std::string> {};

// The port the proxy takes a kind on: histogram port, tracing port, or the push port.
std::uint16_t port_for(RunningReceiver& receiver, const InteropLine& row) {
  const LineKind kind = wavefront::testing::interop_line_kind(row.kind);
  if (kind == LineKind::distribution) return *receiver->distribution_port();
  if (kind == LineKind::span || kind == LineKind::span_logs) return *receiver->tracing_port();
  return receiver.port();
}

ReceiverOptions every_port() {
  ReceiverOptions options;
  options.distribution_port = 0;
  options.tracing_port = 0;
  return options;
}

TEST_P(ListenInterop, OverTcpOnTheProxysPorts) {
  const std::vector<InteropLine> rows = corpus_file(GetParam());
  ASSERT_FALSE(rows.empty());
  RunningReceiver receiver(every_port());
  std::map<std::uint16_t, std::string> by_port;
  for (const InteropLine& row : rows) by_port[port_for(receiver, row)] += row.line + "\n";
  for (const auto& [port, text] : by_port) {
    testing::TestClient client(port);
    ASSERT_TRUE(client.connected());
    ASSERT_TRUE(client.send(text));
    client.shutdown_write();
    bool closed = false;
    client.read_until_closed(10s, &closed);
  }
  expect_received(receiver, rows);
}

// POST /report?f=<format> to the same ports (the proxy's ports take HTTP too), one request per format.
TEST_P(ListenInterop, OverHttpOnTheProxysPorts) {
  const std::vector<InteropLine> rows = corpus_file(GetParam());
  ASSERT_FALSE(rows.empty());
  RunningReceiver receiver(every_port());
  struct Request {
    std::uint16_t port = 0;
    std::string body;
    int accepted = 0, rejected = 0;
  };
  std::map<std::string, Request> by_format;
  for (const InteropLine& row : rows) {
    Request& request = by_format[wavefront::testing::interop_format(row.kind)];
    request.port = port_for(receiver, row);
    request.body += row.line + "\n";
    ++(row.accept ? request.accepted : request.rejected);
  }
  for (const auto& [format, request] : by_format) {
    const std::string url = "http://127.0.0.1:" + std::to_string(request.port) + "/report?f=" + format;
    const testing::CurlAnswer answer = testing::curl_post(url, request.body);
    EXPECT_EQ(answer.status, 202) << answer.error << answer.body;
    EXPECT_EQ(answer.body, "accepted " + std::to_string(request.accepted) + ", rejected " +
                               std::to_string(request.rejected) + "\n")
        << format << "\n"
        << receiver.reports();
  }
  expect_received(receiver, rows);
}

INSTANTIATE_TEST_SUITE_P(Corpus, ListenInterop,
                         ::testing::Values("python_sdk.tsv", "java_sdk.tsv", "go_sdk.tsv", "csharp_sdk.tsv",
                                           "cpp_sdk.tsv", "java_lib_decoders.tsv"),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return param.param.substr(0, param.param.find('.'));
                         });

}  // namespace
}  // namespace wfreceiver
