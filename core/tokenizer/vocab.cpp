#include "tokenizer/vocab.h"

#include <bit>

namespace ftprep::tok {

static_assert(std::endian::native == std::endian::little, "the vocabulary tables are little-endian");

bool Vocab::Init(std::string_view data, uint32_t rank_limit) {
  if (data.size() < sizeof(VocabHeader)) return false;
  const auto* base = reinterpret_cast<const uint8_t*>(data.data());
  VocabHeader h;
  std::memcpy(&h, base, sizeof h);
  if (std::memcmp(h.magic, kVocabMagic, 8) != 0 || h.table_bits < 8 || h.table_bits > 28) return false;
  const size_t n_slots = size_t{1} << h.table_bits;
  const size_t n_offsets = (size_t{h.n_ids} + 2) & ~size_t{1};  // n_ids + 1, padded to even
  if (h.edge_bits < 1 || h.edge_bits > 28 || h.pair_bits < 1 || h.pair_bits > 28 || h.trie_nodes < 257 ||
      h.trie_nodes >= (1u << 24))
    return false;
  const size_t n_nodes = (size_t{h.trie_nodes} + 1) & ~size_t{1};
  const size_t need = sizeof h + 65536 * 4 + n_slots * sizeof(VocabSlot) + n_offsets * 4 + h.blob_size +
                      size_t{h.n_ids} * sizeof(TokenSplit) + n_nodes * 4 + (size_t{8} << h.edge_bits) +
                      (size_t{1} << h.pair_bits) * sizeof(PairSlot);
  if (data.size() < need) return false;
  pair_rank_ = reinterpret_cast<const uint32_t*>(base + sizeof h);
  base += 65536 * 4;  // the rest is laid out after the pair table
  slots_ = reinterpret_cast<const VocabSlot*>(base + sizeof h);
  offsets_ = reinterpret_cast<const uint32_t*>(base + sizeof h + n_slots * sizeof(VocabSlot));
  blob_ = base + sizeof h + n_slots * sizeof(VocabSlot) + n_offsets * 4;
  split_ = reinterpret_cast<const TokenSplit*>(blob_ + h.blob_size);
  node_rank_ = reinterpret_cast<const uint32_t*>(blob_ + h.blob_size + size_t{h.n_ids} * sizeof(TokenSplit));
  edges_ = reinterpret_cast<const uint64_t*>(node_rank_ + n_nodes);
  pairs_ = reinterpret_cast<const PairSlot*>(edges_ + (size_t{1} << h.edge_bits));
  pair_bits_ = h.pair_bits;
  pair_mask_ = (1u << h.pair_bits) - 1;
  edge_bits_ = h.edge_bits;
  edge_mask_ = (1u << h.edge_bits) - 1;
  byte_rank_ = reinterpret_cast<const uint32_t*>(data.data() + offsetof(VocabHeader, byte_rank));
  bits_ = h.table_bits;
  mask_ = uint32_t(n_slots - 1);
  max_len_ = h.max_token_len;
  limit_ = rank_limit < h.n_ids ? rank_limit : h.n_ids;
  backtrack_ = h.backtrack_ok == 1 && limit_ == h.n_ids;
  // bpe.h packs a rank and a 6-bit position in a key below 2^30 (compared as a float, see PairKey), and
  // keeps a token's prefixes in 256-entry arrays.
  if (limit_ >= (1u << 24) || max_len_ > 255) return false;
  for (int b = 0; b < 256; ++b)
    if (byte_rank_[b] >= limit_) return false;
  return offsets_[h.n_ids] <= h.blob_size;
}

}  // namespace ftprep::tok
