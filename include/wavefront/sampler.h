// Samplers: which traces a `Tracer` sends as spans. RED metrics count every span whatever they say.
//
// The tracer asks its sampler twice, as Wavefront's OpenTracing SDKs do: when a root span starts
// (head sampling, `early` samplers: the decision then travels with the context to every service of
// the trace) and when a span finishes without a "keep" decision (`late` samplers, which see the
// duration). The rate sampler decides from the trace id alone, with the arithmetic of the Java SDK's
// RateSampler, so every service of a trace — in C++, Java, Go or Python — makes the same decision:
//
//   config.sampler = std::make_shared<wavefront::CompositeSampler>(std::vector<std::shared_ptr<const
//       wavefront::Sampler>>{std::make_shared<wavefront::RateSampler>(0.1),        // 10% of traces
//                            std::make_shared<wavefront::DurationSampler>(std::chrono::seconds(1))});
//
// Spans with errors (and debug spans) are kept whatever the sampler says.
//
// Thread-safety: samplers are immutable after construction; sample() may run on any thread. They
// keep no state, so fork and exit need no care.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "wavefront/export.h"

namespace wavefront {

class WAVEFRONT_API Sampler {
 public:
  virtual ~Sampler() = default;
  // `trace_id_low`: the low 64 bits of the trace id (the Java SDK's getLeastSignificantBits()).
  // `duration_ms`: the span's duration, 0 for the head decision.
  virtual bool sample(std::string_view operation, std::uint64_t trace_id_low,
                      std::int64_t duration_ms) const = 0;
  // True when the sampler decides at the start of a trace (from the id), false when at the end.
  virtual bool early() const = 0;
};

// All traces or none.
class WAVEFRONT_API ConstantSampler final : public Sampler {
 public:
  explicit ConstantSampler(bool keep) : keep_(keep) {}
  bool sample(std::string_view, std::uint64_t, std::int64_t) const override { return keep_; }
  bool early() const override { return true; }

 private:
  bool keep_;
};

// Keeps a trace when |(int64)trace_id_low % 10000| <= rate * 10000, as the Java SDK does (so a rate
// of 0 still keeps 1 trace in 10000). Rates outside [0, 1] are clamped.
class WAVEFRONT_API RateSampler final : public Sampler {
 public:
  explicit RateSampler(double rate);
  bool sample(std::string_view operation, std::uint64_t trace_id_low,
              std::int64_t duration_ms) const override;
  bool early() const override { return true; }

 private:
  std::int64_t boundary_;
};

// Keeps spans that last longer than `threshold` (whole milliseconds, as Wavefront's SDKs compare).
class WAVEFRONT_API DurationSampler final : public Sampler {
 public:
  explicit DurationSampler(std::chrono::milliseconds threshold) : threshold_ms_(threshold.count()) {}
  bool sample(std::string_view operation, std::uint64_t trace_id_low,
              std::int64_t duration_ms) const override;
  bool early() const override { return false; }

 private:
  std::int64_t threshold_ms_;
};

// Keeps what any of its samplers keeps. Early when all of them are early (the Java SDK's
// CompositeSampler is always late; see docs/tracing.md).
class WAVEFRONT_API CompositeSampler final : public Sampler {
 public:
  explicit CompositeSampler(std::vector<std::shared_ptr<const Sampler>> samplers);
  bool sample(std::string_view operation, std::uint64_t trace_id_low,
              std::int64_t duration_ms) const override;
  bool early() const override { return early_; }

 private:
  std::vector<std::shared_ptr<const Sampler>> samplers_;
  bool early_;
};

}  // namespace wavefront
