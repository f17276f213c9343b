// Tests of the txt format plugin: one record per line, and chunking by tokens: exact tokenizer counts (the
// core installs the tokenizer as the host's counter), or characters/4 with token_encoding=chars4 where a
// test does arithmetic on lengths.
#include <rapidjson/document.h>

#include "format_test_util.h"
#include "ftprep/tokenizer.h"

namespace ftprep {
namespace {

using namespace ftprep::testutil;  // NOLINT: test helpers

TEST(Txt, OneRecordPerLine) {
  ReadResult r = ReadAll("txt", "first line\r\n\n  \nsecond \"quoted\"\n");
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].json, R"({"text":"first line"})");
  EXPECT_EQ(r.rows[0].line, 1u);
  EXPECT_EQ(r.rows[1].json, R"({"text":"second \"quoted\""})");
  EXPECT_EQ(r.rows[1].line, 4u);
}

TEST(Txt, InvalidUtf8PerLine) {
  ReadResult r = ReadAll("txt", "ok\nbad \xFF here\n");
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[1].rule, "utf8.invalid");
  EXPECT_EQ(r.rows[1].column, 5u);
  EXPECT_EQ(ReadAll("txt", "caf\xE9\n", {"encoding", "latin1"}).rows.at(0).json, "{\"text\":\"caf\xC3\xA9\"}");
}

std::string TextOf(const Row& row) {
  rapidjson::Document d;
  d.Parse(row.json.c_str());
  return d.IsObject() && d.HasMember("text") ? d["text"].GetString() : "";
}

TEST(Txt, ChunksKeepParagraphsWholeWhenTheyFit) {
  std::string doc = "Once upon a time there was a king.\n\nHe had three daughters.\n\nThe youngest was the kindest.\n";
  ReadResult r = ReadAll("txt", doc, {"chunk_tokens", "20"});
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(TextOf(r.rows[0]), "Once upon a time there was a king.\n\nHe had three daughters.");
  EXPECT_EQ(r.rows[0].line, 1u);
  EXPECT_EQ(TextOf(r.rows[1]), "The youngest was the kindest.");
  EXPECT_EQ(r.rows[1].line, 5u);
}

TEST(Txt, LongParagraphsAreCutAtSentencesThenWords) {
  std::string para;
  for (int i = 0; i < 30; ++i) para += "The quick brown fox number " + std::to_string(i) + " jumps. ";
  ReadResult r = ReadAll("txt", para + "\n", {"chunk_tokens", "25", "token_encoding", "chars4"});
  ASSERT_GT(r.rows.size(), 5u);
  std::string joined;
  for (const auto& row : r.rows) {
    std::string t = TextOf(row);
    EXPECT_LE((t.size() + 3) / 4, 26u) << t;
    EXPECT_EQ(t.find("The quick"), 0u) << "pieces start at a sentence: " << t;
    joined += t;
  }
  std::string squeezed;
  for (char c : para) {
    if (c != ' ') squeezed += c;
  }
  std::string got;
  for (char c : joined) {
    if (c != ' ') got += c;
  }
  EXPECT_EQ(got, squeezed);
  ReadResult words = ReadAll("txt", std::string(200, 'a') + " " + std::string(10, 'b') + "\n", {"chunk_tokens", "10", "token_encoding", "chars4"});
  for (const auto& row : words.rows) EXPECT_LE((TextOf(row).size() + 3) / 4, 10u);
}

TEST(Txt, OverlapRepeatsTheEndOfThePreviousPiece) {
  std::string doc;
  for (int i = 0; i < 12; ++i) doc += "Sentence number " + std::to_string(i) + " is here. ";
  ReadResult r = ReadAll("txt", doc + "\n", {"chunk_tokens", "30", "overlap", "6"});
  ASSERT_GE(r.rows.size(), 2u);
  std::string first = TextOf(r.rows[0]), second = TextOf(r.rows[1]);
  std::string tail = first.substr(first.size() - 10);
  EXPECT_NE(second.find(tail.substr(tail.find(' ') + 1)), std::string::npos) << first << " | " << second;
  EXPECT_EQ(ReadAll("txt", doc, {"chunk_tokens", "10", "overlap", "10"}).open_rc, FTPREP_ERR_USAGE);
}

size_t Tokens(const std::string& enc, const std::string& text) {
  auto tok = Tokenizer::Get(enc);
  EXPECT_TRUE(tok.ok());
  return tok.ok() ? (*tok)->Count(text, SpecialMode::kOrdinary).value() : 0;
}

// Pieces hold at most N tokens as the tokenizer counts the whole piece (not a sum of estimates), are as
// full as the next paragraph allows, and start at a paragraph when whole paragraphs fit.
TEST(Txt, ChunksCountExactTokens) {
  std::ifstream in(FTPREP_SOURCE_DIR "/samples/stories/stories.txt", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str().substr(0, 60000);
  doc = doc.substr(0, doc.rfind("\n\n") + 1);
  for (const char* enc : {"o200k_base", "cl100k_base"}) {
    for (int n : {48, 300}) {
      ReadResult r = ReadAll("txt", doc, {"chunk_tokens", std::to_string(n), "token_encoding", enc}, 4096);
      ASSERT_GT(r.rows.size(), 3u);
      size_t full = 0;
      for (size_t i = 0; i < r.rows.size(); ++i) {
        std::string t = TextOf(r.rows[i]);
        size_t k = Tokens(enc, t);
        EXPECT_LE(k, static_cast<size_t>(n)) << enc << " piece " << i << ": " << t;
        if (k > static_cast<size_t>(n) * 3 / 4) ++full;
      }
      EXPECT_GT(full, r.rows.size() / 2) << enc << " " << n << ": most pieces should be well filled";
    }
  }
  // A word longer than a piece, of characters that take several tokens each, is cut to fit too.
  std::string emoji;
  for (int i = 0; i < 40; ++i) emoji += "\xF0\x9F\xA6\x94";  // hedgehog, several tokens per character
  ReadResult r = ReadAll("txt", emoji + "\n", {"chunk_tokens", "5", "token_encoding", "o200k_base"});
  ASSERT_GT(r.rows.size(), 1u);
  std::string joined;
  for (const auto& row : r.rows) {
    EXPECT_LE(Tokens("o200k_base", TextOf(row)), 5u);
    joined += TextOf(row);
  }
  EXPECT_EQ(joined, emoji);
}

}  // namespace
}  // namespace ftprep
