// Runs lifecycle_probe (a program on the public API only) in the ways services begin and end a
// sender's life: threads closing at once, fork() without and with use in the child, forks while the
// flusher writes, a daemon's double fork, exit() with a leaked or static sender. Each run has a time
// limit (a hang fails it), and every point a process says it sent is matched against what the fake
// receiver got: nothing lost, nothing sent twice. Over raw TCP (FakeProxy) and HTTP (FakeHttpServer).
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>

#include "support/fake_http_server.h"
#include "support/fake_proxy.h"
#include "support/subprocess.h"

namespace wavefront::testing {
namespace {

using namespace std::chrono_literals;

// A child forked while another thread allocates can deadlock inside a sanitizer's own allocator: its
// first allocation waits forever on a lock the other thread held at the fork. Seen here with clang-14's
// AddressSanitizer, and with its ThreadSanitizer too (a fork-mid-write child stuck in
// SizeClassAllocator64::GetFromAllocator, deflateInit2_ -> malloc, at CI stage 7). glibc's malloc is
// fork-safe, so the fork scenarios run in the normal build and are skipped under both sanitizers.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kForkSafeAllocator = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kForkSafeAllocator = false;
#else
constexpr bool kForkSafeAllocator = true;
#endif
#else
constexpr bool kForkSafeAllocator = true;
#endif

#define SKIP_FORK_UNDER_SANITIZERS()                                                             \
  if (!kForkSafeAllocator) {                                                                     \
    GTEST_SKIP() << "a sanitizer's allocator is not fork-safe with other threads (see the top)"; \
  }

// "<role> accepted=.. delivered=.. ..." lines of the probe's output, by role (the last line wins).
std::map<std::string, std::map<std::string, long long>> reports(const std::string& text) {
  std::map<std::string, std::map<std::string, long long>> by_role;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string role;
    words >> role;
    std::string field;
    while (words >> field) {
      const auto equals = field.find('=');
      if (equals == std::string::npos) continue;
      by_role[role][field.substr(0, equals)] = std::stoll(field.substr(equals + 1));
    }
  }
  return by_role;
}

// A receiver of either kind, counting metric lines by name.
class Receiver {
 public:
  explicit Receiver(bool http) {
    if (http) {
      http_ = FakeHttpServer::start();
    } else {
      proxy_ = FakeProxy::start();
    }
  }
  bool ok() const { return http_ != nullptr || proxy_ != nullptr; }
  std::string url() const {
    return http_ ? http_->url() : "tcp://127.0.0.1:" + std::to_string(proxy_->port());
  }
  std::vector<std::string> lines() const { return http_ ? http_->lines("wavefront") : proxy_->lines(); }
  std::size_t count(const std::string& role) const {
    const std::string prefix = "\"" + role + ".n\" ";
    std::size_t found = 0;
    for (const std::string& line : lines()) found += line.rfind(prefix, 0) == 0 ? 1 : 0;
    return found;
  }
  // Waits (the probe's grandchildren may outlive it) until `role` has `expected` lines.
  bool wait_for(const std::string& role, std::size_t expected) const {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (count(role) < expected) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      if (http_) {
        http_->wait_for_lines("wavefront", lines().size() + 1, 100ms);
      } else {
        proxy_->wait_for_lines(lines().size() + 1, 100ms);
      }
    }
    return true;
  }

 private:
  std::unique_ptr<FakeHttpServer> http_;
  std::unique_ptr<FakeProxy> proxy_;
};

class Lifecycle : public ::testing::TestWithParam<bool> {
 protected:
  ProcessResult run(const std::string& scenario, int count) {
    EXPECT_TRUE(receiver_.ok());
    return run_process({LIFECYCLE_PROBE_PATH, scenario, receiver_.url(), std::to_string(count)}, {}, 60s);
  }
  static void expect_clean_exit(const ProcessResult& result) {
    EXPECT_FALSE(result.timed_out) << "the probe hung\n" << result.stderr_text;
    EXPECT_TRUE(result.exited) << "signal " << result.signal << "\n" << result.stderr_text;
    EXPECT_EQ(result.exit_code, 0) << result.stdout_text << result.stderr_text;
  }
  Receiver receiver_{GetParam()};
};

TEST_P(Lifecycle, ThreadsClosingAtOnceAllReturnAndEveryPointArrives) {
  const ProcessResult result = run("close-race", 50);
  expect_clean_exit(result);
  EXPECT_TRUE(receiver_.wait_for("race", 21 * 50));
  EXPECT_EQ(receiver_.count("race"), 21u * 50);
  // Every send that raced a close and was accepted arrived; refused ones were counted as closed.
  const auto by_role = reports(result.stdout_text);
  ASSERT_EQ(by_role.count("racer"), 1u) << result.stdout_text;
  EXPECT_EQ(receiver_.count("racer"), static_cast<std::size_t>(by_role.at("racer").at("ok")));
}

TEST_P(Lifecycle, ChildOfForkSendsItsOwnDataOnceAndTheParentGoesOn) {
  SKIP_FORK_UNDER_SANITIZERS();
  const ProcessResult result = run("fork-child-sends", 200);
  expect_clean_exit(result);
  const auto by_role = reports(result.stdout_text);
  ASSERT_EQ(by_role.count("child"), 1u) << result.stdout_text << result.stderr_text;
  // The child's counters are its own: the parent's queued points are not in them.
  EXPECT_EQ(by_role.at("child").at("accepted"), 200);
  EXPECT_EQ(by_role.at("child").at("delivered"), 200);
  EXPECT_EQ(by_role.at("parent").at("accepted"), 400);
  EXPECT_EQ(by_role.at("parent").at("delivered"), 400);
  EXPECT_TRUE(receiver_.wait_for("parent", 400));
  EXPECT_EQ(receiver_.count("child"), 200u);  // not lost, and the parent's points not sent twice
  EXPECT_EQ(receiver_.count("parent"), 400u);
}

TEST_P(Lifecycle, ChildThatNeverUsesTheSenderEndsAtOnce) {
  SKIP_FORK_UNDER_SANITIZERS();
  for (const char* scenario : {"fork-unused", "fork-unused-exit"}) {
    SCOPED_TRACE(scenario);
    const std::size_t before = receiver_.count("parent");
    const ProcessResult result = run(scenario, 100);
    expect_clean_exit(result);
    EXPECT_TRUE(receiver_.wait_for("parent", before + 100));
    EXPECT_EQ(receiver_.count("parent"), before + 100);
  }
}

TEST_P(Lifecycle, ForksWhileTheFlusherWritesLoseNothingAndDuplicateNothing) {
  SKIP_FORK_UNDER_SANITIZERS();
  const ProcessResult result = run("fork-mid-write", 300);
  expect_clean_exit(result);
  const auto by_role = reports(result.stdout_text);
  ASSERT_EQ(by_role.count("parent"), 1u) << result.stdout_text;
  const auto& parent = by_role.at("parent");
  EXPECT_EQ(parent.at("accepted"), parent.at("delivered") + parent.at("dropped"));
  EXPECT_EQ(parent.at("dropped"), 0);
  EXPECT_TRUE(receiver_.wait_for("parent", static_cast<std::size_t>(parent.at("delivered"))));
  EXPECT_EQ(receiver_.count("parent"), static_cast<std::size_t>(parent.at("delivered")));
  for (int child = 0; child < 5; ++child) {
    const std::string role = "child" + std::to_string(child);
    EXPECT_EQ(receiver_.count(role), 300u) << role;
    ASSERT_EQ(by_role.count(role), 1u) << result.stdout_text;
    EXPECT_EQ(by_role.at(role).at("delivered"), 300) << role;
  }
}

TEST_P(Lifecycle, DaemonStyleDoubleForkSendsFromTheGrandchild) {
  SKIP_FORK_UNDER_SANITIZERS();
  const ProcessResult result = run("double-fork", 150);
  expect_clean_exit(result);
  EXPECT_TRUE(receiver_.wait_for("grandchild", 150)) << result.stdout_text << result.stderr_text;
  EXPECT_EQ(receiver_.count("grandchild"), 150u);
  EXPECT_EQ(receiver_.count("parent"), 150u);
}

TEST_P(Lifecycle, ExitDeliversWhatALeakedSenderHolds) {
  const ProcessResult result = run("exit-leaked", 250);
  expect_clean_exit(result);
  EXPECT_EQ(reports(result.stdout_text)["leaked"]["delivered"], 0);  // the flush interval is a minute
  EXPECT_TRUE(receiver_.wait_for("leaked", 250)) << result.stderr_text;
  EXPECT_EQ(receiver_.count("leaked"), 250u);
}

TEST_P(Lifecycle, ExitClosesAStaticSender) {
  const ProcessResult result = run("exit-static", 250);
  expect_clean_exit(result);
  EXPECT_TRUE(receiver_.wait_for("static", 250));
  EXPECT_EQ(receiver_.count("static"), 250u);
}

INSTANTIATE_TEST_SUITE_P(Transports, Lifecycle, ::testing::Values(false, true),
                         [](const auto& param_info) { return param_info.param ? "Http" : "Tcp"; });

}  // namespace
}  // namespace wavefront::testing
