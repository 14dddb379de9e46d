// Unit tests for application tags, random ids, the heartbeater and scoped spans.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "support/client_test_util.h"
#include "support/recording_sender.h"
#include "wavefront/application.h"

namespace wavefront {
namespace {

using namespace std::chrono_literals;

TEST(ApplicationTags, FromTheEnvironment) {
  ::setenv("WFTEST_APPLICATION", "shop", 1);
  ::setenv("WFTEST_SERVICE", "checkout", 1);
  ::setenv("WFTEST_TAG_team", "payments", 1);
  const ApplicationTags tags = ApplicationTags::from_environment("WFTEST_");
  EXPECT_EQ(tags.application, "shop");
  EXPECT_EQ(tags.service, "checkout");
  EXPECT_EQ(tags.cluster, "none");
  EXPECT_EQ(tags.shard, "none");
  ASSERT_EQ(tags.custom.size(), 1u);
  EXPECT_EQ(tags.custom[0], (std::pair<std::string, std::string>{"team", "payments"}));
  EXPECT_EQ(tags.as_tags()[0], (std::pair<std::string, std::string>{"application", "shop"}));
}

TEST(RandomUuid, IsAVersion4UuidAndUnique) {
  std::set<std::string> seen;
  for (int index = 0; index < 1000; ++index) {
    const std::string id = random_uuid();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[14], '4');
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b') << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Heartbeater, BeatsAtOnceThenEveryInterval) {
  testing::RecordingSender sender;
  auto clock = std::make_shared<testing::ManualClock>();
  ApplicationTags app;
  app.application = "shop";
  app.service = "checkout";
  app.custom = {{"team", "payments"}};
  HeartbeaterConfig config;
  config.clock = clock;
  Heartbeater heartbeater(sender, app, "wavefront-cpp", config);
  EXPECT_EQ(heartbeater.beats_sent(), 1u);
  clock->advance(300s);
  ASSERT_TRUE(testing::eventually([&] { return heartbeater.beats_sent() >= 2; }));
  heartbeater.stop();
  const auto lines = sender.lines();
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(
      lines[0],
      "\"~component.heartbeat\" 1 source=\"test-host\" \"application\"=\"shop\" \"service\"=\"checkout\" "
      "\"cluster\"=\"none\" \"shard\"=\"none\" \"component\"=\"wavefront-cpp\" \"team\"=\"payments\"");
  testing::expect_all_lines_valid(lines);
}

TEST(ScopedSpan, SendsOnScopeExitWithRedTagsAndParents) {
  testing::RecordingSender sender;
  ApplicationTags app;
  app.application = "shop";
  app.service = "checkout";
  std::string parent_trace;
  {
    ScopedSpan parent(sender, "handle-request", app);
    parent_trace = parent.trace_id();
    ScopedSpan child(sender, "charge-card", app, parent);
    child.add_tag("http.method", "POST");
    child.add_log({{"event", "retry"}});
    child.set_error();
    EXPECT_EQ(child.trace_id(), parent.trace_id());
  }
  const auto lines = sender.lines();
  ASSERT_EQ(lines.size(), 3u) << "child span, its span logs, then the parent";
  testing::expect_all_lines_valid(lines);
  const auto child = testing::parse_span_line(lines[0]);
  ASSERT_TRUE(child.ok()) << child.error();
  EXPECT_EQ(child->name, "charge-card");
  EXPECT_EQ(child->trace_id, parent_trace);
  ASSERT_EQ(child->parents.size(), 1u);
  const auto has = [&](const char* key, const char* value) {
    return std::find(child->tags.begin(), child->tags.end(),
                     std::pair<std::string, std::string>{key, value}) != child->tags.end();
  };
  EXPECT_TRUE(has("application", "shop"));
  EXPECT_TRUE(has("service", "checkout"));
  EXPECT_TRUE(has("cluster", "none"));
  EXPECT_TRUE(has("shard", "none"));
  EXPECT_TRUE(has("error", "true"));
  const auto parent = testing::parse_span_line(lines[2]);
  ASSERT_TRUE(parent.ok());
  EXPECT_EQ(parent->span_id, child->parents[0]);
}

}  // namespace
}  // namespace wavefront
