#include "json_fast.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include "utf8.h"

namespace ftprep {
namespace {

constexpr size_t kMaxMembers = 64;  // beyond, the full path's hash set checks duplicates in linear time

inline bool IsWs(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
// The text ends with a NUL, which stops every scan below that looks at single bytes.
// Most calls find no blank, or the one space of ", " and ": ": the first test turns away every byte above it.
inline const char* SkipWs(const char* p) {
  while (static_cast<unsigned char>(*p) <= ' ' && IsWs(*p)) ++p;
  return p;
}
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Bytes that end a plain run inside a string: the closing quote, an escape, a control byte (an error) or the
// lead of a multi-byte character (to be validated).
inline bool IsSpecial(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return c == '"' || c == '\\' || u < 0x20 || u >= 0x80;
}

#if defined(__SSE2__)
// Bit i set when p[i] is special (16 bytes, unaligned).
inline unsigned Specials16(__m128i v) {
  __m128i q = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
  __m128i b = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
  __m128i c = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));  // signed: also every byte >= 0x80
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(q, b), c)));
}
#endif

// Copies [p, end) to dst up to the first special byte, which it returns (or end); *dst moves past the copy.
// Whole 16-byte blocks are stored while 16 bytes of the text are left, so dst needs room for end - p bytes.
inline const char* CopyToSpecial(const char* p, const char* end, char** dst) {
  char* d = *dst;
#if defined(__SSE2__)
  while (end - p >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d), v);
    unsigned m = Specials16(v);
    if (m != 0) {
      unsigned k = static_cast<unsigned>(__builtin_ctz(m));
      *dst = d + k;
      return p + k;
    }
    p += 16;
    d += 16;
  }
#endif
  while (p < end && !IsSpecial(*p)) *d++ = *p++;
  *dst = d;
  return p;
}

// Skips a run of multi-byte characters starting at p; nullptr if one is malformed.
inline const char* SkipUtf8(const char* p, const char* end) {
  do {
    // The line check's rules (core/utf8.h): no overlong forms, no surrogates, nothing above U+10FFFF.
    const int n = Utf8SeqLen(reinterpret_cast<const unsigned char*>(p), reinterpret_cast<const unsigned char*>(end));
    if (n <= 0) return nullptr;  // malformed, or cut by the end of the line
    p += n;
  } while (p < end && static_cast<unsigned char>(*p) >= 0x80);
  return p;
}

inline char* PutUtf8(unsigned cp, char* d) {
  if (cp < 0x80) {
    *d++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *d++ = static_cast<char>(0xC0 | (cp >> 6));
    *d++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *d++ = static_cast<char>(0xE0 | (cp >> 12));
    *d++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *d++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *d++ = static_cast<char>(0xF0 | (cp >> 18));
    *d++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *d++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *d++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return d;
}

// The byte a two-byte escape stands for, by the byte after the backslash; 0 for 'u' and for invalid escapes.
constexpr auto kSimpleEscapes = [] {
  std::array<char, 256> t{};
  t['"'] = '"';
  t['\\'] = '\\';
  t['/'] = '/';
  t['b'] = '\b';
  t['f'] = '\f';
  t['n'] = '\n';
  t['r'] = '\r';
  t['t'] = '\t';
  return t;
}();

// Decodes the escape at p (a backslash) into *dst; returns the byte after it, or nullptr for an invalid
// escape or a lone surrogate.
inline const char* Unescape(const char* p, char** dst) {
  const char simple = kSimpleEscapes[static_cast<unsigned char>(p[1])];
  if (simple != 0) {
    *(*dst)++ = simple;
    return p + 2;
  }
  if (p[1] != 'u') return nullptr;
  int cp = JsonHex4(p + 2);
  if (cp < 0) return nullptr;
  p += 6;
  if (cp >= 0xD800 && cp <= 0xDFFF) {
    if (cp >= 0xDC00 || p[0] != '\\' || p[1] != 'u') return nullptr;
    int lo = JsonHex4(p + 2);
    if (lo < 0xDC00 || lo > 0xDFFF) return nullptr;
    p += 6;
    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
  }
  *dst = PutUtf8(static_cast<unsigned>(cp), *dst);
  return p;
}

}  // namespace

bool FastJson::Parse(rapidjson::Document& doc, const char* text, size_t len, int max_depth) {
  if (len >= 0xFFFFFFFFu || max_depth < 1) return false;
  text_ = text;
  end_ = text + len;
  // The document's strings: one block of the document's memory (so they live as long as the document), a
  // string at its offset in the text, ended by a NUL.
  strings_ = static_cast<char*>(doc.GetAllocator().Malloc(len + 1));
  max_depth_ = static_cast<size_t>(max_depth);
  bool ok = false;
  auto build = [this, &ok](rapidjson::Document& d) {
    ok = Run(d);
    return ok;
  };
  doc.Populate(build);
  return ok;
}

bool FastJson::Run(rapidjson::Document& d) {
  frames_.clear();
  nkeys_ = 0;
  const char* p = SkipWs(text_);
  if (*p != '{') return false;
  bool want_key = false;
  for (;;) {
    if (want_key) {
      if (*p != '"' || nkeys_ - frames_.back().key_start >= kMaxMembers) return false;
      p = String(p, d, true);
      if (p == nullptr) return false;
      p = SkipWs(p);
      if (*p != ':') return false;
      p = SkipWs(p + 1);
    }
    // A value at p. A container that is not empty opens a frame and goes on with its first member.
    switch (*p) {
      case '{':
        if (frames_.size() >= max_depth_) return false;
        d.StartObject();
        p = SkipWs(p + 1);
        if (*p != '}') {
          if (keys_.size() < nkeys_ + kMaxMembers) keys_.resize(nkeys_ + kMaxMembers);
          frames_.push_back({0, static_cast<uint32_t>(nkeys_), true});
          want_key = true;
          continue;
        }
        ++p;
        d.EndObject(0);
        break;
      case '[':
        if (frames_.size() >= max_depth_) return false;
        d.StartArray();
        p = SkipWs(p + 1);
        if (*p != ']') {
          frames_.push_back({0, 0, false});
          want_key = false;
          continue;
        }
        ++p;
        d.EndArray(0);
        break;
      case '"':
        p = String(p, d, false);
        if (p == nullptr) return false;
        break;
      case 't':
        if (p[1] != 'r' || p[2] != 'u' || p[3] != 'e') return false;
        d.Bool(true);
        p += 4;
        break;
      case 'f':
        if (p[1] != 'a' || p[2] != 'l' || p[3] != 's' || p[4] != 'e') return false;
        d.Bool(false);
        p += 5;
        break;
      case 'n':
        if (p[1] != 'u' || p[2] != 'l' || p[3] != 'l') return false;
        d.Null();
        p += 4;
        break;
      default:
        p = Number(p, d);
        if (p == nullptr) return false;
        break;
    }
    // A value ended at p: close the containers it ends.
    for (;;) {
      if (frames_.empty()) return SkipWs(p) == end_;
      Frame& f = frames_.back();
      ++f.count;
      p = SkipWs(p);
      if (*p == ',') {
        p = SkipWs(p + 1);
        want_key = f.object;
        break;
      }
      if (*p != (f.object ? '}' : ']')) return false;
      ++p;
      if (f.object) {
        d.EndObject(f.count);
        nkeys_ = f.key_start;
      } else {
        d.EndArray(f.count);
      }
      frames_.pop_back();
    }
  }
}

inline bool FastJson::NewKey(std::string_view k) {
  for (size_t i = frames_.back().key_start; i < nkeys_; ++i) {
    if (keys_[i].size() == k.size() && std::memcmp(keys_[i].data(), k.data(), k.size()) == 0) return false;
  }
  keys_[nkeys_++] = k;
  return true;
}

// Ends a string whose bytes are [out, o) (a key's text starts at `start`: keys with escapes never get here):
// NUL-terminates it and hands it to the document, a key after the duplicate check. False for a duplicate key.
__attribute__((always_inline)) inline bool FastJson::EndString(const char* start, char* out, char* o,
                                                              rapidjson::Document& d, bool key) {
  const auto n = static_cast<rapidjson::SizeType>(o - out);
  *o = '\0';
  if (key) {
    if (!NewKey(std::string_view(start, n))) return false;
    d.Key(out, n, false);
  } else {
    d.String(out, n, false);
  }
  return true;
}

// The string at p (its opening quote) as a key or a value; returns the byte after its closing quote. Its bytes
// go to the same offset in strings_ as it is stored: most strings are short keys and values that hold nothing
// special but the closing quote, and take the first return; StringRest does the rest.
__attribute__((always_inline)) inline const char* FastJson::String(const char* p, rapidjson::Document& d, bool key) {
  const char* const start = p + 1;
  char* const out = strings_ + (start - text_);
  char* o = out;
  p = CopyToSpecial(start, end_, &o);
  if (p == end_ || *p != '"') return StringRest(start, p, out, o, d, key);
  return EndString(start, out, o, d, key) ? p + 1 : nullptr;
}

// String from p, the first special byte (or end_) after the string's start, with [out, o) its bytes so far.
// Unescaped bytes are never more than their escapes, so o stays at or before p's offset in strings_, and what
// it writes never reaches another string's bytes.
__attribute__((noinline)) const char* FastJson::StringRest(const char* start, const char* p, char* out, char* o,
                                                           rapidjson::Document& d, bool key) {
  const char* const end = end_;
  for (;;) {  // p is at a special byte
    if (p == end) return nullptr;
    const char c = *p;
    if (c == '\\') {
      if (key) return nullptr;  // keys with escapes are rare; the full path compares them unescaped
      p = Unescape(p, &o);
      if (p == nullptr) return nullptr;
    } else if (c == '"') {
      return EndString(start, out, o, d, key) ? p + 1 : nullptr;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      const char* q = SkipUtf8(p, end);
      if (q == nullptr) return nullptr;
      std::memcpy(o, p, static_cast<size_t>(q - p));
      o += q - p;
      p = q;
    } else {
      return nullptr;  // a control byte
    }
    p = CopyToSpecial(p, end, &o);
  }
}

// The number at p, typed as RapidJSON types it: an integer of up to 18 digits is Int/Uint (32-bit range) or
// Int64/Uint64; anything with a fraction or an exponent is the correctly rounded double (RapidJSON's
// full-precision result, and what the exact path gives zeros with exponents).
const char* FastJson::Number(const char* p, rapidjson::Document& d) {
  const char* const s = p;
  const bool neg = *p == '-';
  if (neg) ++p;
  const char* const digits = p;
  if (*p == '0') {
    ++p;
  } else if (*p >= '1' && *p <= '9') {
    do ++p;
    while (IsDigit(*p));
  } else {
    return nullptr;
  }
  const size_t ndigits = static_cast<size_t>(p - digits);
  bool integer = true;
  if (*p == '.') {
    ++p;
    if (!IsDigit(*p)) return nullptr;
    while (IsDigit(*p)) ++p;
    integer = false;
  }
  if (*p == 'e' || *p == 'E') {
    ++p;
    if (*p == '+' || *p == '-') ++p;
    const char* const e = p;
    int exp = 0;
    while (IsDigit(*p)) {
      if (p - e == 3) return nullptr;
      exp = exp * 10 + (*p++ - '0');
    }
    // RapidJSON refuses some large exponents ("number too big") that a conversion would take.
    if (p == e || exp > 300) return nullptr;
    integer = false;
  }
  if (integer) {
    if (ndigits > 18) return nullptr;
    uint64_t v = 0;
    for (const char* q = digits; q < p; ++q) v = v * 10 + static_cast<unsigned>(*q - '0');
    if (neg) {
      if (v <= 2147483648u) {
        d.Int(static_cast<int>(-static_cast<int64_t>(v)));
      } else {
        d.Int64(-static_cast<int64_t>(v));
      }
    } else if (v <= 0xFFFFFFFFu) {
      d.Uint(static_cast<unsigned>(v));
    } else {
      d.Uint64(v);
    }
    return p;
  }
  if (p - s > 40) return nullptr;
  double v = 0;
  auto r = std::from_chars(s, p, v);
  if (r.ec != std::errc() || r.ptr != p) return nullptr;
  d.Double(v);
  return p;
}

bool ParseRecordFast(rapidjson::Document& doc, const char* text, size_t len, int max_depth) {
  thread_local FastJson fast;
  return fast.Parse(doc, text, len, max_depth);
}

bool SameJson(const rapidjson::Value& a, const rapidjson::Value& b) {
  if (a.GetType() != b.GetType()) return false;
  if (a.IsNumber()) {
    if (a.IsInt() != b.IsInt() || a.IsUint() != b.IsUint() || a.IsInt64() != b.IsInt64() ||
        a.IsUint64() != b.IsUint64() || a.IsDouble() != b.IsDouble()) {
      return false;
    }
    if (a.IsDouble()) {
      double x = a.GetDouble(), y = b.GetDouble();
      return std::memcmp(&x, &y, sizeof x) == 0;
    }
    return a.IsUint64() ? a.GetUint64() == b.GetUint64() : a.GetInt64() == b.GetInt64();
  }
  if (a.IsString()) {
    return a.GetStringLength() == b.GetStringLength() &&
           std::memcmp(a.GetString(), b.GetString(), a.GetStringLength()) == 0;
  }
  if (a.IsArray()) {
    if (a.Size() != b.Size()) return false;
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i) {
      if (!SameJson(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) return false;
    for (auto m = a.MemberBegin(), n = b.MemberBegin(); m != a.MemberEnd(); ++m, ++n) {
      if (!SameJson(m->name, n->name) || !SameJson(m->value, n->value)) return false;
    }
    return true;
  }
  return a == b;  // null, true, false
}

}  // namespace ftprep
