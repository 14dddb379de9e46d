// The tracer, its spans and the per-thread active span; see include/wavefront/tracer.h.
#include "wavefront/tracer.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "wavefront/tracing/ascii.h"
#include "wavefront/tracing/red_metrics.h"
#include "wavefront/tracing/span_clock.h"

namespace wavefront {
namespace {

std::atomic<std::uint64_t> next_tracer_id{1};

// The innermost active-span scope of this thread (any tracer); scopes link to the one they hide.
thread_local SpanScope::Entry* active_scope = nullptr;

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::int64_t wall_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The index in Span::red_fields_ of a tag RED metrics are keyed by; the first four keep one value
// (WavefrontSpan.SINGLE_VALUED_TAG_KEYS). -1 for other keys.
int red_field_index(std::string_view key) {
  switch (key.size()) {
    case 5:
      return key == "shard" ? 3 : -1;
    case 7:
      return key == "service" ? 1 : key == "cluster" ? 2 : -1;
    case 9:
      return key == "component" ? 4 : key == "span.kind" ? 5 : -1;
    case 11:
      return key == "application" ? 0 : -1;
    case 16:
      return tracing::equals_ignore_case(key, "http.status_code") ? 6 : -1;
    default:
      return -1;
  }
}
constexpr int kSingleValuedFields = 4;

constexpr std::string_view kInternalPrefix = "~sdk.cpp.opentracing.";  // the Java SDK: ~sdk.java.opentracing.

}  // namespace

// --- Span ---

Span::Span(Span&& other) noexcept { move_from(other); }

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    finish();
    move_from(other);
  }
  return *this;
}

void Span::move_from(Span& other) noexcept {
  tracer_ = other.tracer_;
  context_ = std::move(other.context_);
  parent_id_ = other.parent_id_;
  start_wall_us_ = other.start_wall_us_;
  start_steady_ns_ = other.start_steady_ns_;
  operation_ = other.operation_;
  error_ = other.error_;
  forced_ = other.forced_;
  red_field_mask_ = other.red_field_mask_;
  red_custom_mask_ = other.red_custom_mask_;
  std::copy(other.red_fields_, other.red_fields_ + kRedFieldCount, red_fields_);
  std::copy(other.red_custom_, other.red_custom_ + kTrackedCustomKeys, red_custom_);
  text_used_ = other.text_used_;
  inline_tag_count_ = other.inline_tag_count_;
  std::memcpy(inline_text_, other.inline_text_, std::min<std::size_t>(text_used_, kInlineText));
  std::copy(other.inline_tags_, other.inline_tags_ + inline_tag_count_, inline_tags_);
  extra_text_ = std::move(other.extra_text_);
  extra_tags_ = std::move(other.extra_tags_);
  logs_ = std::move(other.logs_);
  other.tracer_ = nullptr;
}

namespace {

// A tag's key or value is mostly under 16 bytes: fixed-size moves (two that overlap) instead of a call
// to memcpy, which cost more than the copy.
void copy_short(char* to, const char* from, std::size_t size) {
  if (size > 16) {
    std::memcpy(to, from, size);
  } else if (size >= 8) {
    std::memcpy(to, from, 8);
    std::memcpy(to + size - 8, from + size - 8, 8);
  } else if (size >= 4) {
    std::memcpy(to, from, 4);
    std::memcpy(to + size - 4, from + size - 4, 4);
  } else {
    for (std::size_t index = 0; index < size; ++index) to[index] = from[index];
  }
}

}  // namespace

Span::TextRef Span::store(std::string_view text) {
  TextRef ref{text_used_, static_cast<std::uint32_t>(text.size())};
  if (text_used_ + text.size() <= kInlineText) {
    copy_short(inline_text_ + text_used_, text.data(), text.size());
  } else {
    if (text_used_ < kInlineText) {  // the rest of the inline space stays unused
      ref.offset = static_cast<std::uint32_t>(kInlineText);
      text_used_ = static_cast<std::uint32_t>(kInlineText);
    }
    extra_text_.append(text);
  }
  text_used_ += ref.size;
  return ref;
}

std::string_view Span::text(TextRef ref) const {
  if (ref.offset + static_cast<std::size_t>(ref.size) <= kInlineText && ref.offset < kInlineText) {
    return {inline_text_ + ref.offset, ref.size};
  }
  return {extra_text_.data() + (ref.offset - kInlineText), ref.size};
}

std::string_view Span::operation() const { return text(operation_); }

void Span::set_tag(std::string_view key, std::string_view value) {
  if (tracer_ == nullptr || key.empty() || value.empty()) return;  // the SDKs drop empty tags
  const int field = red_field_index(key);
  const auto field_bit = static_cast<std::uint8_t>(field >= 0 ? 1U << static_cast<unsigned>(field) : 0U);
  if (field >= 0 && field < kSingleValuedFields && (red_field_mask_ & field_bit) != 0) {
    const TextRef value_ref = store(value);  // replace the one value this key keeps
    for (std::size_t position = 0; position < tag_count(); ++position) {
      TagRef& existing =
          position < inline_tag_count_ ? inline_tags_[position] : extra_tags_[position - inline_tag_count_];
      if (text(existing.key) == key) existing.value = value_ref;
    }
    red_fields_[field] = value_ref;
    return;
  }
  const TagRef ref{store(key), store(value)};
  if (inline_tag_count_ < kInlineTags && extra_tags_.empty()) {
    inline_tags_[inline_tag_count_++] = ref;
  } else {
    extra_tags_.push_back(ref);
  }
  if (field >= 0) {
    red_fields_[field] = ref.value;
    red_field_mask_ |= field_bit;
    return;
  }
  const std::vector<std::string>& custom_keys = tracer_->red_custom_keys_;
  for (std::size_t index = 0; index < custom_keys.size() && index < kTrackedCustomKeys; ++index) {
    if (custom_keys[index] == key) {
      red_custom_[index] = ref.value;
      red_custom_mask_ |= static_cast<std::uint8_t>(1U << index);
    }
  }
  if (key == "error") {
    if (value == "true") {
      error_ = true;
      if (!forced_) {  // WavefrontSpan: an error forces sampling unless sampling.priority decided
        forced_ = true;
        context_.sampling = SamplingDecision::keep;
      }
    }
  } else if (key == "debug" && value == "true") {
    forced_ = true;
    context_.sampling = SamplingDecision::keep;
  } else if (key == "sampling.priority") {
    forced_ = true;
    const bool positive = value.find_first_not_of("0123456789") == std::string_view::npos &&
                          value.find_first_not_of('0') != std::string_view::npos;
    context_.sampling = positive ? SamplingDecision::keep : SamplingDecision::drop;
  }
}

void Span::log(TagList fields) {
  if (tracer_ == nullptr) return;
  LogRecord record;
  record.timestamp_us = wall_now_us();
  record.fields.reserve(fields.size());
  for (const Tag& field : fields)
    record.fields.emplace_back(std::string(field.key), std::string(field.value));
  logs_.push_back(std::move(record));
}

void Span::set_baggage_item(std::string_view key, std::string_view value) {
  if (tracer_ != nullptr) context_.set_baggage_item(key, value);
}

void Span::finish() {
  if (tracer_ == nullptr) return;
  tracer_->finish_span(*this);
  tracer_ = nullptr;
}

// --- SpanScope ---

SpanScope::SpanScope(const Tracer* tracer, const Span* span) : entry_{tracer, span, active_scope} {
  active_scope = &entry_;
}

SpanScope::~SpanScope() { active_scope = entry_.previous; }

// --- Tracer ---

Tracer::Tracer(Sender& sender, ApplicationTags application, TracerConfig config)
    : sender_(sender),
      application_(std::move(application)),
      config_(std::move(config)),
      global_tags_(application_.as_tags()),
      id_(next_tracer_id.fetch_add(1, std::memory_order_relaxed)),
      wall_minus_steady_us_(wall_now_us() - steady_now_ns() / 1000),
      registry_(HistogramOptions{Granularity::minute, 100, config_.clock}) {
  const auto internal = [this](const char* name, const Counter& counter) {
    registry_.cumulative_callback(std::string(kInternalPrefix) + name, global_tags_,
                                  [&counter] { return static_cast<std::uint64_t>(counter.value()); });
  };
  internal("spans.discarded.count", spans_discarded_);  // tagged with the application tags only
  internal("reporter.spans.received.count", spans_received_);
  internal("reporter.errors.count", report_errors_);
  global_tags_.insert(global_tags_.end(), config_.global_tags.begin(), config_.global_tags.end());
  for (const auto& tag : global_tags_) global_tag_fields_.push_back(red_field_index(tag.first));
  // span.kind is always a RED tag (WavefrontTracer.Builder.build adds it) and has its own field.
  for (const std::string& key : config_.red_metrics_custom_tag_keys) {
    if (key != "span.kind" && red_field_index(key) < 0 &&
        std::find(red_custom_keys_.begin(), red_custom_keys_.end(), key) == red_custom_keys_.end()) {
      red_custom_keys_.push_back(key);
    }
  }
  red_ = std::make_unique<tracing::RedMetrics>(
      registry_, sender_, application_,
      tracing::RedMetrics::Settings{
          config_.source, red_custom_keys_, global_tags_,
          std::chrono::duration_cast<std::chrono::nanoseconds>(config_.heartbeat_interval)});
  ReporterConfig reporter_config;
  reporter_config.interval = config_.report_interval;
  reporter_config.source = config_.source;
  reporter_config.clock = config_.clock;
  reporter_ = std::make_unique<Reporter>(registry_, sender_, std::move(reporter_config));
  // WavefrontTracer's HeartbeaterService components, with "cpp" for the language.
  for (const char* component : {"wavefront-generated", "opentracing", "cpp"}) {
    HeartbeaterConfig heartbeat_config;
    heartbeat_config.interval = config_.heartbeat_interval;
    heartbeat_config.source = config_.source;
    heartbeat_config.clock = config_.clock;
    heartbeaters_.push_back(
        std::make_unique<Heartbeater>(sender_, application_, component, heartbeat_config));
  }
}

Tracer::~Tracer() { close(); }

void Tracer::close() {
  std::lock_guard<std::mutex> lock(close_mutex_);
  for (auto& heartbeater : heartbeaters_) heartbeater->stop();
  if (reporter_) reporter_->stop();
}

void Tracer::report_now() {
  std::lock_guard<std::mutex> lock(close_mutex_);
  if (reporter_) reporter_->report_now();
}

std::uint64_t Tracer::spans_sent() const {
  return static_cast<std::uint64_t>(spans_received_.value() - report_errors_.value());
}

std::uint64_t Tracer::spans_discarded() const { return static_cast<std::uint64_t>(spans_discarded_.value()); }

const Span* Tracer::active_span() const {
  for (const SpanScope::Entry* entry = active_scope; entry != nullptr; entry = entry->previous) {
    if (entry->tracer == this && entry->span != nullptr && !entry->span->finished()) return entry->span;
  }
  return nullptr;
}

Span Tracer::start_span(std::string_view operation) {
  const Span* active = active_span();
  return start(operation, active != nullptr ? &active->context() : nullptr);
}

Span Tracer::start_span(std::string_view operation, const SpanContext& parent) {
  return start(operation, &parent);
}

Span Tracer::start_root_span(std::string_view operation) { return start(operation, nullptr); }

SamplingDecision Tracer::head_decision(std::string_view operation, Id128 trace_id) const {
  if (!config_.sampler) return SamplingDecision::keep;
  if (!config_.sampler->early()) return SamplingDecision::drop;  // decided when the span ends
  return config_.sampler->sample(operation, trace_id.low, 0) ? SamplingDecision::keep
                                                             : SamplingDecision::drop;
}

Span Tracer::start(std::string_view operation, const SpanContext* parent) {
  Span span;
  span.start_steady_ns_ = tracing::span_clock_ns();
  span.start_wall_us_ = wall_minus_steady_us_ + span.start_steady_ns_ / 1000;
  span.tracer_ = this;
  span.operation_ = span.store(operation);
  if (parent != nullptr && parent->valid()) {
    span.context_.trace_id = parent->trace_id;
    span.parent_id_ = parent->span_id;
    span.context_.sampling = parent->debug ? SamplingDecision::keep : parent->sampling;
    span.context_.debug = parent->debug;
    if (!parent->tracestate.empty()) span.context_.tracestate = parent->tracestate;
    if (!parent->baggage.empty()) span.context_.baggage = parent->baggage;
  } else {
    span.context_.trace_id = random_id(128);
    if (parent != nullptr) {  // an invalid context: a bare sampling decision and baggage still count
      span.context_.sampling = parent->debug ? SamplingDecision::keep : parent->sampling;
      span.context_.debug = parent->debug;
      if (!parent->baggage.empty()) span.context_.baggage = parent->baggage;
    }
  }
  span.context_.span_id = random_id(64);
  if (span.context_.sampling == SamplingDecision::unset) {
    span.context_.sampling = head_decision(operation, span.context_.trace_id);
  }
  span.forced_ = span.context_.debug;
  return span;
}

void Tracer::finish_span(Span& span) {
  const std::int64_t now_ns = tracing::span_clock_ns();
  const std::int64_t duration_us = std::max<std::int64_t>(0, (now_ns - span.start_steady_ns_) / 1000);
  // WavefrontSpan.doFinish: a span not yet kept asks the late samplers, with its duration.
  if (!span.forced_ && span.context_.sampling != SamplingDecision::keep && config_.sampler &&
      !config_.sampler->early() &&
      config_.sampler->sample(span.operation(), span.context_.trace_id.low, duration_us / 1000)) {
    span.context_.sampling = SamplingDecision::keep;
  }
  if (span.sampled()) {
    send_span(span, duration_us);
  } else {
    spans_discarded_.inc();
  }
  red_->record(span, duration_us, now_ns);
}

void Tracer::send_span(const Span& span, std::int64_t duration_us) {
  thread_local std::vector<Tag> tags;
  tags.clear();
  for (std::size_t index = 0; index < global_tags_.size(); ++index) {
    const int field = global_tag_fields_[index];
    if (field >= 0 && field < kSingleValuedFields &&
        (span.red_field_mask_ & (1U << static_cast<unsigned>(field))) != 0) {
      continue;  // the span's own value replaces the application's
    }
    tags.emplace_back(global_tags_[index].first, global_tags_[index].second);
  }
  for (std::size_t index = 0; index < span.tag_count(); ++index) {
    tags.emplace_back(span.text(span.tag(index).key), span.text(span.tag(index).value));
  }
  std::vector<SpanLog> logs;
  if (config_.report_span_logs && !span.logs_.empty()) {
    logs.reserve(span.logs_.size());
    for (const auto& record : span.logs_) logs.emplace_back(record.timestamp_us, record.fields);
  }
  spans_received_.inc();
  // The ids go as 128-bit values: written from their bytes, never formatted as text and re-checked.
  const Status status =
      sender_.send_span(span.operation(), span.start_wall_us_ / 1000, duration_us / 1000, config_.source,
                        span.context_.trace_id, span.context_.span_id, span.parent_id_,
                        TagList(tags.data(), tags.size()), SpanLogs(logs.data(), logs.size()));
  if (!status.ok()) report_errors_.inc();
}

}  // namespace wavefront
