// core/clean/filters.h — content filters of `ftprep clean`: secrets, personal data and refusal/boilerplate
// phrases.
//
// The scanners are hand-written linear passes (no backtracking regex engine, so a 10 MB field cannot blow the
// stack or take quadratic time). Findings are non-overlapping byte spans in text order. Redact() replaces
// each span by its placeholder ("[EMAIL]", "[SECRET]", ...). Thread-safe: PhraseList is immutable after
// construction; the free functions keep no state.
#ifndef FTPREP_CORE_CLEAN_FILTERS_H_
#define FTPREP_CORE_CLEAN_FILTERS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/status.h"

namespace ftprep::clean {

enum class SpanKind { kSecret, kEmail, kPhone, kCreditCard, kIp };
const char* SpanKindName(SpanKind k);  // "secret", "email", "phone", "credit_card", "ip"
const char* Placeholder(SpanKind k);   // "[SECRET]", "[EMAIL]", "[PHONE]", "[CREDIT_CARD]", "[IP]"

struct Span {
  size_t begin = 0, end = 0;
  SpanKind kind = SpanKind::kSecret;
  const char* what = "";  // finer label: "openai_key", "aws_access_key", "github_token", "private_key", ...
};

// Bit set of PII kinds to look for.
enum PiiKinds : unsigned { kPiiEmail = 1, kPiiPhone = 2, kPiiCard = 4, kPiiIp = 8, kPiiAll = 15 };
Result<unsigned> ParsePiiKinds(std::string_view list);  // "email,phone,card,ip" or "all"

// OpenAI (sk-...), Anthropic-style sk-ant-, AWS access key ids (AKIA/ASIA...) and secret keys next to an
// aws_secret_access_key label, GitHub tokens (ghp_/gho_/ghu_/ghs_/ghr_, github_pat_), Slack tokens (xox?-),
// Google API keys (AIza...), PEM private key blocks (to their END line, or to the end of the text).
void FindSecrets(std::string_view text, std::vector<Span>* spans);
// Emails, phone numbers (international "+..." or grouped digits, 7-15 digits), credit card numbers (13-19
// digits, Luhn-valid), IPv4 and IPv6 addresses. Spans overlapping ones already in *spans are skipped.
void FindPii(std::string_view text, unsigned kinds, std::vector<Span>* spans);
bool LuhnValid(std::string_view digits);

// Copy of `text` with every span replaced by its placeholder. Spans must be sorted and non-overlapping.
std::string Redact(std::string_view text, const std::vector<Span>& spans);

// Case-insensitive phrase matcher for refusals/boilerplate. Matching folds ASCII case, curly apostrophes
// to ', and runs of whitespace to one space.
class PhraseList {
 public:
  // The built-in list: AI-disclaimer and refusal phrases ("as an ai language model", "i'm sorry, but i
  // can't", ...).
  static PhraseList Default();
  // Adds phrases from a file: one per line, '#' starts a comment line, blank lines ignored.
  Status AddFile(const std::string& path);
  void Add(std::string_view phrase);
  // The first phrase found in text (as listed), or "" if none.
  std::string_view Find(std::string_view text) const;
  size_t size() const { return phrases_.size(); }

 private:
  std::vector<std::string> phrases_;  // folded
};

}  // namespace ftprep::clean

#endif  // FTPREP_CORE_CLEAN_FILTERS_H_
