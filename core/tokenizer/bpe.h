// core/tokenizer/bpe.h — tiktoken's byte-pair merge of one piece.
//
// Internal to the tokenizer. The rule (tiktoken src/lib.rs byte_pair_merge): start from single bytes;
// repeatedly merge the adjacent pair whose concatenated bytes have the lowest rank, the leftmost one on
// ties; stop when no adjacent pair is a token. Short pieces use tiktoken's own array scan; long pieces
// (base64 blobs, "x" * 1e6) a min-heap keyed by (rank, position) with lazy deletion, which picks the
// same pair at every step in O(log n). Scratch for the heap lives in a per-thread BpeScratch.
#ifndef FTPREP_CORE_TOKENIZER_BPE_H_
#define FTPREP_CORE_TOKENIZER_BPE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tokenizer/vocab.h"

namespace ftprep::tok {

// Pieces up to this many bytes take the array path (quadratic, but tiny and branch-friendly).
inline constexpr size_t kShortPiece = 32;

struct BpeScratch {
  std::vector<uint32_t> next, prev, tok, pair;
  std::vector<uint64_t> heap;  // (rank << 32) | position, min-heap
};

BpeScratch& ThreadBpeScratch();

// Merges [p, p + n) (1 <= n <= kShortPiece, not itself a token) and calls emit(rank) for each resulting
// token, in order. Parts are a linked list over byte offsets: part i covers [i, next[i]).
template <class Emit>
inline void BytePairMergeShort(const Vocab& v, const uint8_t* p, size_t n, const uint8_t* buf_end,
                               Emit& emit) {
  uint8_t next[kShortPiece + 1];
  uint32_t tok[kShortPiece];
  uint32_t pair[kShortPiece];  // rank of part i joined with the part after it
  for (size_t i = 0; i < n; ++i) {
    next[i] = uint8_t(i + 1);
    tok[i] = v.ByteRank(p[i]);
  }
  for (size_t i = 0; i + 1 < n; ++i) pair[i] = v.PairRank(p[i], p[i + 1]);
  pair[n - 1] = kNoRank;
  for (;;) {
    uint32_t best = kNoRank;
    size_t bi = 0, bprev = 0;
    for (size_t i = 0, prev = 0; i < n; prev = i, i = next[i]) {
      if (pair[i] < best) {
        best = pair[i];
        bi = i;
        bprev = prev;
      }
    }
    if (best == kNoRank) break;
    tok[bi] = best;
    const size_t k = next[next[bi]];  // end of the merged part
    next[bi] = uint8_t(k);
    pair[bi] = k < n ? v.Lookup(p + bi, next[k] - bi, buf_end) : kNoRank;
    if (bi > 0) pair[bprev] = v.Lookup(p + bprev, k - bprev, buf_end);
  }
  for (size_t i = 0; i < n; i = next[i]) emit(tok[i]);
}

template <class Emit>
inline void BytePairMergeLong(const Vocab& v, const uint8_t* p, size_t n, const uint8_t* buf_end,
                              Emit& emit) {
  BpeScratch& s = ThreadBpeScratch();
  s.next.resize(n + 1);
  s.prev.resize(n + 1);
  s.tok.resize(n);
  s.pair.resize(n);
  s.heap.clear();
  const uint32_t max_len = v.max_token_len();
  auto rank_of = [&](uint32_t a, uint32_t b) -> uint32_t {
    return b - a > max_len ? kNoRank : v.Lookup(p + a, b - a, buf_end);
  };
  const uint32_t un = uint32_t(n);
  for (uint32_t i = 0; i < un; ++i) {
    s.next[i] = i + 1;
    s.prev[i] = i - 1;  // wraps for 0; never read there
    s.tok[i] = v.ByteRank(p[i]);
  }
  for (uint32_t i = 0; i + 1 < un; ++i) {
    s.pair[i] = v.PairRank(p[i], p[i + 1]);
    if (s.pair[i] != kNoRank) s.heap.push_back((uint64_t{s.pair[i]} << 32) | i);
  }
  s.pair[un - 1] = kNoRank;
  auto greater = [](uint64_t a, uint64_t b) { return a > b; };
  std::make_heap(s.heap.begin(), s.heap.end(), greater);
  while (!s.heap.empty()) {
    std::pop_heap(s.heap.begin(), s.heap.end(), greater);
    const uint64_t top = s.heap.back();
    s.heap.pop_back();
    const uint32_t r = uint32_t(top >> 32);
    const uint32_t i = uint32_t(top);
    if (s.pair[i] != r) continue;  // stale: part i changed since this entry was pushed
    // Merge part i with its right neighbour j.
    const uint32_t j = s.next[i];
    const uint32_t k = s.next[j];
    s.tok[i] = r;
    s.pair[j] = kNoRank;  // j is gone; its entries become stale
    s.next[i] = k;
    if (k < un) s.prev[k] = i;
    s.pair[i] = k < un ? rank_of(i, s.next[k]) : kNoRank;
    if (s.pair[i] != kNoRank) {
      s.heap.push_back((uint64_t{s.pair[i]} << 32) | i);
      std::push_heap(s.heap.begin(), s.heap.end(), greater);
    }
    if (i > 0) {
      const uint32_t h = s.prev[i];
      s.pair[h] = rank_of(h, k);
      if (s.pair[h] != kNoRank) {
        s.heap.push_back((uint64_t{s.pair[h]} << 32) | h);
        std::push_heap(s.heap.begin(), s.heap.end(), greater);
      }
    }
  }
  for (uint32_t i = 0; i < un; i = s.next[i]) emit(s.tok[i]);
}

template <class Emit>
inline void BytePairMerge(const Vocab& v, const uint8_t* p, size_t n, const uint8_t* buf_end, Emit& emit) {
  if (n <= kShortPiece)
    BytePairMergeShort(v, p, n, buf_end, emit);
  else
    BytePairMergeLong(v, p, n, buf_end, emit);
}

}  // namespace ftprep::tok

#endif  // FTPREP_CORE_TOKENIZER_BPE_H_
