// Unit tests for the metric registry, the reporter and the histogram's time bins, with a manual clock
// and a recording sender whose lines the strict parser judges.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <thread>

#include "support/client_test_util.h"
#include "support/recording_sender.h"
#include "wavefront/metrics.h"
#include "wavefront/reporter.h"

namespace wavefront {
namespace {

using namespace std::chrono_literals;
using testing::ManualClock;
using testing::RecordingSender;

TEST(MetricRegistry, SameNameAndTagsInAnyOrderIsTheSameMetric) {
  MetricRegistry registry;
  Counter& first = registry.counter("requests", {{"a", "1"}, {"b", "2"}});
  Counter& second = registry.counter("requests", {{"b", "2"}, {"a", "1"}});
  Counter& other = registry.counter("requests", {{"a", "1"}});
  EXPECT_EQ(&first, &second);
  EXPECT_NE(&first, &other);
  EXPECT_EQ(registry.size(), 2u);
}

TEST(MetricRegistry, CountersAreExactUnderConcurrentUpdates) {
  MetricRegistry registry;
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 4; ++thread) {
    threads.emplace_back([&] {
      Counter& counter = registry.counter("hits");
      DeltaCounter& delta = registry.delta_counter("events");
      for (int index = 0; index < 50'000; ++index) {
        counter.inc();
        delta.inc(2);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(registry.counter("hits").value(), 200'000);
  EXPECT_EQ(registry.delta_counter("events").value(), 400'000);
}

TEST(Reporter, SendsEveryKindAsTheSpecSays) {
  MetricRegistry registry;
  RecordingSender sender;
  registry.counter("c", {{"k", "v"}}).inc(5);
  registry.delta_counter("d").inc(3);
  registry.gauge("g").set(2.5);
  registry.gauge_callback("cb", {}, [] { return 7.0; });
  std::uint64_t total = 10;
  registry.cumulative_callback("total", {}, [&] { return total; });
  ReporterConfig config;
  config.source = "src";
  config.prefix = "app.";
  config.global_tags = {{"env", "prod"}};
  EXPECT_EQ(report_registry(registry, sender, config, false), 0u);
  EXPECT_EQ(sender.lines(), (std::vector<std::string>{
                                "\"app.c\" 5 source=\"src\" \"env\"=\"prod\" \"k\"=\"v\"",
                                "\"\xE2\x88\x86"
                                "app.d\" 3 source=\"src\" \"env\"=\"prod\"",
                                "\"app.g\" 2.5 source=\"src\" \"env\"=\"prod\"",
                                "\"app.cb\" 7 source=\"src\" \"env\"=\"prod\"",
                                "\"\xE2\x88\x86"
                                "app.total\" 10 source=\"src\" \"env\"=\"prod\"",
                            }));
  sender.clear();
  total = 15;
  report_registry(registry, sender, config, false);
  const auto second = sender.lines();
  EXPECT_EQ(std::count_if(second.begin(), second.end(),
                          [](const std::string& line) { return line.find("app.d") != std::string::npos; }),
            0)
      << "a delta counter with nothing new sends nothing";
  EXPECT_NE(std::find(second.begin(), second.end(),
                      "\"\xE2\x88\x86"
                      "app.total\" 5 source=\"src\" \"env\"=\"prod\""),
            second.end());
  testing::expect_all_lines_valid(second);
}

TEST(Histogram, SamplesGoIntoMinuteBinsOnTheInjectedClock) {
  auto clock = std::make_shared<ManualClock>();
  HistogramOptions options;
  options.clock = clock;
  options.granularities = Granularity::minute | Granularity::hour;
  Histogram histogram(options);
  const auto now_seconds = [&] {
    return std::chrono::duration_cast<std::chrono::seconds>(clock->wall_time().time_since_epoch()).count();
  };
  const std::int64_t first_bin = now_seconds() - now_seconds() % 60;
  for (int value = 1; value <= 100; ++value) histogram.update(value);
  histogram.update(std::nan(""));
  EXPECT_EQ(histogram.ignored(), 1u);
  EXPECT_EQ(histogram.count(), 100);
  EXPECT_EQ(histogram.min(), 1);
  EXPECT_EQ(histogram.max(), 100);
  EXPECT_EQ(histogram.sum(), 5050);
  EXPECT_NEAR(histogram.quantile(0.5), 50.5, 1.0);
  EXPECT_TRUE(histogram.take_completed(false).empty()) << "the current bin is not complete";

  clock->advance(60s);
  histogram.update(1000);
  EXPECT_EQ(histogram.count(), 1) << "statistics cover the current bin";
  const auto completed = histogram.take_completed(false);
  ASSERT_EQ(completed.size(), 1u);
  EXPECT_EQ(completed[0].start_seconds, first_bin);
  std::int64_t count = 0;
  for (const Centroid& centroid : completed[0].centroids) count += centroid.count;
  EXPECT_EQ(count, 100);
  EXPECT_TRUE(histogram.take_completed(false).empty()) << "a bin is handed out once";
  const auto last = histogram.take_completed(true);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].start_seconds, first_bin + 60);
}

TEST(Histogram, ConcurrentUpdatesAreAllCounted) {
  Histogram histogram;
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 4; ++thread) {
    threads.emplace_back([&, thread] {
      for (int index = 0; index < 20'000; ++index) histogram.update(thread * 1000 + index % 1000);
    });
  }
  for (auto& thread : threads) thread.join();
  std::int64_t count = 0;
  for (const auto& bin : histogram.take_completed(true)) {
    for (const Centroid& centroid : bin.centroids) count += centroid.count;
  }
  EXPECT_EQ(count, 80'000);
}

std::int64_t centroid_total(const std::vector<Histogram::Bin>& bins) {
  std::int64_t count = 0;
  for (const auto& bin : bins) {
    for (const Centroid& centroid : bin.centroids) count += centroid.count;
  }
  return count;
}

TEST(Histogram, SamplesOfThreadsThatExitedAreKept) {
  Histogram histogram;
  // Threads that come and go, two at a time, each leaving fewer samples than fill its buffer and more.
  for (int round = 0; round < 20; ++round) {
    std::thread first([&] {
      for (int index = 0; index < 100; ++index) histogram.update(index);
    });
    std::thread second([&] {
      for (int index = 0; index < 1000; ++index) histogram.update(index);
    });
    first.join();
    second.join();
  }
  EXPECT_EQ(histogram.count(), 20 * 1100);
  EXPECT_EQ(histogram.min(), 0);
  EXPECT_EQ(histogram.max(), 999);
  EXPECT_EQ(centroid_total(histogram.take_completed(true)), 20 * 1100);
  EXPECT_EQ(histogram.count(), 0) << "taken once";
}

TEST(Histogram, TakingWhileThreadsUpdateLosesAndRepeatsNothing) {
  auto clock = std::make_shared<ManualClock>();
  HistogramOptions options;
  options.clock = clock;
  Histogram histogram(options);
  std::atomic<int> running{2};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 2; ++thread) {
    threads.emplace_back([&] {
      for (int index = 0; index < 50'000; ++index) histogram.update(index % 777);
      running.fetch_sub(1);
    });
  }
  std::int64_t taken = 0;
  while (running.load() > 0) {
    taken += centroid_total(histogram.take_completed(true));
    clock->advance(60s);  // the updaters move to a new bin while samples of the old one are buffered
  }
  for (auto& thread : threads) thread.join();
  taken += centroid_total(histogram.take_completed(true));
  EXPECT_EQ(taken, 100'000);
}

TEST(Histogram, ManyHistogramsOnOneThread) {
  // More histograms than a thread's slot cache has entries, some destroyed and replaced as it goes.
  std::vector<std::unique_ptr<Histogram>> histograms;
  for (int index = 0; index < 40; ++index) histograms.push_back(std::make_unique<Histogram>());
  for (int round = 0; round < 3; ++round) {
    for (int index = 0; index < 40; ++index) {
      for (int sample = 0; sample < 300; ++sample) histograms[index]->update(sample);
    }
    histograms[round] = std::make_unique<Histogram>();  // a fresh one in place of a used one
  }
  for (int index = 0; index < 40; ++index) {
    // Histogram `round` was replaced after that round, so it saw only the rounds after it.
    const std::int64_t rounds = index < 3 ? 2 - index : 3;
    EXPECT_EQ(histograms[index]->count(), rounds * 300) << index;
  }
}

TEST(Reporter, ReportsOnItsIntervalAndFinallyOnStop) {
  auto clock = std::make_shared<ManualClock>();
  MetricRegistry registry(HistogramOptions{Granularity::minute, 100, clock});
  RecordingSender sender;
  ReporterConfig config;
  config.interval = 60s;
  config.clock = clock;
  Reporter reporter(registry, sender, config);
  registry.counter("c").inc();
  Timer& timer = registry.timer("t");
  timer.record(std::chrono::milliseconds(250));
  clock->advance(61s);
  ASSERT_TRUE(testing::eventually([&] { return reporter.reports() >= 1; }));
  EXPECT_FALSE(sender.lines().empty());
  timer.record(std::chrono::milliseconds(40));  // in the current bin: only the final report sends it
  reporter.stop();
  const auto lines = sender.lines();
  testing::expect_all_lines_valid(lines);
  const auto distributions = std::count_if(lines.begin(), lines.end(),
                                           [](const std::string& line) { return line.rfind("!M ", 0) == 0; });
  EXPECT_EQ(distributions, 2) << "the completed bin at the first report, the current one at the last";
  bool saw_250 = false;
  for (const std::string& line : lines) saw_250 = saw_250 || line.find(" 250 \"t\"") != std::string::npos;
  EXPECT_TRUE(saw_250) << "timers record milliseconds";
}

}  // namespace
}  // namespace wavefront
