// core/clean/text.h — the text steps of `ftprep clean` as pure string functions.
//
// Every step has the shape `bool Step(std::string_view in, std::string* out)`: it returns false and leaves
// *out untouched when the text needs no change (the common case, checked by a fast scan), else writes the
// new text to *out and returns true. Input is UTF-8 (JSON strings); invalid bytes are copied through
// unchanged rather than crashing. No step is quadratic in the text length. All functions are thread-safe
// (no shared mutable state; ICU normalizers are immutable singletons).
#ifndef FTPREP_CORE_CLEAN_TEXT_H_
#define FTPREP_CORE_CLEAN_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "utf8.h"  // AppendUtf8

namespace ftprep::clean {

enum class UnicodeForm { kNone, kNfc, kNfkc };

// NFC or NFKC through ICU. ASCII-only text is skipped without calling ICU.
bool NormalizeUnicode(std::string_view in, UnicodeForm form, std::string* out);

// Repairs UTF-8 that was decoded as Windows-1252 and re-encoded ("â€™" -> "’", "Ã©" -> "é"). A run of
// characters is replaced only when its cp1252 bytes form a complete, valid multi-byte UTF-8 sequence, so the
// repair round-trips (re-encoding the result as cp1252 gives the original characters back). Applied until
// stable (at most 3 rounds) to undo double encoding.
bool FixMojibake(std::string_view in, std::string* out);

// Removes invisible and control characters: C0 controls except tab, newline and carriage return (line
// endings are their own step), DEL, C1 controls, zero-width space, word joiner and invisible operators,
// BOM/ZWNBSP, bidi controls (LRM, RLM, ALM, embeddings, overrides, isolates) and interlinear annotation
// marks. ZWJ/ZWNJ are kept between two non-ASCII, non-space characters (emoji ZWJ sequences, Persian,
// Indic scripts) and removed elsewhere.
bool StripInvisible(std::string_view in, std::string* out);

// Curly single quotes/primes -> ', curly double quotes/double primes -> ".
bool AsciiQuotes(std::string_view in, std::string* out);

// CRLF and lone CR -> LF; U+2028 LINE SEPARATOR -> LF; U+2029 PARAGRAPH SEPARATOR -> LF LF.
bool NormalizeLineEndings(std::string_view in, std::string* out);

enum class WhitespaceMode { kKeep, kTrim, kCollapse };
// kTrim: removes leading/trailing whitespace (ASCII and Unicode spaces) of the whole text.
// kCollapse: kTrim, plus, outside ``` / ~~~ fenced code blocks: runs of 2+ horizontal spaces between words
// become one space, trailing spaces of lines go, 3+ consecutive newlines become 2. Leading indentation is
// kept (markdown lists) and fenced blocks are untouched.
bool NormalizeWhitespace(std::string_view in, WhitespaceMode mode, std::string* out);

// Lower case through ICU (root locale); ASCII fast path.
bool Lowercase(std::string_view in, std::string* out);

// Number of Unicode code points.
size_t CountChars(std::string_view s);
// Byte length of the longest prefix holding at most `max_chars` code points that ends on an extended
// grapheme cluster boundary (never splits a UTF-8 sequence, a combining sequence or an emoji ZWJ sequence).
size_t TruncateCharsAt(std::string_view s, size_t max_chars);
// Byte offset, at or before `limit`, of the last position that is a safe token-piece boundary: just before
// a whitespace character when one exists in the text before `limit`, else the last code point boundary.
size_t LastPieceBoundary(std::string_view s, size_t limit);

// True when the text has no characters other than whitespace.
bool IsBlank(std::string_view s);

// Decodes one code point at s[i] (advancing i). Invalid bytes decode as 0xFFFFFFFF and advance by one.
uint32_t DecodeAt(std::string_view s, size_t* i);

}  // namespace ftprep::clean

#endif  // FTPREP_CORE_CLEAN_TEXT_H_
