// ftprep/tokenizer.h — exact, fast, tiktoken-compatible BPE token counting and encoding.
//
// What: OpenAI's encodings r50k_base (alias gpt2), p50k_base, p50k_edit, cl100k_base, o200k_base and
// o200k_harmony. Token ids equal those of openai/tiktoken 0.14 (Rust core) on every valid UTF-8
// input: same split patterns (hand-written pre-tokenizers over pinned Unicode 16.0 tables), same merge
// order, same special tokens. The vocabularies are compiled into the binary at build time, so Get() is
// cheap (no file I/O, no parsing).
//
// Input: UTF-8 text, as a JSON parser yields it (lone surrogates already U+FFFD). Invalid UTF-8 bytes are
// handled as tiktoken sees a Rust String made with String::from_utf8_lossy: every maximal invalid
// subsequence becomes U+FFFD (bytes EF BF BD) before splitting, so ids and counts are those of the
// repaired text. Texts must be shorter than 4 GiB (longer ones get a kLimit error).
//
// Ownership and threads: Get() returns a pointer to a process-lifetime singleton; never delete it. All
// methods are const and thread-safe; Encode/Count keep per-thread scratch buffers, so repeated calls
// do not allocate (apart from growing the caller's id vector).
//
// Example:
//   auto tok = ftprep::Tokenizer::Get("cl100k_base");
//   if (!tok.ok()) return tok.status();
//   auto n = (*tok)->Count("hello world");  // 2
#ifndef FTPREP_TOKENIZER_H_
#define FTPREP_TOKENIZER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/status.h"

namespace ftprep {

// How text that spells a special token (e.g. "<|endoftext|>") is treated.
enum class SpecialMode {
  kOrdinary,  // as plain text (tiktoken encode_ordinary); the right default for training data
  kAll,       // as the special token, one id (tiktoken encode(allowed_special="all"))
  kStrict,    // as an error naming the token (tiktoken encode() with its default disallowed_special)
};

namespace tok {
struct Encoding;  // internal (core/tokenizer/)
}

class Tokenizer {
 public:
  // The tokenizer of one encoding: r50k_base, gpt2 (same as r50k_base), p50k_base, p50k_edit,
  // cl100k_base, o200k_base, o200k_harmony. Unknown name -> kNotFound listing the known ones.
  // Created on first use, cached for the process; thread-safe.
  static Result<const Tokenizer*> Get(std::string_view encoding);

  // The encoding of a model name, as tiktoken's model table (0.14) maps it: exact names, then prefixes
  // (gpt-5*, gpt-4.1-*, gpt-4o-*, o1-*, o3-*, o4-mini-*, gpt-4-*, gpt-3.5-turbo-*, ...). A fine-tuned
  // model id "ft:BASE:org:name:id" is looked up by BASE (so ft:gpt-4.1-mini:org::id -> o200k_base;
  // tiktoken itself would say cl100k_base). Unknown model -> kNotFound listing the closest known names.
  static Result<std::string> EncodingForModel(std::string_view model);

  // All encoding names Get() accepts, in a stable order.
  static const std::vector<std::string>& EncodingNames();

  std::string_view name() const;
  // One more than the largest id this encoding produces (specials included).
  uint32_t n_vocab() const;

  // Replaces *ids with the token ids of `utf8`. kStrict and special-token text -> kData error
  // "... special token '<|endoftext|>' ..." (ids left empty).
  Status Encode(std::string_view utf8, SpecialMode mode, std::vector<uint32_t>* ids) const;

  // The number of tokens Encode would produce, without building the id vector.
  Result<size_t> Count(std::string_view utf8, SpecialMode mode = SpecialMode::kOrdinary) const;

  // The bytes of the given ids concatenated (special ids give their text). May be invalid UTF-8 when
  // the ids split a character, as tiktoken's decode_bytes. Ids without a token are skipped.
  std::string Decode(const uint32_t* ids, size_t n) const;
  std::string Decode(const std::vector<uint32_t>& ids) const { return Decode(ids.data(), ids.size()); }

  // The special token spelled exactly `text`, or -1.
  int64_t SpecialId(std::string_view text) const;

  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

 private:
  explicit Tokenizer(const tok::Encoding* enc) : enc_(enc) {}
  friend struct tok::Encoding;
  const tok::Encoding* enc_;
};

}  // namespace ftprep

#endif  // FTPREP_TOKENIZER_H_
