// Application tags, the heartbeater, and span helpers for code that emits spans without a tracer.
//
// Wavefront's application views group data by application, service, cluster and shard. Describe
// your process once with `ApplicationTags` (or read it from the environment), start a `Heartbeater`
// so the application shows up even while it is quiet, and use `ScopedSpan` to time an operation and
// send it as a span with the tags those views need:
//
//   auto app = wavefront::ApplicationTags::from_environment("WF_");  // WF_APPLICATION, WF_SERVICE, ...
//   wavefront::Heartbeater heartbeater(sender, app, "checkout");
//   {
//     wavefront::ScopedSpan span(sender, "charge-card", app);
//     span.add_tag("http.method", "POST");
//   }  // sent here, with its measured duration
//
// `ScopedSpan` derives no RED metrics, does not sample and does not propagate: services should use a
// `Tracer` (tracer.h; migration in CHANGELOG.md).
//
// Thread-safety: ApplicationTags is a value. Heartbeater's methods are thread-safe; in a child of
// fork() it beats no more, and stopping or destroying it there does not wait. A ScopedSpan belongs
// to one thread at a time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wavefront/clock.h"
#include "wavefront/export.h"
#include "wavefront/sender.h"

namespace wavefront {

namespace internal {
class OwnedThread;
}

struct WAVEFRONT_API ApplicationTags {
  std::string application;
  std::string service;
  std::string cluster = "none";
  std::string shard = "none";
  std::vector<std::pair<std::string, std::string>> custom;

  // Reads <prefix>APPLICATION, <prefix>SERVICE, <prefix>CLUSTER, <prefix>SHARD, and every
  // <prefix>TAG_<key>=<value> as a custom tag. Unset fields keep their defaults ("none" for cluster
  // and shard, empty application and service).
  static ApplicationTags from_environment(std::string_view prefix);

  // application, service, cluster, shard, then the custom tags: what spans and heartbeats carry.
  std::vector<std::pair<std::string, std::string>> as_tags() const;
};

// A random (version 4) UUID in canonical lower-case form, for trace and span ids.
WAVEFRONT_API std::string random_uuid();

struct HeartbeaterConfig {
  std::chrono::milliseconds interval{300000};  // Wavefront's SDKs beat every 5 minutes
  std::string source;                          // empty: the sender's default source
  std::shared_ptr<Clock> clock;                // real clocks when null
};

// Sends `~component.heartbeat` = 1 with the application tags and `component`, at once and then every
// interval, from its own thread, until destroyed or stopped.
class WAVEFRONT_API Heartbeater {
 public:
  Heartbeater(Sender& sender, const ApplicationTags& application, std::string component,
              HeartbeaterConfig config = HeartbeaterConfig());
  ~Heartbeater();
  Heartbeater(const Heartbeater&) = delete;
  Heartbeater& operator=(const Heartbeater&) = delete;

  void stop();
  std::uint64_t beats_sent() const;

 private:
  void run(std::chrono::steady_clock::time_point next_beat);
  void beat();

  Sender& sender_;
  std::vector<std::pair<std::string, std::string>> tags_;
  HeartbeaterConfig config_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::uint64_t beats_ = 0;
  std::unique_ptr<internal::OwnedThread> thread_;  // not joined after fork(): it is not in the child
};

// Times an operation and sends it as a span when it goes out of scope (or at finish()). Carries the
// application, service, cluster and shard tags Wavefront's trace views need. A new trace starts
// unless a parent is given.
class WAVEFRONT_API ScopedSpan {
 public:
  ScopedSpan(Sender& sender, std::string name, const ApplicationTags& application);
  // A child of `parent`: same trace, `parent`'s span id as its parent.
  ScopedSpan(Sender& sender, std::string name, const ApplicationTags& application, const ScopedSpan& parent);
  ~ScopedSpan();
  ScopedSpan(const ScopedSpan&) = delete;
  ScopedSpan& operator=(const ScopedSpan&) = delete;

  void add_tag(std::string key, std::string value);
  void add_log(std::vector<std::pair<std::string, std::string>> fields);
  // Marks the span as failed (tag error=true), as Wavefront's RED metrics expect.
  void set_error();
  // Sends now; later calls and the destructor do nothing. Returns the send's status.
  Status finish();

  const std::string& trace_id() const { return trace_id_; }
  const std::string& span_id() const { return span_id_; }

 private:
  Sender& sender_;
  std::string name_;
  std::string trace_id_;
  std::string span_id_;
  std::string parent_id_;
  std::vector<std::pair<std::string, std::string>> tags_;
  std::vector<std::pair<std::int64_t, std::vector<std::pair<std::string, std::string>>>> logs_;
  std::chrono::system_clock::time_point start_wall_;
  std::chrono::steady_clock::time_point start_;
  bool finished_ = false;
};

}  // namespace wavefront
