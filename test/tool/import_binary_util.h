// Helpers for the tests that run the built `wfsend import`: running it with a clean environment,
// writing input files (plain or gzip), splitting output into lines, and a `wfsend listen` receiver.
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "support/subprocess.h"

namespace wfsend::import::testing {

using wavefront::testing::ProcessResult;
using wavefront::testing::Subprocess;
using wavefront::testing::TempDir;

inline Subprocess::Options clean_environment(std::optional<std::string> stdin_text = std::nullopt) {
  Subprocess::Options options;
  options.stdin_text = std::move(stdin_text);
  options.unset_environment = {"WAVEFRONT_URL", "WAVEFRONT_TOKEN"};
  return options;
}

// Runs `wfsend import <arguments>`.
inline ProcessResult run_import(std::vector<std::string> arguments,
                                std::optional<std::string> stdin_text = std::nullopt,
                                std::chrono::milliseconds deadline = std::chrono::seconds(60)) {
  arguments.insert(arguments.begin(), {WFSEND_PATH, "import"});
  return wavefront::testing::run_process(arguments, clean_environment(std::move(stdin_text)), deadline);
}

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  std::string line;
  while (std::getline(stream, line)) lines.push_back(line);
  return lines;
}

inline std::vector<std::string> sorted(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  return lines;
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream file(path, std::ios::binary);
  file << bytes;
}

inline std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

inline void write_gzip_file(const std::string& path, const std::string& text) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(gzwrite(file, text.data(), static_cast<unsigned>(text.size())), static_cast<int>(text.size()));
  gzclose(file);
}

// A CSV of `rows` rows: timestamp (epoch s), host, region, service, cpu, mem.
inline std::string generated_csv(int rows) {
  std::string text = "timestamp,host,region,service,cpu,mem\n";
  for (int row = 0; row < rows; ++row) {
    text += std::to_string(1700000000 + row / 10) + ",host-" + std::to_string(row % 10) + ",r" +
            std::to_string(row % 3) + ",\"svc, " + std::to_string(row % 4) + "\"," +
            std::to_string(row % 100) + "." + std::to_string(row % 7) + "," + std::to_string(row) + "\n";
  }
  return text;
}

// `wfsend listen` on an ephemeral port, writing accepted lines to a file.
class ListenProcess {
 public:
  explicit ListenProcess(const TempDir& directory)
      : out_path_(directory.file("listen.out")), port_path_(directory.file("listen.port")) {
    process_ =
        std::make_unique<Subprocess>(std::vector<std::string>{WFSEND_PATH, "listen", "--port", "0",
                                                              "--port-file", port_path_, "--out", out_path_},
                                     clean_environment());
    const auto port_text = wavefront::testing::wait_for_file(port_path_, std::chrono::seconds(30));
    if (port_text) port_ = std::stoi(port_text->substr(0, port_text->find('\n')));
  }
  int port() const { return port_; }
  // Stops it (SIGINT) and returns the accepted lines.
  std::vector<std::string> stop_and_read(ProcessResult* result = nullptr) {
    process_->signal(SIGINT);
    ProcessResult ended = process_->wait(std::chrono::seconds(30));
    EXPECT_TRUE(ended.exited) << ended.stderr_text;
    if (result != nullptr) *result = ended;
    return split_lines(read_file(out_path_));
  }

 private:
  std::string out_path_;
  std::string port_path_;
  std::unique_ptr<Subprocess> process_;
  int port_ = 0;
};

}  // namespace wfsend::import::testing
