// core/tokenizer/encoding.h — the internal description of one encoding (vocabulary view, split pattern,
// special tokens) behind a public ftprep::Tokenizer.
//
// Internal. Encodings are built once per process (tokenizer.cpp) and never change afterwards, so they
// are safe to read from any thread.
#ifndef FTPREP_CORE_TOKENIZER_ENCODING_H_
#define FTPREP_CORE_TOKENIZER_ENCODING_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ftprep/status.h"
#include "ftprep/tokenizer.h"
#include "tokenizer/vocab.h"

namespace ftprep::tok {

enum class Pattern { kR50k, kCl100k, kO200k };

struct Encoding {
  explicit Encoding(std::string n) : name(std::move(n)), tokenizer(this) {}

  std::string name;
  Pattern pattern = Pattern::kR50k;
  Vocab vocab;
  uint32_t n_vocab = 0;
  // Special token texts in tiktoken's order; all have the form "<|...|>" with no "|>" inside, which
  // FindSpecial relies on.
  std::vector<std::pair<std::string, uint32_t>> specials;
  std::unordered_map<std::string_view, uint32_t> special_by_text;
  std::unordered_map<uint32_t, std::string_view> special_by_id;  // first text wins (200018)
  size_t max_special_len = 0;
  Tokenizer tokenizer;
};

// tiktoken's model table (model_table.cpp).
Result<std::string> EncodingNameForModel(std::string_view model);

}  // namespace ftprep::tok

#endif  // FTPREP_CORE_TOKENIZER_ENCODING_H_
