// Parsing and printing the fault soak's command line (see soak_options.h).
#include "soak/soak_options.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <random>
#include <sstream>
#include <type_traits>

namespace wavefront::soak {
namespace {

std::string join(const std::vector<std::string>& items) {
  if (items.empty()) return "none";
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ",") + item;
  return text;
}

bool parse_list(const std::string& text, const std::vector<std::string>& allowed,
                std::vector<std::string>& out, std::string& error) {
  out.clear();
  if (text == "none") return true;
  if (text == "all") {
    out = allowed;
    return true;
  }
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (std::find(allowed.begin(), allowed.end(), item) == allowed.end()) {
      error = "unknown fault '" + item + "' (known: " + join(allowed) + ", or all, none)";
      return false;
    }
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  }
  return true;
}

template <class Number>
bool parse_number(const std::string& text, Number& value) {
  if constexpr (std::is_floating_point_v<Number>) {
    char* end = nullptr;
    value = static_cast<Number>(std::strtod(text.c_str(), &end));
    return !text.empty() && end == text.c_str() + text.size();
  } else {
    const auto [stop, code] = std::from_chars(text.data(), text.data() + text.size(), value);
    return code == std::errc() && stop == text.data() + text.size();
  }
}

template <class Number>
bool check_range(const char* name, Number value, Number low, Number high, std::string& error) {
  if (value >= low && value <= high) return true;
  std::ostringstream message;
  message << name << " must be between " << low << " and " << high;
  error = message.str();
  return false;
}

}  // namespace

const std::vector<std::string>& all_tcp_faults() {
  static const std::vector<std::string> kFaults = {"kill",  "stop_reading", "reset",
                                                   "close", "slow",         "accept_close"};
  return kFaults;
}

const std::vector<std::string>& all_http_faults() {
  static const std::vector<std::string> kFaults = {"429",   "500",     "503",  "413",   "reset",
                                                   "delay", "timeout", "kill", "stall", "mixed"};
  return kFaults;
}

std::string usage() {
  return "usage: wavefront_soak [options]\n"
         "  --seed N                 fault schedule and payload seed (default: random, printed)\n"
         "  --duration SECONDS       per transport, all phases (default 60)\n"
         "  --producers N            producer threads per sender (default 4)\n"
         "  --rate N                 send calls per second per producer (default 300)\n"
         "  --transport tcp|http|both  (default both: side by side)\n"
         "  --fault-fraction F       share of time in faults, 0..0.9 (default 0.4)\n"
         "  --fault-mean-ms N        mean length of one fault (default 1500)\n"
         "  --tcp-faults LIST        of " +
         join(all_tcp_faults()) +
         ", all or none (default all)\n"
         "  --http-faults LIST       of " +
         join(all_http_faults()) +
         ", all or none (default all)\n"
         "  --block-fraction F       share of time in the overflow=block phase (default 0.3)\n"
         "  --close-timeout-ms N     close() deadline (default 5000)\n"
         "  --close-slack-ms N       how late close() may return (default 1000)\n"
         "  --max-queue-items N --max-queue-bytes N --batch-items N --batch-bytes N\n"
         "                           the sender's bounds (defaults 1000, 262144, 200, 32768)\n"
         "  --max-retry-age-ms N     (default 20000)\n"
         "  --invalid-fraction F     calls made invalid on purpose (default 0.01)\n"
         "  --tcp-gzip               gzip the TCP streams\n"
         "  --down-at-close WAY      kill, hang, hang_then_kill, refuse or random (default), for the\n"
         "                           block phase's close\n"
         "  --rss-limit-mib N        memory bound instead of the derived one\n"
         "  --json PATH              also write the report as JSON ('-': stdout)\n"
         "  --verbose                print every fault as it is applied\n";
}

bool parse_options(int argc, char** argv, SoakOptions& options, bool& help, std::string& error) {
  options.tcp_faults = all_tcp_faults();
  options.http_faults = all_http_faults();
  bool seed_given = false;
  help = false;
  for (int index = 1; index < argc; ++index) {
    const std::string flag = argv[index];
    if (flag == "--help" || flag == "-h") {
      help = true;
      return true;
    }
    if (flag == "--tcp-gzip") {
      options.tcp_gzip = true;
      continue;
    }
    if (flag == "--verbose") {
      options.verbose = true;
      continue;
    }
    if (index + 1 >= argc) {
      error = "missing value after " + flag;
      return false;
    }
    const std::string value = argv[++index];
    bool parsed = true;
    if (flag == "--seed") {
      parsed = parse_number(value, options.seed);
      seed_given = true;
    } else if (flag == "--duration") {
      parsed = parse_number(value, options.duration_seconds);
    } else if (flag == "--producers") {
      parsed = parse_number(value, options.producers);
    } else if (flag == "--rate") {
      parsed = parse_number(value, options.rate);
    } else if (flag == "--transport") {
      options.transport = value;
      parsed = value == "tcp" || value == "http" || value == "both";
    } else if (flag == "--fault-fraction") {
      parsed = parse_number(value, options.fault_fraction);
    } else if (flag == "--fault-mean-ms") {
      parsed = parse_number(value, options.fault_mean_ms);
    } else if (flag == "--tcp-faults") {
      if (!parse_list(value, all_tcp_faults(), options.tcp_faults, error)) return false;
    } else if (flag == "--http-faults") {
      if (!parse_list(value, all_http_faults(), options.http_faults, error)) return false;
    } else if (flag == "--block-fraction") {
      parsed = parse_number(value, options.block_fraction);
    } else if (flag == "--close-timeout-ms") {
      parsed = parse_number(value, options.close_timeout_ms);
    } else if (flag == "--close-slack-ms") {
      parsed = parse_number(value, options.close_slack_ms);
    } else if (flag == "--max-queue-items") {
      parsed = parse_number(value, options.max_queue_items);
    } else if (flag == "--max-queue-bytes") {
      parsed = parse_number(value, options.max_queue_bytes);
    } else if (flag == "--batch-items") {
      parsed = parse_number(value, options.batch_items);
    } else if (flag == "--batch-bytes") {
      parsed = parse_number(value, options.batch_bytes);
    } else if (flag == "--max-retry-age-ms") {
      parsed = parse_number(value, options.max_retry_age_ms);
    } else if (flag == "--invalid-fraction") {
      parsed = parse_number(value, options.invalid_fraction);
    } else if (flag == "--rss-limit-mib") {
      parsed = parse_number(value, options.rss_limit_mib);
    } else if (flag == "--down-at-close") {
      options.down_at_close = value;
      parsed = value == "random" || value == "kill" || value == "hang" || value == "hang_then_kill" ||
               value == "refuse";
    } else if (flag == "--json") {
      options.json_path = value;
    } else {
      error = "unknown option " + flag + "\n" + usage();
      return false;
    }
    if (!parsed) {
      error = "bad value for " + flag + ": '" + value + "'";
      return false;
    }
  }
  if (!seed_given) options.seed = std::random_device()() * 4294967296ull + std::random_device()();
  return check_range("--duration", options.duration_seconds, 2.0, 86400.0, error) &&
         check_range<std::size_t>("--producers", options.producers, 1, 64, error) &&
         check_range("--rate", options.rate, 1.0, 20000.0, error) &&
         check_range("--fault-fraction", options.fault_fraction, 0.0, 0.9, error) &&
         check_range<std::size_t>("--fault-mean-ms", options.fault_mean_ms, 50, 60000, error) &&
         check_range("--block-fraction", options.block_fraction, 0.1, 0.9, error) &&
         check_range<std::size_t>("--close-timeout-ms", options.close_timeout_ms, 100, 600000, error) &&
         check_range("--invalid-fraction", options.invalid_fraction, 0.0, 1.0, error) &&
         check_range<std::size_t>("--batch-items", options.batch_items, 1, options.max_queue_items, error) &&
         check_range<std::size_t>("--batch-bytes", options.batch_bytes, 1024, options.max_queue_bytes, error);
}

std::string replay_command(const SoakOptions& options) {
  std::ostringstream command;
  command << "wavefront_soak --seed " << options.seed << " --duration " << options.duration_seconds
          << " --producers " << options.producers << " --rate " << options.rate << " --transport "
          << options.transport << " --fault-fraction " << options.fault_fraction << " --fault-mean-ms "
          << options.fault_mean_ms << " --tcp-faults " << join(options.tcp_faults) << " --http-faults "
          << join(options.http_faults) << " --block-fraction " << options.block_fraction
          << " --close-timeout-ms " << options.close_timeout_ms << " --close-slack-ms "
          << options.close_slack_ms << " --max-queue-items " << options.max_queue_items
          << " --max-queue-bytes " << options.max_queue_bytes << " --batch-items " << options.batch_items
          << " --batch-bytes " << options.batch_bytes << " --max-retry-age-ms " << options.max_retry_age_ms
          << " --invalid-fraction " << options.invalid_fraction;
  if (options.tcp_gzip) command << " --tcp-gzip";
  if (options.down_at_close != "random") command << " --down-at-close " << options.down_at_close;
  if (options.rss_limit_mib > 0) command << " --rss-limit-mib " << options.rss_limit_mib;
  return command.str();
}

}  // namespace wavefront::soak
