// Running `wfsend import` once its options are parsed: the short driver over the format registry
// (importer.h). Pick the format (--format, or the file name's ending), let it check its options, open
// the input, let the importer start (CSV plans its columns), open the destination, import with
// progress, flush and close with the deadline, print the summary and choose the exit code.
// import_command.cc registers the options (the formats add their own) and calls run_import.
//
// Order matters for the user: everything that can be a usage error (exit 2: a bad option, an unreadable
// file, an unknown column, a bad URL) is found before anything is sent.
//
// Thread-safety: run_import runs on the main thread; it installs SIGINT/SIGTERM handlers while it runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wfsend/destination.h"
#include "wfsend/import/importer.h"

namespace wfsend::import {

struct ImportCommandOptions {
  std::string path;    // FILE, or "-" for standard input
  std::string format;  // a registered format's name; empty: from the file name
  // all formats
  std::string aggregate;  // minute, hour, day; empty: send points
  std::uint64_t max_errors = 0;
  std::uint64_t max_messages = 100;
  bool quiet = false;
  bool json = false;
  DestinationOptions destination;
};

// Returns the exit code (commands.h).
int run_import(const ImportCommandOptions& options, ImportFormats& formats);

}  // namespace wfsend::import
