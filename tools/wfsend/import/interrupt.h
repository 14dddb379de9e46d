// SIGINT/SIGTERM for `wfsend import`: the first signal asks the import to stop reading (it then flushes,
// closes with its deadline, prints the summary and exits 130); a second one ends the process at once.
//
// The import loops poll stop_requested() (one relaxed atomic load) and the input treats an interrupted
// read() as the end of the input once a stop was asked.
//
// Thread-safety: all functions may be called from any thread and from the signal handler.
#pragma once

namespace wfsend::import {

// Installs the handlers (without SA_RESTART, so a blocking read of a pipe or terminal returns).
void install_interrupt_handlers();
// Restores the default dispositions.
void remove_interrupt_handlers();

bool stop_requested() noexcept;
// What the handler does; tests call it directly.
void request_stop() noexcept;
void clear_stop_request() noexcept;

}  // namespace wfsend::import
