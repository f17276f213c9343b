// validators/generic/stop_masks.h — which bytes of a text the generic rule set has to look at.
//
// Most bytes of real text are plain letters, spaces and punctuation; the scan only stops at the others
// (control and non-ASCII bytes, digits, and the rarer characters that start a special token, an e-mail or a
// key). The masks here mark those bytes a 64-byte word at a time, 32 bytes per step with AVX2 where the CPU
// has it, else 16 with SSE2 (the x86-64 baseline), else one at a time: all three give the same bits
// (tests/unit/validate_rules_test.cpp compares them). Header-only, thread-safe.
#ifndef FTPREP_VALIDATORS_GENERIC_STOP_MASKS_H_
#define FTPREP_VALIDATORS_GENERIC_STOP_MASKS_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Sanitizer builds read only the text's own bytes (see OverreadSafe).
#if defined(__SANITIZE_ADDRESS__)
#define FTPREP_GENERIC_EXACT_READS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define FTPREP_GENERIC_EXACT_READS 1
#endif
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

// Zero-width, bidi, word-joiner, BOM, soft hyphen and tag characters.
inline bool IsInvisible(uint32_t cp) {
  return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF || cp == 0x00AD || cp == 0x180E || cp == 0x034F ||
         (cp >= 0xFFF9 && cp <= 0xFFFB) || (cp >= 0xE0000 && cp <= 0xE007F);
}

// The length of the well-formed UTF-8 sequence at p[i] when its lead byte alone rules out every finding
// (no C1 control, invisible character or U+FFFD: leads C3-DF but CD, E3-EC, EE, F0-F2 — Latin, Greek,
// Cyrillic, CJK, emoji), else 0, and then the full decode decides. For these leads well-formed means
// continuation bytes, plus F0's second byte >= 0x90 (no overlong form); E0, ED, EF and F3-F4 have more
// rules and take the full decode. Most non-ASCII text takes this path.
inline size_t PlainSequence(const unsigned char* p, size_t n, size_t i) {
  const unsigned char c = p[i];
  auto cont = [&](size_t k) { return i + k < n && (p[i + k] & 0xC0) == 0x80; };
  if (c >= 0xC3 && c <= 0xDF && c != 0xCD) return cont(1) ? 2 : 0;
  if ((c >= 0xE3 && c <= 0xEC) || c == 0xEE) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xF0) return cont(1) && p[i + 1] >= 0x90 && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF1 || c == 0xF2) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  return 0;
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
#endif

// The stop bits of one word of a text: bit k is set when p[base + k] is not kPlain, for the 64 bytes from
// base (fewer at the end of the text, whose bits at n and beyond are clear). base < n, a multiple of 64.
inline uint64_t StopWordScalar(const unsigned char* p, size_t n, size_t base) {
  const size_t r = n - base < 64 ? n - base : 64;
  uint64_t m = 0;
  for (size_t k = 0; k < r; ++k) m |= static_cast<uint64_t>(kByteClass[p[base + k]] != kPlain) << k;
  return m;
}

#if defined(__x86_64__)
// Sixteen bytes a step; reads only p[0..n).
inline uint64_t StopWordSse2(const unsigned char* p, size_t n, size_t base) {
  const unsigned char* q = p + base;
  const size_t r = n - base;
  if (r >= 64) {
    return static_cast<uint64_t>(detail::Block16(q)) | static_cast<uint64_t>(detail::Block16(q + 16)) << 16 |
           static_cast<uint64_t>(detail::Block16(q + 32)) << 32 | static_cast<uint64_t>(detail::Block16(q + 48)) << 48;
  }
  // The last, short word: whole blocks, then one block that ends at n shifted into place (or, for a text
  // shorter than a block, the padded text).
  uint64_t m = 0;
  size_t k = 0;
  for (; k + 16 <= r; k += 16) m |= static_cast<uint64_t>(detail::Block16(q + k)) << k;
  if (k < r && n >= 16) {
    m |= static_cast<uint64_t>(detail::Block16(p + n - 16) >> (16 - (r - k))) << k;
  } else if (k < r) {
    m = detail::Block16(detail::Padded<16>(p, n).bytes);
  }
  return m;
}

// Whether the 32 bytes at q can be read although only q[0..r) belong to the text: the read stays in the
// page of the text's last byte, so it cannot fault. Sanitizer builds never read past the text (ASan would
// report the bytes beyond it).
inline bool OverreadSafe(const unsigned char* q, size_t r) {
#if defined(FTPREP_GENERIC_EXACT_READS)
  (void)q, (void)r;
  return false;
#else
  return (reinterpret_cast<uintptr_t>(q + 31) >> 12) == (reinterpret_cast<uintptr_t>(q + r - 1) >> 12);
#endif
}

// 32 bytes a step. The end of a text is read as a whole block when that stays in its page (most texts, and
// no copy), else as the block that ends at n, or for a text shorter than a block, the padded text.
__attribute__((target("avx2"))) inline uint64_t StopWordAvx2(const unsigned char* p, size_t n, size_t base) {
  const unsigned char* q = p + base;
  const size_t r = n - base;
  if (r >= 64) return static_cast<uint64_t>(detail::Block32(q)) | static_cast<uint64_t>(detail::Block32(q + 32)) << 32;
  uint64_t m = 0;
  size_t k = 0;
  if (r >= 32) {
    m = detail::Block32(q);
    k = 32;
    if (r == 32) return m;
  }
  if (OverreadSafe(q + k, r - k)) {
    m |= static_cast<uint64_t>(detail::Block32(q + k) & ((uint32_t{1} << (r - k)) - 1)) << k;
  } else if (n >= 32) {
    m |= static_cast<uint64_t>(detail::Block32(p + n - 32) >> (32 - (r - k))) << k;
  } else {
    m = detail::Block32(detail::Padded<32>(p, n).bytes);
  }
  return m;
}

// The '_' bytes of the 32 at b that do not follow 'p', 'o' or 'b': only the underscore of ghp_, gho_ or
// github_ can start a key, so the scan need not look at the others (in code, most of them). Reads b[-1].
__attribute__((target("avx2"))) inline uint32_t LoneUnderscores32(const unsigned char* b) {
  const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b));
  const uint32_t under = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(c, _mm256_set1_epi8('_'))));
  if (under == 0) return 0;
  const __m256i prev = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b - 1));
  const __m256i key = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(prev, _mm256_set1_epi8('p')),
                                                      _mm256_cmpeq_epi8(prev, _mm256_set1_epi8('o'))),
                                      _mm256_cmpeq_epi8(prev, _mm256_set1_epi8('b')));
  return under & ~static_cast<uint32_t>(_mm256_movemask_epi8(key));
}

// Whether the byte before a text can be read (it is in the same page; never in sanitizer builds). What it
// holds does not matter: a '_' at the start of a text never starts a key.
inline bool BeforeReadable(const unsigned char* p) {
#if defined(FTPREP_GENERIC_EXACT_READS)
  (void)p;
  return false;
#else
  return (reinterpret_cast<uintptr_t>(p) & 4095) != 0;
#endif
}

// StopWordAvx2 without the bits of lone underscores (LoneUnderscores32) where the byte before each block
// can be read: a subset of its bits that still holds every byte the scan acts on.
__attribute__((target("avx2"))) inline uint64_t StopWordAvx2Keys(const unsigned char* p, size_t n, size_t base) {
  uint64_t m = StopWordAvx2(p, n, base);
  if (m == 0) return 0;
  const unsigned char* q = p + base;
  const size_t r = n - base;
  const bool first = base != 0 || BeforeReadable(p);  // q[-1] readable
  uint64_t drop = 0;
  if (r >= 64) {
    drop = (first ? LoneUnderscores32(q) : 0) | static_cast<uint64_t>(LoneUnderscores32(q + 32)) << 32;
  } else {
    size_t k = 0;
    if (r >= 32) {
      drop = first ? LoneUnderscores32(q) : 0;
      k = 32;
    }
    if (k < r && OverreadSafe(q + k, r - k) && (k != 0 || first)) {
      drop |= static_cast<uint64_t>(LoneUnderscores32(q + k)) << k;
    }
  }
  return m & ~drop;
}
#endif

// The masks of a whole text, a word each as above: `out` holds (n + 63) / 64 words. Returns their OR.
template <uint64_t (*Word)(const unsigned char*, size_t, size_t)>
inline uint64_t StopMasksWith(const unsigned char* p, size_t n, uint64_t* out) {
  uint64_t any = 0;
  for (size_t base = 0; base < n; base += 64) any |= out[base / 64] = Word(p, n, base);
  return any;
}
inline uint64_t StopMasksScalar(const unsigned char* p, size_t n, uint64_t* out) {
  return StopMasksWith<StopWordScalar>(p, n, out);
}
#if defined(__x86_64__)
inline uint64_t StopMasksSse2(const unsigned char* p, size_t n, uint64_t* out) {
  return StopMasksWith<StopWordSse2>(p, n, out);
}
__attribute__((target("avx2"))) inline uint64_t StopMasksAvx2(const unsigned char* p, size_t n, uint64_t* out) {
  uint64_t any = 0;
  for (size_t base = 0; base < n; base += 64) any |= out[base / 64] = StopWordAvx2(p, n, base);
  return any;
}
#endif

// Set by tests to run the SSE2 path on a CPU with AVX2 (read when a rule set is created).
inline std::atomic<bool> g_sse2_for_tests{false};

// Whether this CPU runs the AVX2 versions (asked once).
inline bool HasAvx2() {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return avx2 && !g_sse2_for_tests.load(std::memory_order_relaxed);
#else
  return false;
#endif
}

// The fastest of the above that this CPU runs.
inline uint64_t StopMasks(const unsigned char* p, size_t n, uint64_t* out) {
#if defined(__x86_64__)
  return HasAvx2() ? StopMasksAvx2(p, n, out) : StopMasksSse2(p, n, out);
#else
  return StopMasksScalar(p, n, out);
#endif
}

}  // namespace ftprep::rules::generic

#endif  // FTPREP_VALIDATORS_GENERIC_STOP_MASKS_H_
