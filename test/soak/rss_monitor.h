// Samples the soak process's resident memory (VmRSS in /proc/self/status) every 100 ms on its own
// thread, keeping the peak, when it happened, and one sample per second for the report's timeline.
//
// Thread-safety: start()/stop() from one thread; the accessors from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace wavefront::soak {

// VmRSS of this process in bytes, or 0 if it cannot be read.
std::uint64_t resident_bytes();
// Bytes malloc has handed out and not yet been given back (all arenas): what the program holds, as opposed
// to what the allocator keeps resident.
std::uint64_t heap_in_use_bytes();
// Gives free heap pages back to the system (malloc_trim). The soak calls it after it discards a fake and
// what it recorded, so that the allocator's cache of the harness's own freed blocks does not count as the
// sender's memory; blocks anything still holds are untouched, so a leak stays visible.
void release_freed_memory();
// Makes malloc serve every block of at least 128 KiB with its own mapping, returned to the system when
// freed, instead of letting the threshold drift up to 32 MiB (glibc's default), where the fakes' and
// ledgers' growing buffers leave freed holes in per-thread arenas that stay resident. Call before any
// thread starts.
void use_fixed_mmap_threshold();

class RssMonitor {
 public:
  struct Sample {
    double seconds = 0;  // since start()
    std::uint64_t bytes = 0;
    std::uint64_t heap_bytes = 0;  // heap_in_use_bytes() at the same time
  };

  RssMonitor() = default;
  ~RssMonitor() { stop(); }
  RssMonitor(const RssMonitor&) = delete;
  RssMonitor& operator=(const RssMonitor&) = delete;

  void start();
  void stop();

  std::uint64_t peak_bytes() const;
  double peak_seconds() const;
  std::uint64_t samples() const;
  std::vector<Sample> timeline() const;  // one per second

 private:
  void run();

  mutable std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;
  std::thread thread_;
  std::chrono::steady_clock::time_point started_;
  Sample peak_;
  std::uint64_t samples_ = 0;
  std::vector<Sample> timeline_;
};

}  // namespace wavefront::soak
