// DistributionDigest (include/wavefront/histogram.h): the public face of the private TDigest.
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "wavefront/histogram.h"
#include "wavefront/histogram/t_digest.h"

namespace wavefront {

struct DistributionDigest::Impl {
  explicit Impl(double compression) : digest(compression) {}
  histogram::TDigest digest;
  std::uint64_t ignored = 0;
};

DistributionDigest::DistributionDigest(double compression) : impl_(std::make_unique<Impl>(compression)) {}
DistributionDigest::~DistributionDigest() = default;
DistributionDigest::DistributionDigest(DistributionDigest&& other) noexcept = default;
DistributionDigest& DistributionDigest::operator=(DistributionDigest&& other) noexcept = default;

void DistributionDigest::add(double value) {
  if (!std::isfinite(value)) {
    ++impl_->ignored;
    return;
  }
  impl_->digest.add(value);
}

std::int64_t DistributionDigest::count() const { return impl_->digest.count(); }
std::uint64_t DistributionDigest::ignored() const { return impl_->ignored; }
double DistributionDigest::quantile(double q) const { return impl_->digest.quantile(q); }
void DistributionDigest::centroids(std::vector<Centroid>& out) const { impl_->digest.centroids(out); }

}  // namespace wavefront
