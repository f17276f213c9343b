// Build-time host tool: converts a .tiktoken rank file into the binary table of vocab_format.h.
//
//   ftprep_vocab_gen OUT.bin IN.tiktoken [SUBSET.tiktoken]
//
// With SUBSET, also checks that every (bytes, rank) line of SUBSET is in IN (r50k_base is p50k_base
// minus the space-run tokens, so r50k shares p50k's table with a rank limit). Exits 1 on any malformed
// or inconsistent input, so a bad vocabulary never reaches the binary.
//
// This file is named .cc on purpose: core/**/*.cpp is globbed into ftprep_core, and this program's
// main() must not be.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "vocab_format.h"

namespace {

using ftprep::tok::VocabHeader;
using ftprep::tok::VocabSlot;

[[noreturn]] void Die(const std::string& msg) {
  std::fprintf(stderr, "ftprep_vocab_gen: %s\n", msg.c_str());
  std::exit(1);
}

int B64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::string B64Decode(const std::string& s, const std::string& where) {
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  size_t i = 0;
  for (; i < s.size() && s[i] != '='; ++i) {
    int v = B64Value(s[i]);
    if (v < 0) Die(where + ": bad base64 character");
    acc = (acc << 6) | unsigned(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(char((acc >> bits) & 0xFF));
    }
  }
  for (; i < s.size(); ++i)
    if (s[i] != '=') Die(where + ": bad base64 padding");
  return out;
}

// rank -> bytes; ranks may have holes (marked by `present`).
struct Ranks {
  std::vector<std::string> bytes;
  std::vector<bool> present;
};

Ranks ReadTiktoken(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die("cannot open " + path);
  Ranks r;
  std::string line;
  size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty()) continue;
    std::string where = path + ":" + std::to_string(lineno);
    size_t sp = line.find(' ');
    if (sp == std::string::npos || sp == 0 || sp + 1 >= line.size()) Die(where + ": expected 'base64 rank'");
    std::string tok = B64Decode(line.substr(0, sp), where);
    char* end = nullptr;
    unsigned long rank = std::strtoul(line.c_str() + sp + 1, &end, 10);
    if (*end != '\0' || rank > 0xFFFFFF) Die(where + ": bad rank");
    if (tok.empty() || tok.size() > 0xFFFF) Die(where + ": bad token length");
    if (rank >= r.bytes.size()) {
      r.bytes.resize(rank + 1);
      r.present.resize(rank + 1, false);
    }
    if (r.present[rank]) Die(where + ": duplicate rank");
    r.bytes[rank] = tok;
    r.present[rank] = true;
  }
  if (r.bytes.empty()) Die(path + ": empty");
  return r;
}

constexpr uint32_t kNone = 0xFFFFFFFF;

// tiktoken's merge of one token's own bytes, done the slow and obvious way: repeatedly join the adjacent
// pair whose concatenation has the lowest rank (leftmost on ties). Returns the last merge's two parts,
// or {kNone, kNone} when the bytes are one byte or do not end as this single token.
ftprep::tok::TokenSplit OwnMerge(const std::string& bytes,
                                 const std::unordered_map<std::string, uint32_t>& rank_of) {
  std::vector<std::string> parts;
  for (char c : bytes) parts.emplace_back(1, c);
  ftprep::tok::TokenSplit last{kNone, kNone};
  while (parts.size() > 1) {
    size_t best = 0;
    uint32_t best_rank = kNone;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      auto it = rank_of.find(parts[i] + parts[i + 1]);
      if (it != rank_of.end() && it->second < best_rank) best_rank = it->second, best = i;
    }
    if (best_rank == kNone) return {kNone, kNone};
    last = {rank_of.at(parts[best]), rank_of.at(parts[best + 1])};
    parts[best] += parts[best + 1];
    parts.erase(parts.begin() + std::ptrdiff_t(best) + 1);
  }
  return last;
}

// The split table, the byte trie and its edge table (vocab_format.h) for the backtracking merge.
struct Backtrack {
  std::vector<ftprep::tok::TokenSplit> split;
  std::vector<uint32_t> node_rank;
  std::vector<uint64_t> edges;
  uint32_t edge_bits = 1;
  std::vector<ftprep::tok::PairSlot> pairs;
  uint32_t pair_bits = 1;
  bool ok = true;
};

Backtrack MakeBacktrack(const Ranks& r) {
  Backtrack b;
  std::unordered_map<std::string, uint32_t> rank_of;
  for (size_t i = 0; i < r.bytes.size(); ++i)
    if (r.present[i]) rank_of.emplace(r.bytes[i], uint32_t(i));
  b.split.assign(r.bytes.size(), {kNone, kNone});
  std::vector<bool> reachable(r.bytes.size(), false);
  for (size_t i = 0; i < r.bytes.size(); ++i) {
    if (!r.present[i]) continue;
    if (r.bytes[i].size() == 1) {
      reachable[i] = true;
      continue;
    }
    b.split[i] = OwnMerge(r.bytes[i], rank_of);
    if (b.split[i].left == kNone) continue;  // never made by a merge: not a merge result, not in the trie
    reachable[i] = true;
    if (b.split[i].left >= i || b.split[i].right >= i) b.ok = false;
  }
  // Trie: node 0 root, 1 + b the single bytes, then the rest in token order.
  b.node_rank.assign(257, kNone);
  std::vector<std::pair<uint32_t, uint32_t>> edge_list;  // (key, child)
  std::unordered_map<uint32_t, uint32_t> child_of;
  for (size_t i = 0; i < r.bytes.size(); ++i) {
    if (!r.present[i]) continue;
    const std::string& t = r.bytes[i];
    uint32_t node = 1 + uint8_t(t[0]);
    for (size_t k = 1; k < t.size(); ++k) {
      const uint32_t key = ftprep::tok::EdgeKey(node, uint8_t(t[k]));
      auto it = child_of.find(key);
      if (it == child_of.end()) {
        const uint32_t child = uint32_t(b.node_rank.size());
        b.node_rank.push_back(kNone);
        it = child_of.emplace(key, child).first;
        edge_list.emplace_back(key, child);
      }
      node = it->second;
    }
    if (reachable[i]) b.node_rank[node] = uint32_t(i);
  }
  if (b.node_rank.size() >= (1u << 24)) Die("too many trie nodes");
  while ((size_t{1} << b.edge_bits) < edge_list.size() * 2) ++b.edge_bits;
  b.edges.assign(size_t{1} << b.edge_bits, 0);
  const uint32_t mask = (1u << b.edge_bits) - 1;
  for (const auto& [key, child] : edge_list) {
    uint32_t s = ftprep::tok::EdgeSlot(key, b.edge_bits);
    while (b.edges[s] != 0) s = (s + 1) & mask;
    b.edges[s] = (uint64_t{key} << 32) | child;
  }
  // Pair table: every token made by a merge, under its split.
  size_t n_pairs = 0;
  for (const auto& sp : b.split) n_pairs += sp.left != kNone;
  while ((size_t{1} << b.pair_bits) < n_pairs * 2) ++b.pair_bits;
  b.pairs.assign(size_t{1} << b.pair_bits, {kNone, kNone, kNone});
  const uint32_t pmask = (1u << b.pair_bits) - 1;
  for (size_t i = 0; i < b.split.size(); ++i) {
    const auto& sp = b.split[i];
    if (sp.left == kNone) continue;
    uint32_t s = ftprep::tok::PairSlotIndex(sp.left, sp.right, b.pair_bits);
    while (b.pairs[s].rank != kNone) {
      if (b.pairs[s].left == sp.left && b.pairs[s].right == sp.right) Die("two tokens with the same split");
      s = (s + 1) & pmask;
    }
    b.pairs[s] = {sp.left, sp.right, uint32_t(i)};
  }
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) Die("usage: ftprep_vocab_gen OUT.bin IN.tiktoken [SUBSET.tiktoken]");
  Ranks r = ReadTiktoken(argv[2]);
  if (argc == 4) {
    Ranks sub = ReadTiktoken(argv[3]);
    for (size_t i = 0; i < sub.bytes.size(); ++i)
      if (sub.present[i] && (i >= r.bytes.size() || !r.present[i] || r.bytes[i] != sub.bytes[i]))
        Die(std::string(argv[3]) + ": rank " + std::to_string(i) + " differs from " + argv[2]);
  }

  VocabHeader h{};
  std::memcpy(h.magic, ftprep::tok::kVocabMagic, 8);
  h.n_ids = uint32_t(r.bytes.size());
  for (size_t i = 0; i < 256; ++i) h.byte_rank[i] = 0xFFFFFFFF;
  std::string blob;
  std::vector<uint32_t> offsets;
  for (size_t i = 0; i < r.bytes.size(); ++i) {
    offsets.push_back(uint32_t(blob.size()));
    if (!r.present[i]) continue;
    ++h.n_tokens;
    blob += r.bytes[i];
    if (r.bytes[i].size() > h.max_token_len) h.max_token_len = uint32_t(r.bytes[i].size());
    if (r.bytes[i].size() == 1) h.byte_rank[uint8_t(r.bytes[i][0])] = uint32_t(i);
  }
  offsets.push_back(uint32_t(blob.size()));
  for (size_t i = 0; i < 256; ++i)
    if (h.byte_rank[i] == 0xFFFFFFFF)
      Die(std::string(argv[2]) + ": byte " + std::to_string(i) + " is no token");
  while (blob.size() % 8) blob.push_back('\0');
  h.blob_size = uint32_t(blob.size());

  // Load factor <= 0.5 keeps linear-probe chains short; the runtime's miss path walks them.
  h.table_bits = 1;
  while ((size_t{1} << h.table_bits) < size_t{h.n_tokens} * 2) ++h.table_bits;
  std::vector<VocabSlot> slots(size_t{1} << h.table_bits);
  const uint32_t mask = (1u << h.table_bits) - 1;
  for (size_t i = 0; i < r.bytes.size(); ++i) {
    if (!r.present[i]) continue;
    const auto* p = reinterpret_cast<const uint8_t*>(r.bytes[i].data());
    size_t n = r.bytes[i].size();
    uint64_t head = ftprep::tok::LoadHeadExact(p, n);
    uint32_t s = ftprep::tok::SlotIndex(ftprep::tok::HashBytes(head, p, n), h.table_bits);
    while (slots[s].len != 0) {
      if (slots[s].len == n && r.bytes[slots[s].rank] == r.bytes[i])
        Die(std::string(argv[2]) + ": duplicate token bytes at rank " + std::to_string(i));
      s = (s + 1) & mask;
    }
    slots[s] = VocabSlot{head, uint32_t(i), uint32_t(n)};
  }

  std::vector<uint32_t> pair_rank(65536, 0xFFFFFFFF);
  for (size_t i = 0; i < r.bytes.size(); ++i)
    if (r.present[i] && r.bytes[i].size() == 2)
      pair_rank[uint8_t(r.bytes[i][0]) | (uint8_t(r.bytes[i][1]) << 8)] = uint32_t(i);

  Backtrack bt = MakeBacktrack(r);
  h.trie_nodes = uint32_t(bt.node_rank.size());
  h.edge_bits = bt.edge_bits;
  h.backtrack_ok = bt.ok ? 1 : 0;
  h.pair_bits = bt.pair_bits;
  if (bt.node_rank.size() % 2) bt.node_rank.push_back(kNone);  // keep the edges 8-byte aligned

  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(&h), sizeof h);
  out.write(reinterpret_cast<const char*>(pair_rank.data()), std::streamsize(pair_rank.size() * 4));
  out.write(reinterpret_cast<const char*>(slots.data()), std::streamsize(slots.size() * sizeof(VocabSlot)));
  if (offsets.size() % 2) offsets.push_back(offsets.back());  // keep the blob 8-byte aligned
  out.write(reinterpret_cast<const char*>(offsets.data()), std::streamsize(offsets.size() * 4));
  out.write(blob.data(), std::streamsize(blob.size()));
  out.write(reinterpret_cast<const char*>(bt.split.data()), std::streamsize(bt.split.size() * 8));
  out.write(reinterpret_cast<const char*>(bt.node_rank.data()), std::streamsize(bt.node_rank.size() * 4));
  out.write(reinterpret_cast<const char*>(bt.edges.data()), std::streamsize(bt.edges.size() * 8));
  out.write(reinterpret_cast<const char*>(bt.pairs.data()),
            std::streamsize(bt.pairs.size() * sizeof(bt.pairs[0])));
  if (!out) Die(std::string("cannot write ") + argv[1]);
  return 0;
}
