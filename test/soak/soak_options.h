// The fault soak's command line: what to run (transports, duration, producers, rate), the fault schedule
// (seed, fraction of time in faults, mean fault length, which faults), the sender's bounds, and the
// checks' tolerances. Every run prints the command that replays it with the same seed and settings.
//
//   wavefront_soak --duration 60 --transport both --seed 42
//   wavefront_soak --duration 1800 --producers 6 --rate 400 --json soak.json
//
// Thread-safety: plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wavefront::soak {

struct SoakOptions {
  std::uint64_t seed = 0;        // random unless --seed is given; printed either way
  double duration_seconds = 60;  // per transport, all phases together
  std::size_t producers = 4;
  double rate = 300;               // send calls per second per producer
  std::string transport = "both";  // tcp, http or both (run side by side)
  double fault_fraction = 0.4;     // share of the faulted part of each phase spent in faults
  std::size_t fault_mean_ms = 1500;
  std::vector<std::string> tcp_faults;
  std::vector<std::string> http_faults;
  double block_fraction = 0.3;  // share of each transport's time in the overflow=block phase
  std::size_t close_timeout_ms = 5000;
  std::size_t close_slack_ms = 1000;
  std::size_t max_queue_items = 1000;
  std::size_t max_queue_bytes = 256 * 1024;
  std::size_t batch_items = 200;
  std::size_t batch_bytes = 32 * 1024;
  std::size_t max_retry_age_ms = 20000;
  double invalid_fraction = 0.01;  // calls given an invalid payload on purpose (refused, counted)
  bool tcp_gzip = false;
  std::string down_at_close = "random";  // how the block phase's receiver is down at close
  std::string json_path;                 // "" none, "-" stdout
  bool verbose = false;                  // print every fault as it is applied
  double rss_limit_mib = 0;              // 0: derived from the configuration (see the report)
};

const std::vector<std::string>& all_tcp_faults();
const std::vector<std::string>& all_http_faults();

// Fills `options`; false with `error` set on a bad command line. `help` is set for --help.
bool parse_options(int argc, char** argv, SoakOptions& options, bool& help, std::string& error);
std::string usage();
// The command line that replays this run.
std::string replay_command(const SoakOptions& options);

}  // namespace wavefront::soak
