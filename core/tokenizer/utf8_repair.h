// core/tokenizer/utf8_repair.h — UTF-8 validation and lossy repair for the tokenizer.
//
// Internal (the check itself is core/utf8_dfa.h's Utf8Valid). The repair follows Rust's String::from_utf8_lossy (the W3C/Unicode "maximal subpart"
// practice): each maximal prefix of a would-be sequence that cannot be completed becomes one U+FFFD.
// tiktoken only ever sees Rust Strings, so this is what "the same ids as tiktoken" means for bytes
// that are not UTF-8.
#ifndef FTPREP_CORE_TOKENIZER_UTF8_REPAIR_H_
#define FTPREP_CORE_TOKENIZER_UTF8_REPAIR_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace ftprep::tok {

// Length of the valid sequence at p (p < end), or 0 with *bad = length of the maximal invalid subpart.
inline size_t Utf8SequenceLength(const uint8_t* p, const uint8_t* end, size_t* bad) {
  const uint8_t b = p[0];
  if (b < 0x80) return 1;
  size_t need;
  uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the first continuation byte
  if (b >= 0xC2 && b <= 0xDF) {
    need = 1;
  } else if (b == 0xE0) {
    need = 2, lo = 0xA0;
  } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
    need = 2;
  } else if (b == 0xED) {
    need = 2, hi = 0x9F;  // no surrogates
  } else if (b == 0xF0) {
    need = 3, lo = 0x90;
  } else if (b >= 0xF1 && b <= 0xF3) {
    need = 3;
  } else if (b == 0xF4) {
    need = 3, hi = 0x8F;
  } else {
    *bad = 1;
    return 0;
  }
  for (size_t i = 1; i <= need; ++i) {
    if (p + i >= end || p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xBF)) {
      *bad = i;
      return 0;
    }
  }
  return need + 1;
}

// Appends [p, p + n) to *out with every maximal invalid subpart replaced by U+FFFD.
inline void RepairUtf8(const uint8_t* p, size_t n, std::string* out) {
  const uint8_t* const end = p + n;
  while (p < end) {
    size_t bad = 0;
    size_t len = Utf8SequenceLength(p, end, &bad);
    if (len) {
      out->append(reinterpret_cast<const char*>(p), len);
      p += len;
    } else {
      out->append("\xEF\xBF\xBD");
      p += bad;
    }
  }
}

}  // namespace ftprep::tok

#endif  // FTPREP_CORE_TOKENIZER_UTF8_REPAIR_H_
