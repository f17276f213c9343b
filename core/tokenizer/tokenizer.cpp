#include "ftprep/tokenizer.h"

#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

#include "tokenizer/bpe.h"
#include "tokenizer/encoding.h"
#include "tokenizer/pretokenize.h"
#include "tokenizer/utf8_repair.h"
#include "tokenizer/vocab.h"
#include "utf8_dfa.h"

namespace ftprep {
namespace tok {
namespace {

// ---- Encodings -----------------------------------------------------------------------------------

struct Def {
  const char* name;
  VocabId vocab;
  uint32_t rank_limit;
  Pattern pattern;
  uint32_t n_vocab;
};

// SPEC.md's summary table. gpt2 is r50k_base under another name.
constexpr Def kDefs[] = {
    {"r50k_base", VocabId::kP50k, 50256, Pattern::kR50k, 50257},
    {"p50k_base", VocabId::kP50k, 50281, Pattern::kR50k, 50281},
    {"p50k_edit", VocabId::kP50k, 50281, Pattern::kR50k, 50284},
    {"cl100k_base", VocabId::kCl100k, 100256, Pattern::kCl100k, 100277},
    {"o200k_base", VocabId::kO200k, 199998, Pattern::kO200k, 200019},
    {"o200k_harmony", VocabId::kO200k, 199998, Pattern::kO200k, 201088},
};
constexpr size_t kNumDefs = sizeof(kDefs) / sizeof(kDefs[0]);

std::vector<std::pair<std::string, uint32_t>> SpecialsOf(std::string_view name) {
  if (name == "r50k_base" || name == "p50k_base") return {{"<|endoftext|>", 50256}};
  if (name == "p50k_edit")
    return {{"<|endoftext|>", 50256},
            {"<|fim_prefix|>", 50281},
            {"<|fim_middle|>", 50282},
            {"<|fim_suffix|>", 50283}};
  if (name == "cl100k_base")
    return {{"<|endoftext|>", 100257},
            {"<|fim_prefix|>", 100258},
            {"<|fim_middle|>", 100259},
            {"<|fim_suffix|>", 100260},
            {"<|endofprompt|>", 100276}};
  std::vector<std::pair<std::string, uint32_t>> s = {{"<|endoftext|>", 199999}, {"<|endofprompt|>", 200018}};
  if (name == "o200k_harmony") {
    const std::pair<const char*, uint32_t> named[] = {{"<|startoftext|>", 199998},
                                                      {"<|reserved_200000|>", 200000},
                                                      {"<|reserved_200001|>", 200001},
                                                      {"<|return|>", 200002},
                                                      {"<|constrain|>", 200003},
                                                      {"<|reserved_200004|>", 200004},
                                                      {"<|channel|>", 200005},
                                                      {"<|start|>", 200006},
                                                      {"<|end|>", 200007},
                                                      {"<|message|>", 200008},
                                                      {"<|reserved_200009|>", 200009},
                                                      {"<|reserved_200010|>", 200010},
                                                      {"<|reserved_200011|>", 200011},
                                                      {"<|call|>", 200012}};
    for (const auto& [t, id] : named) s.emplace_back(t, id);
    for (uint32_t id = 200013; id < 201088; ++id)
      s.emplace_back("<|reserved_" + std::to_string(id) + "|>", id);
  }
  return s;
}

std::unique_ptr<Encoding> Build(const Def& d) {
  auto e = std::make_unique<Encoding>(d.name);
  e->pattern = d.pattern;
  e->n_vocab = d.n_vocab;
  if (!e->vocab.Init(EmbeddedVocab(d.vocab), d.rank_limit)) return nullptr;
  e->specials = SpecialsOf(d.name);
  for (const auto& [text, id] : e->specials) {
    e->special_by_text.emplace(text, id);
    e->special_by_id.emplace(id, text);
    e->max_special_len = std::max(e->max_special_len, text.size());
  }
  return e;
}

Result<const Encoding*> GetEncoding(std::string_view name) {
  if (name == "gpt2") name = "r50k_base";
  static std::array<std::once_flag, kNumDefs> once;
  static std::array<std::unique_ptr<Encoding>, kNumDefs> built;
  for (size_t i = 0; i < kNumDefs; ++i) {
    if (name != kDefs[i].name) continue;
    std::call_once(once[i], [i] { built[i] = Build(kDefs[i]); });
    if (!built[i])
      return InternalError(std::string("embedded vocabulary of ") + kDefs[i].name + " is corrupt");
    return static_cast<const Encoding*>(built[i].get());
  }
  std::string msg = "unknown encoding '" + std::string(name) + "'; known: ";
  for (size_t i = 0; i < kNumDefs; ++i) msg += std::string(i ? ", " : "") + kDefs[i].name;
  return NotFoundError(msg + ", gpt2");
}

// ---- Special tokens --------------------------------------------------------------------------------

struct SpecialMatch {
  size_t pos = std::string_view::npos;  // npos: none
  size_t len = 0;
  uint32_t id = 0;
};

// The leftmost special token at or after `from`. Every special is "<|" + [A-Za-z0-9_]+ + "|>", so no
// special is a prefix of another and a candidate at '<' ends at the first "|>" after it.
SpecialMatch FindSpecial(const Encoding& e, std::string_view text, size_t from) {
  while (from < text.size()) {
    size_t lt = text.find("<|", from);
    if (lt == std::string_view::npos) break;
    size_t limit = std::min(text.size(), lt + e.max_special_len);
    for (size_t k = lt + 2; k + 1 < limit; ++k) {
      if (text[k] == '|' && text[k + 1] == '>') {
        auto it = e.special_by_text.find(text.substr(lt, k + 2 - lt));
        if (it != e.special_by_text.end()) return {lt, k + 2 - lt, it->second};
        break;
      }
    }
    from = lt + 1;
  }
  return {};
}

// ---- Encoding -------------------------------------------------------------------------------------

struct CountEmit {
  size_t n = 0;
  void operator()(uint32_t) { ++n; }
  void Many(const uint32_t*, size_t k) { n += k; }
};

struct VectorEmit {
  std::vector<uint32_t>* ids;
  void operator()(uint32_t r) { ids->push_back(r); }
  void Many(const uint32_t* r, size_t k) { ids->insert(ids->end(), r, r + k); }
};

// ---- Piece cache -----------------------------------------------------------------------------------

// Pieces that are not whole tokens repeat a lot in real text (names, rare words, words in other
// languages); a small direct-mapped per-thread cache of their merge results skips the merge. An entry is
// keyed by the exact piece bytes and the vocabulary view, so a hit returns exactly what the merge would.
inline constexpr size_t kCachedPieceBytes = 24;
inline constexpr size_t kCachedTokens = 8;
inline constexpr int kPieceCacheBits = 14;
static_assert(kCachedPieceBytes <= kShortPiece);

struct PieceCacheEntry {
  const Vocab* vocab = nullptr;
  uint8_t len = 0;
  uint8_t n_tokens = 0;
  uint64_t head = 0;  // the first min(len, 8) bytes, zero-padded (as Vocab::Lookup loads them)
  uint8_t bytes[kCachedPieceBytes];
  uint32_t tokens[kCachedTokens];
};

PieceCacheEntry* ThreadPieceCache() {
  thread_local std::unique_ptr<PieceCacheEntry[]> cache(new PieceCacheEntry[size_t{1} << kPieceCacheBits]);
  return cache.get();
}

struct CollectEmit {
  uint32_t* out;
  size_t n = 0;
  void operator()(uint32_t r) { out[n++] = r; }
};

// Bytes [8, n) of two pieces of n (8 < n <= 24) bytes: whole 8-byte loads that end at byte n (no memcmp call).
inline bool CachedTailEqual(const uint8_t* a, const uint8_t* b, size_t n) {
  if (LoadLe64(a + n - 8) != LoadLe64(b + n - 8)) return false;
  return n <= 16 || LoadLe64(a + 8) == LoadLe64(b + 8);
}

template <class Emit>
inline void MergeCached(const Vocab& v, const uint8_t* p, size_t n, const uint8_t* buf_end,
                        PieceCacheEntry* cache, Emit& emit) {
  const uint64_t head = buf_end - p >= 8 ? LoadLe64(p) & (n >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1)
                                         : LoadHeadExact(p, n < 8 ? n : 8);
  uint64_t h = head;
  if (n > 8) h ^= LoadLe64(p + n - 8) * kHashMul2;
  h = (h ^ (uint64_t{n} << 56)) * kHashMul1;
  PieceCacheEntry& e = cache[h >> (64 - kPieceCacheBits)];
  if (e.vocab == &v && e.len == n && e.head == head && (n <= 8 || CachedTailEqual(e.bytes, p, n))) {
    emit.Many(e.tokens, e.n_tokens);
    return;
  }
  uint32_t tokens[kCachedPieceBytes];
  CollectEmit collect{tokens};
  BytePairMerge(v, p, n, buf_end, collect);
  if (collect.n <= kCachedTokens) {
    e.vocab = &v;
    e.len = uint8_t(n);
    e.n_tokens = uint8_t(collect.n);
    e.head = head;
    std::memcpy(e.bytes, p, n);
    std::memcpy(e.tokens, tokens, sizeof e.tokens);  // whole: a fixed-size copy, no call
  }
  emit.Many(tokens, collect.n);
}

template <class Split, class Emit>
void EncodeSegment(const Vocab& v, const uint8_t* p, const uint8_t* end, const uint8_t* buf_end, Emit& emit) {
  PieceCacheEntry* cache = nullptr;
  while (p < end) {
    const uint8_t* q = Split::Next(p, end);
    const size_t n = size_t(q - p);
    // One- and two-byte pieces (punctuation, newlines, short words) by direct tables, not the hash.
    const uint32_t r = n == 1 ? v.ByteRank(*p) : n == 2 ? v.PairRank(p[0], p[1]) : v.Lookup(p, n, buf_end);
    if (r != kNoRank) {
      emit(r);
    } else if (n <= kCachedPieceBytes) {
      if (!cache) cache = ThreadPieceCache();
      MergeCached(v, p, n, buf_end, cache, emit);
    } else {
      BytePairMerge(v, p, n, buf_end, emit);
    }
    p = q;
  }
}

// load_end: end of the readable memory behind text (>= its end); 8-byte loads may touch bytes up to it.
template <class Split, class Emit>
void EncodeText(const Encoding& e, std::string_view text, const uint8_t* load_end, bool allow_special,
                Emit& emit) {
  const auto* base = reinterpret_cast<const uint8_t*>(text.data());
  const uint8_t* buf_end = load_end;
  if (!allow_special) {
    EncodeSegment<Split>(e.vocab, base, base + text.size(), buf_end, emit);
    return;
  }
  size_t start = 0;
  for (;;) {
    SpecialMatch m = FindSpecial(e, text, start);
    size_t seg_end = m.pos == std::string_view::npos ? text.size() : m.pos;
    EncodeSegment<Split>(e.vocab, base + start, base + seg_end, buf_end, emit);
    if (m.pos == std::string_view::npos) break;
    emit(m.id);
    start = m.pos + m.len;
  }
}

inline constexpr size_t kPaddedText = 256;

template <class Emit>
Status Run(const Encoding& e, std::string_view text, SpecialMode mode, Emit& emit) {
  if (text.size() >= 0xFFFFFFF0u) return LimitError("text too long to tokenize (4 GiB or more)");
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  if (!Utf8Valid(p, text.size())) {
    thread_local std::string repaired;
    repaired.clear();
    RepairUtf8(p, text.size(), &repaired);
    if (repaired.size() >= 0xFFFFFFF0u) return LimitError("text too long to tokenize (4 GiB or more)");
    text = repaired;
  }
  if (mode == SpecialMode::kStrict) {
    SpecialMatch m = FindSpecial(e, text, 0);
    if (m.pos != std::string_view::npos)
      return DataError(
          "text contains the special token '" + std::string(text.substr(m.pos, m.len)) + "' at byte " +
          std::to_string(m.pos) +
          " (strict mode; count it as plain text with the ordinary mode, or as one token with all)");
  }
  // Short texts (single words, names) are copied into a zero-padded buffer so that every vocabulary
  // lookup can use whole 8-byte loads instead of byte loops near the end of the text.
  const uint8_t* load_end = reinterpret_cast<const uint8_t*>(text.data()) + text.size();
  thread_local uint8_t padded[kPaddedText + 8];
  if (text.size() <= kPaddedText) {
    std::memcpy(padded, text.data(), text.size());
    std::memset(padded + text.size(), 0, 8);
    text = std::string_view(reinterpret_cast<const char*>(padded), text.size());
    load_end = padded + text.size() + 8;
  }
  const bool allow = mode == SpecialMode::kAll;
  switch (e.pattern) {
    case Pattern::kR50k:
      EncodeText<SplitR50k>(e, text, load_end, allow, emit);
      break;
    case Pattern::kCl100k:
      EncodeText<SplitCl100k>(e, text, load_end, allow, emit);
      break;
    case Pattern::kO200k:
      EncodeText<SplitO200k>(e, text, load_end, allow, emit);
      break;
  }
  return Status::Ok();
}

}  // namespace

BpeScratch& ThreadBpeScratch() {
  thread_local BpeScratch s;
  return s;
}

}  // namespace tok

Result<const Tokenizer*> Tokenizer::Get(std::string_view encoding) {
  auto e = tok::GetEncoding(encoding);
  if (!e.ok()) return e.status();
  return &(*e)->tokenizer;
}

Result<std::string> Tokenizer::EncodingForModel(std::string_view model) {
  return tok::EncodingNameForModel(model);
}

const std::vector<std::string>& Tokenizer::EncodingNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& d : tok::kDefs) v.emplace_back(d.name);
    v.emplace_back("gpt2");
    return v;
  }();
  return names;
}

std::string_view Tokenizer::name() const { return enc_->name; }

uint32_t Tokenizer::n_vocab() const { return enc_->n_vocab; }

Status Tokenizer::Encode(std::string_view utf8, SpecialMode mode, std::vector<uint32_t>* ids) const {
  ids->clear();
  tok::VectorEmit emit{ids};
  Status s = tok::Run(*enc_, utf8, mode, emit);
  if (!s.ok()) ids->clear();
  return s;
}

Result<size_t> Tokenizer::Count(std::string_view utf8, SpecialMode mode) const {
  tok::CountEmit emit;
  Status s = tok::Run(*enc_, utf8, mode, emit);
  if (!s.ok()) return s;
  return emit.n;
}

std::string Tokenizer::Decode(const uint32_t* ids, size_t n) const {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    std::string_view b = enc_->vocab.TokenBytes(ids[i]);
    if (b.empty()) {
      auto it = enc_->special_by_id.find(ids[i]);
      if (it != enc_->special_by_id.end()) b = it->second;
    }
    out.append(b);
  }
  return out;
}

int64_t Tokenizer::SpecialId(std::string_view text) const {
  auto it = enc_->special_by_text.find(text);
  return it == enc_->special_by_text.end() ? -1 : int64_t{it->second};
}

}  // namespace ftprep
