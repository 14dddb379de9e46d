// wfsend: send points, import files, lint lines and run a local receiver; see `wfsend --help`.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "wavefront/version.h"
#include "wfsend/commands.h"
#include "wfsend/process_title.h"

namespace {

int run(int argc, char** argv) {
  CLI::App app{
      "wfsend " WAVEFRONT_VERSION_STRING
      ": send data to Wavefront, import CSV/JSONL/wire-format files, lint lines, run a local receiver.\n"
      "Exit codes: 0 all sent, 1 some input refused, 2 usage error, 3 some data not delivered, "
      "130 interrupted."};
  app.require_subcommand(1, 1);
  app.set_version_flag("--version", WAVEFRONT_VERSION_STRING);
  int exit_code = wfsend::kExitOk;
  wfsend::add_send_command(app, exit_code);
  wfsend::add_import_command(app, exit_code);
  wfsend::add_lint_command(app, exit_code);
  wfsend::add_listen_command(app, exit_code);
  // Tokens in arguments are copied for the parser and blanked in the process title.
  const std::vector<std::string> arguments = wfsend::hide_secrets(argc, argv);
  std::vector<const char*> argument_pointers;
  argument_pointers.reserve(arguments.size());
  for (const std::string& argument : arguments) argument_pointers.push_back(argument.c_str());
  try {
    app.parse(argc, argument_pointers.data());
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : wfsend::kExitUsage;
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "wfsend: internal error: %s\n", error.what());
  } catch (...) {
    std::fprintf(stderr, "wfsend: internal error: unknown exception\n");
  }
  return wfsend::kExitInternal;
}
