// The seam between the sender core and the network (private names for the public interface).
//
// The core hands a transport one batch of whole lines at a time for one data type; the transport
// delivers what it can before the deadline and says how many lines, from the front, went out, how
// many it dropped for good, and whether the rest must be retried. TCP and HTTP implement it; tests
// can implement it too.
//
// Thread-safety: called only from the sender's single flusher thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "wavefront/sender.h"
#include "wavefront/transport.h"

namespace wavefront::transport {

using SteadyTime = std::chrono::steady_clock::time_point;

// The interface is public (include/wavefront/transport.h); these names are the library's own.
using AbortDeadline = DeliveryDeadline;
using DeliveryResult = ::wavefront::DeliveryResult;
using Transport = ::wavefront::Transport;

}  // namespace wavefront::transport
