// The soak's resident-memory sampler (see rss_monitor.h).
#include "soak/rss_monitor.h"

#include <malloc.h>

#include <fstream>
#include <sstream>
#include <string>

namespace wavefront::soak {
namespace {

constexpr auto kSampleInterval = std::chrono::milliseconds(100);
constexpr double kTimelineStepSeconds = 1.0;

}  // namespace

std::uint64_t resident_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.compare(0, 6, "VmRSS:") != 0) continue;
    std::istringstream fields(line.substr(6));
    std::uint64_t kibibytes = 0;
    fields >> kibibytes;
    return kibibytes * 1024;
  }
  return 0;
}

std::uint64_t heap_in_use_bytes() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

void release_freed_memory() { malloc_trim(0); }

void use_fixed_mmap_threshold() {
  constexpr int kMmapThreshold = 128 * 1024;
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);  // setting it also turns the dynamic adjustment off
}

void RssMonitor::start() {
  started_ = std::chrono::steady_clock::now();
  thread_ = std::thread([this] { run(); });
}

void RssMonitor::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RssMonitor::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    const std::uint64_t bytes = resident_bytes();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    lock.lock();
    ++samples_;
    if (bytes > peak_.bytes) peak_ = Sample{seconds, bytes, 0};
    if (timeline_.empty() || seconds >= timeline_.back().seconds + kTimelineStepSeconds) {
      timeline_.push_back(Sample{seconds, bytes, heap_in_use_bytes()});
    }
    stop_requested_.wait_for(lock, kSampleInterval, [this] { return stopping_; });
  }
}

std::uint64_t RssMonitor::peak_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return peak_.bytes;
}

double RssMonitor::peak_seconds() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return peak_.seconds;
}

std::uint64_t RssMonitor::samples() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return samples_;
}

std::vector<RssMonitor::Sample> RssMonitor::timeline() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return timeline_;
}

}  // namespace wavefront::soak
