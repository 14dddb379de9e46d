// Counting heap allocations in the benchmark binary.
//
// alloc_counter.cc replaces every form of the global operator new and delete (plain, array, nothrow,
// aligned, sized) for the whole program, so allocations made inside the library, the C++ standard
// library and the baseline formatter are all counted. A benchmark reads the count before and after its
// timed loop and divides by the iterations to report allocations per formatted line.
//
// Thread-safety: the counter is atomic; read it from any thread.
#pragma once

#include <cstdint>

namespace wavefront_bench {

// How many times any global operator new has returned memory since the program started.
std::uint64_t allocation_count() noexcept;

}  // namespace wavefront_bench
