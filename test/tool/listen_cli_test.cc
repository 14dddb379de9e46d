// The built `wfsend listen` binary end to end: port file, --out, TCP and HTTP (plain, gzip, token),
// reports on stderr, SIGINT/SIGTERM and the summary (text or --json), usage errors, and memory that
// stays small under a gzip bomb and an endless line (VmHWM of the process).
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tool/listen_test_util.h"

namespace wfreceiver {
namespace {

// Under ASan or TSan freed memory sits in quarantine and every byte has shadow memory, so a bound on
// resident memory holds only in a normal build; sanitized builds check the rest of the behaviour.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define WFSEND_LISTEN_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define WFSEND_LISTEN_TEST_SANITIZED 1
#endif
#endif
#ifdef WFSEND_LISTEN_TEST_SANITIZED
constexpr bool kMemoryIsMeasurable = false;
#else
constexpr bool kMemoryIsMeasurable = true;
#endif

using namespace std::chrono_literals;
using testing::TestClient;
using wavefront::testing::ProcessResult;
using wavefront::testing::Subprocess;
using wavefront::testing::TempDir;

class ListenProcess {
 public:
  explicit ListenProcess(std::vector<std::string> extra, bool with_out = true) {
    std::vector<std::string> arguments = {WFSEND_PATH, "listen", "--port", "0", "--port-file", port_file()};
    if (with_out) {
      arguments.push_back("--out");
      arguments.push_back(out_file());
    }
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    process_ = std::make_unique<Subprocess>(arguments);
    const auto text = wavefront::testing::wait_for_file(port_file(), 20s);
    EXPECT_TRUE(text) << process_->stderr_so_far();
    if (text) port_ = static_cast<std::uint16_t>(std::stoi(*text));
  }
  std::string port_file() const { return directory_.file("port"); }
  std::string out_file() const { return directory_.file("out.txt"); }
  std::string file(const std::string& name) const { return directory_.file(name); }
  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string output() const { return testing::read_file(out_file()); }
  Subprocess& process() { return *process_; }
  ProcessResult stop(int signal_number = SIGINT) {
    process_->signal(signal_number);
    return process_->wait(20s);
  }
  // The peak resident memory of the process, in KiB (VmHWM).
  long peak_rss_kib() const {
    std::ifstream status("/proc/" + std::to_string(process_->pid()) + "/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
  }

 private:
  TempDir directory_;
  std::unique_ptr<Subprocess> process_;
  std::uint16_t port_ = 0;
};

TEST(ListenCli, TcpAndHttpEndToEndWithJsonSummary) {
  TempDir secrets;
  const std::string token_file = secrets.file("token");
  std::ofstream(token_file) << "tok-123\n";
  ListenProcess listen({"--json", "--token-file", token_file});
  ASSERT_NE(listen.port(), 0);
  {
    TestClient client(listen.port());
    ASSERT_TRUE(client.send("cpu 1 host=a\nbad value\n@Event 1700000000000 1700000060000 deploy host=ci\n"));
  }
  ASSERT_TRUE(wavefront::testing::eventually([&] { return testing::count_of(listen.output(), "\n") == 2; }));
  EXPECT_EQ(testing::curl_post(listen.url() + "/report?f=wavefront", "x 1 source=s").status, 401);
  const std::vector<std::string> auth = {"Authorization: Bearer tok-123"};
  EXPECT_EQ(testing::curl_post(listen.url() + "/report?f=wavefront", "x 1 source=s\ny", auth).status, 202);
  std::vector<std::string> gzip_headers = auth;
  gzip_headers.push_back("Content-Encoding: gzip");
  EXPECT_EQ(testing::curl_post(listen.url() + "/report?f=histogram",
                               testing::gzip("!M 1700000040 #1 2 h source=s\n"), gzip_headers)
                .status,
            202);
  const ProcessResult result = listen.stop();
  ASSERT_TRUE(result.exited) << result.stderr_text;
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(listen.output(),
            "\"cpu\" 1 source=\"a\"\n"
            "@Event 1700000000000 1700000060000 \"deploy\" host=\"ci\"\n"
            "\"x\" 1 source=\"s\"\n"
            "!M 1700000040 #1 2 \"h\" source=\"s\"\n");
  // The summary is the only thing on stdout.
  const nlohmann::json summary = nlohmann::json::parse(result.stdout_text);
  EXPECT_EQ(summary["accepted"]["metric"], 2);
  EXPECT_EQ(summary["accepted"]["event"], 1);
  EXPECT_EQ(summary["accepted"]["distribution"], 1);
  EXPECT_EQ(summary["rejected"]["metric"], 2);
  EXPECT_EQ(summary["lines_accepted"], 4);
  EXPECT_EQ(summary["connections"]["accepted"], 4);
  EXPECT_EQ(summary["http"]["requests"], 3);
  EXPECT_EQ(summary["http"]["responses"]["401"], 1);
  EXPECT_EQ(summary["http"]["responses"]["202"], 2);
  EXPECT_NE(result.stderr_text.find(": line 2: column 5: invalid_number: "), std::string::npos)
      << result.stderr_text;
  EXPECT_NE(result.stderr_text.find(" request 1: line 2: column "), std::string::npos) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("answered 401 Unauthorized"), std::string::npos);
  EXPECT_EQ(result.stderr_text.find("tok-123"), std::string::npos);
}

TEST(ListenCli, TextSummaryOnStderrAndLinesOnStdout) {
  ListenProcess listen({}, false);
  {
    TestClient client(listen.port());
    ASSERT_TRUE(client.send("a 1 source=s\n"));
  }
  ASSERT_TRUE(wavefront::testing::eventually([&] { return !listen.process().stdout_so_far().empty(); }));
  const ProcessResult result = listen.stop(SIGTERM);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.stdout_text, "\"a\" 1 source=\"s\"\n");
  EXPECT_NE(result.stderr_text.find("listen: summary"), std::string::npos);
  EXPECT_NE(result.stderr_text.find("metric                   1            0"), std::string::npos)
      << result.stderr_text;
}

TEST(ListenCli, JsonGoesToStderrWhenLinesUseStdout) {
  ListenProcess listen({"--json"}, false);
  const ProcessResult result = listen.stop();
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.stdout_text, "");
  EXPECT_NE(result.stderr_text.find("{\"accepted\":{\"metric\":0"), std::string::npos) << result.stderr_text;
}

TEST(ListenCli, PortFileListsEveryPort) {
  ListenProcess listen({"--distribution-port", "0", "--tracing-port", "0", "--quiet"}, false);
  const std::string text = testing::read_file(listen.port_file());
  const std::vector<std::string> lines = testing::split_lines(text);
  ASSERT_EQ(lines.size(), 3u) << text;
  EXPECT_EQ(lines[0], std::to_string(listen.port()));
  EXPECT_EQ(lines[1].rfind("distribution=", 0), 0u);
  EXPECT_EQ(lines[2].rfind("tracing=", 0), 0u);
  EXPECT_EQ(listen.stop().exit_code, 0);
}

TEST(ListenCli, UsageErrors) {
  ListenProcess busy({"--quiet"}, false);
  ProcessResult result = wavefront::testing::run_process(
      {WFSEND_PATH, "listen", "--port", std::to_string(busy.port()), "--quiet"}, {}, 20s);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.stderr_text.find("cannot listen on 127.0.0.1:" + std::to_string(busy.port())),
            std::string::npos)
      << result.stderr_text;
  result = wavefront::testing::run_process({WFSEND_PATH, "listen", "--port", "70000"}, {}, 20s);
  EXPECT_EQ(result.exit_code, 2);
  result =
      wavefront::testing::run_process({WFSEND_PATH, "listen", "--token-file", "/nonexistent/token"}, {}, 20s);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.stderr_text.find("cannot read --token-file"), std::string::npos);
}

TEST(ListenCli, HelpStatesWhatTheTokenGuards) {
  const ProcessResult result = wavefront::testing::run_process({WFSEND_PATH, "listen", "--help"}, {}, 20s);
  EXPECT_EQ(result.exit_code, 0);
  // CLI11 wraps long descriptions; compare with the line breaks and their indentation removed.
  std::string help;
  for (const std::string& line : testing::split_lines(result.stdout_text)) {
    const std::size_t start = line.find_first_not_of(' ');
    if (start != std::string::npos) help += " " + line.substr(start);
  }
  EXPECT_NE(help.find("GET /stats included"), std::string::npos) << help;
  EXPECT_NE(help.find("GET /health stays open"), std::string::npos) << help;
  EXPECT_NE(help.find("more than one Authorization header is refused (400)"), std::string::npos) << help;
}

TEST(ListenCli, OutputThatCannotBeWrittenExitsWith3) {
  ListenProcess listen({"--out", "/dev/full"}, false);
  {
    TestClient client(listen.port());
    ASSERT_TRUE(client.send("a 1 source=s\n"));
  }
  ASSERT_TRUE(wavefront::testing::eventually([&] {
    return listen.process().stderr_so_far().find("cannot write accepted lines") != std::string::npos;
  }));
  const ProcessResult result = listen.stop();
  EXPECT_EQ(result.exit_code, 3) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("metric                   1            0"), std::string::npos);
}

TEST(ListenCli, MemoryStaysSmallUnderAGzipBombAndAnEndlessLine) {
  ListenProcess listen({"--quiet"}, false);
  // 1 GiB of zeros, about 1 MiB compressed.
  const std::string bomb = testing::gzip_zeros(std::size_t{1} << 30);
  const auto answer =
      testing::curl_post(listen.url() + "/report?f=wavefront", bomb, {"Content-Encoding: gzip"});
  EXPECT_EQ(answer.status, 413) << answer.error;
  // The same bomb as a raw gzip TCP stream: one endless line, skipped unread.
  {
    TestClient client(listen.port());
    ASSERT_TRUE(client.send(bomb));
    client.shutdown_write();
    EXPECT_TRUE(client.wait_closed(60s));
  }
  // 64 MiB of one line over plain TCP, then a good line.
  {
    TestClient client(listen.port());
    const std::string chunk(1 << 20, 'z');
    for (int index = 0; index < 64; ++index) ASSERT_TRUE(client.send(chunk));
    ASSERT_TRUE(client.send("\ngood 1 source=s\n"));
    client.shutdown_write();
    EXPECT_TRUE(client.wait_closed(60s));
  }
  const long peak_kib = listen.peak_rss_kib();
  const ProcessResult result = listen.stop();
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_GT(peak_kib, 0);
  EXPECT_LT(peak_kib, 64 * 1024) << "peak RSS " << peak_kib << " KiB";
  EXPECT_NE(result.stderr_text.find("answered 413 Payload Too Large"), std::string::npos)
      << result.stderr_text;
  // The HTTP bomb's endless line is reported too, but its request leaves no count (413).
  EXPECT_EQ(testing::count_of(result.stderr_text, "line_too_long"), 3u) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("metric                   1            2"), std::string::npos)
      << result.stderr_text;
}

// The counters of a running receiver, read over HTTP on one keep-alive connection.
class StatsReader {
 public:
  explicit StatsReader(std::uint16_t port) : client_(port) {}
  nlohmann::json read() {
    if (!client_.send("GET /stats HTTP/1.1\r\n\r\n")) return nlohmann::json();
    const auto answer = client_.read_answer();
    if (!answer || answer->status != 200) return nlohmann::json();
    return nlohmann::json::parse(answer->body, nullptr, false);
  }

 private:
  TestClient client_;
};

TEST(ListenCli, RequestsHeldOpenStayWithinMaxBufferedBytes) {
  constexpr long kBoundKib = 16 * 1024;
  // The process itself (code, libraries, shared buffers) and what each connection may hold uncounted.
  constexpr long kSlackKib = 32 * 1024;
  constexpr int kHolders = 200;
  ListenProcess listen({"--quiet", "--max-buffered-bytes", std::to_string(kBoundKib * 1024)}, false);
  const long baseline_kib = listen.peak_rss_kib();
  // Each holder sends about 1 KiB of gzip that decodes to one unfinished line of almost 1 MB, inside a
  // body that announces more: the receiver must hold the line and an inflater until the body ends.
  const std::string compressed = testing::gzip(std::string(1000000, 'x'));
  const std::string request =
      "POST /report?f=wavefront HTTP/1.1\r\nContent-Encoding: gzip\r\nContent-Length: 10000000\r\n\r\n" +
      compressed;
  std::vector<std::unique_ptr<TestClient>> holders;
  for (int index = 0; index < kHolders; ++index) {
    holders.push_back(std::make_unique<TestClient>(listen.port()));
    ASSERT_TRUE(holders.back()->send(request));
  }
  StatsReader stats(listen.port());
  std::uint64_t refused = 0;
  ASSERT_TRUE(wavefront::testing::eventually(
      [&] {
        const nlohmann::json counters = stats.read();
        if (!counters.is_object()) return false;
        refused = counters["http"]["responses"].value("503", std::uint64_t{0});
        return counters["http"]["requests"].get<std::uint64_t>() >= kHolders &&
               counters["bytes_received"].get<std::uint64_t>() >= kHolders * request.size();
      },
      30s));
  const long peak_kib = listen.peak_rss_kib();
  // A normal client is served while the holders stay.
  const auto answer = testing::curl_post(listen.url() + "/report?f=wavefront", "ok 1 source=s\n");
  EXPECT_EQ(answer.status, 202) << answer.error << answer.body;
  holders.clear();
  const ProcessResult result = listen.stop();
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_GT(baseline_kib, 0);
  if (kMemoryIsMeasurable) {
    EXPECT_LT(peak_kib, kBoundKib + kSlackKib)
        << "peak RSS " << peak_kib << " KiB (at start " << baseline_kib << " KiB), " << refused << " refused";
  }
  // About 16 of the 200 fit; the others were refused.
  EXPECT_GE(refused, std::uint64_t{kHolders} / 2) << result.stderr_text.substr(0, 4000);
  EXPECT_NE(result.stderr_text.find("answered 503 Service Unavailable: more than 16777216 bytes held for "
                                    "unfinished requests (--max-buffered-bytes); retry later"),
            std::string::npos)
      << result.stderr_text.substr(0, 4000);
  std::cerr << "peak RSS " << peak_kib << " KiB (at start " << baseline_kib << " KiB), " << refused << " of "
            << kHolders << " refused\n";
}

}  // namespace
}  // namespace wfreceiver
