// A program that begins and ends senders' lives the way services do, written against the public API
// only: several threads closing at once, fork() in the ways pre-forking servers and daemons use it,
// exit() with a sender still alive. lifecycle_test.cc runs it against fake receivers, under a time
// limit, and counts what arrived against what it printed.
//
//   lifecycle_probe SCENARIO URL [COUNT]
//
// Each process that sends prints one line per sender it used:
//   "<role> accepted=<n> delivered=<n> dropped=<n> queued=<n>"
// and metrics named "<role>.n" (role: parent, child, grandchild, ...), so the test can match them.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "wavefront/client_factory.h"

namespace {

using namespace std::chrono_literals;
using wavefront::DataType;
using wavefront::Sender;

// A sender deliberately never destroyed, as a leaked global would be.
Sender* g_leaked_sender = nullptr;

// A long flush interval: nothing goes out until a flush, close or exit makes it.
wavefront::SenderConfig settings() {
  wavefront::SenderConfig config;
  config.flush_interval = std::chrono::seconds(60);
  config.close_timeout = std::chrono::milliseconds(3000);
  config.self_metrics_interval = std::chrono::milliseconds(0);
  config.logger = wavefront::make_stderr_logger(wavefront::LogLevel::warning);
  return config;
}

std::unique_ptr<Sender> open_sender(const std::string& url,
                                    const wavefront::SenderConfig& config = settings()) {
  auto sender = wavefront::make_sender(url, config);
  if (!sender.ok()) {
    std::fprintf(stderr, "make_sender: %s\n", sender.status().message().c_str());
    std::_Exit(2);
  }
  return sender.release();
}

void send_points(Sender& sender, const std::string& role, int count) {
  const std::string name = role + ".n";
  for (int i = 0; i < count; ++i) sender.send_metric(name, i, std::nullopt, "probe", {{"role", role}});
}

void report(Sender& sender, const std::string& role) {
  const wavefront::TypeStats stats = sender.stats()[DataType::metric];
  std::printf("%s accepted=%llu delivered=%llu dropped=%llu queued=%llu\n", role.c_str(),
              static_cast<unsigned long long>(stats.accepted),
              static_cast<unsigned long long>(stats.delivered),
              static_cast<unsigned long long>(stats.dropped), static_cast<unsigned long long>(stats.queued));
  std::fflush(stdout);
}

int wait_child(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Many threads close, flush and send at once, 20 rounds; the destructor then runs while another
// thread's close may still be finishing. A sender thread races every close: each of its sends that
// was accepted must arrive ("racer ok=<n>" is the total).
int close_race(const std::string& url, int count) {
  long long racer_ok = 0;
  for (int round = 0; round < 20; ++round) {
    auto sender = open_sender(url);
    send_points(*sender, "race", count);
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    std::atomic<int> inconsistent{0};
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        while (!go.load()) std::this_thread::yield();
        if (t == 3) {
          sender->flush(1s);
          sender->send_metric("race.late", 1, std::nullopt, "probe", {});
        }
        const wavefront::FlushResult result = sender->close(1s);
        if (!result.ok()) inconsistent.fetch_add(1);
      });
    }
    std::thread racer([&] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0;; ++i) {
        const wavefront::Status status = sender->send_metric("racer.n", i, std::nullopt, "probe", {});
        if (status.ok()) ++racer_ok;
        if (status.code() == wavefront::ErrorCode::closed) break;
      }
    });
    go.store(true);
    sender->close(1s);
    for (auto& thread : threads) thread.join();
    racer.join();
    if (inconsistent.load() != 0) {
      std::fprintf(stderr, "round %d: a close reported failure against a live receiver\n", round);
      return 1;
    }
    report(*sender, "race");
  }
  // The destructor racing a close() that another thread has begun: once a send is refused as
  // closed, that close is under way, and the destructor must wait for it, not free what it uses.
  auto sender = open_sender(url);
  send_points(*sender, "race", count);
  Sender* const closing = sender.get();  // the thread must not read `sender` while it is reset
  std::thread closer([closing] { closing->close(2s); });
  while (sender->send_metric("race.probe", 1, std::nullopt, "probe", {}).code() !=
         wavefront::ErrorCode::closed) {
    std::this_thread::yield();
  }
  sender.reset();
  closer.join();
  std::printf("racer ok=%lld\n", racer_ok);
  return 0;
}

// The parent sends, forks; the child sends its own points and exits normally (static destructors and
// atexit handlers run); the parent sends more after the child is done.
int fork_child_sends(const std::string& url, int count) {
  auto sender = open_sender(url);
  send_points(*sender, "parent", count);  // still queued at fork(): the child must not send them again
  const pid_t pid = ::fork();
  if (pid == 0) {
    send_points(*sender, "child", count);
    const wavefront::FlushResult result = sender->close(3s);
    report(*sender, "child");
    std::exit(result.ok() ? 0 : 3);
  }
  const int child = wait_child(pid);
  send_points(*sender, "parent", count);
  sender->close(3s);
  report(*sender, "parent");
  return child;
}

// The child never touches the inherited sender: destroying it (returning) and exiting must not hang.
int fork_unused(const std::string& url, int count, bool leak_in_child) {
  auto sender = open_sender(url);
  send_points(*sender, "parent", count);
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (leak_in_child) {
      g_leaked_sender = sender.release();  // a leaked global in the child: only the exit handler sees it
      std::exit(0);
    }
    sender.reset();  // the destructor in the child
    return 0;
  }
  const int child = wait_child(pid);
  sender->close(3s);
  report(*sender, "parent");
  return child;
}

// Forks repeatedly while another thread of the parent sends and the flusher writes; every child
// sends its own points.
int fork_mid_write(const std::string& url, int count) {
  wavefront::SenderConfig config = settings();
  config.flush_interval = std::chrono::milliseconds(5);
  config.max_queue_items = 1000000;
  config.max_queue_bytes = std::size_t{256} << 20;
  auto sender = open_sender(url, config);
  std::atomic<bool> stop{false};
  std::thread producer([&] {
    while (!stop.load()) send_points(*sender, "parent", 100);
  });
  int failures = 0;
  for (int child_index = 0; child_index < 5; ++child_index) {
    sender->flush(50ms);  // the flusher is busy writing around each fork
    const pid_t pid = ::fork();
    if (pid == 0) {
      const std::string role = "child" + std::to_string(child_index);
      send_points(*sender, role, count);
      const wavefront::FlushResult result = sender->close(3s);
      report(*sender, role);
      std::exit(result.ok() ? 0 : 3);
    }
    if (wait_child(pid) != 0) ++failures;
  }
  stop.store(true);
  producer.join();
  sender->close(5s);
  report(*sender, "parent");
  return failures;
}

// A daemon: fork, setsid, fork again; the middle process exits at once (exit(), handlers run), the
// grandchild sends and closes.
int double_fork(const std::string& url, int count) {
  auto sender = open_sender(url);
  send_points(*sender, "parent", count);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid();
    if (::fork() == 0) {
      send_points(*sender, "grandchild", count);
      const wavefront::FlushResult result = sender->close(3s);
      report(*sender, "grandchild");
      std::exit(result.ok() ? 0 : 3);
    }
    std::exit(0);
  }
  const int middle = wait_child(pid);
  sender->close(3s);
  report(*sender, "parent");
  return middle;
}

// exit() with a sender still alive: leaked (only the exit handler can deliver its queue) or static.
int exit_leaked(const std::string& url, int count) {
  g_leaked_sender = open_sender(url).release();
  send_points(*g_leaked_sender, "leaked", count);
  report(*g_leaked_sender, "leaked");
  std::exit(0);
}

int exit_static(const std::string& url, int count) {
  static std::unique_ptr<Sender> sender = open_sender(url);
  send_points(*sender, "static", count);
  report(*sender, "static");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: lifecycle_probe SCENARIO URL [COUNT]\n");
    return 2;
  }
  const std::string scenario = argv[1];
  const std::string url = argv[2];
  const int count = argc > 3 ? std::atoi(argv[3]) : 100;
  if (scenario == "close-race") return close_race(url, count);
  if (scenario == "fork-child-sends") return fork_child_sends(url, count);
  if (scenario == "fork-unused") return fork_unused(url, count, false);
  if (scenario == "fork-unused-exit") return fork_unused(url, count, true);
  if (scenario == "fork-mid-write") return fork_mid_write(url, count);
  if (scenario == "double-fork") return double_fork(url, count);
  if (scenario == "exit-leaked") return exit_leaked(url, count);
  if (scenario == "exit-static") return exit_static(url, count);
  std::fprintf(stderr, "unknown scenario %s\n", scenario.c_str());
  return 2;
}
