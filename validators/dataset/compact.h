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

// The same for 32 bytes.
__attribute__((target("avx2"))) inline size_t Compact32(const char* s, bool* prev_ws, char* out, size_t k) {
  const __m256i sp = _mm256_set1_epi8(' ');
  __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s));
  __m256i other = _mm256_or_si256(
      _mm256_or_si256(_mm256_cmpeq_epi8(c, _mm256_set1_epi8('\t')), _mm256_cmpeq_epi8(c, _mm256_set1_epi8('\n'))),
      _mm256_cmpeq_epi8(c, _mm256_set1_epi8('\r')));
  uint32_t spaces = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(other, _mm256_cmpeq_epi8(c, sp))));
  uint32_t drop = spaces & ((spaces << 1) | (*prev_ws ? 1u : 0u));
  __m256i mapped = _mm256_blendv_epi8(c, sp, other);  // whitespace as ' '
  *prev_ws = (spaces >> 31) & 1;
  if (drop == 0) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + k), mapped);
    return k + 32;
  }
  alignas(32) char tmp[64];
  _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), mapped);
  for (uint64_t keep = ~drop; keep != 0;) {
    unsigned a = static_cast<unsigned>(__builtin_ctzll(keep));
    unsigned len = static_cast<unsigned>(__builtin_ctzll(~(keep >> a)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + k),
                        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tmp + a)));
    k += len;
    keep &= ~(((uint64_t{1} << len) - 1) << a);
  }
  return k;
}

}  // namespace detail

inline size_t CompactWhitespaceSse2(const char* s, size_t n, char* out) {
  size_t i = 0, k = 0;
  bool prev_ws = true;
  for (; i + 16 <= n; i += 16) k = detail::Compact16(s + i, &prev_ws, out, k);
  return CompactTail(s, i, n, prev_ws, out, k);
}

__attribute__((target("avx2"))) inline size_t CompactWhitespaceAvx2(const char* s, size_t n, char* out) {
  size_t i = 0, k = 0;
  bool prev_ws = true;
  for (; i + 32 <= n; i += 32) k = detail::Compact32(s + i, &prev_ws, out, k);
  if (i + 16 <= n) {
    k = detail::Compact16(s + i, &prev_ws, out, k);
    i += 16;
  }
  return CompactTail(s, i, n, prev_ws, out, k);
}
#endif

inline size_t CompactWhitespace(const char* s, size_t n, char* out) {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return avx2 ? CompactWhitespaceAvx2(s, n, out) : CompactWhitespaceSse2(s, n, out);
#else
  return CompactWhitespaceScalar(s, n, out);
#endif
}

}  // namespace ftprep::rules::dataset

#endif  // FTPREP_VALIDATORS_DATASET_COMPACT_H_
