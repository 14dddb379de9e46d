// Every line of the interop corpus (test/interop/) through LineReader: lines the proxy accepts are
// accepted as the kind the SDK sent, and their canonical form reads back to itself (the same meaning);
// lines the proxy refuses are refused with a code, a message and a column.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "support/interop_corpus.h"
#include "wavefront/line_reader.h"

namespace {

using wavefront::LineKind;
using wavefront::LineReader;
using wavefront::testing::InteropLine;

std::vector<InteropLine> corpus() { return wavefront::testing::load_interop_corpus(WAVEFRONT_INTEROP_DIR); }

class InteropReaderTest : public ::testing::TestWithParam<InteropLine> {};

TEST_P(InteropReaderTest, ReadsAsTheProxyDoes) {
  const InteropLine& row = GetParam();
  ASSERT_FALSE(row.kind.empty()) << row.file << ":" << row.number << " is not outcome<TAB>kind<TAB>line";
  wavefront::LineReaderOptions options;
  options.format.default_source = "peer";
  LineReader reader(options);
  const LineKind kind = wavefront::testing::interop_line_kind(row.kind);
  const wavefront::Status status = reader.read(row.line, kind);
  if (!row.accept) {
    EXPECT_FALSE(status.ok()) << row.line << " was accepted as " << reader.canonical();
    EXPECT_GT(reader.error_column(), 0u);
    EXPECT_FALSE(status.message().empty());
    return;
  }
  ASSERT_TRUE(status.ok()) << row.line << "\n"
                           << status.to_string() << " at column " << reader.error_column();
  EXPECT_EQ(reader.parsed().kind, kind);
  if (row.kind == "delta") {
    EXPECT_TRUE(reader.parsed().delta);
  }
  // The canonical line means the same: it reads back to itself, as the same kind.
  const std::string canonical(reader.canonical());
  ASSERT_FALSE(canonical.empty());
  ASSERT_EQ(canonical.back(), '\n');
  const wavefront::Status again =
      reader.read(std::string_view(canonical).substr(0, canonical.size() - 1), kind);
  ASSERT_TRUE(again.ok()) << canonical << again.to_string();
  EXPECT_EQ(reader.canonical(), canonical);
}

INSTANTIATE_TEST_SUITE_P(Corpus, InteropReaderTest, ::testing::ValuesIn(corpus()),
                         [](const ::testing::TestParamInfo<InteropLine>& param) {
                           return wavefront::testing::interop_test_name(param.param);
                         });

// The corpus covers every SDK and every data type it writes (a file left out would pass silently).
TEST(InteropCorpus, CoversEverySdkAndDataType) {
  std::map<std::string, std::set<std::string>> kinds;
  for (const InteropLine& row : corpus()) kinds[row.file].insert(row.kind);
  const std::set<std::string> all = {"metric", "delta", "distribution", "span", "span_logs", "event"};
  EXPECT_EQ(kinds["python_sdk.tsv"], all);
  EXPECT_EQ(kinds["java_sdk.tsv"], all);
  EXPECT_EQ(kinds["go_sdk.tsv"], all);
  EXPECT_EQ(kinds["java_lib_decoders.tsv"], all);
  EXPECT_EQ(kinds["csharp_sdk.tsv"], (std::set<std::string>{"metric", "distribution", "span", "span_logs"}));
  EXPECT_EQ(kinds["cpp_sdk.tsv"], (std::set<std::string>{"metric", "distribution", "span"}));
}

}  // namespace
