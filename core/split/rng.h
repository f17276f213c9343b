// core/split/rng.h — the seeded, platform-independent randomness behind `ftprep split`.
//
// Every random choice split makes goes through these functions so that one seed gives byte-identical output on
// every platform and standard library. Nothing here uses <random> distributions or std::shuffle, whose results
// are implementation-defined. The algorithms, fixed as part of the output contract:
//
//   * SplitMix64 (Steele, Lea, Flood 2014): state += 0x9E3779B97F4A7C15, then the finalizer
//     z = (z ^ z>>30) * 0xBF58476D1CE4E5B9; z = (z ^ z>>27) * 0x94D049BB133111EB; z ^= z>>31.
//     Used to expand a 64-bit seed into generator state and as the 64-bit mixer Mix64 (the finalizer alone).
//   * xoshiro256** (Blackman, Vigna 2018) seeded with four SplitMix64 outputs of the seed: the random stream.
//   * Uniform(m): an integer in [0, m) by rejection — draw x until x >= (2^64 - m) mod m, return x mod m.
//     Unbiased and defined only by 64-bit unsigned arithmetic.
//   * Shuffle: Fisher–Yates from the back: for i = n-1 .. 1, j = Uniform(i+1), swap(a[i], a[j]).
//   * KeyHash(bytes, seed): h = Mix64(seed ^ (len * 0x9E3779B97F4A7C15)); then for each 8-byte little-endian
//     word w of the bytes (the last one zero-padded): h = Mix64(h ^ w) + 0x9E3779B97F4A7C15; result Mix64(h).
//     Bytes are loaded one by one, so the result does not depend on the machine's byte order.
//
// Generators are cheap values; not thread-safe to share.
#ifndef FTPREP_CORE_SPLIT_RNG_H_
#define FTPREP_CORE_SPLIT_RNG_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

namespace ftprep::split {

inline constexpr uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ull;

// The SplitMix64 finalizer: a bijective 64-bit mixer.
constexpr uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return Mix64(state_ += kGoldenGamma); }

 private:
  uint64_t state_;
};

// xoshiro256**: the stream every seeded choice draws from. `stream` selects an independent sequence for the
// same seed (e.g. one for assignment, one for output order), so adding a draw in one phase never shifts another.
class Rng {
 public:
  explicit Rng(uint64_t seed, uint64_t stream = 0);
  // A generator with the given raw xoshiro256** state (for checking against the reference implementation).
  static Rng FromState(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3);
  uint64_t Next();
  // Uniform integer in [0, m); m must be > 0.
  uint64_t Uniform(uint64_t m);

 private:
  Rng() = default;
  uint64_t s_[4] = {};
};

// Fisher–Yates shuffle as described above.
template <typename T>
void Shuffle(std::span<T> a, Rng& rng) {
  for (size_t i = a.size(); i > 1; --i) {
    size_t j = static_cast<size_t>(rng.Uniform(i));
    std::swap(a[i - 1], a[j]);
  }
}

// 64-bit hash of a key under a seed (see the header comment for the exact definition).
uint64_t KeyHash(std::string_view bytes, uint64_t seed);

}  // namespace ftprep::split

#endif  // FTPREP_CORE_SPLIT_RNG_H_
