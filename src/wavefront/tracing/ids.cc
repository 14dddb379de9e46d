// Random 128-bit ids and their UUID text; see include/wavefront/trace_context.h.
#include <pthread.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <random>

#include "wavefront/trace_context.h"

namespace wavefront {
namespace {

// Bumped in the child of every fork, so that each thread's generator, copied from the parent with
// the rest of memory, is reseeded before it repeats the parent's ids.
std::atomic<std::uint64_t> fork_generation{0};

void after_fork_in_child() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

bool install_fork_handler() noexcept { return pthread_atfork(nullptr, nullptr, &after_fork_in_child) == 0; }

std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t mixed = (state += 0x9E3779B97F4A7C15ULL);
  mixed = (mixed ^ (mixed >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  mixed = (mixed ^ (mixed >> 27U)) * 0x94D049BB133111EBULL;
  return mixed ^ (mixed >> 31U);
}

// xoshiro256**: fast, 256 bits of state, good enough for ids (not for secrets).
class IdGenerator {
 public:
  std::uint64_t next() noexcept {
    const std::uint64_t generation = fork_generation.load(std::memory_order_relaxed);
    if (generation != generation_ || !seeded_) seed(generation);
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t shifted = state_[1] << 17U;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

 private:
  static std::uint64_t rotl(std::uint64_t value, int shift) noexcept {
    return (value << static_cast<unsigned>(shift)) | (value >> static_cast<unsigned>(64 - shift));
  }
  void seed(std::uint64_t generation) noexcept {
    // Installed before the first id anywhere; a fork earlier than that has nothing to reseed.
    static const bool fork_handler_installed = install_fork_handler();
    (void)fork_handler_installed;
    std::uint64_t seed_value =
        static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    try {
      std::random_device device;
      seed_value ^= (static_cast<std::uint64_t>(device()) << 32U) ^ device();
    } catch (...) {  // no entropy source: the clock and the address still differ per thread
      seed_value ^= reinterpret_cast<std::uintptr_t>(this);
    }
    for (std::uint64_t& word : state_) word = splitmix64(seed_value);
    generation_ = generation;
    seeded_ = true;
  }

  std::uint64_t state_[4] = {};
  std::uint64_t generation_ = 0;
  bool seeded_ = false;
};

constexpr char kHexDigits[] = "0123456789abcdef";

int hex_value(char digit) noexcept {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  return -1;
}

}  // namespace

Id128 random_id(int bits) noexcept {
  thread_local IdGenerator generator;
  Id128 id;
  do {
    id.low = generator.next();
    id.high = bits > 64 ? generator.next() : 0;
  } while (id.empty() || id.low == 0);
  return id;
}

void write_uuid(Id128 id, char* out) noexcept {
  // Two hex digits per byte from a table, at fixed offsets: no loop-carried position, no branches.
  static constexpr auto kPairs = [] {
    std::array<char, 512> pairs{};
    for (std::size_t byte = 0; byte < 256; ++byte) {
      pairs[byte * 2] = kHexDigits[byte >> 4U];
      pairs[byte * 2 + 1] = kHexDigits[byte & 0xFU];
    }
    return pairs;
  }();
  const auto put = [&out](int offset, std::uint64_t word, unsigned shift) {
    std::memcpy(out + offset, &kPairs[((word >> shift) & 0xFFU) * 2], 2);
  };
  put(0, id.high, 56);  // unrolled: every offset and shift a constant
  put(2, id.high, 48);
  put(4, id.high, 40);
  put(6, id.high, 32);
  put(9, id.high, 24);
  put(11, id.high, 16);
  put(14, id.high, 8);
  put(16, id.high, 0);
  put(19, id.low, 56);
  put(21, id.low, 48);
  put(24, id.low, 40);
  put(26, id.low, 32);
  put(28, id.low, 24);
  put(30, id.low, 16);
  put(32, id.low, 8);
  put(34, id.low, 0);
  out[8] = out[13] = out[18] = out[23] = '-';
}

std::string uuid_string(Id128 id) {
  std::string text(36, '-');
  write_uuid(id, text.data());
  return text;
}

bool parse_uuid(std::string_view text, Id128& id) noexcept {
  if (text.size() != 36) return false;
  Id128 parsed;
  int digits = 0;
  for (std::size_t index = 0; index < text.size(); ++index) {
    if (index == 8 || index == 13 || index == 18 || index == 23) {
      if (text[index] != '-') return false;
      continue;
    }
    const int value = hex_value(text[index]);
    if (value < 0) return false;
    std::uint64_t& word = digits < 16 ? parsed.high : parsed.low;
    word = (word << 4U) | static_cast<std::uint64_t>(value);
    ++digits;
  }
  id = parsed;
  return true;
}

}  // namespace wavefront
