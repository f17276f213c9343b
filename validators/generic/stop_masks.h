// validators/generic/stop_masks.h — which bytes of a text the generic rule set has to look at.
//
// Most bytes of real text are plain letters, spaces and punctuation; the scan only stops at the others
// (control and non-ASCII bytes, digits, and the rarer characters that start a special token, an e-mail or a
// key). The masks here mark those bytes for a whole run of text at once, 32 bytes per step with AVX2 where
// the CPU has it (chosen once, at the first call), else 16 with SSE2 (the x86-64 baseline), else one at a
// time: all three give the same bits (tests/unit/validate_rules_test.cpp compares them). Header-only,
// thread-safe.
#ifndef FTPREP_VALIDATORS_GENERIC_STOP_MASKS_H_
#define FTPREP_VALIDATORS_GENERIC_STOP_MASKS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ftprep::rules::generic {

// Byte classes: 0 = plain (nothing to do).
enum : uint8_t {
  kPlain = 0,
  kCtl = 1,
  kHigh = 2,
  kLt = 3,
  kBracket = 4,
  kAt = 5,
  kDigit = 6,
  kKeyStart = 7,
  kDash = 8,
  kUnder = 9
};

constexpr std::array<uint8_t, 256> MakeByteClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = kCtl;
  t['\t'] = t['\n'] = t['\r'] = kPlain;
  t[0x7f] = kCtl;
  for (int c = 0x80; c < 256; ++c) t[c] = kHigh;
  t['<'] = kLt;
  t['['] = kBracket;
  t['@'] = kAt;
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit;
  // Key prefixes are found from their rarer characters: 'A' (AKIA, AIza), '-' (sk-, xox?-), '_' (ghp_, ...).
  t['A'] = kKeyStart;
  t['-'] = kDash;
  t['_'] = kUnder;
  return t;
}
inline constexpr std::array<uint8_t, 256> kByteClass = MakeByteClasses();

// The masks of a run: bit (i % 64) of out[i / 64] is set when p[i] is not kPlain; bits at n and beyond are
// clear. `out` holds (n + 63) / 64 words. Bytes are read only in p[0..n).
inline void StopMasksScalar(const unsigned char* p, size_t n, uint64_t* out) {
  for (size_t w = 0; w * 64 < n; ++w) out[w] = 0;
  for (size_t i = 0; i < n; ++i) out[i / 64] |= static_cast<uint64_t>(kByteClass[p[i]] != kPlain) << (i % 64);
}

#if defined(__x86_64__)
namespace detail {

// A text shorter than a block, padded with spaces (plain) to a whole block.
template <size_t N>
struct Padded {
  Padded(const unsigned char* p, size_t n) {
    std::memset(bytes, ' ', N);
    std::memcpy(bytes, p, n);
  }
  alignas(N) unsigned char bytes[N];
};

// Sixteen bytes: exactly kByteClass != kPlain, with compares (SSE2 has no byte shuffle).
inline unsigned Block16(const unsigned char* b) {
  const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
  // Signed: bytes >= 0x80 are negative, so "< 0x20" takes the controls and every non-ASCII byte.
  __m128i low = _mm_andnot_si128(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('\t')),
                                                           _mm_cmpeq_epi8(c, _mm_set1_epi8('\n'))),
                                              _mm_cmpeq_epi8(c, _mm_set1_epi8('\r'))),
                                 _mm_cmplt_epi8(c, _mm_set1_epi8(0x20)));
  // '@' 0x40 and 'A' 0x41 differ in bit 0 only; '[' 0x5B and '_' 0x5F in bit 2 only.
  __m128i one = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8(0x7f)), _mm_cmpeq_epi8(c, _mm_set1_epi8('<'))),
      _mm_or_si128(
          _mm_cmpeq_epi8(_mm_and_si128(c, _mm_set1_epi8(static_cast<char>(0xFE))), _mm_set1_epi8('@')),
          _mm_cmpeq_epi8(_mm_and_si128(c, _mm_set1_epi8(static_cast<char>(0xFB))), _mm_set1_epi8('['))));
  one = _mm_or_si128(one, _mm_cmpeq_epi8(c, _mm_set1_epi8('-')));
  __m128i d = _mm_sub_epi8(c, _mm_set1_epi8('0'));
  __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);  // (c - '0') <= 9, unsigned
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(low, one), digit)));
}

// 32 bytes with two nibble lookups: a byte stops when lo[its low nibble] & hi[its high nibble] != 0. Each bit
// of the tables is one high nibble's set of low nibbles:
//   0x01 high 0: controls but \t \n \r   0x02 high 1: controls   0x04 high 8-F: non-ASCII   0x08 high 2: '-'
//   0x10 high 3: digits and '<'          0x20 high 4: '@' 'A'    0x40 high 5: '[' '_'        0x80 high 7: DEL
__attribute__((target("avx2"))) inline uint32_t Block32(const unsigned char* b) {
  const __m256i lo_table =
      _mm256_setr_epi8(0x37, 0x37, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x16, 0x06, 0x47, 0x17, 0x0E,
                       0x07, static_cast<char>(0xC7), 0x37, 0x37, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17,
                       0x16, 0x06, 0x47, 0x17, 0x0E, 0x07, static_cast<char>(0xC7));
  const __m256i hi_table =
      _mm256_setr_epi8(0x01, 0x02, 0x08, 0x10, 0x20, 0x40, 0x00, static_cast<char>(0x80), 0x04, 0x04, 0x04,
                       0x04, 0x04, 0x04, 0x04, 0x04, 0x01, 0x02, 0x08, 0x10, 0x20, 0x40, 0x00,
                       static_cast<char>(0x80), 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04);
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b));
  __m256i lo = _mm256_shuffle_epi8(lo_table, _mm256_and_si256(c, nibble));
  __m256i hi = _mm256_shuffle_epi8(hi_table, _mm256_and_si256(_mm256_srli_epi16(c, 4), nibble));
  __m256i plain = _mm256_cmpeq_epi8(_mm256_and_si256(lo, hi), _mm256_setzero_si256());
  return ~static_cast<uint32_t>(_mm256_movemask_epi8(plain));
}

}  // namespace detail

inline void StopMasksSse2(const unsigned char* p, size_t n, uint64_t* out) {
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    out[i / 64] = static_cast<uint64_t>(detail::Block16(p + i)) |
                  static_cast<uint64_t>(detail::Block16(p + i + 16)) << 16 |
                  static_cast<uint64_t>(detail::Block16(p + i + 32)) << 32 |
                  static_cast<uint64_t>(detail::Block16(p + i + 48)) << 48;
  }
  if (i == n) return;
  // The last, short word: whole blocks, then one block that ends at n shifted into place (or, for a text
  // shorter than a block, the padded text).
  const size_t r = n - i;
  uint64_t m = 0;
  size_t k = 0;
  for (; k + 16 <= r; k += 16) m |= static_cast<uint64_t>(detail::Block16(p + i + k)) << k;
  if (k < r && n >= 16) {
    m |= static_cast<uint64_t>(detail::Block16(p + n - 16) >> (16 - (r - k))) << k;
  } else if (k < r) {
    m = detail::Block16(detail::Padded<16>(p, n).bytes);
  }
  out[i / 64] = m;
}

__attribute__((target("avx2"))) inline void StopMasksAvx2(const unsigned char* p, size_t n, uint64_t* out) {
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    out[i / 64] = static_cast<uint64_t>(detail::Block32(p + i)) |
                  static_cast<uint64_t>(detail::Block32(p + i + 32)) << 32;
  }
  if (i == n) return;
  const size_t r = n - i;  // as in StopMasksSse2
  uint64_t m = 0;
  size_t k = 0;
  if (r >= 32) {
    m = detail::Block32(p + i);
    k = 32;
  }
  if (k < r && n >= 32) {
    m |= static_cast<uint64_t>(detail::Block32(p + n - 32) >> (32 - (r - k))) << k;
  } else if (k < r) {
    m = detail::Block32(detail::Padded<32>(p, n).bytes);
  }
  out[i / 64] = m;
}
#endif

// The fastest of the above that this CPU runs.
inline void StopMasks(const unsigned char* p, size_t n, uint64_t* out) {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) {
    StopMasksAvx2(p, n, out);
  } else {
    StopMasksSse2(p, n, out);
  }
#else
  StopMasksScalar(p, n, out);
#endif
}

}  // namespace ftprep::rules::generic

#endif  // FTPREP_VALIDATORS_GENERIC_STOP_MASKS_H_
