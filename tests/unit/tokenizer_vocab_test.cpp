// The shipped vocabularies: sha256 of core/data/encodings/*.tiktoken equals the hash openai/tiktoken
// pins, and the embedded build-time tables hold exactly the ranks of those files.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "tokenizer/vocab.h"

namespace ftprep::tok {
namespace {

// FIPS 180-4 SHA-256, enough for a test.
std::string Sha256Hex(const std::string& data) {
  static constexpr uint32_t k[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
      0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
      0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
      0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string m = data;
  const uint64_t bits = uint64_t{data.size()} * 8;
  m += '\x80';
  while (m.size() % 64 != 56) m += '\0';
  for (int i = 7; i >= 0; --i) m += char((bits >> (8 * i)) & 0xFF);
  auto rotr = [](uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
  for (size_t off = 0; off < m.size(); off += 64) {
    uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
      const auto* p = reinterpret_cast<const uint8_t*>(m.data() + off + 4 * i);
      w[i] = uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
    }
    for (int i = 16; i < 64; ++i) {
      uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
      uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
  }
  char hex[65];
  for (int i = 0; i < 8; ++i) std::snprintf(hex + 8 * i, 9, "%08x", h[i]);
  return std::string(hex, 64);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string EncodingsDir() { return std::string(FTPREP_SOURCE_DIR) + "/core/data/encodings/"; }

TEST(TokenizerVocabTest, Sha256Helper) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// The hashes openai/tiktoken 0.14.0 pins in tiktoken_ext/openai_public.py (expected_hash).
TEST(TokenizerVocabTest, VocabularyFilesMatchTiktokenHashes) {
  const std::pair<const char*, const char*> files[] = {
      {"r50k_base", "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930"},
      {"p50k_base", "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069"},
      {"cl100k_base", "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"},
      {"o200k_base", "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"},
  };
  for (const auto& [name, sha] : files) {
    std::string data = ReadAll(EncodingsDir() + name + ".tiktoken");
    ASSERT_FALSE(data.empty()) << name;
    EXPECT_EQ(Sha256Hex(data), sha) << name;
  }
}

std::string B64Decode(const std::string& s) {
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = c >= 'A' && c <= 'Z'   ? c - 'A'
            : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '+'             ? 62
            : c == '/'             ? 63
                                   : -1;
    if (v < 0) break;
    acc = (acc << 6) | unsigned(v);
    bits += 6;
    if (bits >= 8) bits -= 8, out += char((acc >> bits) & 0xFF);
  }
  return out;
}

// Every line of every file is found in the embedded table with its rank, and nothing else is there.
TEST(TokenizerVocabTest, EmbeddedTablesEqualFiles) {
  const std::pair<const char*, std::pair<VocabId, uint32_t>> files[] = {
      {"r50k_base", {VocabId::kP50k, 50256}},
      {"p50k_base", {VocabId::kP50k, 50281}},
      {"cl100k_base", {VocabId::kCl100k, 100256}},
      {"o200k_base", {VocabId::kO200k, 199998}},
  };
  for (const auto& [name, table] : files) {
    Vocab v;
    ASSERT_TRUE(v.Init(EmbeddedVocab(table.first), table.second)) << name;
    std::istringstream in(ReadAll(EncodingsDir() + name + ".tiktoken"));
    std::string b64;
    uint32_t rank;
    size_t lines = 0, present = 0;
    while (in >> b64 >> rank) {
      std::string tok = B64Decode(b64);
      const auto* p = reinterpret_cast<const uint8_t*>(tok.data());
      ASSERT_EQ(v.Lookup(p, tok.size(), p + tok.size()), rank) << name << " rank " << rank;
      ASSERT_EQ(v.TokenBytes(rank), tok) << name;
      ++lines;
    }
    for (uint32_t r = 0; r < v.n_ids(); ++r) present += !v.TokenBytes(r).empty();
    EXPECT_EQ(present, lines) << name;
    EXPECT_GT(lines, 50000u);
  }
}

}  // namespace
}  // namespace ftprep::tok
