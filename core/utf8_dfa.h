// core/utf8_dfa.h — the fast UTF-8 check: a branch-free automaton for non-ASCII text, 16 ASCII bytes at a time.
//
// Used where every byte of large inputs is checked (the CSV/TSV/TXT readers, the tokenizer). The sequences it
// accepts are exactly Unicode's well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
#ifndef FTPREP_CORE_UTF8_DFA_H_
#define FTPREP_CORE_UTF8_DFA_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ftprep {

// A UTF-8 validating automaton whose transitions are indexed by the byte alone: kRows.row[b] holds, at bit
// offset 6*s, the offset of the state that follows state s on byte b. So each byte costs one load (independent
// of the state) and one shift, with no branch on the text: mixed scripts (1- to 4-byte characters in turn) do
// not mispredict on every character. States: 0 accept; 1..3 need 1..3 continuation bytes; 4 after E0 (A0..BF
// next); 5 after ED (80..9F); 6 after F0 (90..BF); 7 after F4 (80..8F); 8 error (absorbing).
namespace utf8dfa {
constexpr uint64_t kErr = 8;
constexpr uint64_t Next(uint64_t state, unsigned b) {
  const bool cont = b >= 0x80 && b <= 0xBF;
  switch (state) {
    case 0:
      if (b < 0x80) return 0;
      if (b >= 0xC2 && b <= 0xDF) return 1;
      if (b == 0xE0) return 4;
      if (b == 0xED) return 5;
      if (b >= 0xE1 && b <= 0xEF) return 2;
      if (b == 0xF0) return 6;
      if (b >= 0xF1 && b <= 0xF3) return 3;
      if (b == 0xF4) return 7;
      return kErr;
    case 1: return cont ? 0 : kErr;
    case 2: return cont ? 1 : kErr;
    case 3: return cont ? 2 : kErr;
    case 4: return b >= 0xA0 && b <= 0xBF ? 1 : kErr;
    case 5: return b >= 0x80 && b <= 0x9F ? 1 : kErr;
    case 6: return b >= 0x90 && b <= 0xBF ? 2 : kErr;
    case 7: return b >= 0x80 && b <= 0x8F ? 2 : kErr;
    default: return kErr;
  }
}
struct Rows {
  uint64_t row[256];
};
constexpr Rows MakeRows() {
  Rows r{};
  for (unsigned b = 0; b < 256; ++b) {
    for (uint64_t s = 0; s <= kErr; ++s) r.row[b] |= (Next(s, b) * 6) << (s * 6);
  }
  return r;
}
inline constexpr Rows kRows = MakeRows();
}  // namespace utf8dfa

// The first non-ASCII byte in [p, end), or end. [begin, p) is already checked: near the end the last 16 (or 8)
// bytes of [begin, end) are tested in one load that may overlap it, with the bytes before p masked off.
inline const uint8_t* SkipAscii(const uint8_t* begin, const uint8_t* p, const uint8_t* end) {
#if defined(__SSE2__)
  while (end - p >= 16) {
    const unsigned m = unsigned(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
    if (m) return p + std::countr_zero(m);
    p += 16;
  }
  if (end - begin >= 16) {
    const uint8_t* w = end - 16;
    unsigned m = unsigned(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w))));
    m &= ~0u << (p - w);
    return m ? w + std::countr_zero(m) : end;
  }
#endif
  while (end - p >= 8) {
    uint64_t x;
    std::memcpy(&x, p, 8);
    x &= 0x8080808080808080ull;
    if (x) return p + (std::countr_zero(x) >> 3);
    p += 8;
  }
  if (p < end && end - begin >= 8) {  // p == end would shift by 64 below
    const uint8_t* w = end - 8;
    uint64_t x;
    std::memcpy(&x, w, 8);
    x &= 0x8080808080808080ull & (~uint64_t{0} << (8 * (p - w)));
    return x ? w + (std::countr_zero(x) >> 3) : end;
  }
  while (p < end && *p < 0x80) ++p;
  return p;
}

// Whether [p, p + n) is well-formed UTF-8. Between characters ASCII is skipped 16 bytes at a time; from a
// non-ASCII byte the automaton runs over 16 bytes (unrolled) before the skip is tried again.
inline bool Utf8Valid(const uint8_t* p, size_t n) {
  const uint8_t* const begin = p;
  const uint8_t* const end = p + n;
  // The state is a bit offset (6 * the automaton's state) in the low 6 bits; the bits above are left over
  // from the row and ignored, so that the loop carries one shift from byte to byte, not a shift and a mask.
  uint64_t state = 0;
  while (p < end) {
    if ((state & 63) == 0) {
      p = SkipAscii(begin, p, end);
      if (p == end) break;
    }
    if (end - p >= 16) {
      for (int i = 0; i < 16; ++i) state = utf8dfa::kRows.row[p[i]] >> (state & 63);
      p += 16;
    } else {
      for (; p < end; ++p) state = utf8dfa::kRows.row[*p] >> (state & 63);
    }
    if ((state & 63) == utf8dfa::kErr * 6) return false;
  }
  return (state & 63) == 0;
}

}  // namespace ftprep

#endif  // FTPREP_CORE_UTF8_DFA_H_
