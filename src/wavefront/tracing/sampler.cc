// The samplers; see include/wavefront/sampler.h.
#include "wavefront/sampler.h"

#include <algorithm>

namespace wavefront {
namespace {
constexpr std::int64_t kRateModulus = 10000;  // the Java SDK's RateSampler.MOD_FACTOR
}  // namespace

RateSampler::RateSampler(double rate)
    : boundary_(static_cast<std::int64_t>(std::clamp(rate, 0.0, 1.0) * kRateModulus)) {}

bool RateSampler::sample(std::string_view /*operation*/, std::uint64_t trace_id_low,
                         std::int64_t /*duration_ms*/) const {
  // Java's long remainder: the sign follows the dividend, then Math.abs.
  const auto signed_low = static_cast<std::int64_t>(trace_id_low);
  const std::int64_t remainder = signed_low % kRateModulus;
  return (remainder < 0 ? -remainder : remainder) <= boundary_;
}

bool DurationSampler::sample(std::string_view /*operation*/, std::uint64_t /*trace_id_low*/,
                             std::int64_t duration_ms) const {
  return duration_ms > threshold_ms_;
}

CompositeSampler::CompositeSampler(std::vector<std::shared_ptr<const Sampler>> samplers)
    : samplers_(std::move(samplers)) {
  samplers_.erase(std::remove(samplers_.begin(), samplers_.end(), nullptr), samplers_.end());
  early_ = std::all_of(samplers_.begin(), samplers_.end(),
                       [](const std::shared_ptr<const Sampler>& sampler) { return sampler->early(); });
}

bool CompositeSampler::sample(std::string_view operation, std::uint64_t trace_id_low,
                              std::int64_t duration_ms) const {
  if (samplers_.empty()) return true;
  return std::any_of(samplers_.begin(), samplers_.end(), [&](const std::shared_ptr<const Sampler>& sampler) {
    return sampler->sample(operation, trace_id_low, duration_ms);
  });
}

}  // namespace wavefront
