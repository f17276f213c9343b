#include "xml_scan.h"

#include <cstring>

#include "utf8.h"  // core/
#include "xml_stream.h"

namespace ftprep::xlsx {
namespace {

// Byte classes. A table entry of 0 means "an ordinary byte here"; anything else needs a closer look.
// The scanner keeps a 0 byte after the buffered data, which every table flags, so loops need no bounds test.
struct Tables {
  uint8_t text[256] = {};   // character data: '<' '&' ']' CR, control bytes, non-ASCII
  uint8_t cdata[256] = {};  // CDATA content: ']' CR, control bytes, non-ASCII
  uint8_t attr[256] = {};   // attribute values: both quotes, '<' '&' TAB LF CR, control bytes, non-ASCII
  uint8_t name[256] = {};   // 1: name start (ASCII letter, '_'); 2: other name byte (digit, '.', '-')
  constexpr Tables() {
    for (int c = 0; c < 256; ++c) {
      const bool control = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
      const bool special = control || c >= 0x80 || c == '\r';
      text[c] = special || c == '<' || c == '&' || c == ']';
      cdata[c] = special || c == ']';
      attr[c] = special || c == '"' || c == '\'' || c == '<' || c == '&' || c == '\t' || c == '\n';
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
        name[c] = 1;
      } else if ((c >= '0' && c <= '9') || c == '.' || c == '-') {
        name[c] = 2;
      }
    }
  }
};
constexpr Tables kT;

inline bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Length (2-4) of the UTF-8 sequence at p, whose lead byte is >= 0x80, if it is one expat accepts (core/utf8.h's
// well-formed UTF-8, but not U+FFFE/U+FFFF); 0 if not; -1 if it runs past `e` and is well formed so far.
int Utf8Seq(const unsigned char* p, const unsigned char* e) {
  const int n = Utf8SeqLen(p, e);
  if (n == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE) return 0;
  return n;
}

// A character reference's code point is one XML allows (expat refuses the others).
bool XmlChar(uint32_t u) {
  return u == 0x9 || u == 0xA || u == 0xD || (u >= 0x20 && u <= 0xD7FF) || (u >= 0xE000 && u <= 0xFFFD) ||
         (u >= 0x10000 && u <= 0x10FFFF);
}

unsigned char* PutUtf8(uint32_t u, unsigned char* w) {
  if (u < 0x80) {
    *w++ = static_cast<unsigned char>(u);
  } else if (u < 0x800) {
    *w++ = static_cast<unsigned char>(0xC0 | (u >> 6));
    *w++ = static_cast<unsigned char>(0x80 | (u & 0x3F));
  } else if (u < 0x10000) {
    *w++ = static_cast<unsigned char>(0xE0 | (u >> 12));
    *w++ = static_cast<unsigned char>(0x80 | ((u >> 6) & 0x3F));
    *w++ = static_cast<unsigned char>(0x80 | (u & 0x3F));
  } else {
    *w++ = static_cast<unsigned char>(0xF0 | (u >> 18));
    *w++ = static_cast<unsigned char>(0x80 | ((u >> 12) & 0x3F));
    *w++ = static_cast<unsigned char>(0x80 | ((u >> 6) & 0x3F));
    *w++ = static_cast<unsigned char>(0x80 | (u & 0x3F));
  }
  return w;
}

// Decodes the reference at r ('&') into *w. Returns the bytes it took (its UTF-8 form is never longer, so
// decoding in place is safe), 0 if it is not one the scanner knows, -1 if it may continue past `e`.
int Reference(const unsigned char* r, const unsigned char* e, unsigned char** w) {
  constexpr int kLongest = 32;  // longer (leading zeros) is legal but absurd: left to expat
  const unsigned char* semi = r + 1;
  const unsigned char* limit = e - r > kLongest ? r + kLongest : e;
  while (semi < limit && *semi != ';') ++semi;
  if (semi == limit) return limit == e ? -1 : 0;
  const unsigned char* s = r + 1;
  const size_t len = static_cast<size_t>(semi - s);
  if (len >= 2 && s[0] == '#') {
    uint32_t u = 0;
    if (s[1] == 'x') {
      if (len == 2) return 0;
      for (const unsigned char* d = s + 2; d < semi; ++d) {
        unsigned c = *d, v;
        if (c >= '0' && c <= '9') {
          v = c - '0';
        } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
          v = (c | 0x20) - 'a' + 10;
        } else {
          return 0;
        }
        u = u * 16 + v;
        if (u > 0x10FFFF) return 0;
      }
    } else {
      for (const unsigned char* d = s + 1; d < semi; ++d) {
        if (*d < '0' || *d > '9') return 0;
        u = u * 10 + (*d - '0');
        if (u > 0x10FFFF) return 0;
      }
    }
    if (!XmlChar(u)) return 0;
    *w = PutUtf8(u, *w);
  } else {
    unsigned char c;
    if (len == 2 && s[0] == 'l' && s[1] == 't') {
      c = '<';
    } else if (len == 2 && s[0] == 'g' && s[1] == 't') {
      c = '>';
    } else if (len == 3 && std::memcmp(s, "amp", 3) == 0) {
      c = '&';
    } else if (len == 4 && std::memcmp(s, "quot", 4) == 0) {
      c = '"';
    } else if (len == 4 && std::memcmp(s, "apos", 4) == 0) {
      c = '\'';
    } else {
      return 0;  // an undefined entity: expat's error to report
    }
    *(*w)++ = c;
  }
  return static_cast<int>(semi + 1 - r);
}

// Scans a name: ASCII, at most one ':' with a name part on both sides. Returns where it stops (at `e` when
// more data might extend it); *colon is the ':' or nullptr. A name that stops at an unexpected byte is
// for the caller to refuse.
const unsigned char* ScanName(const unsigned char* q, const unsigned char* e, const unsigned char** colon) {
  *colon = nullptr;
  if (kT.name[*q] != 1) return q;
  ++q;
  for (;;) {
    while (kT.name[*q] != 0) ++q;
    if (*q != ':' || *colon != nullptr) return q;
    if (q + 1 == e) return e;
    if (kT.name[q[1]] != 1) return q;
    *colon = q;
    q += 2;
  }
}

// Content chars of a comment or PI body are valid (no control bytes, valid UTF-8). `e` is the token's end.
bool ValidChars(const unsigned char* p, const unsigned char* e) {
  while (p < e) {
    const unsigned c = *p;
    if (c >= 0x80) {
      const int n = Utf8Seq(p, e);
      if (n <= 0) return false;
      p += n;
    } else {
      if (c < 0x20 && !IsSpace(static_cast<unsigned char>(c))) return false;
      ++p;
    }
  }
  return true;
}

// memcmp for the short names of tags, without a call.
inline bool SameBytes(const unsigned char* a, const char* b, size_t n) {
  if (n > 16) return std::memcmp(a, b, n) == 0;
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != static_cast<unsigned char>(b[i])) return false;
  }
  return true;
}

bool EqualsNoCase(const unsigned char* p, size_t n, const char* lower) {
  if (std::strlen(lower) != n) return false;
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = p[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    if (c != static_cast<unsigned char>(lower[i])) return false;
  }
  return true;
}

}  // namespace

XmlScanner::XmlScanner(XmlHandler* handler, ByteReader* reader, const Status* stop)
    : handler_(handler), reader_(reader), stop_(stop) {}

XmlScanner::Step XmlScanner::Fill() {
  const size_t live = end_ - pos_;
  if (live > kMaxToken) return Bad("a token longer than the scanner's buffer");
  if (pos_ > 0 && live > 0) std::memmove(buf_.get(), buf_.get() + pos_, live);
  pos_ = 0;
  end_ = live;
  if (cap_ < end_ + kChunk + 1) {
    const size_t cap = end_ + kChunk + 1;
    std::unique_ptr<char[]> grown(new char[cap]);
    if (end_ > 0) std::memcpy(grown.get(), buf_.get(), end_);
    buf_ = std::move(grown);
    cap_ = cap;
  }
  auto n = reader_->Read(buf_.get() + end_, kChunk);
  if (!n.ok()) {
    status_ = n.status();
    return Step::kStop;
  }
  if (*n == 0) eof_ = true;
  end_ += *n;
  buf_[end_] = 0;
  return Step::kOk;
}

XmlScanner::Outcome XmlScanner::Run() {
  Step st = Fill();
  if (st == Step::kOk) st = Prolog();
  for (;;) {
    if (st == Step::kMore) {
      if (eof_) {
        if (pos_ == end_ && depth_ == 0 && root_done_) return Outcome::kDone;
        reason_ = "the document ends inside a token or element";
        return Outcome::kUnsupported;
      }
      st = Fill();
      if (st != Step::kOk) continue;
    }
    if (st == Step::kBad) return Outcome::kUnsupported;
    if (st == Step::kStop) return Outcome::kFailed;
    const unsigned char c = static_cast<unsigned char>(buf_[pos_]);
    if (in_cdata_) {
      st = CData();
    } else if (c == '<') {
      st = Markup();
    } else if (depth_ > 0) {
      st = Text();
    } else {
      // Between top-level constructs only blanks may appear; expat reports none of them.
      const char* p = buf_.get() + pos_;
      while (IsSpace(static_cast<unsigned char>(*p))) ++p;
      pos_ = static_cast<size_t>(p - buf_.get());
      st = pos_ == end_ ? Step::kMore : *p == '<' ? Step::kOk : Bad("text outside the root element");
    }
  }
}

// The XML declaration, if any, must be the very first thing (after a UTF-8 byte order mark).
XmlScanner::Step XmlScanner::Prolog() {
  for (;;) {
    const auto* p = reinterpret_cast<const unsigned char*>(buf_.get());
    const auto* e = p + end_;
    if (end_ < 9 && !eof_) {  // enough to tell a declaration (after a BOM)
      Step st = Fill();
      if (st != Step::kOk) return st;
      continue;
    }
    if (end_ >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) p += 3;
    if (e - p < 6 || std::memcmp(p, "<?xml", 5) != 0 || !IsSpace(p[5])) {
      pos_ = static_cast<size_t>(p - reinterpret_cast<const unsigned char*>(buf_.get()));
      return Step::kOk;
    }
    const unsigned char* close = p + 6;
    while (close + 1 < e && !(close[0] == '?' && close[1] == '>')) ++close;
    if (close + 1 >= e) {
      if (eof_ || end_ > 4096) return Bad("XML declaration");
      Step st = Fill();
      if (st != Step::kOk) return st;
      continue;
    }
    // version, then optionally encoding (UTF-8 only) and standalone, each `S name S? = S? "value"`.
    const unsigned char* q = p + 5;
    const char* names[] = {"version", "encoding", "standalone"};
    int next = 0;
    for (;;) {
      const unsigned char* s = q;
      while (IsSpace(*q)) ++q;
      if (q == close) break;
      if (q == s) return Bad("XML declaration");
      int which = -1;
      for (int k = next; k < 3 && which < 0; ++k) {
        const size_t n = std::strlen(names[k]);
        if (static_cast<size_t>(close - q) > n && std::memcmp(q, names[k], n) == 0) which = k;
        if (k == 0) break;  // version comes first and is required
      }
      if (which < 0) return Bad("XML declaration");
      q += std::strlen(names[which]);
      while (IsSpace(*q)) ++q;
      if (*q++ != '=') return Bad("XML declaration");
      while (IsSpace(*q)) ++q;
      const unsigned char quote = *q++;
      if (quote != '"' && quote != '\'') return Bad("XML declaration");
      const unsigned char* v = q;
      while (q < close && *q != quote) ++q;
      if (q == close) return Bad("XML declaration");
      const size_t n = static_cast<size_t>(q - v);
      ++q;
      const bool ok = which == 0   ? n == 3 && std::memcmp(v, "1.0", 3) == 0
                      : which == 1 ? EqualsNoCase(v, n, "utf-8")
                                   : (n == 3 && std::memcmp(v, "yes", 3) == 0) ||
                                         (n == 2 && std::memcmp(v, "no", 2) == 0);
      if (!ok) return Bad("XML declaration");
      next = which + 1;
    }
    if (next == 0) return Bad("XML declaration");
    pos_ = static_cast<size_t>(close + 2 - reinterpret_cast<const unsigned char*>(buf_.get()));
    return Step::kOk;
  }
}

XmlScanner::Step XmlScanner::Markup() {
  const auto* p = reinterpret_cast<const unsigned char*>(buf_.get()) + pos_;
  const size_t avail = end_ - pos_;
  if (avail < 2) return Step::kMore;
  switch (p[1]) {
    case '/':
      return depth_ > 0 ? EndTag() : Bad("end tag outside the root element");
    case '?':
      return Pi();
    case '!':
      if (avail >= 4 && std::memcmp(p, "<!--", 4) == 0) return Comment();
      if (avail >= 9 && std::memcmp(p, "<![CDATA[", 9) == 0) {
        if (depth_ == 0) return Bad("CDATA outside the root element");
        pos_ += 9;
        in_cdata_ = true;
        return CData();
      }
      if (avail < 9 && (std::memcmp(p, "<!--", avail < 4 ? avail : 4) == 0 ||
                        std::memcmp(p, "<![CDATA[", avail) == 0)) {
        return Step::kMore;
      }
      return Bad("DOCTYPE or other declaration");
    default:
      if (root_done_) return Bad("a second root element");
      return StartTag();
  }
}

XmlScanner::Step XmlScanner::StartTag() {
  auto* t = reinterpret_cast<unsigned char*>(buf_.get()) + pos_;
  const auto* e = reinterpret_cast<const unsigned char*>(buf_.get()) + end_;
  const unsigned char* colon;
  const unsigned char* q = ScanName(t + 1, e, &colon);
  if (q == e) return Step::kMore;
  if (q == t + 1) return Bad("a name outside ASCII or not a name");
  const uint32_t name_end = static_cast<uint32_t>(q - t);
  // Names of open elements are kept: long ones (never in a workbook) could pile up, so expat takes them.
  if (name_end > kMaxName) return Bad("an element name longer than the scanner keeps");
  const uint32_t local = colon ? static_cast<uint32_t>(colon + 1 - t) : 1;
  size_t n_attrs = 0;
  bool empty = false;
  for (;;) {
    const unsigned char* blank = q;
    while (IsSpace(*q)) ++q;
    if (q == e) return Step::kMore;
    if (*q == '>') {
      ++q;
      break;
    }
    if (*q == '/') {
      if (q + 1 == e) return Step::kMore;
      if (q[1] != '>') return Bad("'/' in a tag");
      empty = true;
      q += 2;
      break;
    }
    if (q == blank) return Bad("no blank before an attribute");
    if (n_attrs == kMaxAttrs) return Bad("too many attributes");
    Attr& a = attrs_[n_attrs++];
    a.name = static_cast<uint32_t>(q - t);
    q = ScanName(q, e, &colon);
    if (q == e) return Step::kMore;
    if (q == t + a.name) return Bad("a name outside ASCII or not a name");
    a.name_end = static_cast<uint32_t>(q - t);
    while (IsSpace(*q)) ++q;
    if (q == e) return Step::kMore;
    if (*q++ != '=') return Bad("attribute without '='");
    while (IsSpace(*q)) ++q;
    if (q == e) return Step::kMore;
    const unsigned char quote = *q++;
    if (quote != '"' && quote != '\'') return Bad("unquoted attribute value");
    a.value = static_cast<uint32_t>(q - t);
    a.decode = false;
    for (;;) {
      while (kT.attr[*q] == 0) ++q;
      const unsigned c = *q;
      if (c == quote) break;
      if (q == e) return Step::kMore;
      if (c == '"' || c == '\'') {
        ++q;
      } else if (c == '&' || c == '\t' || c == '\n' || c == '\r') {
        a.decode = true;
        ++q;
      } else if (c >= 0x80) {
        const int n = Utf8Seq(q, e);
        if (n < 0) return Step::kMore;
        if (n == 0) return Bad("invalid UTF-8 in an attribute value");
        q += n;
      } else {
        return Bad(c == '<' ? "'<' in an attribute value" : "control character in an attribute value");
      }
    }
    a.value_end = static_cast<uint32_t>(q - t);
    ++q;
  }
  // The whole tag is in the buffer: check it, then decode and terminate names and values in place.
  if (depth_ == kMaxDepth) return Bad("elements nested too deep");
  for (size_t i = 1; i < n_attrs; ++i) {
    const size_t n = attrs_[i].name_end - attrs_[i].name;
    for (size_t j = 0; j < i; ++j) {
      if (attrs_[j].name_end - attrs_[j].name == n &&
          SameBytes(t + attrs_[i].name, reinterpret_cast<const char*>(t + attrs_[j].name), n))
        return Bad("a repeated attribute");
    }
  }
  for (size_t i = 0; i < n_attrs; ++i) {
    Attr& a = attrs_[i];
    if (a.decode && !DecodeValue(t + a.value, t + a.value_end, &a.value_end, t)) {
      return Bad("an entity or character reference the scanner does not know");
    }
    t[a.name_end] = 0;
    t[a.value_end] = 0;
    atts_[2 * i] = reinterpret_cast<const char*>(t + a.name);
    atts_[2 * i + 1] = reinterpret_cast<const char*>(t + a.value);
  }
  atts_[2 * n_attrs] = nullptr;
  t[name_end] = 0;
  // Remember the name (its bytes in the buffer do not last) for the end tag.
  const uint32_t len = name_end - 1;
  if (names_.size() < names_len_ + len + 1) names_.resize(2 * (names_len_ + len + 1));
  Open& o = open_[depth_++];
  o.name = static_cast<uint32_t>(names_len_);
  o.len = len;
  o.local = o.name + local - 1;
  std::memcpy(names_.data() + names_len_, t + 1, len + 1);
  names_len_ += len + 1;
  pos_ = static_cast<size_t>(q - reinterpret_cast<unsigned char*>(buf_.get()));
  handler_->Start(reinterpret_cast<const char*>(t + local), atts_);
  if (Stopped()) return Step::kStop;
  return empty ? Close() : Step::kOk;
}

// Attribute-value normalisation as expat does it for undeclared (CDATA) attributes: each blank becomes a
// space, CR LF one space; references are decoded after that (so &#10; stays a newline). In place; false on a
// reference the scanner does not know.
bool XmlScanner::DecodeValue(unsigned char* w, const unsigned char* ve, uint32_t* value_end,
                             const unsigned char* t) {
  const unsigned char* r = w;
  while (r < ve) {
    const unsigned char c = *r;
    if (c == '&') {
      const int n = Reference(r, ve, &w);
      if (n <= 0) return false;
      r += n;
    } else if (c == '\r') {
      *w++ = ' ';
      r += (r + 1 < ve && r[1] == '\n') ? 2 : 1;
    } else {
      *w++ = (c == '\t' || c == '\n') ? ' ' : c;
      ++r;
    }
  }
  *value_end = static_cast<uint32_t>(w - t);
  return true;
}

// Ends the innermost open element.
XmlScanner::Step XmlScanner::Close() {
  const Open& o = open_[depth_ - 1];
  handler_->End(names_.data() + o.local);
  names_len_ = o.name;
  if (--depth_ == 0) root_done_ = true;
  return Stopped() ? Step::kStop : Step::kOk;
}

XmlScanner::Step XmlScanner::EndTag() {
  const auto* t = reinterpret_cast<const unsigned char*>(buf_.get()) + pos_;
  const auto* e = reinterpret_cast<const unsigned char*>(buf_.get()) + end_;
  const unsigned char* colon;
  const unsigned char* q = ScanName(t + 2, e, &colon);
  if (q == e) return Step::kMore;
  const size_t n = static_cast<size_t>(q - (t + 2));
  const Open& o = open_[depth_ - 1];
  if (n != o.len || !SameBytes(t + 2, names_.data() + o.name, n)) return Bad("an end tag that does not match");
  while (IsSpace(*q)) ++q;
  if (q == e) return Step::kMore;
  if (*q != '>') return Bad("junk in an end tag");
  pos_ = static_cast<size_t>(q + 1 - reinterpret_cast<const unsigned char*>(buf_.get()));
  return Close();
}

XmlScanner::Step XmlScanner::Comment() {
  const auto* t = reinterpret_cast<const unsigned char*>(buf_.get()) + pos_;
  const auto* e = reinterpret_cast<const unsigned char*>(buf_.get()) + end_;
  const unsigned char* q = t + 4;
  for (;;) {
    q = static_cast<const unsigned char*>(std::memchr(q, '-', static_cast<size_t>(e - q)));
    if (q == nullptr || q + 2 >= e) return Step::kMore;
    if (q[1] == '-') break;
    ++q;
  }
  if (q[2] != '>') return Bad("'--' inside a comment");
  if (!ValidChars(t + 4, q)) return Bad("invalid characters in a comment");
  pos_ = static_cast<size_t>(q + 3 - reinterpret_cast<const unsigned char*>(buf_.get()));
  return Step::kOk;
}

XmlScanner::Step XmlScanner::Pi() {
  const auto* t = reinterpret_cast<const unsigned char*>(buf_.get()) + pos_;
  const auto* e = reinterpret_cast<const unsigned char*>(buf_.get()) + end_;
  const unsigned char* colon;
  const unsigned char* q = ScanName(t + 2, e, &colon);
  if (q == e) return Step::kMore;
  if (q == t + 2 || colon != nullptr) return Bad("a processing instruction the scanner does not know");
  // Targets starting with "xml" are reserved (and "xml" itself is a misplaced declaration).
  if (q - (t + 2) >= 3 && EqualsNoCase(t + 2, 3, "xml")) return Bad("a reserved processing instruction");
  const unsigned char* body = q;
  if (*q == '?') {
    if (q + 1 == e) return Step::kMore;
    if (q[1] != '>') return Bad("a processing instruction the scanner does not know");
    pos_ = static_cast<size_t>(q + 2 - reinterpret_cast<const unsigned char*>(buf_.get()));
    return Step::kOk;
  }
  if (!IsSpace(*q)) return Bad("a processing instruction the scanner does not know");
  for (;;) {
    q = static_cast<const unsigned char*>(std::memchr(q, '?', static_cast<size_t>(e - q)));
    if (q == nullptr || q + 1 >= e) return Step::kMore;
    if (q[1] == '>') break;
    ++q;
  }
  if (!ValidChars(body, q)) return Bad("invalid characters in a processing instruction");
  pos_ = static_cast<size_t>(q + 2 - reinterpret_cast<const unsigned char*>(buf_.get()));
  return Step::kOk;
}

// A stop Text() and CData() share: "\r" or "\r\n" becomes "\n"; a UTF-8 sequence is checked and copied; any
// other byte here is a control character. False when the scan must end: *st is then kMore or kBad.
bool XmlScanner::SharedStop(unsigned char** r, unsigned char** w, const unsigned char* e, Step* st) {
  unsigned char* p = *r;
  if (*p == '\r') {
    if (p + 1 == e) return *st = Step::kMore, false;
    *(*w)++ = '\n';
    *r = p + (p[1] == '\n' ? 2 : 1);
    return true;
  }
  if (*p < 0x80) return *st = Bad("a control character"), false;
  const int n = Utf8Seq(p, e);
  if (n < 0) return *st = Step::kMore, false;
  if (n == 0) return *st = Bad("invalid UTF-8"), false;
  for (int i = 0; i < n; ++i) *(*w)++ = *p++;
  *r = p;
  return true;
}

// The end of Text() and CData(): the scan stopped at r, with [start, w) the decoded text, handed over if any.
XmlScanner::Step XmlScanner::EndText(unsigned char* start, const unsigned char* r, const unsigned char* w,
                                     Step st) {
  pos_ = static_cast<size_t>(r - reinterpret_cast<unsigned char*>(buf_.get()));
  if (w != start) handler_->Text(reinterpret_cast<const char*>(start), static_cast<int>(w - start));
  if (Stopped()) return Step::kStop;
  return st;
}

// Character data, decoded in place (references and line ends only shrink it) and handed over in one piece
// per buffer-full. CR LF and a lone CR become LF, as expat does.
XmlScanner::Step XmlScanner::Text() {
  auto* const start = reinterpret_cast<unsigned char*>(buf_.get()) + pos_;
  const auto* e = reinterpret_cast<const unsigned char*>(buf_.get()) + end_;
  unsigned char* r = start;
  unsigned char* w = start;
  Step st = Step::kOk;
  for (;;) {
    unsigned char* run = r;
    while (kT.text[*r] == 0) ++r;
    if (w != run) std::memmove(w, run, static_cast<size_t>(r - run));
    w += r - run;
    const unsigned c = *r;
    if (c == '<') break;
    if (r == e) {
      st = Step::kMore;
      break;
    }
    if (c == '&') {
      const int n = Reference(r, e, &w);
      if (n < 0) {
        st = Step::kMore;
        break;
      }
      if (n == 0) return Bad("an entity or character reference the scanner does not know");
      r += n;
    } else if (c == ']') {
      if (e - r < 3 && (r + 1 == e || r[1] == ']')) {
        st = Step::kMore;
        break;
      }
      if (r[1] == ']' && r[2] == '>') return Bad("']]>' in text");
      *w++ = *r++;
    } else if (!SharedStop(&r, &w, e, &st)) {
      if (st == Step::kMore) break;
      return st;
    }
  }
  return EndText(start, r, w, st);
}

// The inside of a CDATA section (pos_ is past "<![CDATA["): text as it is, line ends as in Text().
XmlScanner::Step XmlScanner::CData() {
  auto* const start = reinterpret_cast<unsigned char*>(buf_.get()) + pos_;
  const auto* e = reinterpret_cast<const unsigned char*>(buf_.get()) + end_;
  unsigned char* r = start;
  unsigned char* w = start;
  Step st = Step::kOk;
  bool closed = false;
  for (;;) {
    unsigned char* run = r;
    while (kT.cdata[*r] == 0) ++r;
    if (w != run) std::memmove(w, run, static_cast<size_t>(r - run));
    w += r - run;
    const unsigned c = *r;
    if (r == e) {
      st = Step::kMore;
      break;
    }
    if (c == ']') {
      if (e - r < 3 && (r + 1 == e || r[1] == ']')) {
        st = Step::kMore;
        break;
      }
      if (r[1] == ']' && r[2] == '>') {
        r += 3;
        closed = true;
        break;
      }
      *w++ = *r++;
    } else if (!SharedStop(&r, &w, e, &st)) {
      if (st == Step::kMore) break;
      return st;
    }
  }
  if (closed) in_cdata_ = false;
  return EndText(start, r, w, st);
}

}  // namespace ftprep::xlsx
