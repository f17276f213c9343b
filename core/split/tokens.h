// core/split/tokens.h — token totals per split for split's report.
//
// Counts each written record with the shared per-record counter (core/price/record_tokens.h: chat framing as
// OpenAI's cookbook, prompt/completion, preference, text_list, text) in one encoding. Records of a shape the
// counter does not know are counted as "untokenized" instead of failing the split. Not thread-safe.
#ifndef FTPREP_CORE_SPLIT_TOKENS_H_
#define FTPREP_CORE_SPLIT_TOKENS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/status.h"
#include "price/record_tokens.h"

namespace ftprep::split {

class TokenTotals {
 public:
  // `encoding` is an encoding name; `model` (if not empty) is mapped to its encoding first.
  static Result<TokenTotals> Create(const std::string& model, const std::string& encoding, size_t outputs);
  // One record's bytes (a JSON line, trailing newline allowed) written to output o.
  Status Add(size_t o, std::string_view json_line);
  const std::string& encoding() const { return encoding_; }
  const std::vector<uint64_t>& tokens() const { return tokens_; }
  const std::vector<uint64_t>& untokenized() const { return untokenized_; }

 private:
  std::string encoding_;
  price::CountFn count_;
  std::vector<uint64_t> tokens_, untokenized_;
};

}  // namespace ftprep::split

#endif  // FTPREP_CORE_SPLIT_TOKENS_H_
