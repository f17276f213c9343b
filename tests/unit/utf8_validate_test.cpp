// The CSV/TSV/TXT readers' hot loops against byte-by-byte references: the UTF-8 check (FirstInvalidUtf8 must
// accept exactly what FindInvalidUtf8Scalar, built on Utf8SeqLen, accepts, and report the same offset) and the
// JSON string escaping of cells (AppendJsonBody, which copies 16 bytes at a time where it can).
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

#include "../../formats/csv/csv_engine.h"
#include "utf8_dfa.h"

namespace ftprep::delim {
namespace {

size_t FirstInvalidUtf8Slow(const char* s, size_t n) {
  const size_t bad = FindInvalidUtf8Scalar(std::string_view(s, n));
  return bad == std::string_view::npos ? n : bad;
}

void Same(const std::string& s) {
  const size_t slow = FirstInvalidUtf8Slow(s.data(), s.size());
  ASSERT_EQ(FirstInvalidUtf8(s.data(), s.size()), slow) << Show(s);
  // core/utf8_dfa.h's check on its own (the tokenizer calls it directly); longer strings also from the first
  // 24 offsets, so that the 16- and 8-byte ASCII skips meet the sequences at every alignment.
  for (size_t from = 0; from <= s.size() && from < (s.size() > 8 ? 24u : 1u); ++from) {
    const size_t want = FirstInvalidUtf8Slow(s.data() + from, s.size() - from);
    ASSERT_EQ(Utf8Valid(reinterpret_cast<const uint8_t*>(s.data() + from), s.size() - from),
              want == s.size() - from)
        << Show(s) << " from " << from;
  }
}

TEST(Utf8Validate, EveryShortSequence) {
  std::string s(3, '\0');
  for (int a = 0; a < 256; ++a) {
    s.resize(1);
    s[0] = char(a);
    Same(s);
    for (int b = 0; b < 256; ++b) {
      s.resize(2);
      s[1] = char(b);
      Same(s);
      s.resize(3);
      for (int c : {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xED, 0xF0, 0xF4, 0xFF}) {
        s[2] = char(c);
        Same(s);
        for (int d : {0x41, 0x80, 0x8F, 0x90, 0xBF, 0xC0}) Same(s + char(d));
      }
    }
  }
}

TEST(Utf8Validate, MixedTextAtEveryOffset) {
  const char* pieces[] = {"a", " ", "ñ", "Ελ", "日本語", "🚀", "\xC3", "\xE6\x97", "\xF0\x9F\x9A", "\x80",
                          "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC0\xAF", "0123456789abcdef"};
  std::mt19937 rng(7);
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    int n = int(rng() % 60);
    bool bad = rng() % 4 == 0;
    for (int i = 0; i < n; ++i) s += pieces[rng() % (bad ? 14 : 6)];
    if (!bad) s += pieces[13];
    Same(s);
    Same(std::string(rng() % 200, 'x') + s);  // across the 8-byte ASCII skip and the 64-byte blocks
  }
}

TEST(Utf8Validate, ValidTextPasses) {
  std::string s;
  for (int i = 0; i < 1000; ++i) s += "naïve 数据 Ελληνικά 🚀 data,set ";
  EXPECT_EQ(FirstInvalidUtf8(s.data(), s.size()), s.size());
  s += "\xE6\x97";  // cut inside a character at the end
  EXPECT_EQ(FirstInvalidUtf8(s.data(), s.size()), s.size() - 2);
}

// One byte at a time: what AppendJsonBody must produce without quote collapsing or TSV escapes.
std::string EscapeReference(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    const char* rep = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
                    : c == '\b' ? "\\b" : c == '\f' ? "\\f" : nullptr;
    if (rep) {
      out += rep;
    } else if (c < 0x20) {
      char u[8];
      std::snprintf(u, sizeof u, "\\u%04x", c);
      out += u;
    } else {
      out += char(c);
    }
  }
  return out;
}

TEST(JsonBody, EscapesAsTheReferenceAtEveryOffset) {
  const char* pieces[] = {"a", "0123456789abcdefghij", "ñ", "日本語", "\"", "\\", "\n", "\x01", "\x1f", " ", "\x7f",
                          "\xff"};
  std::mt19937 rng(11);
  for (int round = 0; round < 20000; ++round) {
    std::string s(rng() % 40, 'x');
    int n = int(rng() % 30);
    for (int i = 0; i < n; ++i) s += pieces[rng() % 12];
    OutBuf out;
    out.Append("k");
    AppendJsonBody(s.data(), s.size(), false, false, &out);
    ASSERT_EQ(std::string(out.data(), out.size()), "k" + EscapeReference(s)) << Show(s);
  }
}

TEST(JsonBody, CollapsesDoubledQuotesAcrossTheWideCopy) {
  std::string s = std::string(15, 'a') + "\"\"" + std::string(20, 'b') + "\"\"";
  OutBuf out;
  AppendJsonBody(s.data(), s.size(), true, false, &out);
  EXPECT_EQ(std::string(out.data(), out.size()), std::string(15, 'a') + "\\\"" + std::string(20, 'b') + "\\\"");
}

}  // namespace
}  // namespace ftprep::delim
