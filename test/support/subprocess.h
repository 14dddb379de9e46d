// Running a built program from a test: arguments, optional stdin text, captured stdout/stderr, exit
// status, signals, and reading a file the program writes (e.g. a port file) with a deadline.
//
//   wavefront::testing::Subprocess listen({WFSEND_PATH, "listen", "--port", "0", "--port-file", path});
//   ...
//   listen.signal(SIGINT);
//   auto result = listen.wait(std::chrono::seconds(10));
//   EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
//
// Output is drained by background threads, so a chatty child never blocks on a full pipe.
// Not thread-safe: one test thread drives a Subprocess.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace wavefront::testing {

struct ProcessResult {
  bool exited = false;     // false: killed by a signal, or the wait timed out
  bool timed_out = false;  // the deadline passed (the child was then killed with SIGKILL)
  int exit_code = -1;      // when exited
  int signal = 0;          // when killed by a signal
  std::string stdout_text;
  std::string stderr_text;
};

class Subprocess {
 public:
  struct Options {
    std::optional<std::string> stdin_text;       // nullopt: stdin is /dev/null
    std::vector<std::string> extra_environment;  // "NAME=value" added to (or replacing in) the parent's
    std::vector<std::string> unset_environment;  // names removed from the child's environment
  };

  explicit Subprocess(std::vector<std::string> arguments);
  Subprocess(std::vector<std::string> arguments, Options options);
  ~Subprocess();  // kills a child still running and reaps it
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int signal_number);
  // Waits for the child to end; past the deadline it is killed and timed_out is set.
  ProcessResult wait(std::chrono::milliseconds deadline);
  // What the child wrote to stdout / stderr so far (safe while it runs).
  std::string stdout_so_far();
  std::string stderr_so_far();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  struct Capture;
  Capture* stdout_capture_ = nullptr;
  Capture* stderr_capture_ = nullptr;
  std::thread stdin_writer_;
};

// Runs to completion (or the deadline) and returns what happened.
ProcessResult run_process(std::vector<std::string> arguments, Subprocess::Options options = {},
                          std::chrono::milliseconds deadline = std::chrono::seconds(60));

// The text of a file once it exists and ends in a newline (e.g. a port file a server writes), or nullopt at
// the deadline. Polls every few milliseconds: waiting on another process's file has no better signal.
std::optional<std::string> wait_for_file(const std::string& path, std::chrono::milliseconds deadline);

// A fresh empty directory under TMPDIR (or /tmp), removed with its contents by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace wavefront::testing
