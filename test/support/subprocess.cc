// See subprocess.h.
#include "support/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace wavefront::testing {

struct Subprocess::Capture {
  int fd = -1;
  std::mutex mutex;
  std::string text;
  std::thread reader;

  explicit Capture(int read_fd) : fd(read_fd) {
    reader = std::thread([this] {
      char buffer[65536];
      for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        std::lock_guard<std::mutex> lock(mutex);
        text.append(buffer, static_cast<std::size_t>(got));
      }
    });
  }
  ~Capture() {
    if (reader.joinable()) reader.join();
    ::close(fd);
  }
  std::string snapshot() {
    std::lock_guard<std::mutex> lock(mutex);
    return text;
  }
};

namespace {

void make_pipe(int fds[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
}

std::vector<std::string> child_environment(const Subprocess::Options& options) {
  std::vector<std::string> result;
  auto name_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const std::string name = name_of(text);
    bool drop = false;
    for (const auto& unset : options.unset_environment) drop = drop || unset == name;
    for (const auto& extra : options.extra_environment) drop = drop || name_of(extra) == name;
    if (!drop) result.push_back(text);
  }
  for (const auto& extra : options.extra_environment) result.push_back(extra);
  return result;
}

}  // namespace

Subprocess::Subprocess(std::vector<std::string> arguments) : Subprocess(std::move(arguments), Options()) {}

Subprocess::Subprocess(std::vector<std::string> arguments, Options options) {
  int out_pipe[2], err_pipe[2], in_pipe[2] = {-1, -1};
  make_pipe(out_pipe);
  make_pipe(err_pipe);
  if (options.stdin_text) make_pipe(in_pipe);
  const std::vector<std::string> environment = child_environment(options);
  std::vector<char*> argv, envp;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  for (const auto& entry : environment) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid_ == 0) {
    // A process group of its own, so that a timeout also kills what the child forked: a hung grandchild
    // would otherwise keep the output pipes open and the readers (and the test) waiting past the deadline.
    ::setpgid(0, 0);
    const int stdin_fd = options.stdin_text ? in_pipe[0] : ::open("/dev/null", O_RDONLY);
    ::dup2(stdin_fd, 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    ::execve(argv[0], argv.data(), envp.data());
    const char message[] = "exec failed\n";
    (void)!::write(2, message, sizeof message - 1);
    ::_exit(127);
  }
  ::setpgid(pid_, pid_);  // also here: whichever of the two runs first, the group exists before a kill
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  stdout_capture_ = new Capture(out_pipe[0]);
  stderr_capture_ = new Capture(err_pipe[0]);
  if (options.stdin_text) {
    ::close(in_pipe[0]);
    stdin_writer_ = std::thread([fd = in_pipe[1], text = std::move(*options.stdin_text)] {
      std::size_t written = 0;
      while (written < text.size()) {
        const ssize_t wrote = ::write(fd, text.data() + written, text.size() - written);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) break;
        written += static_cast<std::size_t>(wrote);
      }
      ::close(fd);
    });
  }
}

Subprocess::~Subprocess() {
  if (!reaped_ && pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
  }
  if (stdin_writer_.joinable()) stdin_writer_.join();
  delete stdout_capture_;
  delete stderr_capture_;
}

void Subprocess::signal(int signal_number) {
  if (!reaped_) ::kill(pid_, signal_number);
}

ProcessResult Subprocess::wait(std::chrono::milliseconds deadline) {
  ProcessResult result;
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!reaped_) {
    const pid_t done = ::waitpid(pid_, &status_, WNOHANG);
    if (done == pid_) {
      reaped_ = true;
      break;
    }
    if (std::chrono::steady_clock::now() >= until) {
      result.timed_out = true;
      ::kill(-pid_, SIGKILL);  // the whole group: the child and anything it forked
      ::waitpid(pid_, &status_, 0);
      reaped_ = true;
      break;
    }
    // waitpid has no timeout; a short poll keeps the deadline honest without a SIGCHLD handler.
    ::usleep(2000);
  }
  if (stdin_writer_.joinable()) stdin_writer_.join();
  // The pipes close when the child (and anything it forked) exits; the readers then finish.
  stdout_capture_->reader.join();
  stderr_capture_->reader.join();
  result.stdout_text = stdout_capture_->text;
  result.stderr_text = stderr_capture_->text;
  if (WIFEXITED(status_)) {
    result.exited = !result.timed_out;
    result.exit_code = WEXITSTATUS(status_);
  } else if (WIFSIGNALED(status_)) {
    result.signal = WTERMSIG(status_);
  }
  return result;
}

std::string Subprocess::stdout_so_far() { return stdout_capture_->snapshot(); }
std::string Subprocess::stderr_so_far() { return stderr_capture_->snapshot(); }

ProcessResult run_process(std::vector<std::string> arguments, Subprocess::Options options,
                          std::chrono::milliseconds deadline) {
  Subprocess process(std::move(arguments), std::move(options));
  return process.wait(deadline);
}

std::optional<std::string> wait_for_file(const std::string& path, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    std::ifstream file(path);
    if (file) {
      std::stringstream text;
      text << file.rdbuf();
      std::string content = text.str();
      if (!content.empty() && content.back() == '\n') return content;
    }
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    ::usleep(5000);
  }
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/wfsend-test-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace wavefront::testing
