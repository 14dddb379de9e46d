// Fork and exit handling for the library's threads and senders; see process_lifecycle.h.
#include "wavefront/internal/process_lifecycle.h"

#include <pthread.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <vector>

namespace wavefront::internal {
namespace {

std::atomic<std::uint64_t> g_fork_generation{0};

// Never destroyed: the exit handler and late threads may use it while static objects are torn down.
struct Registry {
  std::mutex mutex;
  std::vector<ForkAware*> objects;
  std::mutex abandoned_mutex;  // also held across fork()
  std::vector<const void*> abandoned;
};

Registry& registry() {
  static Registry* const instance = new Registry();
  return *instance;
}

void prepare_fork() {
  Registry& live = registry();
  live.mutex.lock();  // held across fork(): released by the parent and child handlers
  for (ForkAware* object : live.objects) object->before_fork();
  live.abandoned_mutex.lock();
}

void release_after_fork() {
  Registry& live = registry();
  live.abandoned_mutex.unlock();
  for (ForkAware* object : live.objects) object->after_fork();
  live.mutex.unlock();
}

void after_fork_in_parent() { release_after_fork(); }

void after_fork_in_child() {
  g_fork_generation.fetch_add(1, std::memory_order_release);
  release_after_fork();
}

void close_live_senders_at_exit() {
  Registry& live = registry();
  std::lock_guard<std::mutex> lock(live.mutex);
  // Closing can take each sender's close_timeout; objects unregister themselves only after this
  // returns (their destructors wait for the lock), so the list stays valid.
  for (ForkAware* object : live.objects) object->at_exit();
}

}  // namespace

std::uint64_t fork_generation() noexcept { return g_fork_generation.load(std::memory_order_acquire); }

void install_process_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    registry();  // made before the handlers that use it
    ::pthread_atfork(&prepare_fork, &after_fork_in_parent, &after_fork_in_child);
    std::atexit(&close_live_senders_at_exit);
  });
}

void keep_abandoned(const void* object) {
  Registry& kept = registry();
  std::lock_guard<std::mutex> lock(kept.abandoned_mutex);
  kept.abandoned.push_back(object);
}

void register_fork_aware(ForkAware* object) {
  install_process_handlers();
  Registry& live = registry();
  std::lock_guard<std::mutex> lock(live.mutex);
  live.objects.push_back(object);
}

void unregister_fork_aware(ForkAware* object) {
  Registry& live = registry();
  std::lock_guard<std::mutex> lock(live.mutex);
  for (auto it = live.objects.begin(); it != live.objects.end(); ++it) {
    if (*it == object) {
      live.objects.erase(it);
      return;
    }
  }
}

OwnedThread::~OwnedThread() { join(); }

bool OwnedThread::join() {
  if (generation_ != fork_generation()) {
    // The thread is not in this process (and join_mutex_ may have been held by a thread that is not
    // either): never lock, join or destroy anything of it.
    if (thread_) keep_abandoned(thread_.release());
    return false;
  }
  if (is_current()) return false;  // the thread itself: its owner joins it later
  std::lock_guard<std::mutex> lock(join_mutex_);
  if (!thread_) return true;
  if (thread_->joinable()) thread_->join();
  thread_.reset();
  return true;
}

bool OwnedThread::is_current() const {
  return generation_ == fork_generation() && id_ == std::this_thread::get_id();
}

bool OwnedThread::running_here() {
  if (generation_ != fork_generation()) return false;
  std::lock_guard<std::mutex> lock(join_mutex_);
  return thread_ != nullptr;
}

}  // namespace wavefront::internal
