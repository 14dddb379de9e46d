// What the library does when the process forks or exits (private).
//
// fork(): only the forking thread exists in the child, so every background thread the library
// started (flushers, reporters, heartbeaters, token refreshers) is gone there, and any mutex another
// thread held is inherited locked. The library counts forks: `fork_generation()` is 0 in the
// original process and grows by one in each child, so an object can tell cheaply (one relaxed load)
// whether it was made in this process. An object whose thread belongs to an earlier generation never
// joins it and never touches the state that thread shared; senders start over in the child (see
// client/core_handle.h).
//
// exit(): senders still alive when the process exits (a leaked global, a sender owned by a thread that
// never ended) are closed by one atexit handler, each with its own close_timeout, so queued data is
// delivered or counted as unsent_at_close instead of vanishing with the process.
//
// Thread-safety: every function may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

namespace wavefront::internal {

// 0 in the process that loaded the library; one more in each child of a fork().
std::uint64_t fork_generation() noexcept;

// An object that lives in the registry of live senders: the fork handlers lock it around fork()
// (so the child inherits it unlocked and consistent) and the exit handler closes it.
class ForkAware {
 public:
  virtual ~ForkAware() = default;
  // Called with the registry locked, in the parent just before fork(): take whatever lock the child
  // must inherit unlocked. `after_fork` releases it, in the parent and in the child.
  virtual void before_fork() = 0;
  virtual void after_fork() = 0;
  // Called once from the atexit handler, in the process that made the object.
  virtual void at_exit() = 0;
};

// Adds or removes an object from the registry (also installs the fork and exit handlers, once).
void register_fork_aware(ForkAware* object);
void unregister_fork_aware(ForkAware* object);

// Installs the fork handlers (idempotent); every class that starts a thread calls it first.
void install_process_handlers();

// Keeps an object a child of fork() abandoned (the parent's thread, core or transport) reachable for
// the rest of the process, so leak checkers see it as deliberately kept rather than lost.
void keep_abandoned(const void* object);

// A std::thread that knows the process it was started in. join() joins it in that process; in a
// child of a fork, where the thread does not exist, it leaves the thread object alone (leaked: its
// destructor would terminate the program and joining would wait forever) and returns false.
class OwnedThread {
 public:
  OwnedThread() = default;
  ~OwnedThread();  // join()
  OwnedThread(const OwnedThread&) = delete;
  OwnedThread& operator=(const OwnedThread&) = delete;

  template <typename Function>
  void start(Function&& function) {
    install_process_handlers();
    generation_ = fork_generation();
    thread_ = std::make_unique<std::thread>(std::forward<Function>(function));
    id_ = thread_->get_id();
  }
  // True once the thread has ended (or was never started); false when it belongs to another process
  // or the caller is the thread itself. Several threads may call it at once: all wait for the end.
  bool join();
  // Whether the calling thread is this thread.
  bool is_current() const;
  // Whether the thread was started in this process and has not been joined.
  bool running_here();

 private:
  std::mutex join_mutex_;
  std::unique_ptr<std::thread> thread_;
  std::uint64_t generation_ = 0;
  std::thread::id id_;  // set once by start(), before other threads can see this object
};

}  // namespace wavefront::internal
