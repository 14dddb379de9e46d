// Every ```cpp block of README.md must appear verbatim in examples/readme_snippets.cc (which the build
// compiles), so the README cannot show code that does not compile against the current API.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> readme_blocks(const std::string& readme) {
  std::vector<std::string> blocks;
  const std::string open = "```cpp\n";
  std::size_t at = readme.find(open);
  while (at != std::string::npos) {
    const std::size_t start = at + open.size();
    const std::size_t end = readme.find("```\n", start);
    if (end == std::string::npos) break;
    blocks.push_back(readme.substr(start, end - start));
    at = readme.find(open, end + 4);
  }
  return blocks;
}

// The compiled regions, with the two-space indentation of the function bodies removed.
std::vector<std::string> compiled_regions(const std::string& source) {
  std::vector<std::string> regions;
  std::istringstream lines(source);
  std::string line;
  std::string region;
  bool inside = false;
  while (std::getline(lines, line)) {
    if (line.find("// readme:begin") != std::string::npos) {
      inside = true;
      region.clear();
    } else if (line.find("// readme:end") != std::string::npos) {
      inside = false;
      regions.push_back(region);
    } else if (inside) {
      region += (line.rfind("  ", 0) == 0 ? line.substr(2) : line) + "\n";
    }
  }
  return regions;
}

TEST(ReadmeSnippets, EveryCppBlockIsCompiledVerbatim) {
  const std::string root = WAVEFRONT_SOURCE_DIR;
  const std::vector<std::string> blocks = readme_blocks(read_file(root + "/README.md"));
  const std::vector<std::string> regions = compiled_regions(read_file(root + "/examples/readme_snippets.cc"));
  ASSERT_FALSE(blocks.empty());
  for (const std::string& block : blocks) {
    bool found = false;
    for (const std::string& region : regions) found = found || region == block;
    EXPECT_TRUE(found) << "README block not in examples/readme_snippets.cc:\n" << block;
  }
  EXPECT_EQ(blocks.size(), regions.size()) << "a compiled region is no longer in the README";
}

}  // namespace
