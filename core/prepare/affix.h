// core/prepare/affix.h — the common prefix and suffix of a column of texts, added one text at a time. The
// completions rule set (validators/completions) streams its columns through these; prepare's legacy checks
// (core/prepare) pass a whole column. One implementation, so both name the same prefix and separator.
//
//   CommonPrefixOf p;  for (const auto& s : prompts) p.Add(s);  std::string pre = p.Result();
//
// The prefix never ends inside a word: OpenAI's legacy flow cut "Ticket: T" out of "Ticket: Tea" and
// "Ticket: Tax", leaving "ea" and "ax"; here it is cut back to "Ticket: ". Bytes >= 0x80 count as word
// characters, so a prefix never ends inside a UTF-8 sequence either. The suffix is cut back to a whole UTF-8
// character. Both give exactly what comparing all the texts at once gives, whatever the order they come in.
#ifndef FTPREP_CORE_PREPARE_AFFIX_H_
#define FTPREP_CORE_PREPARE_AFFIX_H_

#include <cctype>
#include <string>
#include <string_view>

namespace ftprep::prepare {

class CommonPrefixOf {
 public:
  void Add(std::string_view s) {
    if (first_) {
      first_ = false;
      p_.assign(s);
      return;
    }
    size_t k = 0;
    while (k < p_.size() && k < s.size() && p_[k] == s[k]) ++k;
    if (k < p_.size()) {
      // Every text before this one went on with p_[k]; this one with s[k] (or ended).
      word_after_ = Word(p_[k]) || (k < s.size() && Word(s[k]));
      p_.resize(k);
    } else {
      word_after_ = word_after_ || (k < s.size() && Word(s[k]));
    }
  }
  // The common prefix, cut back to the start of a word when some text goes on inside the word it ends in.
  std::string Result() const {
    size_t n = p_.size();
    if (n > 0 && word_after_ && Word(p_[n - 1])) {
      while (n > 0 && Word(p_[n - 1])) --n;
    }
    return p_.substr(0, n);
  }

 private:
  static bool Word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80) != 0; }
  bool first_ = true;
  bool word_after_ = false;  // some text has a word character right after p_
  std::string p_;            // the common prefix in bytes
};

class CommonSuffixOf {
 public:
  void Add(std::string_view s) {
    if (first_) {
      first_ = false;
      s_.assign(s);
      return;
    }
    size_t k = 0;
    while (k < s_.size() && k < s.size() && s_[s_.size() - 1 - k] == s[s.size() - 1 - k]) ++k;
    s_.erase(0, s_.size() - k);
  }
  // The common suffix, starting on a whole UTF-8 character.
  std::string Result() const {
    size_t b = 0;
    while (b < s_.size() && (static_cast<unsigned char>(s_[b]) & 0xC0) == 0x80) ++b;
    return s_.substr(b);
  }

 private:
  bool first_ = true;
  std::string s_;  // the common suffix in bytes
};

}  // namespace ftprep::prepare

#endif  // FTPREP_CORE_PREPARE_AFFIX_H_
