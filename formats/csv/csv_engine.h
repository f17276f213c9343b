// formats/csv/csv_engine.h — the delimited-text engine shared by the csv and tsv format plugins.
//
// Header-only on purpose: each plugin (built in, or built as its own .so) compiles its own copy and needs
// nothing but the C ABI, RapidJSON and ICU. Three layers:
//
//   ByteInput   the plugin's ftprep_stream as UTF-8 bytes: skips a UTF-8 BOM, transcodes UTF-16 (BOM) or any
//               --encoding through ICU, or replaces invalid UTF-8 with U+FFFD (--repair-utf8).
//   DelimReader RFC 4180 records: quoted fields with delimiters, doubled quotes and newlines, CRLF, delimiter
//               sniffing, header handling, strict errors (unterminated/bare quotes, ragged rows, invalid
//               UTF-8) with line and column and a resync point so the rest of the file converts. Each row
//               becomes one compact JSON object written directly from the input buffer (no DOM).
//   DelimWriter records (JSON objects) to CSV/TSV: columns from the option or the first record.
//
// Memory: one buffer holding at least the current record (grows to the largest record, capped by
// max_record_bytes) plus the output JSON of one record. Work is linear in the input: a record that spans
// buffer refills is re-scanned only when the buffer doubles. Not thread-safe; one reader per thread.
#ifndef FTPREP_FORMATS_CSV_CSV_ENGINE_H_
#define FTPREP_FORMATS_CSV_CSV_ENGINE_H_

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unicode/ucnv.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/plugin.hpp"
#include "utf8.h"  // core/: the UTF-8 checks every reader shares
#if defined(FTPREP_BUILTIN)
#include "format_reader.h"  // compiled in: the C++ reader below fills the host's Record directly
#endif

namespace ftprep::delim {

// ---- small helpers -----------------------------------------------------------------------------------------

inline bool Truthy(std::string_view v) { return v == "1" || v == "true" || v == "yes" || v == "on"; }

inline uint64_t ParseU64(std::string_view v, uint64_t def) {
  if (v.empty()) return def;
  std::string s(v);
  char* end = nullptr;
  unsigned long long n = std::strtoull(s.c_str(), &end, 10);
  return (end && *end == '\0') ? n : def;
}

// Offset of the first invalid UTF-8 byte in [s, s+n), or n if all valid (core/utf8.h).
inline size_t FirstInvalidUtf8(const char* s, size_t n) {
  const size_t bad = FindInvalidUtf8(std::string_view(s, n));
  return bad == std::string_view::npos ? n : bad;
}

// A growable byte buffer written through a raw pointer (std::string would zero-fill on resize).
class OutBuf {
 public:
  void clear() { size_ = 0; }
  size_t size() const { return size_; }
  const char* data() const { return buf_.get(); }
  void Reserve(size_t more) {
    if (size_ + more <= cap_) return;
    size_t cap = std::max<size_t>(cap_ * 2, size_ + more + 256);
    std::unique_ptr<char[]> nb(new char[cap]);
    if (size_) std::memcpy(nb.get(), buf_.get(), size_);
    buf_ = std::move(nb);
    cap_ = cap;
  }
  char* end() { return buf_.get() + size_; }
  void Advance(size_t n) { size_ += n; }
  void Append(const char* p, size_t n) {
    Reserve(n);
    std::memcpy(end(), p, n);
    size_ += n;
  }
  void Append(std::string_view s) { Append(s.data(), s.size()); }
  void Push(char c) {
    Reserve(1);
    buf_[size_++] = c;
  }

 private:
  std::unique_ptr<char[]> buf_;
  size_t size_ = 0, cap_ = 0;
};

// Does the 8-byte word contain a byte < 0x20, '"' or '\\'? (The classic "haszero/hasless" bit tricks.)
inline bool NeedsEscape8(uint64_t w) {
  constexpr uint64_t k01 = 0x0101010101010101ull, k80 = 0x8080808080808080ull;
  uint64_t lt20 = (w - k01 * 0x20) & ~w & k80;
  uint64_t q = w ^ (k01 * '"');
  uint64_t bs = w ^ (k01 * '\\');
  uint64_t zq = (q - k01) & ~q & k80;
  uint64_t zb = (bs - k01) & ~bs & k80;
  return (lt20 | zq | zb) != 0;
}

// Decodes the escaped TSV flavour's \t \n \r \\ (a backslash before any other byte stays as it is), as
// AppendJsonBody does for values.
inline std::string DecodeTsvEscapes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      char d = s[i + 1];
      char rep = d == 't' ? '\t' : d == 'n' ? '\n' : d == 'r' ? '\r' : d == '\\' ? '\\' : 0;
      if (rep) {
        out += rep;
        ++i;
        continue;
      }
    }
    out += c;
  }
  return out;
}

// Appends the JSON string body (no surrounding quotes) of [p, p+n). `collapse_quotes`: a doubled quote
// ("") inside a quoted CSV field stands for one quote. `tsv_escapes`: \t \n \r \\ are decoded first.
inline void AppendJsonBody(const char* p, size_t n, bool collapse_quotes, bool tsv_escapes, OutBuf* out) {
  static const char kHex[] = "0123456789abcdef";
  out->Reserve(n * 6 + 2);
  char* o = out->end();
  const char* e = p + n;
  while (p < e) {
#if defined(__SSE2__)
    // 16 bytes at a time, stored as they are (Reserve left room) up to the first byte that needs an escape.
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), below20 = _mm_set1_epi8(0x1F);
    while (e - p >= 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      __m128i esc = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                 _mm_cmpeq_epi8(_mm_min_epu8(v, below20), v));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(o), v);
      int mask = _mm_movemask_epi8(esc);
      if (mask != 0) {
        int k = __builtin_ctz(static_cast<unsigned>(mask));
        p += k;
        o += k;
        break;
      }
      p += 16;
      o += 16;
    }
#endif
    const char* run = p;
    while (e - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (NeedsEscape8(w)) break;
      p += 8;
    }
    while (p < e) {
      unsigned char c = static_cast<unsigned char>(*p);
      if (c < 0x20 || c == '"' || c == '\\') break;
      ++p;
    }
    if (p > run) {
      std::memcpy(o, run, p - run);
      o += p - run;
    }
    if (p >= e) break;
    unsigned char c = static_cast<unsigned char>(*p++);
    switch (c) {
      case '"':
        *o++ = '\\';
        *o++ = '"';
        if (collapse_quotes && p < e && *p == '"') ++p;
        break;
      case '\\':
        if (tsv_escapes && p < e) {
          char d = *p;
          const char* rep = d == 't' ? "\\t" : d == 'n' ? "\\n" : d == 'r' ? "\\r" : d == '\\' ? "\\\\" : nullptr;
          if (rep) {
            *o++ = rep[0];
            *o++ = rep[1];
            ++p;
            break;
          }
        }
        *o++ = '\\';
        *o++ = '\\';
        break;
      case '\n': *o++ = '\\'; *o++ = 'n'; break;
      case '\r': *o++ = '\\'; *o++ = 'r'; break;
      case '\t': *o++ = '\\'; *o++ = 't'; break;
      case '\b': *o++ = '\\'; *o++ = 'b'; break;
      case '\f': *o++ = '\\'; *o++ = 'f'; break;
      default:
        std::memcpy(o, "\\u00", 4);
        o += 4;
        *o++ = kHex[c >> 4];
        *o++ = kHex[c & 15];
    }
  }
  out->Advance(o - out->end());
}

inline std::string JsonQuote(std::string_view s) {
  OutBuf b;
  b.Push('"');
  AppendJsonBody(s.data(), s.size(), false, false, &b);
  b.Push('"');
  return std::string(b.data(), b.size());
}

// A short printable excerpt for messages.
inline std::string Show(std::string_view s, size_t max = 40) {
  std::string out;
  for (size_t i = 0; i < s.size() && out.size() < max; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02X", c);
      out += b;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (out.size() >= max && s.size() > max) out += "...";
  return out;
}

// ---- ByteInput ----------------------------------------------------------------------------------------------

class ByteInput {
 public:
  ~ByteInput() {
    if (src_) ucnv_close(src_);
    if (utf8_) ucnv_close(utf8_);
  }

  // Peeks at the head for BOMs and sets up transcoding. `encoding` empty = UTF-8. Returns false with *err.
  bool Init(ftprep_stream* in, std::string_view encoding, bool repair, std::string* err) {
    in_ = in;
    raw_.resize(1 << 16);
    while (raw_len_ < 4 && !raw_eof_) {
      if (!RawRefill(err)) return false;
    }
    const auto* h = reinterpret_cast<const unsigned char*>(raw_.data());
    std::string enc(encoding);
    for (auto& c : enc) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool utf8_named = enc.empty() || enc == "utf-8" || enc == "utf8";
    if (raw_len_ >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF && utf8_named) {
      raw_pos_ = bom_len_ = 3;
    } else if (raw_len_ >= 2 && ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF)) &&
               (utf8_named || enc == "utf-16" || enc == "utf16")) {
      enc = h[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
      raw_pos_ = bom_len_ = 2;
      utf8_named = false;
    }
    if (!utf8_named) {
      UErrorCode e = U_ZERO_ERROR;
      src_ = ucnv_open(enc.c_str(), &e);
      if (U_FAILURE(e) || src_ == nullptr) {
        *err = "unknown encoding '" + std::string(encoding) + "' (examples: latin1, cp1252, utf-16, shift_jis)";
        return false;
      }
      e = U_ZERO_ERROR;
      utf8_ = ucnv_open("UTF-8", &e);
      if (U_FAILURE(e)) {
        *err = "cannot open the UTF-8 converter";
        return false;
      }
      mode_ = kIcu;
      encoding_name_ = enc;
    } else if (repair) {
      mode_ = kRepair;
    }
    return true;
  }

  // Up to len bytes of UTF-8; 0 at the end; -1 on error (*err set).
  long long Read(char* buf, size_t len, std::string* err) {
    switch (mode_) {
      case kIcu: return ReadIcu(buf, len, err);
      case kRepair: return ReadRepair(buf, len, err);
      default: return ReadPlain(buf, len, err);
    }
  }

  size_t bom_len() const { return bom_len_; }
  bool transcoded() const { return mode_ == kIcu; }
  bool repairing() const { return mode_ == kRepair; }
  uint64_t repaired() const { return repaired_; }
  const std::string& encoding_name() const { return encoding_name_; }

 private:
  enum Mode { kPlain, kIcu, kRepair };

  // Moves unread raw bytes to the front and reads more after them.
  bool RawRefill(std::string* err) {
    if (raw_pos_ > 0) {
      std::memmove(raw_.data(), raw_.data() + raw_pos_, raw_len_ - raw_pos_);
      raw_len_ -= raw_pos_;
      raw_pos_ = 0;
    }
    if (raw_len_ == raw_.size()) return true;
    long long n = in_->read(in_->ctx, raw_.data() + raw_len_, raw_.size() - raw_len_);
    if (n < 0) {
      *err = "read error";
      return false;
    }
    if (n == 0) raw_eof_ = true;
    raw_len_ += static_cast<size_t>(n);
    return true;
  }

  long long ReadPlain(char* buf, size_t len, std::string* err) {
    if (raw_pos_ < raw_len_) {
      size_t n = std::min(len, raw_len_ - raw_pos_);
      std::memcpy(buf, raw_.data() + raw_pos_, n);
      raw_pos_ += n;
      return static_cast<long long>(n);
    }
    if (raw_eof_) return 0;
    long long n = in_->read(in_->ctx, buf, len);
    if (n < 0) *err = "read error";
    if (n == 0) raw_eof_ = true;
    return n;
  }

  long long ReadIcu(char* buf, size_t len, std::string* err) {
    char* t = buf;
    for (;;) {
      if (raw_pos_ == raw_len_ && !raw_eof_ && !RawRefill(err)) return -1;
      const char* s = raw_.data() + raw_pos_;
      UErrorCode e = U_ZERO_ERROR;
      ucnv_convertEx(utf8_, src_, &t, buf + len, &s, raw_.data() + raw_len_, pivot_, &pivot_src_, &pivot_tgt_,
                     pivot_ + kPivot, first_, raw_eof_, &e);
      first_ = false;
      raw_pos_ = static_cast<size_t>(s - raw_.data());
      if (e == U_BUFFER_OVERFLOW_ERROR) return t - buf;
      if (U_FAILURE(e)) {
        *err = std::string("cannot convert from ") + encoding_name_ + ": " + u_errorName(e);
        return -1;
      }
      if (t > buf) return t - buf;
      if (raw_eof_) return 0;
      if (!RawRefill(err)) return -1;
    }
  }

  // Copies valid sequences and writes U+FFFD for each invalid byte. Output units are up to 4 bytes; when the
  // caller's space ends inside one, the rest waits in carry_ for the next call (returning 0 there would read
  // as the end of the input: a short read must never cut the file).
  long long ReadRepair(char* buf, size_t len, std::string* err) {
    char* o = buf;
    char* const oend = buf + len;
    while (carry_pos_ < carry_len_ && o < oend) *o++ = carry_[carry_pos_++];
    while (o < oend) {
      if (raw_pos_ == raw_len_) {
        if (raw_eof_) break;
        if (!RawRefill(err)) return -1;
        continue;
      }
      const auto* p = reinterpret_cast<const unsigned char*>(raw_.data() + raw_pos_);
      const auto* e = reinterpret_cast<const unsigned char*>(raw_.data() + raw_len_);
      if (*p < 0x80) {
        *o++ = static_cast<char>(*p);
        ++raw_pos_;
        continue;
      }
      int n = Utf8SeqLen(p, e);
      if (n < 0 && !raw_eof_) {
        if (raw_pos_ == 0 && raw_len_ == raw_.size()) n = 0;  // cannot happen with 64 KiB, but never spin
        if (n < 0) {
          if (!RawRefill(err)) return -1;
          continue;
        }
      }
      const char* unit = n > 0 ? reinterpret_cast<const char*>(p) : "\xEF\xBF\xBD";
      size_t unit_len = n > 0 ? static_cast<size_t>(n) : 3;
      raw_pos_ += n > 0 ? static_cast<size_t>(n) : 1;
      if (n <= 0) ++repaired_;
      size_t fit = std::min(unit_len, static_cast<size_t>(oend - o));
      std::memcpy(o, unit, fit);
      o += fit;
      if (fit < unit_len) {
        std::memcpy(carry_, unit + fit, unit_len - fit);
        carry_pos_ = 0;
        carry_len_ = unit_len - fit;
      }
    }
    return o - buf;
  }

  static constexpr size_t kPivot = 4096;
  ftprep_stream* in_ = nullptr;
  std::vector<char> raw_;
  size_t raw_pos_ = 0, raw_len_ = 0, bom_len_ = 0;
  bool raw_eof_ = false, first_ = true;
  Mode mode_ = kPlain;
  UConverter* src_ = nullptr;
  UConverter* utf8_ = nullptr;
  UChar pivot_[kPivot];
  UChar* pivot_src_ = pivot_;
  UChar* pivot_tgt_ = pivot_;
  uint64_t repaired_ = 0;
  char carry_[4];
  size_t carry_pos_ = 0, carry_len_ = 0;
  std::string encoding_name_;
};

// ---- delimiter sniffing -------------------------------------------------------------------------------------

// Picks among , ; TAB | the delimiter whose count per line (outside quotes) is the same, and non-zero, on
// the most lines of `head`; ties go to the earlier candidate. Returns 0 if none appears on the first line.
inline char SniffDelimiter(const char* head, size_t len, int* consistent_lines = nullptr) {
  static const char kCand[] = {',', '\t', ';', '|'};
  std::vector<std::vector<int>> counts(4);
  std::vector<int> cur(4, 0);
  bool inq = false;
  int lines = 0;
  for (size_t i = 0; i < len && lines < 50; ++i) {
    char c = head[i];
    if (c == '"') {
      inq = !inq;
    } else if (!inq && c == '\n') {
      for (int k = 0; k < 4; ++k) counts[k].push_back(cur[k]);
      std::fill(cur.begin(), cur.end(), 0);
      ++lines;
    } else if (!inq) {
      for (int k = 0; k < 4; ++k) cur[k] += (c == kCand[k]);
    }
  }
  if (lines == 0) {  // a single line without newline: judge it alone
    for (int k = 0; k < 4; ++k) counts[k].push_back(cur[k]);
  }
  int best = -1, best_score = 0;
  for (int k = 0; k < 4; ++k) {
    if (counts[k].empty() || counts[k][0] == 0) continue;
    int score = 0;
    for (int v : counts[k]) score += (v == counts[k][0]);
    if (score > best_score) {
      best_score = score;
      best = k;
    }
  }
  if (consistent_lines) *consistent_lines = best_score;
  return best < 0 ? 0 : kCand[best];
}

// ---- DelimReader --------------------------------------------------------------------------------------------

// The message and column of the first invalid UTF-8 byte of a row that starts at `line` (columns on line 1
// count a byte-order mark of bom_len bytes); false if the row is valid UTF-8.
inline bool RowUtf8Error(const char* row, size_t len, uint64_t line, size_t bom_len, std::string* msg,
                         uint64_t* column) {
  size_t bad = FirstInvalidUtf8(row, len);
  if (bad == len) return false;
  const char* at = row + bad;
  uint64_t ln = line;  // the physical line of the bad byte
  const char* ls = row;
  for (const char* q = row; q < at; ++q) {
    if (*q == '\n') {
      ++ln;
      ls = q + 1;
    }
  }
  *column = static_cast<uint64_t>(at - ls) + 1 + (ln == 1 ? bom_len : 0);
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(*at));
  *msg = std::string("invalid UTF-8 (byte ") + hex + ")" + (ln != line ? " at line " + std::to_string(ln) : "") +
         " at column " + std::to_string(*column) +
         "; give the file's encoding with --encoding (e.g. latin1, cp1252) or use --repair-utf8";
  return true;
}

// What turning a row's fields into its JSON text needs besides the row: shared by the reader and the rows
// it left to be finished on another thread (which may outlive the reader).
struct RowShape {
  std::vector<std::string> keys;  // per column: {"name": or ,"name":
  bool tsv_escapes = false;
  bool check_utf8 = false;  // the row's bytes still need the UTF-8 check
  size_t bom_len = 0;
};

struct ReaderConfig {
  char delimiter = 0;  // 0 = sniff
  char default_delimiter = ',';
  bool header = true;
  bool lazy_quotes = false;
  bool tsv_escapes = false;  // no quoting; \t \n \r \\ escapes
  bool repair_utf8 = false;
  std::string encoding;
  std::vector<std::string> header_names;  // replace the header row's names
  // A header name given twice is an error, unless renamed as pandas does ("prompt", "prompt.1", ...): the
  // legacy prepare_data flow read CSV that way, so `prepare` asks for it (duplicate_headers=rename).
  bool rename_duplicates = false;
  uint64_t max_record = 64ull << 20;
  uint64_t max_field = 16ull << 20;
  // Initial buffer and largest single read. Only the fuzz targets change it: tiny blocks drive records,
  // quotes and UTF-8 sequences across refills.
  uint64_t read_block = 1 << 20;
  const char* format_name = "csv";
  std::string error;  // a bad option, reported by Open()
};

inline bool ParseConfig(ftprep_options opts, ReaderConfig* c, std::string* err) {
  using ftprep::plugin::Option;
  std::string_view d = Option(opts, "delimiter");
  if (!d.empty() && d != "auto") {
    if (d == "tab" || d == "\\t" || d == "\t") {
      c->delimiter = '\t';
    } else if (d == "comma") {
      c->delimiter = ',';
    } else if (d == "semicolon") {
      c->delimiter = ';';
    } else if (d == "pipe") {
      c->delimiter = '|';
    } else if (d.size() == 1 && d[0] != '"' && d[0] != '\n' && d[0] != '\r') {
      c->delimiter = d[0];
    } else {
      *err = "delimiter must be one character (or tab, comma, semicolon, pipe), not '" + std::string(d) + "'";
      return false;
    }
  }
  if (Option(opts, "header").size()) c->header = Truthy(Option(opts, "header"));
  if (Truthy(Option(opts, "no_header"))) c->header = false;
  c->lazy_quotes = Truthy(Option(opts, "lazy_quotes"));
  c->tsv_escapes = Truthy(Option(opts, "tsv_escapes"));
  c->repair_utf8 = Truthy(Option(opts, "repair_utf8"));
  c->encoding = std::string(Option(opts, "encoding"));
  c->max_record = ParseU64(Option(opts, "max_record_bytes"), c->max_record);
  c->max_field = ParseU64(Option(opts, "max_field_bytes"), c->max_field);
  c->read_block = std::clamp<uint64_t>(ParseU64(Option(opts, "read_block_bytes"), c->read_block), 1, 1 << 20);
  std::string_view dups = Option(opts, "duplicate_headers");
  if (dups == "rename") {
    c->rename_duplicates = true;
  } else if (!dups.empty() && dups != "error") {
    *err = "duplicate_headers must be error or rename, not '" + std::string(dups) + "'";
    return false;
  }
  std::string_view names = Option(opts, "header_names");
  if (!names.empty()) {
    size_t start = 0;
    for (;;) {
      size_t comma = names.find(',', start);
      c->header_names.emplace_back(names.substr(start, comma == std::string_view::npos ? names.npos : comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  return true;
}

class DelimReader {
 public:
  DelimReader(const ftprep_host* host, ftprep_stream* in, ReaderConfig cfg)
      : host_(host), in_(in), cfg_(std::move(cfg)) {}
  // From plugin options; default_delim is used when the options name none (sniffed first if `sniff`).
  DelimReader(const ftprep_host* host, ftprep_stream* in, ftprep_options opts, char default_delim, bool sniff)
      : DelimReader(host, in, ConfigFrom(opts, default_delim, sniff)) {}

  ~DelimReader() {
    if (!opened_ || host_ == nullptr || host_->warn == nullptr) return;
    std::string name = in_->name ? in_->name : "<input>";
    if (blank_ > 0) {
      std::string m = name + ": skipped " + std::to_string(blank_) + " blank line" + (blank_ == 1 ? "" : "s");
      host_->warn(host_->ctx, m.c_str());
    }
    if (empty_) {
      host_->warn(host_->ctx, (name + ": empty input: no header and no rows").c_str());
    } else if (rows_ == 0 && cfg_.header) {
      host_->warn(host_->ctx, (name + ": only a header row, no data rows").c_str());
    }
    if (input_.repaired() > 0) {
      std::string m = name + ": --repair-utf8 replaced " + std::to_string(input_.repaired()) +
                      " invalid byte" + (input_.repaired() == 1 ? "" : "s") + " with U+FFFD";
      host_->warn(host_->ctx, m.c_str());
    }
  }

  static ReaderConfig ConfigFrom(ftprep_options opts, char default_delim, bool sniff) {
    ReaderConfig cfg;
    cfg.default_delimiter = default_delim;
    if (!sniff) cfg.delimiter = default_delim;
    ParseConfig(opts, &cfg, &cfg.error);
    return cfg;
  }

  int Open() {
    if (!cfg_.error.empty()) {
      err_ = cfg_.error;
      return FTPREP_ERR_USAGE;
    }
    if (!input_.Init(in_, cfg_.encoding, cfg_.repair_utf8, &err_)) return cfg_.encoding.empty() ? FTPREP_ERR_IO : FTPREP_ERR_USAGE;
    validate_utf8_ = !input_.transcoded() && !input_.repairing();
    cap_ = static_cast<size_t>(cfg_.read_block);
    buf_.reset(new char[cap_]);
    // Fill enough for sniffing the delimiter.
    while (end_ < (64u << 10) && !eof_) {
      if (!Fill()) return FTPREP_ERR_IO;
    }
    delim_ = cfg_.delimiter;
    if (delim_ == 0) {
      delim_ = cfg_.tsv_escapes ? '\t' : SniffDelimiter(buf_.get(), end_);
      if (delim_ == 0) delim_ = cfg_.default_delimiter;
    }
    for (int i = 0; i < 256; ++i) special_[i] = 0;
    special_[static_cast<unsigned char>(delim_)] = 1;
    special_[static_cast<unsigned char>('\n')] = 1;
    special_[static_cast<unsigned char>('\r')] = 1;
    if (!cfg_.tsv_escapes) special_[static_cast<unsigned char>('"')] = 1;
    if (cfg_.header) {
      int rc = ReadHeader();
      if (rc != FTPREP_OK) return rc;
    } else if (!cfg_.header_names.empty()) {
      int rc = SetNames(cfg_.header_names, 0);
      if (rc != FTPREP_OK) return rc;
    }
    opened_ = true;  // warnings at the end only for a reader that opened
    return FTPREP_OK;
  }

  int Next(ftprep_record_out* out) {
    int rc = NextRecord(out);
    if (rc == FTPREP_OK) TakeRawOverride(out);
    return rc;
  }

  const char* error() const { return err_.c_str(); }
  char delimiter() const { return delim_; }
  // In-tree C++ reader: where the members of each good row sit in its JSON text (core/format_reader.h's
  // flat-strings hint), so the host builds the row's document without parsing it. Each good row rewrites
  // the whole hint (or clears it); rows with an error leave it as it was.
  void set_hint(std::vector<uint32_t>* hint) { hint_ = hint; }
  // In-tree C++ reader, set before Open(): good rows whose bytes fit 32-bit offsets are only framed; their
  // UTF-8 check and JSON text are left to Record::Resolve (FinishRow with shape()), which the pipeline's
  // workers call. The row's record then holds its bytes and, in the hint, where its fields are.
  void set_defer(bool on) { defer_ = on; }
  bool row_deferred() const { return row_deferred_; }
  // What HintedRecordReader passes to Record::Defer for a deferred row: FinishRow and its RowShape (the
  // owner typed as Defer takes it: no reference count traffic per row).
#if defined(FTPREP_BUILTIN)
  Record::DeferredFn deferred_fn() const;
#endif
  uint64_t deferred_arg() const { return reinterpret_cast<uint64_t>(shape_.get()); }
  const std::shared_ptr<const void>& deferred_owner() const { return shape_owner_; }

 private:
  int NextRecord(ftprep_record_out* out) {
    row_deferred_ = false;
    for (;;) {
      Parsed p;
      int rc = ParseRecord(&p);
      if (rc == FTPREP_END && rows_ == 0 && !cfg_.header && blank_ == 0) empty_ = true;
      if (rc != FTPREP_OK) return rc;
      *out = ftprep_record_out{};
      if (!p.blank) ++rows_;
      out->line = p.line;
      out->raw = buf_.get() + p.begin;
      out->raw_len = p.end - p.begin;
      auto bad = [&] {
        out->error = msg_.c_str();
        out->rule_id = p.rule;
        out->column = p.column;
        return FTPREP_OK;
      };
      if (p.error) return bad();
      if (p.blank) {
        ++blank_;
        continue;
      }
      if (!have_names_) {  // --no-header: the first row fixes the column count
        std::vector<std::string> names;
        for (size_t i = 0; i < fields_.size(); ++i) names.push_back("col" + std::to_string(i + 1));
        int rc2 = SetNames(names, 0);
        if (rc2 != FTPREP_OK) return rc2;
      }
      bool ragged = fields_.size() != keys_.size();
      bool too_large = false;
      for (const Field& f : fields_) too_large |= f.len > cfg_.max_field;
      bool defer = shape_ != nullptr && hint_ != nullptr && p.end - p.begin <= UINT32_MAX;
      // Invalid UTF-8 outranks the row's shape; only a good row's check can wait for its deferred finish.
      if (p.utf8_unchecked && (ragged || too_large || !defer) && Utf8Error(&p)) return bad();
      if (ragged) {
        uint64_t col;
        if (fields_.size() > keys_.size()) {
          col = ColumnOf(fields_[keys_.size()].raw_start);
        } else {
          col = ColumnOf(buf_.get() + p.end) ;
        }
        msg_ = "ragged row: " + std::to_string(fields_.size()) + " field" + (fields_.size() == 1 ? "" : "s") +
               ", the header has " + std::to_string(keys_.size()) + " at column " + std::to_string(col);
        out->error = msg_.c_str();
        out->rule_id = "csv.ragged_row";
        out->column = col;
        return FTPREP_OK;
      }
      for (size_t i = 0; i < fields_.size(); ++i) {
        if (fields_[i].len > cfg_.max_field) {
          uint64_t col = ColumnOf(fields_[i].raw_start);
          msg_ = "field " + std::to_string(i + 1) + " is " + std::to_string(fields_[i].len) +
                 " bytes, over the limit of " + std::to_string(cfg_.max_field) +
                 " (raise it with --max-field-bytes) at column " + std::to_string(col);
          out->error = msg_.c_str();
          out->rule_id = "record.field_too_large";
          out->column = col;
          return FTPREP_OK;
        }
      }
      if (defer) return DeferRow(p, out);
      json_.clear();
      uint32_t* hint = nullptr;  // per member: key start, key length, value start, value length
      if (hint_ != nullptr) {
        if (hint_->size() != 4 * fields_.size()) hint_->resize(4 * fields_.size());  // rows have one width
        hint = hint_->data();
        if (!have_keys_) {
          hint_->clear();
          hint = nullptr;
        }
      }
      for (size_t i = 0; i < fields_.size(); ++i) {
        const std::string& key = keys_[i];  // {"name": or ,"name":
        json_.Append(key);
        json_.Push('"');
        size_t value = json_.size();
        AppendJsonBody(fields_[i].p, fields_[i].len, fields_[i].escaped, cfg_.tsv_escapes, &json_);
        if (hint != nullptr) {
          hint[0] = static_cast<uint32_t>(value - key.size() + 1);
          hint[1] = static_cast<uint32_t>(key.size() - 4);
          hint[2] = static_cast<uint32_t>(value);
          hint[3] = static_cast<uint32_t>(json_.size() - value);
          hint += 4;
        }
        json_.Push('"');
      }
      // Offsets are 32-bit: a larger row (only with a raised --max-record-bytes) is parsed instead.
      if (hint != nullptr && json_.size() > UINT32_MAX) hint_->clear();
      json_.Push('}');
      // Good rows carry no raw bytes: the host would pass raw through as the record's text.
      out->raw = nullptr;
      out->raw_len = 0;
      out->json = json_.data();
      out->json_len = json_.size();
      return FTPREP_OK;
    }
  }

  struct Field {
    const char* p;          // content start (inside the quotes for quoted fields)
    size_t len;
    const char* raw_start;  // where the field starts in the line (for columns)
    bool escaped;           // quoted: collapse doubled quotes
  };
  struct Parsed {
    size_t begin = 0, end = 0;  // raw span (buffer offsets, without the line terminator)
    uint64_t line = 0, column = 0;
    bool error = false, blank = false;
    bool utf8_unchecked = false;  // the UTF-8 check was left to the row's deferred finish (or NextRecord)
    const char* rule = nullptr;
  };

  // A good row left for Record::Resolve (FinishRow, maybe on another thread): the record's text is the row's
  // bytes for now, and the hint holds per field its offset in them, its length and whether doubled quotes
  // collapse. FinishRow turns that into what NextRecord builds here otherwise.
  int DeferRow(const Parsed& p, ftprep_record_out* out) {
    const char* row = buf_.get() + p.begin;
    hint_->resize(4 * fields_.size());
    uint32_t* h = hint_->data();
    for (const Field& f : fields_) {
      h[0] = static_cast<uint32_t>(f.p - row);
      h[1] = static_cast<uint32_t>(f.len);
      h[2] = f.escaped;
      h[3] = 0;
      h += 4;
    }
    out->raw = nullptr;
    out->raw_len = 0;
    out->json = row;
    out->json_len = p.end - p.begin;
    row_deferred_ = true;
    return FTPREP_OK;
  }

  // Reads more input after end_, compacting or growing the buffer first.
  bool Fill() {
    if (beg_ > 0) {
      std::memmove(buf_.get(), buf_.get() + beg_, end_ - beg_);
      end_ -= beg_;
      beg_ = 0;
    }
    if (end_ == cap_) {
      size_t ncap = cap_ * 2;
      std::unique_ptr<char[]> nb(new char[ncap]);
      std::memcpy(nb.get(), buf_.get(), end_);
      buf_ = std::move(nb);
      cap_ = ncap;
    }
    long long n = input_.Read(buf_.get() + end_, std::min<size_t>(cap_ - end_, cfg_.read_block), &err_);
    if (n < 0) return false;
    if (n == 0) eof_ = true;
    end_ += static_cast<size_t>(n);
    return true;
  }

  uint64_t ColumnOf(const char* p) const {
    const char* ls = cur_line_start_;
    uint64_t col = static_cast<uint64_t>(p - ls) + 1;
    if (cur_line_no_ == 1) col += input_.bom_len();
    return col;
  }

  enum Step { kDone, kNeedMore, kError };

  // Parses one record at beg_ into fields_. On kError fills msg_/rule and *resync (offset to continue at).
  Step Scan(Parsed* p, size_t* next, size_t* resync) {
    fields_.clear();
    const char* b = buf_.get();
    const char* s = b + beg_;
    const char* e = b + end_;
    const char* pos = s;
    cur_line_no_ = line_;
    cur_line_start_ = s;
    const unsigned char* sp = special_;
    const char q = '"';
    for (;;) {
      // One field starts at pos.
      if (!cfg_.tsv_escapes && pos < e && *pos == q) {
        const char* open = pos;
        uint64_t open_line = cur_line_no_;
        const char* open_ls = cur_line_start_;
        const char* c = pos + 1;
        bool escaped = false;
        for (;;) {
          const char* qq = static_cast<const char*>(std::memchr(c, q, e - c));
          const char* stop = qq ? qq : e;
          // Track lines inside the quoted field.
          for (const char* nl = static_cast<const char*>(std::memchr(c, '\n', stop - c)); nl;
               nl = static_cast<const char*>(std::memchr(nl + 1, '\n', stop - nl - 1))) {
            ++cur_line_no_;
            cur_line_start_ = nl + 1;
          }
          if (qq == nullptr) {
            if (!eof_) return kNeedMore;
            cur_line_no_ = open_line;
            cur_line_start_ = open_ls;
            p->column = ColumnOf(open);
            p->line = line_;
            msg_ = "unterminated quoted field (opened at line " + std::to_string(open_line) + ", column " +
                   std::to_string(p->column) + ")";
            p->rule = "csv.unterminated_quote";
            *resync = ResyncAfter(open);
            if (*resync == SIZE_MAX) return kNeedMore;
            return kError;
          }
          if (qq + 1 >= e && !eof_) return kNeedMore;
          char after = qq + 1 < e ? qq[1] : '\n';
          if (after == q) {
            escaped = true;
            c = qq + 2;
            continue;
          }
          if (after == delim_ || after == '\n' || after == '\r') {
            fields_.push_back({open + 1, static_cast<size_t>(qq - open - 1), open, escaped});
            pos = qq + 1;
            break;
          }
          if (cfg_.lazy_quotes) {
            escaped = true;
            c = qq + 1;
            continue;
          }
          p->column = ColumnOf(qq + 1);
          uint64_t err_line = cur_line_no_;
          msg_ = "unexpected character '" + Show(std::string_view(qq + 1, 1)) + "' after the closing quote at line " +
                 std::to_string(err_line) + ", column " + std::to_string(p->column) +
                 " (quote opened at line " + std::to_string(open_line) + "; double a quote inside a quoted field, or use --lazy-quotes)";
          p->rule = "csv.bad_quote";
          *resync = ResyncAfter(open);
          if (*resync == SIZE_MAX) return kNeedMore;
          return kError;
        }
      } else {
        const char* fstart = pos;
        for (;;) {
          while (pos < e && !sp[static_cast<unsigned char>(*pos)]) ++pos;
          if (pos < e && *pos == q) {
            if (cfg_.lazy_quotes) {
              ++pos;
              continue;
            }
            p->column = ColumnOf(pos);
            msg_ = "bare quote in an unquoted field at column " + std::to_string(p->column) +
                   " (quote the whole field and double the quote, or use --lazy-quotes)";
            p->rule = "csv.bare_quote";
            *resync = ResyncAfter(pos);
            if (*resync == SIZE_MAX) return kNeedMore;
            return kError;
          }
          break;
        }
        if (pos >= e && !eof_) return kNeedMore;
        fields_.push_back({fstart, static_cast<size_t>(pos - fstart), fstart, false});
      }
      // After a field: delimiter, line end or end of input.
      if (pos >= e) {
        if (!eof_) return kNeedMore;
        p->end = static_cast<size_t>(pos - b);
        *next = p->end;
        return kDone;
      }
      char c = *pos;
      if (c == delim_) {
        ++pos;
        if (pos >= e && !eof_) return kNeedMore;
        continue;
      }
      // Line end: \n, \r\n or a lone \r.
      p->end = static_cast<size_t>(pos - b);
      if (c == '\r') {
        if (pos + 1 >= e && !eof_) return kNeedMore;
        if (pos + 1 < e && pos[1] == '\n') ++pos;
      }
      *next = static_cast<size_t>(pos + 1 - b);
      return kDone;
    }
  }

  // Offset just after the first line end at or after p; end_ at EOF; SIZE_MAX if more input is needed.
  size_t ResyncAfter(const char* p) {
    const char* b = buf_.get();
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', b + end_ - p));
    if (nl) return static_cast<size_t>(nl + 1 - b);
    return eof_ ? end_ : SIZE_MAX;
  }

  int ParseRecord(Parsed* p) {
    for (;;) {
      if (beg_ >= end_) {
        if (eof_) return FTPREP_END;
        if (!Fill()) return FTPREP_ERR_IO;
        continue;
      }
      *p = Parsed{};
      p->begin = beg_;
      p->line = line_;
      size_t next = 0, resync = 0;
      Step st = Scan(p, &next, &resync);
      if (st == kNeedMore) {
        if (end_ - beg_ >= cfg_.max_record) return TooLarge(p);
        if (!Fill()) return FTPREP_ERR_IO;
        continue;
      }
      if (st == kError) {
        p->error = true;
        p->line = line_;
        p->end = resync;
        // Do not include the line terminator in raw.
        size_t rend = resync;
        while (rend > p->begin && (buf_[rend - 1] == '\n' || buf_[rend - 1] == '\r')) --rend;
        p->end = rend;
        line_ += CountLines(beg_, resync);
        beg_ = resync;
        return FTPREP_OK;
      }
      // Done: Scan counted the line ends inside quoted fields; add the record's own terminator.
      line_ = cur_line_no_ + (next > 0 && buf_[next - 1] == '\n' ? 1 : 0);
      beg_ = next;
      if (fields_.size() == 1 && fields_[0].len == 0 && fields_[0].raw_start == buf_.get() + p->begin &&
          (p->end == p->begin)) {
        p->blank = true;
        return FTPREP_OK;
      }
      if (validate_utf8_) {
        if (shape_ != nullptr) {
          p->utf8_unchecked = true;  // checked where the row's JSON text is built, maybe on another thread
        } else {
          Utf8Error(p);
        }
      }
      return FTPREP_OK;
    }
  }

  // Checks the row's bytes; on invalid UTF-8 marks *p bad with the message in msg_.
  bool Utf8Error(Parsed* p) {
    p->utf8_unchecked = false;
    if (!RowUtf8Error(buf_.get() + p->begin, p->end - p->begin, p->line, input_.bom_len(), &msg_, &p->column)) {
      return false;
    }
    p->error = true;
    p->rule = "utf8.invalid";
    return true;
  }

  uint64_t CountLines(size_t from, size_t to) const {
    return static_cast<uint64_t>(std::count(buf_.get() + from, buf_.get() + to, '\n'));
  }

  int TooLarge(Parsed* p) {
    // Skip to the first line end after the record start, keeping a head of the record for rejects.
    size_t keep = std::min<size_t>(end_ - beg_, 4096);
    too_large_raw_.assign(buf_.get() + beg_, keep);
    for (;;) {
      const char* b = buf_.get();
      const char* nl = static_cast<const char*>(std::memchr(b + beg_, '\n', end_ - beg_));
      if (nl) {
        beg_ = static_cast<size_t>(nl + 1 - b);
        ++line_;
        break;
      }
      beg_ = end_;
      if (eof_) break;
      if (!Fill()) return FTPREP_ERR_IO;
    }
    msg_ = "record is longer than the limit of " + std::to_string(cfg_.max_record) +
           " bytes (raise it with --max-record-bytes; an unbalanced quote can also cause this)";
    p->error = true;
    p->rule = "record.too_large";
    p->column = 0;
    // raw must point into buf_: copy the head to the front of the buffer is unsafe, so expose via too_large_raw_.
    p->begin = p->end = 0;
    raw_override_ = true;
    return FTPREP_OK;
  }

  int ReadHeader() {
    for (;;) {
      Parsed p;
      int rc = ParseRecord(&p);
      if (rc == FTPREP_END) {
        empty_ = true;
        return FTPREP_OK;
      }
      if (rc != FTPREP_OK) return rc;
      if (p.blank) continue;
      if (p.error) {
        err_ = std::to_string(p.line) + ":" + std::to_string(p.column) + ": error[" + p.rule + "]: in the header: " + msg_;
        return FTPREP_ERR_DATA;
      }
      std::vector<std::string> names;
      std::vector<uint64_t> cols;
      for (const auto& f : fields_) {
        names.emplace_back(f.p, f.len);
        if (f.escaped) {
          std::string u;
          for (size_t i = 0; i < f.len; ++i) {
            u += f.p[i];
            if (f.p[i] == '"' && i + 1 < f.len && f.p[i + 1] == '"') ++i;
          }
          names.back() = u;
        }
        // The writer escapes header names as it escapes values; decode them the same way.
        if (cfg_.tsv_escapes) names.back() = DecodeTsvEscapes(names.back());
        cols.push_back(ColumnOf(f.raw_start));
      }
      if (!cfg_.header_names.empty()) {
        if (cfg_.header_names.size() != names.size()) {
          err_ = "--header-names gives " + std::to_string(cfg_.header_names.size()) + " names, the header row has " +
                 std::to_string(names.size()) + " columns";
          return FTPREP_ERR_USAGE;
        }
        return SetNames(cfg_.header_names, 0);
      }
      header_cols_ = cols;
      return SetNames(names, p.line);
    }
  }

  // Checks names (unique, non-empty) and builds the JSON key prefixes. header_line 0 = names from options.
  int SetNames(std::vector<std::string> names, uint64_t header_line) {
    if (cfg_.rename_duplicates) RenameDuplicates(&names);
    std::string where = header_line ? "line " + std::to_string(header_line) : "--header-names";
    for (size_t i = 0; i < names.size(); ++i) {
      std::string col = header_line && i < header_cols_.size() ? std::to_string(header_line) + ":" + std::to_string(header_cols_[i]) + ": " : "";
      if (names[i].empty()) {
        err_ = col + "error[csv.empty_header]: column " + std::to_string(i + 1) + " of the header (" + where +
               ") has no name; name it in the file, or pass all names with --header-names a,b,c, or use --no-header";
        return FTPREP_ERR_DATA;
      }
      if (FirstInvalidUtf8(names[i].data(), names[i].size()) != names[i].size()) {
        err_ = col + "error[utf8.invalid]: column " + std::to_string(i + 1) +
               " of the header is not valid UTF-8; give the file's encoding with --encoding (e.g. latin1, cp1252) or use --repair-utf8";
        return FTPREP_ERR_DATA;
      }
      for (size_t j = 0; j < i; ++j) {
        if (names[j] == names[i]) {
          err_ = col + "error[csv.duplicate_header]: column " + std::to_string(i + 1) + " of the header has the same name \"" +
                 Show(names[i]) + "\" as column " + std::to_string(j + 1) +
                 "; names must be unique: rename it in the file, or pass all names with --header-names a,b,c";
          return FTPREP_ERR_DATA;
        }
      }
    }
    keys_.clear();
    for (size_t i = 0; i < names.size(); ++i) {
      keys_.push_back((i == 0 ? "{" : ",") + JsonQuote(names[i]) + ":");
    }
    if (names.empty()) keys_.push_back("{");
    have_names_ = true;
    have_keys_ = !names.empty();  // else keys_ holds no key, and rows need the parser's verdict
    shape_.reset();
    shape_owner_.reset();
    if (defer_ && have_keys_) {
      auto shape = std::make_shared<RowShape>();
      shape->keys = keys_;
      shape->tsv_escapes = cfg_.tsv_escapes;
      shape->check_utf8 = validate_utf8_;
      shape->bom_len = input_.bom_len();
      shape_ = std::move(shape);
      shape_owner_ = shape_;
    }
    return FTPREP_OK;
  }

  // "a", "a" -> "a", "a.1" (pandas' mangling), skipping a suffixed name the header already has.
  static void RenameDuplicates(std::vector<std::string>* names) {
    for (size_t i = 1; i < names->size(); ++i) {
      auto taken = [&](const std::string& n) { return std::find(names->begin(), names->end(), n) != names->end(); };
      if (std::find(names->begin(), names->begin() + static_cast<long>(i), (*names)[i]) == names->begin() + static_cast<long>(i)) {
        continue;
      }
      std::string base = (*names)[i];
      for (int k = 1;; ++k) {
        std::string cand = base + "." + std::to_string(k);
        if (!taken(cand)) {
          (*names)[i] = cand;
          break;
        }
      }
    }
  }

  // For TooLarge records the raw bytes live outside the buffer.
  bool TakeRawOverride(ftprep_record_out* out) {
    if (!raw_override_) return false;
    raw_override_ = false;
    out->raw = too_large_raw_.data();
    out->raw_len = too_large_raw_.size();
    return true;
  }

 private:
  const ftprep_host* host_;
  ftprep_stream* in_;
  ReaderConfig cfg_;
  ByteInput input_;
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0, beg_ = 0, end_ = 0;
  uint64_t rows_ = 0;
  bool eof_ = false, validate_utf8_ = true, have_names_ = false, empty_ = false, raw_override_ = false;
  bool opened_ = false;
  char delim_ = ',';
  unsigned char special_[256];
  uint64_t line_ = 1, blank_ = 0, cur_line_no_ = 1;
  const char* cur_line_start_ = nullptr;
  std::vector<Field> fields_;
  std::vector<std::string> keys_;
  std::vector<uint64_t> header_cols_;
  OutBuf json_;
  std::vector<uint32_t>* hint_ = nullptr;
  bool have_keys_ = false;
  bool defer_ = false, row_deferred_ = false;
  std::shared_ptr<const RowShape> shape_;  // set (with defer_) once the column names are known
  std::shared_ptr<const void> shape_owner_;
  std::string msg_, err_, too_large_raw_;
};

// ---- DelimWriter --------------------------------------------------------------------------------------------

class DelimWriter {
 public:
  DelimWriter(const ftprep_host* host, char delim, bool tsv_escapes, int (*write_bytes)(void*, const char*, size_t),
              void* sink)
      : host_(host), delim_(delim), tsv_escapes_(tsv_escapes), write_(write_bytes), sink_(sink) {}

  int Configure(ftprep_options opts, std::string* err) {
    using ftprep::plugin::Option;
    std::string_view cols = Option(opts, "columns");
    if (!cols.empty()) {
      size_t start = 0;
      for (;;) {
        size_t comma = cols.find(',', start);
        columns_.emplace_back(cols.substr(start, comma == std::string_view::npos ? cols.npos : comma - start));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
    }
    std::string_view d = Option(opts, "delimiter");
    if (d == "tab" || d == "\\t") d = "\t";
    if (d.size() == 1) delim_ = d[0];
    if (!d.empty() && d.size() != 1) {
      *err = "delimiter must be one character";
      return FTPREP_ERR_USAGE;
    }
    if (Option(opts, "header").size()) header_ = Truthy(Option(opts, "header"));
    if (Truthy(Option(opts, "no_header"))) header_ = false;
    if (Truthy(Option(opts, "tsv_escapes"))) tsv_escapes_ = true;
    crlf_ = Truthy(Option(opts, "crlf"));
    return FTPREP_OK;
  }

  int Write(const char* json, size_t len, std::string* err) {
    ftprep::ParseRecordJson(doc_, json, len);
    if (doc_.HasParseError() || !doc_.IsObject()) {
      *err = "record is not a JSON object";
      return FTPREP_ERR_DATA;
    }
    if (!started_) {
      started_ = true;
      if (columns_.empty()) {
        for (auto it = doc_.MemberBegin(); it != doc_.MemberEnd(); ++it) {
          columns_.emplace_back(it->name.GetString(), it->name.GetStringLength());
        }
      }
      if (header_) {
        line_.clear();
        for (size_t i = 0; i < columns_.size(); ++i) {
          if (i) line_ += delim_;
          AppendCell(columns_[i]);
        }
        line_ += crlf_ ? "\r\n" : "\n";
        int rc = write_(sink_, line_.data(), line_.size());
        if (rc != FTPREP_OK) return rc;
      }
    }
    line_.clear();
    size_t found = 0;
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (i) line_ += delim_;
      auto it = doc_.FindMember(rapidjson::StringRef(columns_[i].data(), columns_[i].size()));
      if (it == doc_.MemberEnd()) continue;
      ++found;
      const rapidjson::Value& v = it->value;
      if (v.IsString()) {
        AppendCell(std::string_view(v.GetString(), v.GetStringLength()));
      } else if (!v.IsNull()) {
        rapidjson::StringBuffer sb;
        rapidjson::Writer<rapidjson::StringBuffer> w(sb);
        v.Accept(w);
        AppendCell(std::string_view(sb.GetString(), sb.GetSize()));
      }
    }
    if (found < doc_.MemberCount()) {
      ++dropped_records_;
      for (auto it = doc_.MemberBegin(); it != doc_.MemberEnd() && dropped_names_.size() < 5; ++it) {
        std::string k(it->name.GetString(), it->name.GetStringLength());
        if (std::find(columns_.begin(), columns_.end(), k) == columns_.end() &&
            std::find(dropped_names_.begin(), dropped_names_.end(), k) == dropped_names_.end()) {
          dropped_names_.push_back(k);
        }
      }
    }
    line_ += crlf_ ? "\r\n" : "\n";
    return write_(sink_, line_.data(), line_.size());
  }

  int Close() {
    if (dropped_records_ > 0 && host_ && host_->warn) {
      std::string names;
      for (const auto& n : dropped_names_) names += (names.empty() ? "" : ", ") + n;
      std::string m = std::to_string(dropped_records_) + " record" + (dropped_records_ == 1 ? "" : "s") +
                      " had fields outside the columns (" + names + "); they are not in the output — choose columns with --columns";
      host_->warn(host_->ctx, m.c_str());
    }
    return FTPREP_OK;
  }

 private:
  void AppendCell(std::string_view s) {
    if (tsv_escapes_) {
      for (char c : s) {
        if (c == '\t') {
          line_ += "\\t";
        } else if (c == '\n') {
          line_ += "\\n";
        } else if (c == '\r') {
          line_ += "\\r";
        } else if (c == '\\') {
          line_ += "\\\\";
        } else {
          line_ += c;
        }
      }
      return;
    }
    bool quote = false;
    for (char c : s) {
      if (c == delim_ || c == '"' || c == '\n' || c == '\r') {
        quote = true;
        break;
      }
    }
    if (!quote) {
      line_.append(s);
      return;
    }
    line_ += '"';
    for (char c : s) {
      if (c == '"') line_ += '"';
      line_ += c;
    }
    line_ += '"';
  }

  const ftprep_host* host_;
  char delim_;
  bool tsv_escapes_, header_ = true, crlf_ = false, started_ = false;
  int (*write_)(void*, const char*, size_t);
  void* sink_;
  std::vector<std::string> columns_;
  rapidjson::Document doc_;
  std::string line_;
  uint64_t dropped_records_ = 0;
  std::vector<std::string> dropped_names_;
};

// ---- C ABI glue shared by the csv and tsv plugins ----------------------------------------------------------

// Reader glue for any reader class R with `int Open()`, `int Next(ftprep_record_out*)` and
// `const char* error()`: the csv, tsv, json and txt plugins all use it.
template <class R>
struct Boxed {
  std::unique_ptr<R> r;
  std::string err;
};

// Opens a reader engine; a failed Open's message goes to the host (which never closes a reader whose
// open failed).
template <class R>
int OpenEngine(const ftprep_host* host, R& r) {
  int rc = r.Open();
  if (rc != FTPREP_OK && host && host->set_error) host->set_error(host->ctx, r.error());
  return rc;
}

// Runs fn at the C boundary: no exception crosses it (out of memory is a limit, anything else internal).
template <class Fn>
int NoThrow(Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return FTPREP_ERR_LIMIT;
  } catch (...) {
    return FTPREP_ERR_INTERNAL;
  }
}

template <class R, class... Args>
int OpenBoxed(const ftprep_host* host, void** reader, Args&&... args) {
  return NoThrow([&] {
    auto box = std::make_unique<Boxed<R>>();
    box->r = std::make_unique<R>(std::forward<Args>(args)...);
    *reader = nullptr;
    int rc = OpenEngine(host, *box->r);
    if (rc == FTPREP_OK) *reader = box.release();
    return rc;
  });
}

template <class R>
int NextBoxed(void* reader, ftprep_record_out* out) {
  auto* box = static_cast<Boxed<R>*>(reader);
  try {
    int rc = box->r->Next(out);
    if (rc != FTPREP_OK && rc != FTPREP_END) box->err = box->r->error();
    return rc;
  } catch (const std::bad_alloc&) {
    box->err = "out of memory";
    return FTPREP_ERR_LIMIT;
  } catch (...) {
    box->err = "internal error";
    return FTPREP_ERR_INTERNAL;
  }
}

template <class R>
const char* ErrorBoxed(void* reader) {
  return static_cast<Boxed<R>*>(reader)->err.c_str();
}
template <class R>
void CloseBoxed(void* reader) {
  delete static_cast<Boxed<R>*>(reader);
}

#if defined(FTPREP_BUILTIN)
// The in-tree C++ reader (core/format_reader.h) over an engine R of the kind Boxed takes, which also has
// set_hint(): records go straight into the host's Record, and a row the engine described by a flat-strings
// hint gets its document built from it, not parsed from its JSON text. Same records and messages as the
// C ABI path (the engine is the same; FillRecord is what the host does with ftprep_record_out).
// Record::DeferredFn of a row DelimReader left deferred (arg: its RowShape): the UTF-8 check, then the JSON
// text and flat-strings hint NextRecord would have built, from the row's bytes (the record's text) and the
// field spans in its hint. Any thread; per-thread scratch.
inline void FinishRow(Record* rec, uint64_t arg) {
  const RowShape& shape = *reinterpret_cast<const RowShape*>(arg);
  std::string_view row = rec->raw();
  if (shape.check_utf8) {
    std::string msg;
    uint64_t column = 0;
    if (RowUtf8Error(row.data(), row.size(), rec->loc.line, shape.bom_len, &msg, &column)) {
      rec->AssignError(row, std::move(msg), "utf8.invalid", column);
      return;
    }
  }
  thread_local OutBuf json;
  json.clear();
  std::vector<uint32_t>& hint = rec->build_hint();
  uint32_t* h = hint.data();
  for (size_t i = 0; i < hint.size() / 4; ++i, h += 4) {
    uint32_t start = h[0], len = h[1];
    bool escaped = h[2] != 0;
    const std::string& key = shape.keys[i];
    json.Append(key);
    json.Push('"');
    size_t value = json.size();
    AppendJsonBody(row.data() + start, len, escaped, shape.tsv_escapes, &json);
    // Now the member's place in the JSON text: key start, key length, value start, value length.
    h[0] = static_cast<uint32_t>(value - key.size() + 1);
    h[1] = static_cast<uint32_t>(key.size() - 4);
    h[2] = static_cast<uint32_t>(value);
    h[3] = static_cast<uint32_t>(json.size() - value);
    json.Push('"');
  }
  json.Push('}');
  bool hinted = json.size() <= UINT32_MAX;  // else the offsets do not fit: parsed instead
  rec->Assign(std::string_view(json.data(), json.size()));
  if (hinted) {
    rec->BuildLater(&BuildFlatStrings);
  } else {
    hint.clear();
  }
}

inline Record::DeferredFn DelimReader::deferred_fn() const { return &FinishRow; }

template <class R>
class HintedRecordReader : public RecordFormatReader {
 public:
  template <class... Args>
  explicit HintedRecordReader(Args&&... args) : r_(std::forward<Args>(args)...) {
    if constexpr (requires { r_.set_defer(true); }) r_.set_defer(true);
  }
  R& engine() { return r_; }
  int Next(Record* rec) override {
    try {
      // The engine fills the hint of a good row (or clears it: no hint, parse); other rows ignore it.
      std::vector<uint32_t>& hint = rec->build_hint();
      r_.set_hint(&hint);
      ftprep_record_out out{};
      int rc = r_.Next(&out);
      if (rc != FTPREP_OK) {
        if (rc != FTPREP_END) err_ = r_.error();
        return rc;
      }
      FillRecord(out, rec);
      if constexpr (requires { r_.row_deferred(); }) {
        if (r_.row_deferred()) {
          rec->Defer(r_.deferred_fn(), r_.deferred_arg(), r_.deferred_owner());
          return FTPREP_OK;
        }
      }
      if (out.error == nullptr && !hint.empty()) rec->BuildLater(&BuildFlatStrings);
      return FTPREP_OK;
    } catch (const std::bad_alloc&) {
      err_ = "out of memory";
      return FTPREP_ERR_LIMIT;
    } catch (...) {
      err_ = "internal error";
      return FTPREP_ERR_INTERNAL;
    }
  }
  const char* error() const override { return err_.c_str(); }

 private:
  R r_;
  std::string err_;
};

// OpenBoxed for the C++ reader.
template <class R, class... Args>
int OpenHinted(const ftprep_host* host, std::unique_ptr<RecordFormatReader>* reader, Args&&... args) {
  return NoThrow([&] {
    auto r = std::make_unique<HintedRecordReader<R>>(std::forward<Args>(args)...);
    int rc = OpenEngine(host, r->engine());
    if (rc == FTPREP_OK) *reader = std::move(r);
    return rc;
  });
}
#endif

// Format sniffing shared by csv (tab = false: , ; |) and tsv (tab = true).
inline int SniffDelimited(const char* head, size_t len, bool tab) {
  size_t i = 0;
  while (i < len && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r')) ++i;
  if (i < len && (head[i] == '{' || head[i] == '[')) return 0;
  int lines = 0;
  char d = SniffDelimiter(head, len, &lines);
  if ((d == '\t') != tab || d == 0) return 0;
  return lines >= 2 ? (tab ? 45 : 40) : 10;
}

struct WriterBox {
  std::unique_ptr<DelimWriter> w;
  const ftprep_host* host;
  std::string err;
};

inline int OpenDelimWriter(const ftprep_host* host, ftprep_options opts, int (*write_bytes)(void*, const char*, size_t),
                           void* sink, char delim, void** writer) {
  try {
    auto* box = new WriterBox();
    box->host = host;
    box->w = std::make_unique<DelimWriter>(host, delim, false, write_bytes, sink);
    int rc = box->w->Configure(opts, &box->err);
    if (rc != FTPREP_OK) {
      if (host && host->set_error) host->set_error(host->ctx, box->err.c_str());
      delete box;
      return rc;
    }
    *writer = box;
    return FTPREP_OK;
  } catch (...) {
    return FTPREP_ERR_INTERNAL;
  }
}

inline int WriteDelim(void* writer, const char* json, size_t len) {
  auto* box = static_cast<WriterBox*>(writer);
  try {
    int rc = box->w->Write(json, len, &box->err);
    if (rc != FTPREP_OK && !box->err.empty() && box->host && box->host->set_error) {
      box->host->set_error(box->host->ctx, box->err.c_str());
    }
    return rc;
  } catch (...) {
    return FTPREP_ERR_INTERNAL;
  }
}

inline int CloseDelimWriter(void* writer) {
  auto* box = static_cast<WriterBox*>(writer);
  int rc = FTPREP_OK;
  try {
    rc = box->w->Close();
  } catch (...) {
    rc = FTPREP_ERR_INTERNAL;
  }
  delete box;
  return rc;
}

// The format table of a delimited-text plugin (csv: ',' with quotes; tsv: tab, quotes or escapes): both
// plugins are this engine with a different default delimiter, sniff and extension list.
template <char kDelim, bool kCsv>
struct DelimFormat {
  static int Sniff(const char* head, size_t len, const char*) { return SniffDelimited(head, len, !kCsv); }
  static int Open(const ftprep_host* host, ftprep_stream* in, ftprep_options opts, void** reader) {
    return OpenBoxed<DelimReader>(host, reader, host, in, opts, kDelim, kCsv);
  }
#if defined(FTPREP_BUILTIN)
  static int OpenRecordReader(const ftprep_host* host, ftprep_stream* in, ftprep_options opts,
                              std::unique_ptr<RecordFormatReader>* reader) {
    return OpenHinted<DelimReader>(host, reader, host, in, opts, kDelim, kCsv);
  }
#endif
  static int OpenWriter(const ftprep_host* host, ftprep_options opts,
                        int (*write_bytes)(void*, const char*, size_t), void* sink, void** writer) {
    return OpenDelimWriter(host, opts, write_bytes, sink, kDelim, writer);
  }
  static const ftprep_format_v1* Table(const char* extensions) {
    static const ftprep_format_v1 f = {sizeof(ftprep_format_v1), extensions, &Sniff, &Open,
                                       &NextBoxed<DelimReader>, &ErrorBoxed<DelimReader>,
                                       &CloseBoxed<DelimReader>, &OpenWriter, &WriteDelim, &CloseDelimWriter};
    return &f;
  }
};

}  // namespace ftprep::delim

#endif  // FTPREP_FORMATS_CSV_CSV_ENGINE_H_
