// Running `wfsend import` once its options are parsed: check the options, open the input, plan the
// CSV columns, open the destination, import with progress, flush and close with the deadline, print
// the summary and choose the exit code. import_command.cc registers the options and calls run_import.
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
#include "wfsend/import/csv_import.h"

namespace wfsend::import {

struct ImportCommandOptions {
  std::string path;    // FILE, or "-" for standard input
  std::string format;  // csv, lines, jsonl; empty: from the file name
  // CSV (as given on the command line; checked by run_import)
  std::vector<std::string> value_columns;
  std::string name_column;
  std::string timestamp_column;
  std::string timestamp_unit = "auto";
  std::string source_column;
  std::vector<std::string> tag_columns;
  std::string name;
  std::string prefix;
  std::string source;
  std::vector<std::string> tags;  // k=v
  std::string delimiter;          // empty: ',' (tab for .tsv)
  bool no_header = false;
  bool delta = false;
  // all formats
  std::string aggregate;  // minute, hour, day; empty: send points
  std::uint64_t max_errors = 0;
  std::uint64_t max_messages = 100;
  bool quiet = false;
  bool json = false;
  DestinationOptions destination;
};

// Returns the exit code (commands.h).
int run_import(const ImportCommandOptions& options);

}  // namespace wfsend::import
