// Unit tests of core/clean/text.h: each step on ordinary and hostile text.
#include "clean/text.h"

#include <gtest/gtest.h>

#include <string>

namespace ftprep::clean {
namespace {

using Fn = bool (*)(std::string_view, std::string*);

// Runs a step; returns the input when the step reports no change (and checks it left *out alone).
std::string Step(Fn fn, std::string_view in) {
  std::string out = "<untouched>";
  if (!fn(in, &out)) {
    EXPECT_EQ(out, "<untouched>");
    return std::string(in);
  }
  EXPECT_NE(out, in) << "a step that reports a change must change the text";
  return out;
}

std::string Nfc(std::string_view s) {
  std::string out;
  return NormalizeUnicode(s, UnicodeForm::kNfc, &out) ? out : std::string(s);
}
std::string Nfkc(std::string_view s) {
  std::string out;
  return NormalizeUnicode(s, UnicodeForm::kNfkc, &out) ? out : std::string(s);
}
std::string Ws(std::string_view s, WhitespaceMode m) {
  std::string out;
  return NormalizeWhitespace(s, m, &out) ? out : std::string(s);
}

TEST(CleanText, NfcComposesCombiningMarks) {
  EXPECT_EQ(Nfc("Cafe\xCC\x81"), "Caf\xC3\xA9");       // e + U+0301 -> é
  EXPECT_EQ(Nfc("Caf\xC3\xA9"), "Caf\xC3\xA9");        // already NFC: untouched
  EXPECT_EQ(Nfc("plain ascii"), "plain ascii");
  // Several combining marks on one base stay (reordered canonically, composed where possible).
  EXPECT_EQ(Nfc("a\xCC\x81\xCC\xA3"), "\xE1\xBA\xA1\xCC\x81");  // a + acute + dot below -> ạ + acute
}

TEST(CleanText, NfkcFoldsCompatibilityForms) {
  EXPECT_EQ(Nfkc("\xEF\xAC\x81"), "fi");             // ﬁ ligature
  EXPECT_EQ(Nfkc("\xEF\xBC\xA1\xEF\xBC\xA2"), "AB");  // fullwidth
  EXPECT_EQ(Nfc("\xEF\xAC\x81"), "\xEF\xAC\x81");    // NFC keeps it
}

TEST(CleanText, MojibakeRepairsCp1252RoundTrips) {
  EXPECT_EQ(Step(FixMojibake, "It\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2s"), "It\xE2\x80\x99s");  // Itâ€™s -> It’s
  EXPECT_EQ(Step(FixMojibake, "caf\xC3\x83\xC2\xA9"), "caf\xC3\xA9");                    // cafÃ© -> café
  // Double encoding is undone too.
  std::string once = "caf\xC3\x83\xC2\xA9";  // "cafÃ©"
  std::string twice = "caf\xC3\x83\xC6\x92\xC3\x82\xC2\xA9";  // cafÃƒÂ© (cafÃ© encoded again)
  EXPECT_EQ(Step(FixMojibake, twice), "caf\xC3\xA9");
  // Legitimate Latin-1 text and lone accented letters are not touched.
  EXPECT_EQ(Step(FixMojibake, "na\xC3\xAFve r\xC3\xA9sum\xC3\xA9"), "na\xC3\xAFve r\xC3\xA9sum\xC3\xA9");
  EXPECT_EQ(Step(FixMojibake, "\xC3\x83 la carte"), "\xC3\x83 la carte");  // "Ã la" stays
  // Undefined cp1252 bytes (0x81 etc.) seen as C1 controls: "Ã\u0081" -> "Á".
  EXPECT_EQ(Step(FixMojibake, "\xC3\x83\xC2\x81"), "\xC3\x81");
  EXPECT_EQ(Step(FixMojibake, "emoji \xC3\xB0\xC5\xB8\xCB\x9C\xE2\x82\xAC"), "emoji \xF0\x9F\x98\x80");  // ðŸ˜€ -> 😀
}

TEST(CleanText, StripInvisibleRemovesControlsAndBidi) {
  EXPECT_EQ(Step(StripInvisible, "a\xE2\x80\x8B" "b"), "ab");                  // ZWSP
  EXPECT_EQ(Step(StripInvisible, "\xEF\xBB\xBFhello"), "hello");              // BOM
  EXPECT_EQ(Step(StripInvisible, "x\xE2\x80\x8Fy\xE2\x80\x8E"), "xy");        // RLM, LRM
  EXPECT_EQ(Step(StripInvisible, "\xE2\x80\xAE" "evil\xE2\x80\xAC"), "evil");     // RLO ... PDF
  EXPECT_EQ(Step(StripInvisible, "\xE2\x81\xA6iso\xE2\x81\xA9"), "iso");       // LRI ... PDI
  EXPECT_EQ(Step(StripInvisible, std::string("a\x00" "b\x07" "c\x7F" "d", 7)), "abcd");
  EXPECT_EQ(Step(StripInvisible, "a\xC2\x85" "b"), "ab");                     // C1 NEL
  EXPECT_EQ(Step(StripInvisible, "tab\tnew\nline\r\n"), "tab\tnew\nline\r\n");  // kept
  EXPECT_EQ(Step(StripInvisible, "plain"), "plain");
}

TEST(CleanText, StripInvisibleKeepsJoinersInEmojiAndScripts) {
  const std::string family = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";  // 👨‍👩‍👧
  EXPECT_EQ(Step(StripInvisible, "family " + family + "!"), "family " + family + "!");
  const std::string rainbow = "\xF0\x9F\x8F\xB3\xEF\xB8\x8F\xE2\x80\x8D\xF0\x9F\x8C\x88";  // 🏳️‍🌈 (VS16 + ZWJ)
  EXPECT_EQ(Step(StripInvisible, rainbow), rainbow);
  const std::string persian = "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85";  // می‌خواهم
  EXPECT_EQ(Step(StripInvisible, persian), persian);
  // Between ASCII letters a ZWJ/ZWNJ is just hidden junk.
  EXPECT_EQ(Step(StripInvisible, "pass\xE2\x80\x8Dword"), "password");
  EXPECT_EQ(Step(StripInvisible, "\xE2\x80\x8C" "start"), "start");
}

TEST(CleanText, StripInvisibleCopiesInvalidBytes) {
  EXPECT_EQ(Step(StripInvisible, "a\xFF\xE2\x80\x8B" "b"), "a\xFF" "b");
  EXPECT_EQ(Step(StripInvisible, "cut \xE2\x80"), "cut \xE2\x80");  // truncated sequence: left alone
}

TEST(CleanText, AsciiQuotes) {
  EXPECT_EQ(Step(AsciiQuotes, "\xE2\x80\x9CHi\xE2\x80\x9D, it\xE2\x80\x99s"), "\"Hi\", it's");
  EXPECT_EQ(Step(AsciiQuotes, "5\xE2\x80\xB2 10\xE2\x80\xB3"), "5' 10\"");
  EXPECT_EQ(Step(AsciiQuotes, "\xE2\x80\x94 dash stays"), "\xE2\x80\x94 dash stays");
}

TEST(CleanText, LineEndings) {
  EXPECT_EQ(Step(NormalizeLineEndings, "a\r\nb\rc\n"), "a\nb\nc\n");
  EXPECT_EQ(Step(NormalizeLineEndings, "a\xE2\x80\xA8" "b\xE2\x80\xA9" "c"), "a\nb\n\nc");
  EXPECT_EQ(Step(NormalizeLineEndings, "a\nb"), "a\nb");
}

TEST(CleanText, WhitespaceTrim) {
  EXPECT_EQ(Ws("  hi there \n", WhitespaceMode::kTrim), "hi there");
  EXPECT_EQ(Ws("\xC2\xA0\xE3\x80\x80x\xE2\x80\x83", WhitespaceMode::kTrim), "x");  // NBSP, ideographic, em space
  EXPECT_EQ(Ws("x", WhitespaceMode::kTrim), "x");
  EXPECT_EQ(Ws("   ", WhitespaceMode::kTrim), "");
  EXPECT_EQ(Ws("a  b", WhitespaceMode::kTrim), "a  b");
}

TEST(CleanText, WhitespaceCollapseKeepsCodeBlocksAndIndentation) {
  EXPECT_EQ(Ws("a   b\t\tc  \nd", WhitespaceMode::kCollapse), "a b c\nd");
  EXPECT_EQ(Ws("p1\n\n\n\n p2", WhitespaceMode::kCollapse), "p1\n\n p2");
  EXPECT_EQ(Ws("list:\n  - item   one\n    - sub", WhitespaceMode::kCollapse), "list:\n  - item one\n    - sub");
  const std::string code = "Code:\n```python\ndef f():\n    return  1\n\n\n\nx  =  2   \n```\nafter   text";
  EXPECT_EQ(Ws(code, WhitespaceMode::kCollapse),
            "Code:\n```python\ndef f():\n    return  1\n\n\n\nx  =  2   \n```\nafter text");
  // A single NBSP between words is kept (French typography), a run becomes one space.
  EXPECT_EQ(Ws("a\xC2\xA0!  b\xC2\xA0 c", WhitespaceMode::kCollapse), "a\xC2\xA0! b c");
  EXPECT_EQ(Ws("already clean\n\ntext", WhitespaceMode::kCollapse), "already clean\n\ntext");
  // Unterminated fence: the rest stays verbatim.
  EXPECT_EQ(Ws("x  y\n```\na   b", WhitespaceMode::kCollapse), "x y\n```\na   b");
}

TEST(CleanText, Lowercase) {
  EXPECT_EQ(Step(Lowercase, "Hello WORLD"), "hello world");
  EXPECT_EQ(Step(Lowercase, "\xC3\x89T\xC3\x89 \xCE\xA3"), "\xC3\xA9t\xC3\xA9 \xCF\x83");  // ÉTÉ Σ -> été σ
  EXPECT_EQ(Step(Lowercase, "already lower"), "already lower");
}

TEST(CleanText, TruncateNeverSplitsCharactersOrGraphemes) {
  EXPECT_EQ(CountChars("h\xC3\xA9llo"), 5u);
  EXPECT_EQ(TruncateCharsAt("hello", 3), 3u);
  EXPECT_EQ(TruncateCharsAt("hello", 10), 5u);
  EXPECT_EQ(TruncateCharsAt("h\xC3\xA9llo", 2), 3u);  // "hé"
  // e + combining acute: cutting after 'e' would orphan the mark; cut before the cluster instead.
  EXPECT_EQ(TruncateCharsAt("abe\xCC\x81x", 3), 2u);
  const std::string family = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9";  // man ZWJ woman (3 code points)
  EXPECT_EQ(TruncateCharsAt("a" + family, 2), 1u);
  EXPECT_EQ(TruncateCharsAt("a" + family, 4), 1 + family.size());
}

TEST(CleanText, PieceBoundaryCutsBeforeSpace) {
  EXPECT_EQ(LastPieceBoundary("hello world again", 13), 11u);  // before " again"
  EXPECT_EQ(LastPieceBoundary("nospace", 4), 4u);
  EXPECT_EQ(LastPieceBoundary("h\xC3\xA9llo", 2), 1u);  // never inside é
}

TEST(CleanText, LinearOnLongHostileText) {
  // 2 MB of alternating junk: every step must finish (they are linear) and keep the length sane.
  std::string s;
  for (int i = 0; i < 100000; ++i) s += "a \xE2\x80\x8B\r\n\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2  ";
  std::string out;
  EXPECT_TRUE(StripInvisible(s, &out));
  EXPECT_TRUE(FixMojibake(s, &out));
  EXPECT_TRUE(NormalizeLineEndings(s, &out));
  EXPECT_TRUE(NormalizeWhitespace(s, WhitespaceMode::kCollapse, &out));
  EXPECT_LT(out.size(), s.size());
}

}  // namespace
}  // namespace ftprep::clean

namespace ftprep::clean {
namespace {

// Property: every step is idempotent (cleaning clean text changes nothing) and never produces invalid UTF-8
// from valid input, on random mixes of the characters the steps care about.
TEST(CleanText, StepsAreIdempotentOnRandomText) {
  const char* atoms[] = {" ", "  ", "\t", "\n", "\n\n\n", "\r\n", "\r", "a", "Word", "```", "~~~", "\xC2\xA0",
                         "\xE2\x80\x8B", "\xE2\x80\x8D", "\xF0\x9F\x91\xA8", "\xC3\xA9", "e\xCC\x81", "\xEF\xBB\xBF",
                         "\xE2\x80\x99", "\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2", "\xEF\xAC\x81", "\x01", "\xC2\x85", "-", "."};
  uint64_t seed = 12345;
  auto next = [&]() {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return seed >> 33;
  };
  for (int iter = 0; iter < 3000; ++iter) {
    std::string s;
    int n = static_cast<int>(next() % 24);
    for (int k = 0; k < n; ++k) s += atoms[next() % (sizeof(atoms) / sizeof(atoms[0]))];
    std::string a, b;
    auto check = [&](const char* name, auto fn) {
      std::string once = fn(s);
      std::string twice = fn(once);
      EXPECT_EQ(once, twice) << name << " not idempotent on '" << s << "'";
    };
    check("collapse", [](const std::string& x) {
      std::string o;
      return NormalizeWhitespace(x, WhitespaceMode::kCollapse, &o) ? o : x;
    });
    check("trim", [](const std::string& x) {
      std::string o;
      return NormalizeWhitespace(x, WhitespaceMode::kTrim, &o) ? o : x;
    });
    check("invisible", [](const std::string& x) {
      std::string o;
      return StripInvisible(x, &o) ? o : x;
    });
    check("line_endings", [](const std::string& x) {
      std::string o;
      return NormalizeLineEndings(x, &o) ? o : x;
    });
    check("quotes", [](const std::string& x) {
      std::string o;
      return AsciiQuotes(x, &o) ? o : x;
    });
  }
}

}  // namespace
}  // namespace ftprep::clean
