// core/tokenizer/bpe.h — tiktoken's byte-pair merge of one piece.
//
// Internal to the tokenizer. The rule (tiktoken src/lib.rs byte_pair_merge): start from single bytes;
// repeatedly merge the adjacent pair whose concatenated bytes have the lowest rank, the leftmost one on
// ties; stop when no adjacent pair is a token. Short pieces scan for the lowest pair with SSE2 over packed
// (rank, position) keys; long pieces
// (base64 blobs, "x" * 1e6) a min-heap keyed by (rank, position) with lazy deletion, which picks the
// same pair at every step in O(log n). Scratch for the heap lives in a per-thread BpeScratch.
#ifndef FTPREP_CORE_TOKENIZER_BPE_H_
#define FTPREP_CORE_TOKENIZER_BPE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "tokenizer/vocab.h"

namespace ftprep::tok {

// Pieces up to this many bytes take the array path (quadratic, but a step costs a few vector instructions
// per 4 pairs; the heap costs more per step up to about this length).
inline constexpr size_t kShortPiece = 64;
inline constexpr int kPosBits = 6;  // a part start in a short piece
static_assert(kShortPiece <= (size_t{1} << kPosBits));

struct BpeScratch {
  std::vector<uint32_t> next, prev, tok, pair;
  std::vector<uint64_t> heap;  // (rank << 32) | position, min-heap
};

BpeScratch& ThreadBpeScratch();

// A pair of adjacent parts in the short merge: (rank << kPosBits) | the left part's start, so that the
// smallest key is the lowest rank and, among equal ranks, the leftmost pair, exactly tiktoken's choice.
// Ranks are below 2^25 (Vocab::Init refuses larger vocabularies).
inline constexpr int32_t kNoPair = INT32_MAX;
inline int32_t PairKey(uint32_t rank, size_t start) {
  return rank == kNoRank ? kNoPair : int32_t((rank << kPosBits) | uint32_t(start));
}

// The smallest of keys[0, width) (width a multiple of 4, keys 16-byte aligned). The merge calls this once
// per step over the whole piece, dead pairs included: with SSE2 that is a few instructions per 4 pairs,
// fewer than walking the live parts one by one.
inline int32_t MinKey(const int32_t* keys, size_t width) {
#if defined(__SSE2__)
  __m128i m = _mm_load_si128(reinterpret_cast<const __m128i*>(keys));
  auto min4 = [](__m128i a, __m128i b) {
    const __m128i lt = _mm_cmplt_epi32(a, b);
    return _mm_or_si128(_mm_and_si128(lt, a), _mm_andnot_si128(lt, b));
  };
  for (size_t i = 4; i < width; i += 4) m = min4(_mm_load_si128(reinterpret_cast<const __m128i*>(keys + i)), m);
  m = min4(m, _mm_shuffle_epi32(m, _MM_SHUFFLE(1, 0, 3, 2)));
  m = min4(m, _mm_shuffle_epi32(m, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm_cvtsi128_si32(m);
#else
  int32_t m = keys[0];
  for (size_t i = 1; i < width; ++i) m = keys[i] < m ? keys[i] : m;
  return m;
#endif
}

// Merges [p, p + n) (1 <= n <= kShortPiece, not itself a token) and calls emit(rank) for each resulting
// token, in order. Parts are a linked list over byte offsets: part i covers [i, next[i]); key[i] is the
// pair of part i and the part after it (kNoPair for none, and for offsets that are no longer a part start).
template <class Emit>
inline void BytePairMergeShort(const Vocab& v, const uint8_t* p, size_t n, const uint8_t* buf_end,
                               Emit& emit) {
  alignas(16) int32_t key[kShortPiece];
  uint8_t next[kShortPiece + 1];
  uint8_t prev[kShortPiece];
  uint32_t tok[kShortPiece];
  const size_t width = (n + 3) & ~size_t{3};
  for (size_t i = 0; i < n; ++i) {
    next[i] = uint8_t(i + 1);
    prev[i] = uint8_t(i - 1);  // wraps for 0; never read there
    tok[i] = v.ByteRank(p[i]);
  }
  for (size_t i = 0; i + 1 < n; ++i) key[i] = PairKey(v.PairRank(p[i], p[i + 1]), i);
  for (size_t i = n - 1; i < width; ++i) key[i] = kNoPair;
  for (;;) {
    const int32_t best = MinKey(key, width);
    if (best == kNoPair) break;
    const size_t bi = size_t(best & ((1 << kPosBits) - 1));
    tok[bi] = uint32_t(best) >> kPosBits;
    const size_t j = next[bi];  // the right part, merged into part bi
    const size_t k = next[j];   // end of the merged part
    key[j] = kNoPair;
    next[bi] = uint8_t(k);
    if (k < n) prev[k] = uint8_t(bi);
    key[bi] = k < n ? PairKey(v.Lookup(p + bi, next[k] - bi, buf_end), bi) : kNoPair;
    if (bi > 0) {
      const size_t h = prev[bi];
      key[h] = PairKey(v.Lookup(p + h, k - h, buf_end), h);
    }
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
