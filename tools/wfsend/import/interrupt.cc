// The stop flag of `wfsend import` and the signal handlers that set it.
#include "wfsend/import/interrupt.h"

#include <signal.h>

#include <atomic>

namespace wfsend::import {
namespace {

std::atomic<bool> stop_flag{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

extern "C" void on_stop_signal(int signal_number) {
  stop_flag.store(true, std::memory_order_relaxed);
  // A second signal takes the default action: the user insists.
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  sigaction(signal_number, &default_action, nullptr);
}

void set_handler(void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocked read() returns EINTR and the loop sees the flag
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace

void install_interrupt_handlers() { set_handler(&on_stop_signal); }
void remove_interrupt_handlers() { set_handler(SIG_DFL); }

bool stop_requested() noexcept { return stop_flag.load(std::memory_order_relaxed); }
void request_stop() noexcept { stop_flag.store(true, std::memory_order_relaxed); }
void clear_stop_request() noexcept { stop_flag.store(false, std::memory_order_relaxed); }

}  // namespace wfsend::import
