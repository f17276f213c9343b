// validators/dataset/compact.h — whitespace compaction for the duplicate rules: every run of space, tab, CR and
// LF becomes one space and leading whitespace goes, so texts that differ only in spacing compare equal.
//
// CompactWhitespace copies s[0..n) to `out` compacted and returns the length; `out` needs n + 32 bytes (blocks
// are stored whole and may write past the result). Blocks are copied with tabs, CRs and LFs turned into spaces,
// then the bytes of whitespace runs (a whitespace byte after another) are cut out one kept segment at a time (a
// whole-block copy each, so no per-byte loop even for indented code): 32 bytes a step with AVX2 where the CPU
// has it (chosen once, at the first call), else 16 with SSE2 (the x86-64 baseline), else byte by byte. All give
// the same bytes (tests/unit/validate_rules_test.cpp compares them). Header-only, thread-safe.
#ifndef FTPREP_VALIDATORS_DATASET_COMPACT_H_
#define FTPREP_VALIDATORS_DATASET_COMPACT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ftprep::rules::dataset {

inline bool IsWs(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The byte-by-byte compaction of s[i..n) after `prev_ws` (whether the byte before i was whitespace, or i is the
// start), appended at out + k; returns the new length.
inline size_t CompactTail(const char* s, size_t i, size_t n, bool prev_ws, char* out, size_t k) {
  for (; i < n; ++i) {
    bool ws = IsWs(static_cast<unsigned char>(s[i]));
    out[k] = ws ? ' ' : s[i];
    k += !(ws && prev_ws);
    prev_ws = ws;
  }
  return k;
}

inline size_t CompactWhitespaceScalar(const char* s, size_t n, char* out) { return CompactTail(s, 0, n, true, out, 0); }

#if defined(__x86_64__)
namespace detail {

// One 16-byte block at s (its whitespace before it: *prev_ws) appended at out + k; returns the new length.
inline size_t Compact16(const char* s, bool* prev_ws, char* out, size_t k) {
  const __m128i sp = _mm_set1_epi8(' ');
  __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
  __m128i other = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('\t')), _mm_cmpeq_epi8(c, _mm_set1_epi8('\n'))),
                               _mm_cmpeq_epi8(c, _mm_set1_epi8('\r')));
  unsigned spaces = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(other, _mm_cmpeq_epi8(c, sp))));
  unsigned drop = spaces & ((spaces << 1) | (*prev_ws ? 1u : 0u));
  __m128i mapped = _mm_or_si128(_mm_andnot_si128(other, c), _mm_and_si128(other, sp));  // whitespace as ' '
  *prev_ws = (spaces >> 15) & 1;
  if (drop == 0) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + k), mapped);
    return k + 16;
  }
  alignas(16) char tmp[32];
  _mm_store_si128(reinterpret_cast<__m128i*>(tmp), mapped);
  for (unsigned keep = ~drop & 0xFFFFu; keep != 0;) {
    unsigned a = static_cast<unsigned>(__builtin_ctz(keep));
    unsigned len = static_cast<unsigned>(__builtin_ctz(~(keep >> a)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + k), _mm_loadu_si128(reinterpret_cast<const __m128i*>(tmp + a)));
    k += len;
    keep &= ~(((1u << len) - 1) << a);
  }
  return k;
}

// The classes of 32 bytes: bit i of the result is set when c[i] is whitespace, and *mapped gets the bytes
// with every whitespace byte as ' '. One table lookup by the low nibble finds the four whitespace bytes: the
// entry of nibble x is the whitespace byte ending in x (0x20, 0x09, 0x0A, 0x0D) or 0xFF, which no byte
// reaching the lookup equals (a byte with its top bit set looks up 0).
__attribute__((target("avx2,bmi,popcnt"))) inline uint32_t Classify32(__m256i c, __m256i* mapped) {
  const __m256i table = _mm256_setr_epi8(0x20, -1, -1, -1, -1, -1, -1, -1, -1, 0x09, 0x0A, -1, -1, 0x0D, -1, -1,
                                         0x20, -1, -1, -1, -1, -1, -1, -1, -1, 0x09, 0x0A, -1, -1, 0x0D, -1, -1);
  __m256i ws = _mm256_cmpeq_epi8(_mm256_shuffle_epi8(table, c), c);
  *mapped = _mm256_blendv_epi8(c, _mm256_set1_epi8(' '), ws);
  return static_cast<uint32_t>(_mm256_movemask_epi8(ws));
}

// Appends the bytes of `mapped` whose bits are set in `keep` at out + k, one kept segment (run of set bits) at
// a time, each a whole-block store from a copy on the stack; returns the new length.
__attribute__((target("avx2,bmi,popcnt"))) inline size_t KeepSegments(__m256i mapped, uint32_t keep, char* out,
                                                                     size_t k) {
  alignas(32) char tmp[64];
  _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), mapped);
  while (keep != 0) {
    unsigned a = static_cast<unsigned>(__builtin_ctz(keep));
    uint32_t rest = keep & (keep + (keep & (0u - keep)));  // the lowest run cleared (a carry past bit 31 is lost)
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + k),
                        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tmp + a)));
    k += static_cast<unsigned>(__builtin_popcount(keep ^ rest));
    keep = rest;
  }
  return k;
}

// Copies n < 32 bytes from s to d with at most two overlapping loads and stores of one width.
inline void CopyShort(const char* s, size_t n, char* d) {
  if (n >= 16) {
    __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
    __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n - 16));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d), a);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + n - 16), b);
  } else if (n >= 8) {
    uint64_t a, b;
    std::memcpy(&a, s, 8);
    std::memcpy(&b, s + n - 8, 8);
    std::memcpy(d, &a, 8);
    std::memcpy(d + n - 8, &b, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, s, 4);
    std::memcpy(&b, s + n - 4, 4);
    std::memcpy(d, &a, 4);
    std::memcpy(d + n - 4, &b, 4);
  } else if (n > 0) {
    char a = s[0], b = s[n / 2], c = s[n - 1];
    d[0] = a;
    d[n / 2] = b;
    d[n - 1] = c;
  }
}

}  // namespace detail

inline size_t CompactWhitespaceSse2(const char* s, size_t n, char* out) {
  size_t i = 0, k = 0;
  bool prev_ws = true;
  for (; i + 16 <= n; i += 16) k = detail::Compact16(s + i, &prev_ws, out, k);
  return CompactTail(s, i, n, prev_ws, out, k);
}

// Whole 32-byte blocks straight from s; the last partial block is first copied to out + k (where its result
// goes, and where the 32 bytes after k are writable) and compacted there, so no byte is looked at twice and
// none is handled one at a time. A block without a whitespace run is stored whole, as it is.
__attribute__((target("avx2,bmi,popcnt"))) inline size_t CompactWhitespaceAvx2(const char* s, size_t n, char* out) {
  size_t i = 0, k = 0;
  uint32_t prev = 1;  // whether the byte before the block is whitespace (the start counts as such)
  for (; i + 32 <= n; i += 32) {
    __m256i mapped;
    uint32_t ws = detail::Classify32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i)), &mapped);
    uint32_t drop = ws & ((ws << 1) | prev);
    prev = ws >> 31;
    if (drop == 0) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + k), mapped);
      k += 32;
    } else {
      k = detail::KeepSegments(mapped, ~drop, out, k);
    }
  }
  size_t rem = n - i;
  if (rem == 0) return k;
  detail::CopyShort(s + i, rem, out + k);
  __m256i mapped;
  uint32_t valid = (1u << rem) - 1;
  uint32_t ws = detail::Classify32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(out + k)), &mapped) & valid;
  uint32_t drop = ws & ((ws << 1) | prev);
  if (drop == 0) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + k), mapped);
    return k + rem;
  }
  return detail::KeepSegments(mapped, ~drop & valid, out, k);
}
#endif

// Whether CompactWhitespaceAvx2 can run here (AVX2 CPUs all have BMI1 and POPCNT, but ask).
inline bool HasAvx2() {
#if defined(__x86_64__)
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") && __builtin_cpu_supports("popcnt");
#else
  return false;
#endif
}

inline size_t CompactWhitespace(const char* s, size_t n, char* out) {
#if defined(__x86_64__)
  static const bool avx2 = HasAvx2();
  return avx2 ? CompactWhitespaceAvx2(s, n, out) : CompactWhitespaceSse2(s, n, out);
#else
  return CompactWhitespaceScalar(s, n, out);
#endif
}

}  // namespace ftprep::rules::dataset

#endif  // FTPREP_VALIDATORS_DATASET_COMPACT_H_
