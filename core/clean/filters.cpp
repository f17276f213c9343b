#include "clean/filters.h"

#include <algorithm>
#include <fstream>

#include "clean/text.h"

namespace ftprep::clean {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsUpperOrDigit(char c) { return IsDigit(c) || (c >= 'A' && c <= 'Z'); }
bool IsTokenChar(char c) { return IsAlnum(c) || c == '_' || c == '-'; }
bool IsB64(char c) { return IsAlnum(c) || c == '/' || c == '+' || c == '='; }

// A token starts only after a non-word character, so "task-force" never looks like an "sk-" key.
bool StartOk(std::string_view t, size_t i) { return i == 0 || !(IsAlnum(t[i - 1]) || t[i - 1] == '_'); }

size_t RunOf(std::string_view t, size_t i, bool (*pred)(char)) {
  size_t j = i;
  while (j < t.size() && pred(t[j])) ++j;
  return j;
}

bool Overlaps(const std::vector<Span>& spans, size_t b, size_t e) {
  for (const auto& s : spans) {
    if (b < s.end && s.begin < e) return true;
  }
  return false;
}

bool StartsWithNoCase(std::string_view t, size_t i, std::string_view p) {
  if (t.size() - i < p.size()) return false;
  for (size_t k = 0; k < p.size(); ++k) {
    char c = t[i + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != p[k]) return false;
  }
  return true;
}

}  // namespace

const char* SpanKindName(SpanKind k) {
  switch (k) {
    case SpanKind::kSecret: return "secret";
    case SpanKind::kEmail: return "email";
    case SpanKind::kPhone: return "phone";
    case SpanKind::kCreditCard: return "credit_card";
    case SpanKind::kIp: return "ip";
  }
  return "?";
}

const char* Placeholder(SpanKind k) {
  switch (k) {
    case SpanKind::kSecret: return "[SECRET]";
    case SpanKind::kEmail: return "[EMAIL]";
    case SpanKind::kPhone: return "[PHONE]";
    case SpanKind::kCreditCard: return "[CREDIT_CARD]";
    case SpanKind::kIp: return "[IP]";
  }
  return "[REDACTED]";
}

Result<unsigned> ParsePiiKinds(std::string_view list) {
  unsigned k = 0;
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t comma = list.find(',', pos);
    std::string_view w = list.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    if (w == "all") k |= kPiiAll;
    else if (w == "email") k |= kPiiEmail;
    else if (w == "phone") k |= kPiiPhone;
    else if (w == "card" || w == "credit_card") k |= kPiiCard;
    else if (w == "ip") k |= kPiiIp;
    else if (!w.empty()) return UsageError("unknown PII kind '" + std::string(w) + "' (use email, phone, card, ip or all)");
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  if (k == 0) return UsageError("--pii-kinds needs at least one of email, phone, card, ip");
  return k;
}

// ---------------------------------------------------------------------------------------------- Secrets

void FindSecrets(std::string_view t, std::vector<Span>* spans) {
  size_t i = 0;
  while (i < t.size()) {
    char c = t[i];
    size_t end = 0;
    const char* what = nullptr;
    if (c == '-' && t.compare(i, 11, "-----BEGIN ") == 0) {
      size_t eol = t.find("-----", i + 11);
      if (eol != std::string_view::npos && eol - i < 200) {
        std::string_view label = t.substr(i + 11, eol - (i + 11));
        if (label.ends_with("PRIVATE KEY")) {
          size_t stop = t.find("-----END ", eol + 5);
          if (stop == std::string_view::npos) {
            end = t.size();
          } else {
            size_t close = t.find("-----", stop + 9);
            end = close == std::string_view::npos ? t.size() : close + 5;
          }
          what = "private_key";
        }
      }
    } else if (StartOk(t, i)) {
      if (c == 's' && t.compare(i, 3, "sk-") == 0) {
        size_t j = RunOf(t, i + 3, IsTokenChar);
        if (j - (i + 3) >= 20) end = j, what = "openai_key";
      } else if ((c == 'A' && (t.compare(i, 4, "AKIA") == 0 || t.compare(i, 4, "AGPA") == 0 ||
                               t.compare(i, 4, "AIDA") == 0 || t.compare(i, 4, "AROA") == 0 ||
                               t.compare(i, 4, "ANPA") == 0)) ||
                 (c == 'A' && t.compare(i, 4, "ASIA") == 0)) {
        size_t j = RunOf(t, i + 4, IsUpperOrDigit);
        if (j - (i + 4) == 16 && (j == t.size() || !IsAlnum(t[j]))) end = j, what = "aws_access_key";
      } else if (c == 'g' && t.size() - i > 4 && t[i + 1] == 'h' && t[i + 3] == '_' &&
                 std::string_view("pousr").find(t[i + 2]) != std::string_view::npos) {
        size_t j = RunOf(t, i + 4, IsAlnum);
        if (j - (i + 4) >= 36) end = j, what = "github_token";
      } else if (c == 'g' && t.compare(i, 11, "github_pat_") == 0) {
        size_t j = RunOf(t, i + 11, [](char x) { return IsAlnum(x) || x == '_'; });
        if (j - (i + 11) >= 22) end = j, what = "github_token";
      } else if (c == 'x' && t.size() - i > 5 && t.compare(i, 3, "xox") == 0 && t[i + 4] == '-' &&
                 std::string_view("bpoas").find(t[i + 3]) != std::string_view::npos) {
        size_t j = RunOf(t, i + 5, IsTokenChar);
        if (j - (i + 5) >= 10) end = j, what = "slack_token";
      } else if (c == 'A' && t.compare(i, 4, "AIza") == 0) {
        size_t j = RunOf(t, i + 4, IsTokenChar);
        if (j - (i + 4) == 35) end = j, what = "google_api_key";
      } else if ((c == 'a' || c == 'A') && StartsWithNoCase(t, i, "aws_secret_access_key")) {
        // The value follows within a few separators: = : " ' and spaces.
        size_t j = i + 21;
        size_t lim = std::min(t.size(), j + 8);
        while (j < lim && (t[j] == ' ' || t[j] == '=' || t[j] == ':' || t[j] == '"' || t[j] == '\'')) ++j;
        size_t k = RunOf(t, j, IsB64);
        if (k - j == 40) {
          spans->push_back({j, k, SpanKind::kSecret, "aws_secret_key"});
          i = k;
          continue;
        }
      }
    }
    if (what != nullptr) {
      spans->push_back({i, end, SpanKind::kSecret, what});
      i = end;
      continue;
    }
    // Skip the rest of a word: tokens only start at word starts.
    if (IsAlnum(c) || c == '_') {
      i = RunOf(t, i, [](char x) { return IsAlnum(x) || x == '_'; });
    } else {
      ++i;
    }
  }
}

// ---------------------------------------------------------------------------------------------- PII

bool LuhnValid(std::string_view d) {
  int sum = 0;
  bool dbl = false;
  for (size_t k = d.size(); k-- > 0;) {
    int v = d[k] - '0';
    if (dbl) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    dbl = !dbl;
  }
  return !d.empty() && sum % 10 == 0;
}

namespace {

bool IsLocalChar(char c) { return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; }
bool IsDomainChar(char c) { return IsAlnum(c) || c == '-' || c == '.'; }

// Email around the '@' at `at`; returns [b, e) or false.
bool EmailAt(std::string_view t, size_t at, size_t* b, size_t* e) {
  size_t l = at;
  while (l > 0 && at - l < 64 && IsLocalChar(t[l - 1])) --l;
  while (l < at && (t[l] == '.' || t[l] == '-')) ++l;
  if (l == at) return false;
  size_t r = at + 1;
  while (r < t.size() && r - at < 255 && IsDomainChar(t[r])) ++r;
  while (r > at + 1 && (t[r - 1] == '.' || t[r - 1] == '-')) --r;
  std::string_view dom = t.substr(at + 1, r - at - 1);
  size_t dot = dom.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dom.find("..") != std::string_view::npos) return false;
  std::string_view tld = dom.substr(dot + 1);
  if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), IsAlpha)) return false;
  *b = l;
  *e = r;
  return true;
}

bool Ipv4At(std::string_view t, size_t i, size_t* e) {
  size_t j = i;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (j >= t.size() || t[j] != '.') return false;
      ++j;
    }
    size_t s = j;
    int v = 0;
    while (j < t.size() && IsDigit(t[j]) && j - s < 4) v = v * 10 + (t[j++] - '0');
    if (j == s || j - s > 3 || v > 255) return false;
  }
  if (j < t.size() && (IsAlnum(t[j]) || (t[j] == '.' && j + 1 < t.size() && IsDigit(t[j + 1])))) return false;
  *e = j;
  return true;
}

bool Ipv6At(std::string_view t, size_t i, size_t* e) {
  size_t j = i;
  while (j < t.size() && j - i < 40 && (IsHex(t[j]) || t[j] == ':')) ++j;
  if (j < t.size() && (IsAlnum(t[j]) || t[j] == ':' || t[j] == '.')) return false;
  std::string_view s = t.substr(i, j - i);
  size_t dbl = s.find("::");
  if (dbl != std::string_view::npos && s.find("::", dbl + 1) != std::string_view::npos) return false;
  if (s.find(":::") != std::string_view::npos) return false;
  int groups = 0, colons = 0;
  size_t k = 0;
  while (k < s.size()) {
    if (s[k] == ':') {
      ++colons;
      ++k;
      continue;
    }
    size_t g = k;
    while (k < s.size() && IsHex(s[k])) ++k;
    if (k - g > 4) return false;
    ++groups;
  }
  if (colons < 2) return false;
  bool ok = dbl == std::string_view::npos ? groups == 8 && colons == 7 : (groups >= 3 && groups <= 7) || s == "::1";
  if (!ok) return false;
  // "::" may not be at the start/end except as part of it; single leading/trailing ':' is invalid.
  if ((s.front() == ':' && !s.starts_with("::")) || (s.back() == ':' && !s.ends_with("::"))) return false;
  *e = j;
  return true;
}

// Card: 13-19 digits, single ' ' or '-' separators, Luhn-valid.
bool CardAt(std::string_view t, size_t i, size_t* e) {
  std::string digits;
  size_t j = i, last_digit = i;
  while (j < t.size() && digits.size() < 20) {
    if (IsDigit(t[j])) {
      digits.push_back(t[j]);
      last_digit = ++j;
    } else if ((t[j] == ' ' || t[j] == '-') && j + 1 < t.size() && IsDigit(t[j + 1]) && j > i &&
               IsDigit(t[j - 1])) {
      ++j;
    } else {
      break;
    }
  }
  j = last_digit;
  if (digits.size() < 13 || digits.size() > 19) return false;
  if (j < t.size() && IsAlnum(t[j])) return false;
  if (!LuhnValid(digits)) return false;
  *e = j;
  return true;
}

bool PhoneAt(std::string_view t, size_t i, size_t* e) {
  size_t j = i;
  bool plus = false;
  if (t[j] == '+') {
    plus = true;
    ++j;
  }
  std::vector<size_t> groups;
  size_t digits = 0;
  bool separated = false;
  while (j < t.size() && groups.size() < 8) {
    bool paren = false;
    if (t[j] == '(') {
      paren = true;
      ++j;
    }
    size_t s = j;
    while (j < t.size() && IsDigit(t[j]) && j - s < 16) ++j;
    if (j == s) return false;
    size_t len = j - s;
    if (paren) {
      if (j >= t.size() || t[j] != ')') return false;
      ++j;
      separated = true;
    }
    groups.push_back(len);
    digits += len;
    // A separator continues the number only when a digit (or '(') follows it.
    size_t k = j;
    bool sep = k < t.size() && (t[k] == ' ' || t[k] == '-' || t[k] == '.');
    if (sep) ++k;
    if (k < t.size() && (IsDigit(t[k]) || t[k] == '(') && (sep || paren || t[k] == '(')) {
      separated = separated || sep;
      j = k;
      continue;
    }
    break;
  }
  if (j < t.size() && (IsAlnum(t[j]) || t[j] == '@')) return false;
  if (digits < 7 || digits > 15) return false;
  for (size_t g = 0; g < groups.size(); ++g) {
    // Groups beyond the country code/area are short; long groups mean IDs, decimals or timestamps.
    if (groups[g] > 4 && !(g == 0 && groups.size() == 1)) return false;
  }
  if (plus) {
    if (digits < 8) return false;
  } else {
    if (!separated) return false;
    if (digits < 10 && !(groups.size() == 2 && groups[0] == 3 && groups[1] == 4)) return false;
  }
  *e = j;
  return true;
}

}  // namespace

void FindPii(std::string_view t, unsigned kinds, std::vector<Span>* spans) {
  std::vector<Span> found;
  auto add = [&](size_t b, size_t e, SpanKind k, const char* what) {
    if (!Overlaps(*spans, b, e) && !Overlaps(found, b, e)) found.push_back({b, e, k, what});
  };
  if (kinds & kPiiEmail) {
    size_t at = t.find('@');
    while (at != std::string_view::npos) {
      size_t b, e;
      if (EmailAt(t, at, &b, &e)) add(b, e, SpanKind::kEmail, "email");
      at = t.find('@', at + 1);
    }
  }
  size_t i = 0;
  while (i < t.size()) {
    char c = t[i];
    bool start = (IsDigit(c) || c == '+' || c == '(' || ((kinds & kPiiIp) && IsHex(c)) || c == ':') &&
                 (i == 0 || !(IsAlnum(t[i - 1]) || t[i - 1] == '.' || t[i - 1] == '_' || t[i - 1] == ':' ||
                              t[i - 1] == '-' || t[i - 1] == '+'));
    if (!start) {
      ++i;
      continue;
    }
    size_t e = 0;
    if ((kinds & kPiiIp) && (IsHex(c) || c == ':') && Ipv6At(t, i, &e)) {
      add(i, e, SpanKind::kIp, "ipv6");
    } else if ((kinds & kPiiIp) && IsDigit(c) && Ipv4At(t, i, &e)) {
      add(i, e, SpanKind::kIp, "ipv4");
    } else if ((kinds & kPiiCard) && IsDigit(c) && CardAt(t, i, &e)) {
      add(i, e, SpanKind::kCreditCard, "credit_card");
    } else if ((kinds & kPiiPhone) && (IsDigit(c) || c == '+' || c == '(') && PhoneAt(t, i, &e)) {
      add(i, e, SpanKind::kPhone, "phone");
    }
    if (e > i) {
      i = e;
    } else {
      // Not a match: move past this word so scanning stays linear.
      ++i;
      while (i < t.size() && (IsAlnum(t[i]) || t[i] == '_')) ++i;
    }
  }
  spans->insert(spans->end(), found.begin(), found.end());
  std::sort(spans->begin(), spans->end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
}

std::string Redact(std::string_view text, const std::vector<Span>& spans) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  for (const auto& s : spans) {
    if (s.begin < pos) continue;
    out.append(text.substr(pos, s.begin - pos));
    out.append(Placeholder(s.kind));
    pos = s.end;
  }
  out.append(text.substr(pos));
  return out;
}

// ---------------------------------------------------------------------------------------------- Phrases

namespace {

std::string Fold(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  bool space = false;
  size_t i = 0;
  while (i < in.size()) {
    size_t j = i;
    uint32_t c = DecodeAt(in, &j);
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == 0xA0) {
      space = true;
      i = j;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    if (c == 0x2018 || c == 0x2019) {
      out.push_back('\'');
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.append(in.substr(i, j - i));
    }
    i = j;
  }
  return out;
}

}  // namespace

PhraseList PhraseList::Default() {
  PhraseList l;
  static const char* const kPhrases[] = {
      "as an ai language model",
      "as a large language model",
      "as an ai developed by",
      "as an ai, i",
      "i'm just an ai",
      "i am just an ai",
      "i'm sorry, but i can't",
      "i'm sorry, but i cannot",
      "i am sorry, but i cannot",
      "i'm sorry, i can't",
      "i'm sorry, but as an ai",
      "i cannot fulfill that request",
      "i can't fulfill that request",
      "i cannot fulfill this request",
      "i can't assist with that",
      "i cannot assist with that",
      "i'm unable to assist with",
      "i can't help with that",
      "i cannot help with that",
      "i'm not able to help with that",
      "i cannot comply with",
      "i must decline",
      "against my programming",
      "openai's content policy",
      "openai's use case policy",
      "violates openai's",
      "my knowledge cutoff",
      "my training data only goes up to",
      "i don't have personal opinions",
      "i do not have personal opinions",
      "i don't have access to real-time",
      "i do not have access to real-time",
      "i don't have the ability to browse",
  };
  for (const char* p : kPhrases) l.Add(p);
  return l;
}

void PhraseList::Add(std::string_view phrase) {
  std::string f = Fold(phrase);
  if (!f.empty()) phrases_.push_back(std::move(f));
}

Status PhraseList::AddFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return IoError("cannot read phrase file " + path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    Add(line);
  }
  return Status::Ok();
}

std::string_view PhraseList::Find(std::string_view text) const {
  if (phrases_.empty()) return {};
  std::string f = Fold(text);
  for (const auto& p : phrases_) {
    if (f.find(p) != std::string::npos) return p;
  }
  return {};
}

}  // namespace ftprep::clean
