// A producer thread of the fault soak: sends numbered points of every kind through one Sender at a
// steady rate until told to stop, and records how each call ended in the PointLedger.
//
// Call number n of producer p sends the kind kind_of(p, n) (metric, delta counter, distribution, span,
// span with span logs, event, in turn), tagged "soak"="<phase>:<p>:<n>", with a value derived from n
// (metric n, delta n+1, first centroid mean n, span duration n % 1000) so that the ledger can tell a
// corrupted line from a good one. Each point also carries a "payload" tag: random text from a seeded
// generator (quotes, backslashes, controls, multi-byte UTF-8), with a few points made invalid on purpose
// (`invalid_fraction`) so that refusals run concurrently with everything else and must be counted too.
//
// Thread-safety: run_producer() is called once per producer, each on its own thread; `stop` is the only
// shared state besides the thread-safe Sender and the producer's own ledger row.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "soak/point_ledger.h"
#include "wavefront/sender.h"

namespace wavefront::soak {

struct ProducerSettings {
  std::size_t index = 0;
  double points_per_second = 300;
  std::uint64_t seed = 0;
  double invalid_fraction = 0.01;
};

// Returns the number of calls made.
std::uint64_t run_producer(Sender& sender, PointLedger& ledger, const ProducerSettings& settings,
                           const std::atomic<bool>& stop);

}  // namespace wavefront::soak
