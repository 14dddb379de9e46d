// `Tracer`: spans with context propagation, sampling, and the RED metrics Wavefront derives from them.
//
// One tracer per process (or per service in it) over any `Sender` and the application's tags. Spans
// start as children of the thread's active span, of an explicit parent, or of a context extracted
// from a request; they carry tags and span logs, can be marked as errors, and finish explicitly or at
// scope end. Every finished span, sampled or not, updates the RED metrics Wavefront's tracing views
// are built on (`∆tracing.derived.<application>.<service>.<operation>.invocation.count`, `.error.count`,
// `.total_time.millis.count` and the `.duration.micros` distribution), reported through a
// `MetricRegistry` + `Reporter` every `report_interval`; `~component.heartbeat` goes out through
// `Heartbeater`s. Names, tags and intervals are those of Wavefront's OpenTracing SDKs (docs/tracing.md).
//
//   wavefront::Tracer tracer(sender, app);                   // app: ApplicationTags
//   {
//     auto span = tracer.start_span("checkout");             // a root span (no active span)
//     auto scope = tracer.activate(span);                    // now the thread's active span
//     span.set_tag("span.kind", "server");
//     auto child = tracer.start_span("charge-card");         // child of "checkout"
//     tracer.inject(child.context(), outgoing_headers);      // W3C traceparent by default
//     if (failed) child.set_error();                         // error spans are always kept
//   }                                                        // both finished here, innermost first
//
// Thread-safety: the tracer's methods may be called from any thread. A `Span` belongs to one thread at
// a time (move it to hand it over, but not while a SpanScope activates it); a `SpanScope` must end on
// the thread that created it, innermost first. Spans must finish before their tracer is destroyed. After
// fork, the child's tracer keeps working for spans (id generators reseed themselves); its reporting threads
// are the Reporter's and Heartbeaters' (see their headers). At exit, destroy the tracer before the sender:
// its destructor makes the final RED report through the sender.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wavefront/application.h"
#include "wavefront/clock.h"
#include "wavefront/export.h"
#include "wavefront/metrics.h"
#include "wavefront/reporter.h"
#include "wavefront/sampler.h"
#include "wavefront/sender.h"
#include "wavefront/trace_context.h"
#include "wavefront/types.h"

namespace wavefront {

namespace tracing {
class RedMetrics;
}  // namespace tracing

struct TracerConfig {
  std::string source;  // of spans, RED metrics and heartbeats; empty: the sender's default source
  std::vector<std::pair<std::string, std::string>> global_tags;  // added to every span
  // Span tags copied onto the RED metrics when a span has them (low cardinality only!). `span.kind`
  // is always copied (default "none"), and `http.status_code` when present, as the SDKs do.
  std::vector<std::string> red_metrics_custom_tag_keys;
  std::shared_ptr<const Sampler> sampler;  // null: every span is sent
  PropagationFormat inject_format = PropagationFormat::w3c;
  std::chrono::milliseconds report_interval{60000};      // the SDKs' derived-metrics reporter: 1 minute
  std::chrono::milliseconds heartbeat_interval{300000};  // the SDKs' HeartbeaterService: 5 minutes
  bool report_span_logs = true;
  std::shared_ptr<Clock> clock;  // schedules reports and histogram bins; real clocks when null
};

class Tracer;

// A span being timed. Move-only; finishes when destroyed unless finished or moved from before.
class WAVEFRONT_API Span {
 public:
  Span() = default;  // finished already: every call does nothing
  Span(Span&& other) noexcept;
  Span& operator=(Span&& other) noexcept;
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;
  ~Span() { finish(); }

  // Adds a tag (spans keep repeated keys; application, service, cluster and shard keep their last
  // value). `error` = "true" marks the span as an error; `component` and `span.kind` name the RED
  // metrics' tags; `sampling.priority` > 0 or `debug` = "true" keep the span.
  void set_tag(std::string_view key, std::string_view value);
  // A span log with the current time.
  void log(TagList fields);
  // Tag error=true: counted in the error metrics, and the span is kept whatever the sampler said.
  void set_error() { set_tag("error", "true"); }
  void set_baggage_item(std::string_view key, std::string_view value);
  // Finishes now: sends the span if it is sampled and updates the RED metrics. Later calls do nothing.
  void finish();

  const SpanContext& context() const { return context_; }
  Id128 parent_id() const { return parent_id_; }
  std::string_view operation() const;
  bool finished() const { return tracer_ == nullptr; }
  bool sampled() const { return context_.sampling == SamplingDecision::keep || context_.debug; }
  bool error() const { return error_; }

 private:
  friend class Tracer;
  friend class tracing::RedMetrics;

  // Tag and name text lives in the span itself up to kInlineText bytes, so a span with a few short
  // tags costs no allocation.
  static constexpr std::size_t kInlineText = 320;
  static constexpr std::size_t kInlineTags = 12;
  struct TextRef {  // trivial: a span's arrays of them are left uninitialised until used
    std::uint32_t offset;
    std::uint32_t size;
  };
  struct TagRef {
    TextRef key;
    TextRef value;
  };
  struct LogRecord {
    std::int64_t timestamp_us = 0;
    std::vector<std::pair<std::string, std::string>> fields;
  };

  TextRef store(std::string_view text);
  std::string_view text(TextRef ref) const;
  std::size_t tag_count() const { return inline_tag_count_ + extra_tags_.size(); }
  const TagRef& tag(std::size_t index) const {
    return index < inline_tag_count_ ? inline_tags_[index] : extra_tags_[index - inline_tag_count_];
  }
  void move_from(Span& other) noexcept;

  Tracer* tracer_ = nullptr;
  SpanContext context_;
  Id128 parent_id_;
  std::int64_t start_wall_us_ = 0;
  std::int64_t start_steady_ns_ = 0;
  TextRef operation_{0, 0};
  bool error_ = false;
  bool forced_ = false;  // error, debug or sampling.priority decided; samplers are not asked again
  // The span's values of the tags RED metrics are keyed by, noted as they are set, so that finishing
  // needs no search: bit i of red_field_mask_ says red_fields_[i] holds the last value of field i
  // (application, service, cluster, shard, component, span.kind, http.status_code); likewise for the
  // tracer's first kTrackedCustomKeys custom RED tag keys.
  static constexpr std::size_t kRedFieldCount = 7;
  static constexpr std::size_t kTrackedCustomKeys = 4;
  std::uint8_t red_field_mask_ = 0;
  std::uint8_t red_custom_mask_ = 0;
  TextRef red_fields_[kRedFieldCount];
  TextRef red_custom_[kTrackedCustomKeys];
  std::uint32_t text_used_ = 0;
  std::uint32_t inline_tag_count_ = 0;
  char inline_text_[kInlineText];  // only the first text_used_ bytes are meaningful
  TagRef inline_tags_[kInlineTags];
  std::string extra_text_;          // text past kInlineText
  std::vector<TagRef> extra_tags_;  // tags past kInlineTags
  std::vector<LogRecord> logs_;
};

// Makes a span the thread's active span until destroyed (then the previous one is active again).
class WAVEFRONT_API SpanScope {
 public:
  SpanScope(const SpanScope&) = delete;
  SpanScope& operator=(const SpanScope&) = delete;
  ~SpanScope();

  // A link of the thread's chain of scopes (an implementation detail).
  struct Entry {
    const Tracer* tracer;
    const Span* span;
    Entry* previous;
  };

 private:
  friend class Tracer;
  SpanScope(const Tracer* tracer, const Span* span);
  Entry entry_;
};

class WAVEFRONT_API Tracer {
 public:
  Tracer(Sender& sender, ApplicationTags application, TracerConfig config = TracerConfig());
  ~Tracer();  // close()
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  // A child of the thread's active span of this tracer, or the root of a new trace.
  Span start_span(std::string_view operation);
  // A child of `parent` (a span's context, or one extracted from a request); a new trace when
  // `parent` is invalid (a sampling decision it carries is kept).
  Span start_span(std::string_view operation, const SpanContext& parent);
  // The root of a new trace, whatever span is active.
  Span start_root_span(std::string_view operation);

  // Makes `span` the active span of this thread for this tracer while the scope lives.
  SpanScope activate(const Span& span) const { return SpanScope(this, &span); }
  // The thread's active span for this tracer, or null.
  const Span* active_span() const;

  void inject(const SpanContext& context, HeaderWriter& headers) const {
    inject_context(context, config_.inject_format, headers);
  }
  SpanContext extract(const HeaderReader& headers) const { return extract_context(headers); }

  // Reports the RED metrics now (completed histogram bins only).
  void report_now();
  // Stops the heartbeaters and makes the final RED report (current bins included). Idempotent; spans
  // finished later are still sent, but their RED metrics are not reported.
  void close();

  const ApplicationTags& application() const { return application_; }
  MetricRegistry& registry() { return registry_; }
  // Spans handed to the sender and accepted by it, and spans sampled out, since the tracer started.
  std::uint64_t spans_sent() const;
  std::uint64_t spans_discarded() const;

 private:
  friend class Span;
  Span start(std::string_view operation, const SpanContext* parent);
  void finish_span(Span& span);
  void send_span(const Span& span, std::int64_t duration_us);
  SamplingDecision head_decision(std::string_view operation, Id128 trace_id) const;

  Sender& sender_;
  ApplicationTags application_;
  TracerConfig config_;
  std::vector<std::pair<std::string, std::string>> global_tags_;  // application tags, then config's
  std::vector<int> global_tag_fields_;                            // red_field_index of each global tag
  std::vector<std::string> red_custom_keys_;  // config's custom RED keys, without span.kind
  std::uint64_t id_;                          // unique per tracer in the process, for per-thread caches
  std::int64_t wall_minus_steady_us_;
  MetricRegistry registry_;
  std::unique_ptr<tracing::RedMetrics> red_;
  // One atomic add per span: the registry reports their growth (cumulative callbacks) as
  // ~sdk.cpp.opentracing.spans.discarded, .reporter.spans.received and .reporter.errors.
  Counter spans_discarded_;
  Counter spans_received_;
  Counter report_errors_;
  std::mutex close_mutex_;
  std::unique_ptr<Reporter> reporter_;
  std::vector<std::unique_ptr<Heartbeater>> heartbeaters_;
};

}  // namespace wavefront
