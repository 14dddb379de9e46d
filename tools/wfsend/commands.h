// The subcommands of wfsend and the exit codes they share (wfsend's main and its tests call these).
//
// Each add_*_command registers one subcommand, its options and a callback that runs it and stores its
// exit code in `exit_code`. Every subcommand reports problems on stderr and results on stdout.
#pragma once

namespace CLI {
class App;
}

namespace wfsend {

// Exit codes, the same for every subcommand (documented in `wfsend --help` and the README).
inline constexpr int kExitOk = 0;             // everything read was valid and delivered
inline constexpr int kExitRejected = 1;       // some input was refused (bad rows, lint problems)
inline constexpr int kExitUsage = 2;          // bad options, URL or unreadable input
inline constexpr int kExitUndelivered = 3;    // some accepted data was dropped or not delivered in time
inline constexpr int kExitWarnings = 4;       // lint: no errors, but warnings (without --strict)
inline constexpr int kExitInternal = 70;      // a bug: an unexpected exception (EX_SOFTWARE)
inline constexpr int kExitInterrupted = 130;  // stopped by SIGINT/SIGTERM before the end of the input

void add_send_command(CLI::App& app, int& exit_code);
void add_import_command(CLI::App& app, int& exit_code);
void add_lint_command(CLI::App& app, int& exit_code);
void add_listen_command(CLI::App& app, int& exit_code);

}  // namespace wfsend
