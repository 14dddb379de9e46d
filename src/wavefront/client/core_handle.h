// The sender core of this process, started over in a child after fork() (private).
//
// QueuedSender holds one CoreHandle. In the process that made it, core() is the core made at
// construction. In a child of fork() the first call to core() abandons the inherited core (its
// flusher thread does not exist there, its queue holds the parent's data, which the parent delivers,
// and its locks may be held by threads that are gone): its sockets are closed without a word on the
// wire, its memory is left alone, and a fresh core (empty queue, zeroed counters, new connections,
// new flusher thread) is made from the same configuration. The child's data is its own: delivered
// by the child's flusher or counted in the child's stats().
//
// At exit, a core still open is closed with its close_timeout (process_lifecycle.h).
//
// Thread-safety: core() may be called from any number of threads, in the parent and in a child.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "wavefront/internal/process_lifecycle.h"

namespace wavefront::client {

class SenderCore;

using CoreFactory = std::function<std::unique_ptr<SenderCore>()>;

class CoreHandle final : public internal::ForkAware {
 public:
  explicit CoreHandle(CoreFactory make_core);
  // Closes the core of this process (with its close_timeout); abandons one inherited through fork.
  ~CoreHandle() override;
  CoreHandle(const CoreHandle&) = delete;
  CoreHandle& operator=(const CoreHandle&) = delete;

  SenderCore& core() {
    if (generation_.load(std::memory_order_acquire) == internal::fork_generation()) {
      return *current_.load(std::memory_order_acquire);
    }
    return start_over();
  }

  void before_fork() override;
  void after_fork() override;
  void at_exit() override;

 private:
  SenderCore& start_over();

  const CoreFactory make_core_;
  std::mutex start_over_mutex_;  // held across fork(), so a child never inherits it locked
  std::atomic<SenderCore*> current_;
  std::atomic<std::uint64_t> generation_;
};

}  // namespace wavefront::client
