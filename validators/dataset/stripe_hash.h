// validators/dataset/stripe_hash.h — the 64-bit hash of the duplicate rules' canonical form.
//
// Bytes go in 32-byte stripes into four 64-bit accumulators, as in XXH3's long-input loop: each 64-bit word is
// XORed with a key, the product of its two 32-bit halves added to its own accumulator and the word itself to
// the neighbouring one. The key moves 8 bytes along a fixed table with each stripe of a group of 16, so
// stripes that trade places change the result, and after each group the accumulators are scrambled. The last
// 1-32 bytes make one more stripe (the final 32 bytes of the input, or the input zero-padded when shorter),
// and the length and the accumulators are mixed into the result. About a quarter of an instruction per byte
// with AVX2; the portable loop gives the same values (tests/unit/validate_rules_test.cpp compares them).
// Values stay inside one process (worker digests read by the ordered side), so they need not match any other
// hash. Header-only, thread-safe.
#ifndef FTPREP_VALIDATORS_DATASET_STRIPE_HASH_H_
#define FTPREP_VALIDATORS_DATASET_STRIPE_HASH_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ftprep::rules::dataset {

namespace stripe {

constexpr size_t kGroup = 16;  // stripes between scrambles
// Keys: stripe s of a group reads the 32 bytes at byte 8 * s of kKeys, the scramble those at kScrambleAt, the
// final stripe those at byte 7, and the mix the last four words. Any fixed, irregular bytes do.
alignas(32) inline constexpr uint64_t kKeys[22] = {
    0xe220a8397b1dcdafull, 0x6e789e6aa1b965f4ull, 0x06c45d188009454full, 0xf88bb8a8724c81ecull,
    0x1b39896a51a8749bull, 0x53cb9f0c747ea2eaull, 0x2c829abe1f4532e1ull, 0xc584133ac916ab3cull,
    0x3ee5789041c98ac3ull, 0xf3b8488c368cb0a6ull, 0x657eecdd3cb13d09ull, 0xc2d326e0055bdef6ull,
    0x8621a03fe0bbdb7bull, 0x8e1f7555983aa92full, 0xb54e0f1600cc4d19ull, 0x84bb3f97971d80abull,
    0x7d29825c75521255ull, 0xc3cf17102b7f7f86ull, 0x3466e9a083914f64ull, 0xd81a8d2b5a4485acull,
    0xdb01602b100b9ed7ull, 0xa9038a921825f10dull};
constexpr size_t kScrambleAt = 18 * 8 - 32;  // words 14..17
constexpr size_t kLastAt = 7;                // an unaligned offset no group stripe uses
constexpr uint64_t kPrime32 = 0x9E3779B1u, kP1 = 0x9E3779B185EBCA87ull, kP2 = 0xC2B2AE3D27D4EB4Full;

inline const char* KeyBytes() { return reinterpret_cast<const char*>(kKeys); }
inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t Mum(uint64_t a, uint64_t b) {
  __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline void Stripe(uint64_t acc[4], const char* p, const char* key) {
  for (int j = 0; j < 4; ++j) {
    uint64_t d = Load64(p + 8 * j), dk = d ^ Load64(key + 8 * j);
    acc[j ^ 1] += d;
    acc[j] += (dk & 0xFFFFFFFFu) * (dk >> 32);
  }
}
inline void Scramble(uint64_t acc[4]) {
  for (int j = 0; j < 4; ++j) {
    uint64_t a = acc[j] ^ (acc[j] >> 47);
    acc[j] = (a ^ Load64(KeyBytes() + kScrambleAt + 8 * j)) * kPrime32;
  }
}
// The final stripe and the mix, shared by both loops.
inline uint64_t Finish(uint64_t acc[4], const char* p, size_t n, uint64_t seed) {
  alignas(32) char last[32] = {};
  if (n >= 32) {
    std::memcpy(last, p + n - 32, 32);
  } else {
    std::memcpy(last, p, n);
  }
  Stripe(acc, last, KeyBytes() + kLastAt);
  uint64_t h = seed ^ (n * kP1);
  h += Mum(acc[0] ^ kKeys[18], acc[1] ^ kKeys[19]);
  h += Mum(acc[2] ^ kKeys[20], acc[3] ^ kKeys[21]);
  h ^= h >> 29;
  h *= kP2;
  return h ^ (h >> 32);
}
inline void Init(uint64_t acc[4], uint64_t seed) {
  acc[0] = seed ^ kP1;
  acc[1] = seed + kP2;
  acc[2] = seed ^ kPrime32;
  acc[3] = seed - kP1;
}

}  // namespace stripe

// The portable loop.
inline uint64_t StripeHashScalar(const char* p, size_t n, uint64_t seed) {
  uint64_t acc[4];
  stripe::Init(acc, seed);
  size_t full = n == 0 ? 0 : (n - 1) / 32;  // the last 1-32 bytes are Finish's
  for (size_t s = 0; s < full; ++s) {
    stripe::Stripe(acc, p + 32 * s, stripe::KeyBytes() + 8 * (s % stripe::kGroup));
    if (s % stripe::kGroup == stripe::kGroup - 1) stripe::Scramble(acc);
  }
  return stripe::Finish(acc, p, n, seed);
}

#if defined(__x86_64__)
namespace stripe {
__attribute__((target("avx2"))) inline __m256i StripeAvx2(__m256i acc, const char* p, const char* key) {
  __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  __m256i xk = _mm256_xor_si256(x, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(key)));
  __m256i prod = _mm256_mul_epu32(xk, _mm256_srli_epi64(xk, 32));  // low half times high half, per word
  return _mm256_add_epi64(acc, _mm256_add_epi64(prod, _mm256_shuffle_epi32(x, _MM_SHUFFLE(1, 0, 3, 2))));
}
}  // namespace stripe

__attribute__((target("avx2"))) inline uint64_t StripeHashAvx2(const char* p, size_t n, uint64_t seed) {
  alignas(32) uint64_t a[4];
  stripe::Init(a, seed);
  __m256i acc = _mm256_load_si256(reinterpret_cast<const __m256i*>(a));
  const size_t full = n == 0 ? 0 : (n - 1) / 32;
  const char* keys = stripe::KeyBytes();
  size_t s = 0;
  for (; s + stripe::kGroup <= full; s += stripe::kGroup) {
    for (size_t j = 0; j < stripe::kGroup; ++j) acc = stripe::StripeAvx2(acc, p + 32 * (s + j), keys + 8 * j);
    __m256i x = _mm256_xor_si256(acc, _mm256_srli_epi64(acc, 47));
    x = _mm256_xor_si256(x, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(keys + stripe::kScrambleAt)));
    const __m256i prime = _mm256_set1_epi64x(stripe::kPrime32);
    __m256i lo = _mm256_mul_epu32(x, prime), hi = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), prime);
    acc = _mm256_add_epi64(lo, _mm256_slli_epi64(hi, 32));
  }
  for (size_t j = 0; s < full; ++s, ++j) acc = stripe::StripeAvx2(acc, p + 32 * s, keys + 8 * j);
  _mm256_store_si256(reinterpret_cast<__m256i*>(a), acc);
  return stripe::Finish(a, p, n, seed);
}
#endif

}  // namespace ftprep::rules::dataset

#endif  // FTPREP_VALIDATORS_DATASET_STRIPE_HASH_H_
