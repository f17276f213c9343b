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
  // Every mojibake sequence starts with a UTF-8 lead byte seen as Latin-1 (U+00C2..U+00F4), i.e. the bytes
  // C3 82..C3 B4; jump from one to the next and copy the text between unchanged.
  std::string res;
  bool changed = false;
  size_t copied = 0, i = in.find('\xC3');
  while (i != std::string_view::npos && i + 1 < in.size()) {
    unsigned char b1 = static_cast<unsigned char>(in[i + 1]);
    size_t next = i + 1;
    if (b1 >= 0x82 && b1 <= 0xB4) {
      int b0 = 0xC0 + (b1 - 0x80);
      size_t need = b0 <= 0xDF ? 2 : b0 <= 0xEF ? 3 : 4;
      unsigned char bytes[4] = {static_cast<unsigned char>(b0), 0, 0, 0};
      size_t k = i + 2, got = 1;
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
          if (!changed) res.reserve(in.size());
          res.append(in.data() + copied, i - copied);
          AppendUtf8(fixed, &res);
          copied = k;
          changed = true;
          next = k;
        }
      }
    }
    i = in.find('\xC3', next);
  }
  if (!changed) return false;
  res.append(in.data() + copied, in.size() - copied);
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

// ZWJ/ZWNJ belong between letters, marks and symbols (emoji, modifiers): never next to ASCII, spaces,
// punctuation, other joiners or characters this step removes.
bool JoinerContext(uint32_t c) {
  if (c == kBad || c < 0x80 || c == 0x200C || c == 0x200D || IsSpace(c) || AlwaysInvisible(c)) return false;
  int cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME) || cat == UTF8PROC_CATEGORY_SK ||
         cat == UTF8PROC_CATEGORY_SO;
}

}  // namespace

namespace {

// Byte-exact test for the start of a character StripInvisible may remove (ZWJ/ZWNJ included: they need a
// look at their neighbours). Most text is ASCII, curly quotes and dashes, which this rejects without
// decoding.
inline bool Candidate(const unsigned char* p, size_t avail) {
  unsigned char c = p[0];
  if (c < 0x80) return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
  if (avail < 2) return false;
  unsigned char c1 = p[1];
  switch (c) {
    case 0xC2: return c1 >= 0x80 && c1 <= 0x9F;                      // C1 controls
    case 0xD8: return c1 == 0x9C;                                    // U+061C
    case 0xE1: return avail >= 3 && c1 == 0xA0 && p[2] == 0x8E;      // U+180E
    case 0xE2:
      if (avail < 3) return false;
      if (c1 == 0x80) return (p[2] >= 0x8B && p[2] <= 0x8F) || (p[2] >= 0xAA && p[2] <= 0xAE);
      if (c1 == 0x81) return (p[2] >= 0xA0 && p[2] <= 0xA4) || (p[2] >= 0xA6 && p[2] <= 0xA9);
      return false;
    case 0xEF:
      return avail >= 3 && ((c1 == 0xBB && p[2] == 0xBF) || (c1 == 0xBF && p[2] >= 0xB9 && p[2] <= 0xBB));
    default:
      return false;
  }
}

size_t NextCandidate(std::string_view in, size_t from) {
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  size_t n = in.size();
  for (size_t i = from; i < n; ++i) {
    unsigned char c = p[i];
    // Printable ASCII and continuation/other lead bytes skip quickly.
    if ((c >= 0x20 && c < 0x7F) || (c >= 0x80 && c != 0xC2 && c != 0xD8 && c != 0xE1 && c != 0xE2 && c != 0xEF)) {
      continue;
    }
    if (Candidate(p + i, n - i)) return i;
  }
  return std::string_view::npos;
}

uint32_t PrevCodePoint(std::string_view s, size_t end) {
  if (end == 0) return kBad;
  size_t back = end - 1;
  while (back > 0 && end - back < 4 && (static_cast<unsigned char>(s[back]) & 0xC0) == 0x80) --back;
  size_t t = back;
  uint32_t c = DecodeAt(s, &t);
  return t == end ? c : kBad;
}

}  // namespace

bool StripInvisible(std::string_view in, std::string* out) {
  size_t cand = NextCandidate(in, 0);
  if (cand == std::string_view::npos) return false;
  std::string res;
  bool changed = false;
  size_t copied = 0;  // in[0, copied) is decided (appended to res or dropped)
  while (cand != std::string_view::npos) {
    size_t j = cand;
    uint32_t c = DecodeAt(in, &j);
    bool drop = true;
    if (c == 0x200C || c == 0x200D) {
      // Neighbours as they will be in the output: the left one is the last character kept.
      uint32_t prev = cand > copied ? PrevCodePoint(in, cand) : (res.empty() ? kBad : PrevCodePoint(res, res.size()));
      size_t k = j;
      uint32_t next = k < in.size() ? DecodeAt(in, &k) : kBad;
      drop = !(JoinerContext(prev) && JoinerContext(next));
    }
    if (drop) {
      if (!changed) res.reserve(in.size());
      res.append(in.data() + copied, cand - copied);
      copied = j;
      changed = true;
    }
    cand = NextCandidate(in, j);
  }
  if (!changed) return false;
  res.append(in.data() + copied, in.size() - copied);
  *out = std::move(res);
  return true;
}

// ---------------------------------------------------------------------------------------------- Quotes

bool AsciiQuotes(std::string_view in, std::string* out) {
  std::string res;
  bool changed = false;
  size_t copied = 0, i = in.find('\xE2');
  while (i != std::string_view::npos && i + 2 < in.size()) {
    unsigned char b1 = static_cast<unsigned char>(in[i + 1]), b2 = static_cast<unsigned char>(in[i + 2]);
    char rep = 0;
    if (b1 == 0x80 && b2 >= 0x98 && b2 <= 0x9B) rep = '\'';       // U+2018..U+201B
    else if (b1 == 0x80 && b2 >= 0x9C && b2 <= 0x9F) rep = '"';   // U+201C..U+201F
    else if (b1 == 0x80 && b2 == 0xB2) rep = '\'';                // U+2032 prime
    else if (b1 == 0x80 && b2 == 0xB3) rep = '"';                 // U+2033 double prime
    if (rep) {
      if (!changed) res.reserve(in.size());
      res.append(in.data() + copied, i - copied);
      res.push_back(rep);
      copied = i + 3;
      changed = true;
    }
    i = in.find('\xE2', i + 1);
  }
  if (!changed) return false;
  res.append(in.data() + copied, in.size() - copied);
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

// Cheap pre-scan: false when collapsing cannot change the (trimmed) text — no run of two spaces/tabs, no
// space before a newline, no three newlines in a row, no Unicode spaces, \f, \v or \r. Most texts pass.
bool MayCollapse(std::string_view t) {
  const auto* p = reinterpret_cast<const unsigned char*>(t.data());
  unsigned char prev = 0;
  size_t newlines = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    unsigned char c = p[i];
    if (c >= 0x21 && c < 0x80) {
      prev = c;
      newlines = 0;
      continue;
    }
    if (c == ' ' || c == '\t') {
      if (prev == ' ' || prev == '\t') return true;
    } else if (c == '\n') {
      if (prev == ' ' || prev == '\t' || ++newlines >= 3) return true;
      prev = c;
      continue;
    } else if (c == '\r' || c == '\f' || c == '\v') {
      return true;
    } else if (c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3) {
      size_t j = i;
      uint32_t cp = DecodeAt(t, &j);
      if (IsHSpace(cp)) {
        if (prev == ' ' || prev == '\t') return true;
        c = ' ';
      } else {
        c = 'x';
      }
      i = j - 1;
    }
    prev = c;
    newlines = 0;
  }
  return false;
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
  if (!MayCollapse(t)) {
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
      // Indentation goes out first and is taken back if the line turns out blank.
      const size_t line_start = res.size();
      res.append(line.substr(0, i));
      const size_t body_start = res.size();
      size_t run_start = std::string_view::npos, run_chars = 0;
      while (i < line.size()) {
        unsigned char c = static_cast<unsigned char>(line[i]);
        if (c > ' ' && c < 0x80) {
          // Copy a run of visible ASCII at once.
          size_t j = i + 1;
          while (j < line.size() && static_cast<unsigned char>(line[j]) > ' ' && static_cast<unsigned char>(line[j]) < 0x80) ++j;
          if (run_start != std::string_view::npos) {
            // A single space character stays as it is (it may be a meaningful NBSP); longer runs become ' '.
            if (run_chars == 1) res.append(line.substr(run_start, i - run_start));
            else res.push_back(' ');
            run_start = std::string_view::npos;
          }
          res.append(line.substr(i, j - i));
          i = j;
          continue;
        }
        size_t n = SpaceAt(line, i, &nl);
        if (n > 0 && !nl) {
          if (run_start == std::string_view::npos) run_start = i, run_chars = 0;
          ++run_chars;
          i += n;
          continue;
        }
        if (run_start != std::string_view::npos) {
          if (run_chars == 1) res.append(line.substr(run_start, i - run_start));
          else res.push_back(' ');
          run_start = std::string_view::npos;
        }
        size_t j = i;
        DecodeAt(line, &j);
        if (n > 0) j = i + n;  // a '\r' left inside a line (line endings step off)
        res.append(line.substr(i, j - i));
        i = j;
      }
      bool blank = res.size() == body_start;
      if (blank) {
        res.resize(line_start);
        // Blank line: at most one in a row.
        if (newlines >= 2) {
          pos = last ? t.size() + 1 : eol + 1;
          continue;
        }
      } else {
        newlines = 0;
      }
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
