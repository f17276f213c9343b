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
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>  // also xmmintrin.h's float minimum
#endif

#include "tokenizer/vocab.h"

namespace ftprep::tok {

// Pieces up to this many bytes take the array path (quadratic, but a step costs a few vector instructions
// per 4 pairs; the heap costs more per step up to about this length).
inline constexpr size_t kShortPiece = 64;
inline constexpr int kPosBits = 6;  // a part start in a short piece
static_assert(kShortPiece <= (size_t{1} << kPosBits));

// Whether a pair of tokens may stand next to each other (ValidPair) is a function of the two ranks;
// natural text repeats the same pairs, so a small direct-mapped per-thread cache remembers the answers.
struct PairCacheEntry {
  const Vocab* vocab = nullptr;
  uint32_t t1 = 0;
  uint32_t t2_valid = 0;  // t2 << 1 | valid
};
inline constexpr int kPairCacheBits = 13;

struct BpeScratch {
  PairCacheEntry pair_cache[size_t{1} << kPairCacheBits];
  std::vector<uint32_t> next, prev, tok, pair;
  std::vector<uint64_t> heap;              // (rank << 32) | position, min-heap
  std::vector<uint32_t> bt_tok, bt_start;  // backtracking merge: tokens so far and where each starts
  std::vector<uint64_t> bt_dead;           // backtracking merge: positions no token may end at
};

BpeScratch& ThreadBpeScratch();

// A pair of adjacent parts in the short merge: (rank << kPosBits) | the left part's start, so that the
// smallest key is the lowest rank and, among equal ranks, the leftmost pair, exactly tiktoken's choice.
// Keys are compared with SSE's float minimum (SSE2 has no 32-bit integer minimum; emulating it costs four
// instructions per 4 keys instead of one). Positive finite floats order exactly as their bit patterns do, so
// a key is stored as that integer plus 2^23: every key is then a normal float (no denormals, which a
// denormals-are-zero mode would flatten to 0) below kNoPair, the largest finite float, as long as ranks are
// below 2^24 (Vocab::Init refuses larger vocabularies).
inline constexpr int32_t kKeyBias = int32_t{1} << 23;
inline constexpr int32_t kNoPair = 0x7F7FFFFF;
inline int32_t PairKey(uint32_t rank, size_t start) {
  return rank == kNoRank ? kNoPair : int32_t((rank << kPosBits) | uint32_t(start)) + kKeyBias;
}
inline size_t KeyStart(int32_t key) { return size_t(uint32_t(key - kKeyBias) & ((1u << kPosBits) - 1)); }
inline uint32_t KeyRank(int32_t key) { return uint32_t(key - kKeyBias) >> kPosBits; }

// The smallest of keys[0, width) (width a multiple of 4 and at least 8, keys 16-byte aligned). The merge calls this once
// per step over the whole piece, dead pairs included: with SSE that is one instruction per 4 pairs, fewer
// than walking the live parts one by one.
inline int32_t MinKey(const int32_t* keys, size_t width) {
#if defined(__SSE2__)
  __m128 m = _mm_min_ps(_mm_castsi128_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(keys))),
                        _mm_castsi128_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(keys + 4))));
  for (size_t i = 8; i < width; i += 4)
    m = _mm_min_ps(_mm_castsi128_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(keys + i))), m);
  m = _mm_min_ps(m, _mm_shuffle_ps(m, m, _MM_SHUFFLE(1, 0, 3, 2)));
  m = _mm_min_ps(m, _mm_shuffle_ps(m, m, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm_cvtsi128_si32(_mm_castps_si128(m));
#else
  int32_t m = keys[0];
  for (size_t i = 1; i < width; ++i) m = keys[i] < m ? keys[i] : m;
  return m;
#endif
}

// v[k] = k - 1 (v[0] = 0xFF): the initial prev (from 0) and next (from 2) links of the short merge.
struct MinusOneTable {
  uint8_t v[kShortPiece + 3];
};
constexpr MinusOneTable MakeMinusOne() {
  MinusOneTable t{};
  for (size_t k = 0; k < sizeof t.v; ++k) t.v[k] = uint8_t(k - 1);
  return t;
}
inline constexpr MinusOneTable kMinusOne = MakeMinusOne();

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
  const size_t width = n <= 8 ? 8 : (n + 3) & ~size_t{3};  // MinKey's unit; most pieces fit in the first 8
  const bool by_id = v.backtrack();  // pairs by token ids (Vocab::PairById), else by their bytes
  // next[i] = i + 1 and prev[i] = i - 1 (wrapping for 0, never read there): whole fixed-size copies of
  // constant tables, cheaper than storing them byte by byte.
  std::memcpy(prev, kMinusOne.v, sizeof prev);
  std::memcpy(next, kMinusOne.v + 2, sizeof next);
  for (size_t i = 0; i + 1 < n; ++i) {
    tok[i] = v.ByteRank(p[i]);
    key[i] = PairKey(v.PairRank(p[i], p[i + 1]), i);
  }
  tok[n - 1] = v.ByteRank(p[n - 1]);
  for (size_t i = n - 1; i < width; ++i) key[i] = kNoPair;
  for (;;) {
    const int32_t best = MinKey(key, width);
    if (best == kNoPair) break;
    const size_t bi = KeyStart(best);
    tok[bi] = KeyRank(best);
    const size_t j = next[bi];  // the right part, merged into part bi
    const size_t k = next[j];   // end of the merged part
    key[j] = kNoPair;
    next[bi] = uint8_t(k);
    if (k < n) prev[k] = uint8_t(bi);
    if (by_id) {
      key[bi] = k < n ? PairKey(v.PairById(tok[bi], tok[k]), bi) : kNoPair;
      if (bi > 0) key[prev[bi]] = PairKey(v.PairById(tok[prev[bi]], tok[bi]), prev[bi]);
    } else {
      key[bi] = k < n ? PairKey(v.Lookup(p + bi, next[k] - bi, buf_end), bi) : kNoPair;
      if (bi > 0) {
        const size_t h = prev[bi];
        key[h] = PairKey(v.Lookup(p + h, k - h, buf_end), h);
      }
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

// ---- Backtracking merge ----------------------------------------------------------------------------
//
// The pair merges above rescan the piece after every merge. The backtracking merge (the idea of GitHub's
// `bpe` crate) builds the result left to right instead: take the longest token that starts here, keep it
// if it can stand next to the token before it, else try the next shorter one; when none fits, drop the
// token before and try shorter ones there. It relies on two facts about these vocabularies, checked by
// the table generator (vocab_gen.cc, backtrack_ok):
//  - every token that encodes to itself is built by merges of rising rank (each part ranks below the
//    whole), so a merge's rank is also its time in tiktoken's loop;
//  - then a sequence of such tokens is the encoding of its bytes iff every adjacent pair is: the first
//    merge across any boundary would happen the same way with only the two tokens present.
// So the result is the one sequence of such tokens whose adjacent pairs all encode to themselves, and a
// position from which no valid continuation exists stays dead whatever path reaches it.

// Whether the bytes of the two tokens t1 t2 encode to exactly [t1, t2]. Replays the merges next to the
// boundary backwards: the state is (x, y), x the part of t1 that ends at the boundary and y the part of
// t2 that starts there, with px / py the ranks of the merges that will absorb them (kNoRank: never).
// tiktoken would join x and y into the token c iff c comes before both: c < px (ties go to the pair
// further left, inside t1) and c <= py. Going back in time, the later of the two parts (higher rank; y on
// ties, the right pair merging later) is split. The first join across the boundary, if any, is one
// where x y merge as c's own encoding does, so looking c up by (x, y) finds it.
inline bool ValidPair(const Vocab& v, uint32_t t1, uint32_t t2) {
  uint32_t x = t1, y = t2, px = kNoRank, py = kNoRank;
  for (;;) {
    const uint32_t c = v.PairById(x, y);  // exact here: see Vocab::PairById
    if (c < px && c <= py) return false;
    const TokenSplit& sx = v.Split(x);
    const TokenSplit& sy = v.Split(y);
    const bool x_atom = sx.left == kNoRank, y_atom = sy.left == kNoRank;
    if (x_atom && y_atom) return true;
    if (y_atom || (!x_atom && x > y)) {
      px = x;
      x = sx.right;
    } else {
      py = y;
      y = sy.left;
    }
  }
}

inline bool ValidPairCached(const Vocab& v, uint32_t t1, uint32_t t2, PairCacheEntry* cache) {
  PairCacheEntry& e = cache[(((uint64_t{t1} << 32) | t2) * kHashMul1) >> (64 - kPairCacheBits)];
  if (e.vocab == &v && e.t1 == t1 && (e.t2_valid >> 1) == t2) return e.t2_valid & 1;
  const bool ok = ValidPair(v, t1, t2);
  e.vocab = &v;
  e.t1 = t1;
  e.t2_valid = (t2 << 1) | uint32_t(ok);
  return ok;
}

// The tokens that are prefixes of [p, p + n) and merge results, by rising length: ranks in rank[], lengths
// in len[]. Returns how many (at least 1: the first byte).
inline size_t PrefixTokens(const Vocab& v, const uint8_t* p, size_t n, uint32_t* rank, uint32_t* len) {
  uint32_t node = Vocab::ByteNode(p[0]);
  rank[0] = v.NodeRank(node);
  len[0] = 1;
  size_t k = 1;
  const size_t stop = n < v.max_token_len() ? n : v.max_token_len();
  for (size_t i = 1; i < stop; ++i) {
    node = v.Child(node, p[i]);
    if (node == 0) break;
    const uint32_t r = v.NodeRank(node);
    if (r != kNoRank) {
      rank[k] = r;
      len[k] = uint32_t(i + 1);
      ++k;
    }
  }
  return k;
}

// Encodes [p, p + n) (n >= 1) into tok[] (starts in start[], both with room for n); dead is a zeroed bit
// set of n + 1 positions. Returns the number of tokens (SIZE_MAX: no encoding found, see below).
inline size_t BacktrackMerge(const Vocab& v, const uint8_t* p, size_t n, uint32_t* tok, uint32_t* start,
                             uint64_t* dead, PairCacheEntry* cache) {
  uint32_t rank[256], len[256];  // max_token_len <= 255 (Vocab::Init)
  size_t k = 0, pos = 0;
  uint32_t shorter_than = UINT32_MAX;  // after dropping a token: only shorter ones at its start
  while (pos < n) {
    size_t m = PrefixTokens(v, p + pos, n - pos, rank, len);
    bool placed = false;
    while (m-- > 0) {
      if (len[m] >= shorter_than) continue;
      const size_t end = pos + len[m];
      if ((dead[end >> 6] >> (end & 63)) & 1) continue;
      if (k > 0 && !ValidPairCached(v, tok[k - 1], rank[m], cache)) continue;
      tok[k] = rank[m];
      start[k] = uint32_t(pos);
      ++k;
      pos = end;
      placed = true;
      break;
    }
    if (placed) {
      shorter_than = UINT32_MAX;
      continue;
    }
    // Nothing fits after tok[k - 1]. At the piece start the encoding itself always fits; should the table
    // ever break that, the caller falls back to the pair merge.
    if (k == 0) return SIZE_MAX;
    dead[pos >> 6] |= uint64_t{1} << (pos & 63);
    --k;
    shorter_than = uint32_t(pos - start[k]);
    pos = start[k];
  }
  return k;
}

// Pieces longer than this take the backtracking merge when the table allows it. Shorter ones are cheaper
// with the pair merge: on the benchmark corpus, 16 gave the fewest instructions (12, 20, 24, 40 and 64
// all cost more; backtracking everything cost more still).
inline constexpr size_t kBacktrackFrom = 16;

template <class Emit>
inline void BytePairMerge(const Vocab& v, const uint8_t* p, size_t n, const uint8_t* buf_end, Emit& emit) {
  if (v.backtrack() && n > kBacktrackFrom) {
    BpeScratch& s = ThreadBpeScratch();
    if (n < 64) {
      uint32_t tok[64], start[64];
      uint64_t dead = 0;
      const size_t k = BacktrackMerge(v, p, n, tok, start, &dead, s.pair_cache);
      if (k != SIZE_MAX) {
        for (size_t i = 0; i < k; ++i) emit(tok[i]);
        return;
      }
    } else {
      s.bt_tok.resize(n);
      s.bt_start.resize(n);
      s.bt_dead.assign(n / 64 + 1, 0);
      const size_t k =
          BacktrackMerge(v, p, n, s.bt_tok.data(), s.bt_start.data(), s.bt_dead.data(), s.pair_cache);
      if (k != SIZE_MAX) {
        for (size_t i = 0; i < k; ++i) emit(s.bt_tok[i]);
        return;
      }
    }
  }
  if (n <= kShortPiece)
    BytePairMergeShort(v, p, n, buf_end, emit);
  else
    BytePairMergeLong(v, p, n, buf_end, emit);
}

}  // namespace ftprep::tok

#endif  // FTPREP_CORE_TOKENIZER_BPE_H_
