// The conformance vectors (test/vectors/*.jsonl, copied from the spec), read for the tests that run
// them: the formatters' conformance test and `wfsend import --format jsonl`. One vector per line, in
// file-name order; any *.jsonl file in the directory is picked up.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace wavefront::testing {

struct ConformanceVector {
  std::string file;  // the file name, e.g. "metrics.jsonl"
  std::string id;
  nlohmann::ordered_json call;
  nlohmann::ordered_json expect;
};

// Test listings show the vector's file and id, not its bytes.
inline void PrintTo(const ConformanceVector& vector, std::ostream* out) {
  *out << vector.file << ":" << vector.id;
}

inline std::vector<ConformanceVector> load_conformance_vectors(const std::string& directory) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<ConformanceVector> vectors;
  for (const auto& path : files) {
    std::ifstream input(path);
    std::string line;
    while (std::getline(input, line)) {
      if (line.empty()) continue;
      const auto parsed = nlohmann::ordered_json::parse(line);
      vectors.push_back({path.filename().string(), parsed.at("id").get<std::string>(), parsed.at("call"),
                         parsed.at("expect")});
    }
  }
  return vectors;
}

}  // namespace wavefront::testing
