// The sender core of this process; see core_handle.h.
#include "wavefront/client/core_handle.h"

#include "wavefront/client/sender_core.h"

namespace wavefront::client {

CoreHandle::CoreHandle(CoreFactory make_core)
    : make_core_(std::move(make_core)),
      current_(make_core_().release()),
      generation_(internal::fork_generation()) {
  internal::register_fork_aware(this);
}

CoreHandle::~CoreHandle() {
  internal::unregister_fork_aware(this);
  SenderCore* core = current_.load(std::memory_order_acquire);
  if (generation_.load(std::memory_order_acquire) == internal::fork_generation()) {
    delete core;  // closes with close_timeout
  } else {
    core->abandon_after_fork();  // the parent's: never touched here beyond closing our copies of its sockets
    internal::keep_abandoned(core);
  }
}

SenderCore& CoreHandle::start_over() {
  std::lock_guard<std::mutex> lock(start_over_mutex_);
  const std::uint64_t now = internal::fork_generation();
  if (generation_.load(std::memory_order_acquire) != now) {
    SenderCore* inherited = current_.load(std::memory_order_acquire);
    inherited->abandon_after_fork();
    internal::keep_abandoned(inherited);
    current_.store(make_core_().release(), std::memory_order_release);
    generation_.store(now, std::memory_order_release);
  }
  return *current_.load(std::memory_order_acquire);
}

void CoreHandle::before_fork() { start_over_mutex_.lock(); }

void CoreHandle::after_fork() { start_over_mutex_.unlock(); }

void CoreHandle::at_exit() {
  if (generation_.load(std::memory_order_acquire) != internal::fork_generation()) return;
  SenderCore* core = current_.load(std::memory_order_acquire);
  core->close_at_exit();
}

}  // namespace wavefront::client
