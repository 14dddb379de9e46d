// The progress line of `wfsend import`: its text, and the real thing under a pseudo-terminal (the
// built binary with stderr on a pty, fed through a FIFO so the test decides how long the import
// lasts): redrawn in place with '\r' at most 10 times a second, erased before the final summary.
// Nothing here asserts timing: the redraw count is only checked against the time that really passed.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>

#include "import_binary_util.h"
#include "wfsend/import/progress.h"

namespace wfsend::import {
namespace {

using ::testing::HasSubstr;

TEST(ImportProgress, RendersRowsRateBytesPercentAndEta) {
  EXPECT_EQ(Progress::render(1234567, 2.0, 3 << 20, 0), "1,234,567 rows  617,283 rows/s  3.0 MiB");
  EXPECT_EQ(Progress::render(1000, 10.0, 25, 100), "1,000 rows  100 rows/s  25 B / 100 B  25%  ETA 0:30");
  EXPECT_EQ(Progress::render(5, 0.0, 100, 100), "5 rows  0 rows/s  100 B / 100 B  100%");
  EXPECT_EQ(Progress::render(1, 4000.0, 1, 2), "1 rows  0 rows/s  1 B / 2 B  50%  ETA 1:06:40");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(format_count(1000), "1,000");
}

// The child's stderr is the pty; stdout goes to /dev/null; the parent reads everything the terminal
// shows.
class PtyImport {
 public:
  explicit PtyImport(const std::vector<std::string>& arguments) {
    int replica = -1;
    if (openpty(&primary_, &replica, nullptr, nullptr, nullptr) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      const int null_fd = ::open("/dev/null", O_RDWR);
      dup2(null_fd, STDIN_FILENO);
      dup2(null_fd, STDOUT_FILENO);
      dup2(replica, STDERR_FILENO);
      ::close(primary_);
      unsetenv("WAVEFRONT_URL");
      std::vector<char*> argv;
      for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    ::close(replica);
  }
  ~PtyImport() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (primary_ >= 0) ::close(primary_);
  }
  bool started() const { return pid_ > 0; }

  // Reads what the terminal shows for up to `wait`; false once the child closed the terminal.
  bool read_some(std::chrono::milliseconds wait) {
    pollfd poll_fd{primary_, POLLIN, 0};
    if (poll(&poll_fd, 1, static_cast<int>(wait.count())) <= 0) return true;
    char buffer[4096];
    const ssize_t count = ::read(primary_, buffer, sizeof(buffer));
    if (count <= 0) return false;  // EIO: no process has the terminal open any more
    shown_.append(buffer, static_cast<std::size_t>(count));
    return true;
  }
  int wait_exit() {
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  const std::string& shown() const { return shown_; }
  std::size_t redraws() const {
    std::size_t count = 0;
    for (std::size_t at = 0; (at = shown_.find("\r", at)) != std::string::npos; ++at) {
      if (shown_.compare(at, 4, "\r\x1b[K") != 0 && shown_.compare(at, 2, "\r\n") != 0) ++count;
    }
    return count;
  }

 private:
  int primary_ = -1;
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::string shown_;
};

TEST(ImportProgress, RedrawsInPlaceOnATerminalAndEndsWithTheSummary) {
  testing::TempDir directory;
  const std::string fifo = directory.file("rows.fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const auto start = std::chrono::steady_clock::now();
  PtyImport import({WFSEND_PATH, "import", fifo, "--format", "csv", "--source", "s", "--to", "-"});
  ASSERT_TRUE(import.started());
  const int writer = ::open(fifo.c_str(), O_WRONLY);
  ASSERT_GE(writer, 0);
  ASSERT_EQ(::write(writer, "v\n", 2), 2);
  // Feed rows until the bar has been drawn twice (the tool draws at most every 100 ms).
  std::string block;
  for (int row = 0; row < 512; ++row) block += std::to_string(row) + "\n";
  const auto deadline = start + std::chrono::seconds(60);
  while (import.redraws() < 2 && std::chrono::steady_clock::now() < deadline) {
    ASSERT_EQ(::write(writer, block.data(), block.size()), static_cast<ssize_t>(block.size()));
    import.read_some(std::chrono::milliseconds(50));
  }
  ::close(writer);
  while (import.read_some(std::chrono::seconds(5))) {
    if (std::chrono::steady_clock::now() > deadline) break;
  }
  const int exit_code = import.wait_exit();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(exit_code, 0) << import.shown();

  const std::string& shown = import.shown();
  ASSERT_GE(import.redraws(), 2u) << shown;
  EXPECT_LE(static_cast<double>(import.redraws()), 10 * elapsed + 1) << "more than 10 redraws a second";
  // Each redraw is one line rewritten in place: rows, rate and bytes, then erase-to-end-of-line.
  const std::regex bar("\r[0-9,]+ rows  [0-9,]+ rows/s  [0-9.]+ (B|KiB|MiB)\x1b\\[K");
  EXPECT_EQ(static_cast<std::size_t>(
                std::distance(std::sregex_iterator(shown.begin(), shown.end(), bar), std::sregex_iterator())),
            import.redraws())
      << shown;
  // The bar is erased, then the summary follows on clean lines.
  const std::size_t erase = shown.rfind("\r\x1b[K");
  ASSERT_NE(erase, std::string::npos);
  const std::string after = shown.substr(erase + 4);
  EXPECT_THAT(after, ::testing::StartsWith("wfsend import: "));
  EXPECT_THAT(after, HasSubstr(" rows in "));
  EXPECT_EQ(after.find("\x1b"), std::string::npos);
}

TEST(ImportProgress, QuietAndJsonDrawNothingOnATerminal) {
  testing::TempDir directory;
  testing::write_file(directory.file("data.csv"), testing::generated_csv(2000));
  for (const char* flag : {"--quiet", "--json"}) {
    PtyImport import({WFSEND_PATH, "import", directory.file("data.csv"), "--value-column", "cpu", flag});
    ASSERT_TRUE(import.started());
    while (import.read_some(std::chrono::seconds(5))) {
    }
    EXPECT_EQ(import.wait_exit(), 0);
    EXPECT_EQ(import.shown().find(" rows/s  "), std::string::npos) << flag << ": " << import.shown();
    EXPECT_EQ(import.shown().find("wfsend import: "), std::string::npos) << flag << ": " << import.shown();
  }
}

}  // namespace
}  // namespace wfsend::import
