// Unit tests for ListView: the containers and braced lists the send calls accept.
#include "wavefront/list_view.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "wavefront/types.h"

namespace wavefront {
namespace {

std::string join(TagList tags) {
  std::string text;
  for (const Tag tag : tags) text += std::string(tag.key) + "=" + std::string(tag.value) + ";";
  return text;
}

std::string join(Strings strings) {
  std::string text;
  for (std::string_view item : strings) text += std::string(item) + ";";
  return text;
}

TEST(ListView, AcceptsBracedLists) {
  EXPECT_EQ(join({{"a", "1"}, {"b", "2"}}), "a=1;b=2;");
  EXPECT_EQ(join(TagList{}), "");
  EXPECT_EQ(join(Strings{"x", "y"}), "x;y;");
}

TEST(ListView, AcceptsContainersOfConvertibleElements) {
  const std::vector<std::pair<std::string, std::string>> owned = {{"env", "prod"}, {"zone", "a"}};
  EXPECT_EQ(join(owned), "env=prod;zone=a;");
  const std::array<Tag, 2> array = {Tag{"k", "v"}, Tag{"l", "w"}};
  EXPECT_EQ(join(array), "k=v;l=w;");
  const std::vector<std::pair<std::string_view, const char*>> mixed = {{"m", "n"}};
  EXPECT_EQ(join(mixed), "m=n;");
  const std::vector<std::string> ids = {"p", "q"};
  EXPECT_EQ(join(ids), "p;q;");
  const std::vector<Centroid> centroids = {{1.5, 2}};
  const Centroids view = centroids;
  EXPECT_EQ(view.size(), 1u);
  EXPECT_EQ(view[0].count, 2);
}

TEST(GranularitySet, CombinesAndTests) {
  const GranularitySet set = Granularity::minute | Granularity::day;
  EXPECT_TRUE(set.contains(Granularity::minute));
  EXPECT_FALSE(set.contains(Granularity::hour));
  EXPECT_TRUE(set.contains(Granularity::day));
  EXPECT_TRUE(GranularitySet().empty());
  EXPECT_EQ(GranularitySet({Granularity::hour, Granularity::hour}).bits(),
            GranularitySet(Granularity::hour).bits());
}

}  // namespace
}  // namespace wavefront
