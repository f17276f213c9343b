// core/tokenizer/pretokenize.h — hand-written pre-tokenizers equal to tiktoken's split regexes.
//
// Internal to the tokenizer. Each splitter reproduces, piece for piece, what Rust fancy-regex's
// find_iter yields for one pattern of openai/tiktoken 0.14 (leftmost-first alternation, greedy with
// backtracking, possessive where the pattern says so). The patterns and the reasoning for each branch
// are quoted next to the code. Input must be valid UTF-8 (Tokenizer repairs invalid bytes first) and
// is one "haystack": the whole text, or, with special tokens allowed, the segment between two of them
// (`$` and the `(?!\S)` look-ahead stop at the segment end, as in tiktoken).
//
// Usage: `const uint8_t* q = Splitter::Next(p, end);` returns the end of the piece starting at p < end
// (always q > p). Stateless and thread-safe.
#ifndef FTPREP_CORE_TOKENIZER_PRETOKENIZE_H_
#define FTPREP_CORE_TOKENIZER_PRETOKENIZE_H_

#include <bit>
#include <cstdint>
#include <cstring>

#include "tokenizer/unicode_class.h"

namespace ftprep::tok {

struct CodePoint {
  uint32_t cp;
  uint32_t len;  // bytes
  uint8_t cls;   // unicode_class.h bits
};

// Decodes the code point at p (valid UTF-8, p < end).
inline CodePoint DecodeAt(const uint8_t* p) {
  uint32_t b = p[0];
  if (b < 0x80) return {b, 1, kUnicodeStage2[b]};  // block 0 of the table holds U+0000..U+007F
  uint32_t cp;
  uint32_t len;
  if (b < 0xE0) {
    cp = ((b & 0x1F) << 6) | (p[1] & 0x3F);
    len = 2;
  } else if (b < 0xF0) {
    cp = ((b & 0x0F) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3F);
    len = 3;
  } else {
    cp = ((b & 0x07) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3F);
    len = 4;
  }
  return {cp, len, UnicodeClass(cp)};
}

inline uint8_t AsciiClass(uint8_t b) { return kUnicodeStage2[b]; }

// Advances over code points whose class has any of `bits`, with an ASCII fast loop.
template <uint8_t kBits>
inline const uint8_t* RunOf(const uint8_t* p, const uint8_t* end) {
  while (p < end) {
    if (*p < 0x80) {
      if (!(AsciiClass(*p) & kBits)) return p;
      ++p;
    } else {
      CodePoint c = DecodeAt(p);
      if (!(c.cls & kBits)) return p;
      p += c.len;
    }
  }
  return p;
}

// Advances over "other" code points: [^\s\p{L}\p{N}].
inline const uint8_t* RunOfOther(const uint8_t* p, const uint8_t* end) {
  constexpr uint8_t kNotOther = kLetter | kNumber | kSpace;
  while (p < end) {
    if (*p < 0x80) {
      if (AsciiClass(*p) & kNotOther) return p;
      ++p;
    } else {
      CodePoint c = DecodeAt(p);
      if (c.cls & kNotOther) return p;
      p += c.len;
    }
  }
  return p;
}

inline bool IsOther(uint8_t cls) { return !(cls & (kLetter | kNumber | kSpace)); }

// Advances over bytes in [kLo, kHi] (ASCII; with kFold, bytes whose value | 0x20 is in the range, i.e.
// both cases of a letter range), eight at a time while eight bytes remain before `end`.
template <uint8_t kLo, uint8_t kHi, bool kFold = false>
inline const uint8_t* AsciiRangeRun(const uint8_t* p, const uint8_t* end) {
  static_assert(kLo >= 0x20 && kHi < 0x7F && kLo <= kHi);
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  while (end - p >= 8) {
    uint64_t x;
    std::memcpy(&x, p, 8);
    // Per byte, with the high bit cleared first so no addition carries into the next byte:
    // y + (0x80 - kLo) has its high bit set iff y >= kLo, y + (0x7F - kHi) iff y > kHi.
    const uint64_t y = (kFold ? (x | (0x20 * kOnes)) : x) & ~kHigh;
    const uint64_t in = (y + (0x80 - kLo) * kOnes) & ~(y + (0x7F - kHi) * kOnes) & ~x & kHigh;
    const uint64_t out = in ^ kHigh;
    if (out) return p + (std::countr_zero(out) >> 3);
    p += 8;
  }
  while (p < end && uint8_t((kFold ? (*p | 0x20) : *p) - kLo) <= kHi - kLo) ++p;
  return p;
}

// The maximal whitespace run starting at p (p is whitespace). Sets *last to the start of the run's last
// code point and *last_crlf to the end of its last CR or LF (nullptr if none).
inline const uint8_t* SpaceRun(const uint8_t* p, const uint8_t* end, const uint8_t** last,
                               const uint8_t** last_crlf) {
  const uint8_t* l = p;
  const uint8_t* crlf = nullptr;
  while (p < end) {
    if (*p < 0x80) {
      if (!(AsciiClass(*p) & kSpace)) break;
      if (*p == '\n' || *p == '\r') crlf = p + 1;
      l = p;
      ++p;
    } else {
      CodePoint c = DecodeAt(p);
      if (!(c.cls & kSpace)) break;
      l = p;
      p += c.len;
    }
  }
  *last = l;
  *last_crlf = crlf;
  return p;
}

// `\s+(?!\S)|\s` (and `\s++$` before it): the run to the haystack end, else the run minus its last
// code point when that leaves at least one, else one code point.
inline const uint8_t* SpaceTail(const uint8_t* p, const uint8_t* run_end, const uint8_t* last,
                                const uint8_t* end) {
  if (run_end == end) return end;
  if (last > p) return last;
  return run_end;  // a single code point
}

// The fast paths' whitespace piece at p (ASCII whitespace): the run's end when it reaches the haystack end,
// else the end of its last CR or LF, else SpaceTail (the run minus its last code point, or one). On an
// ASCII run that is cl100k's `\s++$|\s*[\r\n]|\s+(?!\S)|\s` and o200k's `\s*[\r\n]+|\s+(?!\S)|\s+`;
// they differ only in which rule comes first: with kEndFirst (cl100k's `\s++$`) a run to the end is one
// piece even after a CR or LF. Returns nullptr when the run reaches a non-ASCII byte (the general path
// decides: a non-ASCII space may continue it).
template <bool kEndFirst>
inline const uint8_t* AsciiSpacePiece(const uint8_t* p, const uint8_t* end) {
  const uint8_t* crlf = nullptr;
  const uint8_t* r = p;
  for (;;) {
    // Runs of U+0020 (indentation) eight bytes at a time, then one other byte.
    constexpr uint64_t kSpaces = 0x2020202020202020ull;
    while (end - r >= 8) {
      uint64_t x;
      std::memcpy(&x, r, 8);
      x ^= kSpaces;
      if (x) {
        r += std::countr_zero(x) >> 3;
        break;
      }
      r += 8;
    }
    if (r == end || *r >= 0x80 || !(AsciiClass(*r) & kSpace)) break;
    if (*r == '\n' || *r == '\r') crlf = r + 1;
    ++r;
  }
  if (r < end && *r >= 0x80) return nullptr;
  if (kEndFirst && r == end) return end;
  if (crlf) return crlf;
  return SpaceTail(p, r, r - 1, end);
}

// Case-insensitive 's (with U+017F long s, which folds to s), 't, 'd, 'm; 'll, 've, 're. p points at the
// apostrophe. Returns the contraction's end or nullptr. gen_unicode_tables.mjs checks that no other code
// point folds to these letters under Unicode 16.0.
inline const uint8_t* ContractionCi(const uint8_t* p, const uint8_t* end) {
  if (end - p < 2) return nullptr;
  uint8_t a = p[1] | 0x20;
  if (a == 's' || a == 't' || a == 'd' || a == 'm') return p + 2;
  if (p[1] == 0xC5 && end - p >= 3 && p[2] == 0xBF) return p + 3;  // U+017F
  if (end - p < 3) return nullptr;
  uint8_t b = p[2] | 0x20;
  if ((a == 'l' && b == 'l') || (a == 'v' && b == 'e') || (a == 'r' && b == 'e')) return p + 3;
  return nullptr;
}

// r50k_base, p50k_base, p50k_edit, gpt2:
//   '(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s
struct SplitR50k {
  static const uint8_t* Next(const uint8_t* p, const uint8_t* end) {
    if (*p == '\'' && end - p >= 2) {  // case-sensitive contractions
      uint8_t a = p[1];
      if (a == 's' || a == 'd' || a == 'm' || a == 't') return p + 2;
      if (end - p >= 3) {
        uint8_t b = p[2];
        if ((a == 'l' && b == 'l') || (a == 'v' && b == 'e') || (a == 'r' && b == 'e')) return p + 3;
      }
    }
    // ` ?X++`: a U+0020 joins the run of the class of the code point after it.
    const uint8_t* q = p;
    if (*p == ' ' && end - p >= 2) q = p + 1;
    CodePoint c = DecodeAt(q);
    if (c.cls & kLetter) return RunOf<kLetter>(q + c.len, end);
    if (c.cls & kNumber) return RunOf<kNumber>(q + c.len, end);
    if (IsOther(c.cls)) return RunOfOther(q + c.len, end);
    const uint8_t* last;
    const uint8_t* crlf;
    const uint8_t* run_end = SpaceRun(p, end, &last, &crlf);
    return SpaceTail(p, run_end, last, end);
  }
};

// cl100k_base:
//   '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$
//   |\s*[\r\n]|\s+(?!\S)|\s
struct SplitCl100k {
  // ASCII fast path, inlined into the encoder. It decides only when every code point the pattern looks
  // at is ASCII (a stop at an ASCII byte or the end); anything else, and the apostrophe (contractions
  // come first), takes the general path.
  //  - A word of ASCII letters, with an optional one-byte prefix from [^\r\n\p{L}\p{N}] when a letter
  //    follows it; should the letters run into non-ASCII text, \p{L}++ goes on there.
  //  - Otherwise: digits `\p{N}{1,3}+`; a run of ASCII punctuation, with a U+0020 before it, then
  //    `[\r\n]*+`; a run of ASCII whitespace.
  static const uint8_t* Next(const uint8_t* p, const uint8_t* end) {
    const uint8_t b = *p;
    if (b >= 0x80 || b == '\'') return NextGeneral(p, end);
    const uint8_t cls = AsciiClass(b);
    const uint8_t* q = nullptr;  // the first letter
    if (cls & kLetter)
      q = p;
    else if (!(cls & kNumber) && b != '\r' && b != '\n' && end - p >= 2 && uint8_t((p[1] | 0x20) - 'a') < 26)
      q = p + 1;
    if (q) {
      const uint8_t* w = AsciiRangeRun<'a', 'z', true>(q + 1, end);
      return w < end && *w >= 0x80 ? RunOf<kLetter>(w, end) : w;
    }
    if (end - p >= 2 && p[1] >= 0x80) return NextGeneral(p, end);  // a non-ASCII letter may follow
    if (cls & kNumber) {
      const uint8_t* d = p + 1;
      while (d < end && d < p + 3 && uint8_t(*d - '0') < 10) ++d;
      if (d == p + 3 || d == end || *d < 0x80) return d;
      return NextGeneral(p, end);
    }
    const uint8_t* r = nullptr;  // start of a punctuation run
    if (IsOther(cls))
      r = p;
    else if (b == ' ' && end - p >= 2 && IsOther(AsciiClass(p[1])))
      r = p + 1;
    if (r) {
      ++r;
      while (r < end && *r < 0x80 && IsOther(AsciiClass(*r))) ++r;
      if (r < end && *r >= 0x80) return NextGeneral(p, end);
      return CrLfRun(r, end);
    }
    // Whitespace: \s++$ | \s*[\r\n] | \s+(?!\S) | \s over an ASCII run.
    if (const uint8_t* q = AsciiSpacePiece<true>(p, end)) return q;
    return NextGeneral(p, end);
  }

  [[gnu::noinline]] static const uint8_t* NextGeneral(const uint8_t* p, const uint8_t* end) {
    if (*p == '\'') {
      if (const uint8_t* q = ContractionCi(p, end)) return q;
    }
    CodePoint c0 = DecodeAt(p);
    if (c0.cls & kLetter) return RunOf<kLetter>(p + c0.len, end);
    const uint8_t* p1 = p + c0.len;
    if (c0.cls & kNumber) {  // \p{N}{1,3}
      for (int i = 1; i < 3 && p1 < end; ++i) {
        CodePoint c = DecodeAt(p1);
        if (!(c.cls & kNumber)) break;
        p1 += c.len;
      }
      return p1;
    }
    // [^\r\n\p{L}\p{N}]?+\p{L}++ with a one-code-point prefix (c0 is not a letter or number here).
    if (*p != '\r' && *p != '\n' && p1 < end) {
      CodePoint c1 = DecodeAt(p1);
      if (c1.cls & kLetter) return RunOf<kLetter>(p1 + c1.len, end);
      // ` ?[^\s\p{L}\p{N}]++[\r\n]*+`
      if (*p == ' ' && IsOther(c1.cls)) return CrLfRun(RunOfOther(p1 + c1.len, end), end);
    }
    if (IsOther(c0.cls)) return CrLfRun(RunOfOther(p1, end), end);
    // Whitespace: \s++$ | \s*[\r\n] | \s+(?!\S) | \s
    const uint8_t* last;
    const uint8_t* crlf;
    const uint8_t* run_end = SpaceRun(p, end, &last, &crlf);
    if (run_end == end) return end;
    if (crlf) return crlf;
    return SpaceTail(p, run_end, last, end);
  }

  static const uint8_t* CrLfRun(const uint8_t* p, const uint8_t* end) {
    while (p < end && (*p == '\r' || *p == '\n')) ++p;
    return p;
  }
};

// o200k_base, o200k_harmony (U = [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}], W = [\p{Ll}\p{Lm}\p{Lo}\p{M}],
// P = [^\r\n\p{L}\p{N}], C = (?i:'s|'t|'re|'ve|'m|'ll|'d)):
//   P?U*W+C? | P?U+W*C? | \p{N}{1,3} | ?[^\s\p{L}\p{N}]+[\r\n/]* | \s*[\r\n]+ | \s+(?!\S) | \s+
struct SplitO200k {
  // ASCII fast path, inlined into the encoder. It decides only when every code point the pattern looks
  // at is ASCII (a stop at an ASCII byte or the end); anything else takes the general path.
  //  - Words: an optional one-byte prefix from P, then [A-Z]*[a-z]*. For ASCII, U is [A-Z] and W is
  //    [a-z]; a stop at an ASCII byte means no non-ASCII letter or mark can extend the word, so both word
  //    alternatives (with the prefix backtracking) reduce to that run.
  //  - No letter after the optional prefix (the word alternatives fail): digits `\p{N}{1,3}`; a run of
  //    ASCII punctuation, with a U+0020 before it, then `[\r\n/]*`; a run of ASCII whitespace.
  static const uint8_t* Next(const uint8_t* p, const uint8_t* end) {
    const uint8_t b = *p;
    if (b >= 0x80) return NextGeneral(p, end);
    const uint8_t cls = AsciiClass(b);
    const uint8_t* q = p;
    if (!(cls & (kLetter | kNumber)) && b != '\r' && b != '\n') q = p + 1;
    const uint8_t* w = q;
    while (w < end && uint8_t(*w - 'A') < 26) ++w;
    while (w < end && uint8_t(*w - 'a') < 26) ++w;
    if (w > q) {
      if (w == end || *w < 0x80) return w < end && *w == '\'' ? Contraction(w, end) : w;
      return NextGeneral(p, end);
    }
    if (q < end && *q >= 0x80) return NextGeneral(p, end);  // a non-ASCII letter may follow the prefix
    if (cls & kNumber) {
      const uint8_t* d = p + 1;
      while (d < end && d < p + 3 && uint8_t(*d - '0') < 10) ++d;
      if (d == p + 3 || d == end || *d < 0x80) return d;
      return NextGeneral(p, end);
    }
    const uint8_t* r = nullptr;  // start of a punctuation run
    if (IsOther(cls))
      r = p;
    else if (b == ' ' && q < end && IsOther(AsciiClass(*q)))
      r = q;
    if (r) {
      ++r;
      while (r < end && *r < 0x80 && IsOther(AsciiClass(*r))) ++r;
      if (r < end && *r >= 0x80) return NextGeneral(p, end);
      return CrLfSlashRun(r, end);
    }
    // Whitespace: \s*[\r\n]+ | \s+(?!\S) | \s+ over an ASCII run.
    if (const uint8_t* q = AsciiSpacePiece<false>(p, end)) return q;
    return NextGeneral(p, end);
  }

  [[gnu::noinline]] static const uint8_t* NextGeneral(const uint8_t* p, const uint8_t* end) {
    CodePoint c0 = DecodeAt(p);
    const uint8_t* p1 = p + c0.len;
    // The word alternatives. Order of attempts, as the backtracking engine makes them: alternative 1
    // with the prefix taken, then without it; then alternative 2 likewise. Without the prefix only
    // differs when c0 is in P and in U/W, i.e. a mark.
    if (c0.cls & (kUpperSet | kLowerSet)) {
      if (const uint8_t* q = WordAlt1(p, end)) return Contraction(q, end);
      // c0 is in U, so alternative 2 matches at least c0.
      return Contraction(WordAlt2(p, end), end);
    }
    const bool prefix = *p != '\r' && *p != '\n' && !(c0.cls & (kLetter | kNumber)) && p1 < end;
    if (prefix) {
      if (const uint8_t* q = WordAlt1(p1, end)) return Contraction(q, end);
      if (const uint8_t* q = WordAlt2(p1, end)) return Contraction(q, end);
    }
    if (c0.cls & kNumber) {  // \p{N}{1,3}
      for (int i = 1; i < 3 && p1 < end; ++i) {
        CodePoint c = DecodeAt(p1);
        if (!(c.cls & kNumber)) break;
        p1 += c.len;
      }
      return p1;
    }
    // ` ?[^\s\p{L}\p{N}]+[\r\n/]*`
    if (IsOther(c0.cls)) return CrLfSlashRun(RunOfOther(p1, end), end);
    if (*p == ' ' && p1 < end) {
      CodePoint c1 = DecodeAt(p1);
      if (IsOther(c1.cls)) return CrLfSlashRun(RunOfOther(p1 + c1.len, end), end);
    }
    // Whitespace: \s*[\r\n]+ | \s+(?!\S) | \s+
    const uint8_t* last;
    const uint8_t* crlf;
    const uint8_t* run_end = SpaceRun(p, end, &last, &crlf);
    if (crlf) return crlf;
    return SpaceTail(p, run_end, last, end);
  }

  // U*W+ from j: U* greedy; W+ must then match, so the engine gives U* back to the last W it ate.
  // Returns the end or nullptr.
  static const uint8_t* WordAlt1(const uint8_t* j, const uint8_t* end) {
    const uint8_t* p = j;
    const uint8_t* after_last_w = nullptr;
    while (p < end) {
      CodePoint c = *p < 0x80 ? CodePoint{*p, 1, AsciiClass(*p)} : DecodeAt(p);
      if (!(c.cls & kUpperSet)) {
        if (c.cls & kLowerSet) return RunOf<kLowerSet>(p + c.len, end);  // an Ll after the U run
        break;
      }
      p += c.len;
      if (c.cls & kLowerSet) after_last_w = p;
    }
    return after_last_w;
  }

  // U+W* from j. Returns the end or nullptr.
  static const uint8_t* WordAlt2(const uint8_t* j, const uint8_t* end) {
    const uint8_t* p = RunOf<kUpperSet>(j, end);
    if (p == j) return nullptr;
    return RunOf<kLowerSet>(p, end);
  }

  static const uint8_t* Contraction(const uint8_t* p, const uint8_t* end) {
    if (p < end && *p == '\'') {
      if (const uint8_t* q = ContractionCi(p, end)) return q;
    }
    return p;
  }

  static const uint8_t* CrLfSlashRun(const uint8_t* p, const uint8_t* end) {
    while (p < end && (*p == '\r' || *p == '\n' || *p == '/')) ++p;
    return p;
  }
};

}  // namespace ftprep::tok

#endif  // FTPREP_CORE_TOKENIZER_PRETOKENIZE_H_
