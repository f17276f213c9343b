// Unit tests of core/clean/dedup.h: hashing, normalised keys, the hash set, MinHash LSH recall and false
// positives on a generated set with planted near-duplicates.
#include "clean/dedup.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace ftprep::clean {
namespace {

std::string Key(std::string_view s) {
  std::string k;
  AppendDedupKey(s, &k);
  return k;
}

TEST(CleanDedup, HashIsStableAndSpreads) {
  // Pinned values: dedup decisions (and --report hashes) must not change between versions or machines.
  EXPECT_EQ(Hash64(""), Hash64(""));
  EXPECT_NE(Hash64("a"), Hash64("b"));
  EXPECT_NE(Hash64("a", 1), Hash64("a", 2));
  EXPECT_NE(Hash64(std::string(16, 'x')), Hash64(std::string(17, 'x')));
  EXPECT_NE(Hash64(std::string("ab\0", 3)), Hash64("ab"));
  const uint64_t pinned = Hash64("the quick brown fox jumps over the lazy dog");
  EXPECT_EQ(pinned, Hash64("the quick brown fox jumps over the lazy dog"));
  EXPECT_EQ(pinned, 7427744654830989817ull);
}

TEST(CleanDedup, KeyNormalises) {
  EXPECT_EQ(Key("Hello   World\n"), "hello world");
  EXPECT_EQ(Key("  hello world"), "hello world");
  EXPECT_EQ(Key("\xEF\xBC\xA8\xEF\xBD\x85llo world"), "hello world");  // fullwidth Ｈｅ
  EXPECT_EQ(Key("He\xE2\x80\x8Bllo world"), "hello world");            // zero-width space ignored
  EXPECT_EQ(Key("Caf\xC3\xA9"), Key("cafe\xCC\x81"));                    // precomposed == combining
  EXPECT_EQ(Key("STRASSE"), Key("stra\xC3\x9F" "e"));                    // ß case-folds to ss
  EXPECT_NE(Key("hello world"), Key("hello  worlds"));
}

TEST(CleanDedup, HashSetKeepsFirst) {
  HashSet s;
  for (uint64_t i = 1; i <= 100000; ++i) EXPECT_TRUE(s.Insert(i * 0x9E3779B97F4A7C15ull));
  for (uint64_t i = 1; i <= 100000; i += 7) EXPECT_FALSE(s.Insert(i * 0x9E3779B97F4A7C15ull));
  EXPECT_TRUE(s.Insert(0));
  EXPECT_FALSE(s.Insert(0));
  EXPECT_EQ(s.size(), 100001u);
  // ~16 bytes per entry on average (8-byte slots, 35-70 % full).
  EXPECT_LE(s.memory_bytes(), 100001u * 8 * 100 / 35 + 1);
}

// A generated corpus: random "documents" over a 4000-word vocabulary, and planted near duplicates of some of
// them (one word substituted, or a short phrase appended, plus case changes): Jaccard of 5-gram shingles
// about 0.85-0.97.
struct Corpus {
  std::vector<std::string> docs;
  std::vector<int> original;  // index of the doc a planted copy was made from, -1 for originals
};

Corpus Generate(int n_docs, int n_planted, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> vocab;
  for (int i = 0; i < 4000; ++i) {
    std::string w;
    uint64_t r = rng();
    int len = 3 + static_cast<int>(r % 6);
    for (int k = 0; k < len; ++k) w.push_back(static_cast<char>('a' + (rng() % 26)));
    vocab.push_back(w);
  }
  Corpus c;
  std::vector<std::vector<std::string>> words;
  for (int d = 0; d < n_docs; ++d) {
    std::vector<std::string> ws;
    int len = 80 + static_cast<int>(rng() % 60);
    for (int k = 0; k < len; ++k) ws.push_back(vocab[rng() % vocab.size()]);
    words.push_back(ws);
  }
  auto join = [](const std::vector<std::string>& ws) {
    std::string s;
    for (size_t k = 0; k < ws.size(); ++k) s += (k ? " " : "") + ws[k];
    return s;
  };
  std::vector<std::pair<int, std::string>> planted;
  for (int p = 0; p < n_planted; ++p) {
    int src = static_cast<int>(rng() % n_docs);
    std::vector<std::string> ws = words[src];
    if (p % 2 == 0) {
      ws[rng() % ws.size()] = vocab[rng() % vocab.size()];
    } else {
      ws.push_back("thanks");
      ws.push_back("a");
      ws.push_back("lot");
    }
    ws[0][0] = static_cast<char>(ws[0][0] - 'a' + 'A');  // case differs
    planted.push_back({src, join(ws) + "."});
  }
  // Originals first, in order; each planted copy somewhere after its original.
  for (int d = 0; d < n_docs; ++d) {
    c.docs.push_back(join(words[d]));
    c.original.push_back(-1);
    for (const auto& [src, text] : planted) {
      if (src == d && rng() % 2 == 0) {
        c.docs.push_back(text);
        c.original.push_back(src);
      }
    }
  }
  for (const auto& [src, text] : planted) {
    bool placed = false;
    for (size_t k = 0; k < c.docs.size(); ++k) placed = placed || c.docs[k] == text;
    if (!placed) {
      c.docs.push_back(text);
      c.original.push_back(src);
    }
  }
  return c;
}

TEST(CleanDedup, NearDedupRecallAndFalsePositives) {
  Corpus c = Generate(2000, 300, 42);
  // Map doc index -> position of originals in the stream (ids are stream positions).
  std::vector<int64_t> pos_of_original(2000, -1);
  int orig = 0;
  for (size_t k = 0; k < c.docs.size(); ++k) {
    if (c.original[k] < 0) pos_of_original[orig++] = static_cast<int64_t>(k);
  }
  NearDedup nd;
  int planted = 0, found = 0, false_pos = 0, originals = 0;
  for (size_t k = 0; k < c.docs.size(); ++k) {
    double sim = 0;
    int64_t dup = nd.Check(c.docs[k], k, &sim);
    if (c.original[k] >= 0) {
      ++planted;
      // Found when it is matched to its own original (or to another copy of it that was kept).
      if (dup >= 0 && (dup == pos_of_original[c.original[k]] || c.original[static_cast<size_t>(dup)] == c.original[k])) {
        ++found;
      }
    } else {
      ++originals;
      if (dup >= 0) ++false_pos;
    }
  }
  double recall = static_cast<double>(found) / planted;
  double fp = static_cast<double>(false_pos) / originals;
  std::printf("near dedup: %d planted, recall %.4f; %d originals, false positives %.4f\n", planted, recall,
              originals, fp);
  EXPECT_GT(recall, 0.95);
  EXPECT_LT(fp, 0.01);
}

TEST(CleanDedup, NearDedupIsDeterministic) {
  Corpus c = Generate(300, 60, 7);
  std::vector<int64_t> a, b;
  for (int run = 0; run < 2; ++run) {
    NearDedup nd;
    auto& out = run == 0 ? a : b;
    for (size_t k = 0; k < c.docs.size(); ++k) {
      double sim;
      out.push_back(nd.Check(c.docs[k], k, &sim));
    }
  }
  EXPECT_EQ(a, b);
}

TEST(CleanDedup, NearDedupThresholdAndShortTexts) {
  NearDedup nd;
  double sim = 0;
  EXPECT_EQ(nd.Check("one two three four five six seven eight nine ten", 0, &sim), -1);
  EXPECT_EQ(nd.Check("One two three four five six seven eight nine ten!", 1, &sim), 0);
  EXPECT_GE(sim, 0.99);
  EXPECT_EQ(nd.Check("completely different words appear in this sentence here now", 2, &sim), -1);
  // Fewer words than a shingle: one shingle of all words.
  EXPECT_EQ(nd.Check("short text", 3, &sim), -1);
  EXPECT_EQ(nd.Check("Short, text.", 4, &sim), 3);
  // No words at all: never indexed, never a duplicate.
  EXPECT_EQ(nd.Check("!!! ???", 5, &sim), -1);
  EXPECT_EQ(nd.Check("!!! ???", 6, &sim), -1);
  EXPECT_EQ(nd.kept(), 3u);
}

}  // namespace
}  // namespace ftprep::clean
