// Security review points for wfsend, each tested: a token given on the command line does not show in
// the process title; an input far larger than the memory it may use is streamed.
#include <sys/resource.h>
#include <sys/stat.h>
#include <zlib.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "support/subprocess.h"

namespace {

// Sanitizer builds keep freed memory in quarantine and shadow every byte, so a resident-memory bound
// only means something in a normal build; they run a smaller input for correctness alone.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

using namespace std::chrono_literals;
using wavefront::testing::Subprocess;
using wavefront::testing::TempDir;

std::string command_line_of(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(WfsendSecurity, TokensAreBlankedInTheProcessTitle) {
  TempDir dir;
  const std::string port_file = dir.file("port");
  Subprocess listen({WFSEND_PATH, "listen", "--port", "0", "--port-file", port_file, "--quiet", "--token",
                     "listen-SECRET-1"});
  ASSERT_TRUE(wavefront::testing::wait_for_file(port_file, 10s)) << listen.stderr_so_far();
  const std::string listen_title = command_line_of(listen.pid());
  EXPECT_EQ(listen_title.find("SECRET"), std::string::npos) << listen_title;
  EXPECT_NE(listen_title.find("--token"), std::string::npos)
      << "the title is still readable: " << listen_title;

  // An import that blocks opening a FIFO: its title can be read while it runs.
  const std::string fifo = dir.file("input.csv");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Subprocess import({WFSEND_PATH, "import", fifo, "--format", "csv", "--to",
                     "https://import-SECRET-2@127.0.0.1:1,https://other-SECRET-3@127.0.0.1:2/x@y",
                     "--close-timeout", "0"});
  // The child scrubs its arguments before it opens its input; wait until it is blocked in open().
  std::string import_title;
  for (auto until = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < until;) {
    import_title = command_line_of(import.pid());
    if (import_title.find("import") != std::string::npos && import_title.find("SECRET") == std::string::npos)
      break;
    std::this_thread::sleep_for(5ms);  // polling another process's /proc entry: nothing to wait on
  }
  EXPECT_EQ(import_title.find("SECRET"), std::string::npos) << import_title;
  EXPECT_NE(import_title.find("https://***"), std::string::npos) << import_title;
  { std::ofstream(fifo) << "v\n1\n"; }  // let it finish
  import.wait(30s);
  listen.signal(SIGINT);
  const auto listened = listen.wait(10s);
  EXPECT_EQ(listened.stderr_text.find("SECRET"), std::string::npos) << listened.stderr_text;
}

TEST(WfsendSecurity, AnInputLargerThanTheMemoryBoundIsStreamed) {
  TempDir dir;
  // 4 million CSV rows (about 150 MiB once inflated) in a small gzip file.
  const int rows = kSanitized ? 200000 : 4000000;
  const std::string path = dir.file("big.csv.gz");
  gzFile gz = gzopen(path.c_str(), "wb1");
  ASSERT_NE(gz, nullptr);
  std::string block = "time,host,region,value\n";
  for (int row = 0; row < rows; ++row) {
    block += "1700000000,host-" + std::to_string(row % 100) + ",us-west-" + std::to_string(row % 3) + "," +
             std::to_string(row % 1000) + ".5\n";
    if (block.size() > (1 << 20)) {
      gzwrite(gz, block.data(), static_cast<unsigned>(block.size()));
      block.clear();
    }
  }
  gzwrite(gz, block.data(), static_cast<unsigned>(block.size()));
  gzclose(gz);

  const std::string port_file = dir.file("port");
  Subprocess listen({WFSEND_PATH, "listen", "--port", "0", "--port-file", port_file, "--quiet"});
  const auto port = wavefront::testing::wait_for_file(port_file, 10s);
  ASSERT_TRUE(port) << listen.stderr_so_far();
  const std::string url = "tcp://127.0.0.1:" + port->substr(0, port->find('\n'));
  const auto result = wavefront::testing::run_process(
      {WFSEND_PATH, "import", path, "--timestamp-column", "time", "--source-column", "host", "--tag-columns",
       "region", "--value-column", "value", "--to", url, "--quiet", "--json"},
      {}, 300s);
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("\"delivered\":" + std::to_string(rows)), std::string::npos)
      << result.stdout_text;
  // The largest resident set of any child waited for so far: only the import (listen still runs).
  rusage usage{};
  ASSERT_EQ(::getrusage(RUSAGE_CHILDREN, &usage), 0);
  const long peak_mib = usage.ru_maxrss / 1024;
  // The sender's queues are bounded at 16 MiB per data type; the reader holds one 1 MiB chunk.
  if (!kSanitized) {
    EXPECT_LT(peak_mib, 64) << "import held " << peak_mib << " MiB for a 150 MiB input";
  }
  listen.signal(SIGINT);
  listen.wait(10s);
}

}  // namespace
