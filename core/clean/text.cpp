#include "clean/text.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/ucasemap.h>
#include <utf8proc.h>

#include <cstring>
#include <memory>

namespace ftprep::clean {

namespace {

constexpr uint32_t kBad = 0xFFFFFFFFu;

// True when all bytes are ASCII; 8 bytes per step because most training text is ASCII and this gates
// every expensive path.
bool AllAscii(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size(), i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ull) return false;
  }
  for (; i < n; ++i) {
    if (static_cast<unsigned char>(p[i]) >= 0x80) return false;
  }
  return true;
}

bool IsHSpace(uint32_t c) {
  return c == ' ' || c == '\t' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F ||
         c == 0x205F || c == 0x3000 || c == '\f' || c == '\v';
}
bool IsSpace(uint32_t c) { return c == '\n' || c == '\r' || IsHSpace(c); }

}  // namespace

uint32_t DecodeAt(std::string_view s, size_t* i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + *i;
  size_t avail = s.size() - *i;
  unsigned char c = p[0];
  if (c < 0x80) {
    *i += 1;
    return c;
  }
  auto cont = [&](size_t k) { return k < avail && (p[k] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF && cont(1)) {
    *i += 2;
    return ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
  }
  if (c >= 0xE0 && c <= 0xEF && cont(1) && cont(2)) {
    uint32_t cp = ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
      *i += 3;
      return cp;
    }
  }
  if (c >= 0xF0 && c <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    uint32_t cp = ((c & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
    if (cp >= 0x10000 && cp <= 0x10FFFF) {
      *i += 4;
      return cp;
    }
  }
  *i += 1;
  return kBad;
}

void AppendUtf8(uint32_t cp, std::string* out) {
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

// ---------------------------------------------------------------------------------------------- Unicode

bool NormalizeUnicode(std::string_view in, UnicodeForm form, std::string* out) {
  if (form == UnicodeForm::kNone || AllAscii(in)) return false;
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* n =
      form == UnicodeForm::kNfc ? icu::Normalizer2::getNFCInstance(err) : icu::Normalizer2::getNFKCInstance(err);
  if (U_FAILURE(err) || n == nullptr) return false;
  icu::StringPiece sp(in.data(), static_cast<int32_t>(in.size()));
  if (in.size() > INT32_MAX) return false;
  if (n->isNormalizedUTF8(sp, err) && U_SUCCESS(err)) return false;
  err = U_ZERO_ERROR;
  std::string result;
  result.reserve(in.size());
  icu::StringByteSink<std::string> sink(&result);
  n->normalizeUTF8(0, sp, sink, nullptr, err);
  if (U_FAILURE(err) || result == in) return false;
  *out = std::move(result);
  return true;
}

// ---------------------------------------------------------------------------------------------- Mojibake

namespace {

// The cp1252 byte a code point would have been decoded from, or -1. Bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D
// are undefined in cp1252; decoders that map them to the C1 control of the same value are common, so those
// controls count as their byte.
int Cp1252Byte(uint32_t cp) {
  if (cp >= 0xA0 && cp <= 0xFF) return static_cast<int>(cp);
  if (cp == 0x81 || cp == 0x8D || cp == 0x8F || cp == 0x90 || cp == 0x9D) return static_cast<int>(cp);
  switch (cp) {
    case 0x20AC: return 0x80;
    case 0x201A: return 0x82;
    case 0x0192: return 0x83;
    case 0x201E: return 0x84;
    case 0x2026: return 0x85;
    case 0x2020: return 0x86;
    case 0x2021: return 0x87;
    case 0x02C6: return 0x88;
    case 0x2030: return 0x89;
    case 0x0160: return 0x8A;
    case 0x2039: return 0x8B;
    case 0x0152: return 0x8C;
    case 0x017D: return 0x8E;
    case 0x2018: return 0x91;
    case 0x2019: return 0x92;
    case 0x201C: return 0x93;
    case 0x201D: return 0x94;
    case 0x2022: return 0x95;
    case 0x2013: return 0x96;
    case 0x2014: return 0x97;
    case 0x02DC: return 0x98;
    case 0x2122: return 0x99;
    case 0x0161: return 0x9A;
    case 0x203A: return 0x9B;
    case 0x0153: return 0x9C;
    case 0x017E: return 0x9E;
    case 0x0178: return 0x9F;
    default: return -1;
  }
}

bool FixMojibakeOnce(std::string_view in, std::string* out) {
  // Every mojibake sequence starts with a UTF-8 lead byte seen as Latin-1 (U+00C2..U+00F4), i.e. text bytes
  // C3 82..C3 B4; cheap to rule out.
  bool maybe = false;
  for (size_t i = 0; i + 1 < in.size(); ++i) {
    if (in[i] == '\xC3' && static_cast<unsigned char>(in[i + 1]) >= 0x82 &&
        static_cast<unsigned char>(in[i + 1]) <= 0xB4) {
      maybe = true;
      break;
    }
  }
  if (!maybe) return false;
  std::string res;
  res.reserve(in.size());
  bool changed = false;
  size_t i = 0;
  // Window of up to 4 decoded characters and their cp1252 bytes, starting at i.
  while (i < in.size()) {
    size_t j = i;
    uint32_t cp = DecodeAt(in, &j);
    int b0 = cp == kBad ? -1 : Cp1252Byte(cp);
    size_t need = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) need = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) need = 3;
    else if (b0 >= 0xF0 && b0 <= 0xF4) need = 4;
    if (need > 0) {
      unsigned char bytes[4] = {static_cast<unsigned char>(b0), 0, 0, 0};
      size_t k = j, got = 1;
      while (got < need && k < in.size()) {
        size_t k2 = k;
        uint32_t c2 = DecodeAt(in, &k2);
        int b = c2 == kBad ? -1 : Cp1252Byte(c2);
        if (b < 0x80 || b > 0xBF) break;
        bytes[got++] = static_cast<unsigned char>(b);
        k = k2;
      }
      if (got == need) {
        std::string_view seq(reinterpret_cast<const char*>(bytes), need);
        size_t p = 0;
        uint32_t fixed = DecodeAt(seq, &p);
        if (fixed != kBad && p == need) {
          AppendUtf8(fixed, &res);
          changed = true;
          i = k;
          continue;
        }
      }
    }
    res.append(in.data() + i, j - i);
    i = j;
  }
  if (!changed) return false;
  *out = std::move(res);
  return true;
}

}  // namespace

bool FixMojibake(std::string_view in, std::string* out) {
  std::string cur, next;
  if (!FixMojibakeOnce(in, &cur)) return false;
  for (int round = 1; round < 3 && FixMojibakeOnce(cur, &next); ++round) cur.swap(next);
  *out = std::move(cur);
  return true;
}

// ---------------------------------------------------------------------------------------------- Invisible

namespace {

bool AlwaysInvisible(uint32_t c) {
  if (c < 0x20) return c != '\t' && c != '\n' && c != '\r';
  if (c == 0x7F || (c >= 0x80 && c <= 0x9F)) return true;
  switch (c) {
    case 0x061C:  // ARABIC LETTER MARK
    case 0x180E:  // MONGOLIAN VOWEL SEPARATOR
    case 0x200B:  // ZERO WIDTH SPACE
    case 0x200E:  // LRM
    case 0x200F:  // RLM
    case 0xFEFF:  // BOM / ZWNBSP
      return true;
    default:
      break;
  }
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) ||
         (c >= 0xFFF9 && c <= 0xFFFB);
}

bool JoinerContext(uint32_t c) { return c != kBad && c >= 0x80 && !IsSpace(c) && !AlwaysInvisible(c); }

}  // namespace

bool StripInvisible(std::string_view in, std::string* out) {
  // Fast scan: ASCII controls, or any lead byte of the ranges above (C2 = C1 controls, D8 = U+061C,
  // E1 = U+180E, E2 = U+20xx, EF = U+FEFF/U+FFFx).
  size_t first = std::string_view::npos;
  for (size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F || c == 0xC2 || c == 0xD8 ||
        c == 0xE1 || c == 0xE2 || c == 0xEF) {
      first = i;
      break;
    }
  }
  if (first == std::string_view::npos) return false;
  std::string res;
  res.reserve(in.size());
  res.append(in.data(), first);
  bool changed = false;
  uint32_t prev = first > 0 ? 0 : kBad;
  if (first > 0) {
    size_t back = first - 1;
    while (back > 0 && (static_cast<unsigned char>(in[back]) & 0xC0) == 0x80) --back;
    size_t t = back;
    prev = DecodeAt(in, &t);
  }
  size_t i = first;
  while (i < in.size()) {
    size_t j = i;
    uint32_t c = DecodeAt(in, &j);
    bool drop = false;
    if (c != kBad && AlwaysInvisible(c)) {
      drop = true;
    } else if (c == 0x200C || c == 0x200D) {
      size_t k = j;
      uint32_t next = k < in.size() ? DecodeAt(in, &k) : kBad;
      // An emoji ZWJ sequence may continue after a variation selector (U+FE0F) on the left; both sides are
      // non-ASCII in every legitimate use.
      drop = !(JoinerContext(prev) && JoinerContext(next));
    }
    if (drop) {
      changed = true;
    } else {
      res.append(in.data() + i, j - i);
      prev = c;
    }
    i = j;
  }
  if (!changed) return false;
  *out = std::move(res);
  return true;
}

// ---------------------------------------------------------------------------------------------- Quotes

bool AsciiQuotes(std::string_view in, std::string* out) {
  if (in.find('\xE2') == std::string_view::npos) return false;
  std::string res;
  res.reserve(in.size());
  bool changed = false;
  size_t i = 0;
  while (i < in.size()) {
    size_t j = i;
    uint32_t c = DecodeAt(in, &j);
    char rep = 0;
    if (c == 0x2018 || c == 0x2019 || c == 0x201A || c == 0x201B || c == 0x2032) rep = '\'';
    if (c == 0x201C || c == 0x201D || c == 0x201E || c == 0x201F || c == 0x2033) rep = '"';
    if (rep) {
      res.push_back(rep);
      changed = true;
    } else {
      res.append(in.data() + i, j - i);
    }
    i = j;
  }
  if (!changed) return false;
  *out = std::move(res);
  return true;
}

// ---------------------------------------------------------------------------------------------- Line endings

bool NormalizeLineEndings(std::string_view in, std::string* out) {
  bool any = in.find('\r') != std::string_view::npos;
  if (!any && in.find("\xE2\x80") != std::string_view::npos) {
    any = in.find("\xE2\x80\xA8") != std::string_view::npos || in.find("\xE2\x80\xA9") != std::string_view::npos;
  }
  if (!any) return false;
  std::string res;
  res.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '\r') {
      res.push_back('\n');
      if (i + 1 < in.size() && in[i + 1] == '\n') ++i;
    } else if (c == '\xE2' && i + 2 < in.size() && in[i + 1] == '\x80' && (in[i + 2] == '\xA8' || in[i + 2] == '\xA9')) {
      res.append(in[i + 2] == '\xA8' ? "\n" : "\n\n");
      i += 2;
    } else {
      res.push_back(c);
    }
  }
  *out = std::move(res);
  return true;
}

// ---------------------------------------------------------------------------------------------- Whitespace

namespace {

// Byte length of the whitespace character at s[i] (0 if none); *nl set when it is a line break.
size_t SpaceAt(std::string_view s, size_t i, bool* nl) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  *nl = false;
  if (c < 0x80) {
    if (c == '\n' || c == '\r') {
      *nl = true;
      return 1;
    }
    return (c == ' ' || c == '\t' || c == '\f' || c == '\v') ? 1 : 0;
  }
  if (c != 0xC2 && c != 0xE1 && c != 0xE2 && c != 0xE3) return 0;
  size_t j = i;
  uint32_t cp = DecodeAt(s, &j);
  return IsHSpace(cp) ? j - i : 0;
}

bool IsFenceLine(std::string_view line) {
  size_t k = 0;
  while (k < line.size() && k < 4 && line[k] == ' ') ++k;
  return line.substr(k).starts_with("```") || line.substr(k).starts_with("~~~");
}

std::string_view TrimView(std::string_view s) {
  size_t b = 0, e = s.size();
  bool nl;
  while (b < e) {
    size_t n = SpaceAt(s, b, &nl);
    if (n == 0) break;
    b += n;
  }
  while (e > b) {
    // Step back over one character.
    size_t k = e - 1;
    while (k > b && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
    if (SpaceAt(s, k, &nl) != e - k) break;
    e = k;
  }
  return s.substr(b, e - b);
}

}  // namespace

bool NormalizeWhitespace(std::string_view in, WhitespaceMode mode, std::string* out) {
  if (mode == WhitespaceMode::kKeep) return false;
  std::string_view t = TrimView(in);
  if (mode == WhitespaceMode::kTrim) {
    if (t.size() == in.size()) return false;
    *out = std::string(t);
    return true;
  }
  std::string res;
  res.reserve(t.size());
  bool in_fence = false;
  size_t newlines = 0;  // consecutive line breaks just emitted (outside fences)
  size_t pos = 0;
  while (pos <= t.size()) {
    size_t eol = t.find('\n', pos);
    bool last = eol == std::string_view::npos;
    std::string_view line = t.substr(pos, last ? std::string_view::npos : eol - pos);
    bool fence = IsFenceLine(line);
    if (in_fence || fence) {
      // Code: copied verbatim, blank lines included.
      if (fence) in_fence = !in_fence;
      res.append(line);
      newlines = 0;
    } else {
      // Prose: keep leading indentation, squeeze interior runs, drop trailing spaces.
      size_t i = 0;
      bool nl;
      while (i < line.size()) {
        size_t n = SpaceAt(line, i, &nl);
        if (n == 0 || nl) break;
        i += n;
      }
      std::string_view indent = line.substr(0, i);
      std::string body;
      size_t run_start = std::string_view::npos, run_chars = 0;
      while (i < line.size()) {
        size_t n = SpaceAt(line, i, &nl);
        if (n > 0 && !nl) {
          if (run_start == std::string_view::npos) run_start = i, run_chars = 0;
          ++run_chars;
          i += n;
          continue;
        }
        if (run_start != std::string_view::npos) {
          // A single space character stays as it is (it may be a meaningful NBSP); longer runs become ' '.
          if (run_chars == 1) body.append(line.substr(run_start, i - run_start));
          else body.push_back(' ');
          run_start = std::string_view::npos;
        }
        size_t j = i;
        DecodeAt(line, &j);
        if (n > 0) j = i + n;  // a '\r' left inside a line (line endings step off)
        body.append(line.substr(i, j - i));
        i = j;
      }
      if (body.empty()) {
        // Blank line: at most one in a row.
        if (newlines >= 2) {
          pos = last ? t.size() + 1 : eol + 1;
          continue;
        }
      } else {
        res.append(indent);
        res.append(body);
      }
      newlines = body.empty() ? newlines : 0;
    }
    if (last) break;
    res.push_back('\n');
    ++newlines;
    pos = eol + 1;
  }
  if (res == in) return false;
  *out = std::move(res);
  return true;
}

// ---------------------------------------------------------------------------------------------- Case

bool Lowercase(std::string_view in, std::string* out) {
  if (AllAscii(in)) {
    size_t k = 0;
    while (k < in.size() && !(in[k] >= 'A' && in[k] <= 'Z')) ++k;
    if (k == in.size()) return false;
    std::string res(in);
    for (char& c : res) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    *out = std::move(res);
    return true;
  }
  if (in.size() > INT32_MAX / 2) return false;
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<UCaseMap, void (*)(UCaseMap*)> map(ucasemap_open("", 0, &err), ucasemap_close);
  if (U_FAILURE(err)) return false;
  std::string res(in.size() + 16, '\0');
  int32_t n = ucasemap_utf8ToLower(map.get(), res.data(), static_cast<int32_t>(res.size()), in.data(),
                                   static_cast<int32_t>(in.size()), &err);
  if (err == U_BUFFER_OVERFLOW_ERROR) {
    err = U_ZERO_ERROR;
    res.assign(static_cast<size_t>(n), '\0');
    n = ucasemap_utf8ToLower(map.get(), res.data(), n, in.data(), static_cast<int32_t>(in.size()), &err);
  }
  if (U_FAILURE(err)) return false;
  res.resize(static_cast<size_t>(n));
  if (res == in) return false;
  *out = std::move(res);
  return true;
}

// ---------------------------------------------------------------------------------------------- Length

size_t CountChars(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

size_t TruncateCharsAt(std::string_view s, size_t max_chars) {
  size_t i = 0, chars = 0, last_boundary = 0;
  utf8proc_int32_t state = 0;
  uint32_t prev = kBad;
  while (i < s.size()) {
    size_t j = i;
    uint32_t c = DecodeAt(s, &j);
    bool boundary = prev == kBad || c == kBad ||
                    utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(prev),
                                                     static_cast<utf8proc_int32_t>(c), &state);
    if (c == kBad) state = 0;
    if (boundary) last_boundary = i;
    if (chars == max_chars) return boundary ? i : last_boundary;
    ++chars;
    prev = c;
    i = j;
  }
  return s.size();
}

size_t LastPieceBoundary(std::string_view s, size_t limit) {
  if (limit >= s.size()) return s.size();
  while (limit > 0 && (static_cast<unsigned char>(s[limit]) & 0xC0) == 0x80) --limit;
  size_t k = limit;
  while (k > 0) {
    unsigned char c = static_cast<unsigned char>(s[k - 1]);
    if (c == ' ' || c == '\n' || c == '\t') return k - 1;
    --k;
  }
  return limit;
}

bool IsBlank(std::string_view s) { return TrimView(s).empty(); }

}  // namespace ftprep::clean
