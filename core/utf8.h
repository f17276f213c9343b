// core/utf8.h — small UTF-8 helpers shared by readers, writers and rules.
#ifndef FTPREP_CORE_UTF8_H_
#define FTPREP_CORE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ftprep/utf8_append.h"  // AppendUtf8

namespace ftprep {

// Length of the well-formed UTF-8 sequence at p (1..4); 0 if the bytes there are not one (overlong, surrogate,
// > U+10FFFF, a bad continuation byte); -1 if [p, end) stops inside a sequence that is well formed so far (a
// streaming reader waits for more input). p < end.
inline int Utf8SeqLen(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = p[0];
  if (c < 0x80) return 1;
  const size_t avail = static_cast<size_t>(end - p);
  int need;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 4;
  } else {
    return 0;
  }
  for (int k = 1; k < need; ++k) {
    if (static_cast<size_t>(k) >= avail) return -1;
    if ((p[k] & 0xC0) != 0x80) return 0;
    if (k == 1) {
      if (c == 0xE0 && p[1] < 0xA0) return 0;   // overlong
      if (c == 0xED && p[1] >= 0xA0) return 0;  // UTF-16 surrogate
      if (c == 0xF0 && p[1] < 0x90) return 0;   // overlong
      if (c == 0xF4 && p[1] >= 0x90) return 0;  // above U+10FFFF
    }
  }
  return need;
}

// Offset of the first invalid UTF-8 byte (overlongs, surrogates, > U+10FFFF rejected), or npos if valid: the
// fast check of core/utf8_dfa.h, then FindInvalidUtf8Scalar to place the error.
size_t FindInvalidUtf8(std::string_view s);
// The same answer found one sequence at a time (Utf8SeqLen): the reference the fast check is tested against.
size_t FindInvalidUtf8Scalar(std::string_view s);
inline bool IsValidUtf8(std::string_view s) { return FindInvalidUtf8(s) == std::string_view::npos; }
// Copy with each invalid byte sequence replaced by U+FFFD.
std::string ValidUtf8OrReplace(std::string_view s);
std::string Base64(std::string_view bytes);

// Decodes one code point at s[i]; returns its length, or 0 if the bytes there are not valid UTF-8 (overlong,
// surrogate, > U+10FFFF, truncated), and the code point in *cp. Inline: rule scans call it per character.
inline size_t DecodeUtf8At(const unsigned char* s, size_t n, size_t i, uint32_t* cp) {
  unsigned char c = s[i];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t len;
  uint32_t v, min;
  if ((c & 0xE0) == 0xC0) {
    len = 2, v = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, v = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, v = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > n) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((s[i + k] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i + k] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return len;
}

// Code points in valid UTF-8 (bytes that do not continue a sequence).
inline size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace ftprep

#endif  // FTPREP_CORE_UTF8_H_
