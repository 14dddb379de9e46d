// Where `wfsend send` and `wfsend import` deliver: the --to URL and its options, the sender it makes,
// closing it with a deadline, and the exit code its final counts give.
//
// `--to -` (the default when neither --to nor WAVEFRONT_URL is set) writes the exact wire lines to
// standard output, in input order, and sends nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "wavefront/sender.h"
#include "wavefront/status.h"

namespace CLI {
class App;
}

namespace wfsend {

struct DestinationOptions {
  std::string url;                      // --to; empty: WAVEFRONT_URL, else "-"
  std::uint16_t distribution_port = 0;  // tcp:// only; 0 = the metrics port
  std::uint16_t tracing_port = 0;       // tcp:// only; 0 = the metrics port
  std::string token_file;               // https:// token, when not in the URL or WAVEFRONT_TOKEN
  std::string ca_file;                  // PEM bundle to verify the server with
  double close_timeout_seconds = 10;    // how long the final flush may take
  double block_timeout_seconds = 10;    // how long a full queue may hold the reader before dropping
};

// Registers --to, --distribution-port, --tracing-port, --token-file, --ca-file, --close-timeout,
// --block-timeout on a subcommand.
void add_destination_options(CLI::App& command, DestinationOptions& options);

struct Destination {
  std::unique_ptr<wavefront::Sender> sender;
  std::string description;  // the URL with any token redacted, or "standard output"
  bool to_stdout = false;
};

// Makes the sender. Errors (bad URL, unreadable token file) name the option and the rule.
wavefront::Expected<Destination> open_destination(const DestinationOptions& options);

// Flushes and closes within close_timeout_seconds; returns the final counts.
wavefront::SenderStats close_destination(Destination& destination, const DestinationOptions& options);

// kExitOk, kExitRejected (something invalid) or kExitUndelivered (something dropped or still queued),
// the worst that applies. `refused_rows` counts input refused before reaching the sender.
int exit_code_for(const wavefront::SenderStats& stats, std::uint64_t refused_rows);

// Totals over every data type.
struct Totals {
  std::uint64_t accepted = 0, invalid = 0, delivered = 0, dropped = 0, queued = 0;
};
Totals totals_of(const wavefront::SenderStats& stats);

}  // namespace wfsend
