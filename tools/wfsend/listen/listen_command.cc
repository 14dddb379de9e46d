// `wfsend listen`: the command line of the local receiver (main.cc registers it through commands.h).
//
// Parses the options into ReceiverOptions, binds, writes --port-file, runs the receiver on the main
// thread until SIGINT or SIGTERM (the handler only calls Receiver::stop, which writes to an eventfd),
// then prints the summary: human text on stderr, or with --json one JSON object on stdout, or on
// stderr when stdout carries the accepted lines (neither --out nor --quiet).
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "receiver/receiver.h"
#include "wfsend/commands.h"

namespace wfsend {
namespace {

using wfreceiver::Receiver;
using wfreceiver::ReceiverOptions;

struct ListenSettings {
  ReceiverOptions receiver;
  int port = 2878;
  int distribution_port = -1;
  int tracing_port = -1;
  std::string port_file;
  std::string token;
  std::string token_file;
  std::string out;
  bool quiet = false;
  bool json = false;
  double idle_timeout_seconds = 60;
  double request_timeout_seconds = 30;
};

std::atomic<Receiver*> running_receiver{nullptr};

void stop_listening_on_signal(int) {
  if (Receiver* receiver = running_receiver.load()) receiver->stop();
}

std::chrono::milliseconds seconds_to_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000)));
}

bool read_token_file(const std::string& path, std::string& token) {
  std::ifstream file(path);
  if (!file) return false;
  std::getline(file, token);
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!token.empty() && blank(token.back())) token.pop_back();
  std::size_t start = 0;
  while (start < token.size() && blank(token[start])) ++start;
  token.erase(0, start);
  return true;
}

// Writes the ports where a script can find them: a temporary file renamed into place, so a reader
// never sees half of it.
bool write_port_file(const std::string& path, const Receiver& receiver) {
  std::string text = std::to_string(receiver.port()) + "\n";
  if (receiver.distribution_port())
    text += "distribution=" + std::to_string(*receiver.distribution_port()) + "\n";
  if (receiver.tracing_port()) text += "tracing=" + std::to_string(*receiver.tracing_port()) + "\n";
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream file(temporary, std::ios::trunc);
    file << text;
    file.flush();
    if (!file) return false;
  }
  return std::rename(temporary.c_str(), path.c_str()) == 0;
}

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = stop_listening_on_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGPIPE, &ignore, nullptr);  // a closed stdout is reported by the writer instead
}

int run_listen(ListenSettings& settings) {
  ReceiverOptions& options = settings.receiver;
  options.port = static_cast<std::uint16_t>(settings.port);
  if (settings.distribution_port >= 0)
    options.distribution_port = static_cast<std::uint16_t>(settings.distribution_port);
  if (settings.tracing_port >= 0) options.tracing_port = static_cast<std::uint16_t>(settings.tracing_port);
  options.idle_timeout = seconds_to_ms(settings.idle_timeout_seconds);
  options.request_timeout = seconds_to_ms(settings.request_timeout_seconds);
  options.token = settings.token;
  if (!settings.token_file.empty()) {
    if (!read_token_file(settings.token_file, options.token)) {
      std::cerr << "listen: cannot read --token-file " << settings.token_file << "\n";
      return kExitUsage;
    }
    if (options.token.empty()) {
      std::cerr << "listen: --token-file " << settings.token_file << " holds no token\n";
      return kExitUsage;
    }
  }

  int out_fd = -1;
  bool lines_on_stdout = false;
  if (!settings.out.empty()) {
    out_fd = ::open(settings.out.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out_fd < 0) {
      std::cerr << "listen: cannot open --out " << settings.out << ": " << std::strerror(errno) << "\n";
      return kExitUsage;
    }
    options.output_fd = out_fd;
  } else if (!settings.quiet) {
    options.output_fd = STDOUT_FILENO;
    lines_on_stdout = true;
  }
  options.report_fd = STDERR_FILENO;

  auto created = Receiver::create(options);
  if (!created.ok()) {
    std::cerr << "listen: " << created.status().message() << "\n";
    if (out_fd >= 0) ::close(out_fd);
    return kExitUsage;
  }
  Receiver& receiver = **created;
  // Handlers first: a script may signal as soon as it sees the port file. stop() before run() is kept.
  running_receiver.store(&receiver);
  install_signal_handlers();
  if (!settings.port_file.empty() && !write_port_file(settings.port_file, receiver)) {
    std::cerr << "listen: cannot write --port-file " << settings.port_file << "\n";
    running_receiver.store(nullptr);
    if (out_fd >= 0) ::close(out_fd);
    return kExitUsage;
  }
  std::ostringstream banner;
  const bool ipv6 = options.host.find(':') != std::string::npos;
  banner << "listen: listening on " << (ipv6 ? "[" + options.host + "]" : options.host) << ":"
         << receiver.port() << " (every kind)";
  if (receiver.distribution_port()) banner << ", " << *receiver.distribution_port() << " (distributions)";
  if (receiver.tracing_port()) banner << ", " << *receiver.tracing_port() << " (spans, span logs)";
  banner << (options.token.empty() ? "" : "; HTTP needs the token") << "; stop with Ctrl-C\n";
  std::cerr << banner.str() << std::flush;

  receiver.run();
  running_receiver.store(nullptr);

  const wfreceiver::ReceiverStats stats = receiver.stats();
  if (settings.json) {
    std::FILE* stream = lines_on_stdout ? stderr : stdout;
    std::fprintf(stream, "%s\n", wfreceiver::stats_json(stats).c_str());
    std::fflush(stream);
  } else {
    std::cerr << wfreceiver::stats_text(stats) << std::flush;
  }
  const bool closed = out_fd < 0 || ::close(out_fd) == 0;
  return closed && !stats.output_failed ? kExitOk : kExitUndelivered;
}

}  // namespace

void add_listen_command(CLI::App& app, int& exit_code) {
  auto settings = std::make_shared<ListenSettings>();
  CLI::App* command = app.add_subcommand(
      "listen",
      "Run a local Wavefront-compatible receiver (proxy ports and HTTP) that validates every line.\n"
      "TCP: plain or gzip lines; HTTP on the same ports: POST /report?f=wavefront|histogram|trace|spanLogs|"
      "event (gzip allowed), POST /api/v2/event (JSON), GET /health, GET /stats.\n"
      "Accepted lines are written in canonical form to stdout or --out; rejected lines are reported on "
      "stderr as '<peer>: line N: column C: <code>: <message>'. Stops on SIGINT/SIGTERM and prints a summary "
      "(stderr; with --json one JSON object on stdout, or on stderr when the lines go to stdout). Exit code "
      "0, "
      "or 3 when accepted lines could not be written, 2 for usage errors.");
  ListenSettings& s = *settings;
  command->add_option("--host", s.receiver.host, "Address to bind")->capture_default_str();
  command->add_option("--port", s.port, "Push port: every kind of line, detected per line (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  command->add_option("--port-file", s.port_file,
                      "Write the port and a newline here once listening (then distribution=P and tracing=P "
                      "lines for those ports)");
  command
      ->add_option("--distribution-port", s.distribution_port,
                   "Also listen here for distributions only (0: any)")
      ->check(CLI::Range(0, 65535));
  command
      ->add_option("--tracing-port", s.tracing_port, "Also listen here for spans and span logs only (0: any)")
      ->check(CLI::Range(0, 65535));
  auto* token = command->add_option(
      "--token", s.token,
      "HTTP requests need 'Authorization: Bearer TOKEN' (401 otherwise), GET /stats included; GET /health "
      "stays open for load-balancer health checks. A request with more than one Authorization header is "
      "refused (400), token or not. Raw TCP lines need no token");
  command->add_option("--token-file", s.token_file, "Read the --token from the first line of this file")
      ->excludes(token);
  command->add_option("--out", s.out, "Append accepted lines to this file instead of stdout");
  command->add_flag("--quiet", s.quiet, "Do not print accepted lines (they are still counted)");
  command->add_flag("--json", s.json, "Print the final summary as one JSON object");
  command
      ->add_option("--max-connections", s.receiver.max_connections,
                   "Connections served at once; more are closed")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command
      ->add_option("--idle-timeout", s.idle_timeout_seconds, "Close a connection silent this long (seconds)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command
      ->add_option("--request-timeout", s.request_timeout_seconds,
                   "An HTTP request or TCP line must complete this soon after its first byte (seconds)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--max-line-length", s.receiver.max_line_length, "Longest line accepted (bytes)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command
      ->add_option("--max-body-bytes", s.receiver.max_body_bytes,
                   "Largest HTTP body after decompression (bytes); 413 above")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command
      ->add_option("--max-header-bytes", s.receiver.max_head_bytes,
                   "Largest HTTP request head (bytes); 431 above")
      ->check(CLI::Range(std::size_t{64}, std::size_t{1} << 30))
      ->capture_default_str();
  command
      ->add_option("--max-buffered-bytes", s.receiver.max_buffered_bytes,
                   "Memory held open for unfinished work, all connections (bytes): HTTP results staged until "
                   "their request completes, unfinished lines, compressed bytes waiting, request heads and "
                   "gzip decompressors (48 KiB each); each connection's first 2 x 64 KiB are not counted. "
                   "The request that would pass it is answered 503 with Retry-After: 1 (a raw TCP stream is "
                   "closed)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->callback([settings, &exit_code] { exit_code = run_listen(*settings); });
}

}  // namespace wfsend
