// core/utf8.h — small UTF-8 helpers shared by readers, writers and rules.
#ifndef FTPREP_CORE_UTF8_H_
#define FTPREP_CORE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ftprep/utf8_append.h"  // AppendUtf8

namespace ftprep {

// Offset of the first invalid UTF-8 byte (overlongs, surrogates, > U+10FFFF rejected), or npos if valid.
size_t FindInvalidUtf8(std::string_view s);
inline bool IsValidUtf8(std::string_view s) { return FindInvalidUtf8(s) == std::string_view::npos; }
// Copy with each invalid byte sequence replaced by U+FFFD.
std::string ValidUtf8OrReplace(std::string_view s);
std::string Base64(std::string_view bytes);

}  // namespace ftprep

#endif  // FTPREP_CORE_UTF8_H_
