// core/tokenizer/vocab.h — read-only view of an embedded vocabulary table (vocab_format.h).
//
// Internal to the tokenizer. A Vocab points into the binary's read-only data; it owns nothing and is
// safe to share between threads.
#ifndef FTPREP_CORE_TOKENIZER_VOCAB_H_
#define FTPREP_CORE_TOKENIZER_VOCAB_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "tokenizer/vocab_format.h"

namespace ftprep::tok {

inline constexpr uint32_t kNoRank = 0xFFFFFFFF;

// Which embedded table.
enum class VocabId { kP50k, kCl100k, kO200k };

// The embedded bytes of a table (vocab_embed.cpp).
std::string_view EmbeddedVocab(VocabId id);

class Vocab {
 public:
  // Views `data` (a whole table). Ranks >= rank_limit are hidden: r50k_base is p50k_base's table
  // without the space-run tokens 50257..50280. Returns false when the table is malformed.
  bool Init(std::string_view data, uint32_t rank_limit);

  // The rank of bytes [p, p + n), or kNoRank. May read up to 8 bytes from p when p + 8 <= buf_end.
  inline uint32_t Lookup(const uint8_t* p, size_t n, const uint8_t* buf_end) const {
    if (n > max_len_) return kNoRank;
    uint64_t head;
    if (buf_end - p >= 8) {
      head = LoadLe64(p);
      if (n < 8) head &= (uint64_t{1} << (8 * n)) - 1;
    } else {
      head = LoadHeadExact(p, n);
    }
    uint32_t s = SlotIndex(HashBytes(head, p, n), bits_);
    for (;;) {
      const VocabSlot& sl = slots_[s];
      if (sl.head == head && sl.len == n && (n <= 8 || TailEqual(blob_ + offsets_[sl.rank], p, n)))
        return sl.rank < limit_ ? sl.rank : kNoRank;
      if (sl.len == 0) return kNoRank;
      s = (s + 1) & mask_;
    }
  }

  // Bytes [8, n) of a token at t and of the text at p equal (n > 8; the heads are already equal). Up to 16
  // bytes, one 8-byte load from each that ends at byte n (it overlaps the head): no memcmp call.
  static bool TailEqual(const uint8_t* t, const uint8_t* p, size_t n) {
    if (n <= 16) return LoadLe64(t + n - 8) == LoadLe64(p + n - 8);
    return std::memcmp(t + 8, p + 8, n - 8) == 0;
  }

  uint32_t ByteRank(uint8_t b) const { return byte_rank_[b]; }
  // The rank of the 2-byte string a b, or kNoRank.
  uint32_t PairRank(uint8_t a, uint8_t b) const {
    uint32_t r = pair_rank_[a | (uint32_t{b} << 8)];
    return r < limit_ ? r : kNoRank;
  }
  uint32_t max_token_len() const { return max_len_; }
  uint32_t TokenLen(uint32_t rank) const { return offsets_[rank + 1] - offsets_[rank]; }

  // ---- Backtracking merge (bpe.h) ----
  // True when the table carries the split table and trie, the vocabulary has the rank-order property,
  // and no ranks are hidden (r50k_base's view of p50k's table keeps the pair merge).
  bool backtrack() const { return backtrack_; }
  const TokenSplit& Split(uint32_t rank) const { return split_[rank]; }
  // The trie node of the single byte b; NodeRank is the rank the node spells when that token is a merge
  // result (kNoRank otherwise); Child is the node after one more byte, or 0.
  static uint32_t ByteNode(uint8_t b) { return 1u + b; }
  uint32_t NodeRank(uint32_t node) const { return node_rank_[node]; }
  // The token made by joining the tokens `left` and `right` in a merge, or kNoRank. Only tokens whose own
  // encoding ends with exactly that merge are listed; tiktoken never joins a pair any other way (the
  // bytes of a merge result evolve as its own encoding does), so the merge may use this in place of
  // Lookup on the joined bytes. Valid when backtrack().
  uint32_t PairById(uint32_t left, uint32_t right) const {
    for (uint32_t s = PairSlotIndex(left, right, pair_bits_);; s = (s + 1) & pair_mask_) {
      const PairSlot& e = pairs_[s];
      if (e.left == left && e.right == right) return e.rank;
      if (e.rank == kNoRank) return kNoRank;
    }
  }
  uint32_t Child(uint32_t node, uint8_t b) const {
    const uint32_t key = EdgeKey(node, b);
    for (uint32_t s = EdgeSlot(key, edge_bits_);; s = (s + 1) & edge_mask_) {
      const uint64_t e = edges_[s];
      if (uint32_t(e >> 32) == key) return uint32_t(e);
      if (e == 0) return 0;
    }
  }
  // One more than the largest visible rank.
  uint32_t n_ids() const { return limit_; }

  // The bytes of a rank (empty for a hole or an id out of range).
  std::string_view TokenBytes(uint32_t rank) const {
    if (rank >= limit_) return {};
    return {reinterpret_cast<const char*>(blob_) + offsets_[rank], offsets_[rank + 1] - offsets_[rank]};
  }

 private:
  const VocabSlot* slots_ = nullptr;
  const uint32_t* offsets_ = nullptr;
  const uint8_t* blob_ = nullptr;
  const uint32_t* byte_rank_ = nullptr;
  const uint32_t* pair_rank_ = nullptr;
  uint32_t bits_ = 0;
  uint32_t mask_ = 0;
  uint32_t max_len_ = 0;
  uint32_t limit_ = 0;
  const TokenSplit* split_ = nullptr;
  const uint32_t* node_rank_ = nullptr;
  const uint64_t* edges_ = nullptr;
  const PairSlot* pairs_ = nullptr;
  uint32_t pair_bits_ = 0;
  uint32_t pair_mask_ = 0;
  uint32_t edge_bits_ = 0;
  uint32_t edge_mask_ = 0;
  bool backtrack_ = false;
};

}  // namespace ftprep::tok

#endif  // FTPREP_CORE_TOKENIZER_VOCAB_H_
