// core/tokenizer/vocab_format.h — the binary vocabulary table, shared by the build-time generator
// (vocab_gen.cc) and the runtime (vocab.cpp).
//
// The .tiktoken rank files are converted at build time into one blob per vocabulary that is embedded
// in the binary and used in place (no parsing, no allocation at start-up):
//
//   VocabHeader
//   uint32_t   pair_rank[65536]          rank of each 2-byte string (b0 | b1 << 8), 0xFFFFFFFF if none
//   VocabSlot  slots[1 << table_bits]     open-addressing hash table, linear probing, bytes -> rank
//   uint32_t   offsets[n_ids + 1]         token bytes of rank r are blob[offsets[r], offsets[r + 1])
//   uint8_t    blob[blob_size]            (ids without a token, e.g. p50k's 50256, have no bytes)
//   TokenSplit split[n_ids]               the last merge of each token's own byte-pair encoding
//   uint32_t   node_rank[trie_nodes]       (padded to even) byte trie over the tokens: the rank a node spells
//   uint64_t   edges[1 << edge_bits]       trie edges, open addressing: (parent << 8 | byte) << 32 | child
//   PairSlot   pairs[1 << pair_bits]       (left, right) -> the token whose split that is, open addressing
//
// The split table and the trie serve the backtracking merge (bpe.h); they are computed here, at build
// time, so that nothing is derived at start-up. Trie node 0 is the root and node 1 + b is the byte b,
// so edges from the root are implicit; an empty edge slot is 0.
//
// Everything is little-endian and 8-byte aligned; the blob starts 64-byte aligned in the binary.
// The hash below must stay identical in generator and runtime: it is part of the format (bump kMagic
// when changing it).
#ifndef FTPREP_CORE_TOKENIZER_VOCAB_FORMAT_H_
#define FTPREP_CORE_TOKENIZER_VOCAB_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ftprep::tok {

inline constexpr char kVocabMagic[8] = {'F', 'T', 'P', 'V', 'O', 'C', '0', '4'};

struct VocabHeader {
  char magic[8];
  uint32_t n_ids;       // max rank + 1
  uint32_t n_tokens;    // number of ranks with bytes
  uint32_t table_bits;  // log2 of the slot count
  uint32_t blob_size;
  uint32_t max_token_len;  // longest token in bytes
  uint32_t trie_nodes;
  uint32_t edge_bits;  // log2 of the edge slot count
  // 1 when every token that byte-pair encodes to itself was merged in rank order (each token's parts rank
  // below it), the property the backtracking merge relies on; 0 makes the runtime keep the pair merge.
  uint32_t backtrack_ok;
  uint32_t pair_bits;  // log2 of the pair slot count
  uint32_t reserved;
  uint32_t byte_rank[256];  // rank of each single byte (all 256 are tokens in every OpenAI vocabulary)
};
static_assert(sizeof(VocabHeader) % 8 == 0);

// One hash slot. `head` holds the first min(len, 8) token bytes (little-endian, zero-padded), so keys of
// up to 8 bytes compare without touching the blob. len == 0 marks an empty slot.
struct VocabSlot {
  uint64_t head;
  uint32_t rank;
  uint32_t len;
};
static_assert(sizeof(VocabSlot) == 16);

inline uint64_t LoadLe64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;  // all supported targets are little-endian (checked in vocab.cpp)
}

// The first min(n, 8) bytes of p as a zero-padded little-endian word. Reads exactly min(n, 8) bytes;
// the runtime has a faster variant that may read up to 8 bytes when it knows they are in bounds.
inline uint64_t LoadHeadExact(const uint8_t* p, size_t n) {
  if (n >= 8) return LoadLe64(p);
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= uint64_t{p[i]} << (8 * i);
  return v;
}

// How a token is made by its own byte-pair encoding: its last merge joined `left` and `right` (both ranks).
// Single bytes, and tokens that do not encode to themselves (never produced by a merge), have
// left == right == 0xFFFFFFFF.
struct TokenSplit {
  uint32_t left;
  uint32_t right;
};
static_assert(sizeof(TokenSplit) == 8);

// One entry of the pair table: the token `rank` is made by joining `left` and `right` (its TokenSplit).
// rank == 0xFFFFFFFF marks an empty slot.
struct PairSlot {
  uint32_t left;
  uint32_t right;
  uint32_t rank;
};
static_assert(sizeof(PairSlot) == 12);

inline constexpr uint64_t kHashMul1 = 0x9E3779B97F4A7C15ull;
inline constexpr uint64_t kHashMul2 = 0xBF58476D1CE4E5B9ull;

// Hash of a byte string given its head word (LoadHeadExact) and, for n > 8, the bytes themselves.
// Words after the head are read at 8, 16, ... and the last word overlaps the end (n > 8 only).
inline uint64_t HashBytes(uint64_t head, const uint8_t* p, size_t n) {
  uint64_t h = (head ^ (uint64_t{n} << 56)) * kHashMul1;
  if (n > 8) {
    size_t i = 8;
    for (; i + 8 < n; i += 8) h = (h ^ (h >> 29) ^ LoadLe64(p + i)) * kHashMul2;
    h = (h ^ (h >> 29) ^ LoadLe64(p + n - 8)) * kHashMul2;
  }
  return h;
}

inline uint32_t SlotIndex(uint64_t hash, uint32_t table_bits) { return uint32_t(hash >> (64 - table_bits)); }

// The key of a trie edge and its home slot (parent >= 1, parent < 2^24).
inline uint32_t EdgeKey(uint32_t parent, uint8_t byte) { return (parent << 8) | byte; }
inline uint32_t PairSlotIndex(uint32_t left, uint32_t right, uint32_t pair_bits) {
  return uint32_t((((uint64_t{left} << 32) | right) * kHashMul1) >> (64 - pair_bits));
}
inline uint32_t EdgeSlot(uint32_t key, uint32_t edge_bits) {
  return uint32_t((uint64_t{key} * kHashMul1) >> (64 - edge_bits));
}

}  // namespace ftprep::tok

#endif  // FTPREP_CORE_TOKENIZER_VOCAB_FORMAT_H_
