// Tags at the call site: the positional sends accept the containers people use (std::map,
// std::unordered_map, vectors of pairs, braced lists), and a variable of `Tags` owns its strings, so
// `Tags tags{{"env", prefix + "x"}};` no longer views a destroyed temporary. The traits below fail to
// compile if Tags turns back into a view; the runtime tests read freed memory under ASan
// (scripts/sanitize.sh address) if it does.
#include <gtest/gtest.h>

#include <list>
#include <map>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "support/recording_sender.h"
#include "wavefront/types.h"

namespace wavefront {
namespace {

// What a variable of tags is: owning. What the send calls take: a view, never stored by them.
static_assert(owns_its_strings<Tags>::value, "Tags must own its strings");
static_assert(!owns_its_strings<TagList>::value, "TagList is a view");
static_assert(std::is_same_v<Tags::value_type, std::pair<std::string, std::string>>,
              "Tags holds std::string keys and values");
// Every container the issue names converts to the view the send calls take.
static_assert(std::is_convertible_v<const std::map<std::string, std::string>&, TagList>);
static_assert(std::is_convertible_v<const std::unordered_map<std::string, std::string>&, TagList>);
static_assert(std::is_convertible_v<const std::vector<std::pair<std::string, std::string>>&, TagList>);
static_assert(std::is_convertible_v<const Tags&, TagList>);
static_assert(std::is_convertible_v<const std::list<Tag>&, TagList>);
// Containers whose elements are not key/value strings stay refused.
static_assert(!std::is_convertible_v<const std::map<std::string, int>&, TagList>);
static_assert(!std::is_convertible_v<const std::vector<int>&, TagList>);

TEST(TagsOwnership, StoredTagsBuiltFromTemporariesStayValid) {
  std::string prefix = "prod";
  const Tags tags{{"env", prefix + "x"}, {std::string("zo") + "ne", "a"}};
  // Overwrite what the temporaries' memory may have held: a view would now read freed memory.
  prefix.assign(64, '#');
  const std::string noise(64, '?');
  testing::RecordingSender sender;
  ASSERT_TRUE(sender.send_metric("m", 1, 1700000000, "h", tags).ok());
  ASSERT_EQ(sender.lines().size(), 1u);
  EXPECT_EQ(sender.lines()[0], "\"m\" 1 1700000000 source=\"h\" \"env\"=\"prodx\" \"zone\"=\"a\"");
}

TEST(TagsOwnership, PositionalSendsAcceptStdMapAndUnorderedMap) {
  testing::RecordingSender sender;
  const std::map<std::string, std::string> ordered = {{"b", "2"}, {"a", "1"}};
  ASSERT_TRUE(sender.send_metric("m", 1, 1700000000, "h", ordered).ok());
  const std::unordered_map<std::string, std::string> hashed = {{"k", "v"}};
  ASSERT_TRUE(sender.send_delta_counter("d", 2, {}, "h", hashed).ok());
  ASSERT_TRUE(
      sender.send_distribution("dist", {{1.5, 2}}, Granularity::minute, 1700000040, "h", ordered).ok());
  ASSERT_TRUE(sender.send_event("e", 1700000000000, 0, "h", ordered).ok());
  const std::vector<std::string> lines = sender.lines();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "\"m\" 1 1700000000 source=\"h\" \"a\"=\"1\" \"b\"=\"2\"");
  EXPECT_NE(lines[1].find("\"k\"=\"v\""), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("\"a\"=\"1\" \"b\"=\"2\""), std::string::npos) << lines[2];
  EXPECT_EQ(lines[3], "@Event 1700000000000 1700000000001 \"e\" \"a\"=\"1\" \"b\"=\"2\" host=\"h\"");
}

TEST(TagsOwnership, NodeContainersReadEveryElementInOrder) {
  std::map<std::string, std::string> many;
  std::string expected;
  for (int index = 0; index < 30; ++index) {
    const std::string key = "k" + std::to_string(100 + index);
    many.emplace(key, "v");
    expected += key + "=v;";
  }
  const TagList view = many;
  std::string text;
  for (const Tag tag : view) text += std::string(tag.key) + "=" + std::string(tag.value) + ";";
  EXPECT_EQ(text, expected);
  EXPECT_EQ(view.size(), many.size());
}

}  // namespace
}  // namespace wavefront
