// Keeping secrets given on the command line out of the process title (`ps`, /proc/PID/cmdline).
//
// main() calls hide_secrets() before parsing: it copies the arguments for the parser, then overwrites,
// in the process's own argv memory, the token of any `scheme://TOKEN@host` URL and the value of
// `--token`, with '*'. Other users on the machine can read a process's command line; they then see
// `https://*****@host`.
#pragma once

#include <string>
#include <vector>

namespace wfsend {

// Returns copies of argv[0..argc) (what the parser should read) and scrubs the secrets in argv.
std::vector<std::string> hide_secrets(int argc, char** argv);

}  // namespace wfsend
