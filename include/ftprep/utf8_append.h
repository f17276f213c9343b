// include/ftprep/utf8_append.h — UTF-8 encoding of one code point, header-only so that plugins built as
// separate modules (which see only include/ftprep) share it with the core instead of carrying a copy.
#ifndef FTPREP_UTF8_APPEND_H_
#define FTPREP_UTF8_APPEND_H_

#include <cstdint>
#include <string>

namespace ftprep {

// Appends the UTF-8 encoding of code point cp (<= U+10FFFF; surrogates are not checked) to *out.
inline void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace ftprep

#endif  // FTPREP_UTF8_APPEND_H_
