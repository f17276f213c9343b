// validators/generic — checks every string of a record, whatever its schema: valid UTF-8, control and
// invisible characters, U+FFFD (sign of an earlier bad decode), special-token text (<|endoftext|>, [INST]),
// empty or whitespace-only content, secrets (API keys, private keys) and PII (e-mail, card numbers, US SSN).
//
// One pass per string over a byte-class table, so the cost stays near a memchr; JSON paths are only built
// when something is found. Config: "content_keys" (keys whose values are content, for the empty checks),
// "pii" and "secrets" (booleans), "special_tokens" (extra literal tokens).
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstring>

#include "../common/rule_util.h"
#include "stop_masks.h"

namespace {

using ftprep::rules::Quote;

const ftprep_rule_info kRules[] = {
    {"generic.utf8.invalid", FTPREP_ERROR, FTPREP_FIX_NONE, "text is not valid UTF-8"},
    {"generic.control_char", FTPREP_WARNING, FTPREP_FIX_OPTIONAL, "control character other than tab/newline"},
    {"generic.invisible_char", FTPREP_WARNING, FTPREP_FIX_OPTIONAL, "invisible character (zero-width, bidi, BOM)"},
    {"generic.replacement_char", FTPREP_WARNING, FTPREP_FIX_NONE, "U+FFFD replacement character (earlier bad decode)"},
    {"generic.special_token", FTPREP_WARNING, FTPREP_FIX_NONE, "special-token text such as <|endoftext|> in content"},
    {"generic.content.empty", FTPREP_WARNING, FTPREP_FIX_NONE, "empty content string"},
    {"generic.content.whitespace", FTPREP_WARNING, FTPREP_FIX_NONE, "content is only whitespace"},
    {"generic.secret.api_key", FTPREP_WARNING, FTPREP_FIX_NONE, "text looks like an API key or token"},
    {"generic.secret.private_key", FTPREP_WARNING, FTPREP_FIX_NONE, "text holds a private key"},
    {"generic.pii.email", FTPREP_WARNING, FTPREP_FIX_NONE, "text holds an e-mail address"},
    {"generic.pii.card_number", FTPREP_WARNING, FTPREP_FIX_NONE, "text holds a payment card number (Luhn-valid)"},
    {"generic.pii.ssn", FTPREP_WARNING, FTPREP_FIX_NONE, "text holds a US social security number"},
};

using ftprep::rules::generic::kPlain;
using ftprep::rules::generic::kCtl;
using ftprep::rules::generic::kHigh;
using ftprep::rules::generic::kLt;
using ftprep::rules::generic::kBracket;
using ftprep::rules::generic::kAt;
using ftprep::rules::generic::kDigit;
using ftprep::rules::generic::kKeyStart;
using ftprep::rules::generic::kDash;
using ftprep::rules::generic::kUnder;
using ftprep::rules::generic::IsInvisible;
using ftprep::rules::generic::PlainSequence;
constexpr const std::array<uint8_t, 256>& kTable = ftprep::rules::generic::kByteClass;

// Bit 0: a letter or digit; bit 1: also '_' and '-' (the characters of keys and tokens).
constexpr std::array<uint8_t, 256> MakeWordClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    t[c] = static_cast<uint8_t>((alnum ? 1 : 0) | (alnum || c == '_' || c == '-' ? 2 : 0));
  }
  return t;
}
constexpr std::array<uint8_t, 256> kWordClass = MakeWordClasses();
bool IsAlnum(unsigned char c) { return kWordClass[c] & 1; }
bool IsKeyChar(unsigned char c) { return kWordClass[c] & 2; }

// s.compare(i, N - 1, lit) == 0 for a literal: the length is a constant, so the compare is a few inline loads
// rather than a call (hot: every '-' and '_').
template <size_t N>
bool At(std::string_view s, size_t i, const char (&lit)[N]) {
  return i <= s.size() && s.size() - i >= N - 1 && std::memcmp(s.data() + i, lit, N - 1) == 0;
}

// The end of the run of letters and digits that starts at i.
size_t AlnumEnd(const unsigned char* p, size_t i, size_t n) {
  while (i < n && IsAlnum(p[i])) ++i;
  return i;
}

size_t RunOf(std::string_view s, size_t i, bool (*pred)(unsigned char)) {
  size_t j = i;
  while (j < s.size() && pred(static_cast<unsigned char>(s[j]))) ++j;
  return j - i;
}

char CodePointName(uint32_t cp, char* buf, size_t n) {
  std::snprintf(buf, n, "U+%04X", cp);
  return 0;
}

class Generic : public ftprep::plugin::RuleSet {
 public:
  bool Configure(const rapidjson::Value& c) override {
    content_keys_ = ftprep::rules::CfgList(c, "content_keys",
                                           {"content", "text", "prompt", "completion", "value", "chosen", "rejected",
                                            "instruction", "output", "response"});
    pii_ = ftprep::rules::CfgBool(c, "pii", true);
    secrets_ = ftprep::rules::CfgBool(c, "secrets", true);
    extra_tokens_ = ftprep::rules::CfgList(c, "special_tokens", {});
    std::fill(std::begin(content_key_filter_), std::end(content_key_filter_), 0);
    for (const auto& k : content_keys_) {
      size_t slot = KeyFilterSlot(k);
      content_key_filter_[slot / 64] |= uint64_t{1} << (slot % 64);
    }
    return true;
  }

  // Removes control characters (all but tab, LF, CR) or invisible characters from every string.
  bool Fix(rapidjson::Document& rec, std::string_view rule) override {
    bool ctl = rule == "generic.control_char", inv = rule == "generic.invisible_char";
    if (!ctl && !inv) return false;
    return FixValue(rec, ctl, rec.GetAllocator(), 0);
  }

  void Check(const rapidjson::Value& rec, uint64_t, ftprep::plugin::Emitter& out) override {
    out_ = &out;
    at_ = nullptr;
#if defined(__x86_64__)
    if (avx2_) {
      WalkAvx2(rec, nullptr, 0);
    } else {
      WalkSse2(rec, nullptr, 0);
    }
#else
    WalkScalar(rec, nullptr, 0);
#endif
  }

 private:
  // One step of the path to the string being scanned, kept on the walk's stack (parent first): the path
  // text is only built when a finding needs it.
  struct Step {
    const Step* up;
    const char* key;  // nullptr: an array element
    size_t len;       // key length, or the element's index
  };

  std::string Path() const {
    const Step* chain[kMaxDepth + 1];
    size_t depth = 0;
    for (const Step* s = at_; s && depth <= kMaxDepth; s = s->up) chain[depth++] = s;
    std::string p;
    while (depth > 0) {
      const Step* s = chain[--depth];
      p = s->key ? ftprep::rules::Key(p, std::string_view(s->key, s->len)) : ftprep::rules::Index(p, s->len);
    }
    return p;
  }

  __attribute__((noinline)) void Emit(const char* id, int sev, const std::string& msg) { out_->Emit(id, sev, Path(), msg); }

  // Whether a key holds content; most keys are ruled out by a bit of a small filter on their length and
  // first and last bytes.
  static size_t KeyFilterSlot(std::string_view k) {
    size_t f = k.empty() ? 0 : static_cast<unsigned char>(k.front()), l = k.empty() ? 0 : static_cast<unsigned char>(k.back());
    return (k.size() * 131 + f * 7 + l * 17) % 1024;
  }
  bool IsContentKey(std::string_view k) const {
    size_t slot = KeyFilterSlot(k);
    if (!(content_key_filter_[slot / 64] >> (slot % 64) & 1)) return false;
    return ftprep::rules::Contains(content_keys_, k);
  }

  // Every string of the value, depth first in document order (the order findings are reported in). Strings
  // deeper than kMaxDepth are not looked at (the reader already caps nesting; this guards direct API use).
  // One copy per kind of stop mask (Word), each calling itself (Self) and its scan (Full): the AVX2 one is
  // compiled for AVX2 as a whole, so the mask step is inlined into the walk and the scan.
  static constexpr int kMaxDepth = 512;
  using WordFn = uint64_t (*)(const unsigned char*, size_t, size_t);
  using WalkFn = void (Generic::*)(const rapidjson::Value&, const Step*, int);
  using ScanFn = void (Generic::*)(std::string_view, bool);

  template <WordFn Word, WalkFn Self, ScanFn Full>
  __attribute__((always_inline)) void WalkWith(const rapidjson::Value& v, const Step* at, int depth) {
    if (v.IsString()) {
      at_ = at;
      (this->*Full)(ftprep::rules::Str(v), false);
    } else if (v.IsObject()) {
      if (depth >= kMaxDepth) return;
      for (const auto& m : v.GetObject()) {
        const Step step{at, m.name.GetString(), m.name.GetStringLength()};
        if (m.value.IsString()) {
          String<Word, Full>(m.value, &step, &m.name);
        } else if (m.value.IsObject() || m.value.IsArray()) {
          (this->*Self)(m.value, &step, depth + 1);
        }
      }
    } else if (v.IsArray()) {
      if (depth >= kMaxDepth) return;
      for (size_t i = 0; i < v.Size(); ++i) {
        const Step step{at, nullptr, i};
        const rapidjson::Value& e = v[i];
        if (e.IsString()) {
          String<Word, Full>(e, &step, nullptr);
        } else if (e.IsObject() || e.IsArray()) {
          (this->*Self)(e, &step, depth + 1);
        }
      }
    }
  }

  // A string member (key: its name) or element (key: nullptr). Most are short and hold no byte to look at:
  // those are done after one mask word, unless they could be empty or whitespace-only content (the only
  // findings that need the key).
  template <WordFn Word, ScanFn Full>
  __attribute__((always_inline)) void String(const rapidjson::Value& v, const Step* at, const rapidjson::Value* key) {
    const auto* p = reinterpret_cast<const unsigned char*>(v.GetString());
    const size_t n = v.GetStringLength();
    if (n != 0 && n <= 64 && p[0] != ' ' && p[0] != '\t' && p[0] != '\n' && p[0] != '\r' && Word(p, n, 0) == 0) return;
    at_ = at;
    (this->*Full)(std::string_view(v.GetString(), n), key && IsContentKey(ftprep::rules::Str(*key)));
  }

#if defined(__x86_64__)
  __attribute__((target("avx2"), flatten)) void WalkAvx2(const rapidjson::Value& v, const Step* at, int depth) {
    WalkWith<ftprep::rules::generic::StopWordAvx2Keys, &Generic::WalkAvx2, &Generic::ScanAvx2>(v, at, depth);
  }
  void WalkSse2(const rapidjson::Value& v, const Step* at, int depth) {
    WalkWith<ftprep::rules::generic::StopWordSse2, &Generic::WalkSse2, &Generic::ScanSse2>(v, at, depth);
  }
  __attribute__((target("avx2"), noinline, flatten)) void ScanAvx2(std::string_view s, bool content) {
    ScanWith<ftprep::rules::generic::StopWordAvx2Keys>(s, content);
  }
  __attribute__((noinline)) void ScanSse2(std::string_view s, bool content) {
    ScanWith<ftprep::rules::generic::StopWordSse2>(s, content);
  }
#else
  void WalkScalar(const rapidjson::Value& v, const Step* at, int depth) {
    WalkWith<ftprep::rules::generic::StopWordScalar, &Generic::WalkScalar, &Generic::ScanScalar>(v, at, depth);
  }
  __attribute__((noinline)) void ScanScalar(std::string_view s, bool content) {
    ScanWith<ftprep::rules::generic::StopWordScalar>(s, content);
  }
#endif

  // What a string has shown so far: each rule reports once per string, at its first match.
  struct Seen {
    bool ctl, invis, repl, special, key, pkey, email, card, ssn;
  };
  static constexpr size_t kStop = ~size_t{0};  // Look's answer when the rest of the string is not scanned

  // The scan of one string.
  template <WordFn Word>
  __attribute__((always_inline)) void ScanWith(std::string_view s, bool content) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const size_t n = s.size();
    if (n == 0) {
      if (content) Emit("generic.content.empty", FTPREP_WARNING, "content is an empty string");
      return;
    }
    Seen seen{};
    bool only_space = content && s.find_first_not_of(" \t\n\r") == std::string_view::npos;
    // A word of stop bits at a time (stop_masks.h), then a look at only those bytes (most bytes are plain
    // text). A look may consume more bytes (a UTF-8 sequence, a run of letters and digits): the bits of the
    // bytes it consumed are dropped.
    size_t next = 0;  // the first byte no look has consumed
    for (size_t base = 0; base < n; base += 64) {
      uint64_t mask = Word(p, n, base);
      if (next > base) mask = next - base >= 64 ? 0 : mask & (~uint64_t{0} << (next - base));
      while (mask != 0) {
        const size_t i = base + static_cast<size_t>(__builtin_ctzll(mask));
        mask &= mask - 1;
        const size_t end = Look(s, i, seen);
        if (end == i + 1) continue;
        if (end == kStop) return;
        next = end;
        mask = end - base >= 64 ? 0 : mask & (~uint64_t{0} << (end - base));
      }
    }
    if (only_space) {
      Emit("generic.content.whitespace", FTPREP_WARNING, "content is only whitespace");
    }
  }

  // The look at the stop byte s[i]: reports what starts there, and returns the end of the bytes it consumed
  // (i + 1 for most) or kStop.
  __attribute__((always_inline)) size_t Look(std::string_view s, size_t i, Seen& seen) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const size_t n = s.size();
    const unsigned char c = p[i];
    bool &ctl = seen.ctl, &invis = seen.invis, &repl = seen.repl, &special = seen.special, &key = seen.key,
         &pkey = seen.pkey, &email = seen.email, &card = seen.card, &ssn = seen.ssn;
    switch (kTable[c]) {
      case kPlain:
        break;
      case kCtl:
        if (!ctl) {
          ctl = true;
          char buf[16];
          CodePointName(c, buf, sizeof(buf));
          Emit("generic.control_char", FTPREP_WARNING,
               std::string("control character ") + buf + " at character " +
                   std::to_string(CharIndex(s, i)));
        }
        break;
      case kHigh: {
        if (size_t plain = PlainSequence(p, n, i)) return i + plain;
        uint32_t cp;
        size_t len = ftprep::rules::DecodeUtf8(p, n, i, &cp);
        if (len == 0) {
          Emit("generic.utf8.invalid", FTPREP_ERROR, "invalid UTF-8 at byte " + std::to_string(i));
          return kStop;
        }
        char buf[16];
        if (cp >= 0x80 && cp <= 0x9F && !ctl) {
          ctl = true;
          CodePointName(cp, buf, sizeof(buf));
          Emit("generic.control_char", FTPREP_WARNING,
               std::string("C1 control character ") + buf + " at character " +
                   std::to_string(CharIndex(s, i)));
        } else if (IsInvisible(cp) && !invis) {
          invis = true;
          CodePointName(cp, buf, sizeof(buf));
          Emit("generic.invisible_char", FTPREP_WARNING,
               std::string("invisible character ") + buf + " at character " +
                   std::to_string(CharIndex(s, i)));
        } else if (cp == 0xFFFD && !repl) {
          repl = true;
          Emit("generic.replacement_char", FTPREP_WARNING,
               "U+FFFD at character " + std::to_string(CharIndex(s, i)) +
                   " (text was decoded with the wrong encoding?)");
        }
        i += len - 1;
        break;
      }
      case kLt:
        if (!special && i + 1 < n && p[i + 1] == '|') {
          size_t j = i + 2;
          while (j < n && j - i < 40 && (IsKeyChar(p[j]) || p[j] == '.')) ++j;
          if (j + 1 < n && j > i + 2 && p[j] == '|' && p[j + 1] == '>') {
            special = true;
            Emit("generic.special_token", FTPREP_WARNING,
                 "special-token text " + Quote(s.substr(i, j + 2 - i)) +
                     " in content (tokenizers may treat it as a control token)");
          }
        }
        if (!special) special = Extra(s, i);
        break;
      case kBracket:
        if (!special && (At(s, i, "[INST]") || At(s, i, "[/INST]"))) {
          special = true;
          Emit("generic.special_token", FTPREP_WARNING,
               "special-token text " + Quote(s.substr(i, s[i + 1] == '/' ? 7 : 6)) + " in content");
        }
        if (!special) special = Extra(s, i);
        break;
      case kAt:
        if (pii_ && !email && LooksLikeEmail(s, i)) {
          email = true;
          Emit("generic.pii.email", FTPREP_WARNING, "e-mail address in text");
        }
        break;
      case kDigit:
        // A card number or an SSN starts here only if a digit, space or dash follows.
        if (pii_ && (i == 0 || !IsAlnum(p[i - 1])) && i + 1 < n &&
            ((p[i + 1] >= '0' && p[i + 1] <= '9') || p[i + 1] == ' ' || p[i + 1] == '-')) {
          if (!card && LuhnCard(s, i)) {
            card = true;
            Emit("generic.pii.card_number", FTPREP_WARNING, "payment card number in text");
          } else if (!ssn && Ssn(s, i)) {
            ssn = true;
            Emit("generic.pii.ssn", FTPREP_WARNING, "US social security number in text");
          }
        }
        // The rest of this run of letters and digits follows a letter or digit: no number and no key
        // starts there, so none of its digits and 'A's need a look.
        i = AlnumEnd(p, i + 1, n) - 1;
        break;
      case kKeyStart:
        if (secrets_ && !key && i + 1 < n && (p[i + 1] == 'K' || p[i + 1] == 'I') && KeyAt(s, i)) {
          key = true;
          KeyFinding(s, i);
        }
        i = AlnumEnd(p, i + 1, n) - 1;  // as for digits
        break;
      case kUnder:
        // Only the underscore of ghp_, gho_ or github_ can start a key; the byte before it says which.
        if (secrets_ && !key && i > 0 && (p[i - 1] == 'p' || p[i - 1] == 'o' || p[i - 1] == 'b')) {
          size_t start = i >= 3 && (At(s, i - 3, "ghp") || At(s, i - 3, "gho")) ? i - 3
                         : i >= 6 && At(s, i - 6, "github_pat_")                ? i - 6
                                                                                : n;
          if (start < n && KeyAt(s, start)) {
            key = true;
            KeyFinding(s, start);
          }
        }
        break;
      case kDash:
        // sk-, xox?- and -----BEGIN : the bytes around the dash rule out most dashes at once.
        if (secrets_ && !key && i >= 2 && (p[i - 1] == 'k' || (i >= 4 && p[i - 4] == 'x'))) {
          size_t start = i >= 2 && At(s, i - 2, "sk") ? i - 2 : i >= 4 && At(s, i - 4, "xox") ? i - 4 : n;
          if (start < n && KeyAt(s, start)) {
            key = true;
            KeyFinding(s, start);
          }
        }
        if (secrets_ && !pkey && i + 1 < n && p[i + 1] == '-' && At(s, i, "-----BEGIN ")) {
          size_t e = s.find("-----", i + 11);
          if (e != std::string_view::npos &&
              s.substr(i, e - i).find("PRIVATE KEY") != std::string_view::npos) {
            pkey = true;
            Emit("generic.secret.private_key", FTPREP_WARNING, "text holds a private key block");
          }
        }
        break;
    }
    return i + 1;
  }

  static bool FixValue(rapidjson::Value& v, bool ctl, rapidjson::Document::AllocatorType& a, int depth) {
    if (depth > 512) return false;
    bool changed = false;
    if (v.IsObject()) {
      for (auto& m : v.GetObject()) changed |= FixValue(m.value, ctl, a, depth + 1);
    } else if (v.IsArray()) {
      for (auto& e : v.GetArray()) changed |= FixValue(e, ctl, a, depth + 1);
    } else if (v.IsString()) {
      const auto* p = reinterpret_cast<const unsigned char*>(v.GetString());
      size_t n = v.GetStringLength();
      std::string out;
      out.reserve(n);
      for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = ftprep::rules::DecodeUtf8(p, n, i, &cp);
        if (len == 0) {  // invalid bytes are another rule's business; keep them
          out += static_cast<char>(p[i++]);
          continue;
        }
        bool drop = ctl ? ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
                        : IsInvisible(cp);
        if (!drop) out.append(reinterpret_cast<const char*>(p + i), len);
        i += len;
      }
      if (out.size() != n) {
        v.SetString(out.data(), static_cast<rapidjson::SizeType>(out.size()), a);
        changed = true;
      }
    }
    return changed;
  }

  // A key must start a token: "disk-..." is not "sk-...".
  __attribute__((noinline)) static bool KeyAt(std::string_view s, size_t start) {
    return (start == 0 || !IsKeyChar(static_cast<unsigned char>(s[start - 1]))) && ApiKey(s, start);
  }
  __attribute__((noinline)) void KeyFinding(std::string_view s, size_t start) {
    Emit("generic.secret.api_key", FTPREP_WARNING,
         "text looks like an API key or token: " + Quote(s.substr(start, 8), 8) + "…");
  }

  __attribute__((noinline)) bool Extra(std::string_view s, size_t i) {
    for (const auto& t : extra_tokens_) {
      if (!t.empty() && s.compare(i, t.size(), t) == 0) {
        Emit("generic.special_token", FTPREP_WARNING, "special-token text " + Quote(t) + " in content");
        return true;
      }
    }
    return false;
  }

  __attribute__((noinline)) static size_t CharIndex(std::string_view s, size_t byte) { return ftprep::rules::CountChars(s.substr(0, byte)) + 1; }

  __attribute__((noinline)) static bool LooksLikeEmail(std::string_view s, size_t at) {
    size_t b = at;
    while (b > 0 && (IsAlnum(s[b - 1]) || s[b - 1] == '.' || s[b - 1] == '_' || s[b - 1] == '%' || s[b - 1] == '+' ||
                     s[b - 1] == '-'))
      --b;
    if (b == at) return false;
    size_t e = at + 1, dot = 0;
    while (e < s.size() && (IsAlnum(s[e]) || s[e] == '-' || s[e] == '.')) {
      if (s[e] == '.') dot = e;
      ++e;
    }
    // A domain with a dot followed by at least two letters ("user@example.com", not "@mention" or "a@b").
    return dot > at + 1 && e - dot > 2 && std::isalpha(static_cast<unsigned char>(s[dot + 1]));
  }

  __attribute__((noinline)) static bool LuhnCard(std::string_view s, size_t i) {
    int digits[19];
    int nd = 0;
    size_t j = i;
    while (j < s.size() && nd < 19) {
      char c = s[j];
      if (c >= '0' && c <= '9') {
        digits[nd++] = c - '0';
      } else if ((c == ' ' || c == '-') && j + 1 < s.size() && s[j + 1] >= '0' && s[j + 1] <= '9') {
      } else {
        break;
      }
      ++j;
    }
    if (j < s.size() && IsAlnum(s[j])) return false;
    if (nd < 13 || nd > 19) return false;
    int sum = 0;
    for (int k = 0; k < nd; ++k) {
      int d = digits[nd - 1 - k];
      if (k % 2 == 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    bool all_same = true;
    for (int k = 1; k < nd; ++k) all_same = all_same && digits[k] == digits[0];
    return sum % 10 == 0 && !all_same;
  }

  __attribute__((noinline)) static bool Ssn(std::string_view s, size_t i) {
    if (i + 11 > s.size()) return false;
    auto d = [&](size_t k) { return s[i + k] >= '0' && s[i + k] <= '9'; };
    bool shape = d(0) && d(1) && d(2) && s[i + 3] == '-' && d(4) && d(5) && s[i + 6] == '-' && d(7) && d(8) && d(9) && d(10);
    if (!shape) return false;
    if (i + 11 < s.size() && (IsAlnum(s[i + 11]) || s[i + 11] == '-')) return false;
    return s.compare(i, 3, "000") != 0 && s.compare(i, 3, "666") != 0 && s[i] != '9';
  }

  static bool ApiKey(std::string_view s, size_t i) {
    auto run = [&](size_t from) { return RunOf(s, from, IsKeyChar); };
    auto alnum_run = [&](size_t from) { return RunOf(s, from, IsAlnum); };
    if (s.compare(i, 3, "sk-") == 0) return run(i + 3) >= 20 && alnum_run(i + 3) + 0 >= 3;
    if (s.compare(i, 4, "AKIA") == 0) {
      size_t k = i + 4, m = 0;
      while (k < s.size() && m < 17 && ((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= '0' && s[k] <= '9'))) ++k, ++m;
      return m == 16;
    }
    if (s.compare(i, 4, "ghp_") == 0 || s.compare(i, 4, "gho_") == 0) return alnum_run(i + 4) >= 36;
    if (s.compare(i, 11, "github_pat_") == 0) return run(i + 11) >= 40;
    if (s.compare(i, 3, "xox") == 0 && i + 4 < s.size() && s[i + 4] == '-') return run(i + 5) >= 10;
    if (s.compare(i, 4, "AIza") == 0) return run(i + 4) >= 35;
    return false;
  }

  ftprep::plugin::Emitter* out_ = nullptr;
  const Step* at_ = nullptr;  // the path of the string being scanned
  bool avx2_ = ftprep::rules::generic::HasAvx2();
  std::vector<std::string> content_keys_, extra_tokens_;
  uint64_t content_key_filter_[1024 / 64] = {};  // bit KeyFilterSlot(k) set for every content key k
  bool pii_ = true, secrets_ = true;
};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_rules_v1 rules = ftprep::plugin::MakeRules<Generic>(kRules, sizeof(kRules) / sizeof(kRules[0]));
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeRules(
      "generic", "1.0", &rules, "every string: UTF-8, control/invisible chars, special tokens, empty text, secrets, PII");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
