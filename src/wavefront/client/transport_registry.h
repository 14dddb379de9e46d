// The URL scheme registry behind make_sender, and senders over any transport (private; the public
// side is include/wavefront/transport.h).
//
// Thread-safety: every function may be called from any thread.
#pragma once

#include <string>
#include <string_view>

#include "wavefront/transport.h"

namespace wavefront::client {

// The handler of a registered scheme (compared ignoring case), or an empty function.
SchemeHandler find_scheme_handler(std::string_view scheme);

// make_transport_sender, with the client kind its self-metrics are named after
// (~sdk.cpp.core.sender.<client_kind>.*).
Expected<std::unique_ptr<QueuedSender>> make_sender_over(wavefront::TransportFactory make_transport,
                                                         const SenderConfig& settings,
                                                         std::string client_kind);

}  // namespace wavefront::client
