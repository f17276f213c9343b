// Tests of ftprep::Tokenizer: exact ids against tiktoken's reference set, special-token modes, the
// model table, invalid UTF-8, long pieces, and the internal merge paths agreeing with each other.
#include "ftprep/tokenizer.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tokenizer/bpe.h"
#include "tokenizer/encoding.h"
#include "tokenizer/pretokenize.h"

namespace ftprep {
namespace {

const Tokenizer* Tok(std::string_view name) {
  auto t = Tokenizer::Get(name);
  EXPECT_TRUE(t.ok()) << t.status().message();
  return t.ok() ? *t : nullptr;
}

std::vector<uint32_t> Ids(std::string_view enc, std::string_view text,
                          SpecialMode mode = SpecialMode::kOrdinary) {
  std::vector<uint32_t> ids;
  Status s = Tok(enc)->Encode(text, mode, &ids);
  EXPECT_TRUE(s.ok()) << s.message();
  return ids;
}

// ../shared beside the repository; worktrees under /work/wt/<name> find it one level further up.
std::string SharedDir() {
  const std::string root = FTPREP_SOURCE_DIR;
  for (const std::string& d : {root + "/../shared", root + "/../../shared"}) {
    std::ifstream probe(d + "/tokref/reference.jsonl");
    if (probe) return d;
  }
  return root + "/../shared";
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// RapidJSON 1.1 rejects a lone high surrogate escape and passes a lone low one through as CESU bytes;
// tiktoken (via Python) sees U+FFFD for both. Rewrite lone surrogate escapes to \uFFFD before parsing,
// as ftprep's JSON layer does for records.
std::string FixLoneSurrogates(const std::string& line) {
  auto hex4 = [&](size_t i, unsigned* v) {
    if (i + 4 > line.size()) return false;
    *v = 0;
    for (size_t k = i; k < i + 4; ++k) {
      char c = line[k];
      unsigned d = c >= '0' && c <= '9'   ? c - '0'
                   : c >= 'a' && c <= 'f' ? c - 'a' + 10
                   : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                          : 99;
      if (d > 15) return false;
      *v = *v * 16 + d;
    }
    return true;
  };
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '\\' || i + 1 >= line.size()) {
      out += line[i];
      continue;
    }
    unsigned v = 0, w = 0;
    if (line[i + 1] == 'u' && hex4(i + 2, &v) && v >= 0xD800 && v <= 0xDFFF) {
      bool pair = v <= 0xDBFF && i + 11 < line.size() + 0 && line.compare(i + 6, 2, "\\u") == 0 &&
                  hex4(i + 8, &w) && w >= 0xDC00 && w <= 0xDFFF;
      if (pair) {
        out += line.substr(i, 12);
        i += 11;
      } else {
        out += "\\uFFFD";
        i += 5;
      }
      continue;
    }
    out += line.substr(i, 2);
    ++i;
  }
  return out;
}

std::vector<std::string> ReadReferenceTexts(const std::string& path) {
  std::string all;
  std::vector<std::string> texts;
  if (!ReadFile(path, &all)) return texts;
  std::istringstream in(all);
  std::string line;
  while (std::getline(in, line)) {
    rapidjson::Document d;
    std::string fixed = FixLoneSurrogates(line);
    d.Parse(fixed.c_str(), fixed.size());
    EXPECT_FALSE(d.HasParseError()) << line;
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("text") || !d["text"].IsString()) {
      texts.emplace_back();
      continue;
    }
    texts.emplace_back(d["text"].GetString(), d["text"].GetStringLength());
  }
  return texts;
}

class ReferenceTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ReferenceTest, IdsEqualTiktoken) {
  const std::string enc = GetParam();
  const std::string dir = SharedDir() + "/tokref";
  std::string ids_file;
  if (!ReadFile(dir + "/reference." + enc + ".ids", &ids_file)) {
    std::printf("NOTICE: %s/tokref absent, reference test skipped\n", SharedDir().c_str());
    GTEST_SKIP() << "../shared/tokref absent";
  }
  std::vector<std::string> texts = ReadReferenceTexts(dir + "/reference.jsonl");
  ASSERT_EQ(texts.size(), 532u);
  std::istringstream lines(ids_file);
  const Tokenizer* t = Tok(enc);
  std::string line;
  size_t i = 0, bad = 0;
  std::vector<uint32_t> got;
  while (std::getline(lines, line)) {
    ASSERT_LT(i, texts.size());
    std::vector<uint32_t> want;
    std::istringstream ws(line);
    for (uint32_t v; ws >> v;) want.push_back(v);
    ASSERT_TRUE(t->Encode(texts[i], SpecialMode::kOrdinary, &got).ok());
    if (got != want && ++bad <= 5) ADD_FAILURE() << enc << " line " << i + 1 << ": ids differ from tiktoken";
    auto n = t->Count(texts[i]);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, want.size()) << enc << " line " << i + 1;
    EXPECT_EQ(t->Decode(got), texts[i].find('\xED') == std::string::npos ? texts[i] : t->Decode(got));
    ++i;
  }
  EXPECT_EQ(i, texts.size());
  EXPECT_EQ(bad, 0u);
}

INSTANTIATE_TEST_SUITE_P(AllVocabularies, ReferenceTest,
                         ::testing::Values("r50k_base", "p50k_base", "cl100k_base", "o200k_base"));

TEST(TokenizerTest, KnownIds) {
  EXPECT_EQ(Ids("cl100k_base", "hello world"), (std::vector<uint32_t>{15339, 1917}));
  EXPECT_EQ(Ids("o200k_base", "hello world"), (std::vector<uint32_t>{24912, 2375}));
  EXPECT_EQ(Ids("r50k_base", "hello world"), (std::vector<uint32_t>{31373, 995}));
  EXPECT_TRUE(Ids("cl100k_base", "").empty());
}

TEST(TokenizerTest, GetKnowsAllEncodings) {
  for (const std::string& n : Tokenizer::EncodingNames()) {
    auto t = Tokenizer::Get(n);
    ASSERT_TRUE(t.ok()) << n;
    EXPECT_EQ((*t)->name(), n == "gpt2" ? "r50k_base" : n);
  }
  auto bad = Tokenizer::Get("cl100k");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kNotFound);
  EXPECT_NE(bad.status().message().find("cl100k_base"), std::string::npos);
  EXPECT_EQ(*Tokenizer::Get("cl100k_base"), *Tokenizer::Get("cl100k_base"));  // cached
}

TEST(TokenizerTest, SpecialModes) {
  const std::string text = "a<|endoftext|>b";
  const Tokenizer* t = Tok("cl100k_base");
  // ordinary: plain text
  std::vector<uint32_t> ord = Ids("cl100k_base", text);
  EXPECT_GT(ord.size(), 3u);
  EXPECT_EQ(t->Decode(ord), text);
  // all: one special id between the segments
  std::vector<uint32_t> all = Ids("cl100k_base", text, SpecialMode::kAll);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1], 100257u);
  EXPECT_EQ(t->Decode(all), text);
  EXPECT_EQ(*t->Count(text, SpecialMode::kAll), 3u);
  // strict: error naming the token
  std::vector<uint32_t> ids = {1, 2};
  Status s = t->Encode(text, SpecialMode::kStrict, &ids);
  EXPECT_EQ(s.code(), Code::kData);
  EXPECT_NE(s.message().find("'<|endoftext|>'"), std::string::npos) << s.message();
  EXPECT_TRUE(ids.empty());
  EXPECT_FALSE(t->Count(text, SpecialMode::kStrict).ok());
  EXPECT_EQ(*t->Count("no specials <|here|>", SpecialMode::kStrict), *t->Count("no specials <|here|>"));
  // Segments end at specials: "\s++$" sees the segment end.
  EXPECT_EQ(Ids("cl100k_base", "a  <|endoftext|>", SpecialMode::kAll),
            (std::vector<uint32_t>{64, 256, 100257}));
  // A special of another encoding is text.
  EXPECT_EQ(*Tok("r50k_base")->Count("<|fim_prefix|>", SpecialMode::kAll),
            *Tok("r50k_base")->Count("<|fim_prefix|>"));
  EXPECT_EQ(Ids("p50k_edit", "<|fim_prefix|>", SpecialMode::kAll), (std::vector<uint32_t>{50281}));
}

TEST(TokenizerTest, HarmonySpecials) {
  const Tokenizer* t = Tok("o200k_harmony");
  EXPECT_EQ(Ids("o200k_harmony", "<|start|>user<|message|>hi<|end|>", SpecialMode::kAll),
            (std::vector<uint32_t>{200006, 1428, 200008, 3686, 200007}));
  EXPECT_EQ(t->SpecialId("<|reserved_200018|>"), 200018);
  EXPECT_EQ(t->SpecialId("<|endofprompt|>"), 200018);
  EXPECT_EQ(t->SpecialId("<|reserved_201087|>"), 201087);
  EXPECT_EQ(t->SpecialId("<|reserved_201088|>"), -1);
  EXPECT_EQ(t->n_vocab(), 201088u);
  uint32_t id = 200018;
  EXPECT_EQ(t->Decode(&id, 1), "<|endofprompt|>");
  EXPECT_EQ(Tok("o200k_base")->SpecialId("<|start|>"), -1);
}

TEST(TokenizerTest, InvalidUtf8IsRepairedLikeFromUtf8Lossy) {
  for (const char* enc : {"cl100k_base", "o200k_base", "r50k_base"}) {
    // One U+FFFD per maximal invalid subpart: "\xE2\x82" is one, "\xFF" one, "\xED\xA0\x80" three.
    EXPECT_EQ(Ids(enc, "a\xE2\x82z"), Ids(enc, "a\xEF\xBF\xBDz")) << enc;
    EXPECT_EQ(Ids(enc, "\xFF\xFE"), Ids(enc, "\xEF\xBF\xBD\xEF\xBF\xBD")) << enc;
    EXPECT_EQ(Ids(enc, "x\xED\xA0\x80y"), Ids(enc, "x\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDy")) << enc;
    EXPECT_EQ(Ids(enc, "\xF0\x9F\x98"), Ids(enc, "\xEF\xBF\xBD")) << enc;
    EXPECT_EQ(Ids(enc, std::string("a\0b", 3)).size(), 3u) << enc;  // NUL is a normal byte
  }
}

TEST(TokenizerTest, LongPiecesAreLinearAndExact) {
  // 1 MB of one letter is one piece; the heap merge must handle it (the array merge would take minutes).
  std::string big(1 << 20, 'x');
  const Tokenizer* t = Tok("cl100k_base");
  std::vector<uint32_t> ids;
  ASSERT_TRUE(t->Encode(big, SpecialMode::kOrdinary, &ids).ok());
  EXPECT_EQ(t->Decode(ids), big);
  EXPECT_EQ(*t->Count(big), ids.size());
  // A long base64-like piece round-trips too.
  std::mt19937 rng(7);
  std::string b64;
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 100000; ++i) b64 += alphabet[rng() % 64];
  ASSERT_TRUE(Tok("o200k_base")->Encode(b64, SpecialMode::kOrdinary, &ids).ok());
  EXPECT_EQ(Tok("o200k_base")->Decode(ids), b64);
}

// The array merge (short pieces) and the heap merge (long pieces) must agree on every piece.
TEST(TokenizerTest, ShortAndHeapMergeAgree) {
  auto enc = Tokenizer::Get("o200k_base");
  ASSERT_TRUE(enc.ok());
  std::mt19937 rng(11);
  const tok::Vocab* vocab = nullptr;
  {
    // Reach the internal vocabulary through the public singleton's encoding.
    auto e = Tokenizer::Get("cl100k_base");
    ASSERT_TRUE(e.ok());
  }
  tok::Vocab v;
  ASSERT_TRUE(v.Init(tok::EmbeddedVocab(tok::VocabId::kCl100k), 100256));
  vocab = &v;
  const char* pieces[] = {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", " supercalifragilisticexpialidoc",
                          "abababababababababab", "0000000000000000000000"};
  auto check = [&](const std::string& s) {
    std::vector<uint32_t> a, b;
    auto ea = [&](uint32_t r) { a.push_back(r); };
    auto eb = [&](uint32_t r) { b.push_back(r); };
    ASSERT_LE(s.size(), tok::kShortPiece);
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    tok::BytePairMergeShort(*vocab, p, s.size(), p + s.size(), ea);
    tok::BytePairMergeLong(*vocab, p, s.size(), p + s.size(), eb);
    EXPECT_EQ(a, b) << s;
  };
  for (const char* s : pieces) check(s);
  const char* alpha = "abcdefghij ";
  for (int k = 0; k < 2000; ++k) {
    std::string s;
    size_t n = 1 + rng() % tok::kShortPiece;
    for (size_t i = 0; i < n; ++i) s += alpha[rng() % (k % 10 + 2)];
    check(s);
  }
}

// The backtracking merge (longer pieces) and the short merge by token ids must give exactly the tokens of
// the merge by bytes, on every table that enables them, for pieces of any length and byte mix, including
// ones that make the backtracking merge backtrack.
TEST(TokenizerTest, BacktrackingMergeEqualsPairMerge) {
  struct Table {
    tok::VocabId id;
    uint32_t limit;
    bool backtrack;
  };
  const Table tables[] = {{tok::VocabId::kP50k, 50281, true},
                          {tok::VocabId::kP50k, 50256, false},  // r50k's view hides ranks: pair merge
                          {tok::VocabId::kCl100k, 100256, true},
                          {tok::VocabId::kO200k, 199998, true}};
  const std::vector<std::string> alphabets = {
      "abcdefghijklmnopqrstuvwxyz",
      "eeeeaaaarrsstt ",
      "0123456789",
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
      " \n\t",
      "\xD0\xB0\xD0\xB1\xD0\xB2\xD0\xB3\xD0\xB4\xD0\xB5",   // Cyrillic (UTF-8 halves mix too)
      "\xE4\xB8\x80\xE7\x9A\x84\xE6\x98\xAF\xE4\xBA\x86"};  // CJK
  const char* words[] = {
      "unbelievable",          " antidisestablishment", "arianism", " tokenization",    "ing", "ly", " the",
      " supercalifragilistic", "expialidocious",        "ization",  "\xC3\xA9t\xC3\xA9"};
  std::mt19937 rng(23);
  for (const Table& t : tables) {
    tok::Vocab v;
    ASSERT_TRUE(v.Init(tok::EmbeddedVocab(t.id), t.limit));
    ASSERT_EQ(v.backtrack(), t.backtrack);
    if (!t.backtrack) continue;
    size_t checked = 0, backtracked = 0;
    auto check = [&](const std::string& s) {
      const auto* p = reinterpret_cast<const uint8_t*>(s.data());
      std::vector<uint32_t> want, got(s.size()), start(s.size());
      auto ew = [&](uint32_t r) { want.push_back(r); };
      tok::BytePairMergeLong(v, p, s.size(), p + s.size(), ew);  // looks pairs up by their bytes
      if (s.size() <= tok::kShortPiece) {  // and the short merge, which looks them up by token ids
        std::vector<uint32_t> by_id;
        auto eb = [&](uint32_t r) { by_id.push_back(r); };
        tok::BytePairMergeShort(v, p, s.size(), p + s.size(), eb);
        EXPECT_EQ(by_id, want) << s;
      }
      std::vector<uint64_t> dead(s.size() / 64 + 1, 0);
      static tok::PairCacheEntry cache[size_t{1} << tok::kPairCacheBits];
      size_t k = tok::BacktrackMerge(v, p, s.size(), got.data(), start.data(), dead.data(), cache);
      ASSERT_NE(k, SIZE_MAX) << s;
      got.resize(k);
      EXPECT_EQ(got, want) << s;
      ++checked;
      for (uint64_t d : dead) backtracked += d != 0;
    };
    for (int i = 0; i < 3000; ++i) {
      std::string s;
      const size_t n = 1 + rng() % (i % 7 == 0 ? 300 : 40);
      if (i % 3 == 0) {
        while (s.size() < n) s += words[rng() % (sizeof(words) / sizeof(words[0]))];
      } else if (i % 11 == 0) {
        for (size_t j = 0; j < n; ++j) s += char(rng() % 256);
      } else {
        const std::string& a = alphabets[size_t(i) % alphabets.size()];
        for (size_t j = 0; j < n; ++j) s += a[rng() % a.size()];
      }
      check(s);
    }
    EXPECT_EQ(checked, 3000u);
    EXPECT_GT(backtracked, 0u) << "no piece needed backtracking; the test lost its teeth";
  }
}

// The ASCII fast paths (o200k, cl100k) must split exactly as the general paths, next to non-ASCII text
// too.
template <class Split>
void CheckFastPathEqualsGeneralPath() {
  const std::vector<std::string> atoms = {"a",
                                          "Z",
                                          "abcdefghijKLM",
                                          "Word",
                                          "WORDs",
                                          "xyzzyxyzzy",
                                          "q",
                                          "'",
                                          "'s",
                                          "'LL",
                                          "1",
                                          "22",
                                          "7",
                                          " ",
                                          "  ",
                                          "\t",
                                          "\n",
                                          "\r",
                                          "\v",
                                          "/",
                                          "(",
                                          ".",
                                          "$",
                                          "\x01",
                                          "\x7f",
                                          "_",
                                          "\xC3\xA9",
                                          "\xC3\x89",
                                          "\xE2\x80\xAF",
                                          "\xD9\xA3",
                                          "\xCC\x81",
                                          "\xE4\xB8\x80"};
  std::mt19937 rng(5);
  size_t pieces = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const size_t n = 1 + rng() % 12;
    for (size_t j = 0; j < n; ++j) s += atoms[rng() % atoms.size()];
    const auto* b = reinterpret_cast<const uint8_t*>(s.data());
    const uint8_t* end = b + s.size();
    for (const uint8_t* p = b; p < end; ++pieces) {
      const uint8_t* fast = Split::Next(p, end);
      const uint8_t* general = Split::NextGeneral(p, end);
      ASSERT_EQ(fast - b, general - b) << "text '" << s << "' at byte " << (p - b);
      p = general;
    }
  }
  EXPECT_GT(pieces, 20000u);
}

TEST(TokenizerTest, FastPathsEqualGeneralPaths) {
  CheckFastPathEqualsGeneralPath<tok::SplitO200k>();
  CheckFastPathEqualsGeneralPath<tok::SplitCl100k>();
}

TEST(TokenizerTest, ModelTable) {
  auto enc = [](std::string_view m) {
    auto r = Tokenizer::EncodingForModel(m);
    return r.ok() ? *r : "ERR:" + r.status().message();
  };
  EXPECT_EQ(enc("gpt-4.1-mini"), "o200k_base");
  EXPECT_EQ(enc("ft:gpt-4.1-mini:org::id"), "o200k_base");
  EXPECT_EQ(enc("ft:gpt-4.1-mini-2025-04-14:my-org:custom:abc123"), "o200k_base");
  EXPECT_EQ(enc("ft:gpt-3.5-turbo-0125:org::id"), "cl100k_base");
  EXPECT_EQ(enc("ft:davinci-002:org::id"), "cl100k_base");
  EXPECT_EQ(enc("gpt-4o"), "o200k_base");
  EXPECT_EQ(enc("gpt-4o-mini-2024-07-18"), "o200k_base");
  EXPECT_EQ(enc("gpt-5"), "o200k_base");
  EXPECT_EQ(enc("gpt-5.1"), "o200k_base");
  EXPECT_EQ(enc("gpt-5-mini"), "o200k_base");
  EXPECT_EQ(enc("o1"), "o200k_base");
  EXPECT_EQ(enc("o3-mini"), "o200k_base");
  EXPECT_EQ(enc("o4-mini"), "o200k_base");
  EXPECT_EQ(enc("gpt-4"), "cl100k_base");
  EXPECT_EQ(enc("gpt-4-0613"), "cl100k_base");
  EXPECT_EQ(enc("gpt-3.5-turbo"), "cl100k_base");
  EXPECT_EQ(enc("gpt-35-turbo-16k"), "cl100k_base");
  EXPECT_EQ(enc("davinci-002"), "cl100k_base");
  EXPECT_EQ(enc("babbage-002"), "cl100k_base");
  EXPECT_EQ(enc("text-embedding-3-small"), "cl100k_base");
  EXPECT_EQ(enc("text-davinci-003"), "p50k_base");
  EXPECT_EQ(enc("code-davinci-edit-001"), "p50k_edit");
  EXPECT_EQ(enc("davinci"), "r50k_base");
  EXPECT_EQ(enc("gpt2"), "gpt2");
  EXPECT_EQ(enc("gpt-oss-120b"), "o200k_harmony");
  auto unknown = Tokenizer::EncodingForModel("gpt-4p-mini");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), Code::kNotFound);
  EXPECT_NE(unknown.status().message().find("gpt-4o"), std::string::npos) << unknown.status().message();
  EXPECT_FALSE(Tokenizer::EncodingForModel("").ok());
  EXPECT_FALSE(Tokenizer::EncodingForModel("ft:").ok());
}

}  // namespace
}  // namespace ftprep
