// `wfsend send`: one point from arguments, to standard output or a (fake) proxy, with exit codes.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/fake_proxy.h"
#include "support/subprocess.h"

namespace {

using wavefront::testing::FakeProxy;
using wavefront::testing::run_process;
using wavefront::testing::Subprocess;

Subprocess::Options without_url() {
  Subprocess::Options options;
  options.unset_environment = {"WAVEFRONT_URL", "WAVEFRONT_TOKEN"};
  return options;
}

TEST(WfsendSend, PrintsTheExactWireLineByDefault) {
  const auto result =
      run_process({WFSEND_PATH, "send", "metric", "cpu.usage", "42.5", "--source", "web-1", "--tag",
                   "env=prod", "--tag", "url=a=b", "--timestamp", "2023-11-14T22:13:20Z"},
                  without_url());
  ASSERT_TRUE(result.exited) << result.stderr_text;
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(result.stdout_text,
            "\"cpu.usage\" 42.5 1700000000 source=\"web-1\" \"env\"=\"prod\" \"url\"=\"a=b\"\n");
}

TEST(WfsendSend, DeltaAndEvent) {
  auto delta = run_process({WFSEND_PATH, "send", "delta", "jobs", "3", "--source", "w"}, without_url());
  EXPECT_EQ(delta.exit_code, 0) << delta.stderr_text;
  EXPECT_EQ(delta.stdout_text, "\"\xE2\x88\x86jobs\" 3 source=\"w\"\n");
  auto event =
      run_process({WFSEND_PATH, "send", "event", "deploy v42", "--start", "1700000000000", "--end",
                   "1700000060000", "--source", "ci", "--tag", "severity=info", "--event-tag", "release"},
                  without_url());
  EXPECT_EQ(event.exit_code, 0) << event.stderr_text;
  EXPECT_EQ(event.stdout_text,
            "@Event 1700000000000 1700000060000 \"deploy v42\" \"severity\"=\"info\" host=\"ci\" "
            "tag=\"release\"\n");
}

TEST(WfsendSend, RefusalsExplainThemselvesWithTheirExitCode) {
  auto nan = run_process({WFSEND_PATH, "send", "metric", "m", "NaN", "--source", "s"}, without_url());
  EXPECT_EQ(nan.exit_code, 1);
  EXPECT_NE(nan.stderr_text.find("non_finite_value"), std::string::npos) << nan.stderr_text;
  EXPECT_EQ(nan.stdout_text, "");

  auto negative = run_process({WFSEND_PATH, "send", "delta", "m", "-1"}, without_url());
  EXPECT_EQ(negative.exit_code, 1);
  EXPECT_NE(negative.stderr_text.find("negative_delta"), std::string::npos) << negative.stderr_text;

  auto not_number = run_process({WFSEND_PATH, "send", "metric", "m", "12abc"}, without_url());
  EXPECT_EQ(not_number.exit_code, 2);
  EXPECT_NE(not_number.stderr_text.find("not a number"), std::string::npos) << not_number.stderr_text;

  auto bad_tag = run_process({WFSEND_PATH, "send", "metric", "m", "1", "--tag", "novalue"}, without_url());
  EXPECT_EQ(bad_tag.exit_code, 2);
  EXPECT_NE(bad_tag.stderr_text.find("KEY=VALUE"), std::string::npos) << bad_tag.stderr_text;

  auto bad_url = run_process({WFSEND_PATH, "send", "metric", "m", "1", "--to", "ftp://x"}, without_url());
  EXPECT_EQ(bad_url.exit_code, 2);
  EXPECT_NE(bad_url.stderr_text.find("--to"), std::string::npos) << bad_url.stderr_text;

  auto usage = run_process({WFSEND_PATH, "send", "metric"}, without_url());
  EXPECT_EQ(usage.exit_code, 2);
}

TEST(WfsendSend, DeliversToAProxyOverTcp) {
  auto proxy = FakeProxy::start();
  ASSERT_NE(proxy, nullptr);
  const std::string url = "tcp://127.0.0.1:" + std::to_string(proxy->port());
  auto result =
      run_process({WFSEND_PATH, "send", "metric", "m", "1", "--source", "s", "--to", url}, without_url());
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  ASSERT_TRUE(proxy->wait_for_lines(1, std::chrono::seconds(10)));
  EXPECT_EQ(proxy->lines()[0], "\"m\" 1 source=\"s\"");
}

TEST(WfsendSend, UsesWavefrontUrlFromTheEnvironment) {
  auto proxy = FakeProxy::start();
  ASSERT_NE(proxy, nullptr);
  Subprocess::Options options = without_url();
  options.extra_environment = {"WAVEFRONT_URL=tcp://127.0.0.1:" + std::to_string(proxy->port())};
  auto result = run_process({WFSEND_PATH, "send", "metric", "m", "2", "--source", "s"}, options);
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(result.stdout_text, "");
  ASSERT_TRUE(proxy->wait_for_lines(1, std::chrono::seconds(10)));
}

TEST(WfsendSend, AnUnreachableProxyIsExitCodeThreeWithinTheCloseTimeout) {
  const std::uint16_t port = FakeProxy::reserve_port();
  ASSERT_NE(port, 0);
  const auto started = std::chrono::steady_clock::now();
  auto result = run_process({WFSEND_PATH, "send", "metric", "m", "1", "--to",
                             "tcp://127.0.0.1:" + std::to_string(port), "--close-timeout", "1"},
                            without_url(), std::chrono::seconds(30));
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_code, 3) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("not delivered"), std::string::npos) << result.stderr_text;
  // Not a timing assertion on the machine's speed: the process must not wait far beyond its deadline.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
}

}  // namespace
