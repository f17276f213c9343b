#include "split/rng.h"

namespace ftprep::split {
namespace {
constexpr uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

Rng::Rng(uint64_t seed, uint64_t stream) {
  // Streams are separated by mixing the stream number into the seed before expansion.
  SplitMix64 sm(seed ^ Mix64(stream * kGoldenGamma + 1));
  for (auto& s : s_) s = sm.Next();
}

Rng Rng::FromState(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3) {
  Rng r;
  r.s_[0] = s0;
  r.s_[1] = s1;
  r.s_[2] = s2;
  r.s_[3] = s3;
  return r;
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

uint64_t Rng::Uniform(uint64_t m) {
  // (2^64 - m) mod m computed in 64-bit arithmetic; values below it would bias x mod m.
  const uint64_t threshold = (0 - m) % m;
  for (;;) {
    uint64_t x = Next();
    if (x >= threshold) return x % m;
  }
}

uint64_t KeyHash(std::string_view bytes, uint64_t seed) {
  uint64_t h = Mix64(seed ^ (static_cast<uint64_t>(bytes.size()) * kGoldenGamma));
  size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  while (i < bytes.size()) {
    uint64_t w = 0;
    for (int k = 0; k < 8 && i < bytes.size(); ++k, ++i) w |= static_cast<uint64_t>(p[i]) << (8 * k);
    h = Mix64(h ^ w) + kGoldenGamma;
  }
  return Mix64(h);
}

}  // namespace ftprep::split
